package finance

import (
	"fmt"
	"slices"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/govshare/govshare/chaincode/foundation"
)

// TraceDisbursement follows a disbursement up: its allocation and its
// appropriation, with the totals of both and its reversal entry if it was
// reversed.
//
// Access: any identity of the finance-ledger channel's members.
// Reads: fin.payment/disbursementId, the disbursement, its fin.reversed,
// the allocation and its fin.spending, the appropriation, its fin.budget
// and the fin.spending and fin.tranche keys of each of its allocations
// (for the spent total).
// Errors: ErrNotFound for an unknown disbursement ID.
func (c *Contract) TraceDisbursement(ctx contractapi.TransactionContextInterface, disbursementID string) (*DisbursementTrace, error) {
	tx, err := foundation.Begin(ctx, foundation.Allow("TraceDisbursement", channelMembers()))
	if err != nil {
		return nil, err
	}
	if err := foundation.Arguments(func(v *foundation.Fields) { v.Identifier("disbursementId", disbursementID) }); err != nil {
		return nil, err
	}
	d, _, err := findDisbursement(tx, disbursementID)
	if err != nil {
		return nil, err
	}
	reversal, _, err := reversalEntryOf(tx, TypeDisbursement, d.DisbursementID)
	if err != nil {
		return nil, err
	}
	allocation, allocationTotals, err := allocationWithTotals(tx, d.AllocationID)
	if err != nil {
		return nil, err
	}
	appropriation, budget, err := appropriationWithBudget(tx, allocation.AppropriationID)
	if err != nil {
		return nil, err
	}
	tranches, err := trancheSpending(tx, budgetPrefix(budget))
	if err != nil {
		return nil, err
	}
	spent, err := spentFrom(tx, budget, tranches)
	if err != nil {
		return nil, err
	}
	appropriationTotals, err := appropriationTotals(budget, spent)
	if err != nil {
		return nil, err
	}
	return &DisbursementTrace{
		Disbursement:        *d,
		Reversal:            reversal,
		Allocation:          *allocation,
		AllocationTotals:    allocationTotals,
		Appropriation:       *appropriation,
		AppropriationTotals: appropriationTotals,
	}, nil
}

// TraceAllocation returns an allocation with its appropriation above it,
// its totals, and one page of its disbursements below it, each with its
// reversal entry if it was reversed.
//
// Access: any identity of the finance-ledger channel's members.
// Arguments: allocationId; pageSize (0 for the default, capped at 100); the
// bookmark of the previous page ("" for the first).
// Reads: the allocation, its fin.spending, its fin.tranche keys if it was
// ever split, and its fin.reversed, its appropriation, one page of
// fin.disbursement/allocationId/... and the fin.reversed of each
// disbursement on the page.
// Errors: ErrNotFound for an unknown allocation ID.
func (c *Contract) TraceAllocation(ctx contractapi.TransactionContextInterface, allocationID string, pageSize int32, bookmark string) (*AllocationTrace, error) {
	tx, err := foundation.Begin(ctx, foundation.Allow("TraceAllocation", channelMembers()))
	if err != nil {
		return nil, err
	}
	if err := foundation.Arguments(func(v *foundation.Fields) { v.Identifier("allocationId", allocationID) }); err != nil {
		return nil, err
	}
	allocation, totals, err := allocationWithTotals(tx, allocationID)
	if err != nil {
		return nil, err
	}
	appropriation, err := getAppropriation(tx, allocation.AppropriationID)
	if err != nil {
		return nil, err
	}
	reversal, _, err := reversalEntryOf(tx, TypeAllocation, allocation.AllocationID)
	if err != nil {
		return nil, err
	}
	disbursements, info, err := foundation.List[Disbursement](tx, disbursementKeys, []string{allocation.AllocationID}, pageSize, bookmark)
	if err != nil {
		return nil, err
	}
	trace := &AllocationTrace{
		Appropriation: *appropriation,
		Allocation:    *allocation,
		Reversal:      reversal,
		Totals:        totals,
		Disbursements: make([]DisbursementLine, len(disbursements)),
		PageInfo:      info,
	}
	for i, d := range disbursements {
		trace.Disbursements[i].Disbursement = d
		if trace.Disbursements[i].Reversal, _, err = reversalEntryOf(tx, TypeDisbursement, d.DisbursementID); err != nil {
			return nil, err
		}
	}
	return trace, nil
}

// TraceAppropriation returns an appropriation with its totals and one page
// of its allocations below it, each with its own totals. Follow an
// allocation further down with TraceAllocation.
//
// Access: any identity of the finance-ledger channel's members.
// Arguments: appropriationId; pageSize (0 for the default, capped at 100);
// the bookmark of the previous page ("" for the first).
// Reads: the appropriation, its fin.budget and fin.reversed, one page of
// fin.spending/fiscalYear/appropriationId/..., the fin.tranche keys of its
// split allocations; for the spent total, every allocation's
// fin.spending, unless the first page already holds them all. Each line's
// Balance is the allocation's fin.spending as stored; its Totals count its
// tranches too.
// Errors: ErrNotFound for an unknown appropriation ID.
func (c *Contract) TraceAppropriation(ctx contractapi.TransactionContextInterface, appropriationID string, pageSize int32, bookmark string) (*AppropriationTrace, error) {
	tx, err := foundation.Begin(ctx, foundation.Allow("TraceAppropriation", channelMembers()))
	if err != nil {
		return nil, err
	}
	if err := foundation.Arguments(func(v *foundation.Fields) { v.Identifier("appropriationId", appropriationID) }); err != nil {
		return nil, err
	}
	appropriation, budget, err := appropriationWithBudget(tx, appropriationID)
	if err != nil {
		return nil, err
	}
	reversal, _, err := reversalEntryOf(tx, TypeAppropriation, appropriation.AppropriationID)
	if err != nil {
		return nil, err
	}
	balances, info, err := foundation.List[AllocationBalance](tx, spendingKeys, budgetPrefix(budget), pageSize, bookmark)
	if err != nil {
		return nil, err
	}
	trace := &AppropriationTrace{
		Appropriation: *appropriation,
		Reversal:      reversal,
		Allocations:   make([]AllocationLine, len(balances)),
		PageInfo:      info,
	}
	tranches, err := trancheSpending(tx, budgetPrefix(budget))
	if err != nil {
		return nil, err
	}
	var pageSpent sum
	for i := range balances {
		spent := balances[i].Spent + tranches[balances[i].AllocationID]
		totals, err := allocationTotals(&balances[i], spent)
		if err != nil {
			return nil, err
		}
		trace.Allocations[i] = AllocationLine{Balance: balances[i], Totals: totals}
		pageSpent.add(spent)
	}
	var spent int64
	if bookmark == "" && info.Bookmark == "" {
		// The page holds every allocation.
		spent, err = pageSpent.value(fmt.Sprintf("spending of appropriation %q", budget.AppropriationID))
	} else {
		spent, err = spentFrom(tx, budget, tranches)
	}
	if err != nil {
		return nil, err
	}
	if trace.Totals, err = appropriationTotals(budget, spent); err != nil {
		return nil, err
	}
	return trace, nil
}

// ListAppropriations returns one page of a fiscal year's appropriations
// with their running totals, in appropriation ID order.
//
// Access: any identity of the finance-ledger channel's members.
// Arguments: fiscalYear; pageSize (0 for the default, capped at 100); the
// bookmark of the previous page ("" for the first).
// Reads: one page of fin.budget/fiscalYear/....
func (c *Contract) ListAppropriations(ctx contractapi.TransactionContextInterface, fiscalYear int, pageSize int32, bookmark string) (*AppropriationPage, error) {
	tx, err := foundation.Begin(ctx, foundation.Allow("ListAppropriations", channelMembers()))
	if err != nil {
		return nil, err
	}
	if err := foundation.Arguments(func(v *foundation.Fields) { validateFiscalYear(v, fiscalYear) }); err != nil {
		return nil, err
	}
	balances, info, err := foundation.List[AppropriationBalance](tx, budgetKeys, []string{yearAttribute(fiscalYear)}, pageSize, bookmark)
	if err != nil {
		return nil, err
	}
	return &AppropriationPage{FiscalYear: fiscalYear, Appropriations: balances, PageInfo: info}, nil
}

// GetRecordHistory returns every version of a record, newest first: the
// entry (written once, so one version) and, for appropriations and
// allocations, every version of their running totals, which shows each
// allocation, disbursement and reversal that changed them (for a split
// allocation, its balance and each of its tranches).
//
// Access: any identity of the finance-ledger channel's members.
// Arguments: recordType (appropriation, allocation, disbursement or
// reversal) and recordId.
// Reads: the record and the history of its keys.
// Errors: ErrNotFound for an unknown record.
func (c *Contract) GetRecordHistory(ctx contractapi.TransactionContextInterface, recordType, recordID string) (*RecordHistory, error) {
	tx, err := foundation.Begin(ctx, foundation.Allow("GetRecordHistory", channelMembers()))
	if err != nil {
		return nil, err
	}
	if err := recordArguments(recordType, recordID); err != nil {
		return nil, err
	}
	h := &RecordHistory{Record: foundation.RecordName(recordType, recordID), Balances: []foundation.Revision{}}
	switch recordType {
	case TypeAppropriation:
		a, err := getAppropriation(tx, recordID)
		if err != nil {
			return nil, err
		}
		h.Entry, h.Balances, err = entryHistory[Appropriation, AppropriationBalance](tx, appropriationKeys, budgetKeys,
			[]string{a.AppropriationID}, []string{yearAttribute(a.FiscalYear), a.AppropriationID})
		if err != nil {
			return nil, err
		}
	case TypeAllocation:
		a, err := getAllocation(tx, recordID)
		if err != nil {
			return nil, err
		}
		h.Entry, h.Balances, err = entryHistory[Allocation, AllocationBalance](tx, allocationKeys, spendingKeys,
			[]string{a.AllocationID}, []string{yearAttribute(a.FiscalYear), a.AppropriationID, a.AllocationID})
		if err != nil {
			return nil, err
		}
		if h.Tranches, err = trancheHistory(tx, a); err != nil {
			return nil, err
		}
	case TypeDisbursement:
		_, key, err := findDisbursement(tx, recordID)
		if err != nil {
			return nil, err
		}
		if h.Entry, err = foundation.History[Disbursement](tx, key); err != nil {
			return nil, err
		}
	default: // TypeReversal; recordArguments admits no other type
		if _, err := getReversal(tx, recordID); err != nil {
			return nil, err
		}
		key, err := reversalKeys.Key(recordID)
		if err != nil {
			return nil, err
		}
		if h.Entry, err = foundation.History[Reversal](tx, key); err != nil {
			return nil, err
		}
	}
	return h, nil
}

// entryHistory reads the history of an entry and of its running totals.
func entryHistory[E, B any](tx *foundation.Tx, entryKeys, balanceKeys foundation.KeyType, entryAttrs, balanceAttrs []string) (entry, balances []foundation.Revision, err error) {
	entryKey, err := entryKeys.Key(entryAttrs...)
	if err != nil {
		return nil, nil, err
	}
	balanceKey, err := balanceKeys.Key(balanceAttrs...)
	if err != nil {
		return nil, nil, err
	}
	if entry, err = foundation.History[E](tx, entryKey); err != nil {
		return nil, nil, err
	}
	if balances, err = foundation.History[B](tx, balanceKey); err != nil {
		return nil, nil, err
	}
	return entry, balances, nil
}

// trancheHistory returns every version of an allocation's tranches,
// newest first (by tranche for versions of one transaction): none for an
// allocation never split. Tranche keys are never deleted, so the current
// range names every tranche the allocation ever had.
func trancheHistory(tx *foundation.Tx, a *Allocation) ([]foundation.Revision, error) {
	var keys []foundation.Key
	err := tx.Scan(trancheKeys, []string{yearAttribute(a.FiscalYear), a.AppropriationID, a.AllocationID}, func(key foundation.Key, _ []byte) error {
		keys = append(keys, key)
		return nil
	})
	if err != nil || len(keys) == 0 {
		return nil, err
	}
	var all []foundation.Revision
	for _, key := range keys {
		revisions, err := foundation.History[Tranche](tx, key)
		if err != nil {
			return nil, err
		}
		all = append(all, revisions...)
	}
	slices.SortStableFunc(all, func(x, y foundation.Revision) int { return y.Timestamp.Compare(x.Timestamp) })
	return all, nil
}

// allocationWithTotals reads an allocation and computes its totals.
func allocationWithTotals(tx *foundation.Tx, allocationID string) (*Allocation, AllocationTotals, error) {
	allocation, err := getAllocation(tx, allocationID)
	if err != nil {
		return nil, AllocationTotals{}, err
	}
	spending, _, err := getSpending(tx, allocation)
	if err != nil {
		return nil, AllocationTotals{}, err
	}
	spent, err := spentOf(tx, spending)
	if err != nil {
		return nil, AllocationTotals{}, err
	}
	totals, err := allocationTotals(spending, spent)
	if err != nil {
		return nil, AllocationTotals{}, err
	}
	return allocation, totals, nil
}

// appropriationWithBudget reads an appropriation and its running totals.
func appropriationWithBudget(tx *foundation.Tx, appropriationID string) (*Appropriation, *AppropriationBalance, error) {
	appropriation, err := getAppropriation(tx, appropriationID)
	if err != nil {
		return nil, nil, err
	}
	budget, _, err := getBudget(tx, appropriation)
	if err != nil {
		return nil, nil, err
	}
	return appropriation, budget, nil
}

// budgetPrefix is the fin.spending prefix of an appropriation's
// allocations.
func budgetPrefix(b *AppropriationBalance) []string {
	return []string{yearAttribute(b.FiscalYear), b.AppropriationID}
}

// spentFrom sums the spending of every allocation of an appropriation: one
// range over its fin.spending keys, as many as it has allocations, never
// one per disbursement, and what their tranches spent (trancheSpending of
// the appropriation).
func spentFrom(tx *foundation.Tx, b *AppropriationBalance, tranches map[string]int64) (int64, error) {
	var spent sum
	if err := foundation.ScanEach(tx, spendingKeys, budgetPrefix(b), func(a *AllocationBalance) {
		spent.add(a.Spent)
		spent.add(tranches[a.AllocationID])
	}); err != nil {
		return 0, err
	}
	return spent.value(fmt.Sprintf("spending of appropriation %q", b.AppropriationID))
}
