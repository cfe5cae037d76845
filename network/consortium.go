package network

// The channel names of the govshare consortium.
const (
	EducationChannel = "education-credit"
	FinanceChannel   = "finance-ledger"
	EvidenceChannel  = "judicial-evidence"
)

// BaselineChaincode is deployed on every channel: a blind write and a read of
// one key. It is the network's health check and the throughput reference the
// domain contracts are measured against.
const BaselineChaincode = "baseline"

// StudentCollection returns the private data collection in which a
// university keeps its students' personal data.
func StudentCollection(universityMSPID string) string {
	return "StudentPII_" + universityMSPID
}

// SealedEvidenceCollection holds sealed evidence content and case parties.
const SealedEvidenceCollection = "SealedEvidence"

// Consortium returns the govshare consortium: eight organisations with one
// peer each, an orderer organisation with three Raft orderers, and three
// channels. It is the one place that says who takes part, which channel each
// organisation may read and which endorsements each write needs; configtx,
// collection configs, client folders and tests all derive from it.
//
// Endorsement policies are chosen so that no organisation can write alone and
// OversightMSP, which reads every channel, is never required and never enough.
func Consortium() *Spec {
	educationPolicy := "AND('EduMinistryMSP.peer', OR('UniversityAMSP.peer', 'UniversityBMSP.peer'))"
	financePolicy := "AND('AuditOfficeMSP.peer', OR('FinanceBureauMSP.peer', 'EduMinistryMSP.peer', 'InternetCourtMSP.peer'))"
	evidencePolicy := "AND('InternetCourtMSP.peer', 'NotaryOfficeMSP.peer')"

	org := func(name, domain string, roles ...string) *Organization {
		return &Organization{Name: name, MSPID: name + "MSP", Domain: domain, Peers: []string{"peer0"}, Roles: roles}
	}
	studentCollection := func(university string) *Collection {
		return &Collection{
			Name:         StudentCollection(university + "MSP"),
			Members:      []string{university + "MSP", "EduMinistryMSP"},
			MaxPeerCount: 1,
		}
	}

	return &Spec{
		Name: "GovShare",
		Organizations: []*Organization{
			{Name: "OrdererOrg", MSPID: "OrdererOrgMSP", Domain: "orderer.govshare.test", Orderers: []string{"orderer0", "orderer1", "orderer2"}},
			org("EduMinistry", "edu-ministry.govshare.test", "officer", "accountant"),
			org("UniversityA", "university-a.govshare.test", "registrar"),
			org("UniversityB", "university-b.govshare.test", "registrar"),
			org("FinanceBureau", "finance-bureau.govshare.test", "budget-officer"),
			org("AuditOffice", "audit-office.govshare.test", "auditor"),
			org("InternetCourt", "internet-court.govshare.test", "clerk", "judge", "accountant"),
			org("NotaryOffice", "notary-office.govshare.test", "notary"),
			org("Oversight", "oversight.govshare.test", "inspector"),
		},
		Channels: []*Channel{
			{
				Name:    EducationChannel,
				Members: []string{"EduMinistry", "UniversityA", "UniversityB", "Oversight"},
				Chaincodes: []*Chaincode{
					baseline(educationPolicy),
					{
						Name:              "education",
						Package:           "./chaincode/cmd/education",
						EndorsementPolicy: educationPolicy,
						Collections:       []*Collection{studentCollection("UniversityA"), studentCollection("UniversityB")},
					},
				},
			},
			{
				Name:    FinanceChannel,
				Members: []string{"FinanceBureau", "AuditOffice", "EduMinistry", "InternetCourt", "Oversight"},
				Chaincodes: []*Chaincode{
					baseline(financePolicy),
					{Name: "finance", Package: "./chaincode/cmd/finance", EndorsementPolicy: financePolicy},
				},
			},
			{
				Name:    EvidenceChannel,
				Members: []string{"InternetCourt", "NotaryOffice", "Oversight"},
				Chaincodes: []*Chaincode{
					baseline(evidencePolicy),
					{
						Name:              "evidence",
						Package:           "./chaincode/cmd/evidence",
						EndorsementPolicy: evidencePolicy,
						Collections: []*Collection{{
							Name:         SealedEvidenceCollection,
							Members:      []string{"InternetCourtMSP", "NotaryOfficeMSP"},
							MaxPeerCount: 1,
						}},
					},
				},
			},
		},
		Ordering: Ordering{BatchTimeoutMillis: 250, MaxMessageCount: 100, PreferredMaxBytesKiB: 2048},
	}
}

// baseline declares the baseline chaincode under a channel's policy, so that
// it costs the same endorsements as the channel's domain contract.
func baseline(policy string) *Chaincode {
	return &Chaincode{Name: BaselineChaincode, Package: "./chaincode/cmd/baseline", EndorsementPolicy: policy}
}
