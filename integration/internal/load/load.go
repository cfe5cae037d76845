// Package load runs a bounded load of blind writes (the baseline
// chaincode's Put) through govclient sessions while a test breaks the
// network, and records every call: when it started and ended, the
// transaction it acknowledged or the error it returned. Tests then check
// the acknowledged transactions on the peers and measure stalls and
// throughput from the record.
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
// own keys, one call at a time, through Session.
type Target struct {
	Channel string
	Session *govclient.Session
	Workers int
}

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
	}
	return l
}

func (l *Load) work(ctx context.Context, target Target, worker int, prefix string, callTimeout time.Duration) {
	for i := 0; ctx.Err() == nil; i++ {
		call := Call{Channel: target.Channel, Worker: worker, Start: time.Now()}
		callCtx, done := context.WithTimeout(ctx, callTimeout)
		res, err := target.Session.Submit(callCtx, target.Channel, network.BaselineChaincode, "Put",
			fmt.Sprintf("%s-%d-%d", prefix, worker, i), strconv.Itoa(i))
		done()
		call.End = time.Now()
		var txErr *govclient.TxError
		switch {
		case err == nil:
			call.TxID, call.Submissions = res.TransactionID, res.Submissions
		case ctx.Err() != nil:
			return // stopped: the call was cut short, not failed
		case errors.As(err, &txErr):
			call.TxID, call.Submissions, call.Err = txErr.TransactionID, txErr.Submissions, err
		default:
			call.Err = err
		}
		l.mu.Lock()
		l.calls = append(l.calls, call)
		l.mu.Unlock()
		if err != nil {
			select {
			case <-ctx.Done():
			case <-time.After(200 * time.Millisecond):
			}
		}
	}
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
