package network

import (
	"slices"
	"strings"

	"github.com/govshare/govshare/chaincode/consortium"
)

// The channel names of the govshare consortium.
const (
	EducationChannel = consortium.EducationChannel
	FinanceChannel   = consortium.FinanceChannel
	EvidenceChannel  = consortium.EvidenceChannel
)

// BaselineChaincode is deployed on every channel: a write and a read of one
// key, the network's health check, which only the administrators of the
// channel's members other than Oversight may write.
const BaselineChaincode = "baseline"

// OrderingAgencies are the organisations that run the consortium's
// orderers, one each. No single organisation orders the channels: each runs
// its orderer on its own host with its own keys, and Raft keeps ordering
// while any two of the three run. They are chosen from different branches
// of government, and each already takes part in every channel's trust:
//
//   - Oversight reads every channel already, so ordering shows it nothing
//     new, and it writes nothing, so it has no stake in any transaction;
//   - AuditOffice, the state audit, checks every finance write and is
//     independent of the agencies that spend;
//   - InternetCourt, the judiciary, whose rulings rely on the evidence
//     channel's order of events.
//
// Ordering is also the one place where an operator sees every channel's
// blocks (never private data, which stays in collections); the choice keeps
// that to bodies with a legal right to inspect.
var OrderingAgencies = []string{consortium.OversightMSP, consortium.AuditOfficeMSP, consortium.InternetCourtMSP}

// BFTOrderingAgencies are the organisations that run the four orderers of
// a consortium ordered by SmartBFT (WithBFT): the three OrderingAgencies
// and NotaryOffice. Four orderers tolerate one that crashes or lies; two
// operators acting together could stop ordering or sign conflicting
// blocks, so the four come from four different branches of the state's
// checks and balances, unlikely to act together. The notarial system
// is a regulated profession outside government whose trade is to attest
// what was presented and when; it already takes part in the evidence
// channel, and notaries are bound to secrecy about what they see. The
// agencies that spend (FinanceBureau, EduMinistry) and the universities
// that record credits stay out: theirs are the writes whose order matters
// most to them, which ordering must treat alike.
var BFTOrderingAgencies = []string{consortium.OversightMSP, consortium.AuditOfficeMSP, consortium.InternetCourtMSP, consortium.NotaryOfficeMSP}

// BenchprobeChaincode is deployed on every channel of a network made for
// benchmarks (WithBenchmarkProbes), never on the consortium a department
// runs: the load tool's blind write and read, and probes that add one
// feature each (a key-level policy, a private write, the footprint of a
// domain write), with a private collection where the channel's contract
// has one.
const BenchprobeChaincode = "benchprobe"

// ConsortiumOption changes what Consortium declares.
type ConsortiumOption func(*consortiumOptions)

type consortiumOptions struct{ probes, bft bool }

// WithBenchmarkProbes adds the benchprobe chaincode to every channel, for
// a network made for benchmarks (make bench, govnet -bench).
func WithBenchmarkProbes() ConsortiumOption {
	return func(o *consortiumOptions) { o.probes = true }
}

// WithBFT orders the channels with SmartBFT (consensus type BFT) instead
// of Raft: four orderers, one each run by BFTOrderingAgencies, tolerating
// one that crashes or lies.
func WithBFT() ConsortiumOption {
	return func(o *consortiumOptions) { o.bft = true }
}

// Consortium returns the govshare consortium: eight organisations with one
// peer each, three of which also run one Raft orderer each
// (OrderingAgencies; with WithBFT, four run a SmartBFT orderer each,
// BFTOrderingAgencies), and three channels. The names it shares with the
// contracts (MSP IDs, roles, channel members, collections) come from package
// chaincode/consortium, which the chaincode also uses; this declaration adds
// what only the network needs: nodes, domains, endorsement policies and
// collection settings. configtx, collection configs, client folders and tests
// all derive from it.
//
// Endorsement policies are chosen so that no organisation can write alone and
// OversightMSP, which reads every channel, is never required and never enough.
func Consortium(options ...ConsortiumOption) *Spec {
	var opts consortiumOptions
	for _, o := range options {
		o(&opts)
	}
	spec := &Spec{Name: "GovShare", Ordering: Ordering{Consensus: Raft, BatchTimeoutMillis: 50, MaxMessageCount: 50, PreferredMaxBytesKiB: 2048}}
	orderingAgencies := OrderingAgencies
	if opts.bft {
		spec.Ordering.Consensus, orderingAgencies = BFT, BFTOrderingAgencies
	}
	names := map[string]string{} // MSP ID to organisation name
	for _, o := range consortium.Organizations() {
		name := strings.TrimSuffix(o.MSPID, "MSP")
		names[o.MSPID] = name
		org := &Organization{Name: name, MSPID: o.MSPID, Domain: domainOf(name) + ".govshare.test", Roles: o.Roles, Peers: []string{"peer0"}}
		if slices.Contains(orderingAgencies, o.MSPID) {
			org.Orderers = []string{"orderer0"}
		}
		spec.Organizations = append(spec.Organizations, org)
	}

	edu, uniA, uniB := peerOf(consortium.EduMinistryMSP), peerOf(consortium.UniversityAMSP), peerOf(consortium.UniversityBMSP)
	bureau, audit, court, notary := peerOf(consortium.FinanceBureauMSP), peerOf(consortium.AuditOfficeMSP), peerOf(consortium.InternetCourtMSP), peerOf(consortium.NotaryOfficeMSP)
	policies := map[string]string{
		EducationChannel: and(edu, or(uniA, uniB)),
		FinanceChannel:   and(audit, or(bureau, edu, court)),
		EvidenceChannel:  and(court, notary),
	}
	// Each collection's members are organisations whose peers endorse the
	// writes to it: a university's registrar submits through its own
	// gateway, which endorses on its own peer first, and the policy requires
	// the ministry (student records); the evidence policy requires both
	// members (sealed evidence). The endorsing peers keep the data from
	// their own simulation, so an endorser need push it only to the
	// members' other peers: maxPeerCount is their number (Fabric picks the
	// targets among all eligible peers, so with more peers per organisation
	// this is a bound, not a guarantee that each gets it); none with one
	// peer per organisation, where pushing made every write cost each
	// member peer a second verification and copy (measured,
	// docs/performance.md). A member peer that misses the data pulls it
	// from one that has it when it commits the block.
	privateCollection := func(name string, members ...string) *Collection {
		return &Collection{Name: name, Members: members, MaxPeerCount: otherMemberPeers(spec, members)}
	}
	domain := map[string]*Chaincode{
		EducationChannel: {
			Name: "education", Package: "./chaincode/cmd/education",
			Collections: []*Collection{
				privateCollection(consortium.StudentCollection(consortium.UniversityAMSP), consortium.UniversityAMSP, consortium.EduMinistryMSP),
				privateCollection(consortium.StudentCollection(consortium.UniversityBMSP), consortium.UniversityBMSP, consortium.EduMinistryMSP),
			},
		},
		FinanceChannel: {Name: "finance", Package: "./chaincode/cmd/finance"},
		EvidenceChannel: {
			Name: "evidence", Package: "./chaincode/cmd/evidence",
			Collections: []*Collection{
				privateCollection(consortium.SealedEvidenceCollection, consortium.InternetCourtMSP, consortium.NotaryOfficeMSP),
			},
		},
	}
	for _, name := range []string{EducationChannel, FinanceChannel, EvidenceChannel} {
		ch := &Channel{Name: name}
		for _, msp := range consortium.ChannelMembers(name) {
			ch.Members = append(ch.Members, names[msp])
		}
		// Baseline and the probes run under the channel's policy, so that
		// they cost the same endorsements as the channel's domain contract,
		// and where the contract writes private data the probes have a
		// collection of the same members.
		domain[name].EndorsementPolicy = policies[name]
		base := &Chaincode{Name: BaselineChaincode, Package: "./chaincode/cmd/baseline", EndorsementPolicy: policies[name]}
		ch.Chaincodes = []*Chaincode{base, domain[name]}
		if opts.probes {
			probe := &Chaincode{Name: BenchprobeChaincode, Package: "./chaincode/cmd/benchprobe", EndorsementPolicy: policies[name]}
			if len(domain[name].Collections) > 0 {
				probe.Collections = []*Collection{privateCollection(consortium.BaselineCollection, domain[name].Collections[0].Members...)}
			}
			ch.Chaincodes = append(ch.Chaincodes, probe)
		}
		spec.Channels = append(spec.Channels, ch)
	}
	return spec
}

// otherMemberPeers counts the peers of the member organisations beyond one
// per organisation: the peers an endorser of a collection write gives the
// data to.
func otherMemberPeers(spec *Spec, members []string) int {
	others := 0
	for _, org := range spec.Organizations {
		if slices.Contains(members, org.MSPID) && len(org.Peers) > 1 {
			others += len(org.Peers) - 1
		}
	}
	return others
}

// peerOf names the peers of an organisation in Fabric's policy language.
func peerOf(mspID string) string { return "'" + mspID + ".peer'" }

// and and or write Fabric policy expressions.
func and(terms ...string) string { return "AND(" + strings.Join(terms, ", ") + ")" }
func or(terms ...string) string  { return "OR(" + strings.Join(terms, ", ") + ")" }

// domainOf turns an organisation name into a DNS label: "UniversityA"
// becomes "university-a".
func domainOf(name string) string {
	var b strings.Builder
	for i, r := range name {
		if r >= 'A' && r <= 'Z' {
			if i > 0 {
				b.WriteByte('-')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}
