package load

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

var t0 = time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)

func at(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }

// acks returns one acknowledged call ending at each of the seconds.
func acks(seconds ...float64) []Call {
	var calls []Call
	for _, s := range seconds {
		calls = append(calls, Call{Start: at(s - 0.1), End: at(s)})
	}
	return calls
}

// steady returns n acknowledged calls per second in [from, to).
func steady(from, to float64, n int) []float64 {
	var out []float64
	for s := from; s < to; s += 1 / float64(n) {
		out = append(out, s)
	}
	return out
}

func TestRate(t *testing.T) {
	calls := append(acks(0.5, 1.5, 1.7, 2.5), Call{Start: at(1), End: at(1.8), Err: errors.New("refused")})
	cases := []struct {
		name     string
		from, to float64
		want     float64
	}{
		{"failures do not count", 1, 2, 2},
		{"the end is open", 0.5, 1.5, 1},
		{"an empty span", 2, 2, 0},
		{"the whole", 0, 4, 1},
	}
	for _, tc := range cases {
		assert.InDelta(t, tc.want, Rate(calls, at(tc.from), at(tc.to)), 1e-9, tc.name)
	}
}

func TestLongestWait(t *testing.T) {
	calls := []Call{
		{Worker: 1, Start: at(0), End: at(30)}, // in flight at t=10: waited 20 s after it
		{Worker: 2, Start: at(12), End: at(25)},
		{Worker: 3, Start: at(0), End: at(9), Err: errors.New("failed")}, // ended before
	}
	cases := []struct {
		name   string
		after  float64
		want   time.Duration
		worker int
	}{
		{"a call in flight counts from the moment", 10, 20 * time.Second, 1},
		{"a call started later counts whole", 29, time.Second, 1},
		{"calls that ended before do not count", 8, 22 * time.Second, 1},
		{"nothing after", 31, 0, 0},
	}
	for _, tc := range cases {
		got, which := LongestWait(calls, at(tc.after))
		assert.Equal(t, tc.want, got, tc.name)
		assert.Equal(t, tc.worker, which.Worker, tc.name)
	}
}

func TestRecovered(t *testing.T) {
	// 10 writes a second, none from 10 s to 17 s, then 4 a second for 2 s,
	// then 10 a second again.
	var seconds []float64
	seconds = append(seconds, steady(0, 10, 10)...)
	seconds = append(seconds, steady(17, 19, 4)...)
	seconds = append(seconds, steady(19, 30, 10)...)
	calls := acks(seconds...)
	cases := []struct {
		name    string
		since   float64
		rate    float64
		want    float64
		reached bool
	}{
		{"back to 80% once the slow seconds are behind", 10, 8, 18.4, true},
		{"already there", 0, 8, 0, true},
		{"half is reached earlier", 10, 4, 16.8, true},
		{"never that fast", 10, 20, 0, false},
	}
	for _, tc := range cases {
		got, ok := Recovered(calls, at(tc.since), 2*time.Second, tc.rate)
		assert.Equal(t, tc.reached, ok, tc.name)
		if tc.reached {
			assert.WithinDuration(t, at(tc.want), got, 150*time.Millisecond, tc.name)
		}
	}
}

func TestResumed(t *testing.T) {
	calls := []Call{
		{Worker: 1, Start: at(0), End: at(25)},                              // held by the failed leader
		{Worker: Prober, Start: at(11), End: at(12), Err: errors.New("no")}, // refused
		{Worker: Prober, Start: at(13), End: at(19)},
		{Worker: Prober, Start: at(14), End: at(17)}, // started later, acknowledged first
	}
	cases := []struct {
		name  string
		since float64
		want  time.Duration
		ok    bool
	}{
		{"the first acknowledgement of a call started after", 10, 7 * time.Second, true},
		{"a call started before does not count", 13.5, 3500 * time.Millisecond, true},
		{"nothing acknowledged yet", 15, 0, false},
	}
	for _, tc := range cases {
		got, ok := Resumed(calls, at(tc.since))
		assert.Equal(t, tc.ok, ok, tc.name)
		assert.Equal(t, tc.want, got, tc.name)
	}
}
