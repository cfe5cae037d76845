package bench

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// RoundResult is what one round measured.
type RoundResult struct {
	Name      string `json:"name"`
	Channel   string `json:"channel"`
	Kind      Kind   `json:"kind"`
	Reference string `json:"reference,omitempty"`
	Workers   int    `json:"workers"`
	Note      string `json:"note,omitempty"`
	// Started and Finished bound the round: from its first operation's
	// start to its last one's end.
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"`

	Succeeded       int               `json:"succeeded"`
	Failed          int               `json:"failed"`
	Failures        map[string]int    `json:"failures"`
	FailureExamples map[string]string `json:"failureExamples,omitempty"`
	ElapsedSeconds  float64           `json:"elapsedSeconds"`
	// TPS is successes per second of the round's wall time.
	TPS float64 `json:"tps"`
	// Batch is how many records one operation wrote, for a round of
	// batches (payment runs), and RecordsPerSecond its TPS times Batch;
	// both are 0 for a round of single records.
	Batch            int     `json:"batch,omitempty"`
	RecordsPerSecond float64 `json:"recordsPerSecond,omitempty"`
	Latency          Latency `json:"latency"`
	// MeanAttempts is how many times a successful transaction was
	// endorsed and submitted on average (above 1 only when the client
	// retried conflicts).
	MeanAttempts float64 `json:"meanAttempts"`
	// Ratio is the round's rate divided by the Reference round's (0
	// without one): TPS, or RecordsPerSecond for a round of batches.
	Ratio float64 `json:"ratio"`
	// Blocks is how many blocks the channel grew by during a write round;
	// BlockTxs and BlockKiB are the mean transactions and size of a
	// sample of them (0 when not observed).
	Blocks   int     `json:"blocks,omitempty"`
	BlockTxs float64 `json:"meanBlockTxs,omitempty"`
	BlockKiB float64 `json:"meanBlockKiB,omitempty"`
	// CPUPerTx is the CPU time each component of the network (and the
	// load generator, "client") used during the round, in milliseconds
	// per successful operation; CPUBusy is the share of the machine's
	// cores all of them kept busy. Both are absent when not sampled.
	CPUPerTx map[string]float64 `json:"cpuMsPerTx,omitempty"`
	CPUBusy  float64            `json:"cpuBusy,omitempty"`
	// Load1 is the machine's 1-minute load average when the round ended.
	Load1       float64 `json:"loadAverage1m"`
	Interrupted bool    `json:"interrupted,omitempty"`
}

// Settings are the conditions a run measured under.
type Settings struct {
	// Orderer batch settings of the channels (from the network's
	// rendered configtx.yaml).
	BatchTimeout      string `json:"batchTimeout"`
	MaxMessageCount   int    `json:"maxMessageCount"`
	PreferredMaxBytes string `json:"preferredMaxBytes"`
	// GatewayConcurrency is peer.limits.concurrency.gatewayService of the
	// gateway peers.
	GatewayConcurrency int `json:"gatewayConcurrencyLimit"`
	Workers            int `json:"workers"`
	// RoundSeconds and RoundCount are the default round limits.
	RoundSeconds float64 `json:"roundSeconds"`
	RoundCount   int     `json:"roundCount,omitempty"`
	CPUs         int     `json:"cpus"`
	GoVersion    string  `json:"goVersion"`
	Profile      string  `json:"profile"`
}

// Report is one run of rounds.
type Report struct {
	Started  time.Time      `json:"started"`
	Finished time.Time      `json:"finished"`
	Settings Settings       `json:"settings"`
	LoadAvg  [2]float64     `json:"loadAverage1mBeforeAfter"`
	Rounds   []*RoundResult `json:"rounds"`
	// Pairs sums up the paired rounds of govload research pairs.
	Pairs []PairSummary `json:"pairs,omitempty"`
	Notes []string      `json:"notes,omitempty"`
}

// Compare sets each round's Ratio: its rate over the rate of the round
// named by its Reference, where a round's rate is its TPS, or for a round
// of batches the records it wrote per second. A reference that did not
// run, or ran without a success, leaves the ratio at 0.
func Compare(rounds []*RoundResult) {
	byName := map[string]*RoundResult{}
	for _, r := range rounds {
		byName[r.Name] = r
	}
	for _, r := range rounds {
		r.Ratio = 0
		if ref, ok := byName[r.Reference]; ok && ref.Rate() > 0 {
			r.Ratio = r.Rate() / ref.Rate()
		}
	}
}

// Rate is the round's throughput in records per second: its TPS, times
// Batch for a round of batches.
func (r *RoundResult) Rate() float64 {
	if r.Batch > 1 {
		return r.RecordsPerSecond
	}
	return r.TPS
}

// FailureSummary lists failure classes with their counts, most frequent
// first, as "MVCC_READ_CONFLICT=12 TIMEOUT=1"; "-" when there are none.
func (r *RoundResult) FailureSummary() string {
	if r.Failed == 0 {
		return "-"
	}
	classes := slices.Sorted(maps.Keys(r.Failures))
	slices.SortStableFunc(classes, func(a, b string) int { return r.Failures[b] - r.Failures[a] })
	parts := make([]string, len(classes))
	for i, c := range classes {
		parts[i] = fmt.Sprintf("%s=%d", c, r.Failures[c])
	}
	return strings.Join(parts, " ")
}

// WriteTable prints the rounds as an aligned text table.
func (rep *Report) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "round\tchannel\tkind\tok\tTPS\trecords/s\tratio\tp50 ms\tp95 ms\tp99 ms\tmax ms\tCPU ms/tx peer+ord+cc+client\tbusy\tload1\tfailures\t")
	for _, r := range rep.Rounds {
		ratio := "-"
		if r.Reference != "" {
			ratio = fmt.Sprintf("%.0f%%", 100*r.Ratio)
		}
		cpu, busy := "-", "-"
		if r.CPUPerTx != nil {
			c := r.CPUPerTx
			cpu = fmt.Sprintf("%.2f+%.2f+%.2f+%.2f", c[CPUPeer], c[CPUOrderer], c[CPUChaincode], c[CPUClient])
			busy = fmt.Sprintf("%.0f%%", 100*r.CPUBusy)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%.1f\t%.1f\t%s\t%.0f\t%.0f\t%.0f\t%.0f\t%s\t%s\t%.1f\t%s\t\n",
			r.Name, r.Channel, r.Kind, r.Succeeded, r.TPS, r.Rate(), ratio,
			r.Latency.P50, r.Latency.P95, r.Latency.P99, r.Latency.Max, cpu, busy, r.Load1, r.FailureSummary())
	}
	return tw.Flush()
}

// WriteLatencies prints, for each round compared with another, its p50
// latency next to the other round's and their ratio: for rounds of one
// worker, how much longer one write of its kind takes than one of the
// reference's.
func WriteLatencies(w io.Writer, rounds []*RoundResult) error {
	byName := map[string]*RoundResult{}
	for _, r := range rounds {
		byName[r.Name] = r
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "round\tp50 ms\treference\tp50 ms\tlatency ratio\t")
	for _, r := range rounds {
		ref, ok := byName[r.Reference]
		if !ok || ref.Latency.P50 <= 0 || r.Succeeded == 0 {
			continue
		}
		fmt.Fprintf(tw, "%s\t%.0f\t%s\t%.0f\t%.2fx\t\n", r.Name, r.Latency.P50, ref.Name, ref.Latency.P50, r.Latency.P50/ref.Latency.P50)
	}
	return tw.Flush()
}

// csvHeader is the header of the CSV file.
var csvHeader = []string{"round", "channel", "kind", "reference", "workers", "succeeded", "failed", "failures",
	"elapsed_s", "tps", "batch", "records_per_s", "ratio", "p50_ms", "p95_ms", "p99_ms", "max_ms", "mean_ms", "mean_attempts", "blocks",
	"mean_block_txs", "mean_block_kib", "cpu_ms_per_tx_peer", "cpu_ms_per_tx_orderer", "cpu_ms_per_tx_chaincode",
	"cpu_ms_per_tx_ca", "cpu_ms_per_tx_client", "cpu_busy", "load1"}

// WriteCSV writes one line per round.
func (rep *Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return fmt.Errorf("write CSV header: %w", err)
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	for _, r := range rep.Rounds {
		failures := ""
		if r.Failed > 0 {
			failures = r.FailureSummary()
		}
		row := []string{r.Name, r.Channel, string(r.Kind), r.Reference, strconv.Itoa(r.Workers),
			strconv.Itoa(r.Succeeded), strconv.Itoa(r.Failed), failures,
			f(round3(r.ElapsedSeconds)), f(round3(r.TPS)), strconv.Itoa(max(1, r.Batch)), f(round3(r.Rate())), f(round3(r.Ratio)),
			f(r.Latency.P50), f(r.Latency.P95), f(r.Latency.P99), f(r.Latency.Max), f(r.Latency.Mean),
			f(round3(r.MeanAttempts)), strconv.Itoa(r.Blocks), f(round3(r.BlockTxs)), f(round3(r.BlockKiB))}
		for _, c := range CPUComponents {
			row = append(row, f(round3(r.CPUPerTx[c])))
		}
		row = append(row, f(round3(r.CPUBusy)), f(r.Load1))
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("write CSV row %s: %w", r.Name, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	return nil
}

// Save writes base.json, base.csv and base.png (the chart of the rounds)
// and, for a report with pairs, base-pairs.png (WritePairsChart), and
// returns their paths.
func (rep *Report) Save(base string) ([]string, error) {
	if err := os.MkdirAll(filepath.Dir(base), 0o755); err != nil {
		return nil, fmt.Errorf("create results folder: %w", err)
	}
	data, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode report: %w", err)
	}
	paths := []string{base + ".json", base + ".csv", base + ".png"}
	if err := os.WriteFile(paths[0], append(data, '\n'), 0o644); err != nil {
		return nil, fmt.Errorf("write report: %w", err)
	}
	f, err := os.Create(paths[1])
	if err != nil {
		return nil, fmt.Errorf("create CSV: %w", err)
	}
	if err := rep.WriteCSV(f); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("write CSV: %w", err)
	}
	if err := rep.WriteChart(paths[2]); err != nil {
		return nil, err
	}
	if len(rep.Pairs) > 0 {
		path := base + "-pairs.png"
		title := fmt.Sprintf("govshare write pairs, %s (%d workers)", rep.Started.UTC().Format("2006-01-02 15:04 UTC"), rep.Settings.Workers)
		if err := WritePairsChart(path, title, rep.Pairs); err != nil {
			return nil, err
		}
		paths = append(paths, path)
	}
	return paths, nil
}

func round3(v float64) float64 {
	return float64(int64(v*1000+0.5)) / 1000
}
