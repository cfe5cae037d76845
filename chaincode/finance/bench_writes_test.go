package finance_test

import (
	"fmt"
	"testing"

	"github.com/govshare/govshare/chaincode/finance"
	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

// CPU per transaction of the finance contract's write functions that bench_test.go
// does not time, on the in-memory ledger (go test -run '^$' -bench . -benchmem).

// batch is how many transactions run on one prepared ledger (see
// ledgertest.BenchmarkWrites).
const batch = 256

func id(prefix string, i int) string { return fmt.Sprintf("%s-%03d", prefix, i) }

// withPayments is the budget fixture with batch disbursements D-000 to
// D-255 of 100 cents against A-EDU; then prepare runs on each.
func withPayments(prepare func(f *fixture, i int)) func(t testing.TB) *fixture {
	return func(t testing.TB) *fixture {
		f := newBudget(t)
		for i := range batch {
			f.must(call(f, f.eduAcc, (*finance.Contract).Disburse, disbursement(id("D", i), "A-EDU", 100)))
			if prepare != nil {
				prepare(f, i)
			}
		}
		return f
	}
}

func propose(f *fixture, i int) {
	f.must(call(f, f.eduAcc, (*finance.Contract).ProposeReversal, reversal(id("R", i), finance.TypeDisbursement, id("D", i))))
}

func BenchmarkAppropriate(b *testing.B) {
	ledgertest.BenchmarkWrites(b, batch, newFixture, func(f *fixture, i int) error {
		_, err := call(f, f.officer, (*finance.Contract).Appropriate, appropriation(id("P", i), appropriated))
		return err
	})
}

func BenchmarkAllocate(b *testing.B) {
	setup := func(t testing.TB) *fixture {
		f := newFixture(t)
		f.must(call(f, f.officer, (*finance.Contract).Appropriate, appropriation("P-1", appropriated)))
		return f
	}
	ledgertest.BenchmarkWrites(b, batch, setup, func(f *fixture, i int) error {
		_, err := call(f, f.officer, (*finance.Contract).Allocate, allocation(id("A", i), "P-1", ministry, 1000))
		return err
	})
}

func BenchmarkProposeReversal(b *testing.B) {
	ledgertest.BenchmarkWrites(b, batch, withPayments(nil), func(f *fixture, i int) error {
		_, err := call(f, f.eduAcc, (*finance.Contract).ProposeReversal, reversal(id("R", i), finance.TypeDisbursement, id("D", i)))
		return err
	})
}

func BenchmarkApproveReversal(b *testing.B) {
	ledgertest.BenchmarkWrites(b, batch, withPayments(propose), func(f *fixture, i int) error {
		_, err := call(f, f.auditor, (*finance.Contract).ApproveReversal, approval(id("R", i)))
		return err
	})
}

// BenchmarkExecuteReversal executes reversals approved by the owner, the
// finance bureau and the audit office.
func BenchmarkExecuteReversal(b *testing.B) {
	approved := func(f *fixture, i int) {
		propose(f, i)
		f.approveBy(id("R", i), f.eduAcc, f.officer, f.auditor)
	}
	ledgertest.BenchmarkWrites(b, batch, withPayments(approved), func(f *fixture, i int) error {
		_, err := call(f, f.eduAcc, (*finance.Contract).ExecuteReversal, execution(id("R", i)))
		return err
	})
}

func BenchmarkRecordFinding(b *testing.B) {
	ledgertest.BenchmarkWrites(b, batch, newBudget, func(f *fixture, i int) error {
		_, err := call(f, f.auditor, (*finance.Contract).RecordFinding, finding(id("F", i), finance.TypeAllocation, "A-EDU"))
		return err
	})
}

// BenchmarkDisburseSplit records one disbursement per iteration against an
// allocation split into 256 tranches: one more read than Disburse against
// an allocation never split (the tranche), and the tranche written instead
// of the balance.
func BenchmarkDisburseSplit(b *testing.B) {
	setup := func(t testing.TB) *fixture {
		f := newBudget(t)
		f.must(call(f, f.eduAcc, (*finance.Contract).SplitAllocation, split("A-EDU", finance.MaxTranches)))
		return f
	}
	ledgertest.BenchmarkWrites(b, batch, setup, func(f *fixture, i int) error {
		_, err := call(f, f.eduAcc, (*finance.Contract).Disburse, disbursement(id("D", i), "A-EDU", 100))
		return err
	})
}

// BenchmarkDisburseRun records a run of MaxRunPayments payments against one
// allocation per iteration; divide by MaxRunPayments for a payment.
func BenchmarkDisburseRun(b *testing.B) {
	requests := make([]string, batch)
	for i := range requests {
		payments := make([]finance.DisburseRequest, finance.MaxRunPayments)
		for k := range payments {
			payments[k] = disbursement(fmt.Sprintf("D-%03d-%03d", i, k), "A-EDU", 1)
		}
		requests[i] = toJSON(b, run(payments...))
	}
	ledgertest.BenchmarkWrites(b, batch, newBudget, func(f *fixture, i int) error {
		_, err := call(f, f.eduAcc, (*finance.Contract).DisburseRun, requests[i])
		return err
	})
}
