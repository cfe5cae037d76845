package evidence

import (
	"encoding/json"
	"fmt"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/foundation"
)

// SubmitEvidence puts an electronic evidence item on the ledger: its
// SHA-256 digest and metadata in the public state, and its sealed bytes —
// the content, or the key that decrypts content kept elsewhere — in the
// SealedEvidence collection of the court and the notary office.
//
// Access: role "clerk" of InternetCourtMSP or role "notary" of
// NotaryOfficeMSP.
// Request: SubmitEvidenceRequest {"evidenceId", "caseId", "contentSha256",
// "mediaType", "sizeBytes", "description", "provenance": {"tool",
// "capturedAt", "source"}, "sealedAs", "keySha256"}; transient "content":
// the sealed bytes, raw.
// Checks: the sealed bytes hash to contentSha256 and are sizeBytes long
// (sealedAs "content", at most MaxContentBytes), or hash to keySha256 and
// are MinKeyBytes to MaxKeyBytes long (sealedAs "key"); the capture time is
// not after the transaction.
// Reads: evd.case/caseId, evd.locator/evidenceId,
// evd.hash/contentSha256/caseId (and, to name it, the first submission).
// Rules: the case exists (ErrNotFound) and is open (ErrConflict); an
// evidence ID is used once in the channel (ErrAlreadyExists); a content
// digest is submitted once per case (ErrAlreadyExists, naming the first
// submission, its submitter and time).
// Writes: evd.evidence/caseId/evidenceId (submitter from the certificate,
// submitted at the transaction time), evd.locator/evidenceId and
// evd.hash/contentSha256/caseId, each with a key-level endorsement policy
// requiring InternetCourtMSP and NotaryOfficeMSP; the sealed bytes to
// SealedEvidence under evd.sealed/evidenceId.
// Event: EvidenceSubmitted.
func (c *Contract) SubmitEvidence(ctx contractapi.TransactionContextInterface, request string) (*Evidence, error) {
	var req SubmitEvidenceRequest
	tx, err := foundation.BeginRequest(ctx, foundation.Allow("SubmitEvidence", clerks(), notaries()), request, &req)
	if err != nil {
		return nil, err
	}
	if req.capturedAt.After(tx.Time) {
		return nil, &foundation.InputError{Input: "request", Fields: []foundation.FieldError{{
			Field: "provenance.capturedAt", Problem: "must not be after the submission (" + tx.Time.Format(TimeLayout) + ")",
		}}}
	}
	sealed, err := readSealedBytes(tx, &req)
	if err != nil {
		return nil, err
	}
	// the case, the evidence ID's locator and the content's entry in the
	// case are all named by the request: one read of the three
	caseKey, err := caseKeys.Key(req.CaseID)
	if err != nil {
		return nil, err
	}
	locatorKey, err := locatorKeys.Key(req.EvidenceID)
	if err != nil {
		return nil, err
	}
	hashKey, err := hashKeys.Key(req.ContentSHA256, req.CaseID)
	if err != nil {
		return nil, err
	}
	var (
		kase  Case
		loc   evidenceLocator
		first hashEntry
	)
	found, err := tx.GetAll([]foundation.Key{caseKey, locatorKey, hashKey}, &kase, &loc, &first)
	if err != nil {
		return nil, err
	}
	if !found[0] {
		return nil, foundation.NotFound("case", req.CaseID)
	}
	if kase.Status != CaseOpen {
		return nil, foundation.Conflict("case", req.CaseID, "is "+kase.Status+"; evidence can be submitted to open cases only")
	}
	if found[1] {
		return nil, foundation.AlreadyExists("evidence", req.EvidenceID, "in case "+loc.CaseID+"; evidence IDs are unique in the channel")
	}
	if found[2] {
		return nil, duplicateContent(tx, req.CaseID, req.ContentSHA256, first.EvidenceID)
	}
	evidenceKey, err := evidenceKeys.Key(req.CaseID, req.EvidenceID)
	if err != nil {
		return nil, err
	}
	e := &Evidence{
		EvidenceID:    req.EvidenceID,
		CaseID:        req.CaseID,
		ContentSHA256: req.ContentSHA256,
		MediaType:     req.MediaType,
		SizeBytes:     req.SizeBytes,
		Description:   req.Description,
		Provenance:    Provenance{Tool: req.Provenance.Tool, CapturedAt: req.capturedAt, Source: req.Provenance.Source},
		SealedAs:      req.SealedAs,
		SealedSHA256:  req.sealedSHA256(),
		SubmittedBy:   tx.Caller,
		SubmittedAt:   tx.Time,
	}
	if err := create(tx, evidenceKey, e); err != nil {
		return nil, err
	}
	if err := create(tx, locatorKey, evidenceLocator{CaseID: req.CaseID}); err != nil {
		return nil, err
	}
	if err := create(tx, hashKey, hashEntry{EvidenceID: req.EvidenceID}); err != nil {
		return nil, err
	}
	sealedKey, err := sealedKeys.Key(req.EvidenceID)
	if err != nil {
		return nil, err
	}
	record := &sealedRecord{EvidenceID: e.EvidenceID, CaseID: e.CaseID, SealedAs: e.SealedAs, SealedSHA256: e.SealedSHA256, Data: sealed}
	if _, err := tx.PutPrivate(consortium.SealedEvidenceCollection, sealedKey, record); err != nil {
		return nil, err
	}
	return e, tx.Emit(EventEvidenceSubmitted)
}

// readSealedBytes reads the sealed bytes from the transient data and checks
// them against the request. It reads nothing from the ledger, and its
// errors never contain the bytes.
func readSealedBytes(tx *foundation.Tx, req *SubmitEvidenceRequest) ([]byte, error) {
	entries, err := tx.Stub().GetTransient()
	if err != nil {
		return nil, fmt.Errorf("read transient data: %w", err)
	}
	data := entries[TransientContent]
	var v foundation.Fields
	switch {
	case len(data) == 0:
		v.Problem(TransientContent, "required as transient data: the sealed content or key, raw")
	case req.SealedAs == SealedAsContent && len(data) > MaxContentBytes:
		v.Problem(TransientContent, fmt.Sprintf("is %d bytes, over the limit of %d bytes for sealed content", len(data), MaxContentBytes))
	case req.SealedAs == SealedAsContent && int64(len(data)) != req.SizeBytes:
		v.Problem(TransientContent, fmt.Sprintf("is %d bytes but the request's sizeBytes is %d", len(data), req.SizeBytes))
	case req.SealedAs == SealedAsKey && (len(data) < MinKeyBytes || len(data) > MaxKeyBytes):
		v.Problem(TransientContent, fmt.Sprintf("must be a key of %d to %d bytes when sealedAs is %q", MinKeyBytes, MaxKeyBytes, SealedAsKey))
	case req.SealedAs == SealedAsKey && !v.SecretBytes(TransientContent, data):
		// the key's digest is public: a key that is not random would
		// open the department's encrypted copy to whoever guesses it
	case foundation.SHA256Hex(data) != req.sealedSHA256():
		field := "contentSha256"
		if req.SealedAs == SealedAsKey {
			field = "keySha256"
		}
		v.Problem(TransientContent, "does not hash to the request's "+field)
	}
	if problems := v.Problems(); len(problems) > 0 {
		return nil, &foundation.InputError{Input: fmt.Sprintf("transient %q", TransientContent), Fields: problems}
	}
	return data, nil
}

// duplicateContent is the refusal of a content digest already submitted to
// the case, naming the first submission.
func duplicateContent(tx *foundation.Tx, caseID, digest, firstID string) error {
	key, err := evidenceKeys.Key(caseID, firstID)
	if err != nil {
		return err
	}
	var first Evidence
	found, err := tx.Get(key, &first)
	if err != nil {
		return err
	}
	if !found {
		return fmt.Errorf("content %q of case %q: index names evidence %q, which is missing", digest, caseID, firstID)
	}
	return foundation.AlreadyExists("content", digest, fmt.Sprintf("case %s holds it as evidence %s, submitted by %s on %s",
		caseID, firstID, first.SubmittedBy.MSPID, first.SubmittedAt.Format(TimeLayout)))
}

// findEvidence reads an evidence item by its ID: the locator, then the
// item. ErrNotFound for an unknown ID.
func findEvidence(tx *foundation.Tx, evidenceID string) (*Evidence, foundation.Key, error) {
	locatorKey, err := locatorKeys.Key(evidenceID)
	if err != nil {
		return nil, foundation.Key{}, err
	}
	loc, err := foundation.Find[evidenceLocator](tx, locatorKey, "evidence", evidenceID)
	if err != nil {
		return nil, foundation.Key{}, err
	}
	key, err := evidenceKeys.Key(loc.CaseID, evidenceID)
	if err != nil {
		return nil, foundation.Key{}, err
	}
	var e Evidence
	found, err := tx.Get(key, &e)
	if err != nil {
		return nil, foundation.Key{}, err
	}
	if !found {
		return nil, foundation.Key{}, fmt.Errorf("evidence %q: locator points to a missing record in case %q", evidenceID, loc.CaseID)
	}
	return &e, key, nil
}

func evidenceArguments(evidenceID string) error {
	return foundation.Arguments(func(v *foundation.Fields) { v.Identifier("evidenceId", evidenceID) })
}

// GetEvidence returns an evidence item's public record.
//
// Access: any identity of the judicial-evidence channel's members.
// Reads: evd.locator/evidenceId and the item.
// Errors: ErrNotFound for an unknown evidence ID.
func (c *Contract) GetEvidence(ctx contractapi.TransactionContextInterface, evidenceID string) (*Evidence, error) {
	tx, err := foundation.Begin(ctx, foundation.Allow("GetEvidence", channelMembers()))
	if err != nil {
		return nil, err
	}
	if err := evidenceArguments(evidenceID); err != nil {
		return nil, err
	}
	e, _, err := findEvidence(tx, evidenceID)
	return e, err
}

// GetEvidenceHistory returns every version of an evidence item's public
// record, newest first: as submitted, and after each notarisation, custody
// event and opening of its sealed content.
//
// Access: any identity of the judicial-evidence channel's members.
// Reads: evd.locator/evidenceId, the item and its history.
func (c *Contract) GetEvidenceHistory(ctx contractapi.TransactionContextInterface, evidenceID string) (*History, error) {
	tx, err := foundation.Begin(ctx, foundation.Allow("GetEvidenceHistory", channelMembers()))
	if err != nil {
		return nil, err
	}
	if err := evidenceArguments(evidenceID); err != nil {
		return nil, err
	}
	_, key, err := findEvidence(tx, evidenceID)
	if err != nil {
		return nil, err
	}
	return foundation.HistoryOf[Evidence](tx, key, foundation.RecordName("evidence", evidenceID))
}

// VerifyEvidenceByHash looks content up by its SHA-256 digest: was it
// submitted, in which cases, by whom, when, is it notarised, and how long
// is its custody chain. An unknown digest is an answer (Found false), not
// an error.
//
// Access: any identity of the judicial-evidence channel's members,
// OversightMSP included.
// Reads: the range evd.hash/contentSha256/... and each item it names.
func (c *Contract) VerifyEvidenceByHash(ctx contractapi.TransactionContextInterface, contentSHA256 string) (*EvidenceVerification, error) {
	tx, err := foundation.Begin(ctx, foundation.Allow("VerifyEvidenceByHash", channelMembers()))
	if err != nil {
		return nil, err
	}
	if err := foundation.Arguments(func(v *foundation.Fields) { v.SHA256Hex("contentSha256", contentSHA256) }); err != nil {
		return nil, err
	}
	result := &EvidenceVerification{ContentSHA256: contentSHA256, Submissions: []Submission{}}
	err = tx.Scan(hashKeys, []string{contentSHA256}, func(key foundation.Key, value []byte) error {
		var entry hashEntry
		if err := json.Unmarshal(value, &entry); err != nil {
			return fmt.Errorf("decode content index of case %q: %w", key.Attributes[1], err)
		}
		evidenceKey, err := evidenceKeys.Key(key.Attributes[1], entry.EvidenceID)
		if err != nil {
			return err
		}
		var e Evidence
		found, err := tx.Get(evidenceKey, &e)
		if err != nil {
			return err
		}
		if !found {
			return fmt.Errorf("content index of case %q names evidence %q, which is missing", key.Attributes[1], entry.EvidenceID)
		}
		result.Submissions = append(result.Submissions, Submission{
			EvidenceID:         e.EvidenceID,
			CaseID:             e.CaseID,
			SubmittedBy:        e.SubmittedBy,
			SubmittedAt:        e.SubmittedAt,
			Notarised:          e.Notarisations > 0,
			Notarisations:      e.Notarisations,
			CustodyChainLength: e.CustodyEvents,
		})
		return nil
	})
	if err != nil {
		return nil, err
	}
	result.Found = len(result.Submissions) > 0
	return result, nil
}
