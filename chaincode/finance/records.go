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
	// Spent is everything disbursed against the allocation and not
	// reversed, its tranches' payments included.
	Spent int64 `json:"spent"`
	// Remaining is Allocated - Spent: what the agency may still disburse.
	Remaining int64 `json:"remaining"`
	// Executed is Spent out of Allocated.
	Executed Share `json:"executed"`
	// Tranches is how many tranches the allocation is split into (0 when
	// it never was).
	Tranches int `json:"tranches,omitempty" metadata:",optional"`
}

// PaymentRun is what DisburseRun recorded: how many payments, and for
// each allocation the run paid from (in the order the run first names
// them) how many payments and how much. The payments themselves are
// ordinary disbursements: TraceDisbursement, TraceAllocation and the
// reversals find them like any other.
type PaymentRun struct {
	Payments    int             `json:"payments"`
	Allocations []RunAllocation `json:"allocations"`
	RecordedAt  time.Time       `json:"recordedAt"`
	RecordedBy  string          `json:"recordedBy"`
}

// RunAllocation is what a payment run paid from one allocation.
type RunAllocation struct {
	AllocationID string `json:"allocationId"`
	Currency     string `json:"currency"`
	Payments     int    `json:"payments"`
	Amount       int64  `json:"amount"`
}

// AllocationSplit is an allocation's new layout after SplitAllocation:
// what it has spent, and what is left of it spread over its tranches.
type AllocationSplit struct {
	AllocationID string `json:"allocationId"`
	Currency     string `json:"currency"`
	Layout       int    `json:"layout"`
	Tranches     int    `json:"tranches"`
	// Spent is everything disbursed against the allocation so far.
	Spent int64 `json:"spent"`
	// Spread is what is left, shared by the tranches; each tranche's
	// share is Spread / Tranches, one minor unit more for the first
	// Spread % Tranches of them. With one tranche nothing is spread.
	Spread int64 `json:"spread"`
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
// appropriations and allocations, every version of their running totals
// (an allocation's tranches included).
type RecordHistory struct {
	// Record names the record: `allocation "AL-1"`.
	Record   string                `json:"record"`
	Entry    []foundation.Revision `json:"entry"`
	Balances []foundation.Revision `json:"balances"`
	// Tranches holds, for an allocation that was ever split, every version
	// of its tranches (Tranche records), newest first.
	Tranches []foundation.Revision `json:"tranches,omitempty" metadata:",optional"`
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
