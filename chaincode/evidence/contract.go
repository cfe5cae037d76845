package evidence

import (
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/hyperledger/fabric-contract-api-go/v2/metadata"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/foundation"
)

// Contract is the judicial-evidence contract. It keeps no state of its
// own: everything it knows is in the ledger.
type Contract struct {
	contractapi.Contract
}

// New returns the contract, named "evidence" like its chaincode.
func New() *Contract {
	return &Contract{Contract: contractapi.Contract{
		Name: "evidence",
		Info: metadata.InfoMetadata{
			Title:       "govshare judicial evidence",
			Description: "Electronic evidence by hash, sealed content, notarisation, chain of custody and approved, logged access, shared by the internet court and the notary office.",
			Version:     "1.0.0",
		},
	}}
}

// GetEvaluateTransactions lists the query functions, which clients evaluate
// rather than submit. ReadSealedContent is one of them: it writes nothing,
// and it delivers content only against an access log entry that an earlier
// submitted OpenSealedContent committed.
func (c *Contract) GetEvaluateTransactions() []string {
	return []string{
		"GetCaseSummary", "GetCaseHistory", "GetCaseParties",
		"GetEvidence", "GetEvidenceHistory", "VerifyEvidenceByHash",
		"GetNotarisations", "GetCustodyChain",
		"GetAccessRequest", "GetAccessRequestHistory", "GetAccessLog", "ReadSealedContent",
		"WhoAmI",
	}
}

// evidenceOrganizations returns the organisations that keep the evidence:
// the internet court and the notary office. They are the members of the
// SealedEvidence collection, and their peers must endorse every change of
// an evidence record.
func evidenceOrganizations() []string {
	return []string{consortium.InternetCourtMSP, consortium.NotaryOfficeMSP}
}

// The grants the access rules are made of.

// clerks admits the court's clerks.
func clerks() foundation.Grant {
	return foundation.Role(consortium.RoleClerk, consortium.InternetCourtMSP)
}

// judges admits the court's judges.
func judges() foundation.Grant {
	return foundation.Role(consortium.RoleJudge, consortium.InternetCourtMSP)
}

// notaries admits the notary office's notaries.
func notaries() foundation.Grant {
	return foundation.Role(consortium.RoleNotary, consortium.NotaryOfficeMSP)
}

// collectionMembers admits every identity of the SealedEvidence members.
// Whether such an identity may open sealed content is decided by a grant
// naming it, checked after Begin.
func collectionMembers() foundation.Grant {
	return foundation.AnyRole(evidenceOrganizations()...)
}

// channelMembers admits every identity of the judicial-evidence channel's
// members, OversightMSP included: public records are readable by all.
func channelMembers() foundation.Grant {
	return foundation.AnyRole(consortium.ChannelMembers(consortium.EvidenceChannel)...)
}

// create writes a new record and gives its key the key-level endorsement
// policy that requires the court's and the notary office's peers for every
// later change, whatever the chaincode-level policy becomes.
func create(tx *foundation.Tx, key foundation.Key, record any) error {
	if err := tx.Put(key, record); err != nil {
		return err
	}
	return tx.RequireEndorsement(key, evidenceOrganizations()...)
}
