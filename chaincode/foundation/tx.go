package foundation

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
)

// Tx is one invocation of a transaction function: who called it, when, and
// the reads and writes it makes. A transaction function starts with Begin,
// reads and writes through the Tx, and — if it wrote anything — ends with
// Emit, which publishes the transaction's single chaincode event listing
// every change.
//
// A Tx is used by one goroutine for one transaction and then dropped; it
// holds no state beyond the transaction.
type Tx struct {
	// Function is the transaction function, as named in its Rule.
	Function string
	// Caller is the submitting identity, admitted by the function's Rule.
	Caller Caller
	// ID is the transaction ID.
	ID string
	// Time is the transaction timestamp (set by the client in the proposal
	// and identical on every endorser), in UTC. Contracts use it for every
	// time they record; they never read the local clock.
	Time time.Time

	stub    shim.ChaincodeStubInterface
	found   map[string]bool // key -> whether Get found it; tells Put create from update
	changes []Change
	emitted bool
}

// Begin checks rule against the caller and starts the transaction. A refused
// caller gets an *AccessError and the function must return it without
// reading or writing anything else.
func Begin(ctx contractapi.TransactionContextInterface, rule Rule) (*Tx, error) {
	caller, err := rule.Check(ctx)
	if err != nil {
		return nil, err
	}
	stub := ctx.GetStub()
	ts, err := stub.GetTxTimestamp()
	if err != nil {
		return nil, fmt.Errorf("%s: read transaction timestamp: %w", rule.function, err)
	}
	if ts == nil || ts.CheckValid() != nil {
		return nil, fmt.Errorf("%s: transaction has no valid timestamp", rule.function)
	}
	// Writes (values, key-level policies, private data) go to the peer in
	// one message when the function returns, instead of one round trip
	// each; the peer builds the same read/write set either way (it sorts
	// keys). A peer that does not offer write batches gets them one by one.
	// A write the peer refuses (an unknown collection, say) then fails the
	// transaction when the batch is sent, after the function returned.
	stub.StartWriteBatch()
	return &Tx{
		Function: rule.function,
		Caller:   caller,
		ID:       stub.GetTxID(),
		Time:     ts.AsTime().UTC(),
		stub:     stub,
		found:    map[string]bool{},
	}, nil
}

// BeginRequest starts a write function: it checks rule like Begin, then
// decodes and validates the function's JSON request into req like
// DecodeRequest. A refused caller learns nothing about its request.
func BeginRequest(ctx contractapi.TransactionContextInterface, rule Rule, request string, req Request) (*Tx, error) {
	tx, err := Begin(ctx, rule)
	if err != nil {
		return nil, err
	}
	if err := DecodeRequest(request, req); err != nil {
		return nil, err
	}
	return tx, nil
}

// Stub returns the chaincode stub, for calls the Tx does not wrap.
func (tx *Tx) Stub() shim.ChaincodeStubInterface { return tx.stub }

// Deny returns an *AccessError for a caller the function's Rule admits but
// the record or the ledger state does not (for example a university that is
// not accredited, or that did not issue the record). required says what
// would have been needed.
func (tx *Tx) Deny(required string) error {
	return &AccessError{Function: tx.Function, MSPID: tx.Caller.MSPID, Role: tx.Caller.Role, Required: required}
}

// Get reads the committed value of key into record and reports whether the
// key exists. Like GetState it does not see writes of this transaction.
func (tx *Tx) Get(key Key, record any) (bool, error) {
	value, err := tx.stub.GetState(key.String())
	if err != nil {
		return false, fmt.Errorf("read %s: %w", describeKey(key), err)
	}
	tx.found[key.String()] = value != nil
	if value == nil {
		return false, nil
	}
	if err := json.Unmarshal(value, record); err != nil {
		return false, fmt.Errorf("decode %s: %w", describeKey(key), err)
	}
	return true, nil
}

// Find reads the committed record under key into a new T. A missing record
// is a *RecordError wrapping ErrNotFound that names it as kind id:
// Find[Case](tx, key, "case", "C-1") fails with `case "C-1" not found`.
func Find[T any](tx *Tx, key Key, kind, id string) (*T, error) {
	record := new(T)
	found, err := tx.Get(key, record)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, NotFound(kind, id)
	}
	return record, nil
}

// GetAll reads the committed values of several keys in one request to the
// peer (GetMultipleStates) instead of one round trip each: records[i]
// receives the value of keys[i], and found[i] says whether it exists. Like
// Get it does not see writes of this transaction.
func (tx *Tx) GetAll(keys []Key, records ...any) (found []bool, err error) {
	if len(keys) != len(records) {
		return nil, fmt.Errorf("read %d keys into %d records", len(keys), len(records))
	}
	if len(keys) == 0 {
		return nil, nil
	}
	names := make([]string, len(keys))
	for i, key := range keys {
		names[i] = key.String()
	}
	values, err := tx.stub.GetMultipleStates(names...)
	if err != nil {
		return nil, fmt.Errorf("read %d keys from %s: %w", len(keys), describeKey(keys[0]), err)
	}
	if len(values) != len(keys) {
		return nil, fmt.Errorf("read %d keys: the peer returned %d values", len(keys), len(values))
	}
	found = make([]bool, len(keys))
	for i, value := range values {
		tx.found[names[i]] = value != nil
		if value == nil {
			continue
		}
		if err := json.Unmarshal(value, records[i]); err != nil {
			return nil, fmt.Errorf("decode %s: %w", describeKey(keys[i]), err)
		}
		found[i] = true
	}
	return found, nil
}

// Put writes record as JSON under key and adds the write to the
// transaction's event. The change is a "create" or an "update" if this
// transaction read the key with Get first, a "put" otherwise.
//
// JSON is deterministic as long as records are structs (fields are written
// in declaration order); records must not contain maps.
func (tx *Tx) Put(key Key, record any) error {
	value, err := json.Marshal(record)
	if err != nil {
		return fmt.Errorf("encode %s: %w", describeKey(key), err)
	}
	if err := tx.stub.PutState(key.String(), value); err != nil {
		return fmt.Errorf("write %s: %w", describeKey(key), err)
	}
	op := OpPut
	if found, read := tx.found[key.String()]; read {
		op = OpCreate
		if found {
			op = OpUpdate
		}
	}
	tx.changes = append(tx.changes, Change{Op: op, ObjectType: key.ObjectType, Attributes: key.Attributes})
	return nil
}

// Delete deletes key and adds the deletion to the transaction's event.
func (tx *Tx) Delete(key Key) error {
	if err := tx.stub.DelState(key.String()); err != nil {
		return fmt.Errorf("delete %s: %w", describeKey(key), err)
	}
	tx.changes = append(tx.changes, Change{Op: OpDelete, ObjectType: key.ObjectType, Attributes: key.Attributes})
	return nil
}

// GetPrivate reads the committed value of key in a private data collection
// into record and reports whether it exists. The peer refuses the read if
// the caller's organisation is not a member of a member-only-read
// collection.
func (tx *Tx) GetPrivate(collection string, key Key, record any) (bool, error) {
	value, err := tx.stub.GetPrivateData(collection, key.String())
	if err != nil {
		return false, fmt.Errorf("read %s in collection %s: %w", describeKey(key), collection, err)
	}
	if value == nil {
		return false, nil
	}
	if err := json.Unmarshal(value, record); err != nil {
		return false, fmt.Errorf("decode %s in collection %s: %w", describeKey(key), collection, err)
	}
	return true, nil
}

// PutPrivate writes record as JSON under key in a private data collection,
// unless the collection already holds exactly these bytes. It compares
// hashes (GetPrivateDataHash), which every peer of the channel can read, so
// the transaction can be endorsed by peers that are not collection members.
// It reports whether it wrote. The change is listed in the event without
// its value: events are public.
func (tx *Tx) PutPrivate(collection string, key Key, record any) (bool, error) {
	value, err := json.Marshal(record)
	if err != nil {
		return false, fmt.Errorf("encode %s: %w", describeKey(key), err)
	}
	existing, err := tx.stub.GetPrivateDataHash(collection, key.String())
	if err != nil {
		return false, fmt.Errorf("read hash of %s in collection %s: %w", describeKey(key), collection, err)
	}
	sum := sha256.Sum256(value)
	if bytes.Equal(existing, sum[:]) {
		return false, nil
	}
	if err := tx.stub.PutPrivateData(collection, key.String(), value); err != nil {
		return false, fmt.Errorf("write %s in collection %s: %w", describeKey(key), collection, err)
	}
	op := OpCreate
	if existing != nil {
		op = OpUpdate
	}
	tx.changes = append(tx.changes, Change{Op: op, Collection: collection, ObjectType: key.ObjectType, Attributes: key.Attributes})
	return true, nil
}

// Transient decodes the transient data entry name into req and validates it,
// with the same strictness as DecodeRequest and a limit of
// MaxTransientBytes. A missing entry is an *InputError. Transient data is
// not part of the transaction written to the ledger, which makes it the
// channel for personal data bound for a private collection.
func (tx *Tx) Transient(name string, req Request) error {
	input := fmt.Sprintf("transient %q", name)
	entries, err := tx.stub.GetTransient()
	if err != nil {
		return fmt.Errorf("read transient data: %w", err)
	}
	raw, ok := entries[name]
	if !ok || len(raw) == 0 {
		return &InputError{Input: input, Fields: []FieldError{{Field: name, Problem: "required as transient data"}}}
	}
	return decodeStrict(input, raw, MaxTransientBytes, req)
}

// Emit publishes the transaction's chaincode event: name, the function, the
// caller, the transaction ID and time, and every change made through the Tx.
// Fabric keeps one event per transaction, so a transaction function emits
// once, after its last write; a second call is an error.
func (tx *Tx) Emit(name string) error {
	if tx.emitted {
		return fmt.Errorf("%s: event already emitted for transaction %s", tx.Function, tx.ID)
	}
	if name == "" {
		return errors.New("emit: event name is empty")
	}
	changes := tx.changes
	if changes == nil {
		changes = []Change{}
	}
	payload, err := json.Marshal(Event{
		Name:      name,
		Function:  tx.Function,
		TxID:      tx.ID,
		Timestamp: tx.Time,
		Caller:    tx.Caller,
		Changes:   changes,
	})
	if err != nil {
		return fmt.Errorf("encode event %s: %w", name, err)
	}
	if err := tx.stub.SetEvent(name, payload); err != nil {
		return fmt.Errorf("set event %s: %w", name, err)
	}
	tx.emitted = true
	return nil
}

// Changes returns the changes made through the Tx so far.
func (tx *Tx) Changes() []Change { return slices.Clone(tx.changes) }

func describeKey(key Key) string {
	return fmt.Sprintf("%s %q", key.ObjectType, key.Attributes)
}
