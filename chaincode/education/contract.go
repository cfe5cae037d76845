package education

import (
	"fmt"
	"slices"
	"strings"
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

// Who is a university is decided by membership, not by name: a registrar
// of any organisation the channel admits, once the ministry has accredited
// it. A university that joins the consortium (a new member of the channel,
// with its student collection in a new chaincode definition) records
// credits as soon as the ministry accredits it; one that leaves the channel
// can no longer reach the contract, and its records stay as they were.

// registrars admits the registrar role of any member organisation; every
// function that uses it refuses the caller unless its organisation is
// accredited (requireAccredited, or accredited for reads).
func registrars() foundation.Grant {
	return foundation.RoleInAnyOrganization(consortium.RoleRegistrar)
}

// ministryOfficers admits the officers of the ministry of education.
func ministryOfficers() foundation.Grant {
	return foundation.Role(consortium.RoleOfficer, consortium.EduMinistryMSP)
}

// channelMembers admits every identity of the members of the
// education-credit channel the consortium was founded with: the ministry,
// the universities and the oversight body. Public records are readable by
// all of them, and by the registrars of universities accredited since
// (beginRead).
func channelMembers() foundation.Grant {
	return foundation.AnyRole(consortium.ChannelMembers(consortium.EducationChannel)...)
}

// beginRead starts a query open to the channel's members: every identity
// of the founding members, and the registrar of any university the
// ministry has accredited (whatever the accreditation's status: a
// suspended university still reads its records).
func beginRead(ctx contractapi.TransactionContextInterface, function string) (*foundation.Tx, error) {
	tx, err := foundation.Begin(ctx, foundation.Allow(function, channelMembers(), registrars()))
	if err != nil {
		return nil, err
	}
	if slices.Contains(consortium.ChannelMembers(consortium.EducationChannel), tx.Caller.MSPID) {
		return tx, nil
	}
	if _, _, found, err := readAccreditation(tx, tx.Caller.MSPID); err != nil {
		return nil, err
	} else if !found {
		return nil, tx.Deny(fmt.Sprintf("an identity of %s, or the registrar of a university accredited by %s",
			strings.Join(consortium.ChannelMembers(consortium.EducationChannel), ", "), consortium.EduMinistryMSP))
	}
	return tx, nil
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
