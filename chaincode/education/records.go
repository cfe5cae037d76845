package education

import (
	"time"

	"github.com/govshare/govshare/chaincode/foundation"
)

// Status values of records.
const (
	// StatusActive: an accreditation in force, or a credit, recognition or
	// diploma that stands.
	StatusActive = "active"
	// StatusSuspended: an accreditation the ministry has suspended.
	StatusSuspended = "suspended"
	// StatusRevoked: a credit, recognition or diploma withdrawn by its
	// university. Revoked records stay on the ledger and readable.
	StatusRevoked = "revoked"
)

// Accreditation is the ministry's decision that a university may record
// credits, recognitions, diplomas and learning resources.
type Accreditation struct {
	MSPID        string    `json:"mspId"`
	Name         string    `json:"name"`
	Status       string    `json:"status"`
	AccreditedAt time.Time `json:"accreditedAt"`
	UpdatedAt    time.Time `json:"updatedAt"`
	// UpdatedBy is the certificate name of the officer who made the last
	// decision.
	UpdatedBy string `json:"updatedBy"`
	// Reason of the last suspension or reinstatement.
	Reason string `json:"reason,omitempty" metadata:",optional"`
}

// Credit is a course credit a university awarded to a student.
type Credit struct {
	CreditID string `json:"creditId"`
	// StudentRef is the salted hash of the student number (see StudentRef);
	// the ledger never holds the student number itself.
	StudentRef  string `json:"studentRef"`
	CourseCode  string `json:"courseCode"`
	CourseTitle string `json:"courseTitle"`
	// CreditTenths counts tenths of a credit: 75 is 7.5 credits.
	CreditTenths int    `json:"creditTenths"`
	Grade        string `json:"grade"`
	Term         string `json:"term"`
	// Issuer is the MSP ID of the issuing university, taken from the
	// registrar's certificate.
	Issuer     string      `json:"issuer"`
	RecordedAt time.Time   `json:"recordedAt"`
	RecordedBy string      `json:"recordedBy"`
	Status     string      `json:"status"`
	Revocation *Revocation `json:"revocation,omitempty" metadata:",optional"`
}

// Recognition records that a university accepts another university's
// credit, for AcceptedCreditTenths of its own credits.
type Recognition struct {
	CreditID   string `json:"creditId"`
	StudentRef string `json:"studentRef"`
	// RecognisedBy is the MSP ID of the recognising university.
	RecognisedBy string `json:"recognisedBy"`
	// Issuer is the MSP ID of the university that issued the credit.
	Issuer               string      `json:"issuer"`
	AcceptedCreditTenths int         `json:"acceptedCreditTenths"`
	RecognisedAt         time.Time   `json:"recognisedAt"`
	RecordedBy           string      `json:"recordedBy"`
	Status               string      `json:"status"`
	Revocation           *Revocation `json:"revocation,omitempty" metadata:",optional"`
}

// Revocation says who withdrew a record, when and why.
type Revocation struct {
	Reason    string    `json:"reason"`
	RevokedAt time.Time `json:"revokedAt"`
	RevokedBy string    `json:"revokedBy"`
}

// Diploma is the registration of a diploma document by its SHA-256 digest.
type Diploma struct {
	DocumentHash string      `json:"documentHash"`
	StudentRef   string      `json:"studentRef"`
	Degree       string      `json:"degree"`
	Issuer       string      `json:"issuer"`
	RegisteredAt time.Time   `json:"registeredAt"`
	RegisteredBy string      `json:"registeredBy"`
	Status       string      `json:"status"`
	Revocation   *Revocation `json:"revocation,omitempty" metadata:",optional"`
}

// DiplomaVerification answers "is this document a registered diploma?".
type DiplomaVerification struct {
	DocumentHash string `json:"documentHash"`
	// Found is true if a diploma with this digest was ever registered.
	Found bool `json:"found"`
	// Valid is true if it was found and is not revoked.
	Valid bool `json:"valid"`
	// Diploma is the registration (issuer, status, when), if found.
	Diploma *Diploma `json:"diploma,omitempty" metadata:",optional"`
}

// LearningResource is shared course material registered by its content
// digest, which makes the first registrant of a text provable.
type LearningResource struct {
	ContentHash string `json:"contentHash"`
	Title       string `json:"title"`
	Author      string `json:"author"`
	// Institution is the MSP ID of the registering university.
	Institution  string    `json:"institution"`
	Licence      string    `json:"licence"`
	RegisteredAt time.Time `json:"registeredAt"`
	RegisteredBy string    `json:"registeredBy"`
}

// StudentRecord is a student's personal data, kept only in the private
// collection StudentPII_<university MSP> of the university and the ministry.
type StudentRecord struct {
	StudentRef    string `json:"studentRef"`
	StudentNumber string `json:"studentNumber"`
	FullName      string `json:"fullName"`
	BirthDate     string `json:"birthDate"`
	Salt          string `json:"salt"`
}

// TranscriptEntry is a credit or a recognition of a credit.
type TranscriptEntry struct {
	// Kind is "credit" or "recognition"; the matching field is set.
	Kind        string       `json:"kind"`
	Credit      *Credit      `json:"credit,omitempty" metadata:",optional"`
	Recognition *Recognition `json:"recognition,omitempty" metadata:",optional"`
}

// Transcript entry kinds.
const (
	KindCredit      = "credit"
	KindRecognition = "recognition"
)

// Transcript is one page of a student's credits and recognitions, in
// credit ID order with each credit's recognitions after it, and the totals
// of the whole transcript.
type Transcript struct {
	StudentRef string `json:"studentRef"`
	// ActiveCreditTenths is the sum of the student's active credits over
	// the whole transcript, not only this page, in tenths of a credit.
	// Recognitions do not add to it: they accept credits already counted.
	ActiveCreditTenths int `json:"activeCreditTenths"`
	// ActiveCreditCount is the number of the student's active credits.
	ActiveCreditCount int               `json:"activeCreditCount"`
	Entries           []TranscriptEntry `json:"entries"`
	foundation.PageInfo
}

// AccreditationPage is one page of the accreditation registry.
type AccreditationPage struct {
	Accreditations []Accreditation `json:"accreditations"`
	foundation.PageInfo
}

// LearningResourcePage is one page of the learning resource registry.
type LearningResourcePage struct {
	Resources []LearningResource `json:"resources"`
	foundation.PageInfo
}

// History lists every version of one record, newest first, named as
// `credit "C-1"` (foundation.RecordHistory).
type History = foundation.RecordHistory
