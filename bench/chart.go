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
// of the write rounds and of the query rounds (each on its own scale, the
// reference rounds in grey), and the latency p50 and p99 of every round,
// in milliseconds on a logarithmic scale.
func (rep *Report) WriteChart(path string) error {
	if len(rep.Rounds) == 0 {
		return fmt.Errorf("chart %s: the report has no rounds", path)
	}
	names := make([]string, len(rep.Rounds))
	for i, r := range rep.Rounds {
		names[i] = r.Name
	}
	width := vg.Length(max(8, len(rep.Rounds))) * 0.85 * vg.Inch
	title := fmt.Sprintf("govshare load rounds, %s (%d workers; load average %.1f before, %.1f after)",
		rep.Started.UTC().Format("2006-01-02 15:04 UTC"), rep.Settings.Workers, rep.LoadAvg[0], rep.LoadAvg[1])

	var rows [][]*plot.Plot
	for _, kind := range []Kind{Write, Query} {
		p, err := rep.throughputPlot(kind)
		if err != nil {
			return fmt.Errorf("chart %s: %w", path, err)
		}
		if p != nil {
			if len(rows) == 0 {
				p.Title.Text = title
			}
			rows = append(rows, []*plot.Plot{p})
		}
	}

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
	nameAxis(bottom, names, 0.6)

	rows = append(rows, []*plot.Plot{bottom})
	return SaveColumn(path, rows, width, 4*vg.Inch)
}

// SaveColumn draws plots one above the other, each row high and all
// aligned on their axes, and writes them to path as a PNG.
func SaveColumn(path string, plots [][]*plot.Plot, width, row vg.Length) error {
	img := vgimg.New(width, vg.Length(len(plots))*row)
	tiles := draw.Tiles{Rows: len(plots), Cols: 1, PadX: vg.Millimeter, PadY: 3 * vg.Millimeter,
		PadTop: 2 * vg.Millimeter, PadBottom: 2 * vg.Millimeter, PadLeft: 2 * vg.Millimeter, PadRight: 4 * vg.Millimeter}
	canvases := plot.Align(plots, tiles, draw.New(img))
	for i := range plots {
		plots[i][0].Draw(canvases[i][0])
	}
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

// throughputPlot draws the successful transactions per second of the
// rounds of one kind, nil when there are none.
func (rep *Report) throughputPlot(kind Kind) (*plot.Plot, error) {
	var rounds []*RoundResult
	for _, r := range rep.Rounds {
		if r.Kind == kind {
			rounds = append(rounds, r)
		}
	}
	if len(rounds) == 0 {
		return nil, nil
	}
	p := plot.New()
	p.Y.Label.Text = map[Kind]string{Write: "committed writes/s", Query: "answered queries/s"}[kind]
	p.Y.Min = 0
	names := make([]string, len(rounds))
	for i, r := range rounds {
		names[i] = r.Name
		values := make(plotter.Values, len(rounds))
		values[i] = r.TPS
		bars, err := plotter.NewBarChart(values, vg.Points(18))
		if err != nil {
			return nil, fmt.Errorf("throughput bars: %w", err)
		}
		bars.LineStyle.Width = 0
		bars.Color = colourRound
		if r.Reference == "" {
			bars.Color = colourReference
		}
		p.Add(bars)
	}
	nameAxis(p, names, 0.6)
	return p, nil
}

// nameAxis labels the x axis of p with one name per bar, slanted by
// rotation (radians), and adds a grid.
func nameAxis(p *plot.Plot, names []string, rotation float64) {
	p.NominalX(names...)
	p.X.Tick.Label.Rotation = rotation
	p.X.Tick.Label.XAlign = draw.XRight
	p.X.Min, p.X.Max = -0.6, float64(len(names))-0.4
	p.Add(plotter.NewGrid())
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
