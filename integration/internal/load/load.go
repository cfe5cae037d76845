// Package load runs a bounded write load through the client library while
// a fault test stops and starts parts of a real network, and checks
// afterwards that the network kept its word: every transaction a client was
// told is committed is on every member peer, valid.
//
// The load is blind writes of the baseline chaincode (Put, as an
// organisation's administrator) on several channels at once. Closed-loop
// workers submit one write after another; an optional prober submits one
// write per channel at a fixed interval whatever happens to the others, so
// that the time until writes go through again after a fault is measured
// from writes submitted after it, not from clients still waiting for a
// transaction a failed orderer dropped.
package load

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	govclient "github.com/govshare/govshare/gateway-client"
	"github.com/govshare/govshare/network"
)

// Options bound a load.
type Options struct {
	// Workers is the number of closed-loop submitters per channel.
	Workers int
	// ProbeEvery is the interval of the prober's writes on each channel;
	// 0 runs no prober.
	ProbeEvery time.Duration
	// MaxProbes bounds the prober's writes in flight per channel (default
	// 200): past it a tick is skipped.
	MaxProbes int
	// Timeout bounds each write (default 30 s).
	Timeout time.Duration
	// Prefix starts every key written, so that loads never share keys.
	Prefix string
}

// ack is one acknowledged write.
type ack struct {
	txID      string
	submitted time.Time
	committed time.Time
}

// Load is a running load. Its methods may be called while it runs.
type Load struct {
	opts   Options
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu       sync.Mutex
	acks     map[string][]ack // channel -> acknowledged writes, in commit order
	failures map[string]int   // channel -> failed writes
	lastErr  map[string]error // channel -> the latest failure
}

// Start runs the load on every channel of writers, each written through
// its session (the session's organisation's gateway), until Stop.
func Start(writers map[string]*govclient.Session, opts Options) *Load {
	if opts.Timeout <= 0 {
		opts.Timeout = 30 * time.Second
	}
	if opts.MaxProbes <= 0 {
		opts.MaxProbes = 200
	}
	ctx, cancel := context.WithCancel(context.Background())
	l := &Load{opts: opts, cancel: cancel, acks: map[string][]ack{}, failures: map[string]int{}, lastErr: map[string]error{}}
	for channel, s := range writers {
		for w := 0; w < opts.Workers; w++ {
			l.wg.Add(1)
			go func() {
				defer l.wg.Done()
				for i := 0; ctx.Err() == nil; i++ {
					if err := l.write(ctx, s, channel, fmt.Sprintf("%s-w%d-%d", opts.Prefix, w, i)); err != nil && ctx.Err() == nil {
						select { // a failing network is not hammered
						case <-ctx.Done():
						case <-time.After(200 * time.Millisecond):
						}
					}
				}
			}()
		}
		if opts.ProbeEvery > 0 {
			l.wg.Add(1)
			go func() {
				defer l.wg.Done()
				l.probe(ctx, s, channel)
			}()
		}
	}
	return l
}

// probe submits one write every interval, each in its own goroutine, with
// at most MaxProbes in flight.
func (l *Load) probe(ctx context.Context, s *govclient.Session, channel string) {
	ticker := time.NewTicker(l.opts.ProbeEvery)
	defer ticker.Stop()
	inFlight := make(chan struct{}, l.opts.MaxProbes)
	var probes sync.WaitGroup
	defer probes.Wait()
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
			_ = l.write(ctx, s, channel, fmt.Sprintf("%s-p-%d", l.opts.Prefix, i))
		}()
	}
}

// write submits one blind write and records its outcome.
func (l *Load) write(ctx context.Context, s *govclient.Session, channel, key string) error {
	callCtx, done := context.WithTimeout(ctx, l.opts.Timeout)
	defer done()
	submitted := time.Now()
	res, err := s.Submit(callCtx, channel, network.BaselineChaincode, "Put", key, strconv.FormatInt(submitted.UnixNano(), 10))
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case err == nil:
		l.acks[channel] = append(l.acks[channel], ack{txID: res.TransactionID, submitted: submitted, committed: time.Now()})
	case ctx.Err() == nil:
		l.failures[channel]++
		l.lastErr[channel] = err
	}
	return err
}

// Stop ends the load and waits for every write in flight.
func (l *Load) Stop() {
	l.cancel()
	l.wg.Wait()
}

// Count returns how many writes of a channel were acknowledged so far.
func (l *Load) Count(channel string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.acks[channel])
}

// GrowsWithin waits until the channel has more acknowledged writes than it
// had, within limit.
func (l *Load) GrowsWithin(channel string, limit time.Duration) bool {
	from := l.Count(channel)
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if l.Count(channel) > from {
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}

// Acked returns the acknowledged transaction IDs of every channel.
func (l *Load) Acked() map[string][]string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := map[string][]string{}
	for channel, acks := range l.acks {
		for _, a := range acks {
			out[channel] = append(out[channel], a.txID)
		}
	}
	return out
}

// Failures returns how many writes failed on each channel.
func (l *Load) Failures() map[string]int {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := map[string]int{}
	for channel, n := range l.failures {
		out[channel] = n
	}
	return out
}

// LastError returns the latest failure on a channel, nil if none.
func (l *Load) LastError(channel string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lastErr[channel]
}

// Resumed reports the time from since until the commit of the first write
// on channel that was submitted at since or later: how long writes paused
// after a fault at since. It is false while no such write has committed.
func (l *Load) Resumed(channel string, since time.Time) (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var first time.Time
	for _, a := range l.acks[channel] {
		if !a.submitted.Before(since) && (first.IsZero() || a.committed.Before(first)) {
			first = a.committed
		}
	}
	if first.IsZero() {
		return 0, false
	}
	return first.Sub(since), true
}

// WaitResumed waits, within limit, until a write on channel submitted at
// since or later has committed, and returns Resumed's pause.
func (l *Load) WaitResumed(channel string, since time.Time, limit time.Duration) (time.Duration, bool) {
	deadline := time.Now().Add(limit)
	for {
		if pause, ok := l.Resumed(channel, since); ok {
			return pause, true
		}
		if time.Now().After(deadline) {
			return 0, false
		}
		time.Sleep(50 * time.Millisecond)
	}
}
