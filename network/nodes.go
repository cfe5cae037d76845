package network

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"syscall"
	"time"
)

func (n *Network) ordererProcess(o *Orderer) *process {
	return &process{
		Name:   o.ID(),
		Binary: n.bin("orderer"),
		Env:    []string{"FABRIC_CFG_PATH=" + n.nodeDir(o.ID())},
		Dir:    n.nodeDir(o.ID()),
		Ports: []namedPort{
			{"client and cluster", o.Address()},
			{"admin", o.AdminAddress()},
			{"operations", joinHostPort(o.Host, o.OperationsPort)},
		},
		HealthURL: "http://" + joinHostPort(o.Host, o.OperationsPort) + "/healthz",
	}
}

func (n *Network) peerProcess(p *Peer) *process {
	return &process{
		Name:   p.ID(),
		Binary: n.bin("peer"),
		Args:   []string{"node", "start"},
		Env:    []string{"FABRIC_CFG_PATH=" + n.nodeDir(p.ID())},
		Dir:    n.nodeDir(p.ID()),
		Ports: []namedPort{
			{"peer", p.Address()},
			{"chaincode", joinHostPort(p.Host, p.ChaincodePort)},
			{"operations", joinHostPort(p.Host, p.OperationsPort)},
		},
		HealthURL: "http://" + joinHostPort(p.Host, p.OperationsPort) + "/healthz",
	}
}

// processes returns every node process, CAs first, in start order.
func (n *Network) processes() []*process {
	var out []*process
	for _, ca := range n.CAs {
		out = append(out, n.caProcess(ca))
	}
	for _, o := range n.Orderers {
		out = append(out, n.ordererProcess(o))
	}
	for _, p := range n.Peers {
		out = append(out, n.peerProcess(p))
	}
	return out
}

// writeNodeConfig renders every orderer's orderer.yaml and every peer's
// core.yaml. Node configuration is rendered on every up, so a change to the
// templates reaches the nodes at their next start.
func (n *Network) writeNodeConfig() error {
	for _, o := range n.Orderers {
		data := map[string]any{"Orderer": o, "MSPDir": o.mspDir(n), "TLS": o.tls(n), "DataDir": filepath.Join(n.nodeDir(o.ID()), "data")}
		if err := n.renderOverrides("orderer-overrides.yaml.tmpl", "orderer.yaml", filepath.Join(n.nodeDir(o.ID()), "orderer.yaml"), data); err != nil {
			return fmt.Errorf("%s: %w", o.ID(), err)
		}
	}
	for _, p := range n.Peers {
		data := map[string]any{"Peer": p, "MSPDir": p.mspDir(n), "TLS": p.tls(n), "DataDir": n.peerDataDir(p), "BuilderDir": n.builderDir()}
		if err := n.renderOverrides("core-overrides.yaml.tmpl", "core.yaml", filepath.Join(n.nodeDir(p.ID()), "core.yaml"), data); err != nil {
			return fmt.Errorf("%s: %w", p.ID(), err)
		}
	}
	return nil
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
// stopped. Down calls it once per kind of node: peers, orderers, then CAs.
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

// ordererOrgs returns the organisations that run orderers.
func (n *Network) ordererOrgs() []*Organization {
	var out []*Organization
	for _, org := range n.Spec.Organizations {
		if len(org.Orderers) > 0 {
			out = append(out, org)
		}
	}
	return out
}

// isMember reports whether org is a member of ch.
func isMember(ch *Channel, org *Organization) bool { return slices.Contains(ch.Members, org.Name) }

// stopChaincodes waits for the chaincode processes the peers launched to
// end, as they do when their peer is gone, and stops any that linger. They
// are found by their program, which the external builder placed in a
// peer's data folder.
func (n *Network) stopChaincodes(ctx context.Context) (int, error) {
	var pids []int
	for _, p := range n.Peers {
		pids = append(pids, programsUnder(n.peerDataDir(p))...)
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
