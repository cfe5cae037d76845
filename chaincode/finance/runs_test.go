package finance_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/finance"
	"github.com/govshare/govshare/chaincode/foundation"
	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

// newRunBudget is the budget fixture with a second allocation to the
// ministry, A-EDU2 (100,000.00), from the same appropriation.
func newRunBudget(t testing.TB) *fixture {
	t.Helper()
	f := newBudget(t)
	f.must(call(f, f.officer, (*finance.Contract).Allocate, allocation("A-EDU2", "P-1", ministry, 100_000_00)))
	return f
}

func TestDisburseRun(t *testing.T) {
	f := newRunBudget(t)
	payments := []finance.DisburseRequest{
		disbursement("R-1", "A-EDU", 100_000_00),
		disbursement("R-2", "A-EDU2", 20_000_00),
		disbursement("R-3", "A-EDU", 50_000_00),
		disbursement("R-4", "A-EDU2", 30_000_00),
	}
	payments[1].TransactionType = finance.TransactionCommitment
	singles := f.l.Fork(t) // the same payments one by one, to compare with

	recorded, err := call(f, f.eduAcc, (*finance.Contract).DisburseRun, run(payments...))
	require.NoError(t, err)
	assert.Equal(t, 4, recorded.Payments)
	assert.Equal(t, []finance.RunAllocation{
		{AllocationID: "A-EDU", Currency: "EUR", Payments: 2, Amount: 150_000_00},
		{AllocationID: "A-EDU2", Currency: "EUR", Payments: 2, Amount: 50_000_00},
	}, recorded.Allocations, "per allocation, in the order the run first names them")
	assert.Contains(t, recorded.RecordedBy, "CN=accountant")

	name, ev := f.lastEvent()
	assert.Equal(t, finance.EventPaymentRunRecorded, name)
	assert.Equal(t, []string{
		"create fin.payment R-1", "put fin.disbursement A-EDU/R-1",
		"create fin.payment R-2", "put fin.disbursement A-EDU2/R-2",
		"create fin.payment R-3", "put fin.disbursement A-EDU/R-3",
		"create fin.payment R-4", "put fin.disbursement A-EDU2/R-4",
		"update fin.spending 2026/P-1/A-EDU", "update fin.spending 2026/P-1/A-EDU2",
	}, ledgertest.ChangeSummary(ev), "one event naming every key; each allocation's balance written once")

	t.Run("each payment is stored as Disburse stores it", func(t *testing.T) {
		s := &fixture{t: t, l: singles, c: f.c, eduAcc: singles.As(ministry, consortium.RoleAccountant)}
		for _, p := range payments {
			single, err := call(s, s.eduAcc, (*finance.Contract).Disburse, p)
			require.NoError(t, err)
			inRun := stored[finance.Disbursement](t, f, compositeKey("fin.disbursement", p.AllocationID, p.DisbursementID))
			single.RecordedAt = inRun.RecordedAt // the one thing that differs: the transaction's time
			assert.Equal(t, single, inRun, p.DisbursementID)
			assert.Equal(t, singles.State(compositeKey("fin.payment", p.DisbursementID)), f.l.State(compositeKey("fin.payment", p.DisbursementID)))
		}
		for _, a := range []string{"A-EDU", "A-EDU2"} {
			key := compositeKey("fin.spending", "2026", "P-1", a)
			assert.Equal(t, singles.State(key), f.l.State(key), "the same running totals")
		}
	})

	t.Run("traces, summaries and histories see run payments like single ones", func(t *testing.T) {
		assert.Equal(t, int64(150_000_00), f.allocationTotals("A-EDU").Spent)
		assert.Equal(t, int64(50_000_00), f.allocationTotals("A-EDU2").Spent)
		up, err := f.traceDisbursement(f.inspector, "R-4")
		require.NoError(t, err)
		assert.Equal(t, "A-EDU2", up.Allocation.AllocationID)
		assert.Equal(t, int64(200_000_00), up.AppropriationTotals.Spent)
		down, err := f.traceAllocation(f.inspector, "A-EDU", 0, "")
		require.NoError(t, err)
		require.Len(t, down.Disbursements, 2)
		assert.Equal(t, []string{"R-1", "R-3"}, []string{down.Disbursements[0].Disbursement.DisbursementID, down.Disbursements[1].Disbursement.DisbursementID})
		summary, err := f.summary(f.inspector, 2026)
		require.NoError(t, err)
		require.Len(t, summary.ByAgency, 2)
		assert.Equal(t, finance.Total("20000000"), summary.ByAgency[0].Spent, "EduMinistryMSP")
		history, err := ledgertest.Eval(f.inspector, func(ctx ctxT) (*finance.RecordHistory, error) {
			return f.c.GetRecordHistory(ctx, finance.TypeAllocation, "A-EDU")
		})
		require.NoError(t, err)
		assert.Len(t, history.Balances, 2, "allocated, then one version for the whole run")
	})

	t.Run("a run payment is reversed like a single one", func(t *testing.T) {
		f.must(call(f, f.eduAcc, (*finance.Contract).ProposeReversal, reversal("REV-R-3", finance.TypeDisbursement, "R-3")))
		f.approveBy("REV-R-3", f.auditor, f.officer, f.eduAcc)
		f.must(call(f, f.eduAcc, (*finance.Contract).ExecuteReversal, execution("REV-R-3")))
		assert.Equal(t, int64(100_000_00), f.allocationTotals("A-EDU").Spent)
	})
}

func TestDisburseRunRefusals(t *testing.T) {
	f := newRunBudget(t)
	f.must(call(f, f.eduAcc, (*finance.Contract).Disburse, disbursement("D-1", "A-EDU", 1)))
	f.must(call(f, f.officer, (*finance.Contract).Allocate, allocation("A-GONE", "P-1", ministry, 1000)))
	f.must(call(f, f.officer, (*finance.Contract).ProposeReversal, reversal("REV-GONE", finance.TypeAllocation, "A-GONE")))
	f.approveBy("REV-GONE", f.auditor, f.officer, f.eduAcc)
	f.must(call(f, f.officer, (*finance.Contract).ExecuteReversal, execution("REV-GONE")))

	// A-EDU has 399,999.99 left, A-EDU2 100,000.00.
	three := func(change func(p []finance.DisburseRequest)) finance.DisburseRunRequest {
		p := []finance.DisburseRequest{
			disbursement("R-1", "A-EDU", 200_000_00),
			disbursement("R-2", "A-EDU2", 100_000_00),
			disbursement("R-3", "A-EDU", 199_999_99),
		}
		change(p)
		return run(p...)
	}
	valid := three(func([]finance.DisburseRequest) {})
	submit := func(req any) func() error { return refuse(f, f.eduAcc, (*finance.Contract).DisburseRun, req) }
	many := make([]finance.DisburseRequest, finance.MaxRunPayments+1)
	for i := range many {
		many[i] = disbursement(fmt.Sprintf("R-%03d", i), "A-EDU", 1)
	}
	zero := make([]finance.DisburseRequest, 13)
	for i := range zero {
		zero[i] = disbursement(fmt.Sprintf("R-%03d", i), "A-EDU", 0)
	}
	f.l.RunRefusals(t, []ledgertest.RefusalCase{
		{Name: "the last payment overspends by one minor unit", Call: submit(three(func(p []finance.DisburseRequest) { p[2].Amount++ })),
			Want: ledgertest.Refused(foundation.ErrConflict, `payments[2] (R-3): allocation "A-EDU" has 19999999 EUR remaining after the run's earlier payment against it; a disbursement of 20000000 EUR would exceed it`)},
		{Name: "a payment overspends the other allocation", Call: submit(three(func(p []finance.DisburseRequest) { p[1].Amount++ })),
			Want: ledgertest.Refused(foundation.ErrConflict, `payments[1] (R-2): allocation "A-EDU2" has 10000000 EUR remaining; a disbursement of 10000001 EUR would exceed it`)},
		{Name: "another agency's allocation", Call: submit(three(func(p []finance.DisburseRequest) { p[1].AllocationID = "A-CT" })),
			Want: ledgertest.Refused(foundation.ErrAccessDenied, `payments[1] (R-2): access denied: DisburseRun called by EduMinistryMSP with role "accountant"; requires the agency of allocation A-CT (InternetCourtMSP)`)},
		{Name: "an unknown allocation", Call: submit(three(func(p []finance.DisburseRequest) { p[2].AllocationID = "A-404" })),
			Want: ledgertest.Refused(foundation.ErrNotFound, `payments[2] (R-3): allocation "A-404" not found`)},
		{Name: "a reversed allocation", Call: submit(three(func(p []finance.DisburseRequest) { p[1].AllocationID = "A-GONE"; p[1].Amount = 1 })),
			Want: ledgertest.Refused(foundation.ErrConflict, `payments[1] (R-2): allocation "A-GONE" was reversed by REV-GONE`)},
		{Name: "another currency", Call: submit(three(func(p []finance.DisburseRequest) { p[1].Currency = "USD" })),
			Want: ledgertest.Refused(foundation.ErrInvalidInput, `payments[1] (R-2): invalid input: request: currency: must be EUR, the currency of allocation "A-EDU2"`)},
		{Name: "a disbursement ID already recorded", Call: submit(three(func(p []finance.DisburseRequest) { p[2].DisbursementID = "D-1" })),
			Want: ledgertest.Refused(foundation.ErrAlreadyExists, `payments[2] (D-1): disbursement "D-1" already exists: against allocation A-EDU`)},
		{Name: "a disbursement ID twice in the run", Call: submit(three(func(p []finance.DisburseRequest) { p[2].DisbursementID = "R-1" })),
			Want: ledgertest.Refused(foundation.ErrInvalidInput, "payments[2].disbursementId: is also the disbursement ID of payments[0]")},
		{Name: "a field of one payment", Call: submit(three(func(p []finance.DisburseRequest) { p[1].Amount = 0; p[2].InvoiceHash = "x" })),
			Want: ledgertest.Refused(foundation.ErrInvalidInput, "payments[1].amount: must be between 1", "payments[2].invoiceHash: must be a SHA-256 digest")},
		{Name: "payee name with a right-to-left override", Call: submit(three(func(p []finance.DisburseRequest) { p[0].Payee.Name = "Example \u202eLtd" })),
			Want: ledgertest.Refused(foundation.ErrInvalidInput, "payments[0].payee.name: must not contain invisible formatting")},
		{Name: "an unknown field in a payment", Call: submit(replaceJSON(t, valid, `{"disbursementId":"R-2"`, `{"agency":"InternetCourtMSP","disbursementId":"R-2"`)),
			Want: ledgertest.Refused(foundation.ErrInvalidInput, "payments[1].agency: unknown field")},
		{Name: "a field spelled twice in a payment", Call: submit(replaceJSON(t, valid, `"amount":10000000`, `"amount":10000000,"amount":1`)),
			Want: ledgertest.Refused(foundation.ErrInvalidInput, "payments[1].amount: appears more than once")},
		{Name: "many payments with problems", Call: submit(run(zero...)),
			Want: ledgertest.Refused(foundation.ErrInvalidInput, "payments[9].amount: must be between 1", "payments: 3 more payments have problems")},
		{Name: "no payment", Call: submit(run()), Want: ledgertest.Refused(foundation.ErrInvalidInput, "payments: must hold 1 to 200 payments")},
		{Name: "more payments than a run holds", Call: submit(run(many...)), Want: ledgertest.Refused(foundation.ErrInvalidInput, "payments: must hold 1 to 200 payments")},
		{Name: "more bytes than a run holds", Call: submit(strings.Replace(toJSON(t, valid), `{"payments"`, `{`+strings.Repeat(" ", finance.MaxRunBytes)+`"payments"`, 1)),
			Want: ledgertest.Refused(foundation.ErrInvalidInput, fmt.Sprintf("over the limit of %d bytes", finance.MaxRunBytes))},
		{Name: "payments not an array", Call: submit(`{"payments":{"disbursementId":"R-1"}}`), Want: ledgertest.Refused(foundation.ErrInvalidInput, "payments: must be an array")},
		{Name: "the court's accountant pays the ministry's allocations", Call: refuse(f, f.courtAcc, (*finance.Contract).DisburseRun, valid),
			Want: ledgertest.Refused(foundation.ErrAccessDenied, `payments[0] (R-1): access denied`, "requires the agency of allocation A-EDU (EduMinistryMSP)")},
		{Name: "a budget officer", Call: refuse(f, f.officer, (*finance.Contract).DisburseRun, valid),
			Want: ledgertest.Refused(foundation.ErrAccessDenied, `DisburseRun called by FinanceBureauMSP with role "budget-officer"; requires role "accountant" in EduMinistryMSP or InternetCourtMSP`)},
		{Name: "an oversight inspector", Call: refuse(f, f.inspector, (*finance.Contract).DisburseRun, valid),
			Want: ledgertest.Refused(foundation.ErrAccessDenied, `DisburseRun called by OversightMSP`)},
	})

	t.Run("the valid run records every payment", func(t *testing.T) {
		_, err := call(f, f.eduAcc, (*finance.Contract).DisburseRun, valid)
		require.NoError(t, err)
		assert.Equal(t, int64(0), f.allocationTotals("A-EDU").Remaining)
		assert.Equal(t, int64(0), f.allocationTotals("A-EDU2").Remaining)
	})
}

func TestDisburseRunOfTheLargestSize(t *testing.T) {
	f := newRunBudget(t)
	payments := make([]finance.DisburseRequest, finance.MaxRunPayments)
	long := strings.Repeat("Ä", finance.MaxTitleLength)
	for i := range payments {
		payments[i] = disbursement(fmt.Sprintf("EDU-PAY-%056d", i), "A-EDU", 2_000_00)
		payments[i].Payee.Name, payments[i].Purpose = long, long
		payments[i].ProcurementReference = strings.Repeat("T", foundation.MaxIdentifierLength)
		payments[i].Payee.RegistrationNumber = strings.Repeat("H", foundation.MaxIdentifierLength)
	}
	raw := toJSON(t, run(payments...))
	assert.Less(t, len(raw), finance.MaxRunBytes, "a run of the largest payments fits the limit")
	recorded, err := call(f, f.eduAcc, (*finance.Contract).DisburseRun, raw)
	require.NoError(t, err)
	assert.Equal(t, finance.MaxRunPayments, recorded.Payments)
	assert.Equal(t, int64(0), f.allocationTotals("A-EDU").Remaining, "200 payments of 2,000.00 spend 400,000.00")
}
