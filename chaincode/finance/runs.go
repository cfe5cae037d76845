package finance

import (
	"fmt"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/govshare/govshare/chaincode/foundation"
)

// runAllocation is one allocation a payment run pays from: the payments
// against it, in run order, and what the run reads of it.
type runAllocation struct {
	id       string
	payments []int
	total    int64
	found    bool
	entry    Allocation
	balance  AllocationBalance
	key      foundation.Key
}

// DisburseRun records a payment run: up to MaxRunPayments payments against
// any of the caller's agency's allocations, in one transaction, all or
// none. Each payment becomes an ordinary disbursement, with its locator,
// exactly as Disburse writes it; TraceDisbursement, TraceAllocation, the
// spending summary and reversals treat it like any other.
//
// Access: role "accountant" of EduMinistryMSP or InternetCourtMSP, whose
// organisation is the agency of every allocation the run pays from
// (ErrAccessDenied otherwise).
// Request: DisburseRunRequest {"payments": [DisburseRequest, ...]}, 1 to
// MaxRunPayments payments with distinct disbursement IDs, at most
// MaxRunBytes.
// Reads: in one request every allocation the run names and every
// payment's fin.payment locator; then in one request every such
// allocation's fin.spending; for a split allocation, the tranches the
// run's payments draw from, starting at the home tranche of its first
// payment.
// Rules: per payment, in run order, those of Disburse: the allocation
// exists (ErrNotFound), the caller's agency is its agency
// (ErrAccessDenied), the currency is its (ErrInvalidInput), the
// disbursement ID is not used (ErrAlreadyExists); per allocation, checked
// once for the run: it is not reversed, and the run's payments against it
// never exceed what is left of it (ErrConflict, naming the first payment
// that would). A refusal names the payment by its place in the run and
// its ID: `payments[17] (EDU-PAY-0017): ...`.
// Writes: per payment, in run order, fin.payment/disbursementId and
// fin.disbursement/allocationId/disbursementId; per allocation, once, its
// fin.spending or the tranches drawn from.
// Event: PaymentRunRecorded, naming every key written.
//
// Payments against one allocation in one run read and write its balance
// once, so a run of 200 costs the ledger one balance check instead of 200
// transactions that would conflict with each other on it.
func (c *Contract) DisburseRun(ctx contractapi.TransactionContextInterface, request string) (*PaymentRun, error) {
	var req DisburseRunRequest
	tx, err := foundation.BeginRequest(ctx, foundation.Allow("DisburseRun", accountants()), request, &req)
	if err != nil {
		return nil, err
	}
	payments := req.Payments
	refuse := func(i int, err error) error {
		return fmt.Errorf("payments[%d] (%s): %w", i, payments[i].DisbursementID, err)
	}

	// The allocations, in the order the run first names them, and every
	// payment's locator: one read.
	var allocations []*runAllocation
	byID := map[string]*runAllocation{}
	of := make([]*runAllocation, len(payments))
	for i, p := range payments {
		a, ok := byID[p.AllocationID]
		if !ok {
			a = &runAllocation{id: p.AllocationID}
			byID[a.id] = a
			allocations = append(allocations, a)
		}
		a.payments = append(a.payments, i)
		a.total += p.Amount // at most MaxRunPayments * MaxAmount: no overflow
		of[i] = a
	}
	keys := make([]foundation.Key, 0, len(allocations)+len(payments))
	records := make([]any, 0, cap(keys))
	for _, a := range allocations {
		key, err := allocationKeys.Key(a.id)
		if err != nil {
			return nil, err
		}
		keys, records = append(keys, key), append(records, &a.entry)
	}
	locatorKeys := make([]foundation.Key, len(payments))
	locators := make([]paymentLocator, len(payments))
	for i, p := range payments {
		if locatorKeys[i], err = paymentKeys.Key(p.DisbursementID); err != nil {
			return nil, err
		}
		keys, records = append(keys, locatorKeys[i]), append(records, &locators[i])
	}
	found, err := tx.GetAll(keys, records...)
	if err != nil {
		return nil, err
	}
	for k, a := range allocations {
		a.found = found[k]
	}
	for i := range payments {
		a := of[i]
		if !a.found {
			return nil, refuse(i, foundation.NotFound(TypeAllocation, a.id))
		}
		if err := requirePayable(tx, &payments[i], &a.entry, found[len(allocations)+i], &locators[i]); err != nil {
			return nil, refuse(i, err)
		}
	}

	// Every allocation's running totals: one read.
	keys, records = keys[:0], records[:0]
	for _, a := range allocations {
		if a.key, err = spendingKeys.Key(yearAttribute(a.entry.FiscalYear), a.entry.AppropriationID, a.id); err != nil {
			return nil, err
		}
		keys, records = append(keys, a.key), append(records, &a.balance)
	}
	if found, err = tx.GetAll(keys, records...); err != nil {
		return nil, err
	}
	purses := make([]*purse, len(allocations))
	for k, a := range allocations {
		if !found[k] {
			return nil, fmt.Errorf("%s %q has no running totals", TypeAllocation, a.id)
		}
		if err := requireOpen(&a.balance); err != nil {
			return nil, refuse(a.payments[0], err)
		}
		p := newPurse(tx, &a.balance, a.key)
		p.startAt(payments[a.payments[0]].DisbursementID)
		if err := p.expect(a.total); err != nil {
			return nil, err
		}
		for n, i := range a.payments {
			draws, err := p.take(payments[i].Amount)
			if err != nil {
				after := ""
				switch {
				case n == 1:
					after = " after the run's earlier payment against it"
				case n > 1:
					after = fmt.Sprintf(" after the run's %d earlier payments against it", n)
				}
				return nil, refuse(i, overspent(err, &a.balance, payments[i].Amount, after))
			}
			locators[i] = p.locator(draws)
		}
		purses[k] = p
	}

	run := &PaymentRun{Payments: len(payments), Allocations: make([]RunAllocation, len(allocations)),
		RecordedAt: tx.Time, RecordedBy: tx.Caller.ID}
	for k, a := range allocations {
		run.Allocations[k] = RunAllocation{AllocationID: a.id, Currency: a.entry.Currency, Payments: len(a.payments), Amount: a.total}
	}
	for i := range payments {
		d, err := newDisbursement(tx, &payments[i], &of[i].entry)
		if err != nil {
			return nil, err
		}
		if err := putDisbursement(tx, d, locatorKeys[i], locators[i]); err != nil {
			return nil, err
		}
	}
	for _, p := range purses {
		if err := p.flush(); err != nil {
			return nil, err
		}
	}
	return run, tx.Emit(EventPaymentRunRecorded)
}
