package network

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// A peer can join a channel from a snapshot of another peer's ledger
// instead of replaying the chain from the genesis block: Fabric writes the
// channel's public state, the hashes of its private data and the IDs of
// its transactions as they stand at one block, and the new peer starts
// there. The snapshot comes from one of the agency's own peers, so the
// agency trusts what its new peer starts from as much as its own ledger.

// snapshotsDir is where a peer writes its snapshots (core.yaml's
// ledger.snapshots.rootDir).
func (a *Agency) snapshotsDir(p *Peer) string { return filepath.Join(a.peerDataDir(p), "snapshots") }

// Snapshot asks one of the agency's peers for a snapshot of a channel at
// its last committed block, waits until it is written, and returns its
// folder.
func (a *Agency) Snapshot(ctx context.Context, p *Peer, channel string) (string, error) {
	completed := filepath.Join(a.snapshotsDir(p), "completed", channel)
	before, _ := os.ReadDir(completed)
	if _, err := a.peerCLI(ctx, p, "snapshot", "submitrequest", "-c", channel, "-b", "0",
		"--peerAddress", p.Address(), "--tlsRootCertFile", a.peerTLS(p).CA); err != nil {
		return "", fmt.Errorf("snapshot of %s on %s: %w", channel, p.ID(), err)
	}
	var dir string
	err := retry(ctx, 2*time.Minute, func() error {
		entries, err := os.ReadDir(completed)
		if err != nil {
			return fmt.Errorf("no snapshot of %s yet: %w", channel, err)
		}
		for _, e := range entries {
			if !slices.ContainsFunc(before, func(b os.DirEntry) bool { return b.Name() == e.Name() }) {
				if fileExists(filepath.Join(completed, e.Name(), "_snapshot_signable_metadata.json")) {
					dir = filepath.Join(completed, e.Name())
					return nil
				}
			}
		}
		return fmt.Errorf("the snapshot of %s on %s is not written yet", channel, p.ID())
	})
	return dir, err
}

// SnapshotHeight reads the block number a snapshot folder was taken at.
func SnapshotHeight(dir string) (uint64, error) {
	n, err := strconv.ParseUint(filepath.Base(dir), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("snapshot folder %s is not named by its block number", dir)
	}
	return n, nil
}

// JoinFromSnapshot joins one of the agency's peers to a channel from a
// fresh snapshot that another of its peers (from, which has joined the
// channel) takes, instead of from the genesis block. It returns the block
// number the peer starts from.
func (a *Agency) JoinFromSnapshot(ctx context.Context, p *Peer, channel string, from *Peer) (uint64, error) {
	if p == from {
		return 0, fmt.Errorf("%s cannot join from its own snapshot", p.ID())
	}
	joined, err := a.PeerChannels(ctx, p)
	if err != nil {
		return 0, err
	}
	if slices.Contains(joined, channel) {
		return 0, fmt.Errorf("%s has joined %s already", p.ID(), channel)
	}
	dir, err := a.Snapshot(ctx, from, channel)
	if err != nil {
		return 0, err
	}
	height, err := SnapshotHeight(dir)
	if err != nil {
		return 0, err
	}
	err = retry(ctx, time.Minute, func() error {
		_, err := a.peerCLI(ctx, p, "channel", "joinbysnapshot", "--snapshotpath", dir)
		if err != nil && strings.Contains(err.Error(), "already exists") {
			return nil
		}
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("join %s to %s from the snapshot at block %d: %w", p.ID(), channel, height, err)
	}
	return height, nil
}

// PeerNamed returns one of the agency's peers by name.
func (a *Agency) PeerNamed(name string) (*Peer, error) {
	for _, p := range a.Peers {
		if p.Name == name {
			return p, nil
		}
	}
	return nil, fmt.Errorf("%s runs no peer %q", a.Org.Name, name)
}

// StopNode stops one of the agency's nodes by name, by the PID in its
// pidfile, keeping its data: an orderer retired from the consenters, or a
// peer taken down for maintenance.
func (a *Agency) StopNode(ctx context.Context, name string) error {
	for _, o := range a.Orderers {
		if o.Name == name {
			return a.ordererProcess(o).Stop(ctx, 10*time.Second)
		}
	}
	for _, p := range a.Peers {
		if p.Name == name {
			return a.peerProcess(p).Stop(ctx, 10*time.Second)
		}
	}
	return fmt.Errorf("%s runs no node %q", a.Org.Name, name)
}
