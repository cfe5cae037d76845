package govclient

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Defaults of how a submit watches its transaction through ordering.
const (
	// DefaultCommitWait is how long a submit waits for the commit of a
	// transaction the orderers accepted before it looks again and hands
	// the same signed transaction to them once more. A Raft leader that
	// dies drops the transactions it accepted but had not cut into a
	// block; Fabric never says so, and a commit on this network takes a
	// fraction of a second.
	DefaultCommitWait = 4 * time.Second
	// DefaultOrdererWait is how long, from its first submission, a
	// transaction is offered again to an ordering service that refuses it
	// as unavailable before the submit fails: a Raft election takes 5 to
	// 10 s after a leader dies with the network's Raft settings (ticks of
	// 500 ms, an election timeout of 10 to 20 ticks), typically 6 to 8 s;
	// a lost quorum lasts until an operator acts.
	DefaultOrdererWait = 10 * time.Second
	// maxCommitWait bounds the wait that grows with the observed commit
	// latency.
	maxCommitWait = 30 * time.Second
	// submitPause is the first pause before offering a transaction again
	// to an unavailable ordering service; it doubles up to maxSubmitPause,
	// so that a submitter learns of a new leader within a second.
	submitPause    = 200 * time.Millisecond
	maxSubmitPause = time.Second
)

// WithCommitWait sets how long a submit waits for the commit of a
// transaction the orderers accepted before it asks the gateway's peer
// again and submits the same signed transaction once more
// (DefaultCommitWait). The wait grows with the client's commit latency: it
// is at least four times the recent average, up to 30 s, so that a busy
// network is not sent copies it would have committed anyway. A copy is
// harmless: Fabric commits a transaction ID once, and marks any later copy
// DUPLICATE_TXID without applying it.
func WithCommitWait(d time.Duration) Option {
	return func(o *options) { o.commitWait = max(d, time.Millisecond) }
}

// WithOrdererWait sets how long, counted from its first submission, a
// transaction is offered again, with pauses of up to a second, to an
// ordering service that answers UNAVAILABLE (no Raft leader: an election
// or a lost quorum) before the submit fails with that error
// (DefaultOrdererWait). Zero offers it until the context's deadline.
func WithOrdererWait(d time.Duration) Option {
	return func(o *options) { o.ordererWait = max(d, 0) }
}

// transaction is an endorsed, signed transaction. The same signed envelope
// may be handed to the orderers any number of times: a transaction ID
// commits at most once, and the gateway's peer reports, by ID, the first
// copy in its ledger.
type transaction interface {
	// ID returns the transaction ID.
	ID() string
	// Result returns what the chaincode answered at endorsement.
	Result() []byte
	// submit hands the transaction to the ordering service; success means
	// an orderer accepted it, not that it will be in a block.
	submit(ctx context.Context) error
	// status waits, after a successful submit, until the gateway's peer
	// has committed the transaction, or until ctx ends.
	status(ctx context.Context) (commitStatus, error)
}

// commitStatus is what the gateway's peer reports of a committed
// transaction.
type commitStatus struct {
	Code        peer.TxValidationCode
	BlockNumber uint64
}

// errNotCommitted says that a transaction was not committed within the
// commit wait.
var errNotCommitted = errors.New("not committed within the commit wait")

// order hands an endorsed transaction to the ordering service and waits
// for its commit on the gateway's peer, until ctx ends:
//
//   - accepted but not committed within the commit wait (the Raft leader
//     that took it died before cutting it into a block), the same signed
//     transaction is submitted again;
//   - refused as unavailable (no Raft leader), or not answered within the
//     commit wait (a follower forwarding it to a leader that died), it is
//     offered again after a pause that doubles up to a second, for at most
//     the orderer wait;
//   - refused otherwise (a malformed or unauthorised transaction), the
//     submit fails at once;
//   - not committed by ctx's deadline, it fails with its ID.
//
// The result is the first copy's: its block and validation code.
func (s *Session) order(ctx context.Context, c call, tx transaction) (*Result, error) {
	o := s.client.opts
	first := time.Now()
	pause := submitPause
	submissions, accepted := 0, 0
	fail := func(stage Stage, err error) *TxError {
		e := newTxError(stage, c.Channel, c.Chaincode, c.Function, err)
		e.Stage, e.TransactionID, e.Submissions = stage, tx.ID(), submissions
		return e
	}
	// unsettled is the failure of a transaction that ran out of time: if
	// an orderer ever accepted it, a copy may still be on its way.
	unsettled := func(err error) *TxError {
		if accepted > 0 {
			return fail(StageCommitStatus, err)
		}
		return fail(StageSubmit, err)
	}
	wait := s.client.latency.wait(o.commitWait)
	for {
		bound := wait
		if o.ordererWait > 0 {
			bound = min(bound, max(o.ordererWait-time.Since(first), time.Second))
		}
		sent := time.Now()
		err := offer(ctx, tx, bound)
		submissions++
		if err != nil {
			switch {
			case ctx.Err() != nil:
				return nil, unsettled(ended(ctx, err))
			case !orderingUnavailable(err):
				return nil, fail(StageSubmit, err)
			case o.ordererWait > 0 && time.Since(first) >= o.ordererWait:
				return nil, unsettled(err)
			}
			nap := pause
			if o.ordererWait > 0 {
				nap = min(pause, o.ordererWait-time.Since(first))
			}
			if !sleep(ctx, nap) {
				return nil, unsettled(ended(ctx, err))
			}
			pause = min(2*pause, maxSubmitPause)
			continue
		}
		accepted++
		pause = submitPause
		st, err := awaitCommit(ctx, tx, wait)
		switch {
		case err == nil:
			if submissions == 1 {
				s.client.latency.observe(time.Since(sent))
			}
			if st.Code != peer.TxValidationCode_VALID {
				return nil, &TxError{Stage: StageCommit, Channel: c.Channel, Chaincode: c.Chaincode, Function: c.Function,
					TransactionID: tx.ID(), Code: st.Code, Submissions: submissions}
			}
			return &Result{TransactionID: tx.ID(), BlockNumber: st.BlockNumber, Payload: tx.Result(), Submissions: submissions}, nil
		case ctx.Err() != nil:
			return nil, unsettled(ended(ctx, err))
		case !errors.Is(err, errNotCommitted):
			return nil, fail(StageCommitStatus, err)
		}
	}
}

// offer hands tx to the ordering service once, waiting at most bound for
// the answer: an ordering service that does not answer in that time (a
// follower forwarding it to a leader that died) is as unavailable as one
// that says so.
//
// The gateway may answer DEADLINE_EXCEEDED a moment before the client's
// own clock says the bound is over (the deadline travels with the call),
// or when its own broadcast timeout ends: either way no orderer answered.
func offer(ctx context.Context, tx transaction, bound time.Duration) error {
	attemptCtx, cancel := context.WithTimeout(ctx, bound)
	defer cancel()
	began := time.Now()
	err := tx.submit(attemptCtx)
	if err != nil && ctx.Err() == nil && (attemptCtx.Err() != nil || status.Code(err) == codes.DeadlineExceeded) {
		return status.Errorf(codes.Unavailable, "no orderer answered within %s", time.Since(began).Round(100*time.Millisecond))
	}
	return err
}

// ended is the error of a transaction that ran out of time: ctx's, with
// the gateway's last answer when it says more than that time ran out.
func ended(ctx context.Context, last error) error {
	switch status.Code(last) {
	case codes.OK, codes.DeadlineExceeded, codes.Canceled:
		return ctx.Err()
	}
	return fmt.Errorf("%w (last answer: %w)", ctx.Err(), last)
}

// awaitCommit waits up to wait for the gateway's peer to report tx
// committed. It returns errNotCommitted when it was not; a gateway peer
// that cannot be reached for a moment (restarting) is asked again. A
// report of DUPLICATE_TXID is of a later copy: the peer is asked again for
// the first copy in its ledger, which decides. A DEADLINE_EXCEEDED answer
// while ctx is alive is the wait ending on the gateway's clock first.
func awaitCommit(ctx context.Context, tx transaction, wait time.Duration) (commitStatus, error) {
	waitCtx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	duplicates := 0
	for {
		st, err := tx.status(waitCtx)
		switch {
		case err == nil && st.Code == peer.TxValidationCode_DUPLICATE_TXID && duplicates == 0:
			duplicates++
			continue
		case err == nil:
			return st, nil
		case ctx.Err() != nil:
			return commitStatus{}, err
		case waitCtx.Err() != nil, status.Code(err) == codes.DeadlineExceeded:
			return commitStatus{}, errNotCommitted
		case status.Code(err) == codes.Unavailable:
			if !sleep(waitCtx, submitPause) {
				return commitStatus{}, errNotCommitted
			}
		default:
			return commitStatus{}, err
		}
	}
}

// orderingUnavailable reports whether a submit failed for want of an
// ordering service that takes transactions (no orderer reachable, no Raft
// leader), or timed out while the gateway broadcast it, so that the same
// transaction may be offered again.
func orderingUnavailable(err error) bool {
	switch status.Code(err) {
	case codes.Unavailable, codes.DeadlineExceeded:
		return true
	}
	return false
}

// unavailableOrdering reports whether a gateway's error says that the
// ordering service could not take a transaction: its messages name the
// orderers ("no orderers could successfully process transaction").
func unavailableOrdering(err error) bool {
	s, ok := status.FromError(err)
	return ok && s.Code() == codes.Unavailable && strings.Contains(s.Message(), "orderer")
}

// sleep pauses for d, or until ctx ends; it reports whether ctx is alive.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// latencyEstimate is a moving average of how long the client's
// transactions took from their submission to their commit, so that the
// commit wait follows a network that is slow because it is busy.
type latencyEstimate struct {
	mu      sync.Mutex
	average time.Duration
}

// observe adds one transaction's commit latency, with a weight of 1/8.
func (l *latencyEstimate) observe(d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.average == 0 {
		l.average = d
		return
	}
	l.average += (d - l.average) / 8
}

// wait returns the commit wait: at least floor, at least four times the
// average latency up to maxCommitWait.
func (l *latencyEstimate) wait(floor time.Duration) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return max(floor, min(4*l.average, maxCommitWait))
}
