package research

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"

	"github.com/govshare/govshare/bench"
)

// WriteTable prints the preload steps and every probe's latency per size.
func (r *ScaleReport) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "domain\tpreloaded\ttarget\tseconds\ttx/s\tfailed\tload1\t")
	for _, p := range r.Preloads {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.0f\t%.0f\t%d\t%.1f\t\n", p.Domain, p.Reached, p.Target, p.Seconds, p.TPS, p.Failed, p.Load1)
	}
	fmt.Fprintln(tw, "\t\t\t\t\t\t\t")
	fmt.Fprintln(tw, "query\tprobe\tpage\ttotal\tp50 ms\tp95 ms\tbaseline get p50 ms\tload1\t")
	for _, p := range r.Points {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%.1f\t%.1f\t%.1f\t%.1f\t\n", p.Query, p.Probe, pageLabel(p.PageSize), p.Total,
			p.Latency.P50, p.Latency.P95, p.BaselineGetP50, p.Load1)
	}
	return tw.Flush()
}

func pageLabel(size int32) string {
	if size == 0 {
		return "-"
	}
	return strconv.Itoa(int(size))
}

// WriteCSV writes one line per probe and size.
func (r *ScaleReport) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	rows := [][]string{{"domain", "query", "probe", "probe_records", "page_size", "total", "p50_ms", "p95_ms", "p99_ms", "max_ms",
		"baseline_get_p50_ms", "load1"}}
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	for _, p := range r.Points {
		rows = append(rows, []string{p.Domain, p.Query, p.Probe, strconv.Itoa(p.ProbeRecords), strconv.Itoa(int(p.PageSize)),
			strconv.Itoa(p.Total), f(p.Latency.P50), f(p.Latency.P95), f(p.Latency.P99), f(p.Latency.Max), f(p.BaselineGetP50), f(p.Load1)})
	}
	if err := cw.WriteAll(rows); err != nil {
		return fmt.Errorf("write scaling CSV: %w", err)
	}
	return nil
}

// WriteChart draws p50 latency against the number of preloaded records,
// one panel per domain and one line per probe and page size, both axes
// logarithmic.
func (r *ScaleReport) WriteChart(path string) error {
	type key struct {
		query, probe string
		page         int32
	}
	var domains []string
	order := map[string][]key{}
	series := map[key]plotter.XYs{}
	top := map[string]float64{}
	for _, pt := range r.Points {
		k := key{pt.Query, pt.Probe, pt.PageSize}
		if _, ok := order[pt.Domain]; !ok {
			domains = append(domains, pt.Domain)
		}
		if _, ok := series[k]; !ok {
			order[pt.Domain] = append(order[pt.Domain], k)
		}
		y := max(pt.Latency.P50, 0.1)
		series[k] = append(series[k], plotter.XY{X: float64(max(pt.Total, 1)), Y: y})
		top[pt.Domain] = max(top[pt.Domain], y)
	}
	if len(domains) == 0 {
		return fmt.Errorf("chart %s: no points", path)
	}
	plots := make([][]*plot.Plot, len(domains))
	for d, domain := range domains {
		p := plot.New()
		p.Title.Text = fmt.Sprintf("%s: query p50 latency against records preloaded (%s)", domain, r.Started.Format("2006-01-02 15:04 UTC"))
		p.X.Label.Text = "records of the domain preloaded by the run"
		p.Y.Label.Text = "p50, ms"
		p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
		p.X.Tick.Marker, p.Y.Tick.Marker = bench.DecadeTicks{}, bench.DecadeTicks{}
		p.Y.Min, p.Y.Max = 1, top[domain]*8 // room above the lines for the legend
		for i, k := range order[domain] {
			line, points, err := plotter.NewLinePoints(series[k])
			if err != nil {
				return fmt.Errorf("chart %s: %w", path, err)
			}
			line.Color, points.Color = plotutil.Color(i), plotutil.Color(i)
			line.Dashes = plotutil.Dashes(i % 3)
			points.Shape = plotutil.Shape(i)
			p.Add(line, points)
			label := k.query + ", " + k.probe
			if k.page > 0 {
				label += fmt.Sprintf(", page %d", k.page)
			}
			p.Legend.Add(label, line, points)
		}
		p.Legend.Top, p.Legend.Left = true, true
		p.Add(plotter.NewGrid())
		plots[d] = []*plot.Plot{p}
	}
	return bench.SaveColumn(path, plots, 10*vg.Inch, 4.5*vg.Inch)
}
