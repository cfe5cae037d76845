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
	// A peer that has just exited may hold its databases' locks for a
	// moment after its process is gone from /proc.
	return retry(ctx, 15*time.Second, func() error {
		cmd := exec.CommandContext(ctx, a.bin("peer"), append([]string{"node"}, args...)...)
		cmd.Env = append(cmd.Environ(), "FABRIC_CFG_PATH="+a.nodeDir(p.ID()), "FABRIC_LOGGING_SPEC=warning")
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("peer node %s on %s: %w: %s", strings.Join(args, " "), p.ID(), err, lastLines(string(out), 4))
		}
		return nil
	})
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
// anew from the orderers. It returns once the peer has caught up with the
// orderers' newest block, and restarts it with its usual configuration.
//
// Private data that only this peer held (its organisation's implicit
// collection, where its lifecycle approvals are, when the agency runs one
// peer) cannot be fetched again from another peer: Fabric waits
// pullRetryThreshold (60 s by default) for each block that has some, then
// commits it with the data recorded as missing. For the catch-up the peer
// runs with a threshold of one second, so that a chain of many such blocks
// is fetched in minutes, not hours; the hashes of that data stay in its
// ledger, as in every member's.
func (a *Agency) RefetchChannel(ctx context.Context, p *Peer, channel string) error {
	if err := a.peerProcess(p).Stop(ctx, 10*time.Second); err != nil {
		return fmt.Errorf("stop %s: %w", p.ID(), err)
	}
	if err := a.peerNode(ctx, p, "unjoin", "-c", channel); err != nil {
		return err
	}
	catchUp := a.peerProcess(p)
	catchUp.Env = append(catchUp.Env, "CORE_PEER_GOSSIP_PVTDATA_PULLRETRYTHRESHOLD=1s")
	if _, _, err := catchUp.Start(ctx); err != nil {
		return fmt.Errorf("start %s again: %w", p.ID(), err)
	}
	if err := a.JoinPeer(ctx, p, channel); err != nil {
		return err
	}
	newest, err := a.newestBlock(ctx, channel)
	if err != nil {
		return err
	}
	err = retry(ctx, 10*time.Minute, func() error {
		h, err := a.peerHeight(ctx, p, channel)
		if err == nil && h <= newest {
			err = fmt.Errorf("%s has %d blocks of %s, the orderers %d", p.ID(), h, channel, newest+1)
		}
		return err
	})
	if err != nil {
		return err
	}
	if err := catchUp.Stop(ctx, 10*time.Second); err != nil {
		return fmt.Errorf("stop %s after its catch-up: %w", p.ID(), err)
	}
	if _, err := a.StartPeers(ctx); err != nil {
		return fmt.Errorf("start %s again: %w", p.ID(), err)
	}
	return nil
}

// newestBlock returns the number of a channel's newest block, as the
// orderers have it.
func (a *Agency) newestBlock(ctx context.Context, channel string) (uint64, error) {
	signer, err := a.reader(channel)
	if err != nil {
		return 0, err
	}
	var newest uint64
	err = a.onOrderers(func(conn grpcConn, _ ordererEndpoint) error {
		b, err := deliverBlock(ctx, conn, channel, newestBlock, signer)
		if err == nil {
			newest = b.GetHeader().GetNumber()
		}
		return err
	})
	return newest, err
}

// PeerLedgerDir returns the folder of one of the agency's peers' ledger
// (ledgersData: block files under chains/, the state database under
// stateLeveldb/), for an operator's inspection and the audit's tests.
func (a *Agency) PeerLedgerDir(p *Peer) string {
	return joinPath(a.peerDataDir(p), "ledger", "ledgersData")
}
