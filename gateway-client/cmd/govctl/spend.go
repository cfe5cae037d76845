package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/finance"
	govclient "github.com/govshare/govshare/gateway-client"
)

// spendCommand is the spend group on the finance ledger: disburse, trace,
// allocation and summary.
func (a *app) spendCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "spend",
		Short: "Payments against allocations, one by one or in runs (agency accountant), traces and the spending summary (everyone)",
		Long: `A spending agency's accountant (EduMinistry, InternetCourt) records each payment
against one of the agency's own allocations, with the payee, the purpose, the
procurement reference and the SHA-256 of the invoice file. The ledger refuses a
payment above what is left of the allocation, even by one cent, and payments
against another agency's allocation. Every member of the channel, Oversight
included, can trace any payment up to its budget line.`,
	}

	var req finance.DisburseRequest
	var amount, invoice string
	disburse := &cobra.Command{
		Use: "disburse", Short: "Record a payment against one of your agency's allocations", Args: cobra.NoArgs,
		Example: `  govctl --org EduMinistry --as accountant spend disburse --id EDU-PAY-000123 \
    --allocation 2026-EDU-0401-A1 --payee "Example Publishing Ltd" --payee-reg HRB-12345 \
    --purpose "Textbooks, delivery 1 of 3" --procurement-ref TED-2026-123456 \
    --invoice invoice-123.pdf --amount 150,000.00`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := requireFlags(cmd, "id", "allocation", "payee", "payee-reg", "purpose", "procurement-ref", "amount"); err != nil {
				return err
			}
			if (invoice == "") == (req.InvoiceHash == "") {
				return usagef("give the invoice with --invoice FILE (or its SHA-256 with --invoice-hash), one of the two")
			}
			return write(a, cmd, consortium.RoleAccountant, "disburse "+req.DisbursementID,
				func(ctx context.Context, s *govclient.Session) (*finance.Disbursement, *govclient.Result, error) {
					from := allocationSource(s.Finance(), req.AllocationID)
					var err error
					if req.Amount, err = from.amount(ctx, amount, &req.Currency); err != nil {
						return nil, nil, err
					}
					if invoice != "" {
						if req.InvoiceHash, err = a.hashFile(ctx, invoice); err != nil {
							return nil, nil, err
						}
					}
					d, result, err := s.Finance().Disburse(ctx, req)
					if err != nil {
						return nil, nil, from.explain(ctx, err)
					}
					return d, result, nil
				}, printDisbursement)
		},
	}
	disburse.Flags().StringVar(&req.DisbursementID, "id", "", "the payment's ID, e.g. EDU-PAY-000123")
	disburse.Flags().StringVar(&req.AllocationID, "allocation", "", "the allocation it is paid from")
	disburse.Flags().StringVar(&req.Payee.Name, "payee", "", "the payee organisation's name")
	disburse.Flags().StringVar(&req.Payee.RegistrationNumber, "payee-reg", "", "the payee's registration number, e.g. HRB-12345")
	disburse.Flags().StringVar(&req.Purpose, "purpose", "", "what is paid for")
	disburse.Flags().StringVar(&req.ProcurementReference, "procurement-ref", "", "the procurement reference, e.g. TED-2026-123456")
	disburse.Flags().StringVar(&invoice, "invoice", "", "the invoice file; only its SHA-256 goes to the ledger")
	disburse.Flags().StringVar(&req.InvoiceHash, "invoice-hash", "", "the invoice's SHA-256 (64 hex), instead of --invoice")
	disburse.Flags().StringVar(&amount, "amount", "", "amount in major units, e.g. 150,000.00")
	disburse.Flags().StringVar(&req.Currency, "currency", "", "currency (default: the allocation's)")
	disburse.Flags().StringVar(&req.TransactionType, "type", finance.TransactionDisbursement,
		"IATI transaction type: commitment, disbursement or expenditure")

	trace := &cobra.Command{
		Use: "trace DISBURSEMENT_ID", Short: "Follow a payment up to its allocation and budget line, with their totals",
		Example: "  govctl --org Oversight --as inspector spend trace EDU-PAY-000123",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return query(a, cmd, func(ctx context.Context, s *govclient.Session) (*finance.DisbursementTrace, error) {
				return s.Finance().TraceDisbursement(ctx, args[0])
			}, printDisbursementTrace)
		},
	}

	allocation := &cobra.Command{
		Use: "allocation ALLOCATION_ID", Short: "An allocation's payments with what is left of it",
		Example: "  govctl --org EduMinistry --as accountant spend allocation 2026-EDU-0401-A1",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return query(a, cmd, func(ctx context.Context, s *govclient.Session) (*finance.AllocationTrace, error) {
				return traceAllocation(ctx, s.Finance(), args[0])
			}, printAllocationTrace)
		},
	}

	var year int
	summary := &cobra.Command{
		Use: "summary", Short: "A fiscal year's budget and spending by agency and by classification code", Args: cobra.NoArgs,
		Example: "  govctl --org Oversight --as inspector spend summary --year 2026",
		RunE: func(cmd *cobra.Command, _ []string) error {
			return query(a, cmd, func(ctx context.Context, s *govclient.Session) (*finance.SpendingSummary, error) {
				return s.Finance().GetSpendingSummary(ctx, year)
			}, printSpendingSummary)
		},
	}
	summary.Flags().IntVar(&year, "year", time.Now().Year(), "fiscal year")

	var tranches int
	split := &cobra.Command{
		Use: "split ALLOCATION_ID", Short: "Spread what is left of an allocation over tranches, so that concurrent payments against it do not conflict",
		Long: `split spreads what is left of one of your agency's allocations over --tranches
tranches. A payment then draws from the tranche its ID hashes to, and
payments made at the same time conflict only when they draw on the same
tranche: choose several times as many tranches as payments you make at once.
A payment larger than its tranche draws from the next ones too. Run split
again to spread what is left evenly again (when some tranches run dry before
others), or with --tranches 1 to merge them. No payment is lost or counted
twice: payments in flight while the allocation is split are refused and the
client endorses them again.`,
		Example: "  govctl --org EduMinistry --as accountant spend split 2026-EDU-0401-A1 --tranches 64",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := requireFlags(cmd, "tranches"); err != nil {
				return err
			}
			return write(a, cmd, consortium.RoleAccountant, "split "+args[0],
				func(ctx context.Context, s *govclient.Session) (*finance.AllocationSplit, *govclient.Result, error) {
					return s.Finance().SplitAllocation(ctx, finance.SplitAllocationRequest{AllocationID: args[0], Tranches: tranches})
				}, printAllocationSplit)
		},
	}
	split.Flags().IntVar(&tranches, "tranches", 0, fmt.Sprintf("how many tranches, 1 to %d", finance.MaxTranches))
	cmd.AddCommand(disburse, trace, allocation, summary, split, a.spendRunCommand())
	return cmd
}

func printAllocationSplit(w io.Writer, s *finance.AllocationSplit) {
	if s.Tranches < 2 {
		fmt.Fprintf(w, "allocation %s is not split: payments draw on its balance; spent %s\n", s.AllocationID, money(s.Spent, s.Currency))
		return
	}
	share := s.Spread / int64(s.Tranches)
	fmt.Fprintf(w, "allocation %s: %s left, spread over %d tranches of %s (layout %d); spent %s\n",
		s.AllocationID, money(s.Spread, s.Currency), s.Tranches, money(share, s.Currency), s.Layout, money(s.Spent, s.Currency))
}

// traceAllocation reads an allocation's trace with all its payments, every
// page in one AllocationTrace.
func traceAllocation(ctx context.Context, f *govclient.Finance, allocationID string) (*finance.AllocationTrace, error) {
	first, lines, err := pagesOf(func(bookmark string) (*finance.AllocationTrace, error) {
		return f.TraceAllocation(ctx, allocationID, maxPageSize, bookmark)
	}, func(p *finance.AllocationTrace) ([]finance.DisbursementLine, string) {
		return p.Disbursements, p.Bookmark
	})
	if err != nil {
		return nil, err
	}
	first.Disbursements = lines
	first.Count, first.Bookmark = int32(len(lines)), ""
	return first, nil
}

func printDisbursement(w io.Writer, d *finance.Disbursement) {
	fmt.Fprintf(w, "disbursement %s against allocation %s: %s to %s (%s)\n",
		d.DisbursementID, d.AllocationID, money(d.Amount, d.Currency), d.Payee.Name, d.Payee.RegistrationNumber)
	fmt.Fprintf(w, "  %s (IATI %d) for %q, procurement %s\n", d.TransactionType, d.IATICode, d.Purpose, d.ProcurementReference)
	fmt.Fprintf(w, "  invoice SHA-256 %s\n", d.InvoiceHash)
	fmt.Fprintf(w, "  recorded by %s on %s\n", d.Owner, shortTime(d.RecordedAt))
}

// printDisbursementTrace prints a payment, then the allocation it was paid
// from, then the budget line above it.
func printDisbursementTrace(w io.Writer, t *finance.DisbursementTrace) {
	printDisbursement(w, &t.Disbursement)
	if note := reversedNote(t.Reversal); note != "" {
		fmt.Fprintf(w, "  %s\n", note)
	}
	al := t.Allocation
	fmt.Fprintf(w, "paid from allocation %s to %s: %s\n", al.AllocationID, al.Agency, al.Purpose)
	allocationTotalsLine(w, "  ", t.AllocationTotals)
	ap := t.Appropriation
	fmt.Fprintf(w, "under appropriation %s, fiscal year %d: %s\n", ap.AppropriationID, ap.FiscalYear, ap.Title)
	fmt.Fprintf(w, "  %s\n", classification(ap.Classification))
	appropriationTotalsLines(w, "  ", t.AppropriationTotals)
}

// printDisbursementLine prints one payment in a listing.
func printDisbursementLine(w io.Writer, indent string, line finance.DisbursementLine) {
	d := line.Disbursement
	fmt.Fprintf(w, "%sdisbursement %s  %s to %s (%s), %s on %s\n", indent, d.DisbursementID,
		money(d.Amount, d.Currency), d.Payee.Name, d.Payee.RegistrationNumber, d.TransactionType, shortTime(d.RecordedAt))
	if note := reversedNote(line.Reversal); note != "" {
		fmt.Fprintf(w, "%s  %s\n", indent, note)
	}
}

func printAllocationTrace(w io.Writer, t *finance.AllocationTrace) {
	al := t.Allocation
	fmt.Fprintf(w, "allocation %s to %s: %s\n", al.AllocationID, al.Agency, al.Purpose)
	if note := reversedNote(t.Reversal); note != "" {
		fmt.Fprintf(w, "  %s\n", note)
	}
	allocationTotalsLine(w, "  ", t.Totals)
	fmt.Fprintf(w, "  of appropriation %s, fiscal year %d: %s\n", t.Appropriation.AppropriationID, t.Appropriation.FiscalYear, t.Appropriation.Title)
	fmt.Fprintf(w, "  %d payments:\n", len(t.Disbursements))
	for _, line := range t.Disbursements {
		printDisbursementLine(w, "    ", line)
	}
}

func printSpendingSummary(w io.Writer, s *finance.SpendingSummary) {
	fmt.Fprintf(w, "budget and spending of fiscal year %d\n", s.FiscalYear)
	if len(s.Totals) == 0 {
		fmt.Fprintln(w, "  nothing is appropriated for this year")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "\t\tappropriated\tallocated\tspent\texecuted\t")
	for _, t := range s.Totals {
		fmt.Fprintf(tw, "total\t\t%s\t%s\t%s\t%s\t\n", sum(t.Appropriated, t.Currency), sum(t.Allocated, t.Currency),
			sum(t.Spent, t.Currency), govclient.FormatShare(t.Executed.BasisPoints))
	}
	for _, a := range s.ByAgency {
		fmt.Fprintf(tw, "agency\t%s\t\t%s\t%s\t%s\t\n", a.Agency, sum(a.Allocated, a.Currency), sum(a.Spent, a.Currency),
			govclient.FormatShare(a.Executed.BasisPoints))
	}
	for _, c := range s.ByClassification {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", c.Scheme, c.Code, sum(c.Appropriated, c.Currency), sum(c.Allocated, c.Currency),
			sum(c.Spent, c.Currency), govclient.FormatShare(c.Executed.BasisPoints))
	}
	tw.Flush()
}
