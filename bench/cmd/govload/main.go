// Command govload runs govshare's load rounds against a running network and
// writes their results.
//
//	govload run      [-network DIR] [-workers N] [-run-workers N] [-duration D] [-count N] [-channels a,b] [-out DIR]
//	govload lone     [-network DIR] [-count N] [-out DIR]
//	govload caliper  [-network DIR] [-out DIR]
//	govload research <pairs|twins|scale|tune|peers> [flags]
//
// run is the default profile of package bench/workload: baseline and
// domain rounds on every channel, printed as a table and saved as JSON,
// CSV and a PNG chart under -out (results/ by default; git ignores it).
// lone times one write of each kind of the finance channel at a time (a
// single payment, against an allocation never split and one split into
// tranches, runs of 50 and 200 payments), -count times each (20 by
// default), each after as many blind writes: on an idle network the p50 of
// each is the latency one user sees, next to the blind write's.
// caliper writes Caliper's network configuration for the network, for
// the same kind of rounds driven by Hyperledger Caliper (make
// bench-caliper).
//
// The research group holds the tools of the measurement studies in
// docs/performance-history.md (package bench/research), apart from the
// load tool:
//
//	govload research pairs  [-network DIR] [-workers N] [-duration D] [-repeat N] [-channels a,b] [-out DIR]
//	govload research twins  [-network DIR] [-channels a,b]
//	govload research scale  [-network DIR] [-sizes 1000,10000] [-out DIR]
//	govload research tune   [-fabric DIR] [-source DIR] [-batch 250ms/100,2s/10] [-out DIR]
//	govload research peers  -report FILE [-hz N] < perf-script-output
//
// pairs repeats each main write after a baseline round of its own and sums
// up the ratios; twins checks each baseline twin against its write's
// transaction; scale preloads records and measures query latency against
// ledger size; tune brings small temporary networks up with other orderer
// batch settings and measures the baseline on each; peers attributes the
// peers' CPU to parts of Fabric from a perf recording (bench/research/profile-peers).
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
	{"lone", "time one write of each kind of the finance channel at a time, against the blind write", runLone},
	{"caliper", "write Caliper's network configuration for the network", runCaliper},
	{"research", "the measurement studies' tools: pairs, twins, scale, tune, peers (govload research for the list)", runResearch},
}

// errUsage marks a command-line mistake.
var errUsage = errors.New("usage")

// errListed is a command-line mistake already explained by the list of
// commands printed with it.
var errListed = fmt.Errorf("%w: no command", errUsage)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(realMain(ctx, os.Args[1:]))
}

func realMain(ctx context.Context, args []string) int {
	err := dispatch(ctx, "govload", commands, args)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errListed):
		return exitUsage
	case errors.Is(err, errUsage):
		fmt.Fprintln(os.Stderr, "govload:", err)
		return exitUsage
	default:
		fmt.Fprintln(os.Stderr, "govload:", err)
		return exitFailed
	}
}

// dispatch runs the command of commands that args names; without one, or
// with -h, it prints the list (with -h that is no error).
func dispatch(ctx context.Context, prefix string, commands []command, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(prefix, commands)
		if len(args) == 0 {
			return errListed
		}
		return flag.ErrHelp
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(ctx, args[1:])
		}
	}
	fmt.Fprintf(os.Stderr, "%s: unknown command %q\n", prefix, args[0])
	usage(prefix, commands)
	return errListed
}

func usage(prefix string, commands []command) {
	fmt.Fprintf(os.Stderr, "usage: %s <command> [flags]; %s <command> -h for its flags\n", prefix, prefix)
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
