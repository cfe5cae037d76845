package govclient

import (
	"context"
	"strconv"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/finance"
)

// FinanceChaincode is the finance contract's chaincode name.
const FinanceChaincode = "finance"

// Finance is the finance-ledger contract as one role sees it: the finance
// bureau's budget officer appropriates and allocates, a spending agency's
// accountant disburses against its own allocations, the audit office's
// auditor records findings and approves reversals, and every member,
// Oversight included, traces and summarises. Request and record types are
// the contract's own (package chaincode/finance); amounts are integer
// minor units of the currency (see FormatAmount and ParseAmount).
//
// Every write waits for the commit and returns the record the contract
// wrote with the transaction's Result; a refusal is a *TxError carrying the
// contract's message. Queries are evaluated on the session's own peer.
type Finance struct{ v view }

// Finance returns the session's view of the finance-ledger contract.
func (s *Session) Finance() *Finance {
	return &Finance{v: view{s: s, channel: consortium.FinanceChannel, chaincode: FinanceChaincode}}
}

// Appropriate records a budget line of a fiscal year (finance bureau
// budget officer).
func (f *Finance) Appropriate(ctx context.Context, req finance.AppropriateRequest) (*finance.Appropriation, *Result, error) {
	return submitRecord[finance.Appropriation](ctx, f.v, "Appropriate", &req, nil)
}

// Allocate assigns part of an appropriation to a spending agency (finance
// bureau budget officer). The contract refuses an allocation that would
// take the appropriation's allocations above it.
func (f *Finance) Allocate(ctx context.Context, req finance.AllocateRequest) (*finance.Allocation, *Result, error) {
	return submitRecord[finance.Allocation](ctx, f.v, "Allocate", &req, nil)
}

// Disburse records a payment against one of the caller's agency's
// allocations (agency accountant). The contract refuses a payment above
// the allocation's remaining balance, by as little as one minor unit.
// Concurrent payments against the same allocation conflict at commit,
// unless it is split into tranches (SplitAllocation) and they draw on
// different ones; the client endorses the loser again (see WithRetries),
// so both go through when the balance allows.
func (f *Finance) Disburse(ctx context.Context, req finance.DisburseRequest) (*finance.Disbursement, *Result, error) {
	return submitRecord[finance.Disbursement](ctx, f.v, "Disburse", &req, nil)
}

// DisburseRun records a payment run (agency accountant): up to
// finance.MaxRunPayments payments against the caller's agency's
// allocations in one transaction, all or none. Every rule of Disburse is
// checked for each payment and each allocation's balance once for the
// run; a refusal names the first payment that breaks a rule by its place
// in the run and its ID ("payments[17] (EDU-PAY-0017): ..."). The payments
// are recorded as ordinary disbursements: TraceDisbursement,
// TraceAllocation and reversals find them like any other.
func (f *Finance) DisburseRun(ctx context.Context, req finance.DisburseRunRequest) (*finance.PaymentRun, *Result, error) {
	return submitRecord[finance.PaymentRun](ctx, f.v, "DisburseRun", &req, nil)
}

// SplitAllocation spreads what is left of one of the caller's agency's
// allocations over req.Tranches tranches (agency accountant), so that
// concurrent payments against it conflict only when they draw on the same
// tranche; called again, it spreads what is left evenly again, and with 1
// tranche it merges them. Choose several times as many tranches as
// payments in flight at once: with W payments in flight and N tranches,
// about W/N of them hit a tranche another one is drawing on.
func (f *Finance) SplitAllocation(ctx context.Context, req finance.SplitAllocationRequest) (*finance.AllocationSplit, *Result, error) {
	return submitRecord[finance.AllocationSplit](ctx, f.v, "SplitAllocation", &req, nil)
}

// ProposeReversal proposes to reverse an appropriation, allocation or
// disbursement (its owner's budget officer or accountant).
func (f *Finance) ProposeReversal(ctx context.Context, req finance.ProposeReversalRequest) (*finance.Reversal, *Result, error) {
	return submitRecord[finance.Reversal](ctx, f.v, "ProposeReversal", &req, nil)
}

// ApproveReversal records the caller's organisation's approval of a
// reversal (budget officer, auditor or agency accountant; once per
// organisation).
func (f *Finance) ApproveReversal(ctx context.Context, req finance.ApproveReversalRequest) (*finance.Approval, *Result, error) {
	return submitRecord[finance.Approval](ctx, f.v, "ApproveReversal", &req, nil)
}

// ExecuteReversal executes a reversal approved by a majority including the
// audit office (the reversed entry's owner), writing the reversal entry.
func (f *Finance) ExecuteReversal(ctx context.Context, req finance.ExecuteReversalRequest) (*finance.ReversalEntry, *Result, error) {
	return submitRecord[finance.ReversalEntry](ctx, f.v, "ExecuteReversal", &req, nil)
}

// RecordFinding attaches an auditor's finding to any record (audit office
// auditor). It changes no amount.
func (f *Finance) RecordFinding(ctx context.Context, req finance.RecordFindingRequest) (*finance.Finding, *Result, error) {
	return submitRecord[finance.Finding](ctx, f.v, "RecordFinding", &req, nil)
}

// TraceDisbursement follows a disbursement up to its allocation and
// appropriation, with the totals of both.
func (f *Finance) TraceDisbursement(ctx context.Context, disbursementID string) (*finance.DisbursementTrace, error) {
	return evaluateRecord[finance.DisbursementTrace](ctx, f.v, "TraceDisbursement", disbursementID)
}

// TraceAllocation reads an allocation with its appropriation, its totals
// and one page of its disbursements.
func (f *Finance) TraceAllocation(ctx context.Context, allocationID string, pageSize int32, bookmark string) (*finance.AllocationTrace, error) {
	return evaluateRecord[finance.AllocationTrace](ctx, f.v, "TraceAllocation", paged(pageSize, bookmark, allocationID)...)
}

// TraceAppropriation reads an appropriation with its totals and one page of
// its allocations, each with its totals.
func (f *Finance) TraceAppropriation(ctx context.Context, appropriationID string, pageSize int32, bookmark string) (*finance.AppropriationTrace, error) {
	return evaluateRecord[finance.AppropriationTrace](ctx, f.v, "TraceAppropriation", paged(pageSize, bookmark, appropriationID)...)
}

// ListAppropriations reads one page of a fiscal year's appropriations with
// their running totals.
func (f *Finance) ListAppropriations(ctx context.Context, fiscalYear int, pageSize int32, bookmark string) (*finance.AppropriationPage, error) {
	return evaluateRecord[finance.AppropriationPage](ctx, f.v, "ListAppropriations", paged(pageSize, bookmark, strconv.Itoa(fiscalYear))...)
}

// GetSpendingSummary reads a fiscal year's budget and spending by currency,
// agency and classification code.
func (f *Finance) GetSpendingSummary(ctx context.Context, fiscalYear int) (*finance.SpendingSummary, error) {
	return evaluateRecord[finance.SpendingSummary](ctx, f.v, "GetSpendingSummary", strconv.Itoa(fiscalYear))
}

// GetRecordHistory reads every version of a record (recordType is one of
// finance.TypeAppropriation, TypeAllocation, TypeDisbursement,
// TypeReversal) and of its running totals.
func (f *Finance) GetRecordHistory(ctx context.Context, recordType, recordID string) (*finance.RecordHistory, error) {
	return evaluateRecord[finance.RecordHistory](ctx, f.v, "GetRecordHistory", recordType, recordID)
}

// GetReversal reads a reversal proposal with its approvals, status and,
// once executed, its reversal entry.
func (f *Finance) GetReversal(ctx context.Context, reversalID string) (*finance.ReversalStatus, error) {
	return evaluateRecord[finance.ReversalStatus](ctx, f.v, "GetReversal", reversalID)
}

// ListReversals reads one page of the reversals proposed for a record.
func (f *Finance) ListReversals(ctx context.Context, recordType, recordID string, pageSize int32, bookmark string) (*finance.ReversalPage, error) {
	return evaluateRecord[finance.ReversalPage](ctx, f.v, "ListReversals", paged(pageSize, bookmark, recordType, recordID)...)
}

// ListFindings reads one page of the auditors' findings about a record.
func (f *Finance) ListFindings(ctx context.Context, recordType, recordID string, pageSize int32, bookmark string) (*finance.FindingPage, error) {
	return evaluateRecord[finance.FindingPage](ctx, f.v, "ListFindings", paged(pageSize, bookmark, recordType, recordID)...)
}
