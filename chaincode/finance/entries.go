package finance

import (
	"fmt"
	"time"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/govshare/govshare/chaincode/foundation"
)

// requireAbsent refuses to create a record under key that exists already.
func requireAbsent[T any](tx *foundation.Tx, key foundation.Key, kind, id string, detail func(*T) string) error {
	existing := new(T)
	found, err := tx.Get(key, existing)
	if err != nil {
		return err
	}
	if found {
		return foundation.AlreadyExists(kind, id, detail(existing))
	}
	return nil
}

// recordedOn says who recorded an entry and when, for error details.
func recordedOn(owner string, at time.Time) string {
	return "recorded by " + owner + " at " + at.Format(time.RFC3339)
}

func getAppropriation(tx *foundation.Tx, id string) (*Appropriation, error) {
	key, err := appropriationKeys.Key(id)
	if err != nil {
		return nil, err
	}
	return foundation.Find[Appropriation](tx, key, TypeAppropriation, id)
}

func getAllocation(tx *foundation.Tx, id string) (*Allocation, error) {
	key, err := allocationKeys.Key(id)
	if err != nil {
		return nil, err
	}
	return foundation.Find[Allocation](tx, key, TypeAllocation, id)
}

func getReversal(tx *foundation.Tx, id string) (*Reversal, error) {
	key, err := reversalKeys.Key(id)
	if err != nil {
		return nil, err
	}
	return foundation.Find[Reversal](tx, key, TypeReversal, id)
}

// findDisbursement reads a disbursement by its ID: the locator, then the
// disbursement under its allocation.
func findDisbursement(tx *foundation.Tx, id string) (*Disbursement, foundation.Key, error) {
	d, _, key, err := findPayment(tx, id)
	return d, key, err
}

// findPayment reads a disbursement by its ID with its locator, which says
// where its amount was drawn from.
func findPayment(tx *foundation.Tx, id string) (*Disbursement, *paymentLocator, foundation.Key, error) {
	locatorKey, err := paymentKeys.Key(id)
	if err != nil {
		return nil, nil, foundation.Key{}, err
	}
	loc, err := foundation.Find[paymentLocator](tx, locatorKey, TypeDisbursement, id)
	if err != nil {
		return nil, nil, foundation.Key{}, err
	}
	key, err := disbursementKeys.Key(loc.AllocationID, id)
	if err != nil {
		return nil, nil, foundation.Key{}, err
	}
	var d Disbursement
	found, err := tx.Get(key, &d)
	if err != nil {
		return nil, nil, foundation.Key{}, err
	}
	if !found {
		return nil, nil, foundation.Key{}, fmt.Errorf("disbursement %q: locator points to allocation %q, which does not hold it", id, loc.AllocationID)
	}
	return &d, loc, key, nil
}

// getBudget reads the running totals of an appropriation.
func getBudget(tx *foundation.Tx, a *Appropriation) (*AppropriationBalance, foundation.Key, error) {
	key, err := budgetKeys.Key(yearAttribute(a.FiscalYear), a.AppropriationID)
	if err != nil {
		return nil, foundation.Key{}, err
	}
	return getBalance[AppropriationBalance](tx, key, TypeAppropriation, a.AppropriationID)
}

// getSpending reads the running totals of an allocation.
func getSpending(tx *foundation.Tx, a *Allocation) (*AllocationBalance, foundation.Key, error) {
	key, err := spendingKeys.Key(yearAttribute(a.FiscalYear), a.AppropriationID, a.AllocationID)
	if err != nil {
		return nil, foundation.Key{}, err
	}
	return getBalance[AllocationBalance](tx, key, TypeAllocation, a.AllocationID)
}

// getBalance reads the running totals under key of the entry kind id.
// Every appropriation and allocation is written with its totals, so a
// missing one is corrupt state, not a caller's error.
func getBalance[T any](tx *foundation.Tx, key foundation.Key, kind, id string) (*T, foundation.Key, error) {
	balance := new(T)
	found, err := tx.Get(key, balance)
	if err != nil {
		return nil, foundation.Key{}, err
	}
	if !found {
		return nil, foundation.Key{}, fmt.Errorf("%s %q has no running totals", kind, id)
	}
	return balance, key, nil
}

// reversalEntryOf reads the reversal entry of a record: nil if the record
// has not been reversed.
func reversalEntryOf(tx *foundation.Tx, recordType, recordID string) (*ReversalEntry, foundation.Key, error) {
	key, err := reversedKeys.Key(recordType, recordID)
	if err != nil {
		return nil, foundation.Key{}, err
	}
	var entry ReversalEntry
	found, err := tx.Get(key, &entry)
	if err != nil || !found {
		return nil, key, err
	}
	return &entry, key, nil
}

// recordRef is what the reversal and finding rules need to know of any
// record: who owns it and what amount it carries.
type recordRef struct {
	Type, ID string
	// Owner is the MSP ID of the organisation that recorded it.
	Owner    string
	Amount   int64
	Currency string
}

func (r recordRef) String() string { return foundation.RecordName(r.Type, r.ID) }

// findRecord reads any record by type and ID. An unknown record is
// ErrNotFound; an unknown type is ErrInvalidInput.
func findRecord(tx *foundation.Tx, recordType, id string) (recordRef, error) {
	ref := recordRef{Type: recordType, ID: id}
	switch recordType {
	case TypeAppropriation:
		a, err := getAppropriation(tx, id)
		if err != nil {
			return ref, err
		}
		ref.Owner, ref.Amount, ref.Currency = a.Owner, a.Amount, a.Currency
	case TypeAllocation:
		a, err := getAllocation(tx, id)
		if err != nil {
			return ref, err
		}
		ref.Owner, ref.Amount, ref.Currency = a.Owner, a.Amount, a.Currency
	case TypeDisbursement:
		d, _, err := findDisbursement(tx, id)
		if err != nil {
			return ref, err
		}
		ref.Owner, ref.Amount, ref.Currency = d.Owner, d.Amount, d.Currency
	case TypeReversal:
		r, err := getReversal(tx, id)
		if err != nil {
			return ref, err
		}
		ref.Owner, ref.Amount, ref.Currency = r.Owner, r.Amount, r.Currency
	default:
		return ref, &foundation.InputError{Input: "request", Fields: []foundation.FieldError{{Field: "recordType", Problem: "must be one of appropriation, allocation, disbursement, reversal"}}}
	}
	return ref, nil
}

// recordArguments validates the (recordType, recordId) arguments of a
// query.
func recordArguments(recordType, recordID string) error {
	return foundation.Arguments(func(v *foundation.Fields) { validateRecordRef(v, recordType, recordID) })
}

// beginRecordQuery starts a query about one record, open to every channel
// member: it checks the arguments and that the record exists.
func beginRecordQuery(ctx contractapi.TransactionContextInterface, function, recordType, recordID string) (*foundation.Tx, error) {
	tx, err := foundation.Begin(ctx, foundation.Allow(function, channelMembers()))
	if err != nil {
		return nil, err
	}
	if err := recordArguments(recordType, recordID); err != nil {
		return nil, err
	}
	if _, err := findRecord(tx, recordType, recordID); err != nil {
		return nil, err
	}
	return tx, nil
}
