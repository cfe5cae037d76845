package finance

import (
	"time"

	"github.com/govshare/govshare/chaincode/foundation"
)

// What the contract answers to queries: totals, traces, pages, summaries.

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
