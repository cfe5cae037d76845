package evidence

import (
	"encoding/json"
	"fmt"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/foundation"
)

// OpenCase opens a court case, to which evidence can then be submitted.
//
// Access: role "clerk" of InternetCourtMSP.
// Request: OpenCaseRequest {"caseId", "court", "caseType", "parties":
// [{"ref", "role"}]}; transient "parties": PartyNames {"salt", "parties":
// [{"ref", "name"}]}, a secret random salt and the name of every party of
// the request in the same order.
// Reads: evd.case/caseId.
// Rule: a case ID is used once (ErrAlreadyExists).
// Writes: evd.case/caseId (status open, opened by the caller at the
// transaction time) with a key-level endorsement policy requiring
// InternetCourtMSP and NotaryOfficeMSP; the party names with the salt to
// SealedEvidence under evd.parties/caseId. Names never reach the public
// state, the event or an error message, and the salt keeps them from being
// guessed from the private data hash.
// Event: CaseOpened.
func (c *Contract) OpenCase(ctx contractapi.TransactionContextInterface, request string) (*Case, error) {
	var req OpenCaseRequest
	tx, err := foundation.BeginRequest(ctx, foundation.Allow("OpenCase", clerks()), request, &req)
	if err != nil {
		return nil, err
	}
	names, salt, err := readPartyNames(tx, req.Parties)
	if err != nil {
		return nil, err
	}
	key, err := caseKeys.Key(req.CaseID)
	if err != nil {
		return nil, err
	}
	var existing Case
	found, err := tx.Get(key, &existing)
	if err != nil {
		return nil, err
	}
	if found {
		return nil, foundation.AlreadyExists("case", req.CaseID,
			"opened on "+existing.OpenedAt.Format(TimeLayout)+", now "+existing.Status)
	}
	kase := &Case{
		CaseID:   req.CaseID,
		Court:    req.Court,
		CaseType: req.CaseType,
		Parties:  req.Parties,
		Status:   CaseOpen,
		OpenedAt: tx.Time,
		OpenedBy: tx.Caller,
	}
	if err := create(tx, key, kase); err != nil {
		return nil, err
	}
	partiesKey, err := partyKeys.Key(req.CaseID)
	if err != nil {
		return nil, err
	}
	if _, err := tx.PutPrivate(consortium.SealedEvidenceCollection, partiesKey, &CaseParties{CaseID: req.CaseID, Salt: salt, Parties: names}); err != nil {
		return nil, err
	}
	return kase, tx.Emit(EventCaseOpened)
}

// readPartyNames reads the party names and their salt from the transient
// data and checks that they name exactly the request's parties, in order. Nothing of them
// may reach the public ledger, an event or an error message.
func readPartyNames(tx *foundation.Tx, parties []Party) ([]PartyName, string, error) {
	var names PartyNames
	if err := tx.Transient(TransientParties, &names); err != nil {
		return nil, "", err
	}
	same := len(names.Parties) == len(parties)
	for i := 0; same && i < len(parties); i++ {
		same = names.Parties[i].Ref == parties[i].Ref
	}
	if !same {
		return nil, "", &foundation.InputError{Input: fmt.Sprintf("transient %q", TransientParties), Fields: []foundation.FieldError{{
			Field: "parties", Problem: "must name every party of the request, by ref, in the request's order",
		}}}
	}
	return names.Parties, names.Salt, nil
}

// CloseCase closes an open case: no evidence can be added any more.
//
// Access: role "judge" of InternetCourtMSP.
// Request: CaseDecisionRequest {"caseId", "reason"}.
// Reads: evd.case/caseId.
// Rule: the case exists (ErrNotFound) and is open (ErrConflict).
// Writes: evd.case/caseId, status closed, with the judge's decision.
// Event: CaseClosed.
func (c *Contract) CloseCase(ctx contractapi.TransactionContextInterface, request string) (*Case, error) {
	var req CaseDecisionRequest
	tx, err := foundation.BeginRequest(ctx, foundation.Allow("CloseCase", judges()), request, &req)
	if err != nil {
		return nil, err
	}
	return decideCase(tx, &req, CaseClosed, EventCaseClosed)
}

// SealCase seals an open or closed case: no evidence can be added, and the
// sealed content of its evidence cannot be opened any more, whatever
// grants exist. Sealing is final.
//
// Access: role "judge" of InternetCourtMSP.
// Request: CaseDecisionRequest {"caseId", "reason"}.
// Reads: evd.case/caseId.
// Rule: the case exists (ErrNotFound) and is not sealed (ErrConflict).
// Writes: evd.case/caseId, status sealed, with the judge's decision.
// Event: CaseSealed.
func (c *Contract) SealCase(ctx contractapi.TransactionContextInterface, request string) (*Case, error) {
	var req CaseDecisionRequest
	tx, err := foundation.BeginRequest(ctx, foundation.Allow("SealCase", judges()), request, &req)
	if err != nil {
		return nil, err
	}
	return decideCase(tx, &req, CaseSealed, EventCaseSealed)
}

func decideCase(tx *foundation.Tx, req *CaseDecisionRequest, status, event string) (*Case, error) {
	kase, key, err := findCase(tx, req.CaseID)
	if err != nil {
		return nil, err
	}
	decision := &CaseDecision{Reason: req.Reason, At: tx.Time, By: tx.Caller}
	switch {
	case kase.Status == CaseSealed:
		return nil, foundation.Conflict("case", req.CaseID, "is sealed, which is final")
	case status == CaseClosed && kase.Status != CaseOpen:
		return nil, foundation.Conflict("case", req.CaseID, "is already "+kase.Status)
	case status == CaseClosed:
		kase.Closure = decision
	default:
		kase.Sealing = decision
	}
	kase.Status = status
	if err := tx.Put(key, kase); err != nil {
		return nil, err
	}
	return kase, tx.Emit(event)
}

// findCase reads a case; ErrNotFound for an unknown case ID.
func findCase(tx *foundation.Tx, caseID string) (*Case, foundation.Key, error) {
	key, err := caseKeys.Key(caseID)
	if err != nil {
		return nil, foundation.Key{}, err
	}
	kase, err := foundation.Find[Case](tx, key, "case", caseID)
	return kase, key, err
}

func caseArguments(caseID string) error {
	return foundation.Arguments(func(v *foundation.Fields) { v.Identifier("caseId", caseID) })
}

// GetCaseSummary returns the public summary of a case: its metadata and
// one page of its evidence (digest, media type, size, description,
// submitting organisation and time, notarisation and custody counts), in
// evidence ID order. Party names and sealed content are not part of it.
//
// Access: any identity of the judicial-evidence channel's members,
// OversightMSP included.
// Arguments: caseId; pageSize (0 for the default, capped at 100); the
// bookmark of the previous page ("" for the first).
// Reads: evd.case/caseId and one page of evd.evidence/caseId/....
func (c *Contract) GetCaseSummary(ctx contractapi.TransactionContextInterface, caseID string, pageSize int32, bookmark string) (*CaseSummary, error) {
	tx, err := foundation.Begin(ctx, foundation.Allow("GetCaseSummary", channelMembers()))
	if err != nil {
		return nil, err
	}
	if err := caseArguments(caseID); err != nil {
		return nil, err
	}
	kase, _, err := findCase(tx, caseID)
	if err != nil {
		return nil, err
	}
	summary := &CaseSummary{Case: *kase, Evidence: []EvidenceSummary{}}
	summary.PageInfo, err = tx.Page(evidenceKeys, []string{caseID}, pageSize, bookmark, func(key foundation.Key, value []byte) error {
		var e Evidence
		if err := json.Unmarshal(value, &e); err != nil {
			return fmt.Errorf("decode evidence %q: %w", key.Attributes[1], err)
		}
		summary.Evidence = append(summary.Evidence, EvidenceSummary{
			EvidenceID:    e.EvidenceID,
			ContentSHA256: e.ContentSHA256,
			MediaType:     e.MediaType,
			SizeBytes:     e.SizeBytes,
			Description:   e.Description,
			SubmitterMSP:  e.SubmittedBy.MSPID,
			SubmittedAt:   e.SubmittedAt,
			Notarisations: e.Notarisations,
			CustodyEvents: e.CustodyEvents,
		})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return summary, nil
}

// GetCaseHistory returns every version of a case, newest first: as opened,
// and as closed and sealed.
//
// Access: any identity of the judicial-evidence channel's members.
// Reads: evd.case/caseId and its history.
func (c *Contract) GetCaseHistory(ctx contractapi.TransactionContextInterface, caseID string) (*History, error) {
	tx, err := foundation.Begin(ctx, foundation.Allow("GetCaseHistory", channelMembers()))
	if err != nil {
		return nil, err
	}
	if err := caseArguments(caseID); err != nil {
		return nil, err
	}
	_, key, err := findCase(tx, caseID)
	if err != nil {
		return nil, err
	}
	return foundation.HistoryOf[Case](tx, key, foundation.RecordName("case", caseID))
}

// PartiesContext names a case's party names in their delivery: what
// GetCaseParties binds the encrypted record to, and what the reader opens
// it with (foundation.Delivery.OpenRecord).
func PartiesContext(caseID string) string {
	return "govshare/evidence/parties/" + caseID
}

// GetCaseParties delivers the names of a case's parties, encrypted for the
// reader: the CaseParties as JSON, sealed with the reader's one-time key
// (foundation.Delivery) and bound to PartiesContext. Evaluate it; should a
// client submit it instead, the response in the block is useless to
// everyone but the reader.
//
// Access: role "clerk" or "judge" of InternetCourtMSP, or role "notary" of
// NotaryOfficeMSP. The collection is also member-only at the peer.
// Arguments: caseId. Transient "readerKey": ReaderKey {"key": 64 hex}, a
// fresh random AES-256 key.
// Reads: evd.parties/caseId in SealedEvidence.
// Errors: ErrNotFound if no names are recorded for the case.
func (c *Contract) GetCaseParties(ctx contractapi.TransactionContextInterface, caseID string) (*foundation.Delivery, error) {
	tx, err := foundation.Begin(ctx, foundation.Allow("GetCaseParties", clerks(), judges(), notaries()))
	if err != nil {
		return nil, err
	}
	if err := caseArguments(caseID); err != nil {
		return nil, err
	}
	readerKey, err := tx.ReaderKey()
	if err != nil {
		return nil, err
	}
	key, err := partyKeys.Key(caseID)
	if err != nil {
		return nil, err
	}
	var parties CaseParties
	found, err := tx.GetPrivate(consortium.SealedEvidenceCollection, key, &parties)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, foundation.NotFound("parties of case", caseID)
	}
	return tx.Deliver(readerKey, PartiesContext(caseID), &parties)
}
