package evidence

import (
	"fmt"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/foundation"
)

// MaxAccessLogEntries bounds the access log of one evidence item.
const MaxAccessLogEntries = 1 << 20

// RequestAccess records a request for access to an evidence item's sealed
// content, on behalf of a party's lawyer or another department.
//
// Access: role "clerk" of InternetCourtMSP.
// Request: AccessRequestRequest {"requestId", "evidenceId", "grantee":
// {"mspId", "id"}, "purpose"}. The grantee is an identity of
// InternetCourtMSP or NotaryOfficeMSP — the SealedEvidence members, whose
// peers alone hold the content and give it to their own clients only —
// named by its certificate identity (see WhoAmI).
// Reads: the item, its case, evd.request/requestId.
// Rules: the item exists (ErrNotFound); its case is not sealed
// (ErrConflict); a request ID is used once (ErrAlreadyExists).
// Writes: evd.request/requestId, status pending, with the evidence
// key-level endorsement policy.
// Event: AccessRequested.
func (c *Contract) RequestAccess(ctx contractapi.TransactionContextInterface, request string) (*AccessRequest, error) {
	var req AccessRequestRequest
	tx, err := foundation.BeginRequest(ctx, foundation.Allow("RequestAccess", clerks()), request, &req)
	if err != nil {
		return nil, err
	}
	e, _, err := findEvidence(tx, req.EvidenceID)
	if err != nil {
		return nil, err
	}
	if err := requireUnsealed(tx, e.CaseID); err != nil {
		return nil, err
	}
	key, err := requestKeys.Key(req.RequestID)
	if err != nil {
		return nil, err
	}
	var existing AccessRequest
	found, err := tx.Get(key, &existing)
	if err != nil {
		return nil, err
	}
	if found {
		return nil, foundation.AlreadyExists("access request", req.RequestID,
			"recorded for evidence "+existing.EvidenceID+" on "+existing.RequestedAt.Format(TimeLayout))
	}
	ar := &AccessRequest{
		RequestID:   req.RequestID,
		EvidenceID:  e.EvidenceID,
		CaseID:      e.CaseID,
		Grantee:     req.Grantee,
		Purpose:     req.Purpose,
		Status:      AccessPending,
		RequestedAt: tx.Time,
		RequestedBy: tx.Caller,
	}
	if err := create(tx, key, ar); err != nil {
		return nil, err
	}
	return ar, tx.Emit(EventAccessRequested)
}

// GrantAccess grants a pending access request until an expiry time.
//
// Access: role "judge" of InternetCourtMSP.
// Request: GrantAccessRequest {"requestId", "expiresAt", "reason"}.
// Reads: evd.request/requestId and the case.
// Rules: the request exists (ErrNotFound) and is pending (ErrConflict);
// expiresAt is after the transaction and at most MaxGrantDuration after it
// (ErrInvalidInput); the case is not sealed (ErrConflict).
// Writes: evd.request/requestId, status granted, with the grant.
// Event: AccessGranted.
func (c *Contract) GrantAccess(ctx contractapi.TransactionContextInterface, request string) (*AccessRequest, error) {
	var req GrantAccessRequest
	tx, err := foundation.BeginRequest(ctx, foundation.Allow("GrantAccess", judges()), request, &req)
	if err != nil {
		return nil, err
	}
	if !req.expiresAt.After(tx.Time) || req.expiresAt.After(tx.Time.Add(MaxGrantDuration)) {
		return nil, &foundation.InputError{Input: "request", Fields: []foundation.FieldError{{
			Field:   "expiresAt",
			Problem: fmt.Sprintf("must be after the transaction (%s) and at most %s after it", tx.Time.Format(TimeLayout), MaxGrantDuration),
		}}}
	}
	ar, key, err := findRequest(tx, req.RequestID)
	if err != nil {
		return nil, err
	}
	if ar.Status != AccessPending {
		return nil, foundation.Conflict("access request", req.RequestID, "is "+ar.Status+"; only a pending request can be granted")
	}
	if err := requireUnsealed(tx, ar.CaseID); err != nil {
		return nil, err
	}
	ar.Status = AccessGranted
	ar.Grant = &AccessGrant{ExpiresAt: req.expiresAt, Reason: req.Reason, At: tx.Time, By: tx.Caller}
	if err := tx.Put(key, ar); err != nil {
		return nil, err
	}
	return ar, tx.Emit(EventAccessGranted)
}

// DenyAccess denies a pending access request.
//
// Access: role "judge" of InternetCourtMSP.
// Request: AccessDecisionRequest {"requestId", "reason"}.
// Reads: evd.request/requestId.
// Rule: the request exists (ErrNotFound) and is pending (ErrConflict).
// Writes: evd.request/requestId, status denied, with the decision.
// Event: AccessDenied.
func (c *Contract) DenyAccess(ctx contractapi.TransactionContextInterface, request string) (*AccessRequest, error) {
	var req AccessDecisionRequest
	tx, err := foundation.BeginRequest(ctx, foundation.Allow("DenyAccess", judges()), request, &req)
	if err != nil {
		return nil, err
	}
	return decideAccess(tx, &req, AccessPending, AccessDenied, EventAccessDenied)
}

// RevokeAccess revokes a grant, expired or not: from the transaction on,
// the grantee can neither open the sealed content nor have it delivered.
//
// Access: role "judge" of InternetCourtMSP.
// Request: AccessDecisionRequest {"requestId", "reason"}.
// Reads: evd.request/requestId.
// Rule: the request exists (ErrNotFound) and is granted (ErrConflict).
// Writes: evd.request/requestId, status revoked, with the decision.
// Event: AccessRevoked.
func (c *Contract) RevokeAccess(ctx contractapi.TransactionContextInterface, request string) (*AccessRequest, error) {
	var req AccessDecisionRequest
	tx, err := foundation.BeginRequest(ctx, foundation.Allow("RevokeAccess", judges()), request, &req)
	if err != nil {
		return nil, err
	}
	return decideAccess(tx, &req, AccessGranted, AccessRevoked, EventAccessRevoked)
}

func decideAccess(tx *foundation.Tx, req *AccessDecisionRequest, from, to, event string) (*AccessRequest, error) {
	ar, key, err := findRequest(tx, req.RequestID)
	if err != nil {
		return nil, err
	}
	if ar.Status != from {
		return nil, foundation.Conflict("access request", req.RequestID, "is "+ar.Status+"; only a "+from+" request can be "+to)
	}
	decision := &CaseDecision{Reason: req.Reason, At: tx.Time, By: tx.Caller}
	if to == AccessDenied {
		ar.Denial = decision
	} else {
		ar.Revocation = decision
	}
	ar.Status = to
	if err := tx.Put(key, ar); err != nil {
		return nil, err
	}
	return ar, tx.Emit(event)
}

// findRequest reads an access request; ErrNotFound for an unknown ID.
func findRequest(tx *foundation.Tx, requestID string) (*AccessRequest, foundation.Key, error) {
	key, err := requestKeys.Key(requestID)
	if err != nil {
		return nil, foundation.Key{}, err
	}
	ar, err := foundation.Find[AccessRequest](tx, key, "access request", requestID)
	return ar, key, err
}

// requireUnsealed refuses with ErrConflict if the case is sealed.
func requireUnsealed(tx *foundation.Tx, caseID string) error {
	kase, _, err := findCase(tx, caseID)
	if err != nil {
		return err
	}
	if kase.Status == CaseSealed {
		return foundation.Conflict("case", caseID, "is sealed: the sealed content of its evidence is closed to everyone")
	}
	return nil
}

// requireCurrentGrant refuses the caller unless it is the request's
// grantee — the same organisation and the same certificate identity, both
// read from the caller's certificate — and the request is granted and not
// expired at the transaction time.
func requireCurrentGrant(tx *foundation.Tx, ar *AccessRequest) error {
	if tx.Caller.MSPID != ar.Grantee.MSPID || tx.Caller.ID == "" || tx.Caller.ID != ar.Grantee.ID {
		return tx.Deny(fmt.Sprintf("the grantee of access request %s (an identity of %s named by its certificate)", ar.RequestID, ar.Grantee.MSPID))
	}
	switch {
	case ar.Status == AccessGranted && ar.Grant == nil:
		return fmt.Errorf("access request %q is granted without a grant", ar.RequestID)
	case ar.Status == AccessGranted && !tx.Time.Before(ar.Grant.ExpiresAt):
		return tx.Deny(fmt.Sprintf("a current grant, and the grant of access request %s expired at %s", ar.RequestID, ar.Grant.ExpiresAt.Format(TimeLayout)))
	case ar.Status == AccessGranted:
		return nil
	case ar.Status == AccessRevoked && ar.Revocation != nil:
		return tx.Deny(fmt.Sprintf("a current grant, and access request %s was revoked at %s", ar.RequestID, ar.Revocation.At.Format(TimeLayout)))
	default:
		return tx.Deny(fmt.Sprintf("a current grant, and access request %s is %s", ar.RequestID, ar.Status))
	}
}

// OpenSealedContent records, on the ledger, that the caller opens an
// evidence item's sealed content under a grant: the access log entry that
// ReadSealedContent then delivers the content against. It returns the entry
// and never the content.
//
// Reading sealed content takes two steps because chaincode cannot tell a
// submitted transaction from an evaluated one, and because a submitted
// transaction's response is written into the block, which every channel
// member (OversightMSP included) and the orderers receive:
//
//  1. OpenSealedContent, submitted: the log entry (who, what, when, under
//     which grant) is endorsed by the court and the notary office and
//     committed. Evaluated instead, it writes nothing and returns nothing
//     of the content, so skipping the submit gains nothing.
//  2. ReadSealedContent, evaluated: delivers the content, encrypted with a
//     key the reader chose, only against a committed entry naming the
//     caller. Its response therefore stays out of blocks, and is useless to
//     anyone but the reader if it is submitted anyway.
//
// Access: any identity of InternetCourtMSP or NotaryOfficeMSP that is the
// grantee of a current grant: same MSP ID and certificate identity, read
// from the caller's certificate, never from the request.
// Request: OpenSealedContentRequest {"requestId"}.
// Reads: evd.request/requestId, the case, the item.
// Rules: the caller is the grantee (ErrAccessDenied); the request is
// granted and the transaction is before the expiry (ErrAccessDenied
// otherwise, saying why: pending, denied, revoked or expired); the case is
// not sealed (ErrConflict).
// Writes: evd.accesslog/evidenceId/<next sequence> (reader from the
// certificate, the transaction time and ID, the grant, the sealed digest)
// with the evidence key-level endorsement policy; the item with its access
// log length.
// Event: SealedContentOpened.
//
// What the entry cannot prove: it records the transaction timestamp,
// which the client sets. A grantee can backdate a proposal to open content
// after the expiry, but the entry is still written, in block order, where
// an auditor compares it with the transactions around it. Revocation and
// sealing do not depend on time and cannot be evaded.
func (c *Contract) OpenSealedContent(ctx contractapi.TransactionContextInterface, request string) (*AccessLogEntry, error) {
	var req OpenSealedContentRequest
	tx, err := foundation.BeginRequest(ctx, foundation.Allow("OpenSealedContent", collectionMembers()), request, &req)
	if err != nil {
		return nil, err
	}
	ar, _, err := findRequest(tx, req.RequestID)
	if err != nil {
		return nil, err
	}
	if err := requireCurrentGrant(tx, ar); err != nil {
		return nil, err
	}
	if err := requireUnsealed(tx, ar.CaseID); err != nil {
		return nil, err
	}
	e, key, err := findEvidence(tx, ar.EvidenceID)
	if err != nil {
		return nil, err
	}
	entry, err := appendEntry(tx, e, key, accessLogKeys, &e.AccessLogEntries, MaxAccessLogEntries, "access log entries", func(sequence int) *AccessLogEntry {
		return &AccessLogEntry{
			EvidenceID:   e.EvidenceID,
			Sequence:     sequence,
			CaseID:       e.CaseID,
			RequestID:    ar.RequestID,
			SealedSHA256: e.SealedSHA256,
			Reader:       tx.Caller,
			OpenedAt:     tx.Time,
			TxID:         tx.ID,
		}
	})
	if err != nil {
		return nil, err
	}
	return entry, tx.Emit(EventSealedContentOpened)
}

// ReadSealedContent delivers an evidence item's sealed bytes (the content,
// or the key to content kept elsewhere) against a committed access log
// entry, encrypted with the reader's one-time key. Evaluate it: it writes
// nothing. Decrypt the result with SealedDelivery.Open.
//
// Access: any identity of InternetCourtMSP or NotaryOfficeMSP that is the
// reader named in the entry (same MSP ID and certificate identity) and
// still holds a current grant. The peers of those organisations alone hold
// the content, and give it to their own organisations' clients only.
// Arguments: evidenceId; sequence, the entry's number as OpenSealedContent
// returned it. Transient "readerKey": ReaderKey {"key": 64 hex}, a fresh
// random AES-256 key.
// Reads: evd.accesslog/evidenceId/sequence, the access request, the case,
// evd.sealed/evidenceId in SealedEvidence.
// Rules: the entry exists (ErrNotFound) and names the caller
// (ErrAccessDenied); the transaction is within AccessWindow after the
// entry (ErrAccessDenied: open the content again); the grant is still
// current (ErrAccessDenied: revoked or expired since) and the case is not
// sealed (ErrConflict); the sealed bytes still have the recorded digest.
//
// What this guarantees and what it does not:
//   - No content leaves the chaincode without a committed log entry naming
//     the reader's organisation and certificate, the item, the grant and
//     the time: evaluating OpenSealedContent instead of submitting it leaves
//     no entry, and then ReadSealedContent refuses.
//   - Within AccessWindow the reader may have the same content delivered
//     more than once against one entry; each delivery is covered by that
//     entry but not logged by itself, since an evaluation cannot write.
//     The window is checked against the client-set transaction timestamp,
//     so it binds honest clients; a revocation binds everyone.
//   - A grantee who has read the content can keep or pass it on; the log
//     says who received it and when, not what happened next.
//   - Administrators of the court's and the notary office's peers can read
//     the collection in their peers' databases without the chaincode; the
//     log covers access through the chaincode only.
func (c *Contract) ReadSealedContent(ctx contractapi.TransactionContextInterface, evidenceID string, sequence int) (*SealedDelivery, error) {
	tx, err := foundation.Begin(ctx, foundation.Allow("ReadSealedContent", collectionMembers()))
	if err != nil {
		return nil, err
	}
	if err := foundation.Arguments(func(v *foundation.Fields) {
		v.Identifier("evidenceId", evidenceID)
		v.Int("sequence", int64(sequence), 1, MaxAccessLogEntries)
	}); err != nil {
		return nil, err
	}
	readerKey, err := tx.ReaderKey()
	if err != nil {
		return nil, err
	}
	entryKey, err := accessLogKeys.Key(evidenceID, sequenceAttribute(sequence))
	if err != nil {
		return nil, err
	}
	entryName := fmt.Sprintf("%s #%d", evidenceID, sequence)
	entry, err := foundation.Find[AccessLogEntry](tx, entryKey, "access log entry", entryName)
	if err != nil {
		return nil, err
	}
	if entry.Reader.MSPID != tx.Caller.MSPID || tx.Caller.ID == "" || entry.Reader.ID != tx.Caller.ID {
		return nil, tx.Deny("the reader named in access log entry " + entryName)
	}
	if tx.Time.Before(entry.OpenedAt) || !tx.Time.Before(entry.OpenedAt.Add(AccessWindow)) {
		return nil, tx.Deny(fmt.Sprintf("an access log entry opened within the last %s, and entry %s was opened at %s; open the content again",
			AccessWindow, entryName, entry.OpenedAt.Format(TimeLayout)))
	}
	ar, _, err := findRequest(tx, entry.RequestID)
	if err != nil {
		return nil, err
	}
	if err := requireCurrentGrant(tx, ar); err != nil {
		return nil, err
	}
	if err := requireUnsealed(tx, entry.CaseID); err != nil {
		return nil, err
	}
	sealedKey, err := sealedKeys.Key(evidenceID)
	if err != nil {
		return nil, err
	}
	var record sealedRecord
	found, err := tx.GetPrivate(consortium.SealedEvidenceCollection, sealedKey, &record)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, fmt.Errorf("sealed content of evidence %q is not on this peer", evidenceID)
	}
	if foundation.SHA256Hex(record.Data) != entry.SealedSHA256 {
		return nil, fmt.Errorf("sealed content of evidence %q does not hash to the recorded digest", evidenceID)
	}
	return deliver(tx.ID, entry, &record, readerKey)
}

// GetAccessRequest returns an access request with its decisions.
//
// Access: any identity of the judicial-evidence channel's members.
// Reads: evd.request/requestId.
// Errors: ErrNotFound for an unknown request ID.
func (c *Contract) GetAccessRequest(ctx contractapi.TransactionContextInterface, requestID string) (*AccessRequest, error) {
	tx, err := foundation.Begin(ctx, foundation.Allow("GetAccessRequest", channelMembers()))
	if err != nil {
		return nil, err
	}
	if err := requestArguments(requestID); err != nil {
		return nil, err
	}
	ar, _, err := findRequest(tx, requestID)
	return ar, err
}

// GetAccessRequestHistory returns every version of an access request,
// newest first: as requested, then granted or denied, then revoked.
//
// Access: any identity of the judicial-evidence channel's members.
// Reads: evd.request/requestId and its history.
func (c *Contract) GetAccessRequestHistory(ctx contractapi.TransactionContextInterface, requestID string) (*History, error) {
	tx, err := foundation.Begin(ctx, foundation.Allow("GetAccessRequestHistory", channelMembers()))
	if err != nil {
		return nil, err
	}
	if err := requestArguments(requestID); err != nil {
		return nil, err
	}
	_, key, err := findRequest(tx, requestID)
	if err != nil {
		return nil, err
	}
	return foundation.HistoryOf[AccessRequest](tx, key, foundation.RecordName("access request", requestID))
}

func requestArguments(requestID string) error {
	return foundation.Arguments(func(v *foundation.Fields) { v.Identifier("requestId", requestID) })
}

// GetAccessLog returns one page of an evidence item's access log, oldest
// first: every opening of its sealed content, by whom, when and under
// which grant. Entries are written once and never changed.
//
// Access: any identity of the judicial-evidence channel's members,
// OversightMSP included.
// Arguments: evidenceId; pageSize (0 for the default, capped at 100); the
// bookmark of the previous page ("" for the first).
// Reads: the item and one page of evd.accesslog/evidenceId/....
func (c *Contract) GetAccessLog(ctx contractapi.TransactionContextInterface, evidenceID string, pageSize int32, bookmark string) (*AccessLogPage, error) {
	tx, err := foundation.Begin(ctx, foundation.Allow("GetAccessLog", channelMembers()))
	if err != nil {
		return nil, err
	}
	if err := evidenceArguments(evidenceID); err != nil {
		return nil, err
	}
	if _, _, err := findEvidence(tx, evidenceID); err != nil {
		return nil, err
	}
	entries, info, err := foundation.List[AccessLogEntry](tx, accessLogKeys, []string{evidenceID}, pageSize, bookmark)
	if err != nil {
		return nil, err
	}
	return &AccessLogPage{EvidenceID: evidenceID, Entries: entries, PageInfo: info}, nil
}

// WhoAmI returns the caller as the contract sees it: MSP ID, role and
// certificate identity. A clerk names a grantee by what WhoAmI returns to
// the grantee.
//
// Access: any identity of the judicial-evidence channel's members.
// Reads: nothing.
func (c *Contract) WhoAmI(ctx contractapi.TransactionContextInterface) (*foundation.Caller, error) {
	tx, err := foundation.Begin(ctx, foundation.Allow("WhoAmI", channelMembers()))
	if err != nil {
		return nil, err
	}
	caller := tx.Caller
	return &caller, nil
}
