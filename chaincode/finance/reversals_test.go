package finance_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/finance"
	"github.com/govshare/govshare/chaincode/foundation"
	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

func TestReverseADisbursement(t *testing.T) {
	f := newBudget(t)
	original, err := call(f, f.eduAcc, (*finance.Contract).Disburse, disbursement("D-1", "A-EDU", 120_000_00))
	require.NoError(t, err)
	f.must(call(f, f.eduAcc, (*finance.Contract).Disburse, disbursement("D-2", "A-EDU", 30_000_00)))
	before := f.allocationTotals("A-EDU")
	require.Equal(t, int64(150_000_00), before.Spent)

	proposed, err := call(f, f.eduAcc, (*finance.Contract).ProposeReversal, reversal("R-1", finance.TypeDisbursement, "D-1"))
	require.NoError(t, err)
	assert.Equal(t, finance.Reversal{
		ReversalID: "R-1", RecordType: "disbursement", RecordID: "D-1", Amount: 120_000_00, Currency: "EUR",
		Reason: "recorded in error", Owner: ministry, ProposedAt: proposed.ProposedAt, ProposedBy: proposed.ProposedBy,
	}, *proposed)
	name, ev := f.lastEvent()
	assert.Equal(t, finance.EventReversalProposed, name)
	assert.Equal(t, []string{"create fin.reversal R-1", "put fin.reversalOf disbursement/D-1/R-1"}, ledgertest.ChangeSummary(ev))
	assert.Equal(t, before, f.allocationTotals("A-EDU"), "a proposal changes no total")

	status, err := f.getReversal(f.inspector, "R-1")
	require.NoError(t, err)
	assert.Equal(t, finance.ReversalProposed, status.Status)
	assert.Equal(t, 3, status.ApprovalsNeeded)
	assert.Empty(t, status.Approvals)

	// The owner's own approval, then the finance bureau's: a majority
	// without the audit office is not enough.
	approved, err := call(f, f.eduAcc, (*finance.Contract).ApproveReversal, finance.ApproveReversalRequest{ReversalID: "R-1", Note: "our error"})
	require.NoError(t, err)
	assert.Equal(t, finance.Approval{ReversalID: "R-1", MSPID: ministry, Note: "our error", ApprovedAt: approved.ApprovedAt, ApprovedBy: approved.ApprovedBy}, *approved)
	name, ev = f.lastEvent()
	assert.Equal(t, finance.EventReversalApproved, name)
	assert.Equal(t, []string{"create fin.approval R-1/EduMinistryMSP"}, ledgertest.ChangeSummary(ev))
	f.approveBy("R-1", f.officer, f.courtAcc)
	f.l.RequireRefused(t, ledgertest.Refused(foundation.ErrConflict, `reversal "R-1" is not approved by AuditOfficeMSP, whose approval is required`),
		refuse(f, f.eduAcc, (*finance.Contract).ExecuteReversal, execution("R-1")))
	status, err = f.getReversal(f.inspector, "R-1")
	require.NoError(t, err)
	assert.Equal(t, finance.ReversalProposed, status.Status, "three approvals without the audit office")

	f.approveBy("R-1", f.auditor)
	status, err = f.getReversal(f.inspector, "R-1")
	require.NoError(t, err)
	assert.Equal(t, finance.ReversalApproved, status.Status)
	var approvers []string
	for _, a := range status.Approvals {
		approvers = append(approvers, a.MSPID)
	}
	assert.Equal(t, []string{audit, ministry, bureau, court}, approvers, "in MSP ID order")

	entry, err := call(f, f.eduAcc, (*finance.Contract).ExecuteReversal, execution("R-1"))
	require.NoError(t, err)
	assert.Equal(t, finance.ReversalEntry{
		ReversalID: "R-1", RecordType: "disbursement", RecordID: "D-1", Amount: 120_000_00, Currency: "EUR",
		ApprovedBy: []string{audit, ministry, bureau, court}, ExecutedAt: entry.ExecutedAt, ExecutedBy: entry.ExecutedBy,
	}, *entry)
	name, ev = f.lastEvent()
	assert.Equal(t, finance.EventReversalExecuted, name)
	assert.Equal(t, []string{"update fin.spending 2026/P-1/A-EDU", "create fin.reversed disbursement/D-1"}, ledgertest.ChangeSummary(ev))

	assert.Equal(t, finance.AllocationTotals{Currency: "EUR", Allocated: eduAllocated, Spent: 30_000_00, Remaining: 370_000_00,
		Executed: finance.Share{Numerator: 30_000_00, Denominator: eduAllocated, BasisPoints: 750}}, f.allocationTotals("A-EDU"))
	trace, err := f.traceDisbursement(f.inspector, "D-1")
	require.NoError(t, err)
	assert.Equal(t, *original, trace.Disbursement, "the original entry is unchanged")
	assert.Equal(t, entry, trace.Reversal, "and carries its reversal")
	status, err = f.getReversal(f.inspector, "R-1")
	require.NoError(t, err)
	assert.Equal(t, finance.ReversalExecuted, status.Status)
	assert.Equal(t, entry, status.Execution)

	t.Run("the reversed amount can be disbursed again", func(t *testing.T) {
		_, err := call(f, f.eduAcc, (*finance.Contract).Disburse, disbursement("D-3", "A-EDU", 370_000_00))
		assert.NoError(t, err)
	})
	t.Run("refused after execution", func(t *testing.T) {
		f.l.RunRefusals(t, []ledgertest.RefusalCase{
			{Name: "executing twice", Call: refuse(f, f.eduAcc, (*finance.Contract).ExecuteReversal, execution("R-1")),
				Want: ledgertest.Refused(foundation.ErrConflict, `reversal "R-1" was already executed`)},
			{Name: "reversing the entry again", Call: refuse(f, f.eduAcc, (*finance.Contract).ProposeReversal, reversal("R-2", finance.TypeDisbursement, "D-1")),
				Want: ledgertest.Refused(foundation.ErrConflict, `disbursement "D-1" was already reversed by R-1`)},
			{Name: "reversing the reversal", Call: refuse(f, f.eduAcc, (*finance.Contract).ProposeReversal, reversal("R-3", finance.TypeReversal, "R-1")),
				Want: ledgertest.Refused(foundation.ErrConflict, `reversal "R-1" is itself a reversal and cannot be reversed`)},
		})
	})
}

func TestReversalRefusals(t *testing.T) {
	f := newBudget(t)
	f.must(call(f, f.eduAcc, (*finance.Contract).Disburse, disbursement("D-EDU", "A-EDU", 100)))
	f.must(call(f, f.courtAcc, (*finance.Contract).Disburse, disbursement("D-CT", "A-CT", 100)))
	f.must(call(f, f.eduAcc, (*finance.Contract).ProposeReversal, reversal("R-1", finance.TypeDisbursement, "D-EDU")))

	propose := func(req any) func() error { return refuse(f, f.eduAcc, (*finance.Contract).ProposeReversal, req) }
	t.Run("propose", func(t *testing.T) {
		f.l.RunRefusals(t, []ledgertest.RefusalCase{
			{Name: "another agency's disbursement (wrong organisation)", Call: refuse(f, f.courtAcc, (*finance.Contract).ProposeReversal, reversal("R-X", finance.TypeDisbursement, "D-EDU")),
				Want: ledgertest.Refused(foundation.ErrAccessDenied, `ProposeReversal called by InternetCourtMSP`, `requires the owner of disbursement "D-EDU" (EduMinistryMSP)`)},
			{Name: "the finance bureau on an agency's disbursement", Call: refuse(f, f.officer, (*finance.Contract).ProposeReversal, reversal("R-X", finance.TypeDisbursement, "D-EDU")),
				Want: ledgertest.Refused(foundation.ErrAccessDenied, "FinanceBureauMSP", "EduMinistryMSP")},
			{Name: "an agency on its own allocation, owned by the finance bureau", Call: propose(reversal("R-X", finance.TypeAllocation, "A-EDU")),
				Want: ledgertest.Refused(foundation.ErrAccessDenied, `requires the owner of allocation "A-EDU" (FinanceBureauMSP)`)},
			{Name: "auditor (wrong role)", Call: refuse(f, f.auditor, (*finance.Contract).ProposeReversal, reversal("R-X", finance.TypeDisbursement, "D-EDU")),
				Want: ledgertest.Refused(foundation.ErrAccessDenied, `ProposeReversal called by AuditOfficeMSP with role "auditor"`,
					`requires role "budget-officer" in FinanceBureauMSP, or role "accountant" in EduMinistryMSP or InternetCourtMSP`)},
			{Name: "ministry officer (wrong role)", Call: refuse(f, f.l.As(ministry, consortium.RoleOfficer), (*finance.Contract).ProposeReversal, reversal("R-X", finance.TypeDisbursement, "D-EDU")),
				Want: ledgertest.Refused(foundation.ErrAccessDenied, `role "officer"`)},
			{Name: "oversight", Call: refuse(f, f.inspector, (*finance.Contract).ProposeReversal, reversal("R-X", finance.TypeDisbursement, "D-EDU")),
				Want: ledgertest.Refused(foundation.ErrAccessDenied, "OversightMSP")},
			{Name: "reversal of a proposed reversal", Call: propose(reversal("R-X", finance.TypeReversal, "R-1")),
				Want: ledgertest.Refused(foundation.ErrConflict, `reversal "R-1" is itself a reversal and cannot be reversed`)},
			{Name: "unknown reversal to reverse", Call: propose(reversal("R-X", finance.TypeReversal, "R-404")), Want: ledgertest.Refused(foundation.ErrNotFound, `reversal "R-404" not found`)},
			{Name: "unknown disbursement", Call: propose(reversal("R-X", finance.TypeDisbursement, "D-404")), Want: ledgertest.Refused(foundation.ErrNotFound, `disbursement "D-404" not found`)},
			{Name: "duplicate reversal ID", Call: propose(reversal("R-1", finance.TypeDisbursement, "D-EDU")),
				Want: ledgertest.Refused(foundation.ErrAlreadyExists, `reversal "R-1" already exists: proposed by EduMinistryMSP for disbursement "D-EDU"`)},
			{Name: "unknown record type", Call: propose(reversal("R-X", "payment", "D-EDU")),
				Want: ledgertest.Refused(foundation.ErrInvalidInput, "recordType: must be one of appropriation, allocation, disbursement, reversal")},
			{Name: "without reason", Call: propose(finance.ProposeReversalRequest{ReversalID: "R-X", RecordType: "disbursement", RecordID: "D-EDU"}),
				Want: ledgertest.Refused(foundation.ErrInvalidInput, "reason: required")},
			{Name: "amount in request", Call: propose(replaceJSON(t, reversal("R-X", finance.TypeDisbursement, "D-EDU"), `{`, `{"amount":5,`)),
				Want: ledgertest.Refused(foundation.ErrInvalidInput, "amount: unknown field")},
			{Name: "malformed JSON", Call: propose(`{"reversalId":`), Want: ledgertest.Refused(foundation.ErrInvalidInput, "malformed JSON")},
		})
	})

	approve := func(req any) func() error { return refuse(f, f.auditor, (*finance.Contract).ApproveReversal, req) }
	t.Run("approve", func(t *testing.T) {
		f.approveBy("R-1", f.auditor)
		f.l.RunRefusals(t, []ledgertest.RefusalCase{
			{Name: "double approval", Call: approve(approval("R-1")),
				Want: ledgertest.Refused(foundation.ErrAlreadyExists, `approval "R-1 by AuditOfficeMSP" already exists: approved at`, "an organisation approves a reversal once")},
			{Name: "oversight (read only)", Call: refuse(f, f.inspector, (*finance.Contract).ApproveReversal, approval("R-1")),
				Want: ledgertest.Refused(foundation.ErrAccessDenied, `ApproveReversal called by OversightMSP with role "inspector"`,
					`requires role "budget-officer" in FinanceBureauMSP, or role "auditor" in AuditOfficeMSP, or role "accountant" in EduMinistryMSP or InternetCourtMSP`)},
			{Name: "audit office admin (wrong role)", Call: refuse(f, f.l.As(audit, consortium.RoleAdmin), (*finance.Contract).ApproveReversal, approval("R-1")),
				Want: ledgertest.Refused(foundation.ErrAccessDenied, `AuditOfficeMSP with role "admin"`)},
			{Name: "notary (outside the channel)", Call: refuse(f, f.l.As(consortium.NotaryOfficeMSP, consortium.RoleNotary), (*finance.Contract).ApproveReversal, approval("R-1")),
				Want: ledgertest.Refused(foundation.ErrAccessDenied, "NotaryOfficeMSP")},
			{Name: "unknown reversal", Call: approve(approval("R-404")), Want: ledgertest.Refused(foundation.ErrNotFound, `reversal "R-404" not found`)},
			{Name: "MSP ID in request", Call: approve(replaceJSON(t, approval("R-1"), `{`, `{"mspId":"FinanceBureauMSP",`)), Want: ledgertest.Refused(foundation.ErrInvalidInput, "mspId: unknown field")},
			{Name: "note with control characters", Call: approve(finance.ApproveReversalRequest{ReversalID: "R-1", Note: "ok\x07"}), Want: ledgertest.Refused(foundation.ErrInvalidInput, "note: must not contain control characters")},
			{Name: "empty request", Call: approve(`{}`), Want: ledgertest.Refused(foundation.ErrInvalidInput, "reversalId: required")},
		})
	})

	execute := func(req any) func() error { return refuse(f, f.eduAcc, (*finance.Contract).ExecuteReversal, req) }
	t.Run("execute", func(t *testing.T) {
		f.l.RunRefusals(t, []ledgertest.RefusalCase{
			{Name: "one approval of three", Call: execute(execution("R-1")),
				Want: ledgertest.Refused(foundation.ErrConflict, `reversal "R-1" has 1 approvals; it needs 3, a majority of the 5 organisations of finance-ledger`)},
		})
		f.approveBy("R-1", f.officer)
		f.l.RunRefusals(t, []ledgertest.RefusalCase{
			{Name: "two approvals of three", Call: execute(execution("R-1")), Want: ledgertest.Refused(foundation.ErrConflict, "has 2 approvals; it needs 3")},
		})
		f.approveBy("R-1", f.courtAcc)
		f.l.RunRefusals(t, []ledgertest.RefusalCase{
			{Name: "by an approving organisation that does not own the entry", Call: refuse(f, f.courtAcc, (*finance.Contract).ExecuteReversal, execution("R-1")),
				Want: ledgertest.Refused(foundation.ErrAccessDenied, `ExecuteReversal called by InternetCourtMSP`, `requires the owner of disbursement "D-EDU" (EduMinistryMSP)`)},
			{Name: "by the finance bureau", Call: refuse(f, f.officer, (*finance.Contract).ExecuteReversal, execution("R-1")),
				Want: ledgertest.Refused(foundation.ErrAccessDenied, "FinanceBureauMSP")},
			{Name: "by the auditor (wrong role)", Call: refuse(f, f.auditor, (*finance.Contract).ExecuteReversal, execution("R-1")),
				Want: ledgertest.Refused(foundation.ErrAccessDenied, `ExecuteReversal called by AuditOfficeMSP with role "auditor"`)},
			{Name: "by a ministry officer (wrong role)", Call: refuse(f, f.l.As(ministry, consortium.RoleOfficer), (*finance.Contract).ExecuteReversal, execution("R-1")),
				Want: ledgertest.Refused(foundation.ErrAccessDenied, `role "officer"`)},
			{Name: "unknown reversal", Call: execute(execution("R-404")), Want: ledgertest.Refused(foundation.ErrNotFound, `reversal "R-404" not found`)},
			{Name: "malformed ID", Call: execute(execution("R 1")), Want: ledgertest.Refused(foundation.ErrInvalidInput, "reversalId: must be 1 to 64 characters")},
			{Name: "not an object", Call: execute(`["R-1"]`), Want: ledgertest.Refused(foundation.ErrInvalidInput, "must be a JSON object")},
		})
		_, err := call(f, f.eduAcc, (*finance.Contract).ExecuteReversal, execution("R-1"))
		require.NoError(t, err, "three approvals with the audit office, executed by the owner")
		f.l.RequireRefused(t, ledgertest.Refused(foundation.ErrConflict, `reversal "R-1" was already executed`),
			refuse(f, f.eduAcc, (*finance.Contract).ApproveReversal, approval("R-1")))
	})

	t.Run("competing proposals: the first executed supersedes the other", func(t *testing.T) {
		f.must(call(f, f.courtAcc, (*finance.Contract).ProposeReversal, reversal("R-CT-1", finance.TypeDisbursement, "D-CT")))
		f.must(call(f, f.courtAcc, (*finance.Contract).ProposeReversal, reversal("R-CT-2", finance.TypeDisbursement, "D-CT")))
		f.approveBy("R-CT-1", f.auditor, f.officer, f.courtAcc)
		f.approveBy("R-CT-2", f.auditor)
		f.must(call(f, f.courtAcc, (*finance.Contract).ExecuteReversal, execution("R-CT-1")))
		f.l.RunRefusals(t, []ledgertest.RefusalCase{
			{Name: "approving the superseded proposal", Call: refuse(f, f.officer, (*finance.Contract).ApproveReversal, approval("R-CT-2")),
				Want: ledgertest.Refused(foundation.ErrConflict, `reversal "R-CT-2" is superseded: disbursement "D-CT" was reversed by R-CT-1`)},
			{Name: "executing the superseded proposal", Call: refuse(f, f.courtAcc, (*finance.Contract).ExecuteReversal, execution("R-CT-2")),
				Want: ledgertest.Refused(foundation.ErrConflict, "is superseded")},
		})
		page, err := ledgertest.Eval(f.inspector, func(ctx ctxT) (*finance.ReversalPage, error) {
			return f.c.ListReversals(ctx, finance.TypeDisbursement, "D-CT", 0, "")
		})
		require.NoError(t, err)
		require.Len(t, page.Reversals, 2)
		assert.Equal(t, finance.ReversalExecuted, page.Reversals[0].Status)
		assert.Equal(t, finance.ReversalSuperseded, page.Reversals[1].Status)
		assert.Len(t, page.Reversals[1].Approvals, 1)
	})
}

func TestReverseAnAllocationThenItsAppropriation(t *testing.T) {
	f := newBudget(t)
	f.must(call(f, f.eduAcc, (*finance.Contract).Disburse, disbursement("D-1", "A-EDU", 500)))
	for _, r := range []finance.ProposeReversalRequest{
		reversal("R-P", finance.TypeAppropriation, "P-1"),
		reversal("R-EDU", finance.TypeAllocation, "A-EDU"),
		reversal("R-CT", finance.TypeAllocation, "A-CT"),
	} {
		f.must(call(f, f.officer, (*finance.Contract).ProposeReversal, r))
		f.approveBy(r.ReversalID, f.officer, f.auditor, f.eduAcc)
	}
	f.must(call(f, f.eduAcc, (*finance.Contract).ProposeReversal, reversal("R-D", finance.TypeDisbursement, "D-1")))
	f.approveBy("R-D", f.eduAcc, f.auditor, f.courtAcc)

	f.l.RunRefusals(t, []ledgertest.RefusalCase{
		{Name: "an appropriation with allocations", Call: refuse(f, f.officer, (*finance.Contract).ExecuteReversal, execution("R-P")),
			Want: ledgertest.Refused(foundation.ErrConflict, `appropriation "P-1" has 70000000 EUR allocated from it; reverse its allocations first`)},
		{Name: "an allocation with disbursements", Call: refuse(f, f.officer, (*finance.Contract).ExecuteReversal, execution("R-EDU")),
			Want: ledgertest.Refused(foundation.ErrConflict, `allocation "A-EDU" has 500 EUR disbursed against it; reverse its disbursements first`)},
		{Name: "an agency executing the finance bureau's reversal", Call: refuse(f, f.eduAcc, (*finance.Contract).ExecuteReversal, execution("R-EDU")),
			Want: ledgertest.Refused(foundation.ErrAccessDenied, `requires the owner of allocation "A-EDU" (FinanceBureauMSP)`)},
	})

	f.must(call(f, f.officer, (*finance.Contract).ExecuteReversal, execution("R-CT")))
	_, ev := f.lastEvent()
	assert.Equal(t, []string{"update fin.spending 2026/P-1/A-CT", "update fin.budget 2026/P-1", "create fin.reversed allocation/A-CT"}, ledgertest.ChangeSummary(ev))
	assert.Equal(t, finance.AllocationTotals{Currency: "EUR", Executed: finance.Share{}}, f.allocationTotals("A-CT"), "a reversed allocation is 0")
	f.l.RequireRefused(t, ledgertest.Refused(foundation.ErrConflict, `allocation "A-CT" was reversed by R-CT; nothing can be disbursed against it`),
		refuse(f, f.courtAcc, (*finance.Contract).Disburse, disbursement("D-CT", "A-CT", 1)))

	f.must(call(f, f.eduAcc, (*finance.Contract).ExecuteReversal, execution("R-D")))
	f.must(call(f, f.officer, (*finance.Contract).ExecuteReversal, execution("R-EDU")))
	assert.Equal(t, finance.AppropriationTotals{Currency: "EUR", Appropriated: appropriated, Unallocated: appropriated, Remaining: appropriated,
		Executed: finance.Share{Denominator: appropriated}}, f.appropriationTotals("P-1"))

	f.must(call(f, f.officer, (*finance.Contract).ExecuteReversal, execution("R-P")))
	_, ev = f.lastEvent()
	assert.Equal(t, []string{"update fin.budget 2026/P-1", "create fin.reversed appropriation/P-1"}, ledgertest.ChangeSummary(ev))
	trace, err := f.traceAppropriation(f.inspector, "P-1", 0, "")
	require.NoError(t, err)
	assert.Equal(t, finance.AppropriationTotals{Currency: "EUR"}, trace.Totals)
	require.NotNil(t, trace.Reversal)
	assert.Equal(t, "R-P", trace.Reversal.ReversalID)
	assert.Equal(t, int64(appropriated), trace.Appropriation.Amount, "the entry keeps its original amount")
	assert.Equal(t, []string{"R-CT", "R-EDU"}, []string{trace.Allocations[0].Balance.ReversedBy, trace.Allocations[1].Balance.ReversedBy})
	f.l.RequireRefused(t, ledgertest.Refused(foundation.ErrConflict, `appropriation "P-1" was reversed by R-P; nothing can be allocated from it`),
		refuse(f, f.officer, (*finance.Contract).Allocate, allocation("A-NEW", "P-1", ministry, 1)))
}
