package network

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// fabricPrograms are the Fabric programs an agency runs.
var fabricPrograms = []string{"peer", "orderer", "configtxgen", "osnadmin", "fabric-ca-server", "fabric-ca-client"}

// Init sets the agency up on its host, or completes a set-up that was
// interrupted: it starts the agency's Fabric CA server, enrolls every node
// and user identity the organisation declares (keys made here, never
// leaving the folder), builds the external chaincode builder, renders the
// nodes' configuration, writes the client profile and writes the
// organisation's public definition (DefinitionFile), which the operator
// sends to the other agencies. Init is idempotent.
func (a *Agency) Init(ctx context.Context) (*Definition, error) {
	if err := checkBinaries(a.opts.FabricDir, fabricPrograms...); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(a.opts.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("create agency folder: %w", err)
	}
	if err := a.saveAgencyFile(); err != nil {
		return nil, err
	}
	a.logf("starting the CA server at %s and enrolling the organisation's identities", a.CA.Address())
	if err := a.setUpIdentities(ctx); err != nil {
		return nil, fmt.Errorf("set up %s: %w", a.Org.Name, err)
	}
	a.logf("building the external chaincode builder")
	if err := a.buildChaincodeBuilder(ctx); err != nil {
		return nil, fmt.Errorf("set up %s: %w", a.Org.Name, err)
	}
	if err := a.writeNodeConfig(); err != nil {
		return nil, fmt.Errorf("set up %s: %w", a.Org.Name, err)
	}
	if err := a.writeClientProfile(); err != nil {
		return nil, fmt.Errorf("set up %s: %w", a.Org.Name, err)
	}
	return a.writeDefinition()
}

// Deploy installs the agency's chaincode packages on its peers and approves
// their definitions as its administrator: the agency's part of the
// chaincode lifecycle. It reports how many installs and approvals it made.
func (a *Agency) Deploy(ctx context.Context) (installed, approved int, err error) {
	if installed, err = a.InstallChaincode(ctx); err != nil {
		return installed, 0, err
	}
	approved, err = a.ApproveChaincode(ctx)
	return installed, approved, err
}

// Up brings the single-machine network from whatever state it is in to
// every node running, every channel joined by its members and every
// chaincode committed at its current version, through the same steps the
// agencies take on their own hosts: each sets itself up and publishes its
// definition; each accepts the others'; one (the first orderer operator)
// makes the genesis blocks, which each checks before its orderers and peers
// join; one packages the chaincode, each installs and approves it, and each
// channel's first member commits it. Files pass between agencies' folders
// only as an operator would send them. Up is idempotent: a running network
// is left as it is, a stopped one is restarted with its ledgers, a
// half-created one is completed. Each phase reports one line with its time.
func (n *Network) Up(ctx context.Context) error {
	if err := checkBinaries(n.opts.FabricDir, fabricPrograms...); err != nil {
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
		{"organisations", n.upOrganizations},
		{"definitions", n.upDefinitions},
		{"channels", n.upChannels},
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

func (n *Network) upOrganizations(ctx context.Context) (string, error) {
	if _, err := forEach(n.Agencies, func(a *Agency) (int, error) {
		_, err := a.Init(ctx)
		return 0, err
	}); err != nil {
		return "", err
	}
	users := 0
	for _, org := range n.Spec.Organizations {
		users += len(org.Users())
	}
	return fmt.Sprintf("%d agencies: CAs running, %d nodes and %d users enrolled, definitions written", len(n.Agencies), len(n.Orderers)+len(n.Peers), users), nil
}

// upDefinitions gives every agency every other agency's definition, as
// their operators would send them to each other.
func (n *Network) upDefinitions(ctx context.Context) (string, error) {
	accepted := 0
	for _, from := range n.Agencies {
		d, err := LoadDefinition(from.DefinitionFile())
		if err != nil {
			return "", err
		}
		for _, to := range n.Agencies {
			if to == from {
				continue
			}
			if err := to.Accept(d, false); err != nil {
				return "", fmt.Errorf("%s accepting %s: %w", to.Org.Name, from.Org.Name, err)
			}
			accepted++
		}
	}
	return fmt.Sprintf("%d definitions accepted", accepted), nil
}

// convener is the agency that makes the genesis blocks and packages the
// chaincode: the first that runs orderers.
func (n *Network) convener() *Agency {
	for _, a := range n.Agencies {
		if len(a.Orderers) > 0 {
			return a
		}
	}
	return n.Agencies[0]
}

func (n *Network) upChannels(ctx context.Context) (string, error) {
	convener := n.convener()
	blocks, err := convener.MakeGenesis(ctx)
	if err != nil {
		return "", fmt.Errorf("%s making the genesis blocks: %w", convener.Org.Name, err)
	}
	if _, err := forEach(n.Agencies, func(a *Agency) (int, error) {
		if a == convener {
			return 0, nil
		}
		for _, block := range blocks {
			if _, err := a.ImportGenesis(ctx, block); err != nil {
				return 0, fmt.Errorf("%s: %w", a.Org.Name, err)
			}
		}
		return 0, nil
	}); err != nil {
		return "", err
	}
	return fmt.Sprintf("%d genesis blocks made by %s, checked by %d agencies", len(blocks), convener.Org.Name, len(n.Agencies)-1), nil
}

func (n *Network) upOrderers(ctx context.Context) (string, error) {
	started, err := forEach(n.Agencies, func(a *Agency) (int, error) {
		if err := a.writeNodeConfig(); err != nil {
			return 0, err
		}
		return a.StartOrderers(ctx)
	})
	if err != nil {
		return "", err
	}
	joined, err := forEach(n.Agencies, func(a *Agency) (int, error) { return a.joinOrderers(ctx) })
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%d started, %d already running, %d channel joins", started, len(n.Orderers)-started, joined), nil
}

func (n *Network) upPeers(ctx context.Context) (string, error) {
	started, err := forEach(n.Agencies, func(a *Agency) (int, error) { return a.StartPeers(ctx) })
	if err != nil {
		return "", err
	}
	joined, err := forEach(n.Agencies, func(a *Agency) (int, error) { return a.joinPeers(ctx) })
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%d started, %d already running, %d channel joins", started, len(n.Peers)-started, joined), nil
}

func (n *Network) upChaincode(ctx context.Context) (string, error) {
	convener := n.convener()
	packages, err := convener.PackageChaincode(ctx)
	if err != nil {
		return "", err
	}
	if _, err := forEach(n.Agencies, func(a *Agency) (int, error) {
		if a == convener {
			return 0, nil
		}
		for _, pkg := range packages {
			if _, err := a.ImportPackage(pkg); err != nil && !strings.Contains(err.Error(), "runs on none of") {
				return 0, err
			}
		}
		return 0, nil
	}); err != nil {
		return "", err
	}
	approvals := make([]int, len(n.Agencies))
	installed, err := forEach(n.Agencies, func(a *Agency) (int, error) {
		installed, approved, err := a.Deploy(ctx)
		approvals[indexOf(n.Agencies, a)] = approved
		return installed, err
	})
	if err != nil {
		return "", err
	}
	approved := 0
	for _, count := range approvals {
		approved += count
	}
	committed, err := forEach(n.Spec.Channels, func(ch *Channel) (int, error) {
		a := n.agencyOfMember(ch)
		count := 0
		for _, cc := range ch.Chaincodes {
			done, err := a.CommitChaincode(ctx, ch.Name, cc.Name)
			if err != nil {
				return count, err
			}
			if done {
				count++
			}
		}
		return count, nil
	})
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%d packages by %s, %d installs, %d approvals, %d commits", len(packages), convener.Org.Name, installed, approved, committed), nil
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
	total, err := forEach(n.Agencies, func(a *Agency) (int, error) { return a.Stop(ctx) })
	if err != nil {
		return fmt.Errorf("network down: %w", err)
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
	if len(entries) > 0 && !fileExists(filepath.Join(n.opts.StateDir, "network.json")) {
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

// Committed returns the definition of a chaincode committed on a channel,
// as the channel's first member knows it, or nil if there is none.
func (n *Network) Committed(ctx context.Context, ch *Channel, name string) (*CommittedChaincode, error) {
	return n.agencyOfMember(ch).Committed(ctx, ch, name)
}

// OrdererChannels lists the channels an orderer has joined.
func (n *Network) OrdererChannels(ctx context.Context, o *Orderer) ([]string, error) {
	return n.AgencyOf(o.Org).OrdererChannels(ctx, o)
}

// PeerChannels lists the channels a peer has joined.
func (n *Network) PeerChannels(ctx context.Context, p *Peer) ([]string, error) {
	return n.AgencyOf(p.Org).PeerChannels(ctx, p)
}

// JoinPeer asks a peer to join a channel from the genesis block its agency
// holds, as the peer's organisation administrator.
func (n *Network) JoinPeer(ctx context.Context, p *Peer, channel string) error {
	a := n.AgencyOf(p.Org)
	if !fileExists(a.GenesisBlock(channel)) {
		// An organisation outside the channel never received its genesis
		// block; give it the one the convener made, as a curious operator
		// could obtain it.
		if err := copyFile(n.convener().GenesisBlock(channel), a.GenesisBlock(channel), 0o644); err != nil {
			return err
		}
	}
	return a.JoinPeer(ctx, p, channel)
}

// FetchBlock asks the orderers for a channel's newest block as the
// administrator of peer's organisation, writing it into dir.
func (n *Network) FetchBlock(ctx context.Context, p *Peer, channel, dir string) ([]byte, error) {
	return n.AgencyOf(p.Org).FetchBlock(ctx, channel, dir)
}
