//go:build integration

package bft

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/govshare/govshare/integration/internal/testnet"
	"github.com/govshare/govshare/network"
)

// testNetwork is the network every test in the package runs against.
var testNetwork *network.Network

// TestMain brings up one consortium ordered by SmartBFT on ports of its
// own, for every test, and takes it down at the end, checking that no
// process is left; or runs against a network already running (see the
// package documentation).
func TestMain(m *testing.M) {
	os.Exit(run(m))
}

// spec is the consortium under test: BFT unless GOVSHARE_CONSENSUS names
// another consensus type.
func spec() (*network.Spec, error) {
	consensus := network.BFT
	if name := os.Getenv("GOVSHARE_CONSENSUS"); name != "" {
		var err error
		if consensus, err = network.ParseConsensus(name); err != nil {
			return nil, fmt.Errorf("GOVSHARE_CONSENSUS: %w", err)
		}
	}
	if consensus == network.BFT {
		return network.Consortium(network.WithBFT()), nil
	}
	return network.Consortium(), nil
}

func run(m *testing.M) int {
	s, err := spec()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if state := os.Getenv("GOVSHARE_STATE"); state != "" {
		return runOn(m, s, state)
	}
	return testnet.Main(m, testnet.Config{Name: "bft", Spec: s, SourceDir: "../..", FirstPort: 23000},
		func(n *network.Network) { testNetwork = n })
}

// runOn runs the tests against a network already running in state, made
// from the same description, and leaves it running.
func runOn(m *testing.M, s *network.Spec, state string) int {
	fabricDir := os.Getenv("GOVSHARE_FABRIC_DIR")
	if fabricDir == "" {
		fabricDir = filepath.Join("..", "..", ".cache", "fabric")
	}
	n, err := network.New(s, network.Options{StateDir: state, FabricDir: fabricDir, SourceDir: filepath.Join("..", "..")})
	if err != nil {
		fmt.Fprintln(os.Stderr, "network:", err)
		return 1
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	status, err := n.Status(ctx)
	if err != nil || !status.Running() {
		fmt.Fprintf(os.Stderr, "the network in %s is not running (%v): bring it up first\n", state, err)
		return 1
	}
	testNetwork = n
	fmt.Printf("bft: testing the running %s network in %s\n", s.Ordering.ConsensusType().Name(), state)
	return m.Run()
}
