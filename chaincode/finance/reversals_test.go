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
	assert.Equal(t, []string{"create fin.reversal R-1", "put fin.reversalOf disbursement/D-1/R-1"}, changeSummary(ev))
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
	assert.Equal(t, []string{"create fin.approval R-1/EduMinistryMSP"}, changeSummary(ev))
	f.approveBy("R-1", f.officer, f.courtAcc)
	f.l.RequireRefused(t, refused(foundation.ErrConflict, `reversal "R-1" is not approved by AuditOfficeMSP, whose approval is required`),
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
	assert.Equal(t, []string{"update fin.spending 2026/P-1/A-EDU", "create fin.reversed disbursement/D-1"}, changeSummary(ev))

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
		runRefusals(t, f, []refusalCase{
			{"executing twice", refuse(f, f.eduAcc, (*finance.Contract).ExecuteReversal, execution("R-1")),
				refused(foundation.ErrConflict, `reversal "R-1" was already executed`)},
			{"reversing the entry again", refuse(f, f.eduAcc, (*finance.Contract).ProposeReversal, reversal("R-2", finance.TypeDisbursement, "D-1")),
				refused(foundation.ErrConflict, `disbursement "D-1" was already reversed by R-1`)},
			{"reversing the reversal", refuse(f, f.eduAcc, (*finance.Contract).ProposeReversal, reversal("R-3", finance.TypeReversal, "R-1")),
				refused(foundation.ErrConflict, `reversal "R-1" is itself a reversal and cannot be reversed`)},
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
		runRefusals(t, f, []refusalCase{
			{"another agency's disbursement (wrong organisation)", refuse(f, f.courtAcc, (*finance.Contract).ProposeReversal, reversal("R-X", finance.TypeDisbursement, "D-EDU")),
				refused(foundation.ErrAccessDenied, `ProposeReversal called by InternetCourtMSP`, `requires the owner of disbursement "D-EDU" (EduMinistryMSP)`)},
			{"the finance bureau on an agency's disbursement", refuse(f, f.officer, (*finance.Contract).ProposeReversal, reversal("R-X", finance.TypeDisbursement, "D-EDU")),
				refused(foundation.ErrAccessDenied, "FinanceBureauMSP", "EduMinistryMSP")},
			{"an agency on its own allocation, owned by the finance bureau", propose(reversal("R-X", finance.TypeAllocation, "A-EDU")),
				refused(foundation.ErrAccessDenied, `requires the owner of allocation "A-EDU" (FinanceBureauMSP)`)},
			{"auditor (wrong role)", refuse(f, f.auditor, (*finance.Contract).ProposeReversal, reversal("R-X", finance.TypeDisbursement, "D-EDU")),
				refused(foundation.ErrAccessDenied, `ProposeReversal called by AuditOfficeMSP with role "auditor"`,
					`requires role "budget-officer" in FinanceBureauMSP, or role "accountant" in EduMinistryMSP or InternetCourtMSP`)},
			{"ministry officer (wrong role)", refuse(f, f.l.As(ministry, consortium.RoleOfficer), (*finance.Contract).ProposeReversal, reversal("R-X", finance.TypeDisbursement, "D-EDU")),
				refused(foundation.ErrAccessDenied, `role "officer"`)},
			{"oversight", refuse(f, f.inspector, (*finance.Contract).ProposeReversal, reversal("R-X", finance.TypeDisbursement, "D-EDU")),
				refused(foundation.ErrAccessDenied, "OversightMSP")},
			{"reversal of a proposed reversal", propose(reversal("R-X", finance.TypeReversal, "R-1")),
				refused(foundation.ErrConflict, `reversal "R-1" is itself a reversal and cannot be reversed`)},
			{"unknown reversal to reverse", propose(reversal("R-X", finance.TypeReversal, "R-404")), refused(foundation.ErrNotFound, `reversal "R-404" not found`)},
			{"unknown disbursement", propose(reversal("R-X", finance.TypeDisbursement, "D-404")), refused(foundation.ErrNotFound, `disbursement "D-404" not found`)},
			{"duplicate reversal ID", propose(reversal("R-1", finance.TypeDisbursement, "D-EDU")),
				refused(foundation.ErrAlreadyExists, `reversal "R-1" already exists: proposed by EduMinistryMSP for disbursement "D-EDU"`)},
			{"unknown record type", propose(reversal("R-X", "payment", "D-EDU")),
				refused(foundation.ErrInvalidInput, "recordType: must be one of appropriation, allocation, disbursement, reversal")},
			{"without reason", propose(finance.ProposeReversalRequest{ReversalID: "R-X", RecordType: "disbursement", RecordID: "D-EDU"}),
				refused(foundation.ErrInvalidInput, "reason: required")},
			{"amount in request", propose(replaceJSON(t, reversal("R-X", finance.TypeDisbursement, "D-EDU"), `{`, `{"amount":5,`)),
				refused(foundation.ErrInvalidInput, "amount: unknown field")},
			{"malformed JSON", propose(`{"reversalId":`), refused(foundation.ErrInvalidInput, "malformed JSON")},
		})
	})

	approve := func(req any) func() error { return refuse(f, f.auditor, (*finance.Contract).ApproveReversal, req) }
	t.Run("approve", func(t *testing.T) {
		f.approveBy("R-1", f.auditor)
		runRefusals(t, f, []refusalCase{
			{"double approval", approve(approval("R-1")),
				refused(foundation.ErrAlreadyExists, `approval "R-1 by AuditOfficeMSP" already exists: approved at`, "an organisation approves a reversal once")},
			{"oversight (read only)", refuse(f, f.inspector, (*finance.Contract).ApproveReversal, approval("R-1")),
				refused(foundation.ErrAccessDenied, `ApproveReversal called by OversightMSP with role "inspector"`,
					`requires role "budget-officer" in FinanceBureauMSP, or role "auditor" in AuditOfficeMSP, or role "accountant" in EduMinistryMSP or InternetCourtMSP`)},
			{"audit office admin (wrong role)", refuse(f, f.l.As(audit, consortium.RoleAdmin), (*finance.Contract).ApproveReversal, approval("R-1")),
				refused(foundation.ErrAccessDenied, `AuditOfficeMSP with role "admin"`)},
			{"notary (outside the channel)", refuse(f, f.l.As(consortium.NotaryOfficeMSP, consortium.RoleNotary), (*finance.Contract).ApproveReversal, approval("R-1")),
				refused(foundation.ErrAccessDenied, "NotaryOfficeMSP")},
			{"unknown reversal", approve(approval("R-404")), refused(foundation.ErrNotFound, `reversal "R-404" not found`)},
			{"MSP ID in request", approve(replaceJSON(t, approval("R-1"), `{`, `{"mspId":"FinanceBureauMSP",`)), refused(foundation.ErrInvalidInput, "mspId: unknown field")},
			{"note with control characters", approve(finance.ApproveReversalRequest{ReversalID: "R-1", Note: "ok\x07"}), refused(foundation.ErrInvalidInput, "note: must not contain control characters")},
			{"empty request", approve(`{}`), refused(foundation.ErrInvalidInput, "reversalId: required")},
		})
	})

	execute := func(req any) func() error { return refuse(f, f.eduAcc, (*finance.Contract).ExecuteReversal, req) }
	t.Run("execute", func(t *testing.T) {
		runRefusals(t, f, []refusalCase{
			{"one approval of three", execute(execution("R-1")),
				refused(foundation.ErrConflict, `reversal "R-1" has 1 approvals; it needs 3, a majority of the 5 organisations of finance-ledger`)},
		})
		f.approveBy("R-1", f.officer)
		runRefusals(t, f, []refusalCase{
			{"two approvals of three", execute(execution("R-1")), refused(foundation.ErrConflict, "has 2 approvals; it needs 3")},
		})
		f.approveBy("R-1", f.courtAcc)
		runRefusals(t, f, []refusalCase{
			{"by an approving organisation that does not own the entry", refuse(f, f.courtAcc, (*finance.Contract).ExecuteReversal, execution("R-1")),
				refused(foundation.ErrAccessDenied, `ExecuteReversal called by InternetCourtMSP`, `requires the owner of disbursement "D-EDU" (EduMinistryMSP)`)},
			{"by the finance bureau", refuse(f, f.officer, (*finance.Contract).ExecuteReversal, execution("R-1")),
				refused(foundation.ErrAccessDenied, "FinanceBureauMSP")},
			{"by the auditor (wrong role)", refuse(f, f.auditor, (*finance.Contract).ExecuteReversal, execution("R-1")),
				refused(foundation.ErrAccessDenied, `ExecuteReversal called by AuditOfficeMSP with role "auditor"`)},
			{"by a ministry officer (wrong role)", refuse(f, f.l.As(ministry, consortium.RoleOfficer), (*finance.Contract).ExecuteReversal, execution("R-1")),
				refused(foundation.ErrAccessDenied, `role "officer"`)},
			{"unknown reversal", execute(execution("R-404")), refused(foundation.ErrNotFound, `reversal "R-404" not found`)},
			{"malformed ID", execute(execution("R 1")), refused(foundation.ErrInvalidInput, "reversalId: must be 1 to 64 characters")},
			{"not an object", execute(`["R-1"]`), refused(foundation.ErrInvalidInput, "must be a JSON object")},
		})
		_, err := call(f, f.eduAcc, (*finance.Contract).ExecuteReversal, execution("R-1"))
		require.NoError(t, err, "three approvals with the audit office, executed by the owner")
		f.l.RequireRefused(t, refused(foundation.ErrConflict, `reversal "R-1" was already executed`),
			refuse(f, f.eduAcc, (*finance.Contract).ApproveReversal, approval("R-1")))
	})

	t.Run("competing proposals: the first executed supersedes the other", func(t *testing.T) {
		f.must(call(f, f.courtAcc, (*finance.Contract).ProposeReversal, reversal("R-CT-1", finance.TypeDisbursement, "D-CT")))
		f.must(call(f, f.courtAcc, (*finance.Contract).ProposeReversal, reversal("R-CT-2", finance.TypeDisbursement, "D-CT")))
		f.approveBy("R-CT-1", f.auditor, f.officer, f.courtAcc)
		f.approveBy("R-CT-2", f.auditor)
		f.must(call(f, f.courtAcc, (*finance.Contract).ExecuteReversal, execution("R-CT-1")))
		runRefusals(t, f, []refusalCase{
			{"approving the superseded proposal", refuse(f, f.officer, (*finance.Contract).ApproveReversal, approval("R-CT-2")),
				refused(foundation.ErrConflict, `reversal "R-CT-2" is superseded: disbursement "D-CT" was reversed by R-CT-1`)},
			{"executing the superseded proposal", refuse(f, f.courtAcc, (*finance.Contract).ExecuteReversal, execution("R-CT-2")),
				refused(foundation.ErrConflict, "is superseded")},
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

	runRefusals(t, f, []refusalCase{
		{"an appropriation with allocations", refuse(f, f.officer, (*finance.Contract).ExecuteReversal, execution("R-P")),
			refused(foundation.ErrConflict, `appropriation "P-1" has 70000000 EUR allocated from it; reverse its allocations first`)},
		{"an allocation with disbursements", refuse(f, f.officer, (*finance.Contract).ExecuteReversal, execution("R-EDU")),
			refused(foundation.ErrConflict, `allocation "A-EDU" has 500 EUR disbursed against it; reverse its disbursements first`)},
		{"an agency executing the finance bureau's reversal", refuse(f, f.eduAcc, (*finance.Contract).ExecuteReversal, execution("R-EDU")),
			refused(foundation.ErrAccessDenied, `requires the owner of allocation "A-EDU" (FinanceBureauMSP)`)},
	})

	f.must(call(f, f.officer, (*finance.Contract).ExecuteReversal, execution("R-CT")))
	_, ev := f.lastEvent()
	assert.Equal(t, []string{"update fin.spending 2026/P-1/A-CT", "update fin.budget 2026/P-1", "create fin.reversed allocation/A-CT"}, changeSummary(ev))
	assert.Equal(t, finance.AllocationTotals{Currency: "EUR", Executed: finance.Share{}}, f.allocationTotals("A-CT"), "a reversed allocation is 0")
	f.l.RequireRefused(t, refused(foundation.ErrConflict, `allocation "A-CT" was reversed by R-CT; nothing can be disbursed against it`),
		refuse(f, f.courtAcc, (*finance.Contract).Disburse, disbursement("D-CT", "A-CT", 1)))

	f.must(call(f, f.eduAcc, (*finance.Contract).ExecuteReversal, execution("R-D")))
	f.must(call(f, f.officer, (*finance.Contract).ExecuteReversal, execution("R-EDU")))
	assert.Equal(t, finance.AppropriationTotals{Currency: "EUR", Appropriated: appropriated, Unallocated: appropriated, Remaining: appropriated,
		Executed: finance.Share{Denominator: appropriated}}, f.appropriationTotals("P-1"))

	f.must(call(f, f.officer, (*finance.Contract).ExecuteReversal, execution("R-P")))
	_, ev = f.lastEvent()
	assert.Equal(t, []string{"update fin.budget 2026/P-1", "create fin.reversed appropriation/P-1"}, changeSummary(ev))
	trace, err := f.traceAppropriation(f.inspector, "P-1", 0, "")
	require.NoError(t, err)
	assert.Equal(t, finance.AppropriationTotals{Currency: "EUR"}, trace.Totals)
	require.NotNil(t, trace.Reversal)
	assert.Equal(t, "R-P", trace.Reversal.ReversalID)
	assert.Equal(t, int64(appropriated), trace.Appropriation.Amount, "the entry keeps its original amount")
	assert.Equal(t, []string{"R-CT", "R-EDU"}, []string{trace.Allocations[0].Balance.ReversedBy, trace.Allocations[1].Balance.ReversedBy})
	f.l.RequireRefused(t, refused(foundation.ErrConflict, `appropriation "P-1" was reversed by R-P; nothing can be allocated from it`),
		refuse(f, f.officer, (*finance.Contract).Allocate, allocation("A-NEW", "P-1", ministry, 1)))
}
