package network

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
)

// Up brings the network from whatever state it is in to every node running,
// every channel joined by its members and every chaincode whose source exists
// committed at its current version. It is idempotent: a running network is
// left as it is, a stopped one is restarted with its ledgers, a half-created
// one is completed. Each phase reports one progress line with its time.
func (n *Network) Up(ctx context.Context) error {
	if err := n.checkBinaries(); err != nil {
		return err
	}
	if err := os.MkdirAll(n.opts.StateDir, 0o755); err != nil {
		return fmt.Errorf("create state folder: %w", err)
	}
	if err := n.saveOptions(); err != nil {
		return err
	}
	total := time.Now()
	phases := []struct {
		name string
		run  func(context.Context) (string, error)
	}{
		{"certificates", n.upCertificates},
		{"configuration", n.upConfiguration},
		{"orderers", n.upOrderers},
		{"peers", n.upPeers},
		{"chaincode", n.upChaincode},
		{"check", n.upCheck},
	}
	for _, phase := range phases {
		start := time.Now()
		summary, err := phase.run(ctx)
		if err != nil {
			return fmt.Errorf("network up, phase %s: %w\n(fix the cause and run up again: it resumes where it stopped; `make network-clean` starts afresh)", phase.name, err)
		}
		n.logf("  %-13s %6.1fs  %s", phase.name, time.Since(start).Seconds(), summary)
	}
	n.logf("  %-13s %6.1fs  state in %s", "ready", time.Since(total).Seconds(), n.opts.StateDir)
	return nil
}

func (n *Network) checkBinaries() error {
	var missing []string
	for _, b := range []string{"peer", "orderer", "configtxgen", "osnadmin", "fabric-ca-server", "fabric-ca-client"} {
		if !fileExists(n.bin(b)) {
			missing = append(missing, b)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("Fabric programs missing from %s: %s (build them with `make fabric-bins`)", n.bin(""), strings.Join(missing, ", "))
	}
	return nil
}

func (n *Network) upCertificates(ctx context.Context) (string, error) {
	if err := n.setUpOrganizations(ctx); err != nil {
		return "", err
	}
	users := 0
	for _, org := range n.Spec.Organizations {
		users += len(org.Users())
	}
	return fmt.Sprintf("%d CAs running, %d nodes and %d users enrolled", len(n.CAs), len(n.Orderers)+len(n.Peers), users), nil
}

func (n *Network) upConfiguration(ctx context.Context) (string, error) {
	if err := n.buildChaincodeBuilder(ctx); err != nil {
		return "", err
	}
	if err := n.writeNodeConfig(); err != nil {
		return "", err
	}
	if err := n.writeConfigtx(); err != nil {
		return "", err
	}
	if err := n.makeGenesisBlocks(ctx); err != nil {
		return "", err
	}
	if err := n.writeClientProfiles(); err != nil {
		return "", err
	}
	return fmt.Sprintf("node configs, %d genesis blocks, client profiles", len(n.Spec.Channels)), nil
}

func (n *Network) upOrderers(ctx context.Context) (string, error) {
	var procs []*process
	for _, o := range n.Orderers {
		procs = append(procs, n.ordererProcess(o))
	}
	started, err := startAll(ctx, procs)
	if err != nil {
		return "", err
	}
	joined, err := n.joinOrderers(ctx)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%d started, %d already running, %d channel joins", started, len(procs)-started, joined), nil
}

func (n *Network) upPeers(ctx context.Context) (string, error) {
	var procs []*process
	for _, p := range n.Peers {
		procs = append(procs, n.peerProcess(p))
	}
	started, err := startAll(ctx, procs)
	if err != nil {
		return "", err
	}
	joined, err := n.joinPeers(ctx)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%d started, %d already running, %d channel joins", started, len(procs)-started, joined), nil
}

func (n *Network) upChaincode(ctx context.Context) (string, error) {
	deployments, skipped, err := n.prepareDeployments(ctx)
	if err != nil {
		return "", err
	}
	installed, err := n.installPackages(ctx, deployments)
	if err != nil {
		return "", err
	}
	committed, err := forEach(deployments, func(d *deployment) (int, error) {
		done, err := n.deploy(ctx, d)
		if done {
			return 1, err
		}
		return 0, err
	})
	if err != nil {
		return "", err
	}
	summary := fmt.Sprintf("%d definitions, %d installs, %d commits", len(deployments), installed, committed)
	if len(skipped) > 0 {
		summary += fmt.Sprintf("; not written yet: %s", strings.Join(skipped, ", "))
	}
	return summary, nil
}

func (n *Network) upCheck(ctx context.Context) (string, error) {
	written, err := n.checkBaseline(ctx)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("baseline answers on every channel (%d first writes)", written), nil
}

// Down stops every node this network started, by the PID in its pidfile, and
// keeps all data: a later Up restarts the same nodes with their ledgers.
func (n *Network) Down(ctx context.Context) error {
	// Peers first, then the chaincode processes that end with their peers,
	// then orderers, then CAs: clients go before servers.
	var peers, orderers, cas []*process
	for _, p := range n.Peers {
		peers = append(peers, n.peerProcess(p))
	}
	for _, o := range n.Orderers {
		orderers = append(orderers, n.ordererProcess(o))
	}
	for _, ca := range n.CAs {
		cas = append(cas, n.caProcess(ca))
	}
	steps := []func(context.Context) (int, error){
		func(ctx context.Context) (int, error) { return stopAll(ctx, peers) },
		n.stopChaincodes,
		func(ctx context.Context) (int, error) { return stopAll(ctx, orderers) },
		func(ctx context.Context) (int, error) { return stopAll(ctx, cas) },
	}
	total := 0
	for _, step := range steps {
		stopped, err := step(ctx)
		total += stopped
		if err != nil {
			return fmt.Errorf("network down: %w", err)
		}
	}
	n.logf("  stopped %d processes; data kept in %s", total, n.opts.StateDir)
	return nil
}

// Clean stops the network and removes its state folder. It refuses a
// folder that holds no network (no network.json), so that a mistyped
// state folder is never deleted.
func (n *Network) Clean(ctx context.Context) error {
	entries, err := os.ReadDir(n.opts.StateDir)
	if errors.Is(err, os.ErrNotExist) {
		n.logf("  nothing to clean: %s does not exist", n.opts.StateDir)
		return nil
	}
	if err != nil {
		return fmt.Errorf("network clean: %w", err)
	}
	if len(entries) > 0 && !fileExists(n.path("network.json")) {
		return fmt.Errorf("network clean: %s holds no govshare network (no network.json); not deleting it", n.opts.StateDir)
	}
	if err := n.Down(ctx); err != nil {
		return err
	}
	if err := os.RemoveAll(n.opts.StateDir); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("remove %s: %w", n.opts.StateDir, err)
	}
	n.logf("  removed %s", n.opts.StateDir)
	return nil
}
