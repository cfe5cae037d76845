package finance

import (
	"fmt"
	"time"

	"github.com/govshare/govshare/chaincode/foundation"
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
	// reversed. Invariant: 0 <= Spent <= Allocated.
	Spent int64 `json:"spent"`
	// ReversedBy is the ID of the executed reversal of the allocation.
	ReversedBy string `json:"reversedBy,omitempty" metadata:",optional"`
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

// Share is a part of a whole as a ratio of integers, with the same ratio
// in basis points (hundredths of a percent), rounded down. A whole of 0
// gives 0 basis points.
type Share struct {
	Numerator   int64 `json:"numerator"`
	Denominator int64 `json:"denominator"`
	BasisPoints int64 `json:"basisPoints"`
}

// AppropriationTotals are an appropriation's totals at the time of the
// query, in minor units of Currency.
type AppropriationTotals struct {
	Currency     string `json:"currency"`
	Appropriated int64  `json:"appropriated"`
	Allocated    int64  `json:"allocated"`
	// Unallocated is Appropriated - Allocated.
	Unallocated int64 `json:"unallocated"`
	// Spent is the sum of the allocations' Spent.
	Spent int64 `json:"spent"`
	// Remaining is Appropriated - Spent.
	Remaining int64 `json:"remaining"`
	// Executed is Spent out of Appropriated.
	Executed Share `json:"executed"`
}

// AllocationTotals are an allocation's totals at the time of the query.
type AllocationTotals struct {
	Currency  string `json:"currency"`
	Allocated int64  `json:"allocated"`
	Spent     int64  `json:"spent"`
	// Remaining is Allocated - Spent: what the agency may still disburse.
	Remaining int64 `json:"remaining"`
	// Executed is Spent out of Allocated.
	Executed Share `json:"executed"`
}

// AllocationLine is one allocation in the trace of its appropriation.
type AllocationLine struct {
	Balance AllocationBalance `json:"balance"`
	Totals  AllocationTotals  `json:"totals"`
}

// DisbursementLine is one disbursement in the trace of its allocation,
// with its reversal entry if it was reversed.
type DisbursementLine struct {
	Disbursement Disbursement   `json:"disbursement"`
	Reversal     *ReversalEntry `json:"reversal,omitempty" metadata:",optional"`
}

// AppropriationTrace is an appropriation, its totals and one page of its
// allocations with theirs, in allocation ID order.
type AppropriationTrace struct {
	Appropriation Appropriation       `json:"appropriation"`
	Reversal      *ReversalEntry      `json:"reversal,omitempty" metadata:",optional"`
	Totals        AppropriationTotals `json:"totals"`
	Allocations   []AllocationLine    `json:"allocations"`
	foundation.PageInfo
}

// AllocationTrace is an allocation with its appropriation above it, its
// totals, and one page of its disbursements, in disbursement ID order.
type AllocationTrace struct {
	Appropriation Appropriation      `json:"appropriation"`
	Allocation    Allocation         `json:"allocation"`
	Reversal      *ReversalEntry     `json:"reversal,omitempty" metadata:",optional"`
	Totals        AllocationTotals   `json:"totals"`
	Disbursements []DisbursementLine `json:"disbursements"`
	foundation.PageInfo
}

// DisbursementTrace follows a disbursement up to its allocation and its
// appropriation, with the totals of both.
type DisbursementTrace struct {
	Disbursement        Disbursement        `json:"disbursement"`
	Reversal            *ReversalEntry      `json:"reversal,omitempty" metadata:",optional"`
	Allocation          Allocation          `json:"allocation"`
	AllocationTotals    AllocationTotals    `json:"allocationTotals"`
	Appropriation       Appropriation       `json:"appropriation"`
	AppropriationTotals AppropriationTotals `json:"appropriationTotals"`
}

// AppropriationPage is one page of a fiscal year's appropriations with
// their running totals, in appropriation ID order.
type AppropriationPage struct {
	FiscalYear     int                    `json:"fiscalYear"`
	Appropriations []AppropriationBalance `json:"appropriations"`
	foundation.PageInfo
}

// Reversal status values (ReversalStatus.Status).
const (
	// ReversalProposed: waiting for approvals.
	ReversalProposed = "proposed"
	// ReversalApproved: approved by a majority including the audit office;
	// the owner may execute it.
	ReversalApproved = "approved"
	// ReversalExecuted: executed; Execution holds the reversal entry.
	ReversalExecuted = "executed"
	// ReversalSuperseded: the record was reversed by another reversal, so
	// this one can no longer be executed.
	ReversalSuperseded = "superseded"
)

// ReversalStatus is a reversal proposal with its approvals and, once
// executed, its reversal entry.
type ReversalStatus struct {
	Reversal  Reversal   `json:"reversal"`
	Status    string     `json:"status"`
	Approvals []Approval `json:"approvals"`
	// ApprovalsNeeded is the majority of the channel's organisations.
	ApprovalsNeeded int            `json:"approvalsNeeded"`
	Execution       *ReversalEntry `json:"execution,omitempty" metadata:",optional"`
}

// ReversalPage is one page of the reversals proposed for a record.
type ReversalPage struct {
	Reversals []ReversalStatus `json:"reversals"`
	foundation.PageInfo
}

// FindingPage is one page of the findings about a record.
type FindingPage struct {
	Findings []Finding `json:"findings"`
	foundation.PageInfo
}

// RecordHistory lists every version of a record, newest first: the entry
// itself (one version, since entries are written once) and, for
// appropriations and allocations, every version of their running totals.
type RecordHistory struct {
	// Record names the record: `allocation "AL-1"`.
	Record   string                `json:"record"`
	Entry    []foundation.Revision `json:"entry"`
	Balances []foundation.Revision `json:"balances"`
}

// Total is an exact sum of amounts in minor units, written as a decimal
// integer ("9300000000000000000"). A fiscal year's summary adds any
// number of appropriations, allocations and disbursements of up to
// MaxAmount each: beyond about 9,223 of them a sum no longer fits an int64,
// and beyond 2^53 most JSON readers round a number; a string of digits is
// exact for every reader.
type Total string

// TotalShare is a part of a whole as a ratio of Totals, with the same
// ratio in basis points (hundredths of a percent), rounded down. A whole
// of 0 gives 0 basis points.
type TotalShare struct {
	Numerator   Total `json:"numerator"`
	Denominator Total `json:"denominator"`
	BasisPoints int64 `json:"basisPoints"`
}

// AgencySpending is one agency's allocations and spending in one currency
// in a fiscal year.
type AgencySpending struct {
	Agency    string     `json:"agency"`
	Currency  string     `json:"currency"`
	Allocated Total      `json:"allocated"`
	Spent     Total      `json:"spent"`
	Remaining Total      `json:"remaining"`
	Executed  TotalShare `json:"executed"`
}

// Classification schemes of CodeSpending.
const (
	SchemeAdministrative = "administrative"
	SchemeFunctional     = "functional"
	SchemeEconomic       = "economic"
)

// CodeSpending is the budget and spending under one classification code in
// one currency in a fiscal year.
type CodeSpending struct {
	// Scheme is administrative, functional (COFOG) or economic.
	Scheme       string     `json:"scheme"`
	Code         string     `json:"code"`
	Currency     string     `json:"currency"`
	Appropriated Total      `json:"appropriated"`
	Allocated    Total      `json:"allocated"`
	Spent        Total      `json:"spent"`
	Executed     TotalShare `json:"executed"`
}

// CurrencyTotals are a fiscal year's totals in one currency.
type CurrencyTotals struct {
	Currency     string     `json:"currency"`
	Appropriated Total      `json:"appropriated"`
	Allocated    Total      `json:"allocated"`
	Spent        Total      `json:"spent"`
	Executed     TotalShare `json:"executed"`
}

// SpendingSummary is a fiscal year's budget and spending, by agency and by
// classification code, from the running totals. Amounts of different
// currencies are never added: every line is for one currency. Sums are
// Totals, exact however many amounts they add.
type SpendingSummary struct {
	FiscalYear int              `json:"fiscalYear"`
	Totals     []CurrencyTotals `json:"totals"`
	// ByAgency is sorted by agency, then currency.
	ByAgency []AgencySpending `json:"byAgency"`
	// ByClassification is sorted by scheme, code, then currency.
	ByClassification []CodeSpending `json:"byClassification"`
}
