package network

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// AgencyOptions binds one organisation of a [Spec] to the host that runs it.
type AgencyOptions struct {
	// Dir is the agency's own state folder: its CA, keys, nodes, ledgers and
	// the public files it exchanges with the other agencies. Nothing in it is
	// ever needed by another agency except what [Agency.Definition] and the
	// genesis blocks publish.
	Dir string
	// Organization names the organisation the agency runs (Name or MSP ID).
	Organization string
	// FabricDir holds the Fabric binaries in bin/ and the sample node
	// configuration in config/, as `make fabric-bins` leaves them.
	FabricDir string
	// SourceDir is the repository root, from which chaincode is built.
	SourceDir string
	// Host is the address the agency's nodes listen on and are reached at.
	// It defaults to 127.0.0.1.
	Host string
	// PortBase is the first of the consecutive ports the agency's nodes use.
	// It defaults to DefaultPortBase.
	PortBase int
	// Progress receives one line per step; nil discards them.
	Progress io.Writer
}

// DefaultPortBase is the first port of a network or an agency started
// without one.
const DefaultPortBase = 27000

// Agency is one organisation of the consortium as its own operator runs it:
// its Fabric CA, its peers and orderers, its users' credentials, all in one
// folder on the agency's own host, reached at the agency's own address.
// Every operation on it (setting up identities, starting nodes, joining
// channels, installing and approving chaincode) uses only the agency's own
// keys; what it knows of the other agencies comes from their public
// definitions, accepted with [Agency.Accept].
type Agency struct {
	Spec     *Spec
	Org      *Organization
	CA       *CA
	Orderers []*Orderer
	Peers    []*Peer

	opts     AgencyOptions
	progress io.Writer
	ports    map[string][]int // node ("ca" or its name) to its ports
}

// CA is the Fabric CA server of one organisation.
type CA struct {
	Org            *Organization
	Host           string
	Port           int
	OperationsPort int
}

// Orderer is one ordering node.
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

// ID returns the node's host name, e.g. "orderer0.oversight.govshare.test".
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

// agencyFile is what an agency's folder remembers of the options it was set
// up with, so that a restart reuses the same organisation, host and ports.
type agencyFile struct {
	Organization string `json:"organization"`
	Host         string `json:"host"`
	PortBase     int    `json:"portBase"`
	// Ports are the ports given to each node ("ca" and the node names), so
	// that a node added later (a second peer, a new orderer) takes new ports
	// and moves no other.
	Ports map[string][]int `json:"ports,omitempty"`
}

// agencyFileName is the file in an agency's folder that marks it as one.
const agencyFileName = "agency.json"

// NewAgency binds one organisation of spec to opts. If the folder already
// holds an agency, its organisation, host and port base are reused and
// opts' are only checked against them, so a restart brings back the same
// nodes; a folder set up for another organisation is refused.
func NewAgency(spec *Spec, opts AgencyOptions) (*Agency, error) {
	if err := spec.Validate(); err != nil {
		return nil, fmt.Errorf("invalid consortium: %w", err)
	}
	if opts.Dir == "" || opts.FabricDir == "" {
		return nil, errors.New("an agency folder and a Fabric binaries folder are required")
	}
	var err error
	for _, dir := range []*string{&opts.Dir, &opts.FabricDir, &opts.SourceDir} {
		if *dir == "" {
			continue
		}
		if *dir, err = resolvePath(*dir); err != nil {
			return nil, fmt.Errorf("resolve %s: %w", *dir, err)
		}
	}
	saved, err := loadAgencyFile(opts.Dir)
	if err != nil {
		return nil, err
	}
	var ports map[string][]int
	if saved != nil {
		ports = saved.Ports
		if opts.Organization != "" {
			if org, err := spec.Organization(opts.Organization); err != nil || org.Name != saved.Organization {
				return nil, fmt.Errorf("%s is the folder of agency %s, not of %s", opts.Dir, saved.Organization, opts.Organization)
			}
		}
		opts.Organization, opts.Host, opts.PortBase = saved.Organization, saved.Host, saved.PortBase
	}
	if opts.Organization == "" {
		return nil, fmt.Errorf("%s holds no agency yet: name the organisation it runs", opts.Dir)
	}
	org, err := spec.Organization(opts.Organization)
	if err != nil {
		return nil, err
	}
	if opts.Host == "" {
		opts.Host = "127.0.0.1"
	}
	if opts.PortBase == 0 {
		opts.PortBase = DefaultPortBase
	}
	a := &Agency{Spec: spec, Org: org, opts: opts, progress: opts.Progress}
	if a.progress == nil {
		a.progress = io.Discard
	}
	if err := a.allocate(ports); err != nil {
		return nil, fmt.Errorf("agency %s: %w", org.Name, err)
	}
	first, last := a.portSpan()
	if err := checkPortRange(first, last-first+1); err != nil {
		return nil, fmt.Errorf("agency %s: %w", org.Name, err)
	}
	return a, nil
}

// OpenAgency opens an agency folder that [Agency.Init] has set up, with the
// organisation, host and ports saved in it.
func OpenAgency(spec *Spec, dir, fabricDir, sourceDir string, progress io.Writer) (*Agency, error) {
	if saved, err := loadAgencyFile(dir); err != nil {
		return nil, err
	} else if saved == nil {
		return nil, fmt.Errorf("%s is not an agency folder (no %s): set it up with `govnet org init`", dir, agencyFileName)
	}
	return NewAgency(spec, AgencyOptions{Dir: dir, FabricDir: fabricDir, SourceDir: sourceDir, Progress: progress})
}

// agencyPortCount is how many ports an organisation's nodes use: two for
// its CA (API, operations) and three per orderer and per peer.
func agencyPortCount(org *Organization) int {
	return 2 + 3*len(org.Orderers) + 3*len(org.Peers)
}

// agencyPortBlock is how many ports an agency gets on a machine it shares
// with other agencies: its nodes' and room for nodes added later.
func agencyPortBlock(org *Organization) int { return max(20, agencyPortCount(org)+6) }

// allocate gives every node of the agency its host and ports: those saved
// for it, or else the next free ones, consecutively from the port base in
// the order CA, orderers, peers. A new agency's nodes therefore get the same
// ports from the same Spec and base, and a node added to a running agency
// gets ports after every port in use.
func (a *Agency) allocate(saved map[string][]int) error {
	a.ports = map[string][]int{}
	next := a.opts.PortBase
	for _, ports := range saved {
		for _, p := range ports {
			next = max(next, p+1)
		}
	}
	take := func(name string, count int) ([]int, error) {
		if ports, ok := saved[name]; ok {
			if len(ports) != count {
				return nil, fmt.Errorf("node %s has %d saved ports, needs %d", name, len(ports), count)
			}
			a.ports[name] = ports
			return ports, nil
		}
		ports := make([]int, count)
		for i := range ports {
			ports[i] = next
			next++
		}
		a.ports[name] = ports
		return ports, nil
	}
	host := a.opts.Host
	p, err := take("ca", 2)
	if err != nil {
		return err
	}
	a.CA = &CA{Org: a.Org, Host: host, Port: p[0], OperationsPort: p[1]}
	for _, name := range a.Org.Orderers {
		if p, err = take(name, 3); err != nil {
			return err
		}
		a.Orderers = append(a.Orderers, &Orderer{Org: a.Org, Name: name, Host: host, Port: p[0], AdminPort: p[1], OperationsPort: p[2]})
	}
	for _, name := range a.Org.Peers {
		if p, err = take(name, 3); err != nil {
			return err
		}
		a.Peers = append(a.Peers, &Peer{Org: a.Org, Name: name, Host: host, Port: p[0], ChaincodePort: p[1], OperationsPort: p[2]})
	}
	return nil
}

// portSpan returns the lowest and highest port the agency's nodes use.
func (a *Agency) portSpan() (first, last int) {
	first = a.opts.PortBase
	last = first
	for _, ports := range a.ports {
		for _, p := range ports {
			first, last = min(first, p), max(last, p)
		}
	}
	return first, last
}

// checkPortRange refuses a port range that overlaps the kernel's ephemeral
// range: there any outgoing connection on the machine may take a node's
// port between the check that it is free and the node binding it.
func checkPortRange(first, count int) error {
	data, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err != nil {
		return nil // not Linux, or not readable: nothing to check against
	}
	var low, high int
	if _, err := fmt.Sscan(string(data), &low, &high); err != nil {
		return nil
	}
	last := first + count - 1
	if first <= high && last >= low {
		return fmt.Errorf("ports %d-%d overlap the ephemeral port range %d-%d that outgoing connections use; choose a port base below %d",
			first, last, low, high, low-count)
	}
	return nil
}

func loadAgencyFile(dir string) (*agencyFile, error) {
	data, err := os.ReadFile(joinPath(dir, agencyFileName))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read agency options: %w", err)
	}
	var saved agencyFile
	if err := json.Unmarshal(data, &saved); err != nil {
		return nil, fmt.Errorf("read agency options %s: %w", joinPath(dir, agencyFileName), err)
	}
	return &saved, nil
}

func (a *Agency) saveAgencyFile() error {
	data, err := json.MarshalIndent(agencyFile{Organization: a.Org.Name, Host: a.opts.Host, PortBase: a.opts.PortBase, Ports: a.ports}, "", "  ")
	if err != nil {
		return fmt.Errorf("encode agency options: %w", err)
	}
	return writeFile(a.path(agencyFileName), append(data, '\n'), 0o644)
}

// Dir returns the agency's state folder. It is also the folder the
// agency's clients open (its connection.json and users' credentials).
func (a *Agency) Dir() string { return a.opts.Dir }

// Host returns the address the agency's nodes listen on.
func (a *Agency) Host() string { return a.opts.Host }

// Channels returns the channels the agency's organisation is a member of.
func (a *Agency) Channels() []*Channel { return a.Spec.ChannelsOf(a.Org) }

func (a *Agency) logf(format string, args ...any) {
	fmt.Fprintf(a.progress, "  [%s] "+format+"\n", append([]any{a.Org.Name}, args...)...)
}

// checkBinaries reports the Fabric programs missing from the Fabric folder.
func checkBinaries(fabricDir string, names ...string) error {
	var missing []string
	for _, b := range names {
		if !fileExists(joinPath(fabricDir, "bin", b)) {
			missing = append(missing, b)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("the Fabric programs %[2]s are missing from %[1]s (build them with `make fabric-bins`)", joinPath(fabricDir, "bin"), strings.Join(missing, ", "))
	}
	return nil
}
