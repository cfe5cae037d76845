package evidence

// Names of the chaincode events. Every write function emits exactly one of
// them; the payload is a foundation.Event listing every key the
// transaction wrote (with the public value written) and every key-level
// endorsement policy it set. Private data (party names, sealed content)
// appears only as the key written in the collection, never as a value.
const (
	EventCaseOpened           = "CaseOpened"
	EventCaseClosed           = "CaseClosed"
	EventCaseSealed           = "CaseSealed"
	EventEvidenceSubmitted    = "EvidenceSubmitted"
	EventEvidenceNotarised    = "EvidenceNotarised"
	EventCustodyEventRecorded = "CustodyEventRecorded"
	EventAccessRequested      = "AccessRequested"
	EventAccessGranted        = "AccessGranted"
	EventAccessDenied         = "AccessDenied"
	EventAccessRevoked        = "AccessRevoked"
	EventSealedContentOpened  = "SealedContentOpened"
)
