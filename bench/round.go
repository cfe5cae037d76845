package bench

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// Kind says whether a round submits transactions or evaluates queries.
type Kind string

// The kinds of rounds.
const (
	Write Kind = "write" // endorse, order, commit
	Query Kind = "query" // evaluate on one peer
)

// Op is one operation of a round: worker is the worker's index (0 to
// Workers-1), seq the operation's sequence number in the round (0, 1, ...,
// unique across workers). It returns how many times the transaction was
// endorsed and submitted (1 when the client did not retry; 0 is read as 1)
// and the error of a failed operation.
type Op func(ctx context.Context, worker, seq int) (attempts int, err error)

// Round is one load round: one operation, from Workers concurrent workers,
// until Count operations have started or Duration has passed, whichever
// comes first. At least one of Count and Duration must be set. Each
// operation gets OpTimeout (DefaultOpTimeout when zero); the round as a
// whole ends at the latest Duration + OpTimeout after it started, or
// MaxDuration + OpTimeout for a round bounded by Count alone.
type Round struct {
	Name    string
	Channel string
	Kind    Kind
	// Reference names the round this one's throughput is compared with
	// (see Compare); empty for a reference round itself.
	Reference string
	Workers   int
	Count     int
	Duration  time.Duration
	OpTimeout time.Duration
	Op        Op
	// Batch is how many records one operation writes (the payments of a
	// payment run); 0 means 1. The round's rate in records per second is
	// its TPS times Batch, and ratios compare those rates.
	Batch int
	// Note is a line of explanation carried into the report.
	Note string
}

// DefaultOpTimeout bounds one operation when the round sets no OpTimeout.
const DefaultOpTimeout = 30 * time.Second

// MaxDuration bounds a round that sets a Count but no Duration.
const MaxDuration = 5 * time.Minute

// ErrNoLimit is returned for a round with neither a Count nor a Duration.
var ErrNoLimit = errors.New("a round needs a count, a duration or both")

// Run runs r and summarises it. Failed operations are counted by
// Classify(err), with the first error of each class kept as an example.
// Run returns an error only for a round it cannot start; a round cut short
// by ctx returns what it measured, with Interrupted set.
func Run(ctx context.Context, r Round) (*RoundResult, error) {
	if r.Count <= 0 && r.Duration <= 0 {
		return nil, fmt.Errorf("round %s: %w", r.Name, ErrNoLimit)
	}
	if r.Workers <= 0 {
		return nil, fmt.Errorf("round %s: needs at least one worker, has %d", r.Name, r.Workers)
	}
	if r.Op == nil {
		return nil, fmt.Errorf("round %s: has no operation", r.Name)
	}
	opTimeout := r.OpTimeout
	if opTimeout <= 0 {
		opTimeout = DefaultOpTimeout
	}
	bound := r.Duration
	if bound <= 0 {
		bound = MaxDuration
	}
	ctx, cancel := context.WithTimeout(ctx, bound+opTimeout)
	defer cancel()

	type tally struct {
		latencies []time.Duration
		attempts  int
		failures  map[string]int
		examples  map[string]string
		last      time.Time
	}
	tallies := make([]tally, r.Workers)
	var next atomic.Int64
	start := time.Now()
	var wg sync.WaitGroup
	for w := range r.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := &tallies[w]
			t.failures, t.examples = map[string]int{}, map[string]string{}
			for {
				seq := int(next.Add(1) - 1)
				if r.Count > 0 && seq >= r.Count || r.Duration > 0 && time.Since(start) >= r.Duration || ctx.Err() != nil {
					return
				}
				opCtx, opCancel := context.WithTimeout(ctx, opTimeout)
				began := time.Now()
				attempts, err := r.Op(opCtx, w, seq)
				t.last = time.Now()
				opCancel()
				if attempts <= 0 {
					attempts = 1
				}
				if err != nil {
					class := Classify(err)
					t.failures[class]++
					if _, ok := t.examples[class]; !ok {
						t.examples[class] = Describe(err)
					}
					continue
				}
				t.attempts += attempts
				t.latencies = append(t.latencies, t.last.Sub(began))
			}
		}()
	}
	wg.Wait()

	res := &RoundResult{
		Name: r.Name, Channel: r.Channel, Kind: r.Kind, Reference: r.Reference, Workers: r.Workers, Note: r.Note, Batch: r.Batch,
		Failures: map[string]int{}, FailureExamples: map[string]string{},
		Interrupted: ctx.Err() != nil && errors.Is(context.Cause(ctx), context.Canceled),
		Started:     start.UTC(),
	}
	var latencies []time.Duration
	end := start
	attempts := 0
	for _, t := range tallies {
		latencies = append(latencies, t.latencies...)
		attempts += t.attempts
		for class, n := range t.failures {
			res.Failures[class] += n
			res.Failed += n
			if _, ok := res.FailureExamples[class]; !ok {
				res.FailureExamples[class] = t.examples[class]
			}
		}
		if t.last.After(end) {
			end = t.last
		}
	}
	elapsed := end.Sub(start)
	res.Finished = end.UTC()
	res.Succeeded = len(latencies)
	res.ElapsedSeconds = elapsed.Seconds()
	res.TPS = Throughput(res.Succeeded, elapsed)
	if r.Batch > 1 {
		res.RecordsPerSecond = res.TPS * float64(r.Batch)
	}
	res.Latency = Summarise(latencies)
	if res.Succeeded > 0 {
		res.MeanAttempts = float64(attempts) / float64(res.Succeeded)
	}
	return res, nil
}
