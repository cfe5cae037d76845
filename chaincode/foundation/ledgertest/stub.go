package ledgertest

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/queryresult"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// stub is the shim.ChaincodeStubInterface of one transaction.
type stub struct {
	l         *Ledger
	txID      string
	ts        *timestamppb.Timestamp
	mspID     string
	creator   []byte
	transient map[string][]byte
	args      [][]byte

	writes  map[string]*write            // public key -> pending write
	private map[string]map[string]*write // collection -> key -> pending write
	event   *peer.ChaincodeEvent

	// The read set, validated when the transaction is committed in a
	// block (see Ledger.CommitBlock).
	reads        map[string]uint64            // public key -> version read
	privateReads map[string]map[string]uint64 // collection -> key -> version read
	ranges       []rangeRead

	wrote, paginated, privateQueried bool
	done                             bool
	committed                        bool // by Ledger.CommitBlock
}

// write is the pending change of one key: a value, a deletion and/or a new
// endorsement policy.
type write struct {
	value  []byte
	delete bool
	param  []byte
}

var _ shim.ChaincodeStubInterface = (*stub)(nil)

const (
	minUnicodeRune = "\x00"
	maxUnicodeRune = string(utf8.MaxRune)
	// emptyKeySubstitute is where an unbounded range over simple keys
	// starts, past every composite key, as in the shim.
	emptyKeySubstitute = "\x01"
)

func unsupported(method string) error {
	return fmt.Errorf("ledgertest: %s is not supported by the in-memory ledger", method)
}

func (s *stub) errIfDone() error {
	if s.done {
		return fmt.Errorf("ledgertest: transaction %s has finished; a transaction context must not be reused", s.txID)
	}
	return nil
}

// Arguments and proposal.

func (s *stub) GetArgs() [][]byte { return s.args }

func (s *stub) GetStringArgs() []string {
	out := make([]string, len(s.args))
	for i, a := range s.args {
		out[i] = string(a)
	}
	return out
}

func (s *stub) GetFunctionAndParameters() (string, []string) {
	args := s.GetStringArgs()
	if len(args) == 0 {
		return "", []string{}
	}
	return args[0], args[1:]
}

func (s *stub) GetArgsSlice() ([]byte, error) { return bytes.Join(s.args, nil), nil }

func (s *stub) GetTxID() string { return s.txID }

func (s *stub) GetChannelID() string { return s.l.channel }

func (s *stub) GetCreator() ([]byte, error) { return slices.Clone(s.creator), nil }

func (s *stub) GetTxTimestamp() (*timestamppb.Timestamp, error) {
	return timestamppb.New(s.ts.AsTime()), nil
}

func (s *stub) GetDecorations() map[string][]byte { return map[string][]byte{} }

func (s *stub) GetTransient() (map[string][]byte, error) {
	out := make(map[string][]byte, len(s.transient))
	maps.Copy(out, s.transient)
	return out, nil
}

func (s *stub) GetBinding() ([]byte, error) { return nil, unsupported("GetBinding") }

func (s *stub) GetSignedProposal() (*peer.SignedProposal, error) {
	return nil, unsupported("GetSignedProposal")
}

func (s *stub) InvokeChaincode(name string, _ [][]byte, _ string) *peer.Response {
	return &peer.Response{Status: shim.ERROR, Message: unsupported("InvokeChaincode of " + name).Error()}
}

func (s *stub) SetEvent(name string, payload []byte) error {
	if err := s.errIfDone(); err != nil {
		return err
	}
	if name == "" {
		return errors.New("event name can not be empty string")
	}
	s.event = &peer.ChaincodeEvent{ChaincodeId: s.l.chaincode, TxId: s.txID, EventName: name, Payload: slices.Clone(payload)}
	return nil
}

func (s *stub) StartWriteBatch() {}

func (s *stub) FinishWriteBatch() error { return nil }

// Composite keys.

func (s *stub) CreateCompositeKey(objectType string, attributes []string) (string, error) {
	return shim.CreateCompositeKey(objectType, attributes)
}

func (s *stub) SplitCompositeKey(key string) (string, []string, error) {
	if len(key) < 2 || !strings.HasPrefix(key, minUnicodeRune) || !strings.HasSuffix(key, minUnicodeRune) {
		return "", nil, fmt.Errorf("ledgertest: %q is not a composite key", key)
	}
	parts := strings.Split(key[1:len(key)-1], minUnicodeRune)
	return parts[0], parts[1:], nil
}

// World state.

func (s *stub) GetState(key string) ([]byte, error) {
	if err := s.errIfDone(); err != nil {
		return nil, err
	}
	s.l.mu.Lock()
	defer s.l.mu.Unlock()
	recordRead(&s.reads, s.l.public, key)
	return slices.Clone(s.l.public.values[key]), nil
}

// recordRead adds the committed version of key in st to a read set, unless
// the transaction read the key before: like a peer, the read set keeps
// the version of the first read.
func recordRead(reads *map[string]uint64, st *store, key string) {
	if *reads == nil {
		*reads = map[string]uint64{}
	}
	if _, ok := (*reads)[key]; !ok {
		(*reads)[key] = st.versions[key]
	}
}

func (s *stub) GetMultipleStates(keys ...string) ([][]byte, error) {
	return readEach(keys, s.GetState)
}

// readEach reads keys one by one, in order; (nil, nil) for no keys.
func readEach(keys []string, read func(string) ([]byte, error)) ([][]byte, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	out := make([][]byte, len(keys))
	for i, k := range keys {
		v, err := read(k)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// checkWrite applies Fabric's preconditions of a write: a valid key and
// value, and no earlier paginated query or private data query in the
// transaction.
func (s *stub) checkWrite(key string, value []byte, isDelete bool) error {
	if err := s.errIfDone(); err != nil {
		return err
	}
	if key == "" {
		return errors.New("key must not be an empty string")
	}
	if !utf8.ValidString(key) {
		return fmt.Errorf("invalid key %q: not valid UTF-8", key)
	}
	if !isDelete && len(value) == 0 {
		return fmt.Errorf("ledgertest: empty value for key %q: Fabric treats an empty value as a deletion; use DelState", key)
	}
	if s.paginated {
		return fmt.Errorf("txid [%s]: unsuppored transaction. Transaction has already performed a paginated query. Writes are not allowed", s.txID)
	}
	if s.privateQueried {
		return fmt.Errorf("txid [%s]: unsuppored transaction. Transaction has already performed queries on pvt data. Writes are not allowed", s.txID)
	}
	s.wrote = true
	return nil
}

func pending(m map[string]*write, key string) *write {
	w, ok := m[key]
	if !ok {
		w = &write{}
		m[key] = w
	}
	return w
}

func (s *stub) PutState(key string, value []byte) error {
	if err := s.checkWrite(key, value, false); err != nil {
		return err
	}
	w := pending(s.writes, key)
	w.value, w.delete = slices.Clone(value), false
	return nil
}

func (s *stub) DelState(key string) error {
	if err := s.checkWrite(key, nil, true); err != nil {
		return err
	}
	w := pending(s.writes, key)
	w.value, w.delete = nil, true
	return nil
}

func (s *stub) SetStateValidationParameter(key string, ep []byte) error {
	if err := s.checkWrite(key, ep, false); err != nil {
		return err
	}
	pending(s.writes, key).param = slices.Clone(ep)
	return nil
}

func (s *stub) GetStateValidationParameter(key string) ([]byte, error) {
	if err := s.errIfDone(); err != nil {
		return nil, err
	}
	s.l.mu.Lock()
	defer s.l.mu.Unlock()
	return slices.Clone(s.l.public.params[key]), nil
}

func validateSimpleKeys(keys ...string) error {
	for _, k := range keys {
		if strings.HasPrefix(k, minUnicodeRune) {
			return fmt.Errorf("first character of the key [%s] contains a null character which is not allowed", k)
		}
	}
	return nil
}

func (s *stub) GetStateByRange(startKey, endKey string) (shim.StateQueryIteratorInterface, error) {
	if startKey == "" {
		startKey = emptyKeySubstitute
	}
	if err := validateSimpleKeys(startKey, endKey); err != nil {
		return nil, err
	}
	iter, _, err := s.rangeQuery(s.l.public, startKey, endKey, 0, "")
	return iter, err
}

func (s *stub) GetStateByRangeWithPagination(startKey, endKey string, pageSize int32, bookmark string) (shim.StateQueryIteratorInterface, *peer.QueryResponseMetadata, error) {
	if startKey == "" {
		startKey = emptyKeySubstitute
	}
	if err := validateSimpleKeys(startKey, endKey); err != nil {
		return nil, nil, err
	}
	if err := s.beforePaginatedQuery(pageSize); err != nil {
		return nil, nil, err
	}
	return s.rangeQuery(s.l.public, startKey, endKey, pageSize, bookmark)
}

func partialKeyRange(objectType string, attributes []string) (string, string, error) {
	start, err := shim.CreateCompositeKey(objectType, attributes)
	if err != nil {
		return "", "", err
	}
	return start, start + maxUnicodeRune, nil
}

func (s *stub) GetStateByPartialCompositeKey(objectType string, keys []string) (shim.StateQueryIteratorInterface, error) {
	start, end, err := partialKeyRange(objectType, keys)
	if err != nil {
		return nil, err
	}
	iter, _, err := s.rangeQuery(s.l.public, start, end, 0, "")
	return iter, err
}

func (s *stub) GetStateByPartialCompositeKeyWithPagination(objectType string, keys []string, pageSize int32, bookmark string) (shim.StateQueryIteratorInterface, *peer.QueryResponseMetadata, error) {
	start, end, err := partialKeyRange(objectType, keys)
	if err != nil {
		return nil, nil, err
	}
	if err := s.beforePaginatedQuery(pageSize); err != nil {
		return nil, nil, err
	}
	return s.rangeQuery(s.l.public, start, end, pageSize, bookmark)
}

func (s *stub) GetAllStatesCompositeKeyWithPagination(pageSize int32, bookmark string) (shim.StateQueryIteratorInterface, *peer.QueryResponseMetadata, error) {
	if err := s.beforePaginatedQuery(pageSize); err != nil {
		return nil, nil, err
	}
	return s.rangeQuery(s.l.public, minUnicodeRune, minUnicodeRune+maxUnicodeRune, pageSize, bookmark)
}

func (s *stub) beforePaginatedQuery(pageSize int32) error {
	if err := s.errIfDone(); err != nil {
		return err
	}
	if pageSize <= 0 {
		return fmt.Errorf("ledgertest: page size must be positive, got %d", pageSize)
	}
	if s.wrote {
		return fmt.Errorf("txid [%s]: unsuppored transaction. Paginated queries are supported only in a read-only transaction", s.txID)
	}
	s.paginated = true
	return nil
}

// rangeQuery returns the committed keys in [start, end) in key order. With
// pageSize > 0 it returns at most pageSize of them, starting at bookmark
// when set (as the peer does, without checking it), and metadata whose
// bookmark is the next key of the range, or "" after the last page.
func (s *stub) rangeQuery(st *store, start, end string, pageSize int32, bookmark string) (shim.StateQueryIteratorInterface, *peer.QueryResponseMetadata, error) {
	if err := s.errIfDone(); err != nil {
		return nil, nil, err
	}
	if bookmark != "" {
		start = bookmark
	}
	s.l.mu.Lock()
	defer s.l.mu.Unlock()
	keys := st.rangeKeys(start, end)
	next := ""
	if pageSize > 0 && len(keys) > int(pageSize) {
		next = keys[pageSize]
		keys = keys[:pageSize]
	}
	kvs := make([]*queryresult.KV, len(keys))
	for i, k := range keys {
		kvs[i] = &queryresult.KV{Namespace: s.l.chaincode, Key: k, Value: slices.Clone(st.values[k])}
	}
	if st == s.l.public && pageSize == 0 {
		s.ranges = append(s.ranges, newRangeRead(st, start, end, keys))
	}
	var meta *peer.QueryResponseMetadata
	if pageSize > 0 {
		meta = &peer.QueryResponseMetadata{FetchedRecordsCount: int32(len(kvs)), Bookmark: next}
	}
	return &sliceIterator[*queryresult.KV]{items: kvs}, meta, nil
}

func (s *stub) GetQueryResult(string) (shim.StateQueryIteratorInterface, error) {
	return nil, unsupported("GetQueryResult (rich queries need CouchDB; the govshare network uses LevelDB)")
}

func (s *stub) GetQueryResultWithPagination(string, int32, string) (shim.StateQueryIteratorInterface, *peer.QueryResponseMetadata, error) {
	return nil, nil, unsupported("GetQueryResultWithPagination (rich queries need CouchDB; the govshare network uses LevelDB)")
}

func (s *stub) GetHistoryForKey(key string) (shim.HistoryQueryIteratorInterface, error) {
	if err := s.errIfDone(); err != nil {
		return nil, err
	}
	s.l.mu.Lock()
	defer s.l.mu.Unlock()
	mods := s.l.history[key]
	out := make([]*queryresult.KeyModification, len(mods))
	for i, m := range mods {
		// newest first, as Fabric 2.x returns history
		out[len(mods)-1-i] = &queryresult.KeyModification{TxId: m.TxId, Value: slices.Clone(m.Value), Timestamp: m.Timestamp, IsDelete: m.IsDelete}
	}
	return &sliceIterator[*queryresult.KeyModification]{items: out}, nil
}

// sliceIterator iterates over query results computed when the query ran.
// As *sliceIterator[*queryresult.KV] it is a StateQueryIteratorInterface,
// as *sliceIterator[*queryresult.KeyModification] a
// HistoryQueryIteratorInterface.
type sliceIterator[T any] struct {
	items  []T
	next   int
	closed bool
}

func (it *sliceIterator[T]) HasNext() bool { return !it.closed && it.next < len(it.items) }

func (it *sliceIterator[T]) Next() (T, error) {
	if !it.HasNext() {
		var zero T
		return zero, errors.New("ledgertest: no more results (or iterator closed)")
	}
	it.next++
	return it.items[it.next-1], nil
}

func (it *sliceIterator[T]) Close() error { it.closed = true; return nil }
