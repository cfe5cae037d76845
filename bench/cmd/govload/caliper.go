package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/govshare/govshare/bench/caliper"
	"github.com/govshare/govshare/network"
)

func runCaliper(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("caliper", flag.ContinueOnError)
	stateDir := fs.String("network", ".govshare/bench", "the state folder of a network made for benchmarks (make bench, govnet -bench)")
	out := fs.String("out", "results/caliper/network.yaml", "file to write Caliper's network configuration to")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := caliper.Build(*stateDir, network.Consortium(network.WithBenchmarkProbes()))
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(*out), 0o755); err != nil {
		return fmt.Errorf("create %s: %w", filepath.Dir(*out), err)
	}
	if err := cfg.Write(*out); err != nil {
		return err
	}
	fmt.Printf("Caliper network configuration: %s (%d organisations, %d channels)\n", *out, len(cfg.Organizations), len(cfg.Channels))
	return nil
}
