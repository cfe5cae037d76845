package education

import (
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/govshare/govshare/chaincode/foundation"
)

// AccreditUniversity adds a university to the registry of institutions
// allowed to record credits, recognitions, diplomas and learning resources.
//
// Access: role "officer" of EduMinistryMSP.
// Request: AccreditRequest {"mspId", "name"}.
// Reads: edu.accreditation/mspId.
// Rule: a university is accredited once; later decisions are suspensions
// and reinstatements (ErrAlreadyExists otherwise).
// Writes: edu.accreditation/mspId, status active, at the transaction time.
// Event: UniversityAccredited.
func (c *Contract) AccreditUniversity(ctx contractapi.TransactionContextInterface, request string) (*Accreditation, error) {
	var req AccreditRequest
	tx, err := foundation.BeginRequest(ctx, foundation.Allow("AccreditUniversity", ministryOfficers()), request, &req)
	if err != nil {
		return nil, err
	}
	existing, key, found, err := readAccreditation(tx, req.MSPID)
	if err != nil {
		return nil, err
	}
	if found {
		return nil, foundation.AlreadyExists("accreditation", req.MSPID,
			"accredited on "+existing.AccreditedAt.Format(timeLayout)+", now "+existing.Status)
	}
	acc := &Accreditation{
		MSPID:        req.MSPID,
		Name:         req.Name,
		Status:       StatusActive,
		AccreditedAt: tx.Time,
		UpdatedAt:    tx.Time,
		UpdatedBy:    tx.Caller.ID,
	}
	if err := tx.Put(key, acc); err != nil {
		return nil, err
	}
	return acc, tx.Emit(EventUniversityAccredited)
}

// SuspendAccreditation suspends a university's accreditation: until it is
// reinstated the university can write nothing. Its existing records stay
// valid and readable.
//
// Access: role "officer" of EduMinistryMSP.
// Request: AccreditationDecisionRequest {"mspId", "reason"}.
// Reads: edu.accreditation/mspId.
// Rule: the accreditation exists (ErrNotFound) and is active (ErrConflict).
// Writes: edu.accreditation/mspId, status suspended, with the reason.
// Event: AccreditationSuspended.
func (c *Contract) SuspendAccreditation(ctx contractapi.TransactionContextInterface, request string) (*Accreditation, error) {
	var req AccreditationDecisionRequest
	tx, err := foundation.BeginRequest(ctx, foundation.Allow("SuspendAccreditation", ministryOfficers()), request, &req)
	if err != nil {
		return nil, err
	}
	return decideAccreditation(tx, req, StatusActive, StatusSuspended, EventAccreditationSuspended)
}

// ReinstateAccreditation ends the suspension of a university's
// accreditation.
//
// Access: role "officer" of EduMinistryMSP.
// Request: AccreditationDecisionRequest {"mspId", "reason"}.
// Reads: edu.accreditation/mspId.
// Rule: the accreditation exists (ErrNotFound) and is suspended
// (ErrConflict).
// Writes: edu.accreditation/mspId, status active, with the reason.
// Event: AccreditationReinstated.
func (c *Contract) ReinstateAccreditation(ctx contractapi.TransactionContextInterface, request string) (*Accreditation, error) {
	var req AccreditationDecisionRequest
	tx, err := foundation.BeginRequest(ctx, foundation.Allow("ReinstateAccreditation", ministryOfficers()), request, &req)
	if err != nil {
		return nil, err
	}
	return decideAccreditation(tx, req, StatusSuspended, StatusActive, EventAccreditationReinstated)
}

// decideAccreditation moves an accreditation from status from to status to.
func decideAccreditation(tx *foundation.Tx, req AccreditationDecisionRequest, from, to, event string) (*Accreditation, error) {
	acc, key, found, err := readAccreditation(tx, req.MSPID)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, foundation.NotFound("accreditation", req.MSPID)
	}
	if acc.Status != from {
		return nil, foundation.Conflict("accreditation", req.MSPID, "is "+acc.Status+", not "+from)
	}
	acc.Status, acc.Reason = to, req.Reason
	acc.UpdatedAt, acc.UpdatedBy = tx.Time, tx.Caller.ID
	if err := tx.Put(key, acc); err != nil {
		return nil, err
	}
	return acc, tx.Emit(event)
}

// readAccreditation reads a university's accreditation and its key.
func readAccreditation(tx *foundation.Tx, mspID string) (*Accreditation, foundation.Key, bool, error) {
	key, err := accreditationKeys.Key(mspID)
	if err != nil {
		return nil, foundation.Key{}, false, err
	}
	var acc Accreditation
	found, err := tx.Get(key, &acc)
	if err != nil {
		return nil, foundation.Key{}, false, err
	}
	return &acc, key, found, nil
}

// GetAccreditation returns a university's accreditation.
//
// Access: any identity of the education-credit channel's members.
// Reads: edu.accreditation/mspId.
// Errors: ErrNotFound if the university was never accredited.
func (c *Contract) GetAccreditation(ctx contractapi.TransactionContextInterface, mspID string) (*Accreditation, error) {
	tx, err := beginRead(ctx, "GetAccreditation")
	if err != nil {
		return nil, err
	}
	if err := foundation.Arguments(func(v *foundation.Fields) { v.Identifier("mspId", mspID) }); err != nil {
		return nil, err
	}
	acc, _, found, err := readAccreditation(tx, mspID)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, foundation.NotFound("accreditation", mspID)
	}
	return acc, nil
}

// ListAccreditations returns one page of the accreditation registry in MSP
// ID order.
//
// Access: any identity of the education-credit channel's members.
// Arguments: pageSize (0 for the default, capped at 100) and the bookmark
// of the previous page ("" for the first).
// Reads: one page of edu.accreditation.
func (c *Contract) ListAccreditations(ctx contractapi.TransactionContextInterface, pageSize int32, bookmark string) (*AccreditationPage, error) {
	tx, err := beginRead(ctx, "ListAccreditations")
	if err != nil {
		return nil, err
	}
	accs, info, err := foundation.List[Accreditation](tx, accreditationKeys, nil, pageSize, bookmark)
	if err != nil {
		return nil, err
	}
	return &AccreditationPage{Accreditations: accs, PageInfo: info}, nil
}
