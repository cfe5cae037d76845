package load

import (
	"slices"
	"time"
)

// Rate returns the acknowledged writes per second among calls that ended
// in [from, to).
func Rate(calls []Call, from, to time.Time) float64 {
	if !to.After(from) {
		return 0
	}
	n := 0
	for _, c := range calls {
		if c.Err == nil && !c.End.Before(from) && c.End.Before(to) {
			n++
		}
	}
	return float64(n) / to.Sub(from).Seconds()
}

// LongestWait returns the longest time a submitter waited for a call
// after t: for each call that ended after t, the time from the later of its
// start and t to its end; and that call.
func LongestWait(calls []Call, t time.Time) (time.Duration, Call) {
	var longest time.Duration
	var which Call
	for _, c := range calls {
		if !c.End.After(t) {
			continue
		}
		from := c.Start
		if from.Before(t) {
			from = t
		}
		if wait := c.End.Sub(from); wait > longest {
			longest, which = wait, c
		}
	}
	return longest, which
}

// Recovered returns the first moment, from since on in steps of 100 ms,
// from which the acknowledged writes over the next window reach rate per
// second; false when no full window after since does.
func Recovered(calls []Call, since time.Time, window time.Duration, rate float64) (time.Time, bool) {
	var ends []time.Time
	for _, c := range calls {
		if c.Err == nil && !c.End.Before(since) {
			ends = append(ends, c.End)
		}
	}
	if len(ends) == 0 {
		return time.Time{}, false
	}
	slices.SortFunc(ends, func(a, b time.Time) int { return a.Compare(b) })
	last := ends[len(ends)-1]
	for start := since; !start.Add(window).After(last); start = start.Add(100 * time.Millisecond) {
		from, _ := slices.BinarySearchFunc(ends, start, func(e, t time.Time) int { return e.Compare(t) })
		to, _ := slices.BinarySearchFunc(ends, start.Add(window), func(e, t time.Time) int { return e.Compare(t) })
		if float64(to-from)/window.Seconds() >= rate {
			return start, true
		}
	}
	return time.Time{}, false
}

// Resumed returns how long writes paused after a fault at since: the time
// from since to the first acknowledgement of a call started at since or
// later. Calls started before since are left out: a write a failed orderer
// held tells when its client gave up or the write was sent again, not when
// the network took writes again. It is false while no such call was
// acknowledged.
func Resumed(calls []Call, since time.Time) (time.Duration, bool) {
	var first time.Time
	for _, c := range calls {
		if c.Err == nil && !c.Start.Before(since) && (first.IsZero() || c.End.Before(first)) {
			first = c.End
		}
	}
	if first.IsZero() {
		return 0, false
	}
	return first.Sub(since), true
}
