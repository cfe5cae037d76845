package finance

import (
	"fmt"
	"strconv"

	"github.com/govshare/govshare/chaincode/foundation"
)

// The key schema: every key the finance contract reads or writes.
//
//	fin.appropriation  appropriationId                            -> Appropriation          entry, written once
//	fin.allocation     allocationId                               -> Allocation             entry, written once
//	fin.disbursement   allocationId, disbursementId               -> Disbursement           entry, written once
//	fin.payment        disbursementId                             -> paymentLocator         written once
//	fin.budget         fiscalYear, appropriationId                -> AppropriationBalance   running totals
//	fin.spending       fiscalYear, appropriationId, allocationId  -> AllocationBalance      running totals
//	fin.tranche        fiscalYear, appropriationId, allocationId, tranche -> Tranche    running totals of a split allocation
//	fin.reversal       reversalId                                 -> Reversal               proposal, written once
//	fin.reversalOf     recordType, recordId, reversalId           -> reversalLink           written once
//	fin.approval       reversalId, mspId                          -> Approval               written once
//	fin.reversed       recordType, recordId                       -> ReversalEntry          written once, at execution
//	fin.finding        recordType, recordId, findingId            -> Finding                written once
//
// # Entries and running totals
//
// Entries (appropriations, allocations, disbursements, reversal proposals,
// approvals, reversal entries, findings) are written once and never
// changed or deleted. Only the running-total key types change: fin.budget
// holds an appropriation's amount and the total allocated from it,
// fin.spending holds an allocation's amount and the total disbursed
// against it, and, once the allocation is split, fin.tranche holds the
// part of it each tranche has paid (see tranches.go). Every invariant is
// checked against them, so a check reads a few keys whatever the number
// of entries behind them. No key is ever deleted.
//
// # Why concurrent disbursements do not conflict
//
// Fabric invalidates a transaction at commit if a key it read was changed
// by an earlier transaction of the same block or chain (MVCC). A
// disbursement reads its allocation (never written again), its own new
// keys, and the allocation's fin.spending key, and writes only its own
// entry, its locator and that fin.spending key. Disbursements against
// different allocations therefore share no key and commit side by side in
// one block; two disbursements against the same allocation do conflict,
// and must, because the second one's overspend check depends on the
// first. The appropriation's fin.budget key is written by allocations and
// by reversals only, never by a disbursement, so spending never contends
// with budgeting.
//
// An allocation that many payments draw on at once (a month-end payment
// run from several clerks) is split by its agency into tranches
// (SplitAllocation): its remaining balance is spread over up to
// MaxTranches fin.tranche keys, and a disbursement draws from the one
// tranche its ID hashes to, reading fin.spending (which it no longer
// writes) and that tranche. Concurrent payments against one split
// allocation conflict only when they hash to the same tranche, and a
// tranche's check is as exact as the allocation's was: the tranches'
// shares add up to what was left when it was split, and none pays more
// than its share.
//
// # Totals by agency and classification without a hot key
//
// No key holds a year-wide total: every disbursement would have to write
// it, and every pair of concurrent disbursements would conflict on it.
// Instead each allocation's fin.spending value carries its fiscal year,
// agency, classification codes and currency, and the attributes of both
// running-total key types start with the fiscal year. A spending summary
// is then one range over fin.spending and one over fin.budget with the
// year as prefix: its cost grows with the number of appropriations and
// allocations of the year (a few hundred lines of a budget), never with the
// number of disbursements, and it is computed in a query, which takes no
// part in MVCC. Per-agency or per-code delta keys were the alternative;
// they would need a key per disbursement (so a summary would scan every
// disbursement) or would be hot again.
//
// The same prefix order serves the trace down: fin.spending with prefix
// (fiscalYear, appropriationId) lists an appropriation's allocations with
// their totals, and fin.disbursement with prefix (allocationId) lists an
// allocation's disbursements.
var (
	appropriationKeys = foundation.NewKeyType("fin.appropriation", "appropriationId")
	allocationKeys    = foundation.NewKeyType("fin.allocation", "allocationId")
	disbursementKeys  = foundation.NewKeyType("fin.disbursement", "allocationId", "disbursementId")
	paymentKeys       = foundation.NewKeyType("fin.payment", "disbursementId")
	budgetKeys        = foundation.NewKeyType("fin.budget", "fiscalYear", "appropriationId")
	spendingKeys      = foundation.NewKeyType("fin.spending", "fiscalYear", "appropriationId", "allocationId")
	trancheKeys       = foundation.NewKeyType("fin.tranche", "fiscalYear", "appropriationId", "allocationId", "tranche")
	reversalKeys      = foundation.NewKeyType("fin.reversal", "reversalId")
	reversalOfKeys    = foundation.NewKeyType("fin.reversalOf", "recordType", "recordId", "reversalId")
	approvalKeys      = foundation.NewKeyType("fin.approval", "reversalId", "mspId")
	reversedKeys      = foundation.NewKeyType("fin.reversed", "recordType", "recordId")
	findingKeys       = foundation.NewKeyType("fin.finding", "recordType", "recordId", "findingId")
)

// paymentLocator is the value of a fin.payment key: where a disbursement
// is stored, so that it can be found from its ID alone, and, for a payment
// against a split allocation, which tranches paid it, so that a reversal
// gives the amount back where it came from.
type paymentLocator struct {
	AllocationID string `json:"allocationId"`
	// Layout is the allocation's layout (AllocationBalance.Layout) when
	// the payment was recorded; Draws the parts of the amount each tranche
	// of that layout paid. The rest of the amount was drawn on the
	// allocation's fin.spending.
	Layout int           `json:"layout,omitempty"`
	Draws  []trancheDraw `json:"draws,omitempty"`
}

// trancheDraw is the part of a payment one tranche paid.
type trancheDraw struct {
	Tranche int   `json:"tranche"`
	Amount  int64 `json:"amount"`
}

// reversalLink is the value of a fin.reversalOf key, which lists the
// reversals proposed for a record.
type reversalLink struct {
	ReversalID string `json:"reversalId"`
}

// yearAttribute writes a fiscal year as a key attribute: four digits, so
// that key order is year order.
func yearAttribute(year int) string {
	return strconv.Itoa(year)
}

// trancheAttribute writes a tranche's number as a key attribute: four
// digits, so that key order is tranche order.
func trancheAttribute(n int) string {
	return fmt.Sprintf("%04d", n)
}
