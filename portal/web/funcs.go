package web

import (
	"encoding/json"
	"fmt"
	"html/template"
	"math/big"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/govshare/govshare/chaincode/finance"
	govclient "github.com/govshare/govshare/gateway-client"
)

// funcs are the template functions.
func (s *Server) funcs() template.FuncMap {
	return template.FuncMap{
		"asset": func(name string) (string, error) { return s.assetURL(name) },
		"money": govclient.FormatAmount,
		"total": govclient.FormatTotal,
		"share": govclient.FormatShare,
		"date": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.UTC().Format("2006-01-02 15:04:05 UTC")
		},
		"day": func(t time.Time) string { return t.UTC().Format("2006-01-02") },
		"short": func(s string) string {
			if len(s) > 16 {
				return s[:16] + "…"
			}
			return s
		},
		"q":       url.QueryEscape,
		"path":    url.PathEscape,
		"join":    strings.Join,
		"percent": percent,
		"prettyJSON": func(data []byte) string {
			var v any
			if json.Unmarshal(data, &v) != nil {
				return string(data)
			}
			out, _ := json.MarshalIndent(v, "", "  ")
			return string(out)
		},
		"text":     func(data []byte) string { return string(data) },
		"barChart": barChart,
		"agencyBars": func(sum *finance.SpendingSummary) []Bar {
			var bars []Bar
			for _, a := range sum.ByAgency {
				bars = append(bars, Bar{Label: a.Agency, Value: a.Allocated, Part: a.Spent, Currency: a.Currency})
			}
			return bars
		},
		"codeBars": func(sum *finance.SpendingSummary, scheme string) []Bar {
			var bars []Bar
			for _, c := range sum.ByClassification {
				if c.Scheme == scheme {
					bars = append(bars, Bar{Label: c.Code, Value: c.Appropriated, Part: c.Spent, Currency: c.Currency})
				}
			}
			return bars
		},
		"add":  func(a, b int) int { return a + b },
		"pair": func(v any, d any) Pair { return Pair{V: v, D: d} },
		"u64":  func(n uint64) string { return strconv.FormatUint(n, 10) },
		"prev": func(n uint64) uint64 { return n - 1 },
	}
}

// percent is part of whole as a CSS width, "37.50%".
func percent(part, whole int64) string {
	if whole <= 0 {
		return "0%"
	}
	return fmt.Sprintf("%.2f%%", float64(part)*100/float64(whole))
}

// Bar is one bar of a chart: a whole (the bar) and a part of it (its
// filled share), in minor units.
type Bar struct {
	Label    string
	Value    finance.Total
	Part     finance.Total
	Currency string
}

// amount reads a Total as a number, 0 if it is none.
func amount(t finance.Total) *big.Int {
	n, ok := new(big.Int).SetString(string(t), 10)
	if !ok {
		return new(big.Int)
	}
	return n
}

// fraction is part of whole as a float in [0, 1] (of any size).
func fraction(part, whole *big.Int) float64 {
	if whole.Sign() <= 0 {
		return 0
	}
	f, _ := new(big.Rat).SetFrac(part, whole).Float64()
	return f
}

// barChart draws horizontal bars as inline SVG, largest first: the light
// bar is the whole, the dark one the part; each bar has a text label and
// a tooltip, so the chart reads without colour and on a phone.
func barChart(title, wholeLabel, partLabel string, bars []Bar) template.HTML {
	if len(bars) == 0 {
		return ""
	}
	bars = slices.Clone(bars)
	slices.SortStableFunc(bars, func(a, b Bar) int {
		if c := amount(b.Value).Cmp(amount(a.Value)); c != 0 {
			return c
		}
		return strings.Compare(a.Label, b.Label)
	})
	largest := big.NewInt(1)
	for _, b := range bars {
		for _, v := range []*big.Int{amount(b.Value), amount(b.Part)} {
			if v.Cmp(largest) > 0 {
				largest = v
			}
		}
	}
	const width, row, labelW = 420, 36, 110
	height := len(bars)*row + 24
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="chart" viewBox="0 0 %d %d" role="img" aria-label="%s" xmlns="http://www.w3.org/2000/svg">`, width, height, template.HTMLEscapeString(title))
	fmt.Fprintf(&sb, `<title>%s</title>`, template.HTMLEscapeString(title))
	for i, b := range bars {
		y := i*row + 4
		whole := int(float64(width-labelW-10) * fraction(amount(b.Value), largest))
		part := int(float64(width-labelW-10) * fraction(amount(b.Part), largest))
		tip := fmt.Sprintf("%s: %s %s, %s %s", b.Label, wholeLabel, govclient.FormatTotal(b.Value, b.Currency), partLabel, govclient.FormatTotal(b.Part, b.Currency))
		fmt.Fprintf(&sb, `<g><title>%s</title>`, template.HTMLEscapeString(tip))
		fmt.Fprintf(&sb, `<text x="0" y="%d" class="l">%s</text>`, y+14, template.HTMLEscapeString(b.Label))
		fmt.Fprintf(&sb, `<rect x="%d" y="%d" width="%d" height="12" class="w"/>`, labelW, y+4, max1(whole))
		fmt.Fprintf(&sb, `<rect x="%d" y="%d" width="%d" height="12" class="p"/>`, labelW, y+4, part)
		fmt.Fprintf(&sb, `<text x="%d" y="%d" class="v">%s / %s</text>`, labelW, y+30, template.HTMLEscapeString(govclient.FormatTotal(b.Part, b.Currency)),
			template.HTMLEscapeString(govclient.FormatTotal(b.Value, b.Currency)))
		sb.WriteString(`</g>`)
	}
	fmt.Fprintf(&sb, `<g class="key"><rect x="0" y="%d" width="10" height="10" class="w"/><text x="14" y="%d">%s</text><rect x="150" y="%d" width="10" height="10" class="p"/><text x="164" y="%d">%s</text></g>`,
		height-14, height-5, template.HTMLEscapeString(wholeLabel), height-14, height-5, template.HTMLEscapeString(partLabel))
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String())
}

func max1(n int) int {
	if n < 1 {
		return 1
	}
	return n
}

// Pair hands a partial template the page's view (V, for its texts) and its
// own data (D).
type Pair struct{ V, D any }
