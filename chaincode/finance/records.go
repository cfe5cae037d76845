package finance

import (
	"fmt"
	"time"
)

// Record types, as named in requests and arguments that refer to any
// record (reversals, findings, history).
const (
	TypeAppropriation = "appropriation"
	TypeAllocation    = "allocation"
	TypeDisbursement  = "disbursement"
	TypeReversal      = "reversal"
)

// Classification places an appropriation in the budget's classifications,
// as the Open Fiscal Data Package names them. Allocations and
// disbursements inherit their appropriation's classification.
type Classification struct {
	// Administrative is the administrative unit responsible for the
	// budget line ("EDU-01").
	Administrative string `json:"administrative"`
	// Functional is the COFOG code of the function the money serves:
	// division "09", group "09.4" or class "09.4.1".
	Functional string `json:"functional"`
	// Economic is the economic classification ("2211", "GFS-2821").
	Economic string `json:"economic"`
}

// Appropriation is a budget line the finance bureau publishes for a fiscal
// year: the most that may be allocated under it. It is written once;
// its running totals are in AppropriationBalance.
type Appropriation struct {
	AppropriationID string         `json:"appropriationId"`
	FiscalYear      int            `json:"fiscalYear"`
	Title           string         `json:"title"`
	Classification  Classification `json:"classification"`
	// Amount is in minor units of Currency (cents for EUR).
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
	// Owner is the MSP ID of the organisation that recorded the entry and
	// alone may propose its reversal.
	Owner      string    `json:"owner"`
	RecordedAt time.Time `json:"recordedAt"`
	RecordedBy string    `json:"recordedBy"`
}

// Allocation assigns part of an appropriation to a spending agency, which
// alone may disburse against it. It is written once; its running totals
// are in AllocationBalance.
type Allocation struct {
	AllocationID    string `json:"allocationId"`
	AppropriationID string `json:"appropriationId"`
	FiscalYear      int    `json:"fiscalYear"`
	// Agency is the MSP ID of the spending agency.
	Agency         string         `json:"agency"`
	Purpose        string         `json:"purpose"`
	Classification Classification `json:"classification"`
	Amount         int64          `json:"amount"`
	Currency       string         `json:"currency"`
	Owner          string         `json:"owner"`
	RecordedAt     time.Time      `json:"recordedAt"`
	RecordedBy     string         `json:"recordedBy"`
}

// Payee is whom a disbursement pays: an organisation and its number in the
// register of companies (or the equivalent register of its country).
type Payee struct {
	Name               string `json:"name"`
	RegistrationNumber string `json:"registrationNumber"`
}

// Transaction types of disbursements, after the IATI TransactionType
// codelist: an outgoing commitment (IATI code 2), a disbursement (3) or an
// expenditure (4). Every type draws on the allocation: an amount is
// recorded once, under the type that describes it.
const (
	TransactionCommitment   = "commitment"
	TransactionDisbursement = "disbursement"
	TransactionExpenditure  = "expenditure"
)

// iatiCodes maps the transaction types to their IATI codes.
var iatiCodes = [...]struct {
	name string
	code int
}{
	{TransactionCommitment, 2},
	{TransactionDisbursement, 3},
	{TransactionExpenditure, 4},
}

// iatiCode returns the IATI TransactionType code of a transaction type.
func iatiCode(transactionType string) (int, error) {
	for _, t := range iatiCodes {
		if t.name == transactionType {
			return t.code, nil
		}
	}
	return 0, fmt.Errorf("transaction type %q has no IATI code", transactionType)
}

// Disbursement is a payment a spending agency records against one of its
// allocations. It is written once; a wrong one is corrected by a reversal.
type Disbursement struct {
	DisbursementID       string         `json:"disbursementId"`
	AllocationID         string         `json:"allocationId"`
	AppropriationID      string         `json:"appropriationId"`
	FiscalYear           int            `json:"fiscalYear"`
	Agency               string         `json:"agency"`
	Classification       Classification `json:"classification"`
	Payee                Payee          `json:"payee"`
	Purpose              string         `json:"purpose"`
	ProcurementReference string         `json:"procurementReference"`
	// InvoiceHash is the SHA-256 of the invoice document, lower-case hex.
	InvoiceHash     string `json:"invoiceHash"`
	Amount          int64  `json:"amount"`
	Currency        string `json:"currency"`
	TransactionType string `json:"transactionType"`
	// IATICode is the IATI TransactionType code of TransactionType.
	IATICode   int       `json:"iatiCode"`
	Owner      string    `json:"owner"`
	RecordedAt time.Time `json:"recordedAt"`
	RecordedBy string    `json:"recordedBy"`
}

// AppropriationBalance is the running total of an appropriation: what is
// appropriated and how much of it is allocated, both net of executed
// reversals. Allocations and reversals update it; disbursements never do.
type AppropriationBalance struct {
	AppropriationID string         `json:"appropriationId"`
	FiscalYear      int            `json:"fiscalYear"`
	Classification  Classification `json:"classification"`
	Currency        string         `json:"currency"`
	// Appropriated is the appropriation's amount, or 0 once reversed.
	Appropriated int64 `json:"appropriated"`
	// Allocated is the sum of the appropriation's allocations that are not
	// reversed. Invariant: 0 <= Allocated <= Appropriated.
	Allocated int64 `json:"allocated"`
	// ReversedBy is the ID of the executed reversal of the appropriation.
	ReversedBy string `json:"reversedBy,omitempty" metadata:",optional"`
}

// AllocationBalance is the running total of an allocation: its amount and
// the sum of its disbursements, both net of executed reversals.
// Disbursements and reversals update it. It repeats the allocation's year,
// agency, classification and currency so that summaries and listings read
// nothing else.
//
// Once the allocation is split (SplitAllocation), what is left of it is
// spread over its tranches (Tranche, keys fin.tranche), and payments drawn
// from a tranche are counted there, not here: the allocation's spending is
// then Spent plus the Spent of each of its tranches. An allocation never
// split has no tranches, and Spent is all of its spending.
type AllocationBalance struct {
	AllocationID    string         `json:"allocationId"`
	AppropriationID string         `json:"appropriationId"`
	FiscalYear      int            `json:"fiscalYear"`
	Agency          string         `json:"agency"`
	Classification  Classification `json:"classification"`
	Currency        string         `json:"currency"`
	// Allocated is the allocation's amount, or 0 once reversed.
	Allocated int64 `json:"allocated"`
	// Spent is the sum of the allocation's disbursements that are not
	// reversed, except the parts its tranches paid since the last split.
	// Invariant: 0 <= Spent and Spent + Spread <= Allocated.
	Spent int64 `json:"spent"`
	// ReversedBy is the ID of the executed reversal of the allocation.
	ReversedBy string `json:"reversedBy,omitempty" metadata:",optional"`
	// Tranches is how many tranches the allocation is split into; 0 (never
	// split) or 1 (merged again) means payments draw on this balance
	// alone.
	Tranches int `json:"tranches,omitempty" metadata:",optional"`
	// Layout counts the splits: each SplitAllocation (and the reversal of
	// a split allocation) starts a new layout, with every tranche's
	// spending moved into Spent.
	Layout int `json:"layout,omitempty" metadata:",optional"`
	// Spread is what was left of the allocation when it was last split,
	// shared by its tranches (see Tranche.Share); 0 for an allocation with
	// fewer than 2 tranches.
	Spread int64 `json:"spread,omitempty" metadata:",optional"`
}

// Tranche is one part of a split allocation's remaining balance: the
// share of it this tranche may pay and what it has paid in the current
// layout. A payment draws from the tranche its disbursement ID hashes to,
// and from the next ones only when that tranche cannot pay it all. No
// tranche pays more than its share, and the shares add up to the
// allocation's Spread, so no allocation pays more than it has.
//
// Tranche keys are written when first drawn on and kept afterwards: a
// later split resets each to its new share with nothing spent, so that
// the allocation's spending is always its balance's Spent plus the Spent
// of every one of its fin.tranche keys.
type Tranche struct {
	AllocationID string `json:"allocationId"`
	// Layout is the allocation's layout this tranche belongs to.
	Layout int `json:"layout"`
	// Tranche numbers the tranche, from 0 to the allocation's Tranches - 1.
	Tranche int `json:"tranche"`
	// Share is what the tranche may pay: the allocation's Spread divided
	// by its Tranches, one minor unit more for the first Spread % Tranches
	// tranches; 0 for a tranche of an earlier layout beyond the current
	// number of tranches.
	Share int64 `json:"share"`
	// Spent is what it has paid. Invariant: 0 <= Spent <= Share.
	Spent int64 `json:"spent"`
}

// Reversal is the proposal to reverse one entry: written once by the
// entry's owner, then approved (Approval) and executed (ReversalEntry).
type Reversal struct {
	ReversalID string `json:"reversalId"`
	// RecordType and RecordID name the entry to reverse.
	RecordType string `json:"recordType"`
	RecordID   string `json:"recordId"`
	// Amount and Currency are the entry's: a reversal takes back the whole
	// entry.
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
	Reason   string `json:"reason"`
	// Owner is the MSP ID of the entry's owner, the proposing organisation,
	// which alone may execute the reversal.
	Owner      string    `json:"owner"`
	ProposedAt time.Time `json:"proposedAt"`
	ProposedBy string    `json:"proposedBy"`
}

// Approval is one organisation's approval of a reversal.
type Approval struct {
	ReversalID string    `json:"reversalId"`
	MSPID      string    `json:"mspId"`
	Note       string    `json:"note,omitempty" metadata:",optional"`
	ApprovedAt time.Time `json:"approvedAt"`
	ApprovedBy string    `json:"approvedBy"`
}

// ReversalEntry is the entry an executed reversal writes: it references
// the original entry, takes back its Amount, and lists the organisations
// whose approvals carried it. An entry has at most one.
type ReversalEntry struct {
	ReversalID string `json:"reversalId"`
	RecordType string `json:"recordType"`
	RecordID   string `json:"recordId"`
	// Amount is the amount taken back: the original entry's amount.
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
	// ApprovedBy lists the MSP IDs of the approving organisations, sorted.
	ApprovedBy []string  `json:"approvedBy"`
	ExecutedAt time.Time `json:"executedAt"`
	ExecutedBy string    `json:"executedBy"`
}

// Severities of findings, from least to most serious.
const (
	SeverityLow      = "low"
	SeverityMedium   = "medium"
	SeverityHigh     = "high"
	SeverityCritical = "critical"
)

// Finding is an auditor's note about a record. It changes nothing in the
// record or its amounts.
type Finding struct {
	FindingID  string    `json:"findingId"`
	RecordType string    `json:"recordType"`
	RecordID   string    `json:"recordId"`
	Severity   string    `json:"severity"`
	Note       string    `json:"note"`
	RecordedAt time.Time `json:"recordedAt"`
	RecordedBy string    `json:"recordedBy"`
}
