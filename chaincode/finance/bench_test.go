package finance_test

import (
	"fmt"
	"testing"

	"github.com/govshare/govshare/chaincode/finance"
)

// newBenchBudget is one appropriation with 20 allocations, split between
// the two agencies, and disbursements disbursements against A-00 (the
// ministry's).
func newBenchBudget(b *testing.B, disbursements int) *fixture {
	b.Helper()
	f := newFixture(b)
	f.must(call(f, f.officer, (*finance.Contract).Appropriate, appropriation("P-1", finance.MaxAmount)))
	for i := range 20 {
		agency := ministry
		if i%2 == 1 {
			agency = court
		}
		f.must(call(f, f.officer, (*finance.Contract).Allocate, allocation(fmt.Sprintf("A-%02d", i), "P-1", agency, finance.MaxAmount/20)))
	}
	for i := range disbursements {
		f.must(call(f, f.eduAcc, (*finance.Contract).Disburse, disbursement(fmt.Sprintf("D-%05d", i), "A-00", 100)))
	}
	return f
}

// BenchmarkDisburse records one disbursement per iteration through the
// contract on the in-memory ledger: access check (certificate parsing
// included), strict decoding, three reads, three writes and the event.
func BenchmarkDisburse(b *testing.B) {
	f := newBenchBudget(b, 0)
	requests := make([]string, b.N)
	for i := range requests {
		requests[i] = toJSON(b, disbursement(fmt.Sprintf("B-%09d", i), "A-00", 100))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := call(f, f.eduAcc, (*finance.Contract).Disburse, requests[i]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTraceDisbursement traces a disbursement up to its allocation
// and appropriation, whose spent total sums its 20 allocations.
func BenchmarkTraceDisbursement(b *testing.B) {
	f := newBenchBudget(b, 100)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := f.traceDisbursement(f.inspector, "D-00050"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTraceAppropriation traces an appropriation down: its totals and
// one page holding its 20 allocations with theirs.
func BenchmarkTraceAppropriation(b *testing.B) {
	f := newBenchBudget(b, 0)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := f.traceAppropriation(f.inspector, "P-1", 20, ""); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTraceAllocation traces an allocation down: its totals and the
// first page of 20 of its 100 disbursements, each with its reversal status.
func BenchmarkTraceAllocation(b *testing.B) {
	f := newBenchBudget(b, 100)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := f.traceAllocation(f.inspector, "A-00", 20, ""); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSpendingSummary computes a year's summary over 20 allocations
// and their 100 disbursements, from the running totals alone.
func BenchmarkSpendingSummary(b *testing.B) {
	f := newBenchBudget(b, 100)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := f.summary(f.inspector, 2026); err != nil {
			b.Fatal(err)
		}
	}
}
