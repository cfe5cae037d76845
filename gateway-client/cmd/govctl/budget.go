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

// budgetCommand is the budget group on the finance ledger: appropriate,
// allocate, list and trace.
func (a *app) budgetCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "budget",
		Short: "Budget lines and their allocations to agencies (finance bureau budget officer; everyone reads)",
		Long: `The finance bureau's budget officer records appropriations, the budget lines of a
fiscal year, and allocates parts of them to spending agencies (EduMinistry,
InternetCourt). Every write is endorsed by the audit office too. The ledger
refuses allocations that would exceed their appropriation. Nothing is edited:
a wrong entry is corrected by a reversal (govctl reversal --help).

Amounts are in major units of the currency: --amount 1250000 or 1,250,000.00.`,
	}

	var req finance.AppropriateRequest
	var amount string
	appropriate := &cobra.Command{
		Use: "appropriate", Short: "Record a budget line of a fiscal year", Args: cobra.NoArgs,
		Example: `  govctl --org FinanceBureau --as budget-officer budget appropriate --id 2026-EDU-0401 \
    --year 2026 --title "Primary school textbooks" --admin-code EDU-01 --cofog 09.1 \
    --economic-code 2211 --amount 1,250,000.00 --currency CNY`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := requireFlags(cmd, "id", "year", "title", "admin-code", "cofog", "economic-code", "amount", "currency"); err != nil {
				return err
			}
			var err error
			if req.Amount, err = amountArg(amount, req.Currency); err != nil {
				return err
			}
			return write(a, cmd, consortium.RoleBudgetOfficer, "appropriate "+req.AppropriationID,
				func(ctx context.Context, s *govclient.Session) (*finance.Appropriation, *govclient.Result, error) {
					return s.Finance().Appropriate(ctx, req)
				}, printAppropriation)
		},
	}
	appropriate.Flags().StringVar(&req.AppropriationID, "id", "", "the appropriation's ID, e.g. 2026-EDU-0401")
	appropriate.Flags().IntVar(&req.FiscalYear, "year", 0, "fiscal year")
	appropriate.Flags().StringVar(&req.Title, "title", "", "title of the budget line")
	appropriate.Flags().StringVar(&req.AdministrativeCode, "admin-code", "", "administrative classification: the responsible unit, e.g. EDU-01")
	appropriate.Flags().StringVar(&req.FunctionalCode, "cofog", "", `functional classification, a COFOG code: "09", "09.1" or "09.1.1"`)
	appropriate.Flags().StringVar(&req.EconomicCode, "economic-code", "", "economic classification, e.g. 2211")
	appropriate.Flags().StringVar(&amount, "amount", "", "amount in major units, e.g. 1,250,000.00")
	appropriate.Flags().StringVar(&req.Currency, "currency", "", "ISO 4217 currency code, e.g. CNY")

	var alloc finance.AllocateRequest
	var allocAmount string
	allocate := &cobra.Command{
		Use: "allocate", Short: "Assign part of an appropriation to a spending agency", Args: cobra.NoArgs,
		Example: `  govctl --org FinanceBureau --as budget-officer budget allocate --id 2026-EDU-0401-A1 \
    --appropriation 2026-EDU-0401 --agency EduMinistry --purpose "Textbooks, first grade" --amount 400,000.00`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := requireFlags(cmd, "id", "appropriation", "agency", "purpose", "amount"); err != nil {
				return err
			}
			alloc.Agency = mspID(alloc.Agency)
			return write(a, cmd, consortium.RoleBudgetOfficer, "allocate "+alloc.AllocationID,
				func(ctx context.Context, s *govclient.Session) (*finance.Allocation, *govclient.Result, error) {
					from := appropriationSource(s.Finance(), alloc.AppropriationID)
					var err error
					if alloc.Amount, err = from.amount(ctx, allocAmount, &alloc.Currency); err != nil {
						return nil, nil, err
					}
					allocation, result, err := s.Finance().Allocate(ctx, alloc)
					if err != nil {
						return nil, nil, from.explain(ctx, err)
					}
					return allocation, result, nil
				}, printAllocation)
		},
	}
	allocate.Flags().StringVar(&alloc.AllocationID, "id", "", "the allocation's ID, e.g. 2026-EDU-0401-A1")
	allocate.Flags().StringVar(&alloc.AppropriationID, "appropriation", "", "the appropriation it is part of")
	allocate.Flags().StringVar(&alloc.Agency, "agency", "", "the spending agency: EduMinistry or InternetCourt")
	allocate.Flags().StringVar(&alloc.Purpose, "purpose", "", "what the money is for")
	allocate.Flags().StringVar(&allocAmount, "amount", "", "amount in major units, e.g. 400,000.00")
	allocate.Flags().StringVar(&alloc.Currency, "currency", "", "currency (default: the appropriation's)")

	var year int
	list := &cobra.Command{
		Use: "list", Short: "A fiscal year's appropriations with what is allocated from each", Args: cobra.NoArgs,
		Example: "  govctl --org Oversight --as inspector budget list --year 2026",
		RunE: func(cmd *cobra.Command, _ []string) error {
			return query(a, cmd, func(ctx context.Context, s *govclient.Session) (*finance.AppropriationPage, error) {
				all, err := allPages(func(bookmark string) ([]finance.AppropriationBalance, string, error) {
					page, err := s.Finance().ListAppropriations(ctx, year, maxPageSize, bookmark)
					if err != nil {
						return nil, "", err
					}
					return page.Appropriations, page.Bookmark, nil
				})
				if err != nil {
					return nil, err
				}
				return &finance.AppropriationPage{FiscalYear: year, Appropriations: all}, nil
			}, printAppropriationList)
		},
	}
	list.Flags().IntVar(&year, "year", time.Now().Year(), "fiscal year")

	trace := &cobra.Command{
		Use:   "trace APPROPRIATION_ID",
		Short: "Follow an appropriation down to every allocation and payment, with totals",
		Long: `trace prints an appropriation with its totals (appropriated, allocated,
unallocated, spent, executed share, remaining), then each of its allocations
with theirs, then each allocation's payments, marking reversed entries.`,
		Example: "  govctl --org Oversight --as inspector budget trace 2026-EDU-0401",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return query(a, cmd, func(ctx context.Context, s *govclient.Session) (*budgetTrace, error) {
				return traceBudget(ctx, s.Finance(), args[0])
			}, printBudgetTrace)
		},
	}
	cmd.AddCommand(appropriate, allocate, list, trace)
	return cmd
}

// budgetTrace is an appropriation followed down to every payment: its
// totals, each allocation with its totals, each allocation's payments.
type budgetTrace struct {
	Appropriation finance.Appropriation       `json:"appropriation"`
	Reversal      *finance.ReversalEntry      `json:"reversal,omitempty"`
	Totals        finance.AppropriationTotals `json:"totals"`
	Allocations   []allocationBranch          `json:"allocations"`
}

// allocationBranch is one allocation in a budgetTrace.
type allocationBranch struct {
	Allocation    finance.Allocation         `json:"allocation"`
	Reversal      *finance.ReversalEntry     `json:"reversal,omitempty"`
	Totals        finance.AllocationTotals   `json:"totals"`
	Disbursements []finance.DisbursementLine `json:"disbursements"`
}

// traceBudget reads an appropriation's trace, every page of it, then each
// allocation's.
func traceBudget(ctx context.Context, f *govclient.Finance, appropriationID string) (*budgetTrace, error) {
	first, lines, err := pagesOf(func(bookmark string) (*finance.AppropriationTrace, error) {
		return f.TraceAppropriation(ctx, appropriationID, maxPageSize, bookmark)
	}, func(p *finance.AppropriationTrace) ([]finance.AllocationLine, string) {
		return p.Allocations, p.Bookmark
	})
	if err != nil {
		return nil, err
	}
	t := &budgetTrace{Appropriation: first.Appropriation, Reversal: first.Reversal, Totals: first.Totals, Allocations: []allocationBranch{}}
	for _, line := range lines {
		at, err := traceAllocation(ctx, f, line.Balance.AllocationID)
		if err != nil {
			return nil, fmt.Errorf("trace allocation %s of appropriation %s: %w", line.Balance.AllocationID, appropriationID, err)
		}
		t.Allocations = append(t.Allocations, allocationBranch{Allocation: at.Allocation, Reversal: at.Reversal, Totals: at.Totals, Disbursements: at.Disbursements})
	}
	return t, nil
}

func printAppropriation(w io.Writer, a *finance.Appropriation) {
	fmt.Fprintf(w, "appropriation %s, fiscal year %d: %s\n", a.AppropriationID, a.FiscalYear, a.Title)
	fmt.Fprintf(w, "  %s; %s\n", money(a.Amount, a.Currency), classification(a.Classification))
	fmt.Fprintf(w, "  recorded by %s on %s\n", a.Owner, shortTime(a.RecordedAt))
}

func printAllocation(w io.Writer, a *finance.Allocation) {
	fmt.Fprintf(w, "allocation %s of appropriation %s to %s: %s\n", a.AllocationID, a.AppropriationID, a.Agency, a.Purpose)
	fmt.Fprintf(w, "  %s, recorded by %s on %s\n", money(a.Amount, a.Currency), a.Owner, shortTime(a.RecordedAt))
}

func printAppropriationList(w io.Writer, p *finance.AppropriationPage) {
	if len(p.Appropriations) == 0 {
		fmt.Fprintf(w, "no appropriation for fiscal year %d\n", p.FiscalYear)
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "appropriation\tadministrative\tCOFOG\teconomic\tappropriated\tallocated\tunallocated\t\t")
	for _, b := range p.Appropriations {
		reversed := ""
		if b.ReversedBy != "" {
			reversed = "reversed by " + b.ReversedBy
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", b.AppropriationID, b.Classification.Administrative, b.Classification.Functional,
			b.Classification.Economic, money(b.Appropriated, b.Currency), money(b.Allocated, b.Currency),
			money(b.Appropriated-b.Allocated, b.Currency), reversed)
	}
	tw.Flush()
}

// printBudgetTrace prints an appropriation and, below it, each allocation
// and its payments.
func printBudgetTrace(w io.Writer, t *budgetTrace) {
	ap := t.Appropriation
	fmt.Fprintf(w, "appropriation %s, fiscal year %d: %s\n", ap.AppropriationID, ap.FiscalYear, ap.Title)
	fmt.Fprintf(w, "  %s; recorded by %s on %s\n", classification(ap.Classification), ap.Owner, shortTime(ap.RecordedAt))
	if note := reversedNote(t.Reversal); note != "" {
		fmt.Fprintf(w, "  %s\n", note)
	}
	appropriationTotalsLines(w, "  ", t.Totals)
	for _, b := range t.Allocations {
		fmt.Fprintf(w, "  allocation %s to %s: %s\n", b.Allocation.AllocationID, b.Allocation.Agency, b.Allocation.Purpose)
		if note := reversedNote(b.Reversal); note != "" {
			fmt.Fprintf(w, "    %s\n", note)
		}
		allocationTotalsLine(w, "    ", b.Totals)
		for _, line := range b.Disbursements {
			printDisbursementLine(w, "    ", line)
		}
	}
}
