package network

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	gwidentity "github.com/hyperledger/fabric-gateway/pkg/identity"

	"github.com/govshare/govshare/network/audit"
)

// An agency audits the channels it is a member of with package audit: it
// reads every block from every peer of the channel's members it knows of
// (its own, and those of the definitions it accepted) and from every
// orderer, as its administrator, and checks them. It compares world state
// through ledger snapshots its own peers write; on one machine the network
// has every member peer write one at the same block.

// AuditChannels lists the channels the agency may audit (those it is a
// member of; all of them when names is empty) with the nodes that hold
// them.
func (a *Agency) AuditChannels(names ...string) ([]audit.Channel, error) {
	var out []audit.Channel
	for _, ch := range a.Spec.Channels {
		if len(names) > 0 && !slices.Contains(names, ch.Name) {
			continue
		}
		if !isMember(ch, a.Org) {
			if len(names) > 0 {
				return nil, fmt.Errorf("%s is not a member of %s and may not read its blocks from the peers", a.Org.Name, ch.Name)
			}
			continue
		}
		c := audit.Channel{Name: ch.Name}
		for _, m := range ch.Members {
			org, err := a.Spec.Organization(m)
			if err != nil {
				return nil, err
			}
			sources, err := a.peerSources(org)
			if err != nil {
				return nil, err
			}
			c.Sources = append(c.Sources, sources...)
		}
		for _, e := range a.ordererEndpoints() {
			root, err := os.ReadFile(e.TLSRoot)
			if err != nil {
				return nil, fmt.Errorf("TLS root of %s: %w", e.Name, err)
			}
			c.Sources = append(c.Sources, audit.Source{Name: e.Name, Address: e.Address, TLSRoot: root})
		}
		out = append(out, c)
	}
	for _, n := range names {
		if _, err := a.Spec.Channel(n); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// peerSources lists an organisation's peers as the agency knows them: its
// own, or those of the organisation's accepted definition.
func (a *Agency) peerSources(org *Organization) ([]audit.Source, error) {
	if org == a.Org {
		root, err := os.ReadFile(a.tlsCACertFile())
		if err != nil {
			return nil, fmt.Errorf("read the agency's TLS root: %w", err)
		}
		var out []audit.Source
		for _, p := range a.Peers {
			out = append(out, audit.Source{Name: p.ID(), Address: p.Address(), Peer: true, TLSRoot: root})
		}
		return out, nil
	}
	d, err := a.known(org.Name)
	if err != nil {
		return nil, nil // not accepted yet: its peers are not known here
	}
	root, err := os.ReadFile(a.tlsRootOf(org))
	if err != nil {
		return nil, fmt.Errorf("read the TLS root of %s: %w", org.Name, err)
	}
	var out []audit.Source
	for _, p := range d.Peers {
		out = append(out, audit.Source{Name: p.Host, Address: p.Address, Peer: true, TLSRoot: root})
	}
	return out, nil
}

// AuditReader is the identity the agency reads blocks with: its user of
// role (an administrator, or an auditor's own role), a member of the
// channels it audits.
func (a *Agency) AuditReader(role string) (audit.Reader, error) {
	dir := a.UserMSPDir(role)
	cert, err := os.ReadFile(filepath.Join(dir, "signcerts", "cert.pem"))
	if err != nil {
		return audit.Reader{}, fmt.Errorf("%s has no user %q: %w", a.Org.Name, role, err)
	}
	keyPEM, err := os.ReadFile(filepath.Join(dir, "keystore", "key.pem"))
	if err != nil {
		return audit.Reader{}, fmt.Errorf("read the key of %s's %s: %w", a.Org.Name, role, err)
	}
	key, err := gwidentity.PrivateKeyFromPEM(keyPEM)
	if err != nil {
		return audit.Reader{}, fmt.Errorf("the key of %s's %s: %w", a.Org.Name, role, err)
	}
	sign, err := gwidentity.NewPrivateKeySign(key)
	if err != nil {
		return audit.Reader{}, fmt.Errorf("the key of %s's %s: %w", a.Org.Name, role, err)
	}
	return audit.Reader{MSPID: a.Org.MSPID, Certificate: cert, Sign: sign}, nil
}

// Audit audits the channels (all the agency's when none is named) from
// every node the agency knows, reading as its user of role.
func (a *Agency) Audit(ctx context.Context, role string, channels ...string) (*audit.Report, error) {
	chs, err := a.AuditChannels(channels...)
	if err != nil {
		return nil, err
	}
	reader, err := a.AuditReader(role)
	if err != nil {
		return nil, err
	}
	return audit.Run(ctx, chs, reader)
}

// peerHeight returns how many blocks of channel one of the agency's peers
// has committed.
func (a *Agency) peerHeight(ctx context.Context, p *Peer, channel string) (uint64, error) {
	out, err := a.peerCLI(ctx, p, "channel", "getinfo", "-c", channel)
	if err != nil {
		return 0, err
	}
	var info struct {
		Height uint64 `json:"height"`
	}
	if err := json.Unmarshal(jsonPart(out), &info); err != nil {
		return 0, fmt.Errorf("read the height of %s on %s: %w", channel, p.ID(), err)
	}
	return info.Height, nil
}

// SnapshotAt asks one of the agency's peers for a snapshot of channel at
// block (now, if the peer has committed it; else when it does). It
// returns the folder the snapshot will be written to; [WaitSnapshot]
// waits for it.
func (a *Agency) SnapshotAt(ctx context.Context, p *Peer, channel string, block uint64) (string, error) {
	dir := filepath.Join(a.snapshotsDir(p), "completed", channel, strconv.FormatUint(block, 10))
	if fileExists(dir) {
		return "", fmt.Errorf("%s has a snapshot of %s at block %d already (%s): remove it, or audit after the next block", p.ID(), channel, block, dir)
	}
	if _, err := a.peerCLI(ctx, p, "snapshot", "submitrequest", "-c", channel, "-b", strconv.FormatUint(block, 10),
		"--peerAddress", p.Address(), "--tlsRootCertFile", a.peerTLS(p).CA); err != nil {
		return "", fmt.Errorf("snapshot of %s at block %d on %s: %w", channel, block, p.ID(), err)
	}
	return dir, nil
}

// WaitSnapshot waits until a snapshot folder holds its metadata, and
// reads it.
func WaitSnapshot(ctx context.Context, dir string, limit time.Duration) (*audit.SnapshotMetadata, error) {
	var m *audit.SnapshotMetadata
	err := retry(ctx, limit, func() error {
		var err error
		m, err = audit.ReadSnapshotMetadata(dir)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("the snapshot %s is not written: %w", dir, err)
	}
	return m, nil
}

// CompareState has every running member peer of channel write a ledger
// snapshot at the same block (the newest block any of them has committed),
// compares the hashes of their public state, private data hashes and
// transaction IDs, and removes the snapshots. The peers must be running.
func (n *Network) CompareState(ctx context.Context, channel string) (*audit.StateComparison, error) {
	ch, err := n.Spec.Channel(channel)
	if err != nil {
		return nil, err
	}
	type member struct {
		a *Agency
		p *Peer
	}
	var peers []member
	for _, m := range ch.Members {
		org, _ := n.Spec.Organization(m) // Validate has checked every member
		a := n.AgencyOf(org)
		for _, p := range a.Peers {
			peers = append(peers, member{a, p})
		}
	}
	for attempt := 0; ; attempt++ {
		var block uint64
		for _, m := range peers {
			h, err := m.a.peerHeight(ctx, m.p, channel)
			if err != nil {
				return nil, err
			}
			block = max(block, h-1)
		}
		dirs := map[string]string{}
		var failed error
		for _, m := range peers {
			dir, err := m.a.SnapshotAt(ctx, m.p, channel, block)
			if err != nil {
				failed = err
				break
			}
			dirs[m.p.ID()] = dir
		}
		if failed != nil {
			// A block came between reading the heights and asking: ask
			// again at the new height; cancel the requests made.
			for _, m := range peers {
				if _, ok := dirs[m.p.ID()]; ok {
					_, _ = m.a.peerCLI(ctx, m.p, "snapshot", "cancelrequest", "-c", channel, "-b", strconv.FormatUint(block, 10),
						"--peerAddress", m.p.Address(), "--tlsRootCertFile", m.a.peerTLS(m.p).CA)
				}
			}
			if attempt < 3 && strings.Contains(failed.Error(), "cannot be less than") {
				continue
			}
			return nil, failed
		}
		snapshots := map[string]*audit.SnapshotMetadata{}
		var errs []error
		for id, dir := range dirs {
			m, err := WaitSnapshot(ctx, dir, 2*time.Minute)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			snapshots[id] = m
		}
		for _, dir := range dirs {
			_ = os.RemoveAll(dir) // made for this comparison only
		}
		if err := errors.Join(errs...); err != nil {
			return nil, err
		}
		return audit.CompareSnapshots(channel, snapshots)
	}
}

// Audit audits every channel from every node, as the first member of each
// channel (its administrator), and, with state, compares the member peers'
// world state of each channel at a common block.
func (n *Network) Audit(ctx context.Context, state bool, channels ...string) (*audit.Report, error) {
	report := &audit.Report{Findings: []audit.Finding{}}
	for _, ch := range n.Spec.Channels {
		if len(channels) > 0 && !slices.Contains(channels, ch.Name) {
			continue
		}
		r, err := n.agencyOfMember(ch).Audit(ctx, AdminRole, ch.Name)
		if err != nil {
			return nil, err
		}
		report.Channels = append(report.Channels, r.Channels...)
		report.Findings = append(report.Findings, r.Findings...)
		if state {
			c, err := n.CompareState(ctx, ch.Name)
			if err != nil {
				return nil, fmt.Errorf("compare the world state of %s: %w", ch.Name, err)
			}
			report.State = append(report.State, *c)
			report.Findings = append(report.Findings, c.Findings...)
		}
	}
	return report, nil
}
