//go:build integration

package integration

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/finance"
	"github.com/govshare/govshare/chaincode/foundation"
	govclient "github.com/govshare/govshare/gateway-client"
)

// financeYear is the fiscal year of the finance tests' budget lines.
const financeYear = 2026

// financeTeam are the finance ledger's users, each on a client that waits
// after every commit until every member's peer has the transaction: the
// next step is often endorsed by another organisation's peer, which must
// already see the last one.
type financeTeam struct {
	officer, auditor, eduAccountant, courtAccountant, inspector *govclient.Session
}

func newFinanceTeam(t *testing.T) financeTeam {
	memberSync := govclient.WithMemberSync(30 * time.Second)
	return financeTeam{
		officer:         session(t, "FinanceBureau", "budget-officer", memberSync),
		auditor:         session(t, "AuditOffice", "auditor", memberSync),
		eduAccountant:   session(t, "EduMinistry", "accountant", memberSync),
		courtAccountant: session(t, "InternetCourt", "accountant", memberSync),
		inspector:       session(t, "Oversight", "inspector", memberSync),
	}
}

// budgetLine appropriates amount of currency and allocates allocated of it
// to EduMinistryMSP, returning the appropriation's and allocation's IDs.
func (team financeTeam) budgetLine(t *testing.T, currency string, amount, allocated int64) (string, string) {
	t.Helper()
	ctx := testContext(t)
	p, a := unique("IT-P"), unique("IT-A-EDU")
	_, _, err := team.officer.Finance().Appropriate(ctx, finance.AppropriateRequest{
		AppropriationID: p, FiscalYear: financeYear, Title: "School tablets",
		AdministrativeCode: "EDU-02", FunctionalCode: "09.2", EconomicCode: "3112", Amount: amount, Currency: currency,
	})
	require.NoError(t, err)
	_, _, err = team.officer.Finance().Allocate(ctx, finance.AllocateRequest{
		AllocationID: a, AppropriationID: p, Agency: "EduMinistryMSP", Purpose: "Tablets for grade 5", Amount: allocated, Currency: currency,
	})
	require.NoError(t, err)
	return p, a
}

// payment is a disbursement request against allocation a.
func payment(id, a string, amount int64, currency string) finance.DisburseRequest {
	return finance.DisburseRequest{
		DisbursementID: id, AllocationID: a,
		Payee:   finance.Payee{Name: "Example Devices Ltd", RegistrationNumber: "HRB-4711"},
		Purpose: "Tablets, first delivery", ProcurementReference: "TED-2026-000042",
		InvoiceHash: foundation.SHA256Hex([]byte("invoice " + id)), Amount: amount, Currency: currency,
		TransactionType: finance.TransactionDisbursement,
	}
}

// TestFinanceViewThroughTheGateway calls every method of the finance view
// on the real network, each as the role the contract admits, and checks
// what each returns against what the earlier ones wrote. The budget line is
// in XTS, ISO 4217's currency for tests, which no other test uses, so the
// year's XTS totals are this test's alone.
func TestFinanceViewThroughTheGateway(t *testing.T) {
	ctx := testContext(t)
	team := newFinanceTeam(t)
	const currency = "XTS"
	p, a1, a2 := unique("FV-P"), unique("FV-A1-EDU"), unique("FV-A2-CT")

	appropriation, receipt, err := team.officer.Finance().Appropriate(ctx, finance.AppropriateRequest{
		AppropriationID: p, FiscalYear: financeYear, Title: "Court and school digitisation",
		AdministrativeCode: "FIN-07", FunctionalCode: "01.3", EconomicCode: "2222", Amount: 100_000_000, Currency: currency,
	})
	require.NoError(t, err)
	assert.Equal(t, "FinanceBureauMSP", appropriation.Owner, "the owner comes from the certificate")
	assert.Equal(t, finance.Classification{Administrative: "FIN-07", Functional: "01.3", Economic: "2222"}, appropriation.Classification)
	assert.NotEmpty(t, receipt.TransactionID)
	assert.NotZero(t, receipt.BlockNumber)
	assert.Equal(t, 1, receipt.Attempts)

	allocation, _, err := team.officer.Finance().Allocate(ctx, finance.AllocateRequest{
		AllocationID: a1, AppropriationID: p, Agency: "EduMinistryMSP", Purpose: "School tablets", Amount: 40_000_000, Currency: currency,
	})
	require.NoError(t, err)
	assert.Equal(t, appropriation.Classification, allocation.Classification, "an allocation inherits its appropriation's classification")
	_, _, err = team.officer.Finance().Allocate(ctx, finance.AllocateRequest{
		AllocationID: a2, AppropriationID: p, Agency: "InternetCourtMSP", Purpose: "Hearing room video", Amount: 30_000_000, Currency: currency,
	})
	require.NoError(t, err)

	kept, reversed := unique("FV-D-KEPT"), unique("FV-D-DUP")
	disbursement, _, err := team.eduAccountant.Finance().Disburse(ctx, payment(kept, a1, 15_000_000, currency))
	require.NoError(t, err)
	assert.Equal(t, "EduMinistryMSP", disbursement.Owner)
	assert.Equal(t, 3, disbursement.IATICode)
	assert.Equal(t, p, disbursement.AppropriationID)
	_, _, err = team.eduAccountant.Finance().Disburse(ctx, payment(reversed, a1, 5_000_000, currency))
	require.NoError(t, err)
	_, _, err = team.courtAccountant.Finance().Disburse(ctx, payment(unique("FV-D-CT"), a2, 1_000_000, currency))
	require.NoError(t, err)

	// An overspend by one minor unit is refused with the contract's
	// reason, and nothing changes.
	before, err := team.inspector.Finance().TraceAllocation(ctx, a1, 0, "")
	require.NoError(t, err)
	require.Equal(t, int64(20_000_000), before.Totals.Remaining)
	over, receipt, err := team.eduAccountant.Finance().Disburse(ctx, payment(unique("FV-D-OVER"), a1, 20_000_001, currency))
	assert.Nil(t, over)
	assert.Nil(t, receipt)
	var txErr *govclient.TxError
	require.ErrorAs(t, err, &txErr)
	assert.Equal(t, govclient.StageEndorse, txErr.Stage)
	assert.Contains(t, txErr.Message(), `has 20000000 XTS remaining; a disbursement of 20000001 XTS would exceed it`)
	after, err := team.inspector.Finance().TraceAllocation(ctx, a1, 0, "")
	require.NoError(t, err)
	assert.Equal(t, before.Totals, after.Totals, "a refused write changes nothing")

	// Findings: the auditor attaches one; everyone reads it.
	findingID := unique("FV-F")
	finding, _, err := team.auditor.Finance().RecordFinding(ctx, finance.RecordFindingRequest{
		FindingID: findingID, RecordType: finance.TypeDisbursement, RecordID: reversed, Severity: finance.SeverityHigh,
		Note: "the same delivery is invoiced twice",
	})
	require.NoError(t, err)
	assert.Equal(t, finance.SeverityHigh, finding.Severity)
	findings, err := team.inspector.Finance().ListFindings(ctx, finance.TypeDisbursement, reversed, 0, "")
	require.NoError(t, err)
	require.Len(t, findings.Findings, 1)
	assert.Equal(t, findingID, findings.Findings[0].FindingID)

	// A reversal: proposed by the owner, approved by three organisations
	// with the audit office, once each, executed by the owner.
	r := unique("FV-R")
	proposal, _, err := team.eduAccountant.Finance().ProposeReversal(ctx, finance.ProposeReversalRequest{
		ReversalID: r, RecordType: finance.TypeDisbursement, RecordID: reversed, Reason: "the same delivery paid twice",
	})
	require.NoError(t, err)
	assert.Equal(t, int64(5_000_000), proposal.Amount, "a reversal takes back the whole entry")
	for _, approver := range []*govclient.Session{team.auditor, team.officer, team.courtAccountant} {
		approval, _, err := approver.Finance().ApproveReversal(ctx, finance.ApproveReversalRequest{ReversalID: r, Note: "checked"})
		require.NoError(t, err)
		assert.Equal(t, approver.MSPID(), approval.MSPID)
	}
	_, _, err = team.auditor.Finance().ApproveReversal(ctx, finance.ApproveReversalRequest{ReversalID: r})
	require.ErrorAs(t, err, &txErr, "an organisation approves once")
	assert.Contains(t, txErr.Message(), "already exists")
	status, err := team.inspector.Finance().GetReversal(ctx, r)
	require.NoError(t, err)
	assert.Equal(t, finance.ReversalApproved, status.Status)
	assert.Len(t, status.Approvals, 3)
	entry, _, err := team.eduAccountant.Finance().ExecuteReversal(ctx, finance.ExecuteReversalRequest{ReversalID: r})
	require.NoError(t, err)
	assert.Equal(t, []string{"AuditOfficeMSP", "FinanceBureauMSP", "InternetCourtMSP"}, entry.ApprovedBy)
	reversals, err := team.inspector.Finance().ListReversals(ctx, finance.TypeDisbursement, reversed, 0, "")
	require.NoError(t, err)
	require.Len(t, reversals.Reversals, 1)
	assert.Equal(t, finance.ReversalExecuted, reversals.Reversals[0].Status)
	require.NotNil(t, reversals.Reversals[0].Execution)
	assert.Equal(t, r, reversals.Reversals[0].Execution.ReversalID)

	// Traces, up and down, paginated.
	up, err := team.inspector.Finance().TraceDisbursement(ctx, reversed)
	require.NoError(t, err)
	require.NotNil(t, up.Reversal)
	assert.Equal(t, r, up.Reversal.ReversalID)
	assert.Equal(t, a1, up.Allocation.AllocationID)
	assert.Equal(t, p, up.Appropriation.AppropriationID)
	assert.Equal(t, int64(15_000_000), up.AllocationTotals.Spent, "the reversed payment no longer counts")

	var lines []finance.DisbursementLine
	for bookmark, pages := "", 0; ; pages++ {
		require.Less(t, pages, 3, "two payments in pages of one")
		page, err := team.inspector.Finance().TraceAllocation(ctx, a1, 1, bookmark)
		require.NoError(t, err)
		require.Len(t, page.Disbursements, 1)
		lines = append(lines, page.Disbursements...)
		if bookmark = page.Bookmark; bookmark == "" {
			break
		}
	}
	require.Len(t, lines, 2)
	for _, line := range lines {
		assert.Equal(t, line.Disbursement.DisbursementID == reversed, line.Reversal != nil, line.Disbursement.DisbursementID)
	}

	first, err := team.inspector.Finance().TraceAppropriation(ctx, p, 1, "")
	require.NoError(t, err)
	require.Len(t, first.Allocations, 1)
	require.NotEmpty(t, first.Bookmark)
	second, err := team.inspector.Finance().TraceAppropriation(ctx, p, 1, first.Bookmark)
	require.NoError(t, err)
	require.Len(t, second.Allocations, 1)
	assert.Equal(t, []string{a1, a2}, []string{first.Allocations[0].Balance.AllocationID, second.Allocations[0].Balance.AllocationID})
	wantTotals := finance.AppropriationTotals{Currency: currency, Appropriated: 100_000_000, Allocated: 70_000_000, Unallocated: 30_000_000,
		Spent: 16_000_000, Remaining: 84_000_000, Executed: finance.Share{Numerator: 16_000_000, Denominator: 100_000_000, BasisPoints: 1600}}
	assert.Equal(t, wantTotals, first.Totals)
	assert.Equal(t, wantTotals, second.Totals, "every page carries the whole appropriation's totals")

	// The year's listing and summary.
	listed := false
	for bookmark, pages := "", 0; !listed; pages++ {
		require.Less(t, pages, 100)
		page, err := team.inspector.Finance().ListAppropriations(ctx, financeYear, 0, bookmark)
		require.NoError(t, err)
		for _, b := range page.Appropriations {
			if b.AppropriationID == p {
				listed = true
				assert.Equal(t, int64(70_000_000), b.Allocated)
			}
		}
		if bookmark = page.Bookmark; bookmark == "" {
			break
		}
	}
	assert.True(t, listed, "appropriation %s is listed under %d", p, financeYear)
	summary, err := team.inspector.Finance().GetSpendingSummary(ctx, financeYear)
	require.NoError(t, err)
	assert.Contains(t, summary.Totals, finance.CurrencyTotals{Currency: currency, Appropriated: "100000000", Allocated: "70000000", Spent: "16000000",
		Executed: finance.TotalShare{Numerator: "16000000", Denominator: "100000000", BasisPoints: 1600}})
	assert.Contains(t, summary.ByAgency, finance.AgencySpending{Agency: "EduMinistryMSP", Currency: currency, Allocated: "40000000", Spent: "15000000",
		Remaining: "25000000", Executed: finance.TotalShare{Numerator: "15000000", Denominator: "40000000", BasisPoints: 3750}})

	// Histories: the entry once, its running totals once per change.
	history, err := team.inspector.Finance().GetRecordHistory(ctx, finance.TypeAllocation, a1)
	require.NoError(t, err)
	assert.Len(t, history.Entry, 1, "an entry is written once")
	assert.Len(t, history.Balances, 4, "allocated, two payments, one reversal")
	history, err = team.inspector.Finance().GetRecordHistory(ctx, finance.TypeReversal, r)
	require.NoError(t, err)
	assert.Len(t, history.Entry, 1)
	assert.Empty(t, history.Balances)
}

// TestConcurrentDisbursementsAgainstOneAllocationAreRetried pays twice
// against the same allocation at the same moment. Both payments read and
// write the allocation's running total, so the one committed second fails
// MVCC validation; the client endorses it again, against the new total,
// and it goes through when the balance allows, or is refused by the
// contract when it does not.
func TestConcurrentDisbursementsAgainstOneAllocationAreRetried(t *testing.T) {
	ctx := testContext(t)
	team := newFinanceTeam(t)
	accountant := team.eduAccountant.Finance()

	pay := func(a string, amount int64) ([]string, []*govclient.Result, []error) {
		ids := []string{unique("MV-D-1"), unique("MV-D-2")}
		results, errs := make([]*govclient.Result, 2), make([]error, 2)
		var wg sync.WaitGroup
		for i := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, results[i], errs[i] = accountant.Disburse(ctx, payment(ids[i], a, amount, "EUR"))
			}()
		}
		wg.Wait()
		return ids, results, errs
	}

	t.Run("both commit when the balance allows", func(t *testing.T) {
		retried := false
		for round := 0; round < 3 && !retried; round++ {
			_, a := team.budgetLine(t, "EUR", 10_000_000, 1_000_000)
			ids, results, errs := pay(a, 400_000)
			for i := range 2 {
				require.NoError(t, errs[i], "round %d, payment %d", round, i)
				t.Logf("round %d: payment %d committed after %d attempts", round, i, results[i].Attempts)
				if results[i].Attempts > 1 {
					retried = true
				}
				trace, err := team.inspector.Finance().TraceDisbursement(ctx, ids[i])
				require.NoError(t, err, "payment %s is on the ledger", ids[i])
				assert.Equal(t, int64(400_000), trace.Disbursement.Amount)
			}
			allocation, err := team.inspector.Finance().TraceAllocation(ctx, a, 0, "")
			require.NoError(t, err)
			assert.Len(t, allocation.Disbursements, 2, "each payment once")
			assert.Equal(t, int64(800_000), allocation.Totals.Spent, "the running total counts both")
		}
		assert.True(t, retried, "no payment needed a retry in three rounds of simultaneous payments")
	})

	t.Run("the retry checks the balance again", func(t *testing.T) {
		_, a := team.budgetLine(t, "EUR", 10_000_000, 1_000_000)
		ids, results, errs := pay(a, 600_000)
		var committed, refused int
		for i := range 2 {
			if errs[i] == nil {
				committed++
				continue
			}
			refused++
			var txErr *govclient.TxError
			require.ErrorAs(t, errs[i], &txErr)
			assert.Equal(t, govclient.StageEndorse, txErr.Stage, "refused by the contract, not lost to the conflict")
			assert.Contains(t, txErr.Message(), "has 400000 EUR remaining; a disbursement of 600000 EUR would exceed it")
			assert.Nil(t, results[i])
			_, err := team.inspector.Finance().TraceDisbursement(ctx, ids[i])
			assert.Error(t, err, "the refused payment %s is not on the ledger", ids[i])
		}
		assert.Equal(t, 1, committed)
		assert.Equal(t, 1, refused)
		allocation, err := team.inspector.Finance().TraceAllocation(ctx, a, 0, "")
		require.NoError(t, err)
		assert.Equal(t, int64(600_000), allocation.Totals.Spent, "the allocation is never overspent")
	})
}

// TestGovctlFinanceFlow runs a budget line through govctl as a clerk would:
// appropriate and allocate at the finance bureau, pay with an invoice file
// at the ministry, an overspend refused with the contract's message, a
// reversal approved by three organisations, and the traces.
func TestGovctlFinanceFlow(t *testing.T) {
	p, a, d := unique("CLI-P"), unique("CLI-A"), unique("CLI-D")
	bureau := []string{"--org", "FinanceBureau", "--as", "budget-officer"}
	ministry := []string{"--org", "EduMinistry", "--as", "accountant"}
	run := func(args ...string) string {
		t.Helper()
		stdout, stderr, code := govctl(t, args...)
		require.Equal(t, 0, code, "govctl %v: %s", args, stderr)
		return stdout
	}

	stdout := run(append(bureau, "budget", "appropriate", "--id", p, "--year", "2026", "--title", "Primary school textbooks",
		"--admin-code", "EDU-01", "--cofog", "09.1", "--economic-code", "2211", "--amount", "1,250,000.00", "--currency", "CNY")...)
	assert.Contains(t, stdout, "1,250,000.00 CNY")
	stdout = run(append(bureau, "budget", "allocate", "--id", a, "--appropriation", p, "--agency", "EduMinistry",
		"--purpose", "Textbooks, first grade", "--amount", "400000")...)
	assert.Contains(t, stdout, "to EduMinistryMSP")
	assert.Contains(t, stdout, "400,000.00 CNY, recorded by FinanceBureauMSP", "the currency is the appropriation's")

	invoice := filepath.Join(t.TempDir(), "invoice.pdf")
	require.NoError(t, os.WriteFile(invoice, []byte("%PDF invoice "+d), 0o600))
	sum := sha256.Sum256([]byte("%PDF invoice " + d))
	disburse := append(ministry, "spend", "disburse", "--allocation", a, "--payee", "Example Publishing Ltd", "--payee-reg", "HRB-12345",
		"--purpose", "Textbooks, delivery 1", "--procurement-ref", "TED-2026-1", "--invoice", invoice)
	stdout, stderr, code := govctl(t, append(disburse, "--id", d, "--amount", "150,000.00")...)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "150,000.00 CNY to Example Publishing Ltd")
	assert.Contains(t, stdout, hex.EncodeToString(sum[:]), "the invoice is recorded by its SHA-256")
	assert.Contains(t, stderr, "committed in block")

	stdout, stderr, code = govctl(t, append(disburse, "--id", unique("CLI-OVER"), "--amount", "250,000.01")...)
	assert.Equal(t, 1, code, "a refused write exits 1")
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "Disburse on finance-ledger/finance was refused")
	assert.Contains(t, stderr, `has 25000000 CNY remaining; a disbursement of 25000001 CNY would exceed it`, "the contract's message")
	assert.Contains(t, stderr, "250,000.00 CNY remaining of 400,000.00 CNY", "and the balance in major units")

	_, stderr, code = govctl(t, append(disburse, "--id", unique("CLI-NOAMOUNT"))...)
	assert.Equal(t, 2, code, "a missing flag is a usage error")
	assert.Contains(t, stderr, "--amount")

	r := unique("CLI-R")
	run(append(ministry, "reversal", "propose", "disbursement", d, "--id", r, "--reason", "paid against the wrong allocation")...)
	for _, org := range []string{"AuditOffice", "FinanceBureau", "InternetCourt"} {
		run("--org", org, "reversal", "approve", r)
	}
	stdout = run("--org", "Oversight", "--as", "inspector", "reversal", "show", r)
	assert.Contains(t, stdout, "APPROVED, 3 of 3 approvals")
	stdout = run(append(ministry, "reversal", "execute", r)...)
	assert.Contains(t, stdout, "150,000.00 CNY taken back")

	stdout = run("--org", "Oversight", "--as", "inspector", "--json", "spend", "trace", d)
	var trace finance.DisbursementTrace
	require.NoError(t, json.Unmarshal([]byte(stdout), &trace), stdout)
	assert.Equal(t, hex.EncodeToString(sum[:]), trace.Disbursement.InvoiceHash)
	require.NotNil(t, trace.Reversal)
	assert.Equal(t, r, trace.Reversal.ReversalID)
	assert.Equal(t, int64(0), trace.AllocationTotals.Spent)

	stdout = run("--org", "Oversight", "--as", "inspector", "budget", "trace", p)
	assert.Contains(t, stdout, "appropriated 1,250,000.00 CNY, allocated 400,000.00 CNY, unallocated 850,000.00 CNY")
	assert.Contains(t, stdout, "disbursement "+d+"  150,000.00 CNY")
	assert.Contains(t, stdout, "REVERSED by "+r)
}
