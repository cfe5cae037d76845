package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/govshare/govshare/bench"
	"github.com/govshare/govshare/bench/research"
)

// runPeers attributes the peers' CPU per transaction to parts of Fabric,
// from a perf recording of the peers made while a report's rounds ran (see
// bench/research/profile-peers). The recording's `perf script -F time,ip,sym`
// output is read from standard input.
func runPeers(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("peers", flag.ContinueOnError)
	report := fs.String("report", "", "the JSON report of the run the recording covers (required)")
	hz := fs.Float64("hz", 200, "perf's sampling frequency (-F) of the recording")
	margin := fs.Duration("margin", time.Second, "time left out at each end of a round")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *report == "" || *hz <= 0 {
		return fmt.Errorf("%w: -report is required and -hz must be positive", errUsage)
	}
	data, err := os.ReadFile(*report)
	if err != nil {
		return fmt.Errorf("read report: %w", err)
	}
	var rep bench.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		return fmt.Errorf("decode report %s: %w", *report, err)
	}
	profiles, err := research.ProfileRounds(&rep, os.Stdin, *hz, *margin)
	if err != nil {
		return err
	}
	if len(profiles) == 0 {
		return fmt.Errorf("no sample fell in a write round of %s: was perf recording with -k CLOCK_REALTIME while it ran?", *report)
	}
	return research.WriteProfiles(os.Stdout, profiles)
}
