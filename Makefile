# govshare: a Hyperledger Fabric chaincode suite for government data sharing.
# `make demo` runs the main job; `make test` runs the tests. Both build what
# they need first, starting from a fresh checkout.

SHELL := /bin/bash
FABRIC_DIR ?= $(CURDIR)/.cache/fabric
# The ordering of the networks below: raft (three Raft orderers, the
# default) or bft (four SmartBFT orderers run by four agencies, tolerating
# one faulty one; network.WithBFT). A BFT network has its own folders and
# ports, so that it runs beside the Raft ones.
CONSENSUS ?= raft
ifeq ($(CONSENSUS),bft)
STATE_DIR       ?= $(CURDIR)/.govshare/network-bft
PORT_BASE       ?= 27400
BENCH_STATE_DIR ?= $(CURDIR)/.govshare/bench-bft
BENCH_PORT_BASE ?= 27600
endif
STATE_DIR  ?= $(CURDIR)/.govshare/network
PORT_BASE  ?= 27000
# The network made for benchmarks: the consortium plus the benchprobe
# chaincode the load tool measures with, in its own folder and on its own
# ports, so that a department's network never carries the probes.
BENCH_STATE_DIR ?= $(CURDIR)/.govshare/bench
BENCH_PORT_BASE ?= 27200
GOVNET     := $(CURDIR)/.cache/bin/govnet
GOVCTL     := $(CURDIR)/.cache/bin/govctl
GOVLOAD    := $(CURDIR)/.cache/bin/govload
STATICCHECK := $(CURDIR)/.cache/bin/staticcheck
GOVPORTAL  := $(CURDIR)/.cache/bin/govportal
PORTAL_DIR    ?= $(CURDIR)/.govshare/portal
PORTAL_LISTEN ?= 127.0.0.1:8080
# The organisation whose identity the portal reads the ledger with: the
# oversight body reads every channel.
PORTAL_ORG    ?= $(STATE_DIR)/organizations/Oversight
BENCH_WORKERS  ?= 32
BENCH_DURATION ?= 10s
RESULTS_DIR    ?= $(CURDIR)/results
CALIPER_DIR    ?= $(CURDIR)/.cache/caliper
GOVNET_RUN := $(GOVNET) -consensus $(CONSENSUS) -state $(STATE_DIR) -fabric $(FABRIC_DIR) -source $(CURDIR) -port-base $(PORT_BASE)
GOVNET_BENCH := $(GOVNET) -bench -consensus $(CONSENSUS) -state $(BENCH_STATE_DIR) -fabric $(FABRIC_DIR) -source $(CURDIR) -port-base $(BENCH_PORT_BASE)
TEST_TIMEOUT ?= 35m

.PHONY: all demo test unit-test integration-test vet lint fabric-bins govnet govctl \
	network-up network-down network-clean network-status help govload bench bench-caliper bench-chaincode \
	bench-network-up bench-network-down bench-network-clean govportal portal-start portal-stop

all: test

help:
	@echo "make demo            bring the network up and run the end-to-end scenario through govctl"
	@echo "make test            lint, unit tests, then integration tests on a real network"
	@echo "make lint            go vet and staticcheck (pinned in tools/lint) over every package and test"
	@echo "make fabric-bins     build Fabric $(shell echo 3.1.1) and Fabric CA binaries into $(FABRIC_DIR)"
	@echo "make network-up      start the network (idempotent); network-down keeps data; network-clean removes it"
	@echo "                     CONSENSUS=bft: the same targets (and demo, bench) on a SmartBFT network of its own"
	@echo "make network-status  nodes, heights and chaincodes (govnet status --json for scripts)"
	@echo "make portal-start    the disclosure portal on the running network (make demo starts it); portal-stop stops it"
	@echo "make bench           load rounds (blind writes and domain transactions) on a network made for benchmarks; results in results/"
	@echo "make bench-caliper   the same kind of rounds driven by Hyperledger Caliper 0.6.0"
	@echo "make bench-network-up|down|clean  the network made for benchmarks ($(BENCH_STATE_DIR), ports from $(BENCH_PORT_BASE))"
	@echo "make bench-chaincode CPU and allocations per transaction of every contract function (go test -bench)"

fabric-bins:
	@tools/fabric-bins/build $(FABRIC_DIR)

govnet:
	@mkdir -p $(dir $(GOVNET))
	@go build -o $(GOVNET) ./network/cmd/govnet

govctl:
	@mkdir -p $(dir $(GOVCTL))
	@go build -o $(GOVCTL) ./gateway-client/cmd/govctl

govportal:
	@mkdir -p $(dir $(GOVPORTAL))
	@go build -o $(GOVPORTAL) ./portal/cmd/govportal

# The disclosure portal, detached with a pidfile in $(PORTAL_DIR); it
# prints its address once its read model holds the whole ledger.
portal-start: govportal
	@$(GOVPORTAL) start --org $(PORTAL_ORG) --db $(PORTAL_DIR)/portal.db --state $(PORTAL_DIR) --listen $(PORTAL_LISTEN)

portal-stop: govportal
	@$(GOVPORTAL) stop --state $(PORTAL_DIR)

network-up: fabric-bins govnet
	@$(GOVNET_RUN) up

network-down: govnet portal-stop
	@$(GOVNET_RUN) down

network-clean: govnet portal-stop
	@$(GOVNET_RUN) clean
	@rm -rf $(PORTAL_DIR)

network-status: govnet
	@$(GOVNET_RUN) status

demo: network-up govctl govportal
	@$(GOVCTL) --network $(STATE_DIR) demo
	@echo
	@$(GOVPORTAL) start --org $(PORTAL_ORG) --db $(PORTAL_DIR)/portal.db --state $(PORTAL_DIR) --listen $(PORTAL_LISTEN)
	@$(GOVPORTAL) account add inspector --org $(PORTAL_ORG) --db $(PORTAL_DIR)/portal.db | sed 's/^/Oversight pages (http:\/\/$(PORTAL_LISTEN)\/oversight): /'
	@echo "Network status: make network-status. Stop it with 'make network-down' (keeps data) or 'make network-clean'."

govload:
	@mkdir -p $(dir $(GOVLOAD))
	@go build -o $(GOVLOAD) ./bench/cmd/govload

# The network made for benchmarks, beside the department's own network.
bench-network-up: fabric-bins govnet
	@$(GOVNET_BENCH) up

bench-network-down: govnet
	@$(GOVNET_BENCH) down

bench-network-clean: govnet
	@$(GOVNET_BENCH) clean

# A short load profile (about 5 minutes on 2 cores) on the network made for
# benchmarks: every channel's blind write, then its domain transactions and
# queries. See docs/performance.md.
bench: bench-network-up govload
	@$(GOVLOAD) run -network $(BENCH_STATE_DIR) -workers $(BENCH_WORKERS) -duration $(BENCH_DURATION) -out $(RESULTS_DIR)

# The contracts' own cost per transaction on the in-memory ledger: no network.
bench-chaincode:
	@mkdir -p $(RESULTS_DIR)
	go test -run '^$$' -bench . -benchmem -benchtime 1000x ./chaincode/... | tee $(RESULTS_DIR)/chaincode-bench.txt

# Hyperledger Caliper, installed from npm into $(CALIPER_DIR) (git-ignored
# under .cache), bound to the Fabric gateway, driving a short round of
# every workload in bench/caliper.
bench-caliper: bench-network-up govload
	@bench/caliper/run $(CALIPER_DIR) $(BENCH_STATE_DIR) $(RESULTS_DIR) $(GOVLOAD)

vet:
	go vet -tags integration ./...

# staticcheck, pinned in tools/lint/go.mod: a module of its own, so that its
# dependencies stay out of the project's go.mod. Built from the module proxy
# into .cache/bin, again only when the pin changes.
$(STATICCHECK): tools/lint/go.mod tools/lint/go.sum
	@mkdir -p $(dir $@)
	cd tools/lint && go build -o $@ honnef.co/go/tools/cmd/staticcheck

# go vet and every staticcheck check (staticcheck.conf), integration tests
# included.
lint: vet $(STATICCHECK)
	$(STATICCHECK) -tags integration ./...

unit-test:
	go test -count=1 ./...

integration-test: fabric-bins
	GOVSHARE_FABRIC_DIR=$(FABRIC_DIR) go test -count=1 -p 1 -tags integration -timeout $(TEST_TIMEOUT) -v ./integration/...

test: lint unit-test integration-test
