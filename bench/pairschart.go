package bench

import (
	"fmt"
	"image/color"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// TargetRatio is the share of the blind write's throughput a domain write
// should reach.
const TargetRatio = 0.9

// colourTwin marks the twins' bars.
var colourTwin = color.RGBA{R: 190, G: 190, B: 190, A: 255}

// WritePairsChart draws the pair summaries as a PNG: each write's and each
// twin's median ratio to the blind write run just before it, with the
// lowest and highest as a bar, and, for the writes with a twin, the
// median of their ratio to the twin; a dashed line marks TargetRatio of
// the blind write.
func WritePairsChart(path, title string, pairs []PairSummary) error {
	if len(pairs) == 0 {
		return fmt.Errorf("chart %s: no pairs", path)
	}
	top, err := ratioPlot(pairs, func(p PairSummary) ([]float64, float64) { return p.Ratios, p.Median }, true)
	if err != nil {
		return fmt.Errorf("chart %s: %w", path, err)
	}
	top.Title.Text = title
	top.Y.Label.Text = "% of the blind write just before"
	rows := [][]*plot.Plot{{top}}
	var twinned []PairSummary
	for _, p := range pairs {
		if len(p.ToTwin) > 0 {
			twinned = append(twinned, p)
		}
	}
	if len(twinned) > 0 {
		bottom, err := ratioPlot(twinned, func(p PairSummary) ([]float64, float64) { return p.ToTwin, p.TwinMedian }, false)
		if err != nil {
			return fmt.Errorf("chart %s: %w", path, err)
		}
		bottom.Y.Label.Text = "% of its twin, per repetition"
		rows = append(rows, []*plot.Plot{bottom})
	}
	width := vg.Length(max(6, len(pairs))) * 0.9 * vg.Inch
	return SaveColumn(path, rows, width, 4*vg.Inch)
}

// rangeBars are the lowest-to-highest bars of a ratioPlot.
type rangeBars struct {
	plotter.XYs
	plotter.YErrors
}

// ratioPlot draws, for each pair summary, a bar of the median that values
// gives and a line from the lowest to the highest of its ratios, in per
// cent, and, with target, TargetRatio as a dashed line.
func ratioPlot(pairs []PairSummary, values func(PairSummary) ([]float64, float64), target bool) (*plot.Plot, error) {
	p := plot.New()
	p.Y.Min = 0
	names := make([]string, len(pairs))
	ranges := rangeBars{XYs: make(plotter.XYs, len(pairs)), YErrors: make(plotter.YErrors, len(pairs))}
	for i, pair := range pairs {
		names[i] = pair.Name
		ratios, median := values(pair)
		if len(ratios) == 0 {
			return nil, fmt.Errorf("%s has no ratios", pair.Name)
		}
		lo, hi := ratios[0], ratios[0]
		for _, r := range ratios {
			lo, hi = min(lo, r), max(hi, r)
		}
		bar := make(plotter.Values, len(pairs))
		bar[i] = 100 * median
		bars, err := plotter.NewBarChart(bar, vg.Points(22))
		if err != nil {
			return nil, fmt.Errorf("ratio bars: %w", err)
		}
		bars.LineStyle.Width = 0
		bars.Color = colourRound
		if strings.HasPrefix(pair.Name, TwinName("")) {
			bars.Color = colourTwin
		}
		p.Add(bars)
		ranges.XYs[i] = plotter.XY{X: float64(i), Y: 100 * median}
		ranges.YErrors[i].Low, ranges.YErrors[i].High = 100*(median-lo), 100*(hi-median)
	}
	spread, err := plotter.NewYErrorBars(ranges)
	if err != nil {
		return nil, fmt.Errorf("ratio ranges: %w", err)
	}
	spread.LineStyle.Width = vg.Points(1.5)
	p.Add(spread)
	if target {
		line := plotter.NewFunction(func(float64) float64 { return 100 * TargetRatio })
		line.Dashes = []vg.Length{vg.Points(6), vg.Points(4)}
		line.Color = colourP99
		p.Add(line)
		p.Legend.Add(fmt.Sprintf("target %.0f%% of the blind write", 100*TargetRatio), line)
		p.Legend.Top = true
	}
	nameAxis(p, names, 0.5)
	return p, nil
}
