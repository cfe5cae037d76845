package education

import "github.com/govshare/govshare/chaincode/foundation"

// The key schema: every key the education contract reads or writes.
//
//	edu.accreditation  mspId                               -> Accreditation
//	edu.credit         creditId                            -> creditLocator (where the credit is)
//	edu.transcript     studentRef, creditId, ""            -> Credit
//	edu.transcript     studentRef, creditId, recognisedBy  -> Recognition
//	edu.diploma        documentHash                        -> Diploma
//	edu.resource       contentHash                         -> LearningResource
//	edu.student        studentRef                          -> StudentRecord, private, in StudentPII_<university MSP>
//
// A student's credits and recognitions share one key type whose first
// attribute is the student reference, so a transcript is one partial-key
// range (studentRef) and never a scan of other students' records. Inside it
// each credit is followed by its recognitions: the credit's own entry has an
// empty recognisedBy, which sorts first. The edu.credit locator makes a
// credit ID unique across universities and finds a credit from its ID alone.
var (
	accreditationKeys = foundation.NewKeyType("edu.accreditation", "mspId")
	creditKeys        = foundation.NewKeyType("edu.credit", "creditId")
	transcriptKeys    = foundation.NewKeyType("edu.transcript", "studentRef", "creditId", "recognisedBy")
	diplomaKeys       = foundation.NewKeyType("edu.diploma", "documentHash")
	resourceKeys      = foundation.NewKeyType("edu.resource", "contentHash")
	studentKeys       = foundation.NewKeyType("edu.student", "studentRef")
)

// creditEntry is recognisedBy of a credit's own transcript entry.
const creditEntry = ""

// creditLocator is the value of an edu.credit key.
type creditLocator struct {
	StudentRef string `json:"studentRef"`
}
