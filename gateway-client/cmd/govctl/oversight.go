package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/finance"
	govclient "github.com/govshare/govshare/gateway-client"
)

func (a *app) oversightCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "oversight", Short: "Follow every change on every channel (oversight inspector, auditors)"}
	var fromStart bool
	var checkpointDir string
	var channels []string
	var limit int
	watch := &cobra.Command{
		Use:   "watch",
		Short: "A live feed of every transaction on your organisation's channels",
		Long: `watch prints one line for every transaction committed on the channels your
organisation belongs to: when, which channel and block, which organisation
submitted it, which contract function, the event it emitted, and whether it
was valid. It keeps a checkpoint per channel, so that after an interruption it
goes on exactly where it stopped, repeating nothing and missing nothing.
Without a checkpoint it starts with the next block (--from-start: the first).`,
		Example: "  govctl --org Oversight --as inspector oversight watch",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := a.session("inspector")
			if err != nil {
				return err
			}
			if len(channels) == 0 {
				channels = a.client.Channels()
			}
			if checkpointDir == "" {
				checkpointDir = filepath.Join(a.orgDir(a.org), "watch-checkpoints", s.Role())
			}
			ctx, cancel := context.WithCancel(cmd.Context())
			defer cancel()
			start := map[string]uint64{}
			if !fromStart {
				if start, err = s.ChainHeights(ctx, channels); err != nil {
					return err
				}
			}
			if !a.asJSON {
				fmt.Fprintf(a.stderr, "watching %s as %s %s (checkpoints in %s); Ctrl-C stops\n", strings.Join(channels, ", "), a.org, s.Role(), checkpointDir)
			}
			seen := 0
			err = s.Changes(ctx, channels, checkpointDir, start, func(c govclient.Change) error {
				if err := a.printChange(c); err != nil {
					return err
				}
				if seen++; limit > 0 && seen >= limit {
					return govclient.ErrStop // checkpointed: the next run goes on after it
				}
				return nil
			})
			if errors.Is(err, context.Canceled) && cmd.Context().Err() != nil {
				return nil // interrupted by the person: the checkpoints hold
			}
			return err
		},
	}
	watch.Flags().BoolVar(&fromStart, "from-start", false, "without a checkpoint, start at the first block")
	watch.Flags().StringVar(&checkpointDir, "checkpoint", "", "folder for the checkpoints (default: in your organisation's folder)")
	watch.Flags().StringSliceVar(&channels, "channels", nil, "channels to watch (default: all of your organisation's)")
	watch.Flags().IntVar(&limit, "limit", 0, "stop after this many transactions")

	var year int
	summary := &cobra.Command{
		Use: "summary", Short: "Heights of your channels, the state of their registries and the year's spending", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := a.session("inspector")
			if err != nil {
				return err
			}
			ctx, cancel := a.context(cmd)
			defer cancel()
			type channelSummary struct {
				Channel string `json:"channel"`
				Height  uint64 `json:"height"`
			}
			var out struct {
				Channels       []channelSummary         `json:"channels"`
				Accreditations any                      `json:"accreditations,omitempty"`
				Spending       *finance.SpendingSummary `json:"spending,omitempty"`
			}
			for _, ch := range a.client.Channels() {
				h, err := s.ChainHeight(ctx, ch)
				if err != nil {
					return err
				}
				out.Channels = append(out.Channels, channelSummary{ch, h})
			}
			var accreditations []string
			if slices.Contains(a.client.Channels(), "education-credit") {
				page, err := s.Education().ListAccreditations(ctx, maxPageSize, "")
				if err != nil {
					return err
				}
				out.Accreditations = page.Accreditations
				for _, acc := range page.Accreditations {
					accreditations = append(accreditations, fmt.Sprintf("%s (%s)", acc.MSPID, acc.Status))
				}
			}
			if slices.Contains(a.client.Channels(), consortium.FinanceChannel) {
				if out.Spending, err = s.Finance().GetSpendingSummary(ctx, year); err != nil {
					return err
				}
			}
			return a.print(out, func(w io.Writer) {
				for _, c := range out.Channels {
					fmt.Fprintf(w, "%-18s %d blocks\n", c.Channel, c.Height)
				}
				if len(accreditations) > 0 {
					fmt.Fprintf(w, "accredited universities: %s\n", strings.Join(accreditations, ", "))
				}
				if out.Spending != nil {
					printSpendingSummary(w, out.Spending)
				}
			})
		},
	}
	summary.Flags().IntVar(&year, "year", time.Now().Year(), "fiscal year of the finance ledger's spending summary")
	cmd.AddCommand(watch, summary)
	return cmd
}

// printChange writes one line of the oversight feed; with --json, one JSON
// document per line (JSON Lines), so that a script can read the stream.
func (a *app) printChange(c govclient.Change) error {
	if a.asJSON {
		line, err := json.Marshal(c)
		if err != nil {
			return fmt.Errorf("encode change: %w", err)
		}
		_, err = fmt.Fprintf(a.stdout, "%s\n", line)
		return err
	}
	fmt.Fprintln(a.stdout, formatChange(c))
	return nil
}

func formatChange(c govclient.Change) string {
	what := c.Type
	if c.Type == "transaction" {
		what = c.Chaincode + "." + c.Function
	}
	line := fmt.Sprintf("%s  %-17s #%-4d %-17s %-40s", c.Time.UTC().Format("15:04:05"), c.Channel, c.BlockNumber, c.Creator, what)
	if c.Event != "" {
		line += " -> " + c.Event
	}
	switch n := len(c.Writes); {
	case n == 1:
		line += "  (1 write)"
	case n > 1:
		line += fmt.Sprintf("  (%d writes)", n)
	}
	if !c.Valid {
		line += "  INVALID (" + c.Code.String() + ")"
	}
	if c.Problem != "" {
		line += "  UNREADABLE (" + c.Problem + ")"
	}
	return line
}
