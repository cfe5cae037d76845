package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/govshare/govshare/bench/research"
	"github.com/govshare/govshare/bench/workload"
)

// runTwins commits one of each main write and of its twin, and prints
// their footprints side by side; a twin that does not match is an error.
func runTwins(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("twins", flag.ContinueOnError)
	stateDir := fs.String("network", ".govshare/bench", "the state folder of a network made for benchmarks (make bench, govnet -bench)")
	channels := fs.String("channels", "", "comma-separated channels to check (default: all)")
	if err := parse(fs, args); err != nil {
		return err
	}
	chosen, err := parseChannels(*channels)
	if err != nil {
		return err
	}
	env := workload.NewEnv(*stateDir)
	defer env.Close()
	twins, err := research.CompareTwins(ctx, env, chosen)
	if werr := research.WriteTwins(os.Stdout, twins); werr != nil && err == nil {
		err = werr
	}
	if err != nil {
		return err
	}
	for _, t := range twins {
		if len(t.Mismatches()) > 0 {
			return fmt.Errorf("a twin does not match its write (see MISMATCH above)")
		}
	}
	return nil
}
