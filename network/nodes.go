package network

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"syscall"
	"time"
)

func (a *Agency) ordererProcess(o *Orderer) *process {
	return &process{
		Name:   o.ID(),
		Binary: a.bin("orderer"),
		Env:    []string{"FABRIC_CFG_PATH=" + a.nodeDir(o.ID())},
		Dir:    a.nodeDir(o.ID()),
		Ports: []namedPort{
			{"client and cluster", o.Address()},
			{"admin", o.AdminAddress()},
			{"operations", joinHostPort(o.Host, o.OperationsPort)},
		},
		HealthURL: "http://" + joinHostPort(o.Host, o.OperationsPort) + "/healthz",
	}
}

func (a *Agency) peerProcess(p *Peer) *process {
	return &process{
		Name:   p.ID(),
		Binary: a.bin("peer"),
		Args:   []string{"node", "start"},
		Env:    []string{"FABRIC_CFG_PATH=" + a.nodeDir(p.ID())},
		Dir:    a.nodeDir(p.ID()),
		Ports: []namedPort{
			{"peer", p.Address()},
			{"chaincode", joinHostPort(p.Host, p.ChaincodePort)},
			{"operations", joinHostPort(p.Host, p.OperationsPort)},
		},
		HealthURL: "http://" + joinHostPort(p.Host, p.OperationsPort) + "/healthz",
	}
}

// processes returns every node process of the agency, in start order: the
// CA, orderers, peers.
func (a *Agency) processes() []*process {
	out := []*process{a.caProcess()}
	for _, o := range a.Orderers {
		out = append(out, a.ordererProcess(o))
	}
	for _, p := range a.Peers {
		out = append(out, a.peerProcess(p))
	}
	return out
}

// OrdererProcessID returns the PID of one of the agency's orderers, 0 when
// it is not running.
func (a *Agency) OrdererProcessID(o *Orderer) int { return a.ordererProcess(o).PID() }

// PeerProcessID returns the PID of one of the agency's peers, 0 when it is
// not running.
func (a *Agency) PeerProcessID(p *Peer) int { return a.peerProcess(p).PID() }

// writeNodeConfig renders every orderer's orderer.yaml and every peer's
// core.yaml. Node configuration is rendered on every start, so a change to
// the templates reaches the nodes at their next start.
func (a *Agency) writeNodeConfig() error {
	for _, o := range a.Orderers {
		data := map[string]any{"Orderer": o, "MSPDir": a.ordererMSPDir(o), "TLS": a.ordererTLS(o), "DataDir": filepath.Join(a.nodeDir(o.ID()), "data"),
			"Consensus": a.Spec.Ordering.ConsensusType()}
		if err := a.renderOverrides("orderer-overrides.yaml.tmpl", "orderer.yaml", filepath.Join(a.nodeDir(o.ID()), "orderer.yaml"), data); err != nil {
			return fmt.Errorf("%s: %w", o.ID(), err)
		}
	}
	for _, p := range a.Peers {
		data := map[string]any{"Peer": p, "MSPDir": a.peerMSPDir(p), "TLS": a.peerTLS(p), "DataDir": a.peerDataDir(p), "BuilderDir": a.builderDir()}
		if err := a.renderOverrides("core-overrides.yaml.tmpl", "core.yaml", filepath.Join(a.nodeDir(p.ID()), "core.yaml"), data); err != nil {
			return fmt.Errorf("%s: %w", p.ID(), err)
		}
	}
	return nil
}

// StartOrderers starts the agency's orderers that are not running and
// waits until each is healthy. It reports how many it started.
func (a *Agency) StartOrderers(ctx context.Context) (int, error) {
	var procs []*process
	for _, o := range a.Orderers {
		procs = append(procs, a.ordererProcess(o))
	}
	return startAll(ctx, procs)
}

// StartPeers starts the agency's peers that are not running and waits
// until each is healthy. It reports how many it started.
func (a *Agency) StartPeers(ctx context.Context) (int, error) {
	var procs []*process
	for _, p := range a.Peers {
		procs = append(procs, a.peerProcess(p))
	}
	return startAll(ctx, procs)
}

// Start starts every node of the agency that is not running: its CA, then
// its orderers, then its peers.
func (a *Agency) Start(ctx context.Context) (int, error) {
	if err := a.writeNodeConfig(); err != nil {
		return 0, err
	}
	_, started, err := a.caProcess().Start(ctx)
	count := 0
	if started {
		count++
	}
	if err != nil {
		return count, err
	}
	n, err := a.StartOrderers(ctx)
	count += n
	if err != nil {
		return count, err
	}
	n, err = a.StartPeers(ctx)
	return count + n, err
}

// Stop stops every process the agency started, by the PID in its pidfile:
// its peers, the chaincode programs they launched, its orderers, its CA.
// All data is kept: a later Start brings back the same nodes with their
// ledgers.
func (a *Agency) Stop(ctx context.Context) (int, error) {
	var peers, orderers []*process
	for _, p := range a.Peers {
		peers = append(peers, a.peerProcess(p))
	}
	for _, o := range a.Orderers {
		orderers = append(orderers, a.ordererProcess(o))
	}
	steps := []func(context.Context) (int, error){
		func(ctx context.Context) (int, error) { return stopAll(ctx, peers) },
		a.stopChaincodes,
		func(ctx context.Context) (int, error) { return stopAll(ctx, orderers) },
		func(ctx context.Context) (int, error) { return stopAll(ctx, []*process{a.caProcess()}) },
	}
	total := 0
	for _, step := range steps {
		stopped, err := step(ctx)
		total += stopped
		if err != nil {
			return total, fmt.Errorf("stop %s: %w", a.Org.Name, err)
		}
	}
	return total, nil
}

// startAll starts the given processes at once and waits until each is
// healthy. It reports how many it actually started.
func startAll(ctx context.Context, procs []*process) (int, error) {
	return forEach(procs, func(p *process) (int, error) {
		_, started, err := p.Start(ctx)
		if started {
			return 1, err
		}
		return 0, err
	})
}

// stopAll stops the given processes at once and reports how many it
// stopped.
func stopAll(ctx context.Context, procs []*process) (int, error) {
	return forEach(procs, func(p *process) (int, error) {
		if p.PID() == 0 {
			return 0, nil
		}
		if err := p.Stop(ctx, 10*time.Second); err != nil {
			return 0, err
		}
		return 1, nil
	})
}

// isMember reports whether org is a member of ch.
func isMember(ch *Channel, org *Organization) bool { return slices.Contains(ch.Members, org.Name) }

// stopChaincodes waits for the chaincode processes the agency's peers
// launched to end, as they do when their peer is gone, and stops any that
// linger. They are found by their program, which the external builder
// placed in a peer's data folder.
func (a *Agency) stopChaincodes(ctx context.Context) (int, error) {
	var pids []int
	for _, p := range a.Peers {
		pids = append(pids, programsUnder(a.peerDataDir(p))...)
	}
	for _, pid := range pids {
		_ = syscall.Kill(pid, syscall.SIGTERM)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		var left []int
		for _, pid := range pids {
			if alive(pid) {
				left = append(left, pid)
			}
		}
		if len(left) == 0 {
			return len(pids), nil
		}
		if time.Now().After(deadline) {
			for _, pid := range left {
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
			deadline = time.Now().Add(10 * time.Second)
		}
		select {
		case <-ctx.Done():
			return len(pids), fmt.Errorf("waiting for %d chaincode processes to end: %w", len(left), ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}
