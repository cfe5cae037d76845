package finance

// Names of the chaincode events. Every write function emits exactly one of
// them; the payload is a foundation.Event naming the function, the caller
// (MSP ID, role, certificate), the transaction and every key written with
// the value written.
const (
	EventAppropriationRecorded = "AppropriationRecorded"
	EventAllocationRecorded    = "AllocationRecorded"
	EventDisbursementRecorded  = "DisbursementRecorded"
	EventReversalProposed      = "ReversalProposed"
	EventReversalApproved      = "ReversalApproved"
	EventReversalExecuted      = "ReversalExecuted"
	EventFindingRecorded       = "FindingRecorded"
)
