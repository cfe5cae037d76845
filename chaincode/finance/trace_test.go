package finance_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/finance"
	"github.com/govshare/govshare/chaincode/foundation"
	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

// newSpentBudget is the budget fixture with 25 disbursements of 1,000.00
// against A-EDU (D-00 to D-24) and one of 60,000.00 against A-CT, the
// first of the ministry's reversed.
func newSpentBudget(t *testing.T) *fixture {
	f := newBudget(t)
	for i := range 25 {
		f.must(call(f, f.eduAcc, (*finance.Contract).Disburse, disbursement(fmt.Sprintf("D-%02d", i), "A-EDU", 1_000_00)))
	}
	f.must(call(f, f.courtAcc, (*finance.Contract).Disburse, disbursement("D-CT", "A-CT", 60_000_00)))
	f.must(call(f, f.eduAcc, (*finance.Contract).ProposeReversal, reversal("R-1", finance.TypeDisbursement, "D-00")))
	f.approveBy("R-1", f.auditor, f.officer, f.eduAcc)
	f.must(call(f, f.eduAcc, (*finance.Contract).ExecuteReversal, execution("R-1")))
	return f
}

func TestTraceDisbursementUp(t *testing.T) {
	f := newSpentBudget(t)
	trace, err := f.traceDisbursement(f.inspector, "D-CT")
	require.NoError(t, err)
	assert.Equal(t, "D-CT", trace.Disbursement.DisbursementID)
	assert.Nil(t, trace.Reversal)
	assert.Equal(t, "A-CT", trace.Allocation.AllocationID)
	assert.Equal(t, court, trace.Allocation.Agency)
	assert.Equal(t, finance.AllocationTotals{Currency: "EUR", Allocated: ctAllocated, Spent: 60_000_00, Remaining: 240_000_00,
		Executed: finance.Share{Numerator: 60_000_00, Denominator: ctAllocated, BasisPoints: 2000}}, trace.AllocationTotals)
	assert.Equal(t, "P-1", trace.Appropriation.AppropriationID)
	spent := int64(60_000_00 + 24*1_000_00)
	assert.Equal(t, finance.AppropriationTotals{Currency: "EUR", Appropriated: appropriated, Allocated: eduAllocated + ctAllocated,
		Unallocated: appropriated - eduAllocated - ctAllocated, Spent: spent, Remaining: appropriated - spent,
		Executed: finance.Share{Numerator: spent, Denominator: appropriated, BasisPoints: 840}}, trace.AppropriationTotals)

	reversed, err := f.traceDisbursement(f.inspector, "D-00")
	require.NoError(t, err)
	require.NotNil(t, reversed.Reversal)
	assert.Equal(t, "R-1", reversed.Reversal.ReversalID)
	assert.Equal(t, int64(1_000_00), reversed.Disbursement.Amount)
}

func TestTraceAllocationDownIsPaginated(t *testing.T) {
	f := newSpentBudget(t)
	var ids []string
	reversedLines := 0
	bookmark := ""
	for page := 0; ; page++ {
		trace, err := f.traceAllocation(f.inspector, "A-EDU", 10, bookmark)
		require.NoError(t, err)
		assert.Equal(t, "P-1", trace.Appropriation.AppropriationID)
		assert.Equal(t, "A-EDU", trace.Allocation.AllocationID)
		assert.Equal(t, finance.AllocationTotals{Currency: "EUR", Allocated: eduAllocated, Spent: 24 * 1_000_00, Remaining: eduAllocated - 24*1_000_00,
			Executed: finance.Share{Numerator: 24 * 1_000_00, Denominator: eduAllocated, BasisPoints: 600}}, trace.Totals, "totals on every page")
		assert.Equal(t, int32(len(trace.Disbursements)), trace.Count)
		for _, line := range trace.Disbursements {
			ids = append(ids, line.Disbursement.DisbursementID)
			if line.Reversal != nil {
				reversedLines++
				assert.Equal(t, "D-00", line.Reversal.RecordID)
			}
		}
		if trace.Bookmark == "" {
			assert.Equal(t, 2, page, "25 disbursements in pages of 10")
			break
		}
		bookmark = trace.Bookmark
	}
	assert.Len(t, ids, 25)
	assert.Equal(t, "D-00", ids[0])
	assert.Equal(t, "D-24", ids[24])
	assert.Equal(t, 1, reversedLines)

	trace, err := f.traceAllocation(f.inspector, "A-EDU", 0, "")
	require.NoError(t, err)
	assert.Len(t, trace.Disbursements, foundation.DefaultPageSize, "page size 0 is the default")
}

func TestTraceAppropriationDownIsPaginated(t *testing.T) {
	f := newSpentBudget(t)
	spent := int64(60_000_00 + 24*1_000_00)
	want := finance.AppropriationTotals{Currency: "EUR", Appropriated: appropriated, Allocated: eduAllocated + ctAllocated,
		Unallocated: appropriated - eduAllocated - ctAllocated, Spent: spent, Remaining: appropriated - spent,
		Executed: finance.Share{Numerator: spent, Denominator: appropriated, BasisPoints: 840}}

	whole, err := f.traceAppropriation(f.inspector, "P-1", 0, "")
	require.NoError(t, err)
	assert.Equal(t, want, whole.Totals, "totals from a page holding every allocation")
	require.Len(t, whole.Allocations, 2)
	assert.Empty(t, whole.Bookmark)

	first, err := f.traceAppropriation(f.inspector, "P-1", 1, "")
	require.NoError(t, err)
	assert.Equal(t, want, first.Totals, "totals of every allocation, not only the page's")
	require.Len(t, first.Allocations, 1)
	assert.Equal(t, "A-CT", first.Allocations[0].Balance.AllocationID)
	assert.Equal(t, finance.AllocationTotals{Currency: "EUR", Allocated: ctAllocated, Spent: 60_000_00, Remaining: 240_000_00,
		Executed: finance.Share{Numerator: 60_000_00, Denominator: ctAllocated, BasisPoints: 2000}}, first.Allocations[0].Totals)
	require.NotEmpty(t, first.Bookmark)

	second, err := f.traceAppropriation(f.inspector, "P-1", 1, first.Bookmark)
	require.NoError(t, err)
	assert.Equal(t, want, second.Totals)
	require.Len(t, second.Allocations, 1)
	assert.Equal(t, "A-EDU", second.Allocations[0].Balance.AllocationID)
	assert.Equal(t, int64(24*1_000_00), second.Allocations[0].Balance.Spent)
	assert.Empty(t, second.Bookmark)
}

func TestListAppropriations(t *testing.T) {
	f := newBudget(t)
	f.must(call(f, f.officer, (*finance.Contract).Appropriate, appropriation("P-0", 5)))
	next := appropriation("P-NEXT", 7)
	next.FiscalYear = 2027
	f.must(call(f, f.officer, (*finance.Contract).Appropriate, next))

	list := func(year int, size int32, bookmark string) (*finance.AppropriationPage, error) {
		return ledgertest.Eval(f.inspector, func(ctx ctxT) (*finance.AppropriationPage, error) {
			return f.c.ListAppropriations(ctx, year, size, bookmark)
		})
	}
	page, err := list(2026, 1, "")
	require.NoError(t, err)
	require.Len(t, page.Appropriations, 1)
	assert.Equal(t, "P-0", page.Appropriations[0].AppropriationID)
	page, err = list(2026, 5, page.Bookmark)
	require.NoError(t, err)
	require.Len(t, page.Appropriations, 1)
	assert.Equal(t, finance.AppropriationBalance{AppropriationID: "P-1", FiscalYear: 2026,
		Classification: finance.Classification{Administrative: "EDU-01", Functional: "09.1", Economic: "2211"},
		Currency:       "EUR", Appropriated: appropriated, Allocated: eduAllocated + ctAllocated}, page.Appropriations[0])
	assert.Empty(t, page.Bookmark)

	page, err = list(2027, 0, "")
	require.NoError(t, err)
	assert.Equal(t, 2027, page.FiscalYear)
	require.Len(t, page.Appropriations, 1)
	assert.Equal(t, "P-NEXT", page.Appropriations[0].AppropriationID)

	page, err = list(2030, 0, "")
	require.NoError(t, err)
	assert.Empty(t, page.Appropriations)
	assert.NotNil(t, page.Appropriations, "an empty list, not null")
}

func TestGetRecordHistory(t *testing.T) {
	f := newSpentBudget(t)
	f.must(call(f, f.auditor, (*finance.Contract).RecordFinding, finding("F-1", finance.TypeAllocation, "A-EDU")))
	history := func(recordType, id string) *finance.RecordHistory {
		t.Helper()
		h, err := ledgertest.Eval(f.inspector, func(ctx ctxT) (*finance.RecordHistory, error) {
			return f.c.GetRecordHistory(ctx, recordType, id)
		})
		require.NoError(t, err)
		return h
	}

	h := history(finance.TypeAppropriation, "P-1")
	assert.Equal(t, `appropriation "P-1"`, h.Record)
	require.Len(t, h.Entry, 1, "an entry is written once")
	assert.Equal(t, int64(appropriated), h.Entry[0].Record.(*finance.Appropriation).Amount)
	require.Len(t, h.Balances, 3, "created, then two allocations")
	assert.Equal(t, int64(eduAllocated+ctAllocated), h.Balances[0].Record.(*finance.AppropriationBalance).Allocated, "newest first")
	assert.Equal(t, int64(0), h.Balances[2].Record.(*finance.AppropriationBalance).Allocated)

	h = history(finance.TypeAllocation, "A-EDU")
	require.Len(t, h.Entry, 1)
	require.Len(t, h.Balances, 1+25+1, "created, 25 disbursements, one reversal")
	assert.Equal(t, int64(24*1_000_00), h.Balances[0].Record.(*finance.AllocationBalance).Spent)
	assert.Equal(t, int64(25*1_000_00), h.Balances[1].Record.(*finance.AllocationBalance).Spent)
	assert.True(t, h.Balances[0].Timestamp.After(h.Balances[1].Timestamp))

	h = history(finance.TypeDisbursement, "D-00")
	require.Len(t, h.Entry, 1)
	assert.Equal(t, "D-00", h.Entry[0].Record.(*finance.Disbursement).DisbursementID)
	assert.Empty(t, h.Balances)

	h = history(finance.TypeReversal, "R-1")
	require.Len(t, h.Entry, 1)
	assert.Equal(t, "D-00", h.Entry[0].Record.(*finance.Reversal).RecordID)
}

// TestQueryRefusals checks the argument checks and the read rule of every
// query: a refused query names the problem, and no query writes.
func TestQueryRefusals(t *testing.T) {
	f := newSpentBudget(t)
	other, err := f.traceAllocation(f.inspector, "A-EDU", 1, "")
	require.NoError(t, err)
	eval := func(c *ledgertest.Client, fn func(ctxT) error) func() error {
		return func() error { return c.Evaluate(fn) }
	}
	university := f.l.As(consortium.UniversityAMSP, consortium.RoleRegistrar)
	f.l.RunRefusals(t, []ledgertest.RefusalCase{
		{Name: "trace of an unknown disbursement", Call: eval(f.inspector, func(ctx ctxT) error { _, err := f.c.TraceDisbursement(ctx, "D-404"); return err }),
			Want: ledgertest.Refused(foundation.ErrNotFound, `disbursement "D-404" not found`)},
		{Name: "trace of a malformed disbursement ID", Call: eval(f.inspector, func(ctx ctxT) error { _, err := f.c.TraceDisbursement(ctx, ""); return err }),
			Want: ledgertest.Refused(foundation.ErrInvalidInput, "arguments: disbursementId: required")},
		{Name: "trace of an unknown allocation", Call: eval(f.inspector, func(ctx ctxT) error { _, err := f.c.TraceAllocation(ctx, "A-404", 0, ""); return err }),
			Want: ledgertest.Refused(foundation.ErrNotFound, `allocation "A-404" not found`)},
		{Name: "negative page size", Call: eval(f.inspector, func(ctx ctxT) error { _, err := f.c.TraceAllocation(ctx, "A-EDU", -1, ""); return err }),
			Want: ledgertest.Refused(foundation.ErrInvalidInput, "pageSize: must be between 0")},
		{Name: "bookmark of another listing", Call: eval(f.inspector, func(ctx ctxT) error { _, err := f.c.TraceAllocation(ctx, "A-CT", 1, other.Bookmark); return err }),
			Want: ledgertest.Refused(foundation.ErrInvalidInput, "bookmark: is not a bookmark returned by this listing")},
		{Name: "trace of an unknown appropriation", Call: eval(f.inspector, func(ctx ctxT) error { _, err := f.c.TraceAppropriation(ctx, "P-404", 0, ""); return err }),
			Want: ledgertest.Refused(foundation.ErrNotFound, `appropriation "P-404" not found`)},
		{Name: "appropriation ID with a NUL", Call: eval(f.inspector, func(ctx ctxT) error { _, err := f.c.TraceAppropriation(ctx, "P\x001", 0, ""); return err }),
			Want: ledgertest.Refused(foundation.ErrInvalidInput, "appropriationId")},
		{Name: "summary of year 99", Call: eval(f.inspector, func(ctx ctxT) error { _, err := f.c.GetSpendingSummary(ctx, 99); return err }),
			Want: ledgertest.Refused(foundation.ErrInvalidInput, "fiscalYear: must be between 2000 and 2100")},
		{Name: "listing of year 3000", Call: eval(f.inspector, func(ctx ctxT) error { _, err := f.c.ListAppropriations(ctx, 3000, 0, ""); return err }),
			Want: ledgertest.Refused(foundation.ErrInvalidInput, "fiscalYear")},
		{Name: "history of an unknown record type", Call: eval(f.inspector, func(ctx ctxT) error { _, err := f.c.GetRecordHistory(ctx, "payment", "D-01"); return err }),
			Want: ledgertest.Refused(foundation.ErrInvalidInput, "recordType: must be one of")},
		{Name: "history of an unknown record", Call: eval(f.inspector, func(ctx ctxT) error { _, err := f.c.GetRecordHistory(ctx, finance.TypeAllocation, "A-404"); return err }),
			Want: ledgertest.Refused(foundation.ErrNotFound, `allocation "A-404" not found`)},
		{Name: "reversals of an unknown record", Call: eval(f.inspector, func(ctx ctxT) error {
			_, err := f.c.ListReversals(ctx, finance.TypeDisbursement, "D-404", 0, "")
			return err
		}), Want: ledgertest.Refused(foundation.ErrNotFound, `disbursement "D-404" not found`)},
		{Name: "findings of an unknown record", Call: eval(f.inspector, func(ctx ctxT) error {
			_, err := f.c.ListFindings(ctx, finance.TypeReversal, "R-404", 0, "")
			return err
		}), Want: ledgertest.Refused(foundation.ErrNotFound, `reversal "R-404" not found`)},
		{Name: "unknown reversal", Call: eval(f.inspector, func(ctx ctxT) error { _, err := f.c.GetReversal(ctx, "R-404"); return err }),
			Want: ledgertest.Refused(foundation.ErrNotFound, `reversal "R-404" not found`)},
		{Name: "a university reads the finance ledger", Call: eval(university, func(ctx ctxT) error { _, err := f.c.TraceDisbursement(ctx, "D-01"); return err }),
			Want: ledgertest.Refused(foundation.ErrAccessDenied, `TraceDisbursement called by UniversityAMSP`,
				"requires any identity of FinanceBureauMSP, AuditOfficeMSP, EduMinistryMSP, InternetCourtMSP or OversightMSP")},
		{Name: "a notary reads the summary", Call: eval(f.l.As(consortium.NotaryOfficeMSP, consortium.RoleNotary), func(ctx ctxT) error {
			_, err := f.c.GetSpendingSummary(ctx, 2026)
			return err
		}), Want: ledgertest.Refused(foundation.ErrAccessDenied, "NotaryOfficeMSP")},
	})

	t.Run("every member reads, with any role or none", func(t *testing.T) {
		for _, msp := range consortium.ChannelMembers(consortium.FinanceChannel) {
			for _, role := range []string{consortium.RoleAdmin, ""} {
				_, err := f.traceDisbursement(f.l.As(msp, role), "D-CT")
				assert.NoError(t, err, "%s/%q", msp, role)
			}
		}
	})
}
