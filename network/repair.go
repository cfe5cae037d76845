package network

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

// The repairs of a peer whose ledger an audit found changed. Both run on
// the stopped peer with its own configuration, as its operator would run
// them by hand (docs/operations.md, "Auditing the ledgers"), and start it
// again:
//
//   - a changed world state (the block files are intact): `peer node
//     rebuild-dbs` drops the state, history and index databases, and the
//     peer rebuilds them from its blocks when it starts;
//   - changed block files of a channel: `peer node unjoin` removes the
//     peer's ledger of that channel, and the peer joins again from the
//     genesis block, fetching every block anew from the orderers and
//     validating it as it commits.

// peerNode runs a local `peer node` command on the files of one of the
// agency's peers, which must be stopped.
func (a *Agency) peerNode(ctx context.Context, p *Peer, args ...string) error {
	if pid := a.PeerProcessID(p); pid != 0 {
		return fmt.Errorf("%s is running (PID %d): stop it first", p.ID(), pid)
	}
	cmd := exec.CommandContext(ctx, a.bin("peer"), append([]string{"node"}, args...)...)
	cmd.Env = append(cmd.Environ(), "FABRIC_CFG_PATH="+a.nodeDir(p.ID()), "FABRIC_LOGGING_SPEC=warning")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("peer node %s on %s: %w: %s", strings.Join(args, " "), p.ID(), err, lastLines(string(out), 4))
	}
	return nil
}

// RebuildPeerDatabases stops one of the agency's peers, drops its
// databases with `peer node rebuild-dbs`, and starts it again: it rebuilds
// the world state of every channel from its block files.
func (a *Agency) RebuildPeerDatabases(ctx context.Context, p *Peer) error {
	if err := a.peerProcess(p).Stop(ctx, 10*time.Second); err != nil {
		return fmt.Errorf("stop %s: %w", p.ID(), err)
	}
	if err := a.peerNode(ctx, p, "rebuild-dbs"); err != nil {
		return err
	}
	if _, err := a.StartPeers(ctx); err != nil {
		return fmt.Errorf("start %s again: %w", p.ID(), err)
	}
	return nil
}

// RefetchChannel stops one of the agency's peers, removes its ledger of
// channel with `peer node unjoin`, starts it again and joins it to the
// channel from the genesis block: it fetches and validates every block
// anew from the orderers.
func (a *Agency) RefetchChannel(ctx context.Context, p *Peer, channel string) error {
	if err := a.peerProcess(p).Stop(ctx, 10*time.Second); err != nil {
		return fmt.Errorf("stop %s: %w", p.ID(), err)
	}
	if err := a.peerNode(ctx, p, "unjoin", "-c", channel); err != nil {
		return err
	}
	if _, err := a.StartPeers(ctx); err != nil {
		return fmt.Errorf("start %s again: %w", p.ID(), err)
	}
	return a.JoinPeer(ctx, p, channel)
}

// PeerLedgerDir returns the folder of one of the agency's peers' ledger
// (ledgersData: block files under chains/, the state database under
// stateLeveldb/), for an operator's inspection and the audit's tests.
func (a *Agency) PeerLedgerDir(p *Peer) string {
	return joinPath(a.peerDataDir(p), "ledger", "ledgersData")
}
