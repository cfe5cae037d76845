package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/govshare/govshare/chaincode/finance"
	govclient "github.com/govshare/govshare/gateway-client"
)

// reversalCommand is the reversal group on the finance ledger: propose,
// approve, execute, show and list.
func (a *app) reversalCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "reversal",
		Short: "Correct an entry by reversing it: propose, approve, execute, show",
		Long: `Entries on the finance ledger are never edited or deleted. A wrong one is
reversed, in three recorded steps:

  1. propose: the entry's owner (the finance bureau for appropriations and
     allocations, the agency for its payments) proposes the reversal;
  2. approve: organisations approve it, once each; it needs a majority of the
     channel's five organisations (three), the audit office among them;
  3. execute: the owner executes it, which writes a reversal entry that takes
     the entry's whole amount back out of the totals.

An allocation can be reversed only after its payments, an appropriation only
after its allocations. A reversal itself cannot be reversed.`,
	}
	var reason string
	var reversalID string
	propose := &cobra.Command{
		Use: "propose RECORD_TYPE RECORD_ID", Short: "Propose to reverse an appropriation, allocation or disbursement you own",
		Example: `  govctl --org EduMinistry --as accountant reversal propose disbursement EDU-PAY-000123 \
    --id REV-2026-0007 --reason "paid twice: duplicate of EDU-PAY-000122"`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			recordType, err := recordTypeArg(args[0])
			if err != nil {
				return err
			}
			if err := requireFlags(cmd, "id", "reason"); err != nil {
				return err
			}
			req := finance.ProposeReversalRequest{ReversalID: reversalID, RecordType: recordType, RecordID: args[1], Reason: reason}
			return write(a, cmd, a.financeRole(), "propose reversal "+reversalID+" of "+recordType+" "+args[1],
				func(ctx context.Context, s *govclient.Session) (*finance.Reversal, *govclient.Result, error) {
					return s.Finance().ProposeReversal(ctx, req)
				}, printReversalProposal)
		},
	}
	propose.Flags().StringVar(&reversalID, "id", "", "the reversal's ID, e.g. REV-2026-0007")
	propose.Flags().StringVar(&reason, "reason", "", "why the entry is wrong (recorded on the ledger)")

	var note string
	approve := &cobra.Command{
		Use: "approve REVERSAL_ID", Short: "Approve a reversal for your organisation (once per organisation)",
		Example: `  govctl --org AuditOffice --as auditor reversal approve REV-2026-0007 --note "duplicate confirmed"`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return write(a, cmd, a.financeRole(), "approve reversal "+args[0],
				func(ctx context.Context, s *govclient.Session) (*finance.Approval, *govclient.Result, error) {
					return s.Finance().ApproveReversal(ctx, finance.ApproveReversalRequest{ReversalID: args[0], Note: note})
				}, printApproval)
		},
	}
	approve.Flags().StringVar(&note, "note", "", "an optional note with the approval")

	execute := &cobra.Command{
		Use: "execute REVERSAL_ID", Short: "Execute an approved reversal of an entry you own",
		Example: "  govctl --org EduMinistry --as accountant reversal execute REV-2026-0007",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return write(a, cmd, a.financeRole(), "execute reversal "+args[0],
				func(ctx context.Context, s *govclient.Session) (*finance.ReversalEntry, *govclient.Result, error) {
					return s.Finance().ExecuteReversal(ctx, finance.ExecuteReversalRequest{ReversalID: args[0]})
				}, printReversalEntry)
		},
	}

	show := &cobra.Command{
		Use: "show REVERSAL_ID", Short: "A reversal with its approvals and status",
		Example: "  govctl --org Oversight --as inspector reversal show REV-2026-0007",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return query(a, cmd, func(ctx context.Context, s *govclient.Session) (*finance.ReversalStatus, error) {
				return s.Finance().GetReversal(ctx, args[0])
			}, printReversalStatus)
		},
	}

	list := recordListCommand(a, "list", "Every reversal proposed for a record, with its status",
		"  govctl --org Oversight --as inspector reversal list disbursement EDU-PAY-000123", "no reversal was proposed for",
		func(ctx context.Context, f *govclient.Finance, recordType, recordID, bookmark string) ([]finance.ReversalStatus, string, error) {
			page, err := f.ListReversals(ctx, recordType, recordID, maxPageSize, bookmark)
			if err != nil {
				return nil, "", err
			}
			return page.Reversals, page.Bookmark, nil
		}, printReversalStatus)
	cmd.AddCommand(propose, approve, execute, show, list)
	return cmd
}

func printReversalProposal(w io.Writer, r *finance.Reversal) {
	fmt.Fprintf(w, "reversal %s proposed for %s %s (%s): %s\n", r.ReversalID, r.RecordType, r.RecordID, money(r.Amount, r.Currency), r.Reason)
	fmt.Fprintf(w, "  proposed by %s on %s; it needs the approval of a majority of the channel's organisations, the audit office among them\n",
		r.Owner, shortTime(r.ProposedAt))
}

func printApproval(w io.Writer, a *finance.Approval) {
	fmt.Fprintf(w, "reversal %s approved by %s on %s", a.ReversalID, a.MSPID, shortTime(a.ApprovedAt))
	if a.Note != "" {
		fmt.Fprintf(w, ": %s", a.Note)
	}
	fmt.Fprintln(w)
}

func printReversalEntry(w io.Writer, e *finance.ReversalEntry) {
	fmt.Fprintf(w, "reversal %s executed: %s %s reversed, %s taken back\n", e.ReversalID, e.RecordType, e.RecordID, money(e.Amount, e.Currency))
	fmt.Fprintf(w, "  approved by %s; executed on %s\n", strings.Join(e.ApprovedBy, ", "), shortTime(e.ExecutedAt))
}

func printReversalStatus(w io.Writer, s *finance.ReversalStatus) {
	r := s.Reversal
	fmt.Fprintf(w, "reversal %s of %s %s (%s): %s, %d of %d approvals\n",
		r.ReversalID, r.RecordType, r.RecordID, money(r.Amount, r.Currency), strings.ToUpper(s.Status), len(s.Approvals), s.ApprovalsNeeded)
	fmt.Fprintf(w, "  reason: %s\n", r.Reason)
	fmt.Fprintf(w, "  proposed by %s on %s\n", r.Owner, shortTime(r.ProposedAt))
	for _, a := range s.Approvals {
		fmt.Fprintf(w, "  approved by %s on %s", a.MSPID, shortTime(a.ApprovedAt))
		if a.Note != "" {
			fmt.Fprintf(w, ": %s", a.Note)
		}
		fmt.Fprintln(w)
	}
	if s.Execution != nil {
		fmt.Fprintf(w, "  executed on %s\n", shortTime(s.Execution.ExecutedAt))
	}
}
