// Package load runs a bounded load of blind writes (the baseline
// chaincode's Put) through govclient sessions while a test breaks the
// network, and records every call: when it started and ended, the
// transaction it acknowledged or the error it returned. Tests then check
// the acknowledged transactions on the peers and measure stalls and
// throughput from the record.
//
// Closed-loop workers submit one write after another. A target may also
// have a prober, which submits one write at a fixed interval whatever
// happens to the others: a worker whose write a failed orderer holds waits
// for its deadline, while the prober's writes keep coming, so that the time
// until writes go through again after a fault (Resumed) is measured from
// writes submitted after it.
package load

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	govclient "github.com/govshare/govshare/gateway-client"
	"github.com/govshare/govshare/network"
)

// Target is one channel's submitters: Workers goroutines, each writing its
// own keys, one call at a time, through Session; and, when ProbeEvery is
// set, a prober that starts a write every ProbeEvery, each in its own
// goroutine, with at most MaxProbes (default 50) in flight: past it a tick
// is skipped.
type Target struct {
	Channel    string
	Session    *govclient.Session
	Workers    int
	ProbeEvery time.Duration
	MaxProbes  int
}

// Prober is the Worker of the calls a target's prober made.
const Prober = -1

// Call is one submit of the load.
type Call struct {
	Channel    string
	Worker     int
	Start, End time.Time
	// TxID is the transaction's ID: acknowledged when Err is nil, else
	// the failed transaction's, when the error named it.
	TxID        string
	Submissions int
	Err         error
}

// Load is a running load.
type Load struct {
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu    sync.Mutex
	calls []Call
}

// Start starts the submitters of every target. Keys are
// "<prefix>-<worker>-<n>"; each call has callTimeout; a worker whose call
// failed pauses 200 ms before the next.
func Start(prefix string, callTimeout time.Duration, targets ...Target) *Load {
	ctx, cancel := context.WithCancel(context.Background())
	l := &Load{cancel: cancel}
	for _, target := range targets {
		for w := range target.Workers {
			l.wg.Add(1)
			go func() {
				defer l.wg.Done()
				l.work(ctx, target, w, prefix, callTimeout)
			}()
		}
		if target.ProbeEvery > 0 {
			l.wg.Add(1)
			go func() {
				defer l.wg.Done()
				l.probe(ctx, target, prefix, callTimeout)
			}()
		}
	}
	return l
}

func (l *Load) work(ctx context.Context, target Target, worker int, prefix string, callTimeout time.Duration) {
	for i := 0; ctx.Err() == nil; i++ {
		err := l.submit(ctx, target, worker, fmt.Sprintf("%s-%d-%d", prefix, worker, i), callTimeout)
		if err != nil && ctx.Err() == nil {
			select {
			case <-ctx.Done():
			case <-time.After(200 * time.Millisecond):
			}
		}
	}
}

// probe starts a write every target.ProbeEvery until the load stops.
func (l *Load) probe(ctx context.Context, target Target, prefix string, callTimeout time.Duration) {
	maxProbes := target.MaxProbes
	if maxProbes <= 0 {
		maxProbes = 50
	}
	inFlight := make(chan struct{}, maxProbes)
	var probes sync.WaitGroup
	defer probes.Wait()
	ticker := time.NewTicker(target.ProbeEvery)
	defer ticker.Stop()
	for i := 0; ; i++ {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
		select {
		case inFlight <- struct{}{}:
		default:
			continue
		}
		probes.Add(1)
		go func() {
			defer probes.Done()
			defer func() { <-inFlight }()
			_ = l.submit(ctx, target, Prober, fmt.Sprintf("%s-p-%d", prefix, i), callTimeout)
		}()
	}
}

// submit writes key and records the call, unless the load stopped during
// it (then the call was cut short, not failed).
func (l *Load) submit(ctx context.Context, target Target, worker int, key string, callTimeout time.Duration) error {
	call := Call{Channel: target.Channel, Worker: worker, Start: time.Now()}
	callCtx, done := context.WithTimeout(ctx, callTimeout)
	res, err := target.Session.Submit(callCtx, target.Channel, network.BaselineChaincode, "Put", key, strconv.FormatInt(call.Start.UnixNano(), 10))
	done()
	call.End = time.Now()
	var txErr *govclient.TxError
	switch {
	case err == nil:
		call.TxID, call.Submissions = res.TransactionID, res.Submissions
	case ctx.Err() != nil:
		return err
	case errors.As(err, &txErr):
		call.TxID, call.Submissions, call.Err = txErr.TransactionID, txErr.Submissions, err
	default:
		call.Err = err
	}
	l.mu.Lock()
	l.calls = append(l.calls, call)
	l.mu.Unlock()
	return err
}

// Stop stops the submitters and waits for them; calls cut short by the
// stop are not recorded.
func (l *Load) Stop() {
	l.cancel()
	l.wg.Wait()
}

// Calls returns the calls on channel that ended so far, in the order they
// ended.
func (l *Load) Calls(channel string) []Call {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []Call
	for _, c := range l.calls {
		if c.Channel == channel {
			out = append(out, c)
		}
	}
	return out
}

// Acked returns the IDs of the transactions on channel that the client
// was told are committed.
func (l *Load) Acked(channel string) []string {
	var ids []string
	for _, c := range l.Calls(channel) {
		if c.Err == nil {
			ids = append(ids, c.TxID)
		}
	}
	return ids
}

// Count returns how many writes on channel were acknowledged so far.
func (l *Load) Count(channel string) int { return len(l.Acked(channel)) }

// Failures returns the calls on channel that failed.
func (l *Load) Failures(channel string) []Call {
	return slices.DeleteFunc(l.Calls(channel), func(c Call) bool { return c.Err == nil })
}

// WaitResumed waits, within limit, until a write on channel submitted at
// since or later is acknowledged, and returns Resumed's pause.
func (l *Load) WaitResumed(channel string, since time.Time, limit time.Duration) (time.Duration, bool) {
	deadline := time.Now().Add(limit)
	for {
		if pause, ok := Resumed(l.Calls(channel), since); ok {
			return pause, true
		}
		if time.Now().After(deadline) {
			return 0, false
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// GrowsWithin waits until channel has more acknowledged writes than it
// had, within limit.
func (l *Load) GrowsWithin(channel string, limit time.Duration) bool {
	from := l.Count(channel)
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if l.Count(channel) > from {
			return true
		}
		time.Sleep(100 * time.Millisecond)
	}
	return false
}
