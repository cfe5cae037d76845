package bench

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
)

// PairSummary sums up the repeated pairs of one write: each time, a round
// of the channel's baseline blind write ran just before a round of the
// write, and the write's ratio is its throughput over that baseline
// round's. On a machine whose speed drifts from minute to minute, a ratio
// between adjacent rounds, taken several times, says more than one ratio to
// a baseline measured earlier.
type PairSummary struct {
	Name    string `json:"name"`
	Channel string `json:"channel"`
	// Ratios lists the ratio of every pair, in the order they ran.
	Ratios []float64 `json:"ratios"`
	// Median, Min and Max summarise Ratios.
	Median float64 `json:"median"`
	Min    float64 `json:"min"`
	Max    float64 `json:"max"`
	// TPS, BaselineTPS, P50 and P99 are medians over the pairs.
	TPS         float64 `json:"tps"`
	BaselineTPS float64 `json:"baselineTps"`
	P50         float64 `json:"p50Ms"`
	P99         float64 `json:"p99Ms"`
	// ToTwin lists, for a write whose twin (TwinName) ran in the same
	// repetitions, the write's ratio over its twin's in each repetition
	// both ran: what the contract's own logic leaves of the throughput
	// the network has for the write's footprint. TwinMedian is their
	// median; both are empty without a twin.
	ToTwin     []float64 `json:"toTwin,omitempty"`
	TwinMedian float64   `json:"twinMedian,omitempty"`

	reps []int // the repetition of each ratio
}

// TwinName names the round of the baseline's twin of a write: a write
// with the same footprint and no domain logic.
func TwinName(write string) string { return "twin:" + write }

// PairName names the repetition rep of a paired round name.
func PairName(name string, rep int) string { return fmt.Sprintf("%s#%d", name, rep) }

// pairBase returns the name a PairName was made from, and its repetition
// (0 for a name PairName did not make).
func pairBase(name string) (string, int) {
	if i := strings.LastIndexByte(name, '#'); i > 0 {
		if rep, err := strconv.Atoi(name[i+1:]); err == nil {
			return name[:i], rep
		}
	}
	return name, 0
}

// SummarisePairs groups the paired write rounds by name (see PairName),
// in the order each name first ran. Rounds without a reference, or whose
// reference did not succeed, are left out.
func SummarisePairs(rounds []*RoundResult) []PairSummary {
	byName := map[string]*RoundResult{}
	for _, r := range rounds {
		byName[r.Name] = r
	}
	var out []PairSummary
	index := map[string]int{}
	type sample struct {
		ratio, tps, base, p50, p99 float64
		rep                        int
	}
	samples := map[string][]sample{}
	for _, r := range rounds {
		ref, ok := byName[r.Reference]
		if r.Kind != Write || !ok || ref.TPS <= 0 {
			continue
		}
		name, rep := pairBase(r.Name)
		if _, seen := index[name]; !seen {
			index[name] = len(out)
			out = append(out, PairSummary{Name: name, Channel: r.Channel})
		}
		samples[name] = append(samples[name], sample{r.TPS / ref.TPS, r.TPS, ref.TPS, r.Latency.P50, r.Latency.P99, rep})
	}
	for i := range out {
		s := samples[out[i].Name]
		pick := func(f func(sample) float64) []float64 {
			v := make([]float64, len(s))
			for k := range s {
				v[k] = f(s[k])
			}
			return v
		}
		ratios := pick(func(x sample) float64 { return x.ratio })
		out[i].Ratios = ratios
		out[i].Median = median(ratios)
		out[i].Min, out[i].Max = slices.Min(ratios), slices.Max(ratios)
		out[i].TPS = median(pick(func(x sample) float64 { return x.tps }))
		out[i].BaselineTPS = median(pick(func(x sample) float64 { return x.base }))
		out[i].P50 = median(pick(func(x sample) float64 { return x.p50 }))
		out[i].P99 = median(pick(func(x sample) float64 { return x.p99 }))
		for _, x := range s {
			out[i].reps = append(out[i].reps, x.rep)
		}
	}
	for i := range out {
		k, ok := index[TwinName(out[i].Name)]
		if !ok {
			continue
		}
		twin := out[k]
		for j, rep := range out[i].reps {
			if t := slices.Index(twin.reps, rep); t >= 0 {
				out[i].ToTwin = append(out[i].ToTwin, out[i].Ratios[j]/twin.Ratios[t])
			}
		}
		if len(out[i].ToTwin) > 0 {
			out[i].TwinMedian = median(out[i].ToTwin)
		}
	}
	return out
}

// median returns the median of v (the mean of the middle two for an even
// count); v must not be empty.
func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// WritePairs prints pair summaries as an aligned table.
func WritePairs(w io.Writer, pairs []PairSummary) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "write\tchannel\tpairs\tmedian ratio\tmin\tmax\tto its twin\tTPS\tbaseline TPS\tp50 ms\tp99 ms\tratios\t")
	for _, p := range pairs {
		ratios := make([]string, len(p.Ratios))
		for i, r := range p.Ratios {
			ratios[i] = fmt.Sprintf("%.0f%%", 100*r)
		}
		toTwin := "-"
		if len(p.ToTwin) > 0 {
			toTwin = fmt.Sprintf("%.0f%%", 100*p.TwinMedian)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%.0f%%\t%.0f%%\t%.0f%%\t%s\t%.1f\t%.1f\t%.0f\t%.0f\t%s\t\n", p.Name, p.Channel, len(p.Ratios),
			100*p.Median, 100*p.Min, 100*p.Max, toTwin, p.TPS, p.BaselineTPS, p.P50, p.P99, strings.Join(ratios, " "))
	}
	return tw.Flush()
}
