package network

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Options binds a [Spec] to one machine that runs every agency of the
// consortium: the single-machine default, for development, demonstrations
// and tests.
type Options struct {
	// StateDir holds one folder per agency (organizations/<Org>/), each
	// exactly what that agency's own host would hold.
	StateDir string
	// FabricDir holds the Fabric binaries in bin/ and the sample node
	// configuration in config/, as `make fabric-bins` leaves them.
	FabricDir string
	// SourceDir is the repository root, from which chaincode is built.
	SourceDir string
	// Host is the address every node listens on. It defaults to 127.0.0.1.
	Host string
	// PortBase is the first of the consecutive ports the nodes use, agency
	// after agency. It defaults to DefaultPortBase.
	PortBase int
	// Progress receives one line per phase; nil discards them.
	Progress io.Writer
}

// Network is the whole consortium run on one machine: one [Agency] per
// organisation, each in its own folder with its own keys, brought up by the
// same per-agency operations that agencies run on their own hosts, with the
// public files they exchange copied from folder to folder.
type Network struct {
	Spec     *Spec
	Agencies []*Agency
	// CAs, Orderers and Peers are every agency's nodes, in the order of the
	// description.
	CAs      []*CA
	Orderers []*Orderer
	Peers    []*Peer

	opts     Options
	progress io.Writer
}

// savedOptions is what the state folder remembers of the options a network
// was created with, so that a restart reuses the same hosts and ports.
type savedOptions struct {
	Host     string `json:"host"`
	PortBase int    `json:"portBase"`
	// Consensus is the consensus type the network was made with; a folder
	// saved before the field existed holds a Raft network.
	Consensus Consensus `json:"consensus,omitempty"`
}

// New binds spec to opts. If the state folder already holds a network, its
// host and port base are reused and opts' are ignored, so a restart brings
// back the same nodes.
func New(spec *Spec, opts Options) (*Network, error) {
	if err := spec.Validate(); err != nil {
		return nil, fmt.Errorf("invalid consortium: %w", err)
	}
	if opts.StateDir == "" || opts.FabricDir == "" {
		return nil, errors.New("a state folder and a Fabric binaries folder are required")
	}
	var err error
	if opts.StateDir, err = resolvePath(opts.StateDir); err != nil {
		return nil, fmt.Errorf("resolve %s: %w", opts.StateDir, err)
	}
	if opts.Host == "" {
		opts.Host = "127.0.0.1"
	}
	if opts.PortBase == 0 {
		opts.PortBase = DefaultPortBase
	}
	n := &Network{Spec: spec, opts: opts, progress: opts.Progress}
	if n.progress == nil {
		n.progress = io.Discard
	}
	saved, err := n.loadSavedOptions()
	if err != nil {
		return nil, err
	}
	if saved != nil {
		n.opts.Host, n.opts.PortBase = saved.Host, saved.PortBase
		made := Ordering{Consensus: saved.Consensus}.ConsensusType()
		if want := spec.Ordering.ConsensusType(); made != want {
			return nil, fmt.Errorf("the network in %s was made with %s ordering, and this description orders with %s: use the same consensus type (govnet -consensus), or another state folder, or remove this network first (make network-clean)",
				opts.StateDir, made.Name(), want.Name())
		}
	}
	if err := checkPortRange(n.opts.PortBase, n.PortCount()); err != nil {
		return nil, err
	}
	base := n.opts.PortBase
	for _, org := range spec.Organizations {
		a, err := NewAgency(spec, AgencyOptions{
			Dir: n.agencyDir(org), Organization: org.Name, FabricDir: opts.FabricDir, SourceDir: opts.SourceDir,
			Host: n.opts.Host, PortBase: base, // quiet: Up reports each phase for all of them
		})
		if err != nil {
			return nil, err
		}
		base += agencyPortBlock(org)
		n.Agencies = append(n.Agencies, a)
		n.CAs = append(n.CAs, a.CA)
		n.Orderers = append(n.Orderers, a.Orderers...)
		n.Peers = append(n.Peers, a.Peers...)
	}
	return n, nil
}

// PortCount is how many ports the network uses from its port base.
func (n *Network) PortCount() int { return n.Spec.PortCount() }

func (n *Network) agencyDir(org *Organization) string {
	return filepath.Join(n.opts.StateDir, "organizations", org.Name)
}

func (n *Network) loadSavedOptions() (*savedOptions, error) {
	path := filepath.Join(n.opts.StateDir, "network.json")
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read network options: %w", err)
	}
	var saved savedOptions
	if err := json.Unmarshal(data, &saved); err != nil {
		return nil, fmt.Errorf("read network options %s: %w", path, err)
	}
	return &saved, nil
}

func (n *Network) saveOptions() error {
	data, err := json.MarshalIndent(savedOptions{Host: n.opts.Host, PortBase: n.opts.PortBase, Consensus: n.Spec.Ordering.ConsensusType()}, "", "  ")
	if err != nil {
		return fmt.Errorf("encode network options: %w", err)
	}
	return writeFile(filepath.Join(n.opts.StateDir, "network.json"), append(data, '\n'), 0o644)
}

// StateDir returns the folder that holds every agency's folder.
func (n *Network) StateDir() string { return n.opts.StateDir }

// Agency returns the agency of an organisation, by Name or MSP ID.
func (n *Network) Agency(name string) (*Agency, error) {
	org, err := n.Spec.Organization(name)
	if err != nil {
		return nil, err
	}
	return n.AgencyOf(org), nil
}

// AgencyOf returns the agency of an organisation.
func (n *Network) AgencyOf(org *Organization) *Agency {
	for _, a := range n.Agencies {
		if a.Org == org {
			return a
		}
	}
	return nil
}

// agencyOfMember returns the agency of a channel's first member.
func (n *Network) agencyOfMember(ch *Channel) *Agency {
	org, _ := n.Spec.Organization(ch.Members[0]) // Validate has checked every member
	return n.AgencyOf(org)
}

// OrgDir returns the folder of an organisation's agency, which is also its
// clients' folder.
func (n *Network) OrgDir(org *Organization) string { return n.AgencyOf(org).Dir() }

// UserMSPDir returns the MSP folder of the organisation's user with a role.
func (n *Network) UserMSPDir(org *Organization, role string) string {
	return n.AgencyOf(org).UserMSPDir(role)
}

// PeersOf returns the peers of an organisation.
func (n *Network) PeersOf(org *Organization) []*Peer { return n.AgencyOf(org).Peers }

// ChannelPeers returns the peers of the channel's member organisations.
func (n *Network) ChannelPeers(ch *Channel) []*Peer {
	var out []*Peer
	for _, m := range ch.Members {
		org, _ := n.Spec.Organization(m) // Validate has checked every member
		out = append(out, n.PeersOf(org)...)
	}
	return out
}

func (n *Network) logf(format string, args ...any) {
	fmt.Fprintf(n.progress, format+"\n", args...)
}
