package finance_test

import (
	"fmt"
	"math/big"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/finance"
)

func TestSpendingSummary(t *testing.T) {
	f := newBudget(t) // P-1: 1,000,000.00 EUR; A-EDU 400,000.00; A-CT 300,000.00
	appropriate := func(id string, year int, admin, functional, economic string, amount int64, currency string) {
		f.must(call(f, f.officer, (*finance.Contract).Appropriate, finance.AppropriateRequest{
			AppropriationID: id, FiscalYear: year, Title: "line " + id, AdministrativeCode: admin,
			FunctionalCode: functional, EconomicCode: economic, Amount: amount, Currency: currency,
		}))
	}
	allocate := func(id, appropriationID, agency string, amount int64, currency string) {
		req := allocation(id, appropriationID, agency, amount)
		req.Currency = currency
		f.must(call(f, f.officer, (*finance.Contract).Allocate, req))
	}
	disburse := func(id, allocationID string, amount int64, currency string) {
		req := disbursement(id, allocationID, amount)
		req.Currency = currency
		acc := f.eduAcc
		if allocationID != "A-EDU" && allocationID != "A-NEXT" {
			acc = f.courtAcc
		}
		f.must(call(f, acc, (*finance.Contract).Disburse, req))
	}
	appropriate("P-2", 2026, "CT-01", "03.3", "2211", 50_000_00, "EUR")
	allocate("A-CT2", "P-2", court, 20_000_00, "EUR")
	appropriate("P-USD", 2026, "CT-01", "03.3", "2222", 10_000_00, "USD")
	allocate("A-USD", "P-USD", court, 10_000_00, "USD")
	disburse("D-1", "A-EDU", 100_000_00, "EUR")
	disburse("D-2", "A-EDU", 50_000_00, "EUR")
	disburse("D-3", "A-CT", 30_000_00, "EUR")
	disburse("D-4", "A-CT2", 5_000_00, "EUR")
	disburse("D-5", "A-USD", 2_500_00, "USD")
	f.must(call(f, f.eduAcc, (*finance.Contract).ProposeReversal, reversal("R-2", finance.TypeDisbursement, "D-2")))
	f.approveBy("R-2", f.auditor, f.officer, f.courtAcc)
	f.must(call(f, f.eduAcc, (*finance.Contract).ExecuteReversal, execution("R-2")))
	// Another year, not in the summary.
	appropriate("P-NEXT", 2027, "EDU-01", "09.1", "2211", 999, "EUR")
	allocate("A-NEXT", "P-NEXT", ministry, 999, "EUR")
	disburse("D-NEXT", "A-NEXT", 10, "EUR")

	share := func(part, whole, bp int64) finance.TotalShare {
		return finance.TotalShare{Numerator: total(part), Denominator: total(whole), BasisPoints: bp}
	}
	summary, err := f.summary(f.inspector, 2026)
	require.NoError(t, err)
	assert.Equal(t, &finance.SpendingSummary{
		FiscalYear: 2026,
		Totals: []finance.CurrencyTotals{
			{Currency: "EUR", Appropriated: total(105_000_000), Allocated: total(72_000_000), Spent: total(13_500_000), Executed: share(13_500_000, 105_000_000, 1285)},
			{Currency: "USD", Appropriated: total(1_000_000), Allocated: total(1_000_000), Spent: total(250_000), Executed: share(250_000, 1_000_000, 2500)},
		},
		ByAgency: []finance.AgencySpending{
			{Agency: ministry, Currency: "EUR", Allocated: total(40_000_000), Spent: total(10_000_000), Remaining: total(30_000_000), Executed: share(10_000_000, 40_000_000, 2500)},
			{Agency: court, Currency: "EUR", Allocated: total(32_000_000), Spent: total(3_500_000), Remaining: total(28_500_000), Executed: share(3_500_000, 32_000_000, 1093)},
			{Agency: court, Currency: "USD", Allocated: total(1_000_000), Spent: total(250_000), Remaining: total(750_000), Executed: share(250_000, 1_000_000, 2500)},
		},
		ByClassification: []finance.CodeSpending{
			{Scheme: "administrative", Code: "CT-01", Currency: "EUR", Appropriated: total(5_000_000), Allocated: total(2_000_000), Spent: total(500_000), Executed: share(500_000, 5_000_000, 1000)},
			{Scheme: "administrative", Code: "CT-01", Currency: "USD", Appropriated: total(1_000_000), Allocated: total(1_000_000), Spent: total(250_000), Executed: share(250_000, 1_000_000, 2500)},
			{Scheme: "administrative", Code: "EDU-01", Currency: "EUR", Appropriated: total(100_000_000), Allocated: total(70_000_000), Spent: total(13_000_000), Executed: share(13_000_000, 100_000_000, 1300)},
			{Scheme: "economic", Code: "2211", Currency: "EUR", Appropriated: total(105_000_000), Allocated: total(72_000_000), Spent: total(13_500_000), Executed: share(13_500_000, 105_000_000, 1285)},
			{Scheme: "economic", Code: "2222", Currency: "USD", Appropriated: total(1_000_000), Allocated: total(1_000_000), Spent: total(250_000), Executed: share(250_000, 1_000_000, 2500)},
			{Scheme: "functional", Code: "03.3", Currency: "EUR", Appropriated: total(5_000_000), Allocated: total(2_000_000), Spent: total(500_000), Executed: share(500_000, 5_000_000, 1000)},
			{Scheme: "functional", Code: "03.3", Currency: "USD", Appropriated: total(1_000_000), Allocated: total(1_000_000), Spent: total(250_000), Executed: share(250_000, 1_000_000, 2500)},
			{Scheme: "functional", Code: "09.1", Currency: "EUR", Appropriated: total(100_000_000), Allocated: total(70_000_000), Spent: total(13_000_000), Executed: share(13_000_000, 100_000_000, 1300)},
		},
	}, summary)

	empty, err := f.summary(f.inspector, 2030)
	require.NoError(t, err)
	assert.Equal(t, &finance.SpendingSummary{FiscalYear: 2030, Totals: []finance.CurrencyTotals{},
		ByAgency: []finance.AgencySpending{}, ByClassification: []finance.CodeSpending{}}, empty)
}

// total writes an amount as the summary writes its sums.
func total(amount int64) finance.Total { return finance.Total(strconv.FormatInt(amount, 10)) }

// TestSpendingSummaryIsExactBeyondInt64: 9,300 maximal appropriations in
// one year and currency (9,223 of them fill an int64), each allocated in
// full and spent in full or in half. Every sum of the summary passes 2^63,
// and the summary still answers, exactly, for everyone.
func TestSpendingSummaryIsExactBeyondInt64(t *testing.T) {
	const lines = 9_300
	f := newFixture(t)
	for i := range lines {
		p, a, d := fmt.Sprintf("P-%05d", i), fmt.Sprintf("A-%05d", i), fmt.Sprintf("D-%05d", i)
		f.must(call(f, f.officer, (*finance.Contract).Appropriate, appropriation(p, finance.MaxAmount)))
		f.must(call(f, f.officer, (*finance.Contract).Allocate, allocation(a, p, ministry, finance.MaxAmount)))
		amount := int64(finance.MaxAmount)
		if i%2 == 1 {
			amount /= 2
		}
		f.must(call(f, f.eduAcc, (*finance.Contract).Disburse, disbursement(d, a, amount)))
	}

	summary, err := f.summary(f.inspector, 2026)
	require.NoError(t, err)
	// 9,300 x 10^15, and 4,650 x 10^15 + 4,650 x 5 x 10^14
	const appropriatedSum, spentSum = "9300000000000000000", "6975000000000000000"
	want := func(digits string) *big.Int {
		n, ok := new(big.Int).SetString(digits, 10)
		require.True(t, ok)
		return n
	}
	require.Positive(t, want(appropriatedSum).Cmp(big.NewInt(0).SetUint64(1<<63-1)), "the sum exceeds an int64")
	require.Zero(t, want(spentSum).Cmp(new(big.Int).Add(
		new(big.Int).Mul(big.NewInt(lines/2), big.NewInt(finance.MaxAmount)),
		new(big.Int).Mul(big.NewInt(lines/2), big.NewInt(finance.MaxAmount/2)))))
	executed := finance.TotalShare{Numerator: spentSum, Denominator: appropriatedSum, BasisPoints: 7500}
	assert.Equal(t, []finance.CurrencyTotals{{Currency: "EUR", Appropriated: appropriatedSum, Allocated: appropriatedSum, Spent: spentSum, Executed: executed}}, summary.Totals)
	assert.Equal(t, []finance.AgencySpending{{Agency: ministry, Currency: "EUR", Allocated: appropriatedSum, Spent: spentSum,
		Remaining: "2325000000000000000", Executed: executed}}, summary.ByAgency)
	require.Len(t, summary.ByClassification, 3)
	for _, line := range summary.ByClassification {
		assert.Equal(t, finance.Total(appropriatedSum), line.Appropriated, line.Code)
		assert.Equal(t, finance.Total(spentSum), line.Spent, line.Code)
		assert.Equal(t, executed, line.Executed, line.Code)
	}
}
