package finance_test

import (
	"testing"

	"github.com/govshare/govshare/chaincode/finance"
	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

// Who may call what, written out here from the specification (issue 4 and
// docs/conventions.md), independently of the rules declared in the
// contract. The matrix test checks the contract against this table.
func budgetOfficer(msp, role string) bool {
	return msp == "FinanceBureauMSP" && role == "budget-officer"
}

func agencyAccountant(msp, role string) bool {
	return (msp == "EduMinistryMSP" || msp == "InternetCourtMSP") && role == "accountant"
}

func auditOfficer(msp, role string) bool { return msp == "AuditOfficeMSP" && role == "auditor" }

func entryWriter(msp, role string) bool {
	return budgetOfficer(msp, role) || agencyAccountant(msp, role)
}

func reversalApprover(msp, role string) bool {
	return budgetOfficer(msp, role) || auditOfficer(msp, role) || agencyAccountant(msp, role)
}

func financeMember(msp, _ string) bool {
	switch msp {
	case "FinanceBureauMSP", "AuditOfficeMSP", "EduMinistryMSP", "InternetCourtMSP", "OversightMSP":
		return true
	}
	return false
}

// How a refusal states each requirement. A refusal stating another
// requirement (the owner of a record, the agency of an allocation) means
// the declared rule let the caller through, which the matrix counts as a
// failure.
var (
	byBudgetOfficer = ledgertest.Rule{Allows: budgetOfficer, Requires: `role "budget-officer" in FinanceBureauMSP`}
	byAccountant    = ledgertest.Rule{Allows: agencyAccountant, Requires: `role "accountant" in EduMinistryMSP or InternetCourtMSP`}
	byAuditor       = ledgertest.Rule{Allows: auditOfficer, Requires: `role "auditor" in AuditOfficeMSP`}
	byEntryWriter   = ledgertest.Rule{Allows: entryWriter, Requires: `role "budget-officer" in FinanceBureauMSP, or role "accountant" in EduMinistryMSP or InternetCourtMSP`}
	byApprover      = ledgertest.Rule{Allows: reversalApprover,
		Requires: `role "budget-officer" in FinanceBureauMSP, or role "auditor" in AuditOfficeMSP, or role "accountant" in EduMinistryMSP or InternetCourtMSP`}
	byMember = ledgertest.Rule{Allows: financeMember, Requires: `any identity of FinanceBureauMSP, AuditOfficeMSP, EduMinistryMSP, InternetCourtMSP or OversightMSP`}
)

// newMatrixWorld is the ledger every matrix cell starts from: the budget
// fixture, a spare allocation A-SPARE with nothing disbursed, a
// disbursement per agency, a reversal proposal R-PENDING without
// approvals, and for each owner an approved reversal of one of its
// entries (R-FB of A-SPARE, R-EDU of D-EDU, R-CT of D-CT).
func newMatrixWorld(t testing.TB) *fixture {
	f := newBudget(t)
	f.must(call(f, f.officer, (*finance.Contract).Allocate, allocation("A-SPARE", "P-1", ministry, 1000)))
	f.must(call(f, f.eduAcc, (*finance.Contract).Disburse, disbursement("D-EDU", "A-EDU", 1000)))
	f.must(call(f, f.courtAcc, (*finance.Contract).Disburse, disbursement("D-CT", "A-CT", 1000)))
	f.must(call(f, f.eduAcc, (*finance.Contract).ProposeReversal, reversal("R-PENDING", finance.TypeDisbursement, "D-EDU")))
	for _, r := range []struct {
		owner  *ledgertest.Client
		req    finance.ProposeReversalRequest
		agency *ledgertest.Client
	}{
		{f.officer, reversal("R-FB", finance.TypeAllocation, "A-SPARE"), f.eduAcc},
		{f.eduAcc, reversal("R-EDU", finance.TypeDisbursement, "D-EDU"), f.eduAcc},
		{f.courtAcc, reversal("R-CT", finance.TypeDisbursement, "D-CT"), f.courtAcc},
	} {
		f.must(call(f, r.owner, (*finance.Contract).ProposeReversal, r.req))
		f.approveBy(r.req.ReversalID, f.auditor, f.officer, r.agency)
	}
	return f
}

// own picks what a caller acts on as its own: the court its records, the
// finance bureau its own, everybody else the ministry's, so that an
// allowed caller meets every other rule of the function.
func own(msp, bureauRecord, ministryRecord, courtRecord string) string {
	switch msp {
	case bureau:
		return bureauRecord
	case court:
		return courtRecord
	default:
		return ministryRecord
	}
}

// matrixCell is one caller calling one function on its world.
type matrixCell = ledgertest.MatrixCell[*fixture]

// matrixCalls says how to call each function so that an admitted caller
// meets every other rule.
func matrixCalls(t *testing.T) map[string]ledgertest.MatrixCall[*fixture] {
	js := func(v any) string { return toJSON(t, v) }
	return map[string]ledgertest.MatrixCall[*fixture]{
		"Appropriate": {Write: true, Rule: byBudgetOfficer, Args: []string{js(appropriation("P-NEW", 1))}},
		"Allocate":    {Write: true, Rule: byBudgetOfficer, Args: []string{js(allocation("A-NEW", "P-1", court, 1))}},
		"Disburse": {Write: true, Rule: byAccountant, ArgsFor: func(_ testing.TB, c matrixCell) []string {
			return []string{js(disbursement("D-NEW", own(c.MSPID, "A-EDU", "A-EDU", "A-CT"), 1))}
		}},
		"DisburseRun": {Write: true, Rule: byAccountant, ArgsFor: func(_ testing.TB, c matrixCell) []string {
			a := own(c.MSPID, "A-EDU", "A-EDU", "A-CT")
			return []string{js(run(disbursement("D-RUN-1", a, 1), disbursement("D-RUN-2", a, 2)))}
		}},
		"SplitAllocation": {Write: true, Rule: byAccountant, ArgsFor: func(_ testing.TB, c matrixCell) []string {
			return []string{js(split(own(c.MSPID, "A-EDU", "A-EDU", "A-CT"), 4))}
		}},
		"ProposeReversal": {Write: true, Rule: byEntryWriter, ArgsFor: func(_ testing.TB, c matrixCell) []string {
			return []string{js(reversal("R-NEW", own(c.MSPID, finance.TypeAllocation, finance.TypeDisbursement, finance.TypeDisbursement),
				own(c.MSPID, "A-SPARE", "D-EDU", "D-CT")))}
		}},
		"ApproveReversal": {Write: true, Rule: byApprover, Args: []string{js(approval("R-PENDING"))}},
		"ExecuteReversal": {Write: true, Rule: byEntryWriter, ArgsFor: func(_ testing.TB, c matrixCell) []string {
			return []string{js(execution(own(c.MSPID, "R-FB", "R-EDU", "R-CT")))}
		}},
		"RecordFinding": {Write: true, Rule: byAuditor, Args: []string{js(finding("F-NEW", finance.TypeDisbursement, "D-EDU"))}},

		"TraceDisbursement":  {Rule: byMember, Args: []string{"D-EDU"}},
		"TraceAllocation":    {Rule: byMember, Args: []string{"A-EDU", "0", ""}},
		"TraceAppropriation": {Rule: byMember, Args: []string{"P-1", "0", ""}},
		"ListAppropriations": {Rule: byMember, Args: []string{"2026", "0", ""}},
		"GetSpendingSummary": {Rule: byMember, Args: []string{"2026"}},
		"GetRecordHistory":   {Rule: byMember, Args: []string{finance.TypeAllocation, "A-EDU"}},
		"GetReversal":        {Rule: byMember, Args: []string{"R-PENDING"}},
		"ListReversals":      {Rule: byMember, Args: []string{finance.TypeDisbursement, "D-EDU", "0", ""}},
		"ListFindings":       {Rule: byMember, Args: []string{finance.TypeDisbursement, "D-EDU", "0", ""}},
	}
}

// TestAuthorisationMatrix calls every transaction function of the
// chaincode as every organisation and role of the consortium, through the
// chaincode's Invoke, and checks the outcome against the table above: an
// allowed caller succeeds (the request is built so that every other rule
// holds) and a write emits one event; a refused caller gets an
// access-denied error naming the function, its identity and the declared
// rule, and nothing is written (see ledgertest.Matrix). Each write cell,
// and each query function, starts from a new matrix world.
func TestAuthorisationMatrix(t *testing.T) {
	ledgertest.Matrix[*fixture]{
		Chaincode: newChaincode(t),
		Contract:  "finance",
		World:     func(tb testing.TB) (*fixture, *ledgertest.Ledger) { f := newMatrixWorld(tb); return f, f.l },
		Calls:     matrixCalls(t),
	}.Run(t)
}
