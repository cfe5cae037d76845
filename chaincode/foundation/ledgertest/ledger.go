package ledgertest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/queryresult"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// Ledger is an in-memory channel ledger with one chaincode namespace: world
// state, history, private data collections, key-level endorsement policies
// and the events of committed transactions. Transactions run one at a time.
type Ledger struct {
	tb         testing.TB
	channel    string
	chaincode  string
	clock      time.Time
	step       time.Duration
	mu         sync.Mutex
	seq        uint64
	commits    uint64 // transactions committed, the version of their writes
	public     *store
	history    map[string][]*queryresult.KeyModification
	collection map[string]*collection
	events     []Event
	ids        *identities
}

// store is a key-value map with its keys kept sorted for range queries.
type store struct {
	values map[string][]byte
	params map[string][]byte // key-level endorsement policies
	// versions holds the version of each key: the number of the commit
	// that last wrote it, as the height of a peer's state database does.
	// An absent key has version 0.
	versions map[string]uint64
	keys     []string // sorted keys of values
}

func newStore() *store {
	return &store{values: map[string][]byte{}, params: map[string][]byte{}, versions: map[string]uint64{}}
}

func (s *store) put(key string, value []byte, version uint64) {
	if _, ok := s.values[key]; !ok {
		i, _ := slices.BinarySearch(s.keys, key)
		s.keys = slices.Insert(s.keys, i, key)
	}
	s.values[key] = value
	s.versions[key] = version
}

func (s *store) del(key string) {
	if _, ok := s.values[key]; !ok {
		return
	}
	delete(s.values, key)
	delete(s.params, key)
	delete(s.versions, key)
	i, _ := slices.BinarySearch(s.keys, key)
	s.keys = slices.Delete(s.keys, i, i+1)
}

// rangeKeys returns the keys in [start, end) in order; end "" is unbounded.
func (s *store) rangeKeys(start, end string) []string {
	i, _ := slices.BinarySearch(s.keys, start)
	j := len(s.keys)
	if end != "" {
		j, _ = slices.BinarySearch(s.keys, end)
	}
	if j < i {
		return nil
	}
	return s.keys[i:j]
}

type collection struct {
	members []string
	data    *store
}

// Event is the chaincode event of a committed transaction.
type Event struct {
	TxID    string
	Name    string
	Payload []byte
}

// Option configures a Ledger.
type Option func(*Ledger)

// WithChannel sets the channel ID the stub reports (default "ledgertest").
func WithChannel(channel string) Option { return func(l *Ledger) { l.channel = channel } }

// WithChaincode sets the chaincode name used in messages (default "cc").
func WithChaincode(name string) Option { return func(l *Ledger) { l.chaincode = name } }

// WithCollection declares a private data collection whose members are the
// organisations mspIDs. Like the govshare network's collections it is
// member-only for reads and writes: a client of another organisation gets
// an error from GetPrivateData and PutPrivateData. Other organisations can
// still read the hash of a value (GetPrivateDataHash).
func WithCollection(name string, mspIDs ...string) Option {
	return func(l *Ledger) {
		l.collection[name] = &collection{members: slices.Clone(mspIDs), data: newStore()}
	}
}

// WithClock sets the timestamp of the first transaction and how far each
// following transaction advances it (default 2025-09-01T08:00:00Z, 1s).
func WithClock(start time.Time, step time.Duration) Option {
	return func(l *Ledger) { l.clock, l.step = start.UTC(), step }
}

// New returns an empty ledger. Failures of the ledger's own machinery (such
// as certificate generation) fail tb.
func New(tb testing.TB, opts ...Option) *Ledger {
	tb.Helper()
	l := &Ledger{
		tb:         tb,
		channel:    "ledgertest",
		chaincode:  "cc",
		clock:      time.Date(2025, 9, 1, 8, 0, 0, 0, time.UTC),
		step:       time.Second,
		public:     newStore(),
		history:    map[string][]*queryresult.KeyModification{},
		collection: map[string]*collection{},
		ids:        newIdentities(),
	}
	for _, opt := range opts {
		opt(l)
	}
	return l
}

// begin starts a transaction for client: the next transaction ID and
// timestamp.
func (l *Ledger) begin(c *Client, args [][]byte) *stub {
	l.mu.Lock()
	l.seq++
	seq := l.seq
	l.mu.Unlock()
	ts := l.clock.Add(time.Duration(seq-1) * l.step)
	sum := sha256.Sum256(fmt.Appendf(nil, "%s/%d", l.channel, seq))
	return &stub{
		l:         l,
		txID:      hex.EncodeToString(sum[:]),
		ts:        timestamppb.New(ts),
		mspID:     c.mspID,
		creator:   c.creatorBytes(),
		transient: c.transient,
		args:      args,
		writes:    map[string]*write{},
		private:   map[string]map[string]*write{},
	}
}

// commit validates the transaction's writes against the key-level
// endorsement policies in force and applies them, or applies nothing.
func (l *Ledger) commit(s *stub, endorsers []string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	s.done = true
	if endorsers != nil {
		if err := l.checkEndorsement(s, endorsers); err != nil {
			return err
		}
	}
	l.apply(s)
	return nil
}

// apply writes a valid transaction's changes to the committed state, its
// history and its event; l.mu is held.
func (l *Ledger) apply(s *stub) {
	l.commits++
	version := l.commits
	for _, key := range slices.Sorted(maps.Keys(s.writes)) {
		w := s.writes[key]
		if w.value != nil || w.delete {
			mod := &queryresult.KeyModification{TxId: s.txID, Timestamp: s.ts, IsDelete: w.delete}
			if w.delete {
				l.public.del(key)
			} else {
				l.public.put(key, w.value, version)
				mod.Value = w.value
			}
			l.history[key] = append(l.history[key], mod)
		}
		if w.param != nil {
			if _, exists := l.public.values[key]; exists {
				l.public.params[key] = w.param
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(s.private)) {
		data := l.collection[name].data
		for _, key := range slices.Sorted(maps.Keys(s.private[name])) {
			w := s.private[name][key]
			switch {
			case w.delete:
				data.del(key)
			case w.value != nil:
				data.put(key, w.value, version)
			}
			if _, exists := data.values[key]; exists && w.param != nil {
				data.params[key] = w.param
			}
		}
	}
	if s.event != nil {
		l.events = append(l.events, Event{TxID: s.txID, Name: s.event.GetEventName(), Payload: s.event.GetPayload()})
	}
}

// ValidationError is returned by Submit and Invoke when the peers would mark
// the transaction invalid at commit; nothing of it is applied.
type ValidationError struct {
	TxID string
	// Code is the Fabric validation code, e.g. ENDORSEMENT_POLICY_FAILURE.
	Code string
	// Detail names the key whose policy was not satisfied.
	Detail string
}

func (e *ValidationError) Error() string {
	return fmt.Sprintf("transaction %s invalid: %s: %s", e.TxID, e.Code, e.Detail)
}

func (l *Ledger) checkEndorsement(s *stub, endorsers []string) error {
	check := func(policy []byte, where string) error {
		if policy == nil {
			return nil
		}
		ok, err := policySatisfied(policy, endorsers)
		if err != nil {
			return &ValidationError{TxID: s.txID, Code: peer.TxValidationCode_INVALID_OTHER_REASON.String(), Detail: where + ": " + err.Error()}
		}
		if !ok {
			return &ValidationError{TxID: s.txID, Code: peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE.String(),
				Detail: fmt.Sprintf("key-level policy of %s not satisfied by endorsements of %v", where, endorsers)}
		}
		return nil
	}
	for _, key := range slices.Sorted(maps.Keys(s.writes)) {
		if err := check(l.public.params[key], fmt.Sprintf("key %q", key)); err != nil {
			return err
		}
	}
	for _, name := range slices.Sorted(maps.Keys(s.private)) {
		for _, key := range slices.Sorted(maps.Keys(s.private[name])) {
			if err := check(l.collection[name].data.params[key], fmt.Sprintf("key %q of collection %s", key, name)); err != nil {
				return err
			}
		}
	}
	return nil
}

// Height returns the number of transactions started so far, committed or not.
func (l *Ledger) Height() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.seq
}

// State returns the committed value of key, nil if absent.
func (l *Ledger) State(key string) []byte {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.public.values[key])
}

// KV is a key and its value.
type KV struct {
	Key   string
	Value []byte
}

// PublicState returns the whole committed world state in key order.
func (l *Ledger) PublicState() []KV {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]KV, 0, len(l.public.keys))
	for _, k := range l.public.keys {
		out = append(out, KV{Key: k, Value: slices.Clone(l.public.values[k])})
	}
	return out
}

// PrivateState returns the committed value of key in a collection.
func (l *Ledger) PrivateState(collectionName, key string) []byte {
	l.mu.Lock()
	defer l.mu.Unlock()
	c, ok := l.collection[collectionName]
	if !ok {
		return nil
	}
	return slices.Clone(c.data.values[key])
}

// ValidationParameter returns the committed key-level endorsement policy of
// key, nil if it has none.
func (l *Ledger) ValidationParameter(key string) []byte {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.public.params[key])
}

// Events returns the events of committed transactions, oldest first.
func (l *Ledger) Events() []Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.events)
}

// LastEvent returns the event of the most recent committed transaction that
// set one.
func (l *Ledger) LastEvent() (Event, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.events) == 0 {
		return Event{}, false
	}
	return l.events[len(l.events)-1], true
}

// Snapshot is a copy of everything a transaction can change: world state,
// private data, endorsement policies, history and events.
type Snapshot struct {
	entries map[string]string
}

// Snapshot copies the ledger's current content, to compare later with Diff.
func (l *Ledger) Snapshot() Snapshot {
	l.mu.Lock()
	defer l.mu.Unlock()
	entries := map[string]string{}
	for k, v := range l.public.values {
		entries[fmt.Sprintf("state %q", k)] = string(v)
	}
	for k, v := range l.public.params {
		entries[fmt.Sprintf("endorsement policy of %q", k)] = string(v)
	}
	for name, c := range l.collection {
		for k, v := range c.data.values {
			entries[fmt.Sprintf("private %s %q", name, k)] = string(v)
		}
		for k, v := range c.data.params {
			entries[fmt.Sprintf("endorsement policy of private %s %q", name, k)] = string(v)
		}
	}
	for k, mods := range l.history {
		entries[fmt.Sprintf("history of %q", k)] = fmt.Sprint(len(mods))
	}
	entries["events"] = fmt.Sprint(len(l.events))
	return Snapshot{entries: entries}
}

// Diff lists what changed since before, sorted; empty if nothing did. Use it
// to show that a refused transaction wrote nothing:
//
//	before := l.Snapshot()
//	err := client.Submit(...)
//	assert.Empty(t, l.Diff(before))
func (l *Ledger) Diff(before Snapshot) []string {
	after := l.Snapshot()
	var diff []string
	for k, v := range after.entries {
		old, ok := before.entries[k]
		switch {
		case !ok:
			diff = append(diff, k+" added")
		case old != v:
			diff = append(diff, k+" changed")
		}
	}
	for k := range before.entries {
		if _, ok := after.entries[k]; !ok {
			diff = append(diff, k+" removed")
		}
	}
	slices.Sort(diff)
	return diff
}

// Fork returns an independent copy of the ledger — state, private data,
// policies, history, events and transaction counter — that reports to tb
// and shares the certificates already issued. Building a ledger once and
// forking it for each case keeps table, fuzz and matrix tests fast and
// their cases independent.
func (l *Ledger) Fork(tb testing.TB) *Ledger {
	l.mu.Lock()
	defer l.mu.Unlock()
	fork := &Ledger{
		tb:         tb,
		channel:    l.channel,
		chaincode:  l.chaincode,
		clock:      l.clock,
		step:       l.step,
		seq:        l.seq,
		commits:    l.commits,
		public:     l.public.clone(),
		history:    map[string][]*queryresult.KeyModification{},
		collection: map[string]*collection{},
		events:     slices.Clone(l.events),
		ids:        l.ids,
	}
	for k, mods := range l.history {
		fork.history[k] = slices.Clone(mods)
	}
	for name, c := range l.collection {
		fork.collection[name] = &collection{members: slices.Clone(c.members), data: c.data.clone()}
	}
	return fork
}

// clone copies the store; values are never modified in place, so they are
// shared.
func (s *store) clone() *store {
	return &store{values: maps.Clone(s.values), params: maps.Clone(s.params), versions: maps.Clone(s.versions), keys: slices.Clone(s.keys)}
}
