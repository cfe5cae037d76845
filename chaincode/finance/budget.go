package finance

import (
	"errors"
	"fmt"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/govshare/govshare/chaincode/foundation"
)

// Appropriate records an appropriation: a budget line of a fiscal year.
//
// Access: role "budget-officer" of FinanceBureauMSP.
// Request: AppropriateRequest {"appropriationId", "fiscalYear", "title",
// "administrativeCode", "functionalCode", "economicCode", "amount",
// "currency"}.
// Reads: fin.appropriation/appropriationId.
// Rule: an appropriation ID is used once (ErrAlreadyExists).
// Writes: fin.appropriation/appropriationId (the entry, owner = the
// caller's MSP, recorded at the transaction time) and
// fin.budget/fiscalYear/appropriationId (running totals: appropriated =
// amount, allocated = 0).
// Event: AppropriationRecorded.
func (c *Contract) Appropriate(ctx contractapi.TransactionContextInterface, request string) (*Appropriation, error) {
	var req AppropriateRequest
	tx, err := foundation.BeginRequest(ctx, foundation.Allow("Appropriate", budgetOfficers()), request, &req)
	if err != nil {
		return nil, err
	}
	key, err := appropriationKeys.Key(req.AppropriationID)
	if err != nil {
		return nil, err
	}
	if err := requireAbsent(tx, key, TypeAppropriation, req.AppropriationID, func(a *Appropriation) string {
		return recordedOn(a.Owner, a.RecordedAt)
	}); err != nil {
		return nil, err
	}
	a := &Appropriation{
		AppropriationID: req.AppropriationID,
		FiscalYear:      req.FiscalYear,
		Title:           req.Title,
		Classification: Classification{
			Administrative: req.AdministrativeCode,
			Functional:     req.FunctionalCode,
			Economic:       req.EconomicCode,
		},
		Amount:     req.Amount,
		Currency:   req.Currency,
		Owner:      tx.Caller.MSPID,
		RecordedAt: tx.Time,
		RecordedBy: tx.Caller.ID,
	}
	budgetKey, err := budgetKeys.Key(yearAttribute(a.FiscalYear), a.AppropriationID)
	if err != nil {
		return nil, err
	}
	if err := tx.Put(key, a); err != nil {
		return nil, err
	}
	if err := tx.Put(budgetKey, &AppropriationBalance{
		AppropriationID: a.AppropriationID,
		FiscalYear:      a.FiscalYear,
		Classification:  a.Classification,
		Currency:        a.Currency,
		Appropriated:    a.Amount,
	}); err != nil {
		return nil, err
	}
	return a, tx.Emit(EventAppropriationRecorded)
}

// Allocate assigns part of an appropriation to a spending agency.
//
// Access: role "budget-officer" of FinanceBureauMSP.
// Request: AllocateRequest {"allocationId", "appropriationId", "agency",
// "purpose", "amount", "currency"}; agency is EduMinistryMSP or
// InternetCourtMSP.
// Reads: fin.allocation/allocationId, fin.appropriation/appropriationId,
// the appropriation's fin.budget.
// Rules: an allocation ID is used once (ErrAlreadyExists); the
// appropriation exists (ErrNotFound) and is not reversed (ErrConflict);
// the currency is the appropriation's (ErrInvalidInput); the
// appropriation's allocations never exceed it: allocated + amount <=
// appropriated (ErrConflict).
// Writes: fin.allocation/allocationId (the entry, with the
// appropriation's fiscal year and classification),
// fin.spending/fiscalYear/appropriationId/allocationId (running totals:
// allocated = amount, spent = 0) and the appropriation's fin.budget
// (allocated += amount).
// Event: AllocationRecorded.
//
// Two allocations from the same appropriation write the same fin.budget
// key, so concurrent ones are serialised by MVCC: the invariant needs it.
func (c *Contract) Allocate(ctx contractapi.TransactionContextInterface, request string) (*Allocation, error) {
	var req AllocateRequest
	tx, err := foundation.BeginRequest(ctx, foundation.Allow("Allocate", budgetOfficers()), request, &req)
	if err != nil {
		return nil, err
	}
	key, err := allocationKeys.Key(req.AllocationID)
	if err != nil {
		return nil, err
	}
	if err := requireAbsent(tx, key, TypeAllocation, req.AllocationID, func(a *Allocation) string {
		return recordedOn(a.Owner, a.RecordedAt)
	}); err != nil {
		return nil, err
	}
	appropriation, err := getAppropriation(tx, req.AppropriationID)
	if err != nil {
		return nil, err
	}
	if err := requireCurrency(req.Currency, appropriation.Currency, TypeAppropriation, appropriation.AppropriationID); err != nil {
		return nil, err
	}
	budget, budgetKey, err := getBudget(tx, appropriation)
	if err != nil {
		return nil, err
	}
	if budget.ReversedBy != "" {
		return nil, foundation.Conflict(TypeAppropriation, budget.AppropriationID, "was reversed by "+budget.ReversedBy+"; nothing can be allocated from it")
	}
	if unallocated := budget.Appropriated - budget.Allocated; req.Amount > unallocated {
		return nil, foundation.Conflict(TypeAppropriation, budget.AppropriationID, fmt.Sprintf(
			"has %s unallocated; an allocation of %s would exceed it",
			formatAmount(unallocated, budget.Currency), formatAmount(req.Amount, req.Currency)))
	}
	a := &Allocation{
		AllocationID:    req.AllocationID,
		AppropriationID: appropriation.AppropriationID,
		FiscalYear:      appropriation.FiscalYear,
		Agency:          req.Agency,
		Purpose:         req.Purpose,
		Classification:  appropriation.Classification,
		Amount:          req.Amount,
		Currency:        req.Currency,
		Owner:           tx.Caller.MSPID,
		RecordedAt:      tx.Time,
		RecordedBy:      tx.Caller.ID,
	}
	spendingKey, err := spendingKeys.Key(yearAttribute(a.FiscalYear), a.AppropriationID, a.AllocationID)
	if err != nil {
		return nil, err
	}
	budget.Allocated += a.Amount
	if err := tx.Put(key, a); err != nil {
		return nil, err
	}
	if err := tx.Put(spendingKey, &AllocationBalance{
		AllocationID:    a.AllocationID,
		AppropriationID: a.AppropriationID,
		FiscalYear:      a.FiscalYear,
		Agency:          a.Agency,
		Classification:  a.Classification,
		Currency:        a.Currency,
		Allocated:       a.Amount,
	}); err != nil {
		return nil, err
	}
	if err := tx.Put(budgetKey, budget); err != nil {
		return nil, err
	}
	return a, tx.Emit(EventAllocationRecorded)
}

// Disburse records a payment a spending agency makes against one of its
// allocations.
//
// Access: role "accountant" of EduMinistryMSP or InternetCourtMSP, whose
// organisation is the allocation's agency (ErrAccessDenied otherwise).
// Request: DisburseRequest {"disbursementId", "allocationId", "payee":
// {"name", "registrationNumber"}, "purpose", "procurementReference",
// "invoiceHash", "amount", "currency", "transactionType"}; transactionType
// is commitment, disbursement or expenditure (IATI codes 2, 3, 4).
// Reads: fin.allocation/allocationId, fin.payment/disbursementId, the
// allocation's fin.spending and, if the allocation is split, the tranche
// the disbursement ID hashes to (and the next ones if that one cannot pay
// it all; see tranches.go). Not the appropriation: the allocation carries
// what the disbursement needs from it.
// Rules: the allocation exists (ErrNotFound) and is not reversed
// (ErrConflict); the currency is the allocation's (ErrInvalidInput); a
// disbursement ID is used once (ErrAlreadyExists); the allocation's
// disbursements never exceed it: spent + amount <= allocated, over the
// balance and all its tranches (ErrConflict).
// Writes: fin.payment/disbursementId (locator, with the tranches' parts),
// fin.disbursement/allocationId/disbursementId (the entry, owner = the
// caller's MSP) and the allocation's fin.spending (spent += amount), or
// for a split allocation the tranches it drew from.
// Event: DisbursementRecorded.
//
// Disbursements against different allocations share no key, so they never
// invalidate each other (see the key schema); against one split
// allocation, only those drawing on the same tranche do.
func (c *Contract) Disburse(ctx contractapi.TransactionContextInterface, request string) (*Disbursement, error) {
	var req DisburseRequest
	tx, err := foundation.BeginRequest(ctx, foundation.Allow("Disburse", accountants()), request, &req)
	if err != nil {
		return nil, err
	}
	// the allocation and the disbursement ID's locator are named by the
	// request: one read of both (the running totals' key needs the
	// allocation)
	allocationKey, err := allocationKeys.Key(req.AllocationID)
	if err != nil {
		return nil, err
	}
	locatorKey, err := paymentKeys.Key(req.DisbursementID)
	if err != nil {
		return nil, err
	}
	var (
		allocation Allocation
		loc        paymentLocator
	)
	found, err := tx.GetAll([]foundation.Key{allocationKey, locatorKey}, &allocation, &loc)
	if err != nil {
		return nil, err
	}
	if !found[0] {
		return nil, foundation.NotFound(TypeAllocation, req.AllocationID)
	}
	if err := requirePayable(tx, &req, &allocation, found[1], &loc); err != nil {
		return nil, err
	}
	spending, spendingKey, err := getSpending(tx, &allocation)
	if err != nil {
		return nil, err
	}
	if err := requireOpen(spending); err != nil {
		return nil, err
	}
	p := newPurse(tx, spending, spendingKey)
	p.startAt(req.DisbursementID)
	draws, err := p.take(req.Amount)
	if err != nil {
		return nil, overspent(err, spending, req.Amount, "")
	}
	d, err := newDisbursement(tx, &req, &allocation)
	if err != nil {
		return nil, err
	}
	if err := putDisbursement(tx, d, locatorKey, p.locator(draws)); err != nil {
		return nil, err
	}
	if err := p.flush(); err != nil {
		return nil, err
	}
	return d, tx.Emit(EventDisbursementRecorded)
}

// requirePayable checks the rules of one payment against the allocation
// it names: the caller's agency is the allocation's, the currency is its,
// and the disbursement ID is not used (existing says whether its locator
// exists, loc is the locator).
func requirePayable(tx *foundation.Tx, req *DisburseRequest, allocation *Allocation, existing bool, loc *paymentLocator) error {
	if allocation.Agency != tx.Caller.MSPID {
		return tx.Deny(fmt.Sprintf("the agency of allocation %s (%s)", allocation.AllocationID, allocation.Agency))
	}
	if err := requireCurrency(req.Currency, allocation.Currency, TypeAllocation, allocation.AllocationID); err != nil {
		return err
	}
	if existing {
		return foundation.AlreadyExists(TypeDisbursement, req.DisbursementID, "against allocation "+loc.AllocationID)
	}
	return nil
}

// requireOpen refuses payments against a reversed allocation.
func requireOpen(spending *AllocationBalance) error {
	if spending.ReversedBy != "" {
		return foundation.Conflict(TypeAllocation, spending.AllocationID, "was reversed by "+spending.ReversedBy+"; nothing can be disbursed against it")
	}
	return nil
}

// overspent turns a purse's refusal of amount into the contract's: the
// allocation has less left than the payment. after qualifies what is left
// ("" for a single payment).
func overspent(err error, spending *AllocationBalance, amount int64, after string) error {
	var short *shortfall
	if !errors.As(err, &short) {
		return err
	}
	return foundation.Conflict(TypeAllocation, spending.AllocationID, fmt.Sprintf(
		"has %s remaining%s; a disbursement of %s would exceed it",
		formatAmount(short.left, spending.Currency), after, formatAmount(amount, spending.Currency)))
}

// newDisbursement builds the entry of a payment against allocation,
// recorded by the caller at the transaction's time.
func newDisbursement(tx *foundation.Tx, req *DisburseRequest, allocation *Allocation) (*Disbursement, error) {
	code, err := iatiCode(req.TransactionType)
	if err != nil {
		return nil, err
	}
	return &Disbursement{
		DisbursementID:       req.DisbursementID,
		AllocationID:         allocation.AllocationID,
		AppropriationID:      allocation.AppropriationID,
		FiscalYear:           allocation.FiscalYear,
		Agency:               allocation.Agency,
		Classification:       allocation.Classification,
		Payee:                req.Payee,
		Purpose:              req.Purpose,
		ProcurementReference: req.ProcurementReference,
		InvoiceHash:          req.InvoiceHash,
		Amount:               req.Amount,
		Currency:             req.Currency,
		TransactionType:      req.TransactionType,
		IATICode:             code,
		Owner:                tx.Caller.MSPID,
		RecordedAt:           tx.Time,
		RecordedBy:           tx.Caller.ID,
	}, nil
}

// putDisbursement writes a payment's locator and its entry.
func putDisbursement(tx *foundation.Tx, d *Disbursement, locatorKey foundation.Key, loc paymentLocator) error {
	key, err := disbursementKeys.Key(d.AllocationID, d.DisbursementID)
	if err != nil {
		return err
	}
	if err := tx.Put(locatorKey, loc); err != nil {
		return err
	}
	return tx.Put(key, d)
}

// requireCurrency refuses a request whose currency is not the currency of
// the record it draws on.
func requireCurrency(requested, required, recordType, recordID string) error {
	if requested == required {
		return nil
	}
	return &foundation.InputError{Input: "request", Fields: []foundation.FieldError{{
		Field:   "currency",
		Problem: fmt.Sprintf("must be %s, the currency of %s %q", required, recordType, recordID),
	}}}
}
