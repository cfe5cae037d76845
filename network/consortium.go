package network

import (
	"strings"

	"github.com/govshare/govshare/chaincode/consortium"
)

// The channel names of the govshare consortium.
const (
	EducationChannel = consortium.EducationChannel
	FinanceChannel   = consortium.FinanceChannel
	EvidenceChannel  = consortium.EvidenceChannel
)

// BaselineChaincode is deployed on every channel: a blind write and a read of
// one key. It is the network's health check and the throughput reference the
// domain contracts are measured against.
const BaselineChaincode = "baseline"

// Consortium returns the govshare consortium: eight organisations with one
// peer each, an orderer organisation with three Raft orderers, and three
// channels. The names it shares with the contracts (MSP IDs, roles, channel
// members, collections) come from package chaincode/consortium, which the
// chaincode also uses; this declaration adds what only the network needs:
// nodes, domains, endorsement policies and collection settings. configtx,
// collection configs, client folders and tests all derive from it.
//
// Endorsement policies are chosen so that no organisation can write alone and
// OversightMSP, which reads every channel, is never required and never enough.
func Consortium() *Spec {
	spec := &Spec{Name: "GovShare", Ordering: Ordering{BatchTimeoutMillis: 50, MaxMessageCount: 50, PreferredMaxBytesKiB: 2048}}
	names := map[string]string{} // MSP ID to organisation name
	for _, o := range consortium.Organizations() {
		name := strings.TrimSuffix(o.MSPID, "MSP")
		names[o.MSPID] = name
		org := &Organization{Name: name, MSPID: o.MSPID, Domain: domainOf(name) + ".govshare.test", Roles: o.Roles}
		if o.MSPID == consortium.OrdererOrgMSP {
			org.Orderers = []string{"orderer0", "orderer1", "orderer2"}
			org.Domain = "orderer.govshare.test"
		} else {
			org.Peers = []string{"peer0"}
		}
		spec.Organizations = append(spec.Organizations, org)
	}
	// The orderer organisation first: its CA and nodes get the first ports.
	for i, org := range spec.Organizations {
		if org.MSPID == consortium.OrdererOrgMSP {
			spec.Organizations = append(append([]*Organization{org}, spec.Organizations[:i]...), spec.Organizations[i+1:]...)
			break
		}
	}

	policies := map[string]string{
		EducationChannel: "AND('EduMinistryMSP.peer', OR('UniversityAMSP.peer', 'UniversityBMSP.peer'))",
		FinanceChannel:   "AND('AuditOfficeMSP.peer', OR('FinanceBureauMSP.peer', 'EduMinistryMSP.peer', 'InternetCourtMSP.peer'))",
		EvidenceChannel:  "AND('InternetCourtMSP.peer', 'NotaryOfficeMSP.peer')",
	}
	privateCollection := func(name string, members ...string) *Collection {
		return &Collection{Name: name, Members: members, MaxPeerCount: 1}
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
		// Baseline runs under the channel's policy, so that it costs the
		// same endorsements as the channel's domain contract.
		domain[name].EndorsementPolicy = policies[name]
		ch.Chaincodes = []*Chaincode{
			{Name: BaselineChaincode, Package: "./chaincode/cmd/baseline", EndorsementPolicy: policies[name]},
			domain[name],
		}
		spec.Channels = append(spec.Channels, ch)
	}
	return spec
}

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
