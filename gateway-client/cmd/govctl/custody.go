package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/govshare/govshare/chaincode/evidence"
	govclient "github.com/govshare/govshare/gateway-client"
)

// custodyCommand is evidence custody: add a handling, show the chain.
func (a *app) custodyCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "custody", Short: "An evidence item's chain of custody: record a handling (court clerk, notary), show the chain"}
	var req evidence.CustodyEventRequest
	add := &cobra.Command{
		Use: "add EVIDENCE_ID", Short: "Record that you received, examined, transferred or returned an evidence item", Args: cobra.ExactArgs(1),
		Example: `  govctl --org InternetCourt --as clerk evidence custody add EV-0001 --action received --counterparty "plaintiff's counsel"
  govctl --org NotaryOffice --as notary evidence custody add EV-0001 --action transferred --counterparty "forensic laboratory" --note "sealed bag 17"`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := requireFlags(cmd, "action"); err != nil {
				return err
			}
			req.EvidenceID = args[0]
			return write(a, cmd, a.evidenceRole(), req.Action+" "+args[0], func(ctx context.Context, s *govclient.Session) (*evidence.CustodyEvent, *govclient.Result, error) {
				return s.Evidence().RecordCustodyEvent(ctx, req)
			}, printCustodyEvent)
		},
	}
	add.Flags().StringVar(&req.Action, "action", "", "received, examined, transferred or returned")
	add.Flags().StringVar(&req.Counterparty, "counterparty", "", "whom from or to (required for transferred)")
	add.Flags().StringVar(&req.Note, "note", "", "a note")

	show := &cobra.Command{
		Use: "show EVIDENCE_ID", Short: "The whole chain of custody, in order", Args: cobra.ExactArgs(1),
		Example: "  govctl --org Oversight --as inspector evidence custody show EV-0001",
		RunE: func(cmd *cobra.Command, args []string) error {
			return query(a, cmd, func(ctx context.Context, s *govclient.Session) (*evidence.CustodyChain, error) {
				return s.Evidence().GetCustodyChain(ctx, args[0])
			}, func(w io.Writer, c *evidence.CustodyChain) {
				fmt.Fprintf(w, "chain of custody of evidence %s: %d event(s)\n", c.EvidenceID, len(c.Events))
				for i := range c.Events {
					printCustodyEvent(w, &c.Events[i])
				}
			})
		},
	}
	cmd.AddCommand(add, show)
	return cmd
}

func printCustodyEvent(w io.Writer, c *evidence.CustodyEvent) {
	fmt.Fprintf(w, "  #%d %s  %-11s by %s", c.Sequence, shortTime(c.At), c.Action, who(c.Actor))
	if c.Counterparty != "" {
		fmt.Fprintf(w, ", counterparty %s", c.Counterparty)
	}
	if c.Note != "" {
		fmt.Fprintf(w, " (%s)", c.Note)
	}
	fmt.Fprintln(w)
}
