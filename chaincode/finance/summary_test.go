package finance_test

import (
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

	share := func(part, whole, bp int64) finance.Share {
		return finance.Share{Numerator: part, Denominator: whole, BasisPoints: bp}
	}
	summary, err := f.summary(f.inspector, 2026)
	require.NoError(t, err)
	assert.Equal(t, &finance.SpendingSummary{
		FiscalYear: 2026,
		Totals: []finance.CurrencyTotals{
			{Currency: "EUR", Appropriated: 105_000_000, Allocated: 72_000_000, Spent: 13_500_000, Executed: share(13_500_000, 105_000_000, 1285)},
			{Currency: "USD", Appropriated: 1_000_000, Allocated: 1_000_000, Spent: 250_000, Executed: share(250_000, 1_000_000, 2500)},
		},
		ByAgency: []finance.AgencySpending{
			{Agency: ministry, Currency: "EUR", Allocated: 40_000_000, Spent: 10_000_000, Remaining: 30_000_000, Executed: share(10_000_000, 40_000_000, 2500)},
			{Agency: court, Currency: "EUR", Allocated: 32_000_000, Spent: 3_500_000, Remaining: 28_500_000, Executed: share(3_500_000, 32_000_000, 1093)},
			{Agency: court, Currency: "USD", Allocated: 1_000_000, Spent: 250_000, Remaining: 750_000, Executed: share(250_000, 1_000_000, 2500)},
		},
		ByClassification: []finance.CodeSpending{
			{Scheme: "administrative", Code: "CT-01", Currency: "EUR", Appropriated: 5_000_000, Allocated: 2_000_000, Spent: 500_000, Executed: share(500_000, 5_000_000, 1000)},
			{Scheme: "administrative", Code: "CT-01", Currency: "USD", Appropriated: 1_000_000, Allocated: 1_000_000, Spent: 250_000, Executed: share(250_000, 1_000_000, 2500)},
			{Scheme: "administrative", Code: "EDU-01", Currency: "EUR", Appropriated: 100_000_000, Allocated: 70_000_000, Spent: 13_000_000, Executed: share(13_000_000, 100_000_000, 1300)},
			{Scheme: "economic", Code: "2211", Currency: "EUR", Appropriated: 105_000_000, Allocated: 72_000_000, Spent: 13_500_000, Executed: share(13_500_000, 105_000_000, 1285)},
			{Scheme: "economic", Code: "2222", Currency: "USD", Appropriated: 1_000_000, Allocated: 1_000_000, Spent: 250_000, Executed: share(250_000, 1_000_000, 2500)},
			{Scheme: "functional", Code: "03.3", Currency: "EUR", Appropriated: 5_000_000, Allocated: 2_000_000, Spent: 500_000, Executed: share(500_000, 5_000_000, 1000)},
			{Scheme: "functional", Code: "03.3", Currency: "USD", Appropriated: 1_000_000, Allocated: 1_000_000, Spent: 250_000, Executed: share(250_000, 1_000_000, 2500)},
			{Scheme: "functional", Code: "09.1", Currency: "EUR", Appropriated: 100_000_000, Allocated: 70_000_000, Spent: 13_000_000, Executed: share(13_000_000, 100_000_000, 1300)},
		},
	}, summary)

	empty, err := f.summary(f.inspector, 2030)
	require.NoError(t, err)
	assert.Equal(t, &finance.SpendingSummary{FiscalYear: 2030, Totals: []finance.CurrencyTotals{},
		ByAgency: []finance.AgencySpending{}, ByClassification: []finance.CodeSpending{}}, empty)
}
