package finance_test

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/finance"
	"github.com/govshare/govshare/chaincode/foundation"
	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

// homeOf is the tranche a payment draws from first, as the contract's
// documentation defines it: the first eight bytes of the SHA-256 of its
// disbursement ID, big-endian, modulo the number of tranches.
func homeOf(disbursementID string, tranches int) int {
	sum := sha256.Sum256([]byte(disbursementID))
	return int(binary.BigEndian.Uint64(sum[:8]) % uint64(tranches))
}

// locatorOf reads the fin.payment locator of a disbursement.
type locatorValue struct {
	AllocationID string `json:"allocationId"`
	Layout       int    `json:"layout"`
	Draws        []struct {
		Tranche int   `json:"tranche"`
		Amount  int64 `json:"amount"`
	} `json:"draws"`
}

func (f *fixture) locator(t *testing.T, id string) locatorValue {
	t.Helper()
	return *stored[locatorValue](t, f, compositeKey("fin.payment", id))
}

func (f *fixture) balance(t *testing.T, allocationID string) finance.AllocationBalance {
	t.Helper()
	return *stored[finance.AllocationBalance](t, f, compositeKey("fin.spending", "2026", "P-1", allocationID))
}

func (f *fixture) tranche(t *testing.T, allocationID string, n int) finance.Tranche {
	t.Helper()
	return *stored[finance.Tranche](t, f, compositeKey("fin.tranche", "2026", "P-1", allocationID, fmt.Sprintf("%04d", n)))
}

func (f *fixture) pay(t *testing.T, id, allocationID string, amount int64) {
	t.Helper()
	_, err := call(f, f.eduAcc, (*finance.Contract).Disburse, disbursement(id, allocationID, amount))
	require.NoError(t, err, "pay %s", id)
}

func (f *fixture) reverse(t *testing.T, reversalID, recordType, recordID string, owner, agency *ledgertest.Client) {
	t.Helper()
	f.must(call(f, owner, (*finance.Contract).ProposeReversal, reversal(reversalID, recordType, recordID)))
	f.approveBy(reversalID, f.auditor, f.officer, agency)
	f.must(call(f, owner, (*finance.Contract).ExecuteReversal, execution(reversalID)))
}

func TestSplitAllocation(t *testing.T) {
	f := newBudget(t)
	f.pay(t, "D-0", "A-EDU", 1_000_000)

	result, err := call(f, f.eduAcc, (*finance.Contract).SplitAllocation, split("A-EDU", 4))
	require.NoError(t, err)
	assert.Equal(t, &finance.AllocationSplit{AllocationID: "A-EDU", Currency: "EUR", Layout: 1, Tranches: 4, Spent: 1_000_000, Spread: 39_000_000}, result)
	name, ev := f.lastEvent()
	assert.Equal(t, finance.EventAllocationSplit, name)
	assert.Equal(t, []string{"update fin.spending 2026/P-1/A-EDU"}, ledgertest.ChangeSummary(ev), "no tranche key before a payment draws on it")
	b := f.balance(t, "A-EDU")
	assert.Equal(t, []any{4, 1, int64(39_000_000), int64(1_000_000)}, []any{b.Tranches, b.Layout, b.Spread, b.Spent})
	totals := f.allocationTotals("A-EDU")
	assert.Equal(t, []any{int64(1_000_000), int64(39_000_000), 4}, []any{totals.Spent, totals.Remaining, totals.Tranches})

	t.Run("a payment draws from its home tranche alone", func(t *testing.T) {
		balanceBefore := f.l.State(compositeKey("fin.spending", "2026", "P-1", "A-EDU"))
		f.pay(t, "D-1", "A-EDU", 100)
		home := homeOf("D-1", 4)
		_, ev := f.lastEvent()
		assert.Equal(t, []string{"create fin.payment D-1", "put fin.disbursement A-EDU/D-1", fmt.Sprintf("create fin.tranche 2026/P-1/A-EDU/%04d", home)},
			ledgertest.ChangeSummary(ev))
		assert.Equal(t, balanceBefore, f.l.State(compositeKey("fin.spending", "2026", "P-1", "A-EDU")), "the balance is read, not written")
		assert.JSONEq(t, fmt.Sprintf(`{"allocationId":"A-EDU","layout":1,"draws":[{"tranche":%d,"amount":100}]}`, home),
			string(f.l.State(compositeKey("fin.payment", "D-1"))))
		assert.Equal(t, finance.Tranche{AllocationID: "A-EDU", Layout: 1, Tranche: home, Share: 9_750_000, Spent: 100}, f.tranche(t, "A-EDU", home))
		assert.Equal(t, int64(1_000_100), f.allocationTotals("A-EDU").Spent)
	})

	t.Run("a payment larger than its tranche goes on to the next", func(t *testing.T) {
		f.pay(t, "D-2", "A-EDU", 15_000_000)
		loc := f.locator(t, "D-2")
		home := homeOf("D-2", 4)
		require.Len(t, loc.Draws, 2)
		assert.Equal(t, home, loc.Draws[0].Tranche)
		assert.Equal(t, (home+1)%4, loc.Draws[1].Tranche)
		assert.Equal(t, int64(15_000_000), loc.Draws[0].Amount+loc.Draws[1].Amount)
		assert.Equal(t, int64(16_000_100), f.allocationTotals("A-EDU").Spent)
	})

	t.Run("every minor unit can be paid, and not one more", func(t *testing.T) {
		left := f.allocationTotals("A-EDU").Remaining
		f.l.RequireRefused(t, ledgertest.Refused(foundation.ErrConflict,
			fmt.Sprintf(`allocation "A-EDU" has %d EUR remaining; a disbursement of %d EUR would exceed it`, left, left+1)),
			refuse(f, f.eduAcc, (*finance.Contract).Disburse, disbursement("D-3", "A-EDU", left+1)))
		f.pay(t, "D-3", "A-EDU", left)
		assert.Equal(t, int64(0), f.allocationTotals("A-EDU").Remaining)
		f.l.RequireRefused(t, ledgertest.Refused(foundation.ErrConflict, `has 0 EUR remaining; a disbursement of 1 EUR would exceed it`),
			refuse(f, f.eduAcc, (*finance.Contract).Disburse, disbursement("D-4", "A-EDU", 1)))
		for n := range 4 {
			tr := f.tranche(t, "A-EDU", n)
			assert.Equal(t, tr.Share, tr.Spent, "tranche %d is spent", n)
		}
	})

	t.Run("summaries and traces count the tranches", func(t *testing.T) {
		summary, err := f.summary(f.inspector, 2026)
		require.NoError(t, err)
		require.Len(t, summary.ByAgency, 2)
		assert.Equal(t, finance.Total(fmt.Sprint(eduAllocated)), summary.ByAgency[0].Spent)
		assert.Equal(t, finance.Total(fmt.Sprint(eduAllocated)), summary.Totals[0].Spent)
		assert.Equal(t, int64(eduAllocated), f.appropriationTotals("P-1").Spent)
		page, err := f.traceAppropriation(f.inspector, "P-1", 1, "")
		require.NoError(t, err)
		assert.Equal(t, int64(eduAllocated), page.Totals.Spent, "from a page that does not hold every allocation")
		page, err = f.traceAppropriation(f.inspector, "P-1", 0, "")
		require.NoError(t, err)
		require.Len(t, page.Allocations, 2)
		assert.Equal(t, "A-EDU", page.Allocations[1].Balance.AllocationID)
		assert.Equal(t, int64(eduAllocated), page.Allocations[1].Totals.Spent)
		assert.Equal(t, int64(eduAllocated), page.Totals.Spent, "from a page that holds every allocation")
		up, err := f.traceDisbursement(f.inspector, "D-1")
		require.NoError(t, err)
		assert.Equal(t, int64(0), up.AllocationTotals.Remaining)
		assert.Equal(t, int64(eduAllocated), up.AppropriationTotals.Spent)
		history, err := ledgertest.Eval(f.inspector, func(ctx ctxT) (*finance.RecordHistory, error) {
			return f.c.GetRecordHistory(ctx, finance.TypeAllocation, "A-EDU")
		})
		require.NoError(t, err)
		assert.Len(t, history.Balances, 3, "allocated, the payment before the split, the split")
		assert.NotEmpty(t, history.Tranches)
		for _, r := range history.Tranches {
			raw, err := json.Marshal(r.Record)
			require.NoError(t, err)
			assert.Contains(t, string(raw), `"allocationId":"A-EDU"`)
		}
	})
}

func TestTranchesAcrossReversalsAndNewLayouts(t *testing.T) {
	f := newBudget(t)
	f.pay(t, "D-OLD", "A-EDU", 1_000_000)
	f.must(call(f, f.eduAcc, (*finance.Contract).SplitAllocation, split("A-EDU", 4)))
	f.pay(t, "D-T", "A-EDU", 500_000)
	home := homeOf("D-T", 4)
	spent := func() int64 { return f.allocationTotals("A-EDU").Spent }
	require.Equal(t, int64(1_500_000), spent())

	t.Run("a reversal gives back to the tranche it drew from", func(t *testing.T) {
		before := f.balance(t, "A-EDU")
		f.reverse(t, "REV-T", finance.TypeDisbursement, "D-T", f.eduAcc, f.eduAcc)
		assert.Equal(t, int64(0), f.tranche(t, "A-EDU", home).Spent)
		assert.Equal(t, before, f.balance(t, "A-EDU"), "the balance is untouched")
		assert.Equal(t, int64(1_000_000), spent())
	})

	t.Run("a payment of the earlier layout is given back to the balance, and the balance pays again", func(t *testing.T) {
		f.reverse(t, "REV-OLD", finance.TypeDisbursement, "D-OLD", f.eduAcc, f.eduAcc)
		b := f.balance(t, "A-EDU")
		assert.Equal(t, int64(0), b.Spent)
		assert.Equal(t, int64(1_000_000), b.Allocated-b.Spent-b.Spread, "left in the balance itself")
		assert.Equal(t, int64(0), spent())
		f.pay(t, "D-ALL", "A-EDU", eduAllocated)
		loc := f.locator(t, "D-ALL")
		var fromTranches int64
		for _, d := range loc.Draws {
			fromTranches += d.Amount
		}
		assert.Equal(t, int64(39_000_000), fromTranches, "every tranche")
		assert.Equal(t, int64(1_000_000), f.balance(t, "A-EDU").Spent, "and the balance")
		assert.Equal(t, int64(0), f.allocationTotals("A-EDU").Remaining)
		f.reverse(t, "REV-ALL", finance.TypeDisbursement, "D-ALL", f.eduAcc, f.eduAcc)
		assert.Equal(t, int64(0), spent())
		assert.Equal(t, int64(0), f.balance(t, "A-EDU").Spent)
	})

	t.Run("a new split moves the tranches' spending into the balance", func(t *testing.T) {
		f.pay(t, "D-A", "A-EDU", 7_000_000)
		f.pay(t, "D-B", "A-EDU", 3)
		result, err := call(f, f.eduAcc, (*finance.Contract).SplitAllocation, split("A-EDU", 2))
		require.NoError(t, err)
		assert.Equal(t, &finance.AllocationSplit{AllocationID: "A-EDU", Currency: "EUR", Layout: 2, Tranches: 2, Spent: 7_000_003, Spread: 32_999_997}, result)
		_, ev := f.lastEvent()
		changes := ledgertest.ChangeSummary(ev)
		assert.Equal(t, []string{"put fin.tranche 2026/P-1/A-EDU/0000", "put fin.tranche 2026/P-1/A-EDU/0001", "put fin.tranche 2026/P-1/A-EDU/0002",
			"put fin.tranche 2026/P-1/A-EDU/0003", "update fin.spending 2026/P-1/A-EDU"}, changes, "the 4 tranche keys of the earlier layout, and the balance")
		for n := range 4 {
			want := []int64{16_499_999, 16_499_998, 0, 0}[n]
			assert.Equal(t, finance.Tranche{AllocationID: "A-EDU", Layout: 2, Tranche: n, Share: want}, f.tranche(t, "A-EDU", n))
		}
		assert.Equal(t, int64(7_000_003), spent())
		f.reverse(t, "REV-A", finance.TypeDisbursement, "D-A", f.eduAcc, f.eduAcc)
		assert.Equal(t, int64(3), f.balance(t, "A-EDU").Spent, "given back to the balance")
		assert.Equal(t, int64(3), spent())
	})

	t.Run("merged into one tranche, payments draw on the balance again", func(t *testing.T) {
		f.must(call(f, f.eduAcc, (*finance.Contract).SplitAllocation, split("A-EDU", 1)))
		f.pay(t, "D-M", "A-EDU", 10)
		_, ev := f.lastEvent()
		assert.Equal(t, []string{"create fin.payment D-M", "put fin.disbursement A-EDU/D-M", "update fin.spending 2026/P-1/A-EDU"}, ledgertest.ChangeSummary(ev))
		assert.JSONEq(t, `{"allocationId":"A-EDU"}`, string(f.l.State(compositeKey("fin.payment", "D-M"))))
		assert.Equal(t, int64(13), spent())
		assert.Equal(t, 1, f.allocationTotals("A-EDU").Tranches)
	})
}

func TestReversingASplitAllocation(t *testing.T) {
	f := newBudget(t)
	f.must(call(f, f.officer, (*finance.Contract).Allocate, allocation("A-S", "P-1", ministry, 1000)))
	f.must(call(f, f.eduAcc, (*finance.Contract).SplitAllocation, split("A-S", 4)))
	f.pay(t, "D-S", "A-S", 100)
	f.must(call(f, f.officer, (*finance.Contract).ProposeReversal, reversal("REV-S", finance.TypeAllocation, "A-S")))
	f.approveBy("REV-S", f.auditor, f.officer, f.eduAcc)
	f.l.RequireRefused(t, ledgertest.Refused(foundation.ErrConflict, `allocation "A-S" has 100 EUR disbursed against it; reverse its disbursements first`),
		refuse(f, f.officer, (*finance.Contract).ExecuteReversal, execution("REV-S")))
	f.reverse(t, "REV-D-S", finance.TypeDisbursement, "D-S", f.eduAcc, f.eduAcc)
	f.must(call(f, f.officer, (*finance.Contract).ExecuteReversal, execution("REV-S")))
	b := f.balance(t, "A-S")
	assert.Equal(t, []any{int64(0), int64(0), int64(0), 0, 2, "REV-S"}, []any{b.Allocated, b.Spent, b.Spread, b.Tranches, b.Layout, b.ReversedBy})
	assert.Equal(t, finance.Tranche{AllocationID: "A-S", Layout: 2, Tranche: homeOf("D-S", 4)}, f.tranche(t, "A-S", homeOf("D-S", 4)))
	assert.Equal(t, int64(appropriated-eduAllocated-ctAllocated), f.appropriationTotals("P-1").Unallocated)
	f.l.RequireRefused(t, ledgertest.Refused(foundation.ErrConflict, `allocation "A-S" was reversed by REV-S`),
		refuse(f, f.eduAcc, (*finance.Contract).Disburse, disbursement("D-S2", "A-S", 1)))
}

func TestSplitAllocationRefusals(t *testing.T) {
	f := newBudget(t)
	f.must(call(f, f.officer, (*finance.Contract).Allocate, allocation("A-GONE", "P-1", ministry, 1000)))
	f.reverse(t, "REV-GONE", finance.TypeAllocation, "A-GONE", f.officer, f.eduAcc)
	valid := split("A-EDU", 8)
	submit := func(c *ledgertest.Client, req any) func() error {
		return refuse(f, c, (*finance.Contract).SplitAllocation, req)
	}
	f.l.RunRefusals(t, []ledgertest.RefusalCase{
		{Name: "another agency's allocation", Call: submit(f.courtAcc, valid),
			Want: ledgertest.Refused(foundation.ErrAccessDenied, `SplitAllocation called by InternetCourtMSP with role "accountant"; requires the agency of allocation A-EDU (EduMinistryMSP)`)},
		{Name: "the budget officer", Call: submit(f.officer, valid),
			Want: ledgertest.Refused(foundation.ErrAccessDenied, `SplitAllocation called by FinanceBureauMSP with role "budget-officer"; requires role "accountant" in EduMinistryMSP or InternetCourtMSP`)},
		{Name: "an oversight inspector", Call: submit(f.inspector, valid), Want: ledgertest.Refused(foundation.ErrAccessDenied, "SplitAllocation called by OversightMSP")},
		{Name: "no tranche", Call: submit(f.eduAcc, split("A-EDU", 0)), Want: ledgertest.Refused(foundation.ErrInvalidInput, "tranches: must be between 1 and 256")},
		{Name: "more tranches than allowed", Call: submit(f.eduAcc, split("A-EDU", finance.MaxTranches+1)), Want: ledgertest.Refused(foundation.ErrInvalidInput, "tranches: must be between 1 and 256")},
		{Name: "tranches as a string", Call: submit(f.eduAcc, `{"allocationId":"A-EDU","tranches":"8"}`), Want: ledgertest.Refused(foundation.ErrInvalidInput, "tranches: must be an integer")},
		{Name: "an unknown field", Call: submit(f.eduAcc, `{"allocationId":"A-EDU","tranches":8,"spread":1}`), Want: ledgertest.Refused(foundation.ErrInvalidInput, "spread: unknown field")},
		{Name: "an unknown allocation", Call: submit(f.eduAcc, split("A-404", 8)), Want: ledgertest.Refused(foundation.ErrNotFound, `allocation "A-404" not found`)},
		{Name: "a reversed allocation", Call: submit(f.eduAcc, split("A-GONE", 8)),
			Want: ledgertest.Refused(foundation.ErrConflict, `allocation "A-GONE" was reversed by REV-GONE; it has nothing left to split`)},
	})
}
