package finance_test

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/finance"
	"github.com/govshare/govshare/chaincode/foundation"
	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

type ctxT = contractapi.TransactionContextInterface

const (
	bureau    = consortium.FinanceBureauMSP
	audit     = consortium.AuditOfficeMSP
	ministry  = consortium.EduMinistryMSP
	court     = consortium.InternetCourtMSP
	oversight = consortium.OversightMSP
)

// fixture is a finance-ledger channel with one client per writing role.
type fixture struct {
	t         testing.TB
	l         *ledgertest.Ledger
	c         *finance.Contract
	officer   *ledgertest.Client // FinanceBureauMSP budget-officer
	auditor   *ledgertest.Client // AuditOfficeMSP auditor
	eduAcc    *ledgertest.Client // EduMinistryMSP accountant
	courtAcc  *ledgertest.Client // InternetCourtMSP accountant
	inspector *ledgertest.Client // OversightMSP inspector
}

func newLedger(t testing.TB) *ledgertest.Ledger {
	return ledgertest.New(t, ledgertest.WithChannel(consortium.FinanceChannel), ledgertest.WithChaincode("finance"))
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	l := newLedger(t)
	return &fixture{
		t:         t,
		l:         l,
		c:         finance.New(),
		officer:   l.As(bureau, consortium.RoleBudgetOfficer),
		auditor:   l.As(audit, consortium.RoleAuditor),
		eduAcc:    l.As(ministry, consortium.RoleAccountant),
		courtAcc:  l.As(court, consortium.RoleAccountant),
		inspector: l.As(oversight, consortium.RoleInspector),
	}
}

// The amounts of the budget fixture, in euro cents.
const (
	appropriated = 1_000_000_00
	eduAllocated = 400_000_00
	ctAllocated  = 300_000_00
)

// newBudget returns a fixture holding appropriation P-1 (1,000,000.00 EUR)
// with allocations A-EDU (400,000.00 to the ministry) and A-CT (300,000.00
// to the court).
func newBudget(t testing.TB) *fixture {
	t.Helper()
	f := newFixture(t)
	f.must(call(f, f.officer, (*finance.Contract).Appropriate, appropriation("P-1", appropriated)))
	f.must(call(f, f.officer, (*finance.Contract).Allocate, allocation("A-EDU", "P-1", ministry, eduAllocated)))
	f.must(call(f, f.officer, (*finance.Contract).Allocate, allocation("A-CT", "P-1", court, ctAllocated)))
	return f
}

// must fails the test if a setup call failed.
func (f *fixture) must(_ any, err error) {
	f.t.Helper()
	require.NoError(f.t, err)
}

// toJSON encodes a request (ledgertest.JSON).
var toJSON = ledgertest.JSON

// call submits a write function of the contract as one transaction: fn is
// a method expression such as (*finance.Contract).Disburse, req a request
// struct or, to send exactly those bytes, a string.
func call[T any](f *fixture, c *ledgertest.Client, fn func(*finance.Contract, ctxT, string) (T, error), req any) (T, error) {
	raw, ok := req.(string)
	if !ok {
		raw = toJSON(f.t, req)
	}
	return ledgertest.Call(c, func(ctx ctxT) (T, error) { return fn(f.c, ctx, raw) })
}

func digestOf(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}

// Requests with valid defaults.

func appropriation(id string, amount int64) finance.AppropriateRequest {
	return finance.AppropriateRequest{
		AppropriationID: id, FiscalYear: 2026, Title: "Primary school textbooks",
		AdministrativeCode: "EDU-01", FunctionalCode: "09.1", EconomicCode: "2211",
		Amount: amount, Currency: "EUR",
	}
}

func allocation(id, appropriationID, agency string, amount int64) finance.AllocateRequest {
	return finance.AllocateRequest{
		AllocationID: id, AppropriationID: appropriationID, Agency: agency,
		Purpose: "Textbooks, first grade", Amount: amount, Currency: "EUR",
	}
}

func disbursement(id, allocationID string, amount int64) finance.DisburseRequest {
	return finance.DisburseRequest{
		DisbursementID: id, AllocationID: allocationID,
		Payee:   finance.Payee{Name: "Example Publishing Ltd", RegistrationNumber: "HRB-12345"},
		Purpose: "Textbooks, delivery 1 of 3", ProcurementReference: "TED-2026-123456",
		InvoiceHash: digestOf("invoice " + id), Amount: amount, Currency: "EUR",
		TransactionType: finance.TransactionDisbursement,
	}
}

func run(payments ...finance.DisburseRequest) finance.DisburseRunRequest {
	return finance.DisburseRunRequest{Payments: payments}
}

func split(allocationID string, tranches int) finance.SplitAllocationRequest {
	return finance.SplitAllocationRequest{AllocationID: allocationID, Tranches: tranches}
}

func reversal(id, recordType, recordID string) finance.ProposeReversalRequest {
	return finance.ProposeReversalRequest{ReversalID: id, RecordType: recordType, RecordID: recordID, Reason: "recorded in error"}
}

func approval(id string) finance.ApproveReversalRequest {
	return finance.ApproveReversalRequest{ReversalID: id}
}

func execution(id string) finance.ExecuteReversalRequest {
	return finance.ExecuteReversalRequest{ReversalID: id}
}

func finding(id, recordType, recordID string) finance.RecordFindingRequest {
	return finance.RecordFindingRequest{FindingID: id, RecordType: recordType, RecordID: recordID, Severity: finance.SeverityHigh, Note: "invoice dated after payment"}
}

// replaceJSON returns the JSON of req with old replaced by new once, to
// build malformed requests from valid ones.
func replaceJSON(t testing.TB, req any, old, new string) string {
	t.Helper()
	raw := toJSON(t, req)
	require.Contains(t, raw, old)
	return strings.Replace(raw, old, new, 1)
}

// Typed queries.

func (f *fixture) traceDisbursement(c *ledgertest.Client, id string) (*finance.DisbursementTrace, error) {
	return ledgertest.Eval(c, func(ctx ctxT) (*finance.DisbursementTrace, error) { return f.c.TraceDisbursement(ctx, id) })
}

func (f *fixture) traceAllocation(c *ledgertest.Client, id string, pageSize int32, bookmark string) (*finance.AllocationTrace, error) {
	return ledgertest.Eval(c, func(ctx ctxT) (*finance.AllocationTrace, error) {
		return f.c.TraceAllocation(ctx, id, pageSize, bookmark)
	})
}

func (f *fixture) traceAppropriation(c *ledgertest.Client, id string, pageSize int32, bookmark string) (*finance.AppropriationTrace, error) {
	return ledgertest.Eval(c, func(ctx ctxT) (*finance.AppropriationTrace, error) {
		return f.c.TraceAppropriation(ctx, id, pageSize, bookmark)
	})
}

func (f *fixture) getReversal(c *ledgertest.Client, id string) (*finance.ReversalStatus, error) {
	return ledgertest.Eval(c, func(ctx ctxT) (*finance.ReversalStatus, error) { return f.c.GetReversal(ctx, id) })
}

func (f *fixture) summary(c *ledgertest.Client, year int) (*finance.SpendingSummary, error) {
	return ledgertest.Eval(c, func(ctx ctxT) (*finance.SpendingSummary, error) { return f.c.GetSpendingSummary(ctx, year) })
}

// allocationTotals reads an allocation's totals as the oversight body sees
// them.
func (f *fixture) allocationTotals(id string) finance.AllocationTotals {
	f.t.Helper()
	trace, err := f.traceAllocation(f.inspector, id, 1, "")
	require.NoError(f.t, err)
	return trace.Totals
}

func (f *fixture) appropriationTotals(id string) finance.AppropriationTotals {
	f.t.Helper()
	trace, err := f.traceAppropriation(f.inspector, id, 1, "")
	require.NoError(f.t, err)
	return trace.Totals
}

// approveBy approves reversal id by each client, failing the test on an
// error.
func (f *fixture) approveBy(id string, clients ...*ledgertest.Client) {
	f.t.Helper()
	for _, c := range clients {
		f.must(call(f, c, (*finance.Contract).ApproveReversal, approval(id)))
	}
}

// lastEvent returns the name and decoded payload of the last committed event.
func (f *fixture) lastEvent() (string, foundation.Event) {
	f.t.Helper()
	return f.l.RequireLastEvent(f.t)
}

// refuse wraps a call for a refusal table.
func refuse[T any](f *fixture, c *ledgertest.Client, fn func(*finance.Contract, ctxT, string) (T, error), req any) func() error {
	return func() error { _, err := call(f, c, fn, req); return err }
}
