package education

import (
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/govshare/govshare/chaincode/foundation"
)

// RegisterDiploma registers the SHA-256 digest of a diploma document, so
// that anyone shown the document can verify it with VerifyDiploma.
//
// Access: role "registrar" of any member organisation (by membership), whose
// university has an active accreditation.
// Request: RegisterDiplomaRequest {"documentHash", "studentRef", "degree"};
// transient "student": StudentDetails, as for RecordCredit.
// Checks: the transient details hash to studentRef.
// Reads: the caller's edu.accreditation, edu.diploma/documentHash, the hash
// of the student's private record.
// Rule: a document digest is registered once (ErrAlreadyExists, naming the
// first registration).
// Writes: edu.diploma/documentHash (issuer = the caller's MSP, status
// active) with a key-level endorsement policy requiring the issuing
// university and EduMinistryMSP; the student's details to
// StudentPII_<caller MSP>.
// Event: DiplomaRegistered.
func (c *Contract) RegisterDiploma(ctx contractapi.TransactionContextInterface, request string) (*Diploma, error) {
	var req RegisterDiplomaRequest
	tx, err := beginUniversityWrite(ctx, foundation.Allow("RegisterDiploma", registrars()), request, &req)
	if err != nil {
		return nil, err
	}
	student, err := readStudent(tx, req.StudentRef)
	if err != nil {
		return nil, err
	}
	existing, key, found, err := readDiploma(tx, req.DocumentHash)
	if err != nil {
		return nil, err
	}
	if found {
		return nil, foundation.AlreadyExists("diploma", req.DocumentHash,
			"registered by "+existing.Issuer+" on "+existing.RegisteredAt.Format(timeLayout))
	}
	diploma := &Diploma{
		DocumentHash: req.DocumentHash,
		StudentRef:   req.StudentRef,
		Degree:       req.Degree,
		Issuer:       tx.Caller.MSPID,
		RegisteredAt: tx.Time,
		RegisteredBy: tx.Caller.ID,
		Status:       StatusActive,
	}
	if err := tx.Put(key, diploma); err != nil {
		return nil, err
	}
	if err := tx.RequireEndorsement(key, owners(diploma.Issuer)...); err != nil {
		return nil, err
	}
	if err := writeStudent(tx, student); err != nil {
		return nil, err
	}
	return diploma, tx.Emit(EventDiplomaRegistered)
}

// RevokeDiploma withdraws a diploma. It stays registered with status
// revoked, so verification tells a revoked diploma from an unknown one.
//
// Access: role "registrar" of any member organisation (by membership), whose
// university has an active accreditation and registered the diploma
// (ErrAccessDenied otherwise).
// Request: RevokeDiplomaRequest {"documentHash", "reason"}.
// Reads: the caller's edu.accreditation, edu.diploma/documentHash.
// Rule: the diploma exists (ErrNotFound) and is active (ErrConflict).
// Writes: edu.diploma/documentHash, status revoked. Its key-level policy
// requires the issuer's and the ministry's peers to endorse.
// Event: DiplomaRevoked.
func (c *Contract) RevokeDiploma(ctx contractapi.TransactionContextInterface, request string) (*Diploma, error) {
	var req RevokeDiplomaRequest
	tx, err := beginUniversityWrite(ctx, foundation.Allow("RevokeDiploma", registrars()), request, &req)
	if err != nil {
		return nil, err
	}
	diploma, key, found, err := readDiploma(tx, req.DocumentHash)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, foundation.NotFound("diploma", req.DocumentHash)
	}
	if diploma.Issuer != tx.Caller.MSPID {
		return nil, tx.Deny("the issuing university of the diploma (" + diploma.Issuer + ")")
	}
	if diploma.Status != StatusActive {
		return nil, foundation.Conflict("diploma", req.DocumentHash, "is already "+diploma.Status)
	}
	diploma.Status, diploma.Revocation = StatusRevoked, revocation(tx, req.Reason)
	if err := tx.Put(key, diploma); err != nil {
		return nil, err
	}
	return diploma, tx.Emit(EventDiplomaRevoked)
}

// readDiploma reads the registration of a document digest and its key.
func readDiploma(tx *foundation.Tx, documentHash string) (*Diploma, foundation.Key, bool, error) {
	key, err := diplomaKeys.Key(documentHash)
	if err != nil {
		return nil, foundation.Key{}, false, err
	}
	var diploma Diploma
	found, err := tx.Get(key, &diploma)
	if err != nil {
		return nil, foundation.Key{}, false, err
	}
	return &diploma, key, found, nil
}

// VerifyDiploma looks a diploma up by the SHA-256 digest of the document:
// found or not, and if found the issuer, degree, status and when it was
// registered (and revoked). An unknown digest is an answer, not an error.
//
// Access: any identity of the education-credit channel's members.
// Reads: edu.diploma/documentHash.
func (c *Contract) VerifyDiploma(ctx contractapi.TransactionContextInterface, documentHash string) (*DiplomaVerification, error) {
	tx, err := beginRead(ctx, "VerifyDiploma")
	if err != nil {
		return nil, err
	}
	if err := foundation.Arguments(func(v *foundation.Fields) { v.SHA256Hex("documentHash", documentHash) }); err != nil {
		return nil, err
	}
	diploma, _, found, err := readDiploma(tx, documentHash)
	if err != nil {
		return nil, err
	}
	result := &DiplomaVerification{DocumentHash: documentHash, Found: found}
	if found {
		result.Diploma = diploma
		result.Valid = diploma.Status == StatusActive
	}
	return result, nil
}

// GetDiplomaHistory returns every version of a diploma registration,
// newest first.
//
// Access: any identity of the education-credit channel's members.
// Reads: the history of edu.diploma/documentHash.
// Errors: ErrNotFound if the digest was never registered.
func (c *Contract) GetDiplomaHistory(ctx contractapi.TransactionContextInterface, documentHash string) (*History, error) {
	tx, err := beginRead(ctx, "GetDiplomaHistory")
	if err != nil {
		return nil, err
	}
	if err := foundation.Arguments(func(v *foundation.Fields) { v.SHA256Hex("documentHash", documentHash) }); err != nil {
		return nil, err
	}
	key, err := diplomaKeys.Key(documentHash)
	if err != nil {
		return nil, err
	}
	return foundation.HistoryOf[Diploma](tx, key, foundation.RecordName("diploma", documentHash))
}
