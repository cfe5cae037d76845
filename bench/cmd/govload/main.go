// Command govload runs govshare's load rounds against a running network and
// writes their results.
//
//	govload run      [-network DIR] [-workers N] [-duration D] [-count N] [-channels a,b] [-out DIR]
//	govload pairs    [-network DIR] [-workers N] [-duration D] [-repeat N] [-channels a,b] [-out DIR]
//	govload twins    [-network DIR] [-channels a,b]
//	govload scale    [-network DIR] [-sizes 1000,10000] [-out DIR]
//	govload tune     [-fabric DIR] [-source DIR] [-batch 250ms/100,2s/10] [-out DIR]
//	govload caliper  [-network DIR] [-out DIR]
//
// run is the default profile of package bench/workload: baseline and
// domain rounds on every channel, printed as a table and saved as JSON,
// CSV and a PNG chart under -out (results/ by default; git ignores it).
// scale preloads records and measures query latency against ledger size.
// tune brings small temporary networks up with other orderer batch
// settings and measures the baseline on each. caliper writes Caliper's
// network configuration for the network.
//
// Every round is bounded in count and time; the load goes only to the
// network's own nodes, on this machine.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// Exit codes.
const (
	exitFailed = 1 // a round or a setup step failed
	exitUsage  = 2 // a command-line mistake
)

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string) error
}

var commands = []command{
	{"run", "run the default profile of load rounds and save the results", runProfile},
	{"pairs", "run each main write right after a baseline round, -repeat times, and sum up the ratios", runPairs},
	{"twins", "commit one of each main write and of its baseline twin (PutShaped) and compare their footprints", runTwins},
	{"scale", "preload records and measure query latency against ledger size", runScale},
	{"tune", "measure the baseline under other orderer batch settings on temporary networks", runTune},
	{"caliper", "write Caliper's network configuration for the network", runCaliper},
	{"peers", "attribute the peers' CPU per transaction to parts of Fabric, from a perf recording (bench/profile-peers)", runPeers},
}

// errUsage marks a command-line mistake.
var errUsage = errors.New("usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(realMain(ctx, os.Args[1:]))
}

func realMain(ctx context.Context, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage()
		if len(args) == 0 {
			return exitUsage
		}
		return 0
	}
	for _, c := range commands {
		if c.name == args[0] {
			err := c.run(ctx, args[1:])
			switch {
			case err == nil:
				return 0
			case errors.Is(err, flag.ErrHelp):
				return 0
			case errors.Is(err, errUsage):
				fmt.Fprintln(os.Stderr, "govload:", err)
				return exitUsage
			default:
				fmt.Fprintln(os.Stderr, "govload:", err)
				return exitFailed
			}
		}
	}
	fmt.Fprintf(os.Stderr, "govload: unknown command %q\n", args[0])
	usage()
	return exitUsage
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: govload <command> [flags]; govload <command> -h for its flags")
	for _, c := range commands {
		fmt.Fprintf(os.Stderr, "  %-8s %s\n", c.name, c.summary)
	}
}

// parse parses a command's flags; a mistake is an errUsage.
func parse(fs *flag.FlagSet, args []string) error {
	fs.SetOutput(os.Stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %s: %v", errUsage, fs.Name(), err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: %s: unexpected arguments %v", errUsage, fs.Name(), fs.Args())
	}
	return nil
}
