package education

import (
	"time"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/foundation"
)

// StudentRef returns the reference under which the ledger knows a student:
// the SHA-256 digest, in lower-case hex, of the salt (lower-case hex, as
// sent), a colon and the student number. The university chooses one random
// salt per student and keeps it with the student's details in its private
// collection; without the salt the reference cannot be traced back to the
// student number.
func StudentRef(salt, studentNumber string) string {
	return foundation.SHA256Hex([]byte(salt + ":" + studentNumber))
}

// readStudent reads the student's details from the transient data and
// checks that they hash to studentRef and that the birth date is not after
// the transaction. It reads nothing from the ledger. Nothing of the details
// may reach the public ledger, an event or an error message.
func readStudent(tx *foundation.Tx, studentRef string) (*StudentRecord, error) {
	var details StudentDetails
	if err := tx.Transient(TransientStudent, &details); err != nil {
		return nil, err
	}
	var v foundation.Fields
	if birth, err := time.Parse(foundation.DateLayout, details.BirthDate); err == nil && birth.After(tx.Time) {
		v.Problem("birthDate", "must not be after the transaction date")
	}
	if StudentRef(details.Salt, details.StudentNumber) != studentRef {
		v.Problem("studentNumber", "with salt does not hash to the request's studentRef")
	}
	if problems := v.Problems(); len(problems) > 0 {
		return nil, &foundation.InputError{Input: `transient "` + TransientStudent + `"`, Fields: problems}
	}
	return &StudentRecord{
		StudentRef:    studentRef,
		StudentNumber: details.StudentNumber,
		FullName:      details.FullName,
		BirthDate:     details.BirthDate,
		Salt:          details.Salt,
	}, nil
}

// writeStudent writes a student's record to the caller's student
// collection, unless the collection holds exactly this record already.
func writeStudent(tx *foundation.Tx, record *StudentRecord) error {
	key, err := studentKeys.Key(record.StudentRef)
	if err != nil {
		return err
	}
	_, err = tx.PutPrivate(consortium.StudentCollection(tx.Caller.MSPID), key, record)
	return err
}

// StudentRecordContext names a student record in its delivery: what
// GetStudentRecord binds the encrypted record to, and what the reader
// opens it with (foundation.Delivery.OpenRecord).
func StudentRecordContext(universityMSPID, studentRef string) string {
	return "govshare/education/student/" + universityMSPID + "/" + studentRef
}

// GetStudentRecord delivers the personal data of a student of a
// university, encrypted for the reader: the StudentRecord as JSON, sealed
// with the reader's one-time key (foundation.Delivery) and bound to
// StudentRecordContext. Evaluate it; should a client submit it instead, the
// response in the block is useless to everyone but the reader.
//
// Access: role "registrar" of the university itself, or role "officer" of
// EduMinistryMSP. The student collections are also member-only at the peer.
// Checks: universityMspId is a university the ministry accredited (at any
// time: a suspended university's students keep their records); studentRef
// is a SHA-256 digest;
// transient "readerKey": foundation.ReaderKey {"key": 64 hex}, a fresh
// random AES-256 key.
// Reads: edu.student/studentRef in StudentPII_<universityMspId>.
// Errors: ErrNotFound if the university holds no record of the student.
func (c *Contract) GetStudentRecord(ctx contractapi.TransactionContextInterface, universityMspID, studentRef string) (*foundation.Delivery, error) {
	tx, err := foundation.Begin(ctx, foundation.Allow("GetStudentRecord", registrars(), ministryOfficers()))
	if err != nil {
		return nil, err
	}
	if err := foundation.Arguments(func(v *foundation.Fields) {
		v.Identifier("universityMspId", universityMspID)
		v.SHA256Hex("studentRef", studentRef)
	}); err != nil {
		return nil, err
	}
	if tx.Caller.MSPID != consortium.EduMinistryMSP && tx.Caller.MSPID != universityMspID {
		return nil, tx.Deny(`role "registrar" of ` + universityMspID + ` or role "officer" of ` + consortium.EduMinistryMSP)
	}
	if _, _, accredited, err := readAccreditation(tx, universityMspID); err != nil {
		return nil, err
	} else if !accredited {
		return nil, foundation.NotFound("accredited university", universityMspID)
	}
	readerKey, err := tx.ReaderKey()
	if err != nil {
		return nil, err
	}
	key, err := studentKeys.Key(studentRef)
	if err != nil {
		return nil, err
	}
	var record StudentRecord
	found, err := tx.GetPrivate(consortium.StudentCollection(universityMspID), key, &record)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, foundation.NotFound("student record of "+universityMspID, studentRef)
	}
	return tx.Deliver(readerKey, StudentRecordContext(universityMspID, studentRef), &record)
}
