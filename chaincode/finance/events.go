package finance

// Names of the chaincode events. Every write function emits exactly one of
// them; the payload is a foundation.Event naming the function, the caller
// (MSP ID, role, certificate), the transaction and every key written; the
// values are in the transaction's write set.
const (
	EventAppropriationRecorded = "AppropriationRecorded"
	EventAllocationRecorded    = "AllocationRecorded"
	EventDisbursementRecorded  = "DisbursementRecorded"
	EventPaymentRunRecorded    = "PaymentRunRecorded"
	EventAllocationSplit       = "AllocationSplit"
	EventReversalProposed      = "ReversalProposed"
	EventReversalApproved      = "ReversalApproved"
	EventReversalExecuted      = "ReversalExecuted"
	EventFindingRecorded       = "FindingRecorded"
)
