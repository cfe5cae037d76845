package education

import (
	"encoding/json"
	"fmt"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/govshare/govshare/chaincode/foundation"
)

// RecordCredit records a course credit a university awarded to a student.
//
// Access: role "registrar" of any member organisation (by membership), whose
// university has an active accreditation.
// Request: RecordCreditRequest {"creditId", "studentRef", "courseCode",
// "courseTitle", "creditTenths", "grade", "term"}; transient "student":
// StudentDetails {"studentNumber", "fullName", "birthDate", "salt"}.
// Checks: the transient details hash to studentRef (see StudentRef).
// Reads: the caller's edu.accreditation, edu.credit/creditId, the hash of
// the student's private record.
// Rule: a credit ID is used once, by any university (ErrAlreadyExists).
// Writes: edu.credit/creditId (locator) and edu.transcript/studentRef/
// creditId/"" (the credit, issuer = the caller's MSP, recorded at the
// transaction time, status active), both with a key-level endorsement
// policy requiring the issuing university and EduMinistryMSP; the student's
// details to StudentPII_<caller MSP> under edu.student/studentRef.
// Event: CreditRecorded.
func (c *Contract) RecordCredit(ctx contractapi.TransactionContextInterface, request string) (*Credit, error) {
	var req RecordCreditRequest
	tx, err := foundation.BeginRequest(ctx, foundation.Allow("RecordCredit", registrars()), request, &req)
	if err != nil {
		return nil, err
	}
	locatorKey, err := creditKeys.Key(req.CreditID)
	if err != nil {
		return nil, err
	}
	var existing creditLocator
	found, err := requireAccredited(tx, []foundation.Key{locatorKey}, &existing)
	if err != nil {
		return nil, err
	}
	student, err := readStudent(tx, req.StudentRef)
	if err != nil {
		return nil, err
	}
	if found[0] {
		return nil, foundation.AlreadyExists("credit", req.CreditID, "credit IDs are unique across universities")
	}
	entryKey, err := transcriptKeys.Key(req.StudentRef, req.CreditID, creditEntry)
	if err != nil {
		return nil, err
	}
	credit := &Credit{
		CreditID:     req.CreditID,
		StudentRef:   req.StudentRef,
		CourseCode:   req.CourseCode,
		CourseTitle:  req.CourseTitle,
		CreditTenths: req.CreditTenths,
		Grade:        req.Grade,
		Term:         req.Term,
		Issuer:       tx.Caller.MSPID,
		RecordedAt:   tx.Time,
		RecordedBy:   tx.Caller.ID,
		Status:       StatusActive,
	}
	if err := tx.Put(locatorKey, creditLocator{StudentRef: req.StudentRef}); err != nil {
		return nil, err
	}
	if err := tx.Put(entryKey, credit); err != nil {
		return nil, err
	}
	for _, key := range []foundation.Key{locatorKey, entryKey} {
		if err := tx.RequireEndorsement(key, owners(credit.Issuer)...); err != nil {
			return nil, err
		}
	}
	if err := writeStudent(tx, student); err != nil {
		return nil, err
	}
	return credit, tx.Emit(EventCreditRecorded)
}

// transcriptKey returns the transcript key of a credit's entry
// (recognisedBy creditEntry) or of a university's recognition of it, found
// through the credit's locator. It returns ErrNotFound for an unknown
// credit ID.
func transcriptKey(tx *foundation.Tx, creditID, recognisedBy string) (foundation.Key, error) {
	locatorKey, err := creditKeys.Key(creditID)
	if err != nil {
		return foundation.Key{}, err
	}
	var loc creditLocator
	found, err := tx.Get(locatorKey, &loc)
	if err != nil {
		return foundation.Key{}, err
	}
	if !found {
		return foundation.Key{}, foundation.NotFound("credit", creditID)
	}
	return transcriptKeys.Key(loc.StudentRef, creditID, recognisedBy)
}

// findCredit reads a credit by its ID: the locator, then the credit. It
// returns ErrNotFound for an unknown ID.
func findCredit(tx *foundation.Tx, creditID string) (*Credit, foundation.Key, error) {
	entryKey, err := transcriptKey(tx, creditID, creditEntry)
	if err != nil {
		return nil, foundation.Key{}, err
	}
	var credit Credit
	found, err := tx.Get(entryKey, &credit)
	if err != nil {
		return nil, foundation.Key{}, err
	}
	if !found {
		return nil, foundation.Key{}, missingEntry(creditID)
	}
	return &credit, entryKey, nil
}

// missingEntry is the error of a credit whose locator exists without its
// transcript entry: a broken ledger, never a caller's mistake.
func missingEntry(creditID string) error {
	return fmt.Errorf("credit %q: locator points to a missing transcript entry", creditID)
}

// RecogniseCredit records that the caller's university accepts an active
// credit of another university.
//
// Access: role "registrar" of any member organisation (by membership), whose
// university has an active accreditation.
// Request: RecogniseCreditRequest {"creditId", "acceptedCreditTenths"}.
// Reads: the caller's edu.accreditation, the credit (edu.credit and
// edu.transcript), edu.transcript/studentRef/creditId/<caller MSP>.
// Rules: the credit exists (ErrNotFound), is active (ErrConflict) and was
// issued by another university (ErrConflict); acceptedCreditTenths does
// not exceed the credit's creditTenths (ErrInvalidInput); a university
// recognises a credit once, even after revoking its recognition
// (ErrAlreadyExists).
// Writes: edu.transcript/studentRef/creditId/<caller MSP>, the recognition,
// with a key-level endorsement policy requiring the recognising university
// and EduMinistryMSP.
// Event: CreditRecognised.
func (c *Contract) RecogniseCredit(ctx contractapi.TransactionContextInterface, request string) (*Recognition, error) {
	var req RecogniseCreditRequest
	tx, err := foundation.BeginRequest(ctx, foundation.Allow("RecogniseCredit", registrars()), request, &req)
	if err != nil {
		return nil, err
	}
	locatorKey, err := creditKeys.Key(req.CreditID)
	if err != nil {
		return nil, err
	}
	var loc creditLocator
	found, err := requireAccredited(tx, []foundation.Key{locatorKey}, &loc)
	if err != nil {
		return nil, err
	}
	if !found[0] {
		return nil, foundation.NotFound("credit", req.CreditID)
	}
	// the credit and this university's recognition of it sit side by
	// side in the student's transcript: one read of both
	entryKey, err := transcriptKeys.Key(loc.StudentRef, req.CreditID, creditEntry)
	if err != nil {
		return nil, err
	}
	key, err := transcriptKeys.Key(loc.StudentRef, req.CreditID, tx.Caller.MSPID)
	if err != nil {
		return nil, err
	}
	var (
		credit   Credit
		existing Recognition
	)
	found, err = tx.GetAll([]foundation.Key{entryKey, key}, &credit, &existing)
	if err != nil {
		return nil, err
	}
	if !found[0] {
		return nil, missingEntry(req.CreditID)
	}
	switch {
	case credit.Issuer == tx.Caller.MSPID:
		return nil, foundation.Conflict("credit", req.CreditID, "was issued by "+credit.Issuer+"; a university cannot recognise its own credit")
	case credit.Status != StatusActive:
		return nil, foundation.Conflict("credit", req.CreditID, "is "+credit.Status+" and cannot be recognised")
	case req.AcceptedCreditTenths > credit.CreditTenths:
		return nil, &foundation.InputError{Input: "request", Fields: []foundation.FieldError{{
			Field:   "acceptedCreditTenths",
			Problem: fmt.Sprintf("must not exceed the credit's %d tenths", credit.CreditTenths),
		}}}
	}
	if found[1] {
		return nil, foundation.AlreadyExists("recognition", recognitionName(req.CreditID, tx.Caller.MSPID),
			"recognised on "+existing.RecognisedAt.Format(timeLayout)+", now "+existing.Status)
	}
	rec := &Recognition{
		CreditID:             credit.CreditID,
		StudentRef:           credit.StudentRef,
		RecognisedBy:         tx.Caller.MSPID,
		Issuer:               credit.Issuer,
		AcceptedCreditTenths: req.AcceptedCreditTenths,
		RecognisedAt:         tx.Time,
		RecordedBy:           tx.Caller.ID,
		Status:               StatusActive,
	}
	if err := tx.Put(key, rec); err != nil {
		return nil, err
	}
	if err := tx.RequireEndorsement(key, owners(rec.RecognisedBy)...); err != nil {
		return nil, err
	}
	return rec, tx.Emit(EventCreditRecognised)
}

func recognitionName(creditID, university string) string {
	return creditID + " by " + university
}

// RevokeCredit withdraws a credit. The credit stays on the ledger with
// status revoked and its revocation; its history keeps every version.
// Recognitions of the credit are the recognising universities' records and
// are not changed; transcripts show them next to the revoked credit.
//
// Access: role "registrar" of any member organisation (by membership), whose
// university has an active accreditation and issued the credit
// (ErrAccessDenied otherwise).
// Request: RevokeCreditRequest {"creditId", "reason"}.
// Reads: the caller's edu.accreditation, the credit.
// Rule: the credit exists (ErrNotFound) and is active (ErrConflict).
// Writes: the credit's edu.transcript entry, status revoked. Its key-level
// policy requires the issuer's and the ministry's peers to endorse.
// Event: CreditRevoked.
func (c *Contract) RevokeCredit(ctx contractapi.TransactionContextInterface, request string) (*Credit, error) {
	var req RevokeCreditRequest
	tx, err := beginUniversityWrite(ctx, foundation.Allow("RevokeCredit", registrars()), request, &req)
	if err != nil {
		return nil, err
	}
	credit, key, err := findCredit(tx, req.CreditID)
	if err != nil {
		return nil, err
	}
	if credit.Issuer != tx.Caller.MSPID {
		return nil, tx.Deny("the issuing university of credit " + req.CreditID + " (" + credit.Issuer + ")")
	}
	if credit.Status != StatusActive {
		return nil, foundation.Conflict("credit", req.CreditID, "is already "+credit.Status)
	}
	credit.Status, credit.Revocation = StatusRevoked, revocation(tx, req.Reason)
	if err := tx.Put(key, credit); err != nil {
		return nil, err
	}
	return credit, tx.Emit(EventCreditRevoked)
}

// RevokeRecognition withdraws the caller's university's recognition of a
// credit. The recognition stays on the ledger with status revoked.
//
// Access: role "registrar" of any member organisation (by membership), whose
// university has an active accreditation. Only the recognising university
// can revoke: the recognition is looked up under the caller's MSP ID.
// Request: RevokeCreditRequest {"creditId", "reason"}.
// Reads: the caller's edu.accreditation, the credit's locator,
// edu.transcript/studentRef/creditId/<caller MSP>.
// Rule: the recognition exists (ErrNotFound) and is active (ErrConflict).
// Writes: the recognition, status revoked.
// Event: RecognitionRevoked.
func (c *Contract) RevokeRecognition(ctx contractapi.TransactionContextInterface, request string) (*Recognition, error) {
	var req RevokeCreditRequest
	tx, err := beginUniversityWrite(ctx, foundation.Allow("RevokeRecognition", registrars()), request, &req)
	if err != nil {
		return nil, err
	}
	rec, key, err := findRecognition(tx, req.CreditID, tx.Caller.MSPID)
	if err != nil {
		return nil, err
	}
	if rec.Status != StatusActive {
		return nil, foundation.Conflict("recognition", recognitionName(req.CreditID, tx.Caller.MSPID), "is already "+rec.Status)
	}
	rec.Status, rec.Revocation = StatusRevoked, revocation(tx, req.Reason)
	if err := tx.Put(key, rec); err != nil {
		return nil, err
	}
	return rec, tx.Emit(EventRecognitionRevoked)
}

// findRecognition reads university's recognition of a credit.
func findRecognition(tx *foundation.Tx, creditID, university string) (*Recognition, foundation.Key, error) {
	key, err := transcriptKey(tx, creditID, university)
	if err != nil {
		return nil, foundation.Key{}, err
	}
	var rec Recognition
	found, err := tx.Get(key, &rec)
	if err != nil {
		return nil, foundation.Key{}, err
	}
	if !found {
		return nil, foundation.Key{}, foundation.NotFound("recognition", recognitionName(creditID, university))
	}
	return &rec, key, nil
}

// GetCredit returns a credit, whatever its status.
//
// Access: any identity of the education-credit channel's members.
// Reads: edu.credit/creditId and the credit's edu.transcript entry.
// Errors: ErrNotFound for an unknown credit ID.
func (c *Contract) GetCredit(ctx contractapi.TransactionContextInterface, creditID string) (*Credit, error) {
	tx, err := beginRead(ctx, "GetCredit")
	if err != nil {
		return nil, err
	}
	if err := foundation.Arguments(func(v *foundation.Fields) { v.Identifier("creditId", creditID) }); err != nil {
		return nil, err
	}
	credit, _, err := findCredit(tx, creditID)
	return credit, err
}

// GetCreditHistory returns every version of a credit, newest first: as
// recorded and, if revoked, as revoked.
//
// Access: any identity of the education-credit channel's members.
// Reads: edu.credit/creditId and the history of the credit's entry.
func (c *Contract) GetCreditHistory(ctx contractapi.TransactionContextInterface, creditID string) (*History, error) {
	tx, err := beginRead(ctx, "GetCreditHistory")
	if err != nil {
		return nil, err
	}
	if err := foundation.Arguments(func(v *foundation.Fields) { v.Identifier("creditId", creditID) }); err != nil {
		return nil, err
	}
	_, key, err := findCredit(tx, creditID)
	if err != nil {
		return nil, err
	}
	return foundation.HistoryOf[Credit](tx, key, foundation.RecordName("credit", creditID))
}

// GetRecognition returns a university's recognition of a credit.
//
// Access: any identity of the education-credit channel's members.
// Reads: edu.credit/creditId, edu.transcript/studentRef/creditId/recognisedBy.
// Errors: ErrNotFound if the credit or the recognition does not exist.
func (c *Contract) GetRecognition(ctx contractapi.TransactionContextInterface, creditID, recognisedBy string) (*Recognition, error) {
	tx, err := beginRead(ctx, "GetRecognition")
	if err != nil {
		return nil, err
	}
	if err := recognitionArguments(creditID, recognisedBy); err != nil {
		return nil, err
	}
	rec, _, err := findRecognition(tx, creditID, recognisedBy)
	return rec, err
}

// GetRecognitionHistory returns every version of a recognition, newest
// first.
//
// Access: any identity of the education-credit channel's members.
// Reads: edu.credit/creditId and the history of the recognition's key.
func (c *Contract) GetRecognitionHistory(ctx contractapi.TransactionContextInterface, creditID, recognisedBy string) (*History, error) {
	tx, err := beginRead(ctx, "GetRecognitionHistory")
	if err != nil {
		return nil, err
	}
	if err := recognitionArguments(creditID, recognisedBy); err != nil {
		return nil, err
	}
	_, key, err := findRecognition(tx, creditID, recognisedBy)
	if err != nil {
		return nil, err
	}
	return foundation.HistoryOf[Recognition](tx, key, "recognition "+recognitionName(creditID, recognisedBy))
}

func recognitionArguments(creditID, recognisedBy string) error {
	return foundation.Arguments(func(v *foundation.Fields) {
		v.Identifier("creditId", creditID)
		v.Identifier("recognisedBy", recognisedBy)
	})
}

// GetTranscript returns one page of a student's credits and recognitions
// and the total of the student's active credits.
//
// Access: any identity of the education-credit channel's members (the
// transcript names the student only by reference).
// Arguments: studentRef; pageSize (0 for the default, capped at 100); the
// bookmark of the previous page ("" for the first).
// Reads: one page of edu.transcript/studentRef/...; for the total, every
// entry of the student, unless the first page already holds them all.
// Entries are in credit ID order, each credit followed by its
// recognitions; revoked records are included with their status.
func (c *Contract) GetTranscript(ctx contractapi.TransactionContextInterface, studentRef string, pageSize int32, bookmark string) (*Transcript, error) {
	tx, err := beginRead(ctx, "GetTranscript")
	if err != nil {
		return nil, err
	}
	if err := foundation.Arguments(func(v *foundation.Fields) { v.SHA256Hex("studentRef", studentRef) }); err != nil {
		return nil, err
	}
	t := &Transcript{StudentRef: studentRef, Entries: []TranscriptEntry{}}
	t.PageInfo, err = tx.Page(transcriptKeys, []string{studentRef}, pageSize, bookmark, func(key foundation.Key, value []byte) error {
		entry, err := decodeTranscriptEntry(key, value)
		if err != nil {
			return err
		}
		t.Entries = append(t.Entries, entry)
		return nil
	})
	if err != nil {
		return nil, err
	}
	addActive := func(tenths int, status string) {
		if status == StatusActive {
			t.ActiveCreditTenths += tenths
			t.ActiveCreditCount++
		}
	}
	if bookmark == "" && t.Bookmark == "" {
		// the page is the whole transcript
		for _, e := range t.Entries {
			if e.Credit != nil {
				addActive(e.Credit.CreditTenths, e.Credit.Status)
			}
		}
		return t, nil
	}
	err = tx.Scan(transcriptKeys, []string{studentRef}, func(key foundation.Key, value []byte) error {
		if key.Attributes[2] != creditEntry {
			return nil
		}
		// only the two fields the total needs
		var credit struct {
			CreditTenths int    `json:"creditTenths"`
			Status       string `json:"status"`
		}
		if err := json.Unmarshal(value, &credit); err != nil {
			return fmt.Errorf("decode credit %q: %w", key.Attributes[1], err)
		}
		addActive(credit.CreditTenths, credit.Status)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// decodeTranscriptEntry decodes an edu.transcript value: a Credit for the
// credit's own entry, a Recognition otherwise.
func decodeTranscriptEntry(key foundation.Key, value []byte) (TranscriptEntry, error) {
	if key.Attributes[2] == creditEntry {
		var credit Credit
		if err := json.Unmarshal(value, &credit); err != nil {
			return TranscriptEntry{}, fmt.Errorf("decode credit %q: %w", key.Attributes[1], err)
		}
		return TranscriptEntry{Kind: KindCredit, Credit: &credit}, nil
	}
	var rec Recognition
	if err := json.Unmarshal(value, &rec); err != nil {
		return TranscriptEntry{}, fmt.Errorf("decode recognition %q: %w", recognitionName(key.Attributes[1], key.Attributes[2]), err)
	}
	return TranscriptEntry{Kind: KindRecognition, Recognition: &rec}, nil
}
