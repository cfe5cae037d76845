package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/govshare/govshare/bench/research"
	"github.com/govshare/govshare/bench/workload"
)

func runScale(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("scale", flag.ContinueOnError)
	stateDir := fs.String("network", ".govshare/bench", "the state folder of a network made for benchmarks (make bench, govnet -bench)")
	sizes := fs.String("sizes", "1000,10000,100000", "comma-separated numbers of records to preload, in steps")
	domains := fs.String("domains", "", "comma-separated domains (education, finance, evidence; default: all)")
	workers := fs.Int("workers", 32, "concurrent submitters of the preload")
	reps := fs.Int("reps", 30, "timed calls of each probe query at each size")
	stepTimeout := fs.Duration("step-timeout", 10*time.Minute, "bound of one preload step")
	out := fs.String("out", "results", "folder for the JSON, CSV and PNG results")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg := research.ScaleConfig{Workers: *workers, Reps: *reps, StepTimeout: *stepTimeout, Progress: os.Stdout}
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return fmt.Errorf("%w: -sizes: %q is not a number", errUsage, s)
		}
		cfg.Sizes = append(cfg.Sizes, n)
	}
	if *domains != "" {
		for _, d := range strings.Split(*domains, ",") {
			cfg.Domains = append(cfg.Domains, strings.TrimSpace(d))
		}
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	env := workload.NewEnv(*stateDir)
	defer env.Close()
	fmt.Printf("govload research scale: run %s, sizes %v, %d preload workers, %d timed calls per probe\n", env.RunID, cfg.Sizes, cfg.Workers, cfg.Reps)
	rep, runErr := research.Scale(ctx, env, cfg)
	if rep == nil || len(rep.Points) == 0 {
		return fmt.Errorf("scaling run measured nothing: %w", runErr)
	}
	rep.Finished = time.Now().UTC()
	fmt.Println()
	if err := rep.WriteTable(os.Stdout); err != nil {
		return fmt.Errorf("print table: %w", err)
	}
	for _, n := range rep.Notes {
		fmt.Println("note:", n)
	}
	base := filepath.Join(*out, "scale-"+rep.Started.Format("20060102-150405"))
	for _, b := range []string{base, filepath.Join(*out, "scale-latest")} {
		if err := writeJSON(b+".json", rep); err != nil {
			return err
		}
		if err := writeFile(b+".csv", rep.WriteCSV); err != nil {
			return err
		}
		if err := rep.WriteChart(b + ".png"); err != nil {
			return err
		}
	}
	fmt.Printf("\nresults: %s.{json,csv,png}\n", base)
	return runErr
}
