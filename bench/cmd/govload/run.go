package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/govshare/govshare/bench"
	"github.com/govshare/govshare/bench/workload"
	"github.com/govshare/govshare/chaincode/consortium"
)

// gatewayPeer is the peer whose core.yaml the report reads the gateway
// concurrency limit from (every peer is rendered with the same limits), in
// the folder of its agency, settingsAgency, which also holds the genesis
// block the batch settings are read from.
const (
	gatewayPeer    = "peer0.university-a.govshare.test"
	settingsAgency = "UniversityA"
)

// parseChannels reads the -channels flag: comma-separated channel names,
// none (all channels) when empty.
func parseChannels(flag string) ([]string, error) {
	if flag == "" {
		return nil, nil
	}
	var chosen []string
	for _, ch := range strings.Split(flag, ",") {
		ch = strings.TrimSpace(ch)
		if !contains(workload.Channels, ch) {
			return nil, fmt.Errorf("%w: unknown channel %q (have %s)", errUsage, ch, strings.Join(workload.Channels, ", "))
		}
		chosen = append(chosen, ch)
	}
	return chosen, nil
}

// runProfile runs the default profile (workload.RunProfile).
func runProfile(ctx context.Context, args []string) error {
	return runRounds(ctx, "run", args, 0, profileRounds)
}

// profileRounds runs the default profile. Of the pairs' summary, only the
// writes with twins and their twins add to the table of rounds: each ran
// once.
func profileRounds(ctx context.Context, env *workload.Env, cfg workload.Config, _ int) ([]*bench.RoundResult, []bench.PairSummary, error) {
	rounds, err := workload.RunProfile(ctx, env, cfg)
	var twinned []bench.PairSummary
	pairs := bench.SummarisePairs(rounds)
	for _, p := range pairs {
		for _, q := range pairs {
			if len(q.ToTwin) > 0 && (p.Name == q.Name || p.Name == bench.TwinName(q.Name)) {
				twinned = append(twinned, p)
			}
		}
	}
	return rounds, twinned, err
}

// roundsFunc runs the rounds of a command on env and returns them with
// the summary of their pairs; repeat is the command's -repeat.
type roundsFunc func(ctx context.Context, env *workload.Env, cfg workload.Config, repeat int) ([]*bench.RoundResult, []bench.PairSummary, error)

// runRounds runs the rounds of a command (run's default profile, or with
// repeat > 0 the research group's paired profile repeated -repeat times),
// prints the table and saves the report.
func runRounds(ctx context.Context, command string, args []string, repeat int, rounds roundsFunc) error {
	fs := flag.NewFlagSet(command, flag.ContinueOnError)
	stateDir := fs.String("network", ".govshare/bench", "the state folder of a network made for benchmarks (make bench, govnet -bench)")
	workers := fs.Int("workers", 32, "concurrent submitters in every round")
	duration := fs.Duration("duration", 10*time.Second, "length of every round (0: -count only)")
	count := fs.Int("count", 0, "operations per round (0: -duration only)")
	channels := fs.String("channels", "", "comma-separated channels to run (default: all)")
	out := fs.String("out", "results", "folder for the JSON, CSV and PNG results")
	defaultName := "bench"
	if command == "pairs" {
		defaultName = "pairs"
	}
	name := fs.String("name", defaultName, "name of the profile, used in file names")
	opTimeout := fs.Duration("op-timeout", 30*time.Second, "bound of one operation")
	if repeat > 0 {
		fs.IntVar(&repeat, "repeat", repeat, "how many times each pair (a baseline round, then the write) runs")
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if command == "pairs" && (repeat < 1 || repeat > 20) {
		return fmt.Errorf("%w: -repeat must be 1 to 20", errUsage)
	}
	if *workers < 1 || *workers > 512 {
		return fmt.Errorf("%w: -workers must be 1 to 512", errUsage)
	}
	if *duration <= 0 && *count <= 0 {
		return fmt.Errorf("%w: a round needs -duration or -count", errUsage)
	}
	if *duration > 10*time.Minute {
		return fmt.Errorf("%w: -duration is at most 10m", errUsage)
	}
	cfg := workload.Config{Workers: *workers, Duration: *duration, Count: *count, OpTimeout: *opTimeout, Progress: os.Stdout}
	var err error
	if cfg.Channels, err = parseChannels(*channels); err != nil {
		return err
	}

	rep := &bench.Report{Started: time.Now().UTC(), Settings: bench.Settings{
		Workers: *workers, RoundSeconds: duration.Seconds(), RoundCount: *count,
		CPUs: runtime.NumCPU(), GoVersion: runtime.Version(), Profile: *name,
	}}
	env := workload.NewEnv(*stateDir)
	defer env.Close()
	if err := bench.ReadNetworkSettings(env.OrgDir(settingsAgency), consortium.EducationChannel, gatewayPeer, &rep.Settings); err != nil {
		return err
	}
	rep.LoadAvg[0] = bench.LoadAverage()
	fmt.Printf("govload %s: run %s, %d workers, rounds of %s, batch %s / %d tx / %s, gateway limit %d, load average %.2f\n",
		*name, env.RunID, *workers, roundLimit(*duration, *count), rep.Settings.BatchTimeout, rep.Settings.MaxMessageCount,
		rep.Settings.PreferredMaxBytes, rep.Settings.GatewayConcurrency, rep.LoadAvg[0])
	results, pairs, runErr := rounds(ctx, env, cfg, repeat)
	rep.Rounds, rep.Pairs = results, pairs
	rep.Finished = time.Now().UTC()
	rep.LoadAvg[1] = bench.LoadAverage()
	// the load average during and after the run is mostly the network's
	// own work under the load; before it, it is everybody else's
	if rep.LoadAvg[0] > 2 {
		rep.Notes = append(rep.Notes, fmt.Sprintf("the machine was busy before the run (load average %.1f): timings are not representative", rep.LoadAvg[0]))
	}
	if len(results) == 0 {
		return fmt.Errorf("no round ran: %w", runErr)
	}
	fmt.Println()
	if err := rep.WriteTable(os.Stdout); err != nil {
		return fmt.Errorf("print table: %w", err)
	}
	if len(rep.Pairs) > 0 {
		fmt.Println()
		if err := bench.WritePairs(os.Stdout, rep.Pairs); err != nil {
			return fmt.Errorf("print pairs: %w", err)
		}
	}
	for _, n := range rep.Notes {
		fmt.Println("note:", n)
	}
	paths, err := save(rep, *out, *name)
	if err != nil {
		return err
	}
	fmt.Printf("\nresults: %s\n", strings.Join(paths, ", "))
	return runErr
}

// save writes the report under out as <name>-<time>.{json,csv,png} and
// copies it to <name>-latest.*.
func save(rep *bench.Report, out, name string) ([]string, error) {
	stamp := rep.Started.Format("20060102-150405")
	paths, err := rep.Save(filepath.Join(out, name+"-"+stamp))
	if err != nil {
		return nil, err
	}
	if _, err := rep.Save(filepath.Join(out, name+"-latest")); err != nil {
		return nil, err
	}
	return paths, nil
}

func roundLimit(d time.Duration, count int) string {
	switch {
	case count > 0 && d > 0:
		return fmt.Sprintf("%d operations or %s", count, d)
	case count > 0:
		return fmt.Sprintf("%d operations", count)
	default:
		return d.String()
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
