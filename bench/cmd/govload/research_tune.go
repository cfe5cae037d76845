package main

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/govshare/govshare/bench/research"
)

func runTune(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("tune", flag.ContinueOnError)
	fabricDir := fs.String("fabric", ".cache/fabric", "the Fabric binaries folder (make fabric-bins)")
	sourceDir := fs.String("source", ".", "the repository root, from which the baseline chaincode is built")
	batches := fs.String("batch", "250ms/100/2048,100ms/100/2048,100ms/20/2048,2s/10/2048", "comma-separated batch settings TIMEOUT/COUNT[/KIB]")
	concurrency := fs.String("concurrency", "8,32,96", "comma-separated concurrencies to measure under each setting")
	sequential := fs.Int("sequential", 20, "one-at-a-time writes timed under each setting")
	duration := fs.Duration("duration", 10*time.Second, "length of each concurrent round")
	keep := fs.Bool("keep", false, "keep the temporary networks' state folders")
	gatewayLimit := fs.Int("gateway-limit", 0, "override the peers' gateway concurrency limit (0: as configured, 500)")
	out := fs.String("out", "results", "folder for the JSON and CSV results")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg := research.TuneConfig{Sequential: *sequential, Duration: *duration, FabricDir: *fabricDir, SourceDir: *sourceDir,
		KeepState: *keep, GatewayLimit: *gatewayLimit, Progress: os.Stdout}
	for _, s := range strings.Split(*batches, ",") {
		o, err := research.ParseOrdering(s)
		if err != nil {
			return fmt.Errorf("%w: -batch: %v", errUsage, err)
		}
		cfg.Settings = append(cfg.Settings, o)
	}
	for _, s := range strings.Split(*concurrency, ",") {
		c, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || c < 1 || c > 512 {
			return fmt.Errorf("%w: -concurrency: %q is not a number from 1 to 512", errUsage, s)
		}
		cfg.Concurrency = append(cfg.Concurrency, c)
	}
	if *sequential < 1 || *duration <= 0 || *duration > 5*time.Minute {
		return fmt.Errorf("%w: -sequential must be positive and -duration from 1ns to 5m", errUsage)
	}
	rep, runErr := research.Tune(ctx, cfg)
	if len(rep.Points) == 0 {
		return fmt.Errorf("tuning measured nothing: %w", runErr)
	}
	rep.Finished = time.Now().UTC()
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "\nbatch\tgateway limit\tconcurrency\ttx/s\tp50 ms\tp95 ms\tp99 ms\tfailed\tload1\t")
	rows := [][]string{{"batch_timeout_ms", "max_message_count", "preferred_max_kib", "gateway_limit", "concurrency", "tps", "p50_ms", "p95_ms", "p99_ms", "failed", "load1"}}
	for _, p := range rep.Points {
		limit := "500"
		if p.GatewayLimit > 0 {
			limit = strconv.Itoa(p.GatewayLimit)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%.1f\t%.0f\t%.0f\t%.0f\t%d\t%.1f\t\n", research.FormatOrdering(p.Ordering), limit, p.Concurrency, p.TPS,
			p.Latency.P50, p.Latency.P95, p.Latency.P99, p.Failed, p.Load1)
		rows = append(rows, []string{strconv.Itoa(p.Ordering.BatchTimeoutMillis), strconv.Itoa(p.Ordering.MaxMessageCount),
			strconv.Itoa(p.Ordering.PreferredMaxBytesKiB), limit, strconv.Itoa(p.Concurrency), strconv.FormatFloat(p.TPS, 'f', 1, 64),
			strconv.FormatFloat(p.Latency.P50, 'f', -1, 64), strconv.FormatFloat(p.Latency.P95, 'f', -1, 64),
			strconv.FormatFloat(p.Latency.P99, 'f', -1, 64), strconv.Itoa(p.Failed), strconv.FormatFloat(p.Load1, 'f', -1, 64)})
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("print table: %w", err)
	}
	base := filepath.Join(*out, "tune-"+rep.Started.Format("20060102-150405"))
	if err := writeJSON(base+".json", rep); err != nil {
		return err
	}
	if err := writeFile(base+".csv", func(w io.Writer) error { return csv.NewWriter(w).WriteAll(rows) }); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	fmt.Printf("\nresults: %s.{json,csv}\n", base)
	return runErr
}
