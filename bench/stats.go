package bench

import (
	"math"
	"slices"
	"time"
)

// Latency is a summary of the latencies of one round's successful
// operations, in milliseconds.
type Latency struct {
	P50  float64 `json:"p50Ms"`
	P95  float64 `json:"p95Ms"`
	P99  float64 `json:"p99Ms"`
	Max  float64 `json:"maxMs"`
	Mean float64 `json:"meanMs"`
}

// Summarise returns the percentiles, maximum and mean of latencies. It
// sorts latencies in place. No latencies give the zero Latency.
func Summarise(latencies []time.Duration) Latency {
	if len(latencies) == 0 {
		return Latency{}
	}
	slices.Sort(latencies)
	var sum time.Duration
	for _, d := range latencies {
		sum += d
	}
	return Latency{
		P50:  millis(Percentile(latencies, 50)),
		P95:  millis(Percentile(latencies, 95)),
		P99:  millis(Percentile(latencies, 99)),
		Max:  millis(latencies[len(latencies)-1]),
		Mean: millis(sum / time.Duration(len(latencies))),
	}
}

// Percentile returns the p-th percentile (0 < p <= 100) of sorted by the
// nearest-rank method: the smallest value that at least p percent of the
// values are less than or equal to. It returns 0 for an empty slice; p
// outside (0, 100] is clamped.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	p = min(max(p, 0), 100)
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	rank = min(max(rank, 1), len(sorted))
	return sorted[rank-1]
}

// Throughput returns successes per second over elapsed, 0 when nothing
// elapsed.
func Throughput(successes int, elapsed time.Duration) float64 {
	if elapsed <= 0 {
		return 0
	}
	return float64(successes) / elapsed.Seconds()
}

func millis(d time.Duration) float64 {
	return math.Round(float64(d)/float64(time.Microsecond)) / 1000
}
