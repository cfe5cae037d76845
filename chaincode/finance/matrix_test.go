package finance_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/consortium"
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

// expectedRule pairs who may call a function with how a refusal must state
// the requirement. A refusal stating another requirement (the owner of a
// record, the agency of an allocation) means the declared rule let the
// caller through, which the matrix counts as a failure.
type expectedRule struct {
	allows   func(msp, role string) bool
	requires string
}

var (
	byBudgetOfficer = expectedRule{budgetOfficer, `role "budget-officer" in FinanceBureauMSP`}
	byAccountant    = expectedRule{agencyAccountant, `role "accountant" in EduMinistryMSP or InternetCourtMSP`}
	byAuditor       = expectedRule{auditOfficer, `role "auditor" in AuditOfficeMSP`}
	byEntryWriter   = expectedRule{entryWriter, `role "budget-officer" in FinanceBureauMSP, or role "accountant" in EduMinistryMSP or InternetCourtMSP`}
	byApprover      = expectedRule{reversalApprover,
		`role "budget-officer" in FinanceBureauMSP, or role "auditor" in AuditOfficeMSP, or role "accountant" in EduMinistryMSP or InternetCourtMSP`}
	byMember = expectedRule{financeMember, `any identity of FinanceBureauMSP, AuditOfficeMSP, EduMinistryMSP, InternetCourtMSP or OversightMSP`}
)

// newMatrixWorld is the ledger every matrix cell starts from: the budget
// fixture, a spare allocation A-SPARE with nothing disbursed, a
// disbursement per agency, a reversal proposal R-PENDING without
// approvals, and for each owner an approved reversal of one of its
// entries (R-FB of A-SPARE, R-EDU of D-EDU, R-CT of D-CT).
func newMatrixWorld(t *testing.T) *fixture {
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

type matrixCall struct {
	args  func(msp string) []string
	rule  expectedRule
	write bool
}

func matrixCalls(t *testing.T) map[string]matrixCall {
	js := func(v any) string { return toJSON(t, v) }
	fixed := func(args ...string) func(string) []string { return func(string) []string { return args } }
	return map[string]matrixCall{
		"Appropriate": {write: true, rule: byBudgetOfficer, args: fixed(js(appropriation("P-NEW", 1)))},
		"Allocate":    {write: true, rule: byBudgetOfficer, args: fixed(js(allocation("A-NEW", "P-1", court, 1)))},
		"Disburse": {write: true, rule: byAccountant, args: func(msp string) []string {
			return []string{js(disbursement("D-NEW", own(msp, "A-EDU", "A-EDU", "A-CT"), 1))}
		}},
		"ProposeReversal": {write: true, rule: byEntryWriter, args: func(msp string) []string {
			return []string{js(reversal("R-NEW", own(msp, finance.TypeAllocation, finance.TypeDisbursement, finance.TypeDisbursement),
				own(msp, "A-SPARE", "D-EDU", "D-CT")))}
		}},
		"ApproveReversal": {write: true, rule: byApprover, args: fixed(js(approval("R-PENDING")))},
		"ExecuteReversal": {write: true, rule: byEntryWriter, args: func(msp string) []string {
			return []string{js(execution(own(msp, "R-FB", "R-EDU", "R-CT")))}
		}},
		"RecordFinding": {write: true, rule: byAuditor, args: fixed(js(finding("F-NEW", finance.TypeDisbursement, "D-EDU")))},

		"TraceDisbursement":  {rule: byMember, args: fixed("D-EDU")},
		"TraceAllocation":    {rule: byMember, args: fixed("A-EDU", "0", "")},
		"TraceAppropriation": {rule: byMember, args: fixed("P-1", "0", "")},
		"ListAppropriations": {rule: byMember, args: fixed("2026", "0", "")},
		"GetSpendingSummary": {rule: byMember, args: fixed("2026")},
		"GetRecordHistory":   {rule: byMember, args: fixed(finance.TypeAllocation, "A-EDU")},
		"GetReversal":        {rule: byMember, args: fixed("R-PENDING")},
		"ListReversals":      {rule: byMember, args: fixed(finance.TypeDisbursement, "D-EDU", "0", "")},
		"ListFindings":       {rule: byMember, args: fixed(finance.TypeDisbursement, "D-EDU", "0", "")},
	}
}

// identities returns every organisation × role of the consortium, plus a
// user without a role attribute in each organisation.
func identities() [][2]string {
	var ids [][2]string
	for _, org := range consortium.Organizations() {
		for _, role := range append(org.Roles, "") {
			ids = append(ids, [2]string{org.MSPID, role})
		}
	}
	return ids
}

// TestAuthorisationMatrix calls every transaction function of the
// chaincode as every organisation and role of the consortium, through the
// chaincode's Invoke, and checks the outcome against the table above: an
// allowed caller succeeds (the request is built so that every other rule
// holds) and a write emits one event; a refused caller gets an
// access-denied error naming the function, its identity and the declared
// rule, and nothing is written.
func TestAuthorisationMatrix(t *testing.T) {
	cc := newChaincode(t)
	calls := matrixCalls(t)

	t.Run("the matrix covers every transaction function", func(t *testing.T) {
		exposed, err := newLedger(t).As(oversight, "inspector").TransactionNames(cc, "finance")
		require.NoError(t, err)
		assert.Equal(t, exposed, sortedNames(calls))
	})

	ids := identities()
	allowedCount, deniedCount := 0, 0
	for _, name := range sortedNames(calls) {
		call := calls[name]
		t.Run(name, func(t *testing.T) {
			// Queries write nothing, so their cells share one world.
			var shared *fixture
			if !call.write {
				shared = newMatrixWorld(t)
			}
			for _, id := range ids {
				msp, role := id[0], id[1]
				f := shared
				if call.write {
					f = newMatrixWorld(t)
				}
				client := f.l.As(msp, role)
				before := f.l.Snapshot()
				events := len(f.l.Events())

				var err error
				if call.write {
					_, err = client.Invoke(cc, name, call.args(msp)...)
				} else {
					_, err = client.Query(cc, name, call.args(msp)...)
				}

				if call.rule.allows(msp, role) {
					allowedCount++
					if assert.NoError(t, err, "%s/%q must be allowed", msp, role) && call.write {
						assert.Len(t, f.l.Events(), events+1, "%s/%q: an allowed write emits one event", msp, role)
					}
					continue
				}
				deniedCount++
				var ccErr *ledgertest.ChaincodeError
				if assert.ErrorAs(t, err, &ccErr, "%s/%q must be refused", msp, role) {
					assert.True(t, strings.HasPrefix(ccErr.Message, "access denied: "+name+" called by "+msp+" with "),
						"%s/%q: %s", msp, role, ccErr.Message)
					assert.True(t, strings.HasSuffix(ccErr.Message, "; requires "+call.rule.requires),
						"%s/%q must be refused by the declared rule: %s", msp, role, ccErr.Message)
				}
				assert.Empty(t, f.l.Diff(before), "%s/%q: a refused call writes nothing", msp, role)
			}
		})
	}
	t.Logf("%d identities x %d functions: %d allowed, %d refused", len(ids), len(calls), allowedCount, deniedCount)
}
