package govclient

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/education"
)

// EducationChaincode is the education contract's chaincode name.
const EducationChaincode = "education"

// Education is the education-credit contract as one role sees it. Request
// and record types are the contract's own (package chaincode/education), so
// the client and the chaincode cannot disagree on a field. Every write
// returns the committed record and the transaction's receipt.
type Education struct{ s *Session }

// Education returns the session's view of the education-credit contract.
func (s *Session) Education() *Education { return &Education{s: s} }

func (e *Education) write(ctx context.Context, function string, request any, transient map[string][]byte, out any) (*Result, error) {
	arg, err := requestJSON(request)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", function, err)
	}
	return e.s.submitJSON(ctx, call{Channel: consortium.EducationChannel, Chaincode: EducationChaincode,
		Function: function, Args: []string{arg}, Transient: transient}, out)
}

func (e *Education) read(ctx context.Context, function string, out any, args ...string) error {
	return e.s.evaluateJSON(ctx, call{Channel: consortium.EducationChannel, Chaincode: EducationChaincode, Function: function, Args: args}, out)
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
	var out education.Accreditation
	result, err := e.write(ctx, "AccreditUniversity", &req, nil, &out)
	return &out, result, err
}

// SuspendAccreditation stops a university from recording (ministry officer).
func (e *Education) SuspendAccreditation(ctx context.Context, req education.AccreditationDecisionRequest) (*education.Accreditation, *Result, error) {
	var out education.Accreditation
	result, err := e.write(ctx, "SuspendAccreditation", &req, nil, &out)
	return &out, result, err
}

// ReinstateAccreditation lifts a suspension (ministry officer).
func (e *Education) ReinstateAccreditation(ctx context.Context, req education.AccreditationDecisionRequest) (*education.Accreditation, *Result, error) {
	var out education.Accreditation
	result, err := e.write(ctx, "ReinstateAccreditation", &req, nil, &out)
	return &out, result, err
}

// GetAccreditation reads a university's accreditation.
func (e *Education) GetAccreditation(ctx context.Context, mspID string) (*education.Accreditation, error) {
	var out education.Accreditation
	return &out, e.read(ctx, "GetAccreditation", &out, mspID)
}

// ListAccreditations reads one page of the registry.
func (e *Education) ListAccreditations(ctx context.Context, pageSize int32, bookmark string) (*education.AccreditationPage, error) {
	var out education.AccreditationPage
	return &out, e.read(ctx, "ListAccreditations", &out, strconv.Itoa(int(pageSize)), bookmark)
}

// RecordCredit records a course credit (university registrar). The
// student's details go as transient data to the university's private
// collection; the ledger only learns the salted student reference.
func (e *Education) RecordCredit(ctx context.Context, req education.RecordCreditRequest, student education.StudentDetails) (*education.Credit, *Result, error) {
	transient, err := studentTransient(&student)
	if err != nil {
		return nil, nil, err
	}
	var out education.Credit
	result, err := e.write(ctx, "RecordCredit", &req, transient, &out)
	return &out, result, err
}

// RecogniseCredit accepts another university's credit (registrar).
func (e *Education) RecogniseCredit(ctx context.Context, req education.RecogniseCreditRequest) (*education.Recognition, *Result, error) {
	var out education.Recognition
	result, err := e.write(ctx, "RecogniseCredit", &req, nil, &out)
	return &out, result, err
}

// RevokeCredit revokes one of the caller's university's credits.
func (e *Education) RevokeCredit(ctx context.Context, req education.RevokeCreditRequest) (*education.Credit, *Result, error) {
	var out education.Credit
	result, err := e.write(ctx, "RevokeCredit", &req, nil, &out)
	return &out, result, err
}

// RevokeRecognition withdraws the caller's university's recognition.
func (e *Education) RevokeRecognition(ctx context.Context, req education.RevokeCreditRequest) (*education.Recognition, *Result, error) {
	var out education.Recognition
	result, err := e.write(ctx, "RevokeRecognition", &req, nil, &out)
	return &out, result, err
}

// GetCredit reads a credit.
func (e *Education) GetCredit(ctx context.Context, creditID string) (*education.Credit, error) {
	var out education.Credit
	return &out, e.read(ctx, "GetCredit", &out, creditID)
}

// GetCreditHistory reads every committed version of a credit.
func (e *Education) GetCreditHistory(ctx context.Context, creditID string) (*education.History, error) {
	var out education.History
	return &out, e.read(ctx, "GetCreditHistory", &out, creditID)
}

// GetRecognition reads a university's recognition of a credit.
func (e *Education) GetRecognition(ctx context.Context, creditID, recognisedBy string) (*education.Recognition, error) {
	var out education.Recognition
	return &out, e.read(ctx, "GetRecognition", &out, creditID, recognisedBy)
}

// GetTranscript reads one page of a student's credits and recognitions
// with the total of active credits.
func (e *Education) GetTranscript(ctx context.Context, studentRef string, pageSize int32, bookmark string) (*education.Transcript, error) {
	var out education.Transcript
	return &out, e.read(ctx, "GetTranscript", &out, studentRef, strconv.Itoa(int(pageSize)), bookmark)
}

// RegisterDiploma registers a diploma by the SHA-256 of its document
// (registrar); the student's details go as transient data.
func (e *Education) RegisterDiploma(ctx context.Context, req education.RegisterDiplomaRequest, student education.StudentDetails) (*education.Diploma, *Result, error) {
	transient, err := studentTransient(&student)
	if err != nil {
		return nil, nil, err
	}
	var out education.Diploma
	result, err := e.write(ctx, "RegisterDiploma", &req, transient, &out)
	return &out, result, err
}

// RevokeDiploma revokes a diploma the caller's university issued.
func (e *Education) RevokeDiploma(ctx context.Context, req education.RevokeDiplomaRequest) (*education.Diploma, *Result, error) {
	var out education.Diploma
	result, err := e.write(ctx, "RevokeDiploma", &req, nil, &out)
	return &out, result, err
}

// VerifyDiploma says whether a document hash is a registered diploma, by
// whom, when, and whether it is still valid.
func (e *Education) VerifyDiploma(ctx context.Context, documentHash string) (*education.DiplomaVerification, error) {
	var out education.DiplomaVerification
	return &out, e.read(ctx, "VerifyDiploma", &out, documentHash)
}

// RegisterLearningResource registers shared course material by its hash.
func (e *Education) RegisterLearningResource(ctx context.Context, req education.RegisterLearningResourceRequest) (*education.LearningResource, *Result, error) {
	var out education.LearningResource
	result, err := e.write(ctx, "RegisterLearningResource", &req, nil, &out)
	return &out, result, err
}

// GetLearningResource reads a learning resource by content hash.
func (e *Education) GetLearningResource(ctx context.Context, contentHash string) (*education.LearningResource, error) {
	var out education.LearningResource
	return &out, e.read(ctx, "GetLearningResource", &out, contentHash)
}

// GetStudentRecord reads a student's personal data from a university's
// private collection. Only that university and the ministry hold it, so the
// query goes to their peers only.
func (e *Education) GetStudentRecord(ctx context.Context, universityMSPID, studentRef string) (*education.StudentRecord, error) {
	var out education.StudentRecord
	err := e.s.evaluateJSON(ctx, call{Channel: consortium.EducationChannel, Chaincode: EducationChaincode,
		Function: "GetStudentRecord", Args: []string{universityMSPID, studentRef}, Endorsers: []string{e.s.MSPID()}}, &out)
	return &out, err
}
