package finance

import (
	"fmt"
	"slices"
	"time"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/foundation"
)

// ProposeReversal proposes to reverse an entry: an appropriation, an
// allocation or a disbursement. Nothing is reversed until the proposal is
// approved and executed.
//
// Access: role "budget-officer" of FinanceBureauMSP or "accountant" of
// EduMinistryMSP or InternetCourtMSP, whose organisation owns the entry
// (ErrAccessDenied otherwise): the finance bureau for appropriations and
// allocations, the spending agency for its disbursements.
// Request: ProposeReversalRequest {"reversalId", "recordType", "recordId",
// "reason"}.
// Reads: fin.reversal/reversalId, the entry, its fin.reversed.
// Rules: a reversal ID is used once (ErrAlreadyExists); the entry exists
// (ErrNotFound); a reversal cannot be reversed (ErrConflict); an entry
// already reversed cannot be reversed again (ErrConflict). Several
// proposals for the same entry may wait side by side; the first executed
// wins and the others can no longer be executed.
// Writes: fin.reversal/reversalId (the proposal, with the entry's amount
// and owner) and fin.reversalOf/recordType/recordId/reversalId.
// Event: ReversalProposed.
func (c *Contract) ProposeReversal(ctx contractapi.TransactionContextInterface, request string) (*Reversal, error) {
	var req ProposeReversalRequest
	tx, err := foundation.BeginRequest(ctx, foundation.Allow("ProposeReversal", entryWriters()...), request, &req)
	if err != nil {
		return nil, err
	}
	key, err := reversalKeys.Key(req.ReversalID)
	if err != nil {
		return nil, err
	}
	if err := requireAbsent(tx, key, TypeReversal, req.ReversalID, func(r *Reversal) string {
		return fmt.Sprintf("proposed by %s for %s %q", r.Owner, r.RecordType, r.RecordID)
	}); err != nil {
		return nil, err
	}
	record, err := findRecord(tx, req.RecordType, req.RecordID)
	if err != nil {
		return nil, err
	}
	if record.Type == TypeReversal {
		return nil, foundation.Conflict(TypeReversal, record.ID, "is itself a reversal and cannot be reversed")
	}
	if record.Owner != tx.Caller.MSPID {
		return nil, tx.Deny(fmt.Sprintf("the owner of %s (%s)", record, record.Owner))
	}
	done, _, err := reversalEntryOf(tx, record.Type, record.ID)
	if err != nil {
		return nil, err
	}
	if done != nil {
		return nil, foundation.Conflict(record.Type, record.ID, "was already reversed by "+done.ReversalID)
	}
	linkKey, err := reversalOfKeys.Key(record.Type, record.ID, req.ReversalID)
	if err != nil {
		return nil, err
	}
	r := &Reversal{
		ReversalID: req.ReversalID,
		RecordType: record.Type,
		RecordID:   record.ID,
		Amount:     record.Amount,
		Currency:   record.Currency,
		Reason:     req.Reason,
		Owner:      record.Owner,
		ProposedAt: tx.Time,
		ProposedBy: tx.Caller.ID,
	}
	if err := tx.Put(key, r); err != nil {
		return nil, err
	}
	if err := tx.Put(linkKey, reversalLink{ReversalID: r.ReversalID}); err != nil {
		return nil, err
	}
	return r, tx.Emit(EventReversalProposed)
}

// ApproveReversal records the caller's organisation's approval of a
// reversal proposal.
//
// Access: role "budget-officer" of FinanceBureauMSP, "auditor" of
// AuditOfficeMSP, or "accountant" of EduMinistryMSP or InternetCourtMSP.
// OversightMSP reads but does not approve. The owner's organisation may
// approve its own proposal: proposing is not approving.
// Request: ApproveReversalRequest {"reversalId", "note" (optional)}.
// Reads: fin.reversal/reversalId, fin.approval/reversalId/<caller MSP>, the
// entry's fin.reversed.
// Rules: the proposal exists (ErrNotFound); an organisation approves once
// (ErrAlreadyExists); the proposal is neither executed nor superseded by
// another executed reversal of the same entry (ErrConflict).
// Writes: fin.approval/reversalId/<caller MSP>. Approvals of different
// organisations write different keys and never conflict.
// Event: ReversalApproved.
func (c *Contract) ApproveReversal(ctx contractapi.TransactionContextInterface, request string) (*Approval, error) {
	var req ApproveReversalRequest
	tx, err := foundation.BeginRequest(ctx, foundation.Allow("ApproveReversal", reversalApprovers()...), request, &req)
	if err != nil {
		return nil, err
	}
	r, err := getReversal(tx, req.ReversalID)
	if err != nil {
		return nil, err
	}
	key, err := approvalKeys.Key(r.ReversalID, tx.Caller.MSPID)
	if err != nil {
		return nil, err
	}
	if err := requireAbsent(tx, key, "approval", r.ReversalID+" by "+tx.Caller.MSPID, func(a *Approval) string {
		return "approved at " + a.ApprovedAt.Format(time.RFC3339) + "; an organisation approves a reversal once"
	}); err != nil {
		return nil, err
	}
	if err := requireExecutable(tx, r); err != nil {
		return nil, err
	}
	a := &Approval{
		ReversalID: r.ReversalID,
		MSPID:      tx.Caller.MSPID,
		Note:       req.Note,
		ApprovedAt: tx.Time,
		ApprovedBy: tx.Caller.ID,
	}
	if err := tx.Put(key, a); err != nil {
		return nil, err
	}
	return a, tx.Emit(EventReversalApproved)
}

// ExecuteReversal executes an approved reversal: it writes the reversal
// entry that references the original entry and takes its amount out of the
// running totals. The original entry is not changed.
//
// Access: role "budget-officer" of FinanceBureauMSP or "accountant" of
// EduMinistryMSP or InternetCourtMSP, whose organisation owns the reversed
// entry (ErrAccessDenied otherwise).
// Request: ExecuteReversalRequest {"reversalId"}.
// Reads: fin.reversal/reversalId, the entry's fin.reversed, every
// fin.approval/reversalId/..., then by entry type:
//   - disbursement: the disbursement and its locator, its allocation and
//     fin.spending, and the tranches it drew from;
//   - allocation: the allocation, its fin.spending and tranches, its
//     appropriation and fin.budget;
//   - appropriation: the appropriation and its fin.budget.
//
// Rules: the proposal exists (ErrNotFound) and is neither executed nor
// superseded (ErrConflict); AuditOfficeMSP approved it and at least a
// majority of the channel's organisations did (3 of 5) (ErrConflict); an
// allocation is reversed only when nothing is disbursed against it, an
// appropriation only when nothing is allocated from it: reverse those
// first (ErrConflict).
// Writes: fin.reversed/recordType/recordId (the ReversalEntry) and
//   - disbursement: the tranches it drew from, each its part back, if the
//     allocation still has the layout it was paid in, and the allocation's
//     fin.spending for the rest (spent -= amount);
//   - allocation: its fin.spending (allocated = 0, reversedBy, no
//     tranches) and the appropriation's fin.budget (allocated -= amount);
//     the tranche keys of a split allocation, reset to a share of 0;
//   - appropriation: its fin.budget (appropriated = 0, reversedBy).
//
// Event: ReversalExecuted.
func (c *Contract) ExecuteReversal(ctx contractapi.TransactionContextInterface, request string) (*ReversalEntry, error) {
	var req ExecuteReversalRequest
	tx, err := foundation.BeginRequest(ctx, foundation.Allow("ExecuteReversal", entryWriters()...), request, &req)
	if err != nil {
		return nil, err
	}
	r, err := getReversal(tx, req.ReversalID)
	if err != nil {
		return nil, err
	}
	if r.Owner != tx.Caller.MSPID {
		return nil, tx.Deny(fmt.Sprintf("the owner of %s %q (%s)", r.RecordType, r.RecordID, r.Owner))
	}
	if err := requireExecutable(tx, r); err != nil {
		return nil, err
	}
	approvals, err := approvalsOf(tx, r.ReversalID)
	if err != nil {
		return nil, err
	}
	approvers := make([]string, len(approvals))
	for i, a := range approvals {
		approvers[i] = a.MSPID
	}
	if !slices.Contains(approvers, consortium.AuditOfficeMSP) {
		return nil, foundation.Conflict(TypeReversal, r.ReversalID, "is not approved by "+consortium.AuditOfficeMSP+", whose approval is required")
	}
	if len(approvers) < approvalsNeeded() {
		return nil, foundation.Conflict(TypeReversal, r.ReversalID, fmt.Sprintf(
			"has %d approvals; it needs %d, a majority of the %d organisations of %s",
			len(approvers), approvalsNeeded(), len(consortium.ChannelMembers(consortium.FinanceChannel)), consortium.FinanceChannel))
	}
	if err := takeBack(tx, r); err != nil {
		return nil, err
	}
	entryKey, err := reversedKeys.Key(r.RecordType, r.RecordID)
	if err != nil {
		return nil, err
	}
	entry := &ReversalEntry{
		ReversalID: r.ReversalID,
		RecordType: r.RecordType,
		RecordID:   r.RecordID,
		Amount:     r.Amount,
		Currency:   r.Currency,
		ApprovedBy: approvers,
		ExecutedAt: tx.Time,
		ExecutedBy: tx.Caller.ID,
	}
	if err := tx.Put(entryKey, entry); err != nil {
		return nil, err
	}
	return entry, tx.Emit(EventReversalExecuted)
}

// requireExecutable refuses a reversal that was executed, or whose entry
// another executed reversal has reversed.
func requireExecutable(tx *foundation.Tx, r *Reversal) error {
	done, _, err := reversalEntryOf(tx, r.RecordType, r.RecordID)
	if err != nil || done == nil {
		return err
	}
	if done.ReversalID == r.ReversalID {
		return foundation.Conflict(TypeReversal, r.ReversalID, "was already executed")
	}
	return foundation.Conflict(TypeReversal, r.ReversalID, fmt.Sprintf("is superseded: %s %q was reversed by %s", r.RecordType, r.RecordID, done.ReversalID))
}

// takeBack removes a reversed entry's amount from the running totals.
func takeBack(tx *foundation.Tx, r *Reversal) error {
	switch r.RecordType {
	case TypeDisbursement:
		d, loc, _, err := findPayment(tx, r.RecordID)
		if err != nil {
			return err
		}
		allocation, err := getAllocation(tx, d.AllocationID)
		if err != nil {
			return err
		}
		spending, key, err := getSpending(tx, allocation)
		if err != nil {
			return err
		}
		return giveBack(tx, spending, key, loc, d)
	case TypeAllocation:
		allocation, err := getAllocation(tx, r.RecordID)
		if err != nil {
			return err
		}
		spending, spendingKey, err := getSpending(tx, allocation)
		if err != nil {
			return err
		}
		spent, err := spentOf(tx, spending)
		if err != nil {
			return err
		}
		if spent > 0 {
			return foundation.Conflict(TypeAllocation, allocation.AllocationID, fmt.Sprintf(
				"has %s disbursed against it; reverse its disbursements first", formatAmount(spent, spending.Currency)))
		}
		if spending.Layout > 0 {
			// its tranches paid nothing: a layout of no tranches
			if err := respread(tx, spending, 0); err != nil {
				return err
			}
		}
		appropriation, err := getAppropriation(tx, allocation.AppropriationID)
		if err != nil {
			return err
		}
		budget, budgetKey, err := getBudget(tx, appropriation)
		if err != nil {
			return err
		}
		if budget.Allocated < allocation.Amount {
			return fmt.Errorf("appropriation %q: allocated %d is less than allocation %q of %d", budget.AppropriationID, budget.Allocated, allocation.AllocationID, allocation.Amount)
		}
		spending.Allocated, spending.ReversedBy = 0, r.ReversalID
		budget.Allocated -= allocation.Amount
		if err := tx.Put(spendingKey, spending); err != nil {
			return err
		}
		return tx.Put(budgetKey, budget)
	case TypeAppropriation:
		appropriation, err := getAppropriation(tx, r.RecordID)
		if err != nil {
			return err
		}
		budget, key, err := getBudget(tx, appropriation)
		if err != nil {
			return err
		}
		if budget.Allocated > 0 {
			return foundation.Conflict(TypeAppropriation, appropriation.AppropriationID, fmt.Sprintf(
				"has %s allocated from it; reverse its allocations first", formatAmount(budget.Allocated, budget.Currency)))
		}
		budget.Appropriated, budget.ReversedBy = 0, r.ReversalID
		return tx.Put(key, budget)
	default:
		return fmt.Errorf("reversal %q: entries of type %q cannot be reversed", r.ReversalID, r.RecordType)
	}
}

// approvalsOf reads every approval of a reversal, in MSP ID order. In a
// write transaction the range is re-checked at validation, so an approval
// committed meanwhile invalidates the execution rather than slipping past.
func approvalsOf(tx *foundation.Tx, reversalID string) ([]Approval, error) {
	approvals := []Approval{}
	err := foundation.ScanEach(tx, approvalKeys, []string{reversalID}, func(a *Approval) { approvals = append(approvals, *a) })
	if err != nil {
		return nil, err
	}
	return approvals, nil
}

// GetReversal returns a reversal proposal with its approvals, its status
// and, once executed, its reversal entry.
//
// Access: any identity of the finance-ledger channel's members.
// Reads: fin.reversal/reversalId, its fin.approval range, the entry's
// fin.reversed.
// Errors: ErrNotFound for an unknown reversal ID.
func (c *Contract) GetReversal(ctx contractapi.TransactionContextInterface, reversalID string) (*ReversalStatus, error) {
	tx, err := foundation.Begin(ctx, foundation.Allow("GetReversal", channelMembers()))
	if err != nil {
		return nil, err
	}
	if err := foundation.Arguments(func(v *foundation.Fields) { v.Identifier("reversalId", reversalID) }); err != nil {
		return nil, err
	}
	r, err := getReversal(tx, reversalID)
	if err != nil {
		return nil, err
	}
	done, _, err := reversalEntryOf(tx, r.RecordType, r.RecordID)
	if err != nil {
		return nil, err
	}
	return reversalStatus(tx, r, done)
}

// ListReversals returns one page of the reversals proposed for a record, in
// reversal ID order, each with its approvals and status.
//
// Access: any identity of the finance-ledger channel's members.
// Arguments: recordType (appropriation, allocation, disbursement or
// reversal), recordId, pageSize (0 for the default, capped at 100), the
// bookmark of the previous page ("" for the first).
// Reads: the record, its fin.reversed, one page of
// fin.reversalOf/recordType/recordId/..., and per reversal its proposal
// and approvals.
// Errors: ErrNotFound for an unknown record.
func (c *Contract) ListReversals(ctx contractapi.TransactionContextInterface, recordType, recordID string, pageSize int32, bookmark string) (*ReversalPage, error) {
	tx, err := beginRecordQuery(ctx, "ListReversals", recordType, recordID)
	if err != nil {
		return nil, err
	}
	links, info, err := foundation.List[reversalLink](tx, reversalOfKeys, []string{recordType, recordID}, pageSize, bookmark)
	if err != nil {
		return nil, err
	}
	done, _, err := reversalEntryOf(tx, recordType, recordID)
	if err != nil {
		return nil, err
	}
	page := &ReversalPage{Reversals: make([]ReversalStatus, 0, len(links)), PageInfo: info}
	for _, link := range links {
		r, err := getReversal(tx, link.ReversalID)
		if err != nil {
			return nil, fmt.Errorf("reversal listed for %s %q: %w", recordType, recordID, err)
		}
		status, err := reversalStatus(tx, r, done)
		if err != nil {
			return nil, err
		}
		page.Reversals = append(page.Reversals, *status)
	}
	return page, nil
}

// reversalStatus assembles a proposal's approvals and status; done is the
// reversal entry of the proposal's record, if any.
func reversalStatus(tx *foundation.Tx, r *Reversal, done *ReversalEntry) (*ReversalStatus, error) {
	approvals, err := approvalsOf(tx, r.ReversalID)
	if err != nil {
		return nil, err
	}
	s := &ReversalStatus{Reversal: *r, Approvals: approvals, ApprovalsNeeded: approvalsNeeded(), Status: ReversalProposed}
	switch {
	case done != nil && done.ReversalID == r.ReversalID:
		s.Status, s.Execution = ReversalExecuted, done
	case done != nil:
		s.Status = ReversalSuperseded
	case len(approvals) >= s.ApprovalsNeeded && slices.ContainsFunc(approvals, func(a Approval) bool { return a.MSPID == consortium.AuditOfficeMSP }):
		s.Status = ReversalApproved
	}
	return s, nil
}
