// Command govportal runs the disclosure portal: it follows the ledger into
// its read model and serves the public pages, the oversight explorer and
// the JSON API.
//
//	govportal serve   --org DIR [--db FILE | --postgres DSN] [--listen ADDR]
//	govportal start   --org DIR --state DIR ...   (detached, with a pidfile)
//	govportal stop    --state DIR
//	govportal reconcile --org DIR ...
//	govportal account add NAME --org DIR ...
//	govportal generate / querybench / ingestbench  (measurements)
//
// --org is the folder of the organisation whose identity reads the ledger
// (its connection.json); Oversight's folder reads every channel.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := newApp().root()
	if err := root.ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "govportal:", err)
		var usage *usageError
		if errors.As(err, &usage) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// usageError is a mistake on the command line.
type usageError struct{ error }

func (a *app) root() *cobra.Command {
	root := &cobra.Command{
		Use:           "govportal",
		Short:         "The disclosure portal and oversight explorer of the govshare ledger",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &usageError{err} })
	root.AddCommand(a.serveCommand(), a.startCommand(), a.stopCommand(), a.statusCommand(), a.reconcileCommand(),
		a.accountCommand(), a.generateCommand(), a.queryBenchCommand(), a.ingestBenchCommand())
	return root
}
