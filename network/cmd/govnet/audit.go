package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/govshare/govshare/network"
	"github.com/govshare/govshare/network/audit"
)

// errFinding makes the command exit with exitFinding: the audit found
// something wrong.
var errFinding = errors.New("the audit found something wrong")

// audit runs `govnet audit`: on one machine every channel from every node
// (and, with -world-state, every member peer's world state); as one agency
// (-dir) the channels it is a member of, from every node it knows.
func (g *globals) audit(ctx context.Context, state string, args []string) error {
	fs := flag.NewFlagSet("govnet audit", flag.ContinueOnError)
	fs.SetOutput(g.stderr)
	dir := fs.String("dir", "", "audit as this agency (its folder); default: the single-machine network in -state")
	role := fs.String("role", network.AdminRole, "with -dir: the agency's user who reads the blocks (a member of the channels)")
	channels := fs.String("channel", "", "comma-separated channels to audit (default: all the agency's, or all)")
	worldState := fs.Bool("world-state", false, "also compare the member peers' world state through ledger snapshots at a common block")
	block := fs.Int64("block", -1, "with -dir and -world-state: the block the agencies agreed to compare at (default: the newest of the agency's peers)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	var names []string
	if *channels != "" {
		names = strings.Split(*channels, ",")
	}
	var report *audit.Report
	if *dir == "" {
		if fs.NArg() > 0 || *block >= 0 {
			return usagef("audit: snapshot files and -block go with -dir")
		}
		n, err := network.New(g.spec, network.Options{StateDir: state, FabricDir: g.fabric, SourceDir: g.source})
		if err != nil {
			return err
		}
		if report, err = n.Audit(ctx, *worldState, names...); err != nil {
			return err
		}
	} else {
		a, err := network.OpenAgency(g.spec, *dir, g.fabric, g.source, g.stderr)
		if err != nil {
			return err
		}
		if report, err = a.Audit(ctx, *role, names...); err != nil {
			return err
		}
		if *worldState {
			if err := g.agencyState(ctx, a, report, names, *block, fs.Args()); err != nil {
				return err
			}
		} else if fs.NArg() > 0 {
			return usagef("audit: snapshot metadata files go with -world-state")
		}
	}
	if *asJSON {
		enc := json.NewEncoder(g.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(report); err != nil {
			return err
		}
	} else {
		report.Describe(g.stdout)
	}
	switch {
	case !report.Clean():
		return errFinding
	case len(report.Unread()) > 0:
		return errNotReady
	}
	return nil
}

// agencyState compares the world state of one channel as one agency can:
// its own peers write snapshots at the block the agencies agreed on, and
// the metadata files other agencies published (PEER=FILE arguments, each
// a _snapshot_signable_metadata.json) are compared with them.
func (g *globals) agencyState(ctx context.Context, a *network.Agency, report *audit.Report, names []string, block int64, files []string) error {
	if len(names) != 1 {
		return usagef("audit -dir -world-state: name one -channel")
	}
	channel := names[0]
	if block < 0 {
		return usagef("audit -dir -world-state: name the -block the agencies compare at")
	}
	snapshots := map[string]*audit.SnapshotMetadata{}
	for _, f := range files {
		peer, path, ok := strings.Cut(f, "=")
		if !ok {
			return usagef("audit: %q is not PEER=FILE", f)
		}
		m, err := audit.ReadSnapshotMetadata(filepath.Dir(path))
		if err != nil {
			return err
		}
		snapshots[peer] = m
	}
	for _, p := range a.Peers {
		dir, err := a.SnapshotAt(ctx, p, channel, uint64(block))
		if err != nil {
			return err
		}
		m, err := network.WaitSnapshot(ctx, dir, 2*time.Minute)
		if err != nil {
			return err
		}
		fmt.Fprintf(g.stderr, "%s: the snapshot's metadata to publish to the other agencies: %s\n", p.ID(), filepath.Join(dir, audit.SnapshotMetadataFile))
		snapshots[p.ID()] = m
	}
	c, err := audit.CompareSnapshots(channel, snapshots)
	if err != nil {
		return err
	}
	report.State = append(report.State, *c)
	report.Findings = append(report.Findings, c.Findings...)
	return nil
}

// repair runs `govnet repair`: one of the documented repairs of a peer an
// audit named, as the agency that runs it.
func (g *globals) repair(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("govnet repair", flag.ContinueOnError)
	fs.SetOutput(g.stderr)
	dir := fs.String("dir", "", "the agency's folder (required)")
	peer := fs.String("peer", "", "the agency's peer to repair (required)")
	rebuild := fs.Bool("rebuild-dbs", false, "its world state differs: drop its databases and rebuild them from its blocks")
	refetch := fs.String("refetch", "", "its blocks of this channel differ: remove its ledger of the channel and fetch it anew from the orderers")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	if *dir == "" || *peer == "" || fs.NArg() > 0 || *rebuild == (*refetch != "") {
		return usagef("repair: -dir, -peer and one of -rebuild-dbs or -refetch CHANNEL")
	}
	a, err := network.OpenAgency(g.spec, *dir, g.fabric, g.source, g.stderr)
	if err != nil {
		return err
	}
	p, err := a.PeerNamed(*peer)
	if err != nil {
		return err
	}
	if *rebuild {
		if err := a.RebuildPeerDatabases(ctx, p); err != nil {
			return err
		}
		fmt.Fprintf(g.stdout, "%s dropped its databases and rebuilds them from its blocks; audit again\n", p.ID())
		return nil
	}
	if err := a.RefetchChannel(ctx, p, *refetch); err != nil {
		return err
	}
	fmt.Fprintf(g.stdout, "%s joined %s again from the genesis block and fetches its blocks from the orderers; audit again\n", p.ID(), *refetch)
	return nil
}
