package govclient

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/education"
)

// EducationChaincode is the education contract's chaincode name.
const EducationChaincode = "education"

// Education is the education-credit contract as one role sees it. Request
// and record types are the contract's own (package chaincode/education), so
// the client and the chaincode cannot disagree on a field. Every write
// returns the committed record and the transaction's receipt.
type Education struct{ v view }

// Education returns the session's view of the education-credit contract.
func (s *Session) Education() *Education {
	return &Education{v: view{s: s, channel: consortium.EducationChannel, chaincode: EducationChaincode}}
}

// studentTransient carries a student's details as transient data.
func studentTransient(student *education.StudentDetails) (map[string][]byte, error) {
	data, err := json.Marshal(student)
	if err != nil {
		return nil, fmt.Errorf("encode student details: %w", err)
	}
	return map[string][]byte{education.TransientStudent: data}, nil
}

// AccreditUniversity adds or renews a university in the ministry's registry
// (ministry officer).
func (e *Education) AccreditUniversity(ctx context.Context, req education.AccreditRequest) (*education.Accreditation, *Result, error) {
	return submitRecord[education.Accreditation](ctx, e.v, "AccreditUniversity", &req, nil)
}

// SuspendAccreditation stops a university from recording (ministry officer).
func (e *Education) SuspendAccreditation(ctx context.Context, req education.AccreditationDecisionRequest) (*education.Accreditation, *Result, error) {
	return submitRecord[education.Accreditation](ctx, e.v, "SuspendAccreditation", &req, nil)
}

// ReinstateAccreditation lifts a suspension (ministry officer).
func (e *Education) ReinstateAccreditation(ctx context.Context, req education.AccreditationDecisionRequest) (*education.Accreditation, *Result, error) {
	return submitRecord[education.Accreditation](ctx, e.v, "ReinstateAccreditation", &req, nil)
}

// GetAccreditation reads a university's accreditation.
func (e *Education) GetAccreditation(ctx context.Context, mspID string) (*education.Accreditation, error) {
	return evaluateRecord[education.Accreditation](ctx, e.v, "GetAccreditation", mspID)
}

// ListAccreditations reads one page of the registry.
func (e *Education) ListAccreditations(ctx context.Context, pageSize int32, bookmark string) (*education.AccreditationPage, error) {
	return evaluateRecord[education.AccreditationPage](ctx, e.v, "ListAccreditations", paged(pageSize, bookmark)...)
}

// RecordCredit records a course credit (university registrar). The
// student's details go as transient data to the university's private
// collection; the ledger only learns the salted student reference.
func (e *Education) RecordCredit(ctx context.Context, req education.RecordCreditRequest, student education.StudentDetails) (*education.Credit, *Result, error) {
	transient, err := studentTransient(&student)
	if err != nil {
		return nil, nil, err
	}
	return submitRecord[education.Credit](ctx, e.v, "RecordCredit", &req, transient)
}

// RecogniseCredit accepts another university's credit (registrar).
func (e *Education) RecogniseCredit(ctx context.Context, req education.RecogniseCreditRequest) (*education.Recognition, *Result, error) {
	return submitRecord[education.Recognition](ctx, e.v, "RecogniseCredit", &req, nil)
}

// RevokeCredit revokes one of the caller's university's credits.
func (e *Education) RevokeCredit(ctx context.Context, req education.RevokeCreditRequest) (*education.Credit, *Result, error) {
	return submitRecord[education.Credit](ctx, e.v, "RevokeCredit", &req, nil)
}

// RevokeRecognition withdraws the caller's university's recognition.
func (e *Education) RevokeRecognition(ctx context.Context, req education.RevokeCreditRequest) (*education.Recognition, *Result, error) {
	return submitRecord[education.Recognition](ctx, e.v, "RevokeRecognition", &req, nil)
}

// GetCredit reads a credit.
func (e *Education) GetCredit(ctx context.Context, creditID string) (*education.Credit, error) {
	return evaluateRecord[education.Credit](ctx, e.v, "GetCredit", creditID)
}

// GetCreditHistory reads every committed version of a credit.
func (e *Education) GetCreditHistory(ctx context.Context, creditID string) (*education.History, error) {
	return evaluateRecord[education.History](ctx, e.v, "GetCreditHistory", creditID)
}

// GetRecognition reads a university's recognition of a credit.
func (e *Education) GetRecognition(ctx context.Context, creditID, recognisedBy string) (*education.Recognition, error) {
	return evaluateRecord[education.Recognition](ctx, e.v, "GetRecognition", creditID, recognisedBy)
}

// GetRecognitionHistory reads every committed version of a recognition.
func (e *Education) GetRecognitionHistory(ctx context.Context, creditID, recognisedBy string) (*education.History, error) {
	return evaluateRecord[education.History](ctx, e.v, "GetRecognitionHistory", creditID, recognisedBy)
}

// GetTranscript reads one page of a student's credits and recognitions
// with the total of active credits.
func (e *Education) GetTranscript(ctx context.Context, studentRef string, pageSize int32, bookmark string) (*education.Transcript, error) {
	return evaluateRecord[education.Transcript](ctx, e.v, "GetTranscript", paged(pageSize, bookmark, studentRef)...)
}

// RegisterDiploma registers a diploma by the SHA-256 of its document
// (registrar); the student's details go as transient data.
func (e *Education) RegisterDiploma(ctx context.Context, req education.RegisterDiplomaRequest, student education.StudentDetails) (*education.Diploma, *Result, error) {
	transient, err := studentTransient(&student)
	if err != nil {
		return nil, nil, err
	}
	return submitRecord[education.Diploma](ctx, e.v, "RegisterDiploma", &req, transient)
}

// RevokeDiploma revokes a diploma the caller's university issued.
func (e *Education) RevokeDiploma(ctx context.Context, req education.RevokeDiplomaRequest) (*education.Diploma, *Result, error) {
	return submitRecord[education.Diploma](ctx, e.v, "RevokeDiploma", &req, nil)
}

// VerifyDiploma says whether a document hash is a registered diploma, by
// whom, when, and whether it is still valid.
func (e *Education) VerifyDiploma(ctx context.Context, documentHash string) (*education.DiplomaVerification, error) {
	return evaluateRecord[education.DiplomaVerification](ctx, e.v, "VerifyDiploma", documentHash)
}

// GetDiplomaHistory reads every committed version of a diploma.
func (e *Education) GetDiplomaHistory(ctx context.Context, documentHash string) (*education.History, error) {
	return evaluateRecord[education.History](ctx, e.v, "GetDiplomaHistory", documentHash)
}

// RegisterLearningResource registers shared course material by its hash.
func (e *Education) RegisterLearningResource(ctx context.Context, req education.RegisterLearningResourceRequest) (*education.LearningResource, *Result, error) {
	return submitRecord[education.LearningResource](ctx, e.v, "RegisterLearningResource", &req, nil)
}

// GetLearningResource reads a learning resource by content hash.
func (e *Education) GetLearningResource(ctx context.Context, contentHash string) (*education.LearningResource, error) {
	return evaluateRecord[education.LearningResource](ctx, e.v, "GetLearningResource", contentHash)
}

// ListLearningResources reads one page of the registered learning resources.
func (e *Education) ListLearningResources(ctx context.Context, pageSize int32, bookmark string) (*education.LearningResourcePage, error) {
	return evaluateRecord[education.LearningResourcePage](ctx, e.v, "ListLearningResources", paged(pageSize, bookmark)...)
}

// GetStudentRecord reads a student's personal data from a university's
// private collection. Only that university and the ministry hold it, so the
// query goes to the session's own organisation's peer; the record comes
// back encrypted under a fresh one-time key, which this method draws,
// sends as transient data and uses to open it.
func (e *Education) GetStudentRecord(ctx context.Context, universityMSPID, studentRef string) (*education.StudentRecord, error) {
	c := e.v.call("GetStudentRecord", universityMSPID, studentRef)
	c.Endorsers = []string{e.v.s.MSPID()}
	record, err := evaluateDelivered[education.StudentRecord](ctx, e.v.s, c, education.StudentRecordContext(universityMSPID, studentRef))
	if err != nil {
		return nil, err
	}
	if record.StudentRef != studentRef {
		return nil, fmt.Errorf("GetStudentRecord: the peer delivered the record of student %s, not %s", record.StudentRef, studentRef)
	}
	return record, nil
}
