// Command govctl is how a department's staff use the govshare network from
// a terminal: a registrar records credits, a finance bureau clerk publishes
// budgets, a court clerk submits evidence, an auditor or an inspector
// follows every change.
//
//	govctl --org UniversityA --as registrar credit record --id UA-2026-001 ...
//	govctl --org Oversight --as inspector oversight watch
//	govctl diploma verify diploma.pdf
//
// Every command signs as one role of one organisation (--org, --as, or the
// GOVSHARE_ORG and GOVSHARE_ROLE variables), using the organisation's folder
// in the network's state (--network, or GOVSHARE_NETWORK). Output is for
// people; --json prints one JSON document for scripts.
//
// Exit codes: 0 done; 1 the network refused or failed the transaction;
// 2 the command line is wrong; 3 the network or the organisation's folder
// could not be reached.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	govclient "github.com/govshare/govshare/gateway-client"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	app := newApp(os.Stdout, os.Stderr)
	err := app.root().ExecuteContext(ctx)
	os.Exit(app.exitCode(err))
}

// Exit codes.
const (
	exitOK      = 0
	exitRefused = 1
	exitUsage   = 2
	exitNetwork = 3
)

// usageError marks a mistake on the command line.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// networkError marks a failure to reach the network or read the
// organisation's folder.
type networkError struct{ err error }

func (e networkError) Error() string { return e.err.Error() }
func (e networkError) Unwrap() error { return e.err }

func (a *app) exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	fmt.Fprintln(a.stderr, "govctl:", err)
	var u usageError
	var n networkError
	var txErr *govclient.TxError
	switch {
	case errors.As(err, &u):
		fmt.Fprintln(a.stderr, "(see govctl --help)")
		return exitUsage
	case errors.As(err, &n):
		return exitNetwork
	case errors.As(err, &txErr) && txErr.Unreachable():
		fmt.Fprintln(a.stderr, "(the organisation's gateway peer cannot be reached: is the network up? `make network-status`)")
		return exitNetwork
	case errors.As(err, &txErr) && txErr.OrderingUnavailable():
		fmt.Fprintln(a.stderr, "(the ordering service has no Raft leader: are at least two of the three orderers running? `make network-status`)")
		return exitNetwork
	default:
		return exitRefused
	}
}
