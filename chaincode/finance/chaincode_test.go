package finance_test

import (
	"testing"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/finance"
	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

func newChaincode(t testing.TB) *contractapi.ContractChaincode {
	t.Helper()
	cc, err := contractapi.NewChaincode(finance.New())
	require.NoError(t, err, "contract metadata must build")
	return cc
}

// TestThroughTheChaincode runs the whole life of a budget line behind
// contractapi's Invoke with string arguments, so that argument conversion
// and the JSON schema checks contractapi applies to every response are
// exercised for each function.
func TestThroughTheChaincode(t *testing.T) {
	cc := newChaincode(t)
	f := newFixture(t)
	var a finance.Appropriation
	f.officer.RequireInvoke(t, cc, &a, "Appropriate", toJSON(t, appropriation("P-1", 1000)))
	var al finance.Allocation
	f.officer.RequireInvoke(t, cc, &al, "Allocate", toJSON(t, allocation("A-1", "P-1", ministry, 600)))
	var d finance.Disbursement
	f.eduAcc.RequireInvoke(t, cc, &d, "Disburse", toJSON(t, disbursement("D-1", "A-1", 200)))
	f.eduAcc.RequireInvoke(t, cc, &d, "Disburse", toJSON(t, disbursement("D-2", "A-1", 100)))
	var split finance.AllocationSplit
	f.eduAcc.RequireInvoke(t, cc, &split, "SplitAllocation", toJSON(t, finance.SplitAllocationRequest{AllocationID: "A-1", Tranches: 3}))
	assert.Equal(t, int64(300), split.Spread)
	var paid finance.PaymentRun
	f.eduAcc.RequireInvoke(t, cc, &paid, "DisburseRun", toJSON(t, run(disbursement("D-R1", "A-1", 50), disbursement("D-R2", "A-1", 25))))
	assert.Equal(t, []finance.RunAllocation{{AllocationID: "A-1", Currency: "EUR", Payments: 2, Amount: 75}}, paid.Allocations)
	var r finance.Reversal
	f.eduAcc.RequireInvoke(t, cc, &r, "ProposeReversal", toJSON(t, reversal("R-1", finance.TypeDisbursement, "D-2")))
	var ap finance.Approval
	for _, c := range []*ledgertest.Client{f.auditor, f.officer, f.eduAcc} {
		c.RequireInvoke(t, cc, &ap, "ApproveReversal", toJSON(t, approval("R-1")))
	}
	var entry finance.ReversalEntry
	f.eduAcc.RequireInvoke(t, cc, &entry, "ExecuteReversal", toJSON(t, execution("R-1")))
	assert.Equal(t, int64(100), entry.Amount)
	var fnd finance.Finding
	f.auditor.RequireInvoke(t, cc, &fnd, "RecordFinding", toJSON(t, finding("F-1", finance.TypeReversal, "R-1")))

	var up finance.DisbursementTrace
	f.inspector.RequireQuery(t, cc, &up, "TraceDisbursement", "D-2")
	require.NotNil(t, up.Reversal)
	assert.Equal(t, "P-1", up.Appropriation.AppropriationID)
	var down finance.AppropriationTrace
	f.inspector.RequireQuery(t, cc, &down, "TraceAppropriation", "P-1", "10", "")
	assert.Equal(t, int64(275), down.Totals.Spent)
	assert.Equal(t, int64(2750), down.Totals.Executed.BasisPoints)
	var alloc finance.AllocationTrace
	f.inspector.RequireQuery(t, cc, &alloc, "TraceAllocation", "A-1", "1", "")
	require.Len(t, alloc.Disbursements, 1)
	require.NotEmpty(t, alloc.Bookmark)
	assert.Equal(t, 3, alloc.Totals.Tranches)
	f.inspector.RequireQuery(t, cc, &alloc, "TraceAllocation", "A-1", "1", alloc.Bookmark)
	require.Len(t, alloc.Disbursements, 1)
	assert.Equal(t, "D-2", alloc.Disbursements[0].Disbursement.DisbursementID)
	assert.NotNil(t, alloc.Disbursements[0].Reversal)
	var list finance.AppropriationPage
	f.inspector.RequireQuery(t, cc, &list, "ListAppropriations", "2026", "0", "")
	assert.Len(t, list.Appropriations, 1)
	var summary finance.SpendingSummary
	f.inspector.RequireQuery(t, cc, &summary, "GetSpendingSummary", "2026")
	require.Len(t, summary.ByAgency, 1)
	assert.Equal(t, finance.Total("275"), summary.ByAgency[0].Spent, "sums are exact decimal strings")
	var history finance.RecordHistory
	f.inspector.RequireQuery(t, cc, &history, "GetRecordHistory", finance.TypeAllocation, "A-1")
	assert.Len(t, history.Balances, 5, "allocated, two disbursements, one split, one reversal")
	assert.NotEmpty(t, history.Tranches, "the run's tranches")
	var status finance.ReversalStatus
	f.inspector.RequireQuery(t, cc, &status, "GetReversal", "R-1")
	assert.Equal(t, finance.ReversalExecuted, status.Status)
	var reversals finance.ReversalPage
	f.inspector.RequireQuery(t, cc, &reversals, "ListReversals", finance.TypeDisbursement, "D-2", "0", "")
	assert.Len(t, reversals.Reversals, 1)
	var findings finance.FindingPage
	f.inspector.RequireQuery(t, cc, &findings, "ListFindings", finance.TypeReversal, "R-1", "0", "")
	assert.Len(t, findings.Findings, 1)

	t.Run("a refused write answers with an error response and writes nothing", func(t *testing.T) {
		before := f.l.Snapshot()
		_, err := f.eduAcc.Invoke(cc, "Disburse", toJSON(t, disbursement("D-3", "A-1", 401)))
		var ccErr *ledgertest.ChaincodeError
		require.ErrorAs(t, err, &ccErr)
		assert.Equal(t, `allocation "A-1" has 325 EUR remaining; a disbursement of 401 EUR would exceed it`, ccErr.Message)
		assert.Empty(t, f.l.Diff(before))
	})
	t.Run("contractapi rejects a fiscal year that is not a number", func(t *testing.T) {
		_, err := f.inspector.Query(cc, "GetSpendingSummary", "MMXXVI")
		assert.Error(t, err)
	})
}
