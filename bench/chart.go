package bench

import (
	"fmt"
	"image/color"
	"math"
	"os"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Colours of the chart: reference rounds grey, others blue; p50 light and
// p99 dark.
var (
	colourReference = color.RGBA{R: 150, G: 150, B: 150, A: 255}
	colourRound     = color.RGBA{R: 40, G: 100, B: 180, A: 255}
	colourP50       = color.RGBA{R: 120, G: 180, B: 230, A: 255}
	colourP99       = color.RGBA{R: 200, G: 80, B: 40, A: 255}
)

// WriteChart draws the report as a PNG: successful transactions per second
// of every round on top (reference rounds in grey), latency p50 and p99 of
// every round below, in milliseconds on a logarithmic scale.
func (rep *Report) WriteChart(path string) error {
	if len(rep.Rounds) == 0 {
		return fmt.Errorf("chart %s: the report has no rounds", path)
	}
	names := make([]string, len(rep.Rounds))
	for i, r := range rep.Rounds {
		names[i] = r.Name
	}
	width := vg.Length(max(8, len(rep.Rounds))) * 0.85 * vg.Inch

	top := plot.New()
	top.Title.Text = fmt.Sprintf("govshare load rounds, %s (%d workers; load average %.1f before, %.1f after)",
		rep.Started.UTC().Format("2006-01-02 15:04 UTC"), rep.Settings.Workers, rep.LoadAvg[0], rep.LoadAvg[1])
	top.Y.Label.Text = "successful tx/s"
	top.Y.Min = 0
	for i, r := range rep.Rounds {
		values := make(plotter.Values, len(rep.Rounds))
		values[i] = r.TPS
		bars, err := plotter.NewBarChart(values, vg.Points(18))
		if err != nil {
			return fmt.Errorf("chart %s: throughput bars: %w", path, err)
		}
		bars.LineStyle.Width = 0
		bars.Color = colourRound
		if r.Reference == "" {
			bars.Color = colourReference
		}
		top.Add(bars)
	}
	top.NominalX(names...)
	top.X.Tick.Label.Rotation = 0.6
	top.X.Tick.Label.XAlign = draw.XRight
	top.Add(plotter.NewGrid())

	bottom := plot.New()
	bottom.Y.Label.Text = "latency, ms (log scale)"
	bottom.Y.Scale = plot.LogScale{}
	bottom.Y.Tick.Marker = DecadeTicks{}
	for _, series := range []struct {
		quantile func(Latency) float64
		colour   color.Color
		shape    draw.GlyphDrawer
		label    string
	}{
		{func(l Latency) float64 { return l.P50 }, colourP50, draw.CircleGlyph{}, "p50"},
		{func(l Latency) float64 { return l.P99 }, colourP99, draw.TriangleGlyph{}, "p99"},
	} {
		points := make(plotter.XYs, len(rep.Rounds))
		for i, r := range rep.Rounds {
			// a log scale cannot show 0: a round without successes shows 1 ms
			points[i] = plotter.XY{X: float64(i), Y: max(series.quantile(r.Latency), 1)}
		}
		scatter, err := plotter.NewScatter(points)
		if err != nil {
			return fmt.Errorf("chart %s: latency points: %w", path, err)
		}
		scatter.GlyphStyle.Color = series.colour
		scatter.GlyphStyle.Shape = series.shape
		scatter.GlyphStyle.Radius = vg.Points(4)
		bottom.Add(scatter)
		bottom.Legend.Add(series.label, scatter)
	}
	bottom.Y.Min = 1 // from 1 ms, so that the axis always spans a labelled decade
	bottom.Legend.Top = true
	bottom.Legend.Left = true
	bottom.Legend.XOffs = vg.Points(10)
	for _, p := range []*plot.Plot{top, bottom} {
		p.X.Min, p.X.Max = -0.6, float64(len(rep.Rounds))-0.4
	}
	bottom.NominalX(names...)
	bottom.X.Tick.Label.Rotation = 0.6
	bottom.X.Tick.Label.XAlign = draw.XRight
	bottom.Add(plotter.NewGrid())

	img := vgimg.New(width, 9*vg.Inch)
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: 2, Cols: 1, PadX: vg.Millimeter, PadY: 3 * vg.Millimeter,
		PadTop: 2 * vg.Millimeter, PadBottom: 2 * vg.Millimeter, PadLeft: 2 * vg.Millimeter, PadRight: 2 * vg.Millimeter}
	canvases := plot.Align([][]*plot.Plot{{top}, {bottom}}, tiles, dc)
	top.Draw(canvases[0][0])
	bottom.Draw(canvases[1][0])

	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create chart: %w", err)
	}
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(f); err != nil {
		f.Close()
		return fmt.Errorf("write chart %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write chart %s: %w", path, err)
	}
	return nil
}

// DecadeTicks marks 1, 2 and 5 times each power of ten in the axis range,
// labelled, so that a log axis spanning less than a decade still has labels.
type DecadeTicks struct{}

// Ticks implements plot.Ticker.
func (DecadeTicks) Ticks(lo, hi float64) []plot.Tick {
	var ticks []plot.Tick
	for decade := math.Pow(10, math.Floor(math.Log10(max(lo, 1e-3)))); decade <= hi; decade *= 10 {
		for _, m := range []float64{1, 2, 5} {
			v := m * decade
			if v >= lo && v <= hi {
				ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'g', -1, 64)})
			}
		}
	}
	return ticks
}
