// Command govnet runs the govshare Fabric network on this machine.
//
//	govnet up        bring the network up (idempotent), with a line per phase
//	govnet down      stop every node it started, keep the data
//	govnet clean     stop and delete all generated state
//	govnet status    every node's PID, ports, health and block heights, and
//	                 every channel's committed chaincodes (--json for scripts)
//
// Flags name the state folder, the Fabric binaries folder, the source folder
// (chaincode is built from it) and the first port; the Makefile sets them.
// -bench makes a network for benchmarks: it also deploys the benchprobe
// chaincode the load tool measures with (make bench uses its own state
// folder and ports for it); never use it for a department's network.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/govshare/govshare/network"
)

func main() {
	os.Exit(run())
}

func run() int {
	flags := flag.NewFlagSet("govnet", flag.ContinueOnError)
	state := flags.String("state", ".govshare/network", "folder for the network's certificates, configuration, ledgers and logs")
	fabric := flags.String("fabric", ".cache/fabric", "folder with the Fabric binaries (bin/) and sample configuration (config/)")
	source := flags.String("source", ".", "repository root, from which chaincode is built")
	portBase := flags.Int("port-base", network.DefaultPortBase, "first port of the range the nodes use (only for a new network)")
	asJSON := flags.Bool("json", false, "status: print one JSON document")
	bench := flags.Bool("bench", false, "a network for benchmarks: also deploy the benchprobe chaincode on every channel")
	flags.Usage = func() {
		fmt.Fprintf(flags.Output(), "usage: govnet [flags] up|down|clean|status\n\nflags:\n")
		flags.PrintDefaults()
	}
	if err := flags.Parse(os.Args[1:]); err != nil {
		return 2
	}
	if flags.NArg() != 1 {
		flags.Usage()
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	var options []network.ConsortiumOption
	if *bench {
		options = append(options, network.WithBenchmarkProbes())
	}
	n, err := network.New(network.Consortium(options...), network.Options{
		StateDir: *state, FabricDir: *fabric, SourceDir: *source, PortBase: *portBase, Progress: os.Stdout,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "govnet:", err)
		return 1
	}
	switch cmd := flags.Arg(0); cmd {
	case "up":
		fmt.Printf("govnet: bringing the govshare network up in %s\n", n.StateDir())
		err = n.Up(ctx)
	case "down":
		err = n.Down(ctx)
	case "clean":
		err = n.Clean(ctx)
	case "status":
		var s *network.Status
		if s, err = n.Status(ctx); err == nil {
			if *asJSON {
				enc := json.NewEncoder(os.Stdout)
				enc.SetIndent("", "  ")
				err = enc.Encode(s)
			} else {
				s.WriteText(os.Stdout)
			}
			if err == nil && !s.Running() {
				return 3 // scripts can tell a stopped network apart
			}
		}
	default:
		fmt.Fprintf(os.Stderr, "govnet: unknown command %q\n", cmd)
		flags.Usage()
		return 2
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "govnet:", err)
		return 1
	}
	return 0
}
