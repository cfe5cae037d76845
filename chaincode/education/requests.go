package education

import "github.com/govshare/govshare/chaincode/foundation"

// Limits of request fields.
const (
	// MaxCreditTenths bounds one credit: 60 credits, a full year of study.
	MaxCreditTenths = 600
	// MaxNameLength bounds names and titles, in characters.
	MaxNameLength = 200
	// MaxReasonLength bounds the reason of a decision, in characters.
	MaxReasonLength = 500
	// MaxGradeLength bounds a grade ("A", "5", "pass"), in characters.
	MaxGradeLength = 16
	// MaxLicenceLength bounds a licence name ("CC-BY-4.0"), in characters.
	MaxLicenceLength = 64
	// Salt sizes, in bytes, of the student reference.
	MinSaltBytes = 16
	MaxSaltBytes = 64
)

// TransientStudent is the transient data key under which RecordCredit and
// RegisterDiploma expect the student's details, as a JSON StudentDetails.
const TransientStudent = "student"

// AccreditRequest is the request of AccreditUniversity.
//
//	{"mspId": "UniversityAMSP", "name": "University A"}
type AccreditRequest struct {
	MSPID string `json:"mspId"`
	Name  string `json:"name"`
}

// Validate implements foundation.Request.
func (r *AccreditRequest) Validate(v *foundation.Fields) {
	v.Identifier("mspId", r.MSPID)
	v.Text("name", r.Name, MaxNameLength)
}

// AccreditationDecisionRequest is the request of SuspendAccreditation and
// ReinstateAccreditation.
//
//	{"mspId": "UniversityAMSP", "reason": "audit findings 2025/3"}
type AccreditationDecisionRequest struct {
	MSPID  string `json:"mspId"`
	Reason string `json:"reason"`
}

// Validate implements foundation.Request.
func (r *AccreditationDecisionRequest) Validate(v *foundation.Fields) {
	v.Identifier("mspId", r.MSPID)
	v.Text("reason", r.Reason, MaxReasonLength)
}

// RecordCreditRequest is the request of RecordCredit. The student's details
// travel separately, as transient data (TransientStudent).
//
//	{"creditId": "UA-2025-0001", "studentRef": "<64 hex>", "courseCode": "CS101",
//	 "courseTitle": "Programming 1", "creditTenths": 75, "grade": "A", "term": "2025-spring"}
type RecordCreditRequest struct {
	CreditID     string `json:"creditId"`
	StudentRef   string `json:"studentRef"`
	CourseCode   string `json:"courseCode"`
	CourseTitle  string `json:"courseTitle"`
	CreditTenths int    `json:"creditTenths"`
	Grade        string `json:"grade"`
	Term         string `json:"term"`
}

// Validate implements foundation.Request.
func (r *RecordCreditRequest) Validate(v *foundation.Fields) {
	v.Identifier("creditId", r.CreditID)
	v.SHA256Hex("studentRef", r.StudentRef)
	v.Identifier("courseCode", r.CourseCode)
	v.Text("courseTitle", r.CourseTitle, MaxNameLength)
	v.Int("creditTenths", int64(r.CreditTenths), 1, MaxCreditTenths)
	v.Text("grade", r.Grade, MaxGradeLength)
	v.Identifier("term", r.Term)
}

// StudentDetails is the transient input that identifies a student: the
// student reference must equal StudentRef(salt, studentNumber). The salt is
// the university's secret for this student, drawn at random (or derived
// from a random secret key, as govctl does): a salt that is obviously not
// secret is refused (foundation.Fields.Secret), since with it anyone could
// test student numbers against the reference.
//
//	{"studentNumber": "A123456", "fullName": "Maria Example", "birthDate": "2001-04-30",
//	 "salt": "<32 to 128 hex characters>"}
type StudentDetails struct {
	StudentNumber string `json:"studentNumber"`
	FullName      string `json:"fullName"`
	BirthDate     string `json:"birthDate"`
	Salt          string `json:"salt"`
}

// Validate implements foundation.Request.
func (s *StudentDetails) Validate(v *foundation.Fields) {
	v.Identifier("studentNumber", s.StudentNumber)
	v.Text("fullName", s.FullName, MaxNameLength)
	if d, ok := v.Date("birthDate", s.BirthDate); ok && d.Year() < 1900 {
		v.Problem("birthDate", "must not be before 1900")
	}
	v.Secret("salt", s.Salt, MinSaltBytes, MaxSaltBytes)
}

// RecogniseCreditRequest is the request of RecogniseCredit.
//
//	{"creditId": "UA-2025-0001", "acceptedCreditTenths": 50}
type RecogniseCreditRequest struct {
	CreditID             string `json:"creditId"`
	AcceptedCreditTenths int    `json:"acceptedCreditTenths"`
}

// Validate implements foundation.Request.
func (r *RecogniseCreditRequest) Validate(v *foundation.Fields) {
	v.Identifier("creditId", r.CreditID)
	v.Int("acceptedCreditTenths", int64(r.AcceptedCreditTenths), 1, MaxCreditTenths)
}

// RevokeCreditRequest is the request of RevokeCredit and RevokeRecognition.
//
//	{"creditId": "UA-2025-0001", "reason": "recorded for the wrong course"}
type RevokeCreditRequest struct {
	CreditID string `json:"creditId"`
	Reason   string `json:"reason"`
}

// Validate implements foundation.Request.
func (r *RevokeCreditRequest) Validate(v *foundation.Fields) {
	v.Identifier("creditId", r.CreditID)
	v.Text("reason", r.Reason, MaxReasonLength)
}

// RegisterDiplomaRequest is the request of RegisterDiploma. The student's
// details travel as transient data (TransientStudent).
//
//	{"documentHash": "<sha-256 hex of the document>", "studentRef": "<64 hex>",
//	 "degree": "Bachelor of Science in Computer Science"}
type RegisterDiplomaRequest struct {
	DocumentHash string `json:"documentHash"`
	StudentRef   string `json:"studentRef"`
	Degree       string `json:"degree"`
}

// Validate implements foundation.Request.
func (r *RegisterDiplomaRequest) Validate(v *foundation.Fields) {
	v.SHA256Hex("documentHash", r.DocumentHash)
	v.SHA256Hex("studentRef", r.StudentRef)
	v.Text("degree", r.Degree, MaxNameLength)
}

// RevokeDiplomaRequest is the request of RevokeDiploma.
//
//	{"documentHash": "<64 hex>", "reason": "degree withdrawn by senate decision 12/2025"}
type RevokeDiplomaRequest struct {
	DocumentHash string `json:"documentHash"`
	Reason       string `json:"reason"`
}

// Validate implements foundation.Request.
func (r *RevokeDiplomaRequest) Validate(v *foundation.Fields) {
	v.SHA256Hex("documentHash", r.DocumentHash)
	v.Text("reason", r.Reason, MaxReasonLength)
}

// RegisterLearningResourceRequest is the request of RegisterLearningResource.
//
//	{"contentHash": "<sha-256 hex of the content>", "title": "Linear Algebra, lecture notes",
//	 "author": "J. Example", "licence": "CC-BY-4.0"}
type RegisterLearningResourceRequest struct {
	ContentHash string `json:"contentHash"`
	Title       string `json:"title"`
	Author      string `json:"author"`
	Licence     string `json:"licence"`
}

// Validate implements foundation.Request.
func (r *RegisterLearningResourceRequest) Validate(v *foundation.Fields) {
	v.SHA256Hex("contentHash", r.ContentHash)
	v.Text("title", r.Title, MaxNameLength)
	v.Text("author", r.Author, MaxNameLength)
	v.Text("licence", r.Licence, MaxLicenceLength)
}
