package ledgertest

import (
	"fmt"
	"maps"
	"slices"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
)

// Concurrent transactions: endorsement against one committed state, then
// validation in block order, as a committing peer does (Fabric's MVCC).
//
// Submit and Invoke run one transaction at a time, each against the state
// the one before committed, so that they never conflict. A test of what
// happens when transactions run at the same time endorses them first
// (Client.Endorse), each against the state committed when it is endorsed,
// and commits them later, in the order the orderers would have put them in
// blocks (Ledger.CommitBlock). Validation then checks each transaction's
// read set against the state left by the transactions committed before it,
// in earlier blocks and earlier in the same block:
//
//   - every key read (GetState, GetMultipleStates, GetPrivateData,
//     GetPrivateDataHash) must still have the version it had when read, an
//     absent key must still be absent: otherwise MVCC_READ_CONFLICT;
//   - every range of the world state read in full (GetStateByRange,
//     GetStateByPartialCompositeKey) must still hold the same keys with the
//     same versions: otherwise PHANTOM_READ_CONFLICT. (A peer validates a
//     range up to the last key its iterator fetched, which is the whole
//     range for ranges of up to its batch size of results; the in-memory
//     ledger always validates the whole range.)
//
// and then the key-level endorsement policies, as Submit does. A valid
// transaction's writes are applied before the next is validated; an
// invalid one changes nothing.

// Endorsement is a transaction endorsed but not yet committed: its read
// set, its write set and its event, waiting for Ledger.CommitBlock.
type Endorsement struct {
	// TxID is the transaction's ID.
	TxID      string
	stub      *stub
	endorsers []string
}

// rangeRead is a range of the world state a transaction read, with the
// version of each key it found.
type rangeRead struct {
	start, end string
	keys       []string
	versions   []uint64
}

func newRangeRead(st *store, start, end string, keys []string) rangeRead {
	r := rangeRead{start: start, end: end, keys: slices.Clone(keys), versions: make([]uint64, len(keys))}
	for i, k := range keys {
		r.versions[i] = st.versions[k]
	}
	return r
}

// Endorse runs fn as a transaction against the committed state, like
// Submit, but does not commit it: it returns the endorsement for a later
// Ledger.CommitBlock. If fn returns an error the transaction is refused at
// endorsement, as a peer refuses it, and the error is returned with no
// endorsement.
func (c *Client) Endorse(fn func(contractapi.TransactionContextInterface) error) (*Endorsement, error) {
	s := c.l.begin(c, nil)
	if err := fn(newContext(s)); err != nil {
		s.done = true
		return nil, err
	}
	s.done = true
	return &Endorsement{TxID: s.txID, stub: s, endorsers: c.endorsers}, nil
}

// EndorseCall endorses fn like Client.Endorse and returns its result too.
func EndorseCall[T any](c *Client, fn func(contractapi.TransactionContextInterface) (T, error)) (T, *Endorsement, error) {
	var result T
	e, err := c.Endorse(func(ctx contractapi.TransactionContextInterface) error {
		var err error
		result, err = fn(ctx)
		return err
	})
	return result, e, err
}

// CommitBlock validates and commits endorsed transactions as one block, in
// the order given, and returns for each nil if it was valid and applied, or
// the *ValidationError that made it invalid (MVCC_READ_CONFLICT,
// PHANTOM_READ_CONFLICT, ENDORSEMENT_POLICY_FAILURE). An endorsement is
// committed at most once; a second time it is invalid as a
// DUPLICATE_TXID.
func (l *Ledger) CommitBlock(txs ...*Endorsement) []error {
	l.mu.Lock()
	defer l.mu.Unlock()
	errs := make([]error, len(txs))
	for i, e := range txs {
		if e.stub.committed {
			errs[i] = &ValidationError{TxID: e.TxID, Code: peer.TxValidationCode_DUPLICATE_TXID.String(), Detail: "already committed"}
			continue
		}
		if err := l.validateReads(e.stub); err != nil {
			errs[i] = err
			continue
		}
		if e.endorsers != nil {
			if err := l.checkEndorsement(e.stub, e.endorsers); err != nil {
				errs[i] = err
				continue
			}
		}
		e.stub.committed = true
		l.apply(e.stub)
	}
	return errs
}

// validateReads checks a transaction's read set against the committed
// state; l.mu is held.
func (l *Ledger) validateReads(s *stub) error {
	conflict := func(code peer.TxValidationCode, detail string) error {
		return &ValidationError{TxID: s.txID, Code: code.String(), Detail: detail}
	}
	for _, key := range slices.Sorted(maps.Keys(s.reads)) {
		if read, now := s.reads[key], l.public.versions[key]; read != now {
			return conflict(peer.TxValidationCode_MVCC_READ_CONFLICT, fmt.Sprintf("key %q was read at version %d and is now at %d", key, read, now))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(s.privateReads)) {
		data := l.collection[name].data
		for _, key := range slices.Sorted(maps.Keys(s.privateReads[name])) {
			if read, now := s.privateReads[name][key], data.versions[key]; read != now {
				return conflict(peer.TxValidationCode_MVCC_READ_CONFLICT, fmt.Sprintf("private key %q of collection %s was read at version %d and is now at %d", key, name, read, now))
			}
		}
	}
	for _, r := range s.ranges {
		if again := newRangeRead(l.public, r.start, r.end, l.public.rangeKeys(r.start, r.end)); !slices.Equal(again.keys, r.keys) || !slices.Equal(again.versions, r.versions) {
			return conflict(peer.TxValidationCode_PHANTOM_READ_CONFLICT, fmt.Sprintf("range [%q, %q) changed since it was read", r.start, r.end))
		}
	}
	return nil
}
