package network

import (
	"fmt"
	"slices"
	"strings"

	"github.com/govshare/govshare/chaincode/consortium"
)

// Spec declares a consortium: who takes part, which nodes they run, which
// channels they share and which chaincodes run on those channels. It is pure
// data; [New] turns it into a runnable [Network].
type Spec struct {
	// Name prefixes generated names, such as the consortium in configtx.yaml.
	Name string `json:"name"`
	// Organizations lists every organisation.
	Organizations []*Organization `json:"organizations"`
	// Channels lists the application channels.
	Channels []*Channel `json:"channels"`
	// Ordering holds the consensus type and the block cutting parameters
	// shared by every channel.
	Ordering Ordering `json:"ordering"`
}

// Ordering holds the consensus type of the ordering service and the
// orderer batch parameters of every channel.
type Ordering struct {
	// Consensus is the consensus type of every channel: Raft ("etcdraft"),
	// the default when empty, or BFT ("BFT"), as Fabric names them.
	Consensus Consensus `json:"consensus,omitempty"`
	// BatchTimeoutMillis is how long an orderer waits to fill a block.
	BatchTimeoutMillis int `json:"batchTimeoutMillis"`
	// MaxMessageCount is the most transactions in one block.
	MaxMessageCount int `json:"maxMessageCount"`
	// PreferredMaxBytesKiB is the preferred largest block size in KiB.
	PreferredMaxBytesKiB int `json:"preferredMaxBytesKiB"`
}

// Consensus names a consensus type of the ordering service as Fabric's
// channel configuration does (Orderer.OrdererType in configtx.yaml).
type Consensus string

const (
	// Raft is etcd/raft: it tolerates crashed orderers, ordering while a
	// majority of them run, and trusts every orderer's operator: a leader
	// that lies may censor or reorder transactions.
	Raft Consensus = "etcdraft"
	// BFT is SmartBFT: with 3f+1 orderers it orders while 2f+1 of them run
	// and tolerates f that crash or lie (censor, reorder, sign a different
	// block); every block carries the signatures of a quorum of them.
	BFT Consensus = "BFT"
)

// ParseConsensus reads a consensus type as a person writes it: "raft" or
// "bft" (any case), or Fabric's own names "etcdraft" and "BFT".
func ParseConsensus(s string) (Consensus, error) {
	switch strings.ToLower(s) {
	case "raft", "etcdraft":
		return Raft, nil
	case "bft", "smartbft":
		return BFT, nil
	}
	return "", fmt.Errorf("unknown consensus type %q: want raft or bft", s)
}

// Name returns the consensus type as people name it: "Raft" or "BFT".
func (c Consensus) Name() string {
	if c == Raft || c == "" {
		return "Raft"
	}
	return string(c)
}

// ConsensusType returns the ordering service's consensus type: Raft when
// none is declared.
func (o Ordering) ConsensusType() Consensus {
	if o.Consensus == "" {
		return Raft
	}
	return o.Consensus
}

// FaultsTolerated returns how many of n orderers may fail while the
// others keep ordering: for Raft a minority that crashed, for BFT f =
// (n-1)/3 that crashed or lie.
func (o Ordering) FaultsTolerated(n int) int {
	if n < 1 {
		return 0
	}
	if o.ConsensusType() == BFT {
		return (n - 1) / 3
	}
	return (n - 1) / 2
}

// MinBFTOrderers is the fewest orderers a BFT ordering service runs with:
// 3f+1 for f = 1, so that it tolerates one faulty orderer.
const MinBFTOrderers = 4

// validate checks the consensus type against the number of orderers.
func (o Ordering) validate(orderers int) error {
	switch o.ConsensusType() {
	case Raft:
		return nil
	case BFT:
		if orderers < MinBFTOrderers {
			return fmt.Errorf("BFT ordering needs at least %d orderers (3f+1 to tolerate f faulty ones, f >= 1); the consortium declares %d", MinBFTOrderers, orderers)
		}
		return nil
	}
	return fmt.Errorf("unknown consensus type %q: want %q (Raft) or %q", o.Consensus, Raft, BFT)
}

// Organization is one member of the consortium with its own Fabric CA.
type Organization struct {
	// Name is the short name used on the command line and in folder names,
	// e.g. "UniversityA".
	Name string `json:"name"`
	// MSPID is the organisation's MSP identifier, e.g. "UniversityAMSP".
	MSPID string `json:"mspId"`
	// Domain is the DNS suffix of the organisation's node host names.
	Domain string `json:"domain"`
	// Peers names the organisation's peers, e.g. "peer0".
	Peers []string `json:"peers,omitempty"`
	// Orderers names the organisation's ordering nodes, e.g. "orderer0".
	Orderers []string `json:"orderers,omitempty"`
	// Roles lists the govshare.role values of the users enrolled for the
	// organisation. Each role gets one user of that name; "admin" is always
	// enrolled as the organisation's administrator and need not be listed.
	Roles []string `json:"roles,omitempty"`
}

// AdminRole is the role of each organisation's administrator. Administrators
// join peers to channels and approve chaincode definitions. The name is the
// contracts' own (package chaincode/consortium).
const AdminRole = consortium.RoleAdmin

// RoleAttribute is the certificate attribute that carries a user's role.
// Contracts authorise callers by their MSP ID and this attribute.
const RoleAttribute = consortium.RoleAttribute

// OrderingMSPID returns the MSP ID of the organisation's ordering
// organisation, e.g. "AuditOfficeOrderingMSP", or "" if it runs no orderer.
//
// An agency's orderers take part in channels under an MSP of their own,
// issued by an ordering CA of the agency: in a channel where the agency is
// no member (it only orders it) its ordering organisation is in the
// channel's Orderer group, and its peers' and users' identities, of the
// agency's own MSP, are not the channel's at all. (Fabric's gossip checks a
// peer's identity against the first channel whose configuration knows its
// MSP: were the agency's MSP in an Orderer group, its peer would be checked
// against a channel it does not belong to.)
func (o *Organization) OrderingMSPID() string {
	if len(o.Orderers) == 0 {
		return ""
	}
	return strings.TrimSuffix(o.MSPID, "MSP") + "OrderingMSP"
}

// OrderingName returns the name of the organisation's ordering
// organisation, e.g. "AuditOfficeOrdering".
func (o *Organization) OrderingName() string { return o.Name + "Ordering" }

// Users returns the roles enrolled for the organisation, administrator first.
func (o *Organization) Users() []string {
	users := []string{AdminRole}
	for _, r := range o.Roles {
		if r != AdminRole {
			users = append(users, r)
		}
	}
	return users
}

// Channel is an application channel and the chaincodes deployed on it.
type Channel struct {
	// Name is the channel ID.
	Name string `json:"name"`
	// Members names the organisations (by Name) whose peers join the channel.
	Members []string `json:"members"`
	// Chaincodes lists the chaincodes deployed on the channel.
	Chaincodes []*Chaincode `json:"chaincodes,omitempty"`
}

// Chaincode is a chaincode definition on one channel.
type Chaincode struct {
	// Name is the chaincode name on the channel.
	Name string `json:"name"`
	// Package is the Go main package, relative to the source folder, that
	// builds the chaincode, e.g. "./chaincode/cmd/baseline".
	Package string `json:"package"`
	// EndorsementPolicy is the signature policy, in Fabric's policy language,
	// that every transaction of the chaincode must satisfy.
	EndorsementPolicy string `json:"endorsementPolicy"`
	// Collections lists the chaincode's private data collections.
	Collections []*Collection `json:"collections,omitempty"`
}

// Collection is a private data collection of a chaincode.
type Collection struct {
	// Name is the collection name the chaincode uses.
	Name string `json:"name"`
	// Members lists the MSP IDs of the organisations that hold the data.
	Members []string `json:"members"`
	// RequiredPeerCount is how many other peers an endorser must give the
	// data to before it endorses.
	RequiredPeerCount int `json:"requiredPeerCount"`
	// MaxPeerCount is how many other peers an endorser tries to give it to.
	MaxPeerCount int `json:"maxPeerCount"`
	// BlockToLive is after how many blocks the data is purged; 0 keeps it.
	BlockToLive uint64 `json:"blockToLive"`
}

// Organization returns the organisation with the given Name or MSP ID.
func (s *Spec) Organization(name string) (*Organization, error) {
	for _, o := range s.Organizations {
		if o.Name == name || o.MSPID == name {
			return o, nil
		}
	}
	return nil, fmt.Errorf("no organisation %q in the consortium (have %s)", name, strings.Join(s.organizationNames(), ", "))
}

// Channel returns the channel with the given name.
func (s *Spec) Channel(name string) (*Channel, error) {
	for _, c := range s.Channels {
		if c.Name == name {
			return c, nil
		}
	}
	return nil, fmt.Errorf("no channel %q in the consortium", name)
}

// ChannelsOf returns the channels the organisation is a member of.
func (s *Spec) ChannelsOf(org *Organization) []*Channel {
	var out []*Channel
	for _, c := range s.Channels {
		if slices.Contains(c.Members, org.Name) {
			out = append(out, c)
		}
	}
	return out
}

// OrdererOrganizations returns the organisations that run orderers, in the
// order of the description.
func (s *Spec) OrdererOrganizations() []*Organization {
	var out []*Organization
	for _, o := range s.Organizations {
		if len(o.Orderers) > 0 {
			out = append(out, o)
		}
	}
	return out
}

// PortCount is how many ports the consortium takes on one machine: a block
// per agency, with room for nodes added later.
func (s *Spec) PortCount() int {
	count := 0
	for _, org := range s.Organizations {
		count += agencyPortBlock(org)
	}
	return count
}

func (s *Spec) organizationNames() []string {
	names := make([]string, 0, len(s.Organizations))
	for _, o := range s.Organizations {
		names = append(names, o.Name)
	}
	return names
}

// Validate checks that the Spec is consistent: unique names, channel members
// that exist and run peers, at least one orderer (at least MinBFTOrderers
// for BFT), a known consensus type, and collections whose members belong
// to the channel.
func (s *Spec) Validate() error {
	seen := map[string]bool{}
	orderers := 0
	for _, o := range s.Organizations {
		if o.Name == "" || o.MSPID == "" || o.Domain == "" {
			return fmt.Errorf("organisation %q: name, MSP ID and domain are required", o.Name)
		}
		keys := []string{"name:" + o.Name, "msp:" + o.MSPID}
		if len(o.Orderers) > 0 {
			keys = append(keys, "name:"+o.OrderingName(), "msp:"+o.OrderingMSPID())
		}
		for _, key := range keys {
			if seen[key] {
				return fmt.Errorf("organisation %q is declared twice", o.Name)
			}
			seen[key] = true
		}
		orderers += len(o.Orderers)
	}
	if orderers == 0 {
		return fmt.Errorf("the consortium has no orderer")
	}
	if err := s.Ordering.validate(orderers); err != nil {
		return err
	}
	for _, c := range s.Channels {
		if seen["channel:"+c.Name] {
			return fmt.Errorf("channel %q is declared twice", c.Name)
		}
		seen["channel:"+c.Name] = true
		if len(c.Members) == 0 {
			return fmt.Errorf("channel %q has no members", c.Name)
		}
		msps := map[string]bool{}
		for _, m := range c.Members {
			org, err := s.Organization(m)
			if err != nil {
				return fmt.Errorf("channel %q: %w", c.Name, err)
			}
			if len(org.Peers) == 0 {
				return fmt.Errorf("channel %q: member %s runs no peer", c.Name, m)
			}
			msps[org.MSPID] = true
		}
		for _, cc := range c.Chaincodes {
			if cc.Name == "" || cc.Package == "" || cc.EndorsementPolicy == "" {
				return fmt.Errorf("channel %q: chaincode %q needs a name, a package and an endorsement policy", c.Name, cc.Name)
			}
			for _, col := range cc.Collections {
				for _, m := range col.Members {
					if !msps[m] {
						return fmt.Errorf("channel %q: collection %s of %s names %s, which is not a channel member", c.Name, col.Name, cc.Name, m)
					}
				}
			}
		}
	}
	return nil
}
