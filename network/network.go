package network

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// Options binds a [Spec] to a place to run it.
type Options struct {
	// StateDir holds everything the network generates: certificates,
	// configuration, ledgers, pidfiles and logs.
	StateDir string
	// FabricDir holds the Fabric binaries in bin/ and the sample node
	// configuration in config/, as `make fabric-bins` leaves them.
	FabricDir string
	// SourceDir is the repository root, from which chaincode is built.
	SourceDir string
	// Host is the address every node listens on and is reached at.
	// It defaults to 127.0.0.1.
	Host string
	// PortBase is the first of the consecutive ports the nodes use.
	// It defaults to DefaultPortBase.
	PortBase int
	// Progress receives one line per phase; nil discards them.
	Progress io.Writer
}

// DefaultPortBase is the first port of a network started without one.
const DefaultPortBase = 27000

// Network is a [Spec] bound to a state folder, hosts and ports: every node has
// its address and folders, and every generated file its path.
type Network struct {
	Spec     *Spec
	CAs      []*CA
	Orderers []*Orderer
	Peers    []*Peer

	opts     Options
	progress io.Writer
}

// CA is the Fabric CA server of one organisation.
type CA struct {
	Org            *Organization
	Host           string
	Port           int
	OperationsPort int
}

// Orderer is one Raft ordering node.
type Orderer struct {
	Org            *Organization
	Name           string
	Host           string
	Port           int
	AdminPort      int
	OperationsPort int
}

// Peer is one peer node.
type Peer struct {
	Org            *Organization
	Name           string
	Host           string
	Port           int
	ChaincodePort  int
	OperationsPort int
}

// ID returns the node's host name, e.g. "ca.university-a.govshare.test".
func (c *CA) ID() string { return "ca." + c.Org.Domain }

// ID returns the node's host name, e.g. "orderer0.orderer.govshare.test".
func (o *Orderer) ID() string { return o.Name + "." + o.Org.Domain }

// ID returns the node's host name, e.g. "peer0.university-a.govshare.test".
func (p *Peer) ID() string { return p.Name + "." + p.Org.Domain }

// Address returns the host:port clients dial.
func (c *CA) Address() string { return joinHostPort(c.Host, c.Port) }

// Address returns the host:port clients and other orderers dial.
func (o *Orderer) Address() string { return joinHostPort(o.Host, o.Port) }

// AdminAddress returns the host:port of the channel participation API.
func (o *Orderer) AdminAddress() string { return joinHostPort(o.Host, o.AdminPort) }

// Address returns the host:port clients, gateways and other peers dial.
func (p *Peer) Address() string { return joinHostPort(p.Host, p.Port) }

// savedOptions is what the state folder remembers of the options a network
// was created with, so that a restart reuses the same hosts and ports.
type savedOptions struct {
	Host     string `json:"host"`
	PortBase int    `json:"portBase"`
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
	for _, dir := range []*string{&opts.StateDir, &opts.FabricDir, &opts.SourceDir} {
		if *dir == "" {
			continue
		}
		if *dir, err = resolvePath(*dir); err != nil {
			return nil, fmt.Errorf("resolve %s: %w", *dir, err)
		}
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
	}
	n.allocate()
	if err := n.checkPortRange(); err != nil {
		return nil, err
	}
	return n, nil
}

// portCount is how many ports the network uses from its port base.
func (n *Network) portCount() int {
	return 2*len(n.CAs) + 3*len(n.Orderers) + 3*len(n.Peers)
}

// checkPortRange refuses a port range that overlaps the kernel's ephemeral
// range: there any outgoing connection on the machine may take a node's
// port between the check that it is free and the node binding it.
func (n *Network) checkPortRange() error {
	data, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err != nil {
		return nil // not Linux, or not readable: nothing to check against
	}
	var low, high int
	if _, err := fmt.Sscan(string(data), &low, &high); err != nil {
		return nil
	}
	first, last := n.opts.PortBase, n.opts.PortBase+n.portCount()-1
	if first <= high && last >= low {
		return fmt.Errorf("ports %d-%d overlap the ephemeral port range %d-%d that outgoing connections use; choose a port base below %d",
			first, last, low, high, low-n.portCount())
	}
	return nil
}

// allocate gives every node its host and ports, consecutively from the port
// base in declaration order: CAs first, then orderers, then peers. The same
// Spec and base always give the same ports.
func (n *Network) allocate() {
	next := n.opts.PortBase
	port := func() int { next++; return next - 1 }
	for _, org := range n.Spec.Organizations {
		n.CAs = append(n.CAs, &CA{Org: org, Host: n.opts.Host, Port: port(), OperationsPort: port()})
	}
	for _, org := range n.Spec.Organizations {
		for _, name := range org.Orderers {
			n.Orderers = append(n.Orderers, &Orderer{Org: org, Name: name, Host: n.opts.Host, Port: port(), AdminPort: port(), OperationsPort: port()})
		}
	}
	for _, org := range n.Spec.Organizations {
		for _, name := range org.Peers {
			n.Peers = append(n.Peers, &Peer{Org: org, Name: name, Host: n.opts.Host, Port: port(), ChaincodePort: port(), OperationsPort: port()})
		}
	}
}

func (n *Network) loadSavedOptions() (*savedOptions, error) {
	data, err := os.ReadFile(n.path("network.json"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read network options: %w", err)
	}
	var saved savedOptions
	if err := json.Unmarshal(data, &saved); err != nil {
		return nil, fmt.Errorf("read network options %s: %w", n.path("network.json"), err)
	}
	return &saved, nil
}

func (n *Network) saveOptions() error {
	data, err := json.MarshalIndent(savedOptions{Host: n.opts.Host, PortBase: n.opts.PortBase}, "", "  ")
	if err != nil {
		return fmt.Errorf("encode network options: %w", err)
	}
	return writeFile(n.path("network.json"), append(data, '\n'), 0o644)
}

// StateDir returns the folder that holds everything the network generates.
func (n *Network) StateDir() string { return n.opts.StateDir }

// CAOf returns the CA of an organisation.
func (n *Network) CAOf(org *Organization) *CA {
	for _, ca := range n.CAs {
		if ca.Org == org {
			return ca
		}
	}
	return nil
}

// PeersOf returns the peers of an organisation.
func (n *Network) PeersOf(org *Organization) []*Peer {
	var out []*Peer
	for _, p := range n.Peers {
		if p.Org == org {
			out = append(out, p)
		}
	}
	return out
}

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
