package education

import (
	"fmt"
	"time"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/hyperledger/fabric-contract-api-go/v2/metadata"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/foundation"
)

// Contract is the education-credit contract. It keeps no state of its own:
// everything it knows is in the ledger.
type Contract struct {
	contractapi.Contract
}

// New returns the contract, named "education" like its chaincode.
func New() *Contract {
	return &Contract{Contract: contractapi.Contract{
		Name: "education",
		Info: metadata.InfoMetadata{
			Title:       "govshare education credit bank",
			Description: "Accreditation, course credits, recognitions, diplomas and learning resources shared by the universities and the ministry of education.",
			Version:     "1.0.0",
		},
	}}
}

// GetEvaluateTransactions lists the query functions, which clients evaluate
// rather than submit.
func (c *Contract) GetEvaluateTransactions() []string {
	return []string{
		"GetAccreditation", "ListAccreditations",
		"GetCredit", "GetCreditHistory", "GetRecognition", "GetRecognitionHistory", "GetTranscript",
		"VerifyDiploma", "GetDiplomaHistory",
		"GetLearningResource", "ListLearningResources",
		"GetStudentRecord",
	}
}

// The grants the access rules are made of.

// universities returns the MSP IDs of the universities of the consortium.
// Each has a student collection in the chaincode definition, so adding a
// university means a new chaincode definition anyway.
func universities() []string {
	return []string{consortium.UniversityAMSP, consortium.UniversityBMSP}
}

// registrars admits the registrars of the universities.
func registrars() foundation.Grant {
	return foundation.Role(consortium.RoleRegistrar, universities()...)
}

// ministryOfficers admits the officers of the ministry of education.
func ministryOfficers() foundation.Grant {
	return foundation.Role(consortium.RoleOfficer, consortium.EduMinistryMSP)
}

// channelMembers admits every identity of the members of the
// education-credit channel: the ministry, the universities and the
// oversight body. Public records are readable by all of them.
func channelMembers() foundation.Grant {
	return foundation.AnyRole(consortium.ChannelMembers(consortium.EducationChannel)...)
}

// beginUniversityWrite starts a write of a university: it checks rule,
// decodes the request into req and refuses callers whose university has no
// active accreditation.
func beginUniversityWrite(ctx contractapi.TransactionContextInterface, rule foundation.Rule, request string, req foundation.Request) (*foundation.Tx, error) {
	tx, err := foundation.BeginRequest(ctx, rule, request, req)
	if err != nil {
		return nil, err
	}
	if _, err := requireAccredited(tx, nil); err != nil {
		return nil, err
	}
	return tx, nil
}

// requireAccredited refuses the caller unless its organisation has an
// active accreditation. It reads the caller's accreditation key and, in
// the same request to the peer, keys into records: found[i] says whether
// keys[i] exists (see foundation.Tx.GetAll). A write that needs other
// records named by its request saves the peer a round trip each.
func requireAccredited(tx *foundation.Tx, keys []foundation.Key, records ...any) (found []bool, err error) {
	accKey, err := accreditationKeys.Key(tx.Caller.MSPID)
	if err != nil {
		return nil, err
	}
	var acc Accreditation
	found, err = tx.GetAll(append([]foundation.Key{accKey}, keys...), append([]any{&acc}, records...)...)
	if err != nil {
		return nil, err
	}
	if !found[0] {
		return nil, tx.Deny(fmt.Sprintf("an active accreditation by %s, and %s is not accredited", consortium.EduMinistryMSP, tx.Caller.MSPID))
	}
	if acc.Status != StatusActive {
		return nil, tx.Deny(fmt.Sprintf("an active accreditation by %s, and the accreditation of %s is %s", consortium.EduMinistryMSP, tx.Caller.MSPID, acc.Status))
	}
	return found[1:], nil
}

// owners returns the organisations whose peers must endorse every change of
// a university's record: the university and the ministry.
func owners(university string) []string {
	return []string{university, consortium.EduMinistryMSP}
}

// revocation builds the revocation the caller makes now.
func revocation(tx *foundation.Tx, reason string) *Revocation {
	return &Revocation{Reason: reason, RevokedAt: tx.Time, RevokedBy: tx.Caller.ID}
}

// timeLayout formats times in error details.
const timeLayout = time.RFC3339
