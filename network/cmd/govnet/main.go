// Command govnet runs the govshare Fabric consortium: on one machine for
// development, or agency by agency, each on its own host.
//
// On one machine (every agency in its own folder under -state):
//
//	govnet up        bring the network up (idempotent), with a line per phase
//	govnet down      stop every node it started, keep the data
//	govnet clean     stop and delete all generated state
//	govnet status    every node's PID, ports, health and block heights, and
//	                 every channel's committed chaincodes (-json for scripts)
//	govnet audit [-world-state] [-channel C] [-json]
//	                 check every block of every channel on every node: hash
//	                 chain, orderer and transaction signatures, agreement
//	                 between nodes; with -world-state, the member peers'
//	                 world state through ledger snapshots (exit 4: finding)
//
// One agency on its own host (its folder named by -dir):
//
//	govnet org init -dir D -org NAME [-host ADDR] [-port-base N]
//	                       set up the agency's CA, keys, node configuration and
//	                       client folder; write its public definition
//	govnet org show FILE...                  describe definitions, with fingerprints
//	govnet org accept -dir D [-replace] FILE...   accept other agencies' definitions
//	govnet org start|stop|status -dir D      the agency's own nodes
//	govnet org backup -dir D -out F          back up the stopped agency's folder, ledgers included
//	govnet org restore -dir D F              restore a backup into a new, empty folder
//	govnet channel genesis -dir D            make every channel's genesis block
//	govnet channel join -dir D [BLOCK...]    check received blocks, join own nodes
//	govnet chaincode package -dir D          build the chaincode packages
//	govnet chaincode deploy -dir D [PKG...]  install and approve as the agency
//	govnet chaincode status -dir D           who has approved, who is missing
//	govnet chaincode commit -dir D -channel C    commit once a majority approved
//	govnet channel propose -dir D -channel C -out F   the config update the description makes
//	govnet channel sign -dir D F             check the update is the description's, sign it
//	govnet channel inspect -dir D F          what it changes, whose signatures it has and needs
//	govnet channel submit -dir D F           submit once the signatures meet the policies
//	govnet channel snapshot-join -dir D -channel C -peer P -from Q   join P from Q's snapshot
//	govnet org stop -dir D -node N           stop one node (e.g. a retired orderer)
//	govnet audit -dir D [-role R] [-channel C] [-world-state -block N [PEER=FILE...]]
//	                       audit the agency's channels from every node it knows
//	govnet repair -dir D -peer P -rebuild-dbs|-refetch C   repair a peer the audit named
//
// The consortium's description is built in; -description FILE replaces it
// with one the agencies agreed on (`govnet description` prints the one in
// force, to start from). Global flags name the Fabric binaries folder and the source folder
// (chaincode is built from it); the Makefile sets them. docs/operations.md
// walks through setting up a consortium agency by agency. -bench makes a
// network for benchmarks: it also deploys the benchprobe chaincode the load
// tool measures with (make bench uses its own state folder and ports for
// it); never use it for a department's network. -consensus bft orders the
// channels of the built-in description with SmartBFT on four orderers
// (network.WithBFT) instead of Raft on three; a -description file names its
// own ("ordering": {"consensus": "BFT"}). A network keeps the consensus type
// it was made with.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/govshare/govshare/network"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// exit codes
const (
	exitOK       = 0
	exitFailed   = 1
	exitUsage    = 2
	exitNotReady = 3 // status: a node is down; chaincode status: not committed; audit: a node unread
	exitFinding  = 4 // audit: something is wrong in a ledger
)

// usageError marks a command-line mistake.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// errNotReady makes the command exit with exitNotReady after printing.
var errNotReady = errors.New("not ready")

// globals are the flags every command takes.
type globals struct {
	fabric, source string
	spec           *network.Spec // the consortium's description
	stdout, stderr io.Writer
}

const usage = `usage:
  govnet [flags] up|down|clean|status             the whole consortium on this machine
  govnet [flags] description                      print the consortium's description (JSON)
  govnet [flags] org init|show|accept|start|stop|status|backup|restore ...
  govnet [flags] channel genesis|join|propose|sign|inspect|submit|snapshot-join ...
  govnet [flags] chaincode package|deploy|status|commit ...
  govnet [flags] audit [-dir D] [-world-state] [-channel C] [-json]   tamper-evident audit of the ledgers
  govnet [flags] repair -dir D -peer P -rebuild-dbs|-refetch C        repair a peer the audit named
Run a command with -h for its flags.

flags:
`

func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("govnet", flag.ContinueOnError)
	flags.SetOutput(stderr)
	g := &globals{stdout: stdout, stderr: stderr}
	state := flags.String("state", ".govshare/network", "single machine: folder for every agency's certificates, configuration, ledgers and logs")
	flags.StringVar(&g.fabric, "fabric", ".cache/fabric", "folder with the Fabric binaries (bin/) and sample configuration (config/)")
	flags.StringVar(&g.source, "source", ".", "repository root, from which chaincode is built")
	portBase := flags.Int("port-base", 0, "single machine: first port of the range the nodes use (only for a new network; default 27000)")
	asJSON := flags.Bool("json", false, "status: print one JSON document")
	bench := flags.Bool("bench", false, "a network for benchmarks: also deploy the benchprobe chaincode on every channel")
	consensus := flags.String("consensus", "", "ordering of the built-in description: raft (three Raft orderers, the default) or bft (four SmartBFT orderers, tolerating one faulty); a -description names its own")
	description := flags.String("description", "", "the consortium's description, a JSON file (`govnet description` prints the built-in one); default: the built-in description")
	flags.Usage = func() {
		fmt.Fprint(flags.Output(), usage)
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		return exitUsage
	}
	if flags.NArg() == 0 {
		flags.Usage()
		return exitUsage
	}
	var options []network.ConsortiumOption
	if *bench {
		options = append(options, network.WithBenchmarkProbes())
	}
	if *consensus != "" {
		c, err := network.ParseConsensus(*consensus)
		if err != nil {
			fmt.Fprintln(stderr, "govnet: -consensus:", err)
			return exitUsage
		}
		if c == network.BFT {
			options = append(options, network.WithBFT())
		}
	}
	g.spec = network.Consortium(options...)
	if *description != "" {
		if *bench || *consensus != "" {
			fmt.Fprintln(stderr, "govnet: -description excludes -bench and -consensus: a description says itself what it deploys and how it orders")
			return exitUsage
		}
		spec, err := network.LoadSpec(*description)
		if err != nil {
			fmt.Fprintln(stderr, "govnet:", err)
			return exitFailed
		}
		g.spec = spec
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	var err error
	switch cmd, rest := flags.Arg(0), flags.Args()[1:]; cmd {
	case "up", "down", "clean", "status":
		if len(rest) > 0 {
			err = usagef("%s takes no arguments", cmd)
			break
		}
		err = g.network(ctx, cmd, *state, *portBase, *asJSON)
	case "description":
		if len(rest) > 0 {
			err = usagef("description takes no arguments")
			break
		}
		var data []byte
		if data, err = network.EncodeSpec(g.spec); err == nil {
			_, err = g.stdout.Write(data)
		}
	case "org":
		err = g.org(ctx, rest)
	case "channel":
		err = g.channel(ctx, rest)
	case "chaincode":
		err = g.chaincode(ctx, rest)
	case "audit":
		err = g.audit(ctx, *state, rest)
	case "repair":
		err = g.repair(ctx, rest)
	default:
		err = usagef("unknown command %q", cmd)
	}
	var usageErr usageError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errNotReady):
		return exitNotReady
	case errors.Is(err, errFinding):
		return exitFinding
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &usageErr):
		fmt.Fprintln(stderr, "govnet:", err)
		fmt.Fprint(stderr, usage)
		return exitUsage
	default:
		fmt.Fprintln(stderr, "govnet:", err)
		return exitFailed
	}
}

// subcommand parses a group's subcommand and its flags.
func subcommand(group string, args []string, stderr io.Writer, define func(name string, fs *flag.FlagSet) bool) (string, *flag.FlagSet, error) {
	if len(args) == 0 {
		return "", nil, usagef("%s needs a subcommand", group)
	}
	name := args[0]
	fs := flag.NewFlagSet("govnet "+group+" "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	if !define(name, fs) {
		return "", nil, usagef("unknown command %q %q", group, name)
	}
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return "", nil, err
		}
		return "", nil, usageError{err.Error()}
	}
	return name, fs, nil
}
