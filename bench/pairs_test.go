package bench

import (
	"bytes"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSummarisePairsComparesEachWriteWithTheBaselineJustBefore(t *testing.T) {
	round := func(name, ref string, kind Kind, tps, p50 float64) *RoundResult {
		return &RoundResult{Name: name, Channel: "education-credit", Kind: kind, Reference: ref, TPS: tps, Latency: Latency{P50: p50, P99: 2 * p50}}
	}
	rounds := []*RoundResult{
		round(PairName("baseline-put@edu:record-credit", 1), "", Write, 200, 100),
		round(PairName("record-credit", 1), PairName("baseline-put@edu:record-credit", 1), Write, 180, 110),
		round(PairName("baseline-put@edu:recognise-credit", 1), "", Write, 100, 100),
		round(PairName("recognise-credit", 1), PairName("baseline-put@edu:recognise-credit", 1), Write, 50, 120),
		round(PairName("baseline-put@edu:record-credit", 2), "", Write, 100, 100),
		round(PairName("record-credit", 2), PairName("baseline-put@edu:record-credit", 2), Write, 70, 130),
		round(PairName("baseline-put@edu:record-credit", 3), "", Write, 150, 100),
		round(PairName("record-credit", 3), PairName("baseline-put@edu:record-credit", 3), Write, 120, 150),
		round(PairName("baseline-put@edu:failed", 1), "", Write, 0, 0),
		round(PairName("failed", 1), PairName("baseline-put@edu:failed", 1), Write, 10, 100),
		round("transcript", "baseline-get@edu", Query, 900, 10),
	}
	pairs := SummarisePairs(rounds)
	require.Len(t, pairs, 2, "a pair whose baseline failed and a query are left out")

	credit := pairs[0]
	assert.Equal(t, "record-credit", credit.Name)
	assert.InDeltaSlice(t, []float64{0.9, 0.7, 0.8}, credit.Ratios, 1e-9, "in the order they ran")
	assert.InDelta(t, 0.8, credit.Median, 1e-9)
	assert.InDelta(t, 0.7, credit.Min, 1e-9)
	assert.InDelta(t, 0.9, credit.Max, 1e-9)
	assert.InDelta(t, 120, credit.TPS, 1e-9)
	assert.InDelta(t, 150, credit.BaselineTPS, 1e-9)
	assert.InDelta(t, 130, credit.P50, 1e-9)
	assert.InDelta(t, 260, credit.P99, 1e-9)

	assert.Equal(t, "recognise-credit", pairs[1].Name)
	assert.InDeltaSlice(t, []float64{0.5}, pairs[1].Ratios, 1e-9)

	assert.Empty(t, credit.ToTwin, "no twin ran")

	var out bytes.Buffer
	require.NoError(t, WritePairs(&out, pairs))
	assert.Contains(t, out.String(), "90% 70% 80%")
}

func TestSummarisePairsComparesAWriteWithItsTwinRepetitionByRepetition(t *testing.T) {
	round := func(name, ref string, rep int, tps float64) *RoundResult {
		r := &RoundResult{Name: PairName(name, rep), Channel: "finance-ledger", Kind: Write, TPS: tps}
		if ref != "" {
			r.Reference = PairName(ref, rep)
		}
		return r
	}
	twin, put, putTwin := TwinName("disburse"), "baseline-put@fin:disburse", "baseline-put@fin:"+TwinName("disburse")
	rounds := []*RoundResult{
		round(putTwin, "", 1, 200), round(twin, putTwin, 1, 160), // twin 80%
		round(put, "", 1, 200), round("disburse", put, 1, 152), // write 76%: 95% of its twin
		round(putTwin, "", 2, 0), round(twin, putTwin, 2, 100), // the twin's baseline failed: left out
		round(put, "", 2, 100), round("disburse", put, 2, 70),
		round(putTwin, "", 3, 100), round(twin, putTwin, 3, 50), // twin 50%
		round(put, "", 3, 100), round("disburse", put, 3, 55), // write 55%: 110% of its twin
	}
	pairs := SummarisePairs(rounds)
	require.Len(t, pairs, 2)
	assert.Equal(t, twin, pairs[0].Name)
	assert.Empty(t, pairs[0].ToTwin, "a twin has no twin")
	write := pairs[1]
	assert.Equal(t, "disburse", write.Name)
	assert.InDeltaSlice(t, []float64{0.76, 0.7, 0.55}, write.Ratios, 1e-9)
	assert.InDeltaSlice(t, []float64{0.95, 1.1}, write.ToTwin, 1e-9, "only the repetitions both ran, matched by repetition")
	assert.InDelta(t, 1.025, write.TwinMedian, 1e-9)

	var out bytes.Buffer
	require.NoError(t, WritePairs(&out, pairs))
	assert.Contains(t, out.String(), "102%")
}

func TestMedian(t *testing.T) {
	tests := []struct {
		in   []float64
		want float64
	}{
		{[]float64{3}, 3},
		{[]float64{3, 1, 2}, 2},
		{[]float64{4, 1, 3, 2}, 2.5},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.in), func(t *testing.T) {
			assert.InDelta(t, tt.want, median(tt.in), 1e-9)
		})
	}
}

func TestWritePairsChartDrawsRatiosAndTwins(t *testing.T) {
	pairs := []PairSummary{
		{Name: TwinName("disburse"), Ratios: []float64{0.8, 0.9}, Median: 0.85},
		{Name: "disburse", Ratios: []float64{0.7, 0.8}, Median: 0.75, ToTwin: []float64{0.9, 0.95}, TwinMedian: 0.925},
	}
	path := filepath.Join(t.TempDir(), "pairs.png")
	require.NoError(t, WritePairsChart(path, "test", pairs))
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	img, err := png.Decode(f)
	require.NoError(t, err)
	assert.Greater(t, img.Bounds().Dy(), 500, "two panels: ratios to the blind write, and to the twin")

	assert.ErrorContains(t, WritePairsChart(path, "test", nil), "no pairs")
	assert.ErrorContains(t, WritePairsChart(path, "test", []PairSummary{{Name: "empty"}}), "empty has no ratios")
}
