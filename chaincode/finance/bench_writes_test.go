package finance_test

import (
	"fmt"
	"testing"

	"github.com/govshare/govshare/chaincode/finance"
	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

// The write functions' CPU per transaction on the in-memory ledger (see
// bench_test.go), one benchmark per write function that bench_test.go does
// not cover. Each iteration is one successful transaction on records the
// setup made, on a new ledger every batch iterations (see
// ledgertest.BenchmarkWrites). Run them with
//
//	go test -run '^$' -bench . -benchmem ./chaincode/...

// batch is how many transactions run on one prepared ledger.
const batch = 256

// benchmarkWrite times write(f, i) for i = 0, 1, ... on fixtures that
// setup prepares so that the first batch writes succeed.
func benchmarkWrite(b *testing.B, setup func(t testing.TB) *fixture, write func(f *fixture, i int) error) {
	b.Helper()
	ledgertest.BenchmarkWrites(b, batch, setup, write)
}

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
	benchmarkWrite(b, newFixture, func(f *fixture, i int) error {
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
	benchmarkWrite(b, setup, func(f *fixture, i int) error {
		_, err := call(f, f.officer, (*finance.Contract).Allocate, allocation(id("A", i), "P-1", ministry, 1000))
		return err
	})
}

func BenchmarkProposeReversal(b *testing.B) {
	benchmarkWrite(b, withPayments(nil), func(f *fixture, i int) error {
		_, err := call(f, f.eduAcc, (*finance.Contract).ProposeReversal, reversal(id("R", i), finance.TypeDisbursement, id("D", i)))
		return err
	})
}

func BenchmarkApproveReversal(b *testing.B) {
	benchmarkWrite(b, withPayments(propose), func(f *fixture, i int) error {
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
	benchmarkWrite(b, withPayments(approved), func(f *fixture, i int) error {
		_, err := call(f, f.eduAcc, (*finance.Contract).ExecuteReversal, execution(id("R", i)))
		return err
	})
}

func BenchmarkRecordFinding(b *testing.B) {
	benchmarkWrite(b, newBudget, func(f *fixture, i int) error {
		_, err := call(f, f.auditor, (*finance.Contract).RecordFinding, finding(id("F", i), finance.TypeAllocation, "A-EDU"))
		return err
	})
}
