package govclient

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/govshare/govshare/chaincode/consortium"
)

// fate is what becomes of one submission of a transaction.
type fate struct {
	refuse error // the gateway's answer to the submit; nil: an orderer accepted it
	drop   bool  // accepted, but never cut into a block (its Raft leader died)
	slow   bool  // accepted, in a block only when the next submission arrives
	hang   bool  // no answer: the submit waits for its context to end
	code   peer.TxValidationCode
}

var (
	committed   = fate{}
	dropped     = fate{drop: true}
	unavailable = fate{refuse: status.Error(codes.Unavailable, "no orderers could successfully process transaction")}
	badRequest  = fate{refuse: status.Error(codes.Aborted, "received unsuccessful response from orderer: status=BAD_REQUEST, info=bad envelope")}
	slow        = fate{slow: true}
	hung        = fate{hang: true}
	// timedOut: the gateway's broadcast to the orderers timed out.
	timedOut = fate{refuse: status.Error(codes.DeadlineExceeded, "context deadline exceeded")}
)

// fakeOrdering plays the ordering service and the gateway peer's ledger
// for the one transaction its endorse returns: fates decide what becomes of
// each submission (the last one again when they run out); every copy that
// reaches a block is kept in block order, the first with its fate's code,
// later ones DUPLICATE_TXID, as Fabric's validator marks them; and the
// status is the first copy's, as the gateway's peer reports it by ID. With
// notice, the first status answer is that of a later copy. With
// gatewayClock, a status wait ends with DEADLINE_EXCEEDED a little before
// the client's deadline, as a gateway that got the deadline with the call
// may answer.
type fakeOrdering struct {
	fates        []fate
	notice       *commitStatus
	gatewayClock bool

	mu          sync.Mutex
	endorsed    int
	submissions int
	held        []fate // slow copies, not yet in a block
	copies      []commitStatus
	changed     chan struct{} // closed and replaced at each block
	height      uint64
}

func (f *fakeOrdering) endorse(context.Context, call) (transaction, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.endorsed++
	f.changed = make(chan struct{})
	f.height = 6
	return &fakeTransaction{f}, nil
}

func (f *fakeOrdering) evaluate(context.Context, call) ([]byte, error) { return nil, nil }

// commit puts a copy of the transaction into the next block.
func (f *fakeOrdering) commit(code peer.TxValidationCode) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.height++
	if len(f.copies) > 0 {
		code = peer.TxValidationCode_DUPLICATE_TXID
	}
	f.copies = append(f.copies, commitStatus{Code: code, BlockNumber: f.height})
	close(f.changed)
	f.changed = make(chan struct{})
}

// ledger returns the copies committed so far.
func (f *fakeOrdering) ledger() []commitStatus {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]commitStatus(nil), f.copies...)
}

type fakeTransaction struct{ f *fakeOrdering }

func (t *fakeTransaction) ID() string     { return "tx-ordered" }
func (t *fakeTransaction) Result() []byte { return []byte("answer") }

func (t *fakeTransaction) submit(ctx context.Context) error {
	f := t.f
	f.mu.Lock()
	next := f.fates[min(f.submissions, len(f.fates)-1)]
	f.submissions++
	held := f.held
	f.held = nil
	if next.slow {
		f.held = []fate{next}
	}
	f.mu.Unlock()
	for _, h := range held {
		f.commit(h.code)
	}
	switch {
	case next.refuse != nil:
		return next.refuse
	case next.hang:
		<-ctx.Done()
		return status.FromContextError(ctx.Err()).Err()
	case !next.drop && !next.slow:
		f.commit(next.code)
	}
	return nil
}

func (t *fakeTransaction) status(ctx context.Context) (commitStatus, error) {
	f := t.f
	for {
		f.mu.Lock()
		changed := f.changed
		if len(f.copies) > 0 {
			st := f.copies[0]
			if f.notice != nil {
				st, f.notice = *f.notice, nil
			}
			f.mu.Unlock()
			return st, nil
		}
		f.mu.Unlock()
		var early <-chan time.Time
		if deadline, ok := ctx.Deadline(); ok && f.gatewayClock {
			early = time.After(time.Until(deadline) - 5*time.Millisecond)
		}
		select {
		case <-ctx.Done():
			return commitStatus{}, status.FromContextError(ctx.Err()).Err()
		case <-early:
			return commitStatus{}, status.Error(codes.DeadlineExceeded, "context deadline exceeded")
		case <-changed:
		}
	}
}

const (
	testCommitWait  = 60 * time.Millisecond
	testOrdererWait = 500 * time.Millisecond
)

func TestSubmitSendsALostTransactionAgain(t *testing.T) {
	cases := []struct {
		name         string
		fates        []fate
		notice       *commitStatus
		gatewayClock bool
		submissions  int
		copies       int // in the ledger once every copy has landed
	}{
		{name: "committed at once", fates: []fate{committed}, submissions: 1, copies: 1},
		{name: "dropped by a Raft leader that died", fates: []fate{dropped, committed}, submissions: 2, copies: 1},
		{name: "dropped, then no leader for a while", fates: []fate{dropped, unavailable, unavailable, committed}, submissions: 4, copies: 1},
		{name: "dropped, the gateway's clock ends the wait first", fates: []fate{dropped, committed}, gatewayClock: true, submissions: 2, copies: 1},
		{name: "the gateway's broadcast timed out at first", fates: []fate{timedOut, committed}, submissions: 2, copies: 1},
		{name: "unavailable at first", fates: []fate{unavailable, committed}, submissions: 2, copies: 1},
		{name: "no answer at first: a follower forwarding to a dead leader", fates: []fate{hung, committed}, submissions: 2, copies: 1},
		{name: "committed twice: the late first copy counts", fates: []fate{slow, committed}, submissions: 2, copies: 2},
		{name: "a later copy's DUPLICATE_TXID is reported", fates: []fate{committed}, notice: &commitStatus{Code: peer.TxValidationCode_DUPLICATE_TXID, BlockNumber: 9},
			submissions: 1, copies: 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeOrdering{fates: tc.fates, notice: tc.notice, gatewayClock: tc.gatewayClock}
			s := sessionOn(consortium.FinanceBureauMSP, f, WithCommitWait(testCommitWait), WithOrdererWait(testOrdererWait))
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()

			result, err := s.Submit(ctx, consortium.FinanceChannel, "baseline", "Put", "k", "v")
			require.NoError(t, err)
			assert.Equal(t, "tx-ordered", result.TransactionID)
			assert.Equal(t, uint64(7), result.BlockNumber, "the block of the first copy")
			assert.Equal(t, []byte("answer"), result.Payload)
			assert.Equal(t, 1, result.Attempts, "one endorsement: the same transaction was sent again")
			assert.Equal(t, tc.submissions, result.Submissions)
			assert.Equal(t, 1, f.endorsed)

			require.Eventually(t, func() bool { return len(f.ledger()) == tc.copies }, 2*time.Second, 5*time.Millisecond)
			copies := f.ledger()
			assert.Equal(t, commitStatus{Code: peer.TxValidationCode_VALID, BlockNumber: 7}, copies[0])
			for _, later := range copies[1:] {
				assert.Equal(t, peer.TxValidationCode_DUPLICATE_TXID, later.Code, "a copy never commits twice")
			}
		})
	}
}

func TestSubmitReportsATransactionThatWasNotOrdered(t *testing.T) {
	cases := []struct {
		name         string
		fates        []fate
		gatewayClock bool
		deadline     time.Duration
		stage        Stage
		// unavailable: the error says the ordering service is unavailable
		unavailable bool
		message     string
		within      time.Duration
	}{
		{name: "accepted, never committed: failed at the deadline", fates: []fate{dropped}, deadline: 400 * time.Millisecond,
			stage: StageCommitStatus, message: "outcome is unknown", within: 2 * time.Second},
		{name: "quorum lost: failed after the orderer wait", fates: []fate{unavailable}, deadline: time.Minute,
			stage: StageSubmit, unavailable: true, message: "could not be ordered: the ordering service is unavailable", within: 2 * time.Second},
		{name: "quorum lost after an orderer took a copy", fates: []fate{dropped, unavailable}, deadline: time.Minute,
			stage: StageCommitStatus, unavailable: true, message: "took an earlier copy, which may still commit", within: 2 * time.Second},
		{name: "quorum lost after an orderer took a copy, the gateway's clock ending each wait", fates: []fate{dropped, timedOut}, gatewayClock: true, deadline: time.Minute,
			stage: StageCommitStatus, unavailable: true, message: "took an earlier copy, which may still commit", within: 2 * time.Second},
		{name: "quorum lost, the gateway's broadcast times out", fates: []fate{timedOut}, deadline: time.Minute,
			stage: StageSubmit, unavailable: true, message: "the ordering service is unavailable: no orderer answered within", within: 2 * time.Second},
		{name: "quorum lost, no orderer answers", fates: []fate{hung}, deadline: time.Minute,
			stage: StageSubmit, unavailable: true, message: "the ordering service is unavailable: no orderer answered within", within: 3 * time.Second},
		{name: "refused by the orderers: not sent again", fates: []fate{badRequest}, deadline: time.Minute,
			stage: StageSubmit, message: "BAD_REQUEST", within: time.Second},
		{name: "the first copy failed validation", fates: []fate{{code: peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE}}, deadline: time.Minute,
			stage: StageCommit, message: "failed validation: ENDORSEMENT_POLICY_FAILURE", within: time.Second},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeOrdering{fates: tc.fates, gatewayClock: tc.gatewayClock}
			s := sessionOn(consortium.FinanceBureauMSP, f, WithCommitWait(testCommitWait), WithOrdererWait(testOrdererWait))
			ctx, cancel := context.WithTimeout(context.Background(), tc.deadline)
			defer cancel()

			began := time.Now()
			_, err := s.Submit(ctx, consortium.FinanceChannel, "baseline", "Put", "k", "v")
			took := time.Since(began)
			var txErr *TxError
			require.ErrorAs(t, err, &txErr)
			assert.Equal(t, tc.stage, txErr.Stage)
			assert.Equal(t, "tx-ordered", txErr.TransactionID, "reported with its ID")
			assert.Equal(t, tc.unavailable, txErr.OrderingUnavailable())
			assert.Contains(t, err.Error(), tc.message)
			assert.Contains(t, err.Error(), "[tx tx-ordered")
			assert.Less(t, took, tc.within)
			assert.Equal(t, 1, f.endorsed, "never endorsed again")
			assert.LessOrEqual(t, len(f.ledger()), 1)
			f.mu.Lock()
			assert.Equal(t, f.submissions, txErr.Submissions)
			f.mu.Unlock()
		})
	}
}

func TestSubmitKeepsSendingUntilTheDeadline(t *testing.T) {
	f := &fakeOrdering{fates: []fate{dropped}}
	s := sessionOn(consortium.FinanceBureauMSP, f, WithCommitWait(testCommitWait))
	ctx, cancel := context.WithTimeout(context.Background(), 10*testCommitWait)
	defer cancel()
	_, err := s.Submit(ctx, consortium.FinanceChannel, "baseline", "Put", "k", "v")
	var txErr *TxError
	require.ErrorAs(t, err, &txErr)
	assert.GreaterOrEqual(t, txErr.Submissions, 5, "one submission per commit wait")
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestQuorumLossIsReportedAfterTheOrdererWaitNotTheDeadline(t *testing.T) {
	f := &fakeOrdering{fates: []fate{unavailable}}
	s := sessionOn(consortium.FinanceBureauMSP, f, WithOrdererWait(time.Second))
	began := time.Now()
	_, err := s.Submit(context.Background(), consortium.FinanceChannel, "baseline", "Put", "k", "v")
	took := time.Since(began)
	var txErr *TxError
	require.ErrorAs(t, err, &txErr)
	assert.True(t, txErr.OrderingUnavailable())
	assert.False(t, txErr.Unreachable(), "the gateway answered: the orderers did not")
	assert.GreaterOrEqual(t, took, time.Second, "offered again with pauses of 200 ms, 400 ms, ... for the orderer wait")
	assert.Less(t, took, 3*time.Second)
	f.mu.Lock()
	assert.Equal(t, 4, f.submissions, "at 0, 200 ms, 600 ms and 1 s")
	f.mu.Unlock()
}

func TestCommitWaitFollowsTheObservedLatency(t *testing.T) {
	cases := []struct {
		name     string
		observed []time.Duration
		floor    time.Duration
		want     time.Duration
	}{
		{name: "nothing observed", floor: 4 * time.Second, want: 4 * time.Second},
		{name: "fast commits keep the floor", observed: []time.Duration{100 * time.Millisecond, 200 * time.Millisecond}, floor: 4 * time.Second, want: 4 * time.Second},
		{name: "slow commits raise it", observed: []time.Duration{2 * time.Second}, floor: 4 * time.Second, want: 8 * time.Second},
		{name: "a moving average", observed: []time.Duration{2 * time.Second, 10 * time.Second}, floor: time.Second, want: 4 * 3 * time.Second},
		{name: "bounded", observed: []time.Duration{time.Minute}, floor: time.Second, want: maxCommitWait},
		{name: "a floor above the bound stays", observed: []time.Duration{time.Minute}, floor: time.Minute, want: time.Minute},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var l latencyEstimate
			for _, d := range tc.observed {
				l.observe(d)
			}
			assert.Equal(t, tc.want, l.wait(tc.floor))
		})
	}
}
