package education

// Names of the chaincode events. Every write function emits exactly one of
// them; the payload is a foundation.Event listing every key the
// transaction wrote (with the public value written) and every key-level
// endorsement policy it set. Private student data appears only as the key
// written in the collection, never as a value.
const (
	EventUniversityAccredited       = "UniversityAccredited"
	EventAccreditationSuspended     = "AccreditationSuspended"
	EventAccreditationReinstated    = "AccreditationReinstated"
	EventCreditRecorded             = "CreditRecorded"
	EventCreditRecognised           = "CreditRecognised"
	EventCreditRevoked              = "CreditRevoked"
	EventRecognitionRevoked         = "RecognitionRevoked"
	EventDiplomaRegistered          = "DiplomaRegistered"
	EventDiplomaRevoked             = "DiplomaRevoked"
	EventLearningResourceRegistered = "LearningResourceRegistered"
)
