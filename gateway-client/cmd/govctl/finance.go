package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/finance"
	govclient "github.com/govshare/govshare/gateway-client"
)

// The finance-ledger commands. Amounts are typed and printed in major units
// of their currency ("1,250,000.00 CNY"); the ledger keeps integer minor
// units, and the conversion is exact (govclient.ParseAmount and
// FormatAmount).

// financeCommands returns the command groups of the finance-ledger channel.
func (a *app) financeCommands() []*cobra.Command {
	return []*cobra.Command{a.budgetCommand(), a.spendCommand(), a.reversalCommand(), a.auditCommand()}
}

// financePageSize is how many records each query of a listing fetches: the
// contract's maximum.
const financePageSize = 100

// financeWriters maps the organisations that write on the finance ledger to
// the role they write in, so that --as can be left out.
var financeWriters = map[string]string{
	consortium.FinanceBureauMSP: consortium.RoleBudgetOfficer,
	consortium.AuditOfficeMSP:   consortium.RoleAuditor,
	consortium.EduMinistryMSP:   consortium.RoleAccountant,
	consortium.InternetCourtMSP: consortium.RoleAccountant,
}

// financeRole is the role --org writes in on the finance ledger when --as
// is not given ("" for organisations that only read).
func (a *app) financeRole() string { return financeWriters[mspID(a.org)] }

// mspID accepts an organisation as "EduMinistry" or "EduMinistryMSP".
func mspID(org string) string {
	if org == "" || strings.HasSuffix(org, "MSP") {
		return org
	}
	return org + "MSP"
}

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
					page, err := s.Finance().ListAppropriations(ctx, year, financePageSize, bookmark)
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

func (a *app) spendCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "spend",
		Short: "Payments against allocations (agency accountant), traces and the spending summary (everyone)",
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
	cmd.AddCommand(disburse, trace, allocation, summary)
	return cmd
}

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
			page, err := f.ListReversals(ctx, recordType, recordID, financePageSize, bookmark)
			if err != nil {
				return nil, "", err
			}
			return page.Reversals, page.Bookmark, nil
		}, printReversalStatus)
	cmd.AddCommand(propose, approve, execute, show, list)
	return cmd
}

func (a *app) auditCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Auditors' findings and the history of any finance record",
		Long: `The audit office's auditors attach findings (a note with a severity) to any
record of the finance ledger; a finding changes no amount. Every member of the
channel reads findings and the full history of every record.`,
	}
	var req finance.RecordFindingRequest
	finding := &cobra.Command{
		Use: "finding RECORD_TYPE RECORD_ID", Short: "Attach a finding to a record (audit office auditor)",
		Example: `  govctl --org AuditOffice --as auditor audit finding disbursement EDU-PAY-000123 \
    --id AUD-2026-031 --severity high --note "invoice date after the payment date"`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if req.RecordType, err = recordTypeArg(args[0]); err != nil {
				return err
			}
			if err := requireFlags(cmd, "id", "severity", "note"); err != nil {
				return err
			}
			req.RecordID = args[1]
			return write(a, cmd, consortium.RoleAuditor, "finding "+req.FindingID+" about "+req.RecordType+" "+req.RecordID,
				func(ctx context.Context, s *govclient.Session) (*finance.Finding, *govclient.Result, error) {
					return s.Finance().RecordFinding(ctx, req)
				}, printFinding)
		},
	}
	finding.Flags().StringVar(&req.FindingID, "id", "", "the finding's ID, e.g. AUD-2026-031")
	finding.Flags().StringVar(&req.Severity, "severity", "", "low, medium, high or critical")
	finding.Flags().StringVar(&req.Note, "note", "", "the finding")

	findings := recordListCommand(a, "findings", "Every finding about a record",
		"  govctl --org Oversight --as inspector audit findings disbursement EDU-PAY-000123", "no finding about",
		func(ctx context.Context, f *govclient.Finance, recordType, recordID, bookmark string) ([]finance.Finding, string, error) {
			page, err := f.ListFindings(ctx, recordType, recordID, financePageSize, bookmark)
			if err != nil {
				return nil, "", err
			}
			return page.Findings, page.Bookmark, nil
		}, printFinding)

	history := &cobra.Command{
		Use: "history RECORD_TYPE RECORD_ID", Short: "Every version of a record and of its running totals, newest first",
		Example: "  govctl --org AuditOffice --as auditor audit history allocation 2026-EDU-0401-A1",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			recordType, err := recordTypeArg(args[0])
			if err != nil {
				return err
			}
			return query(a, cmd, func(ctx context.Context, s *govclient.Session) (*finance.RecordHistory, error) {
				return s.Finance().GetRecordHistory(ctx, recordType, args[1])
			}, printRecordHistory)
		},
	}
	cmd.AddCommand(finding, findings, history)
	return cmd
}

// recordListCommand makes a command "use RECORD_TYPE RECORD_ID" that lists
// every page of what the ledger keeps about one record (its reversals, its
// findings): page reads one page, show prints one item, and none starts
// the line printed when there is nothing.
func recordListCommand[T any](a *app, use, short, example, none string,
	page func(ctx context.Context, f *govclient.Finance, recordType, recordID, bookmark string) ([]T, string, error),
	show func(io.Writer, *T)) *cobra.Command {
	return &cobra.Command{
		Use: use + " RECORD_TYPE RECORD_ID", Short: short, Example: example, Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			recordType, err := recordTypeArg(args[0])
			if err != nil {
				return err
			}
			return query(a, cmd, func(ctx context.Context, s *govclient.Session) ([]T, error) {
				return allPages(func(bookmark string) ([]T, string, error) {
					return page(ctx, s.Finance(), recordType, args[1], bookmark)
				})
			}, func(w io.Writer, all []T) {
				if len(all) == 0 {
					fmt.Fprintf(w, "%s %s %s\n", none, recordType, args[1])
				}
				for i := range all {
					show(w, &all[i])
				}
			})
		},
	}
}

// requireFlags refuses, as a usage error, a command line without the named
// flags.
func requireFlags(cmd *cobra.Command, names ...string) error {
	var missing []string
	for _, name := range names {
		if !cmd.Flags().Changed(name) {
			missing = append(missing, "--"+name)
		}
	}
	if len(missing) > 0 {
		return usagef("%s needs %s (see %s --help)", cmd.Name(), strings.Join(missing, ", "), cmd.CommandPath())
	}
	return nil
}

// amountArg reads an --amount in major units of currency.
func amountArg(text, currency string) (int64, error) {
	amount, err := govclient.ParseAmount(text, currency)
	if err != nil {
		return 0, usageError{err}
	}
	return amount, nil
}

// recordTypeArg checks the RECORD_TYPE argument.
func recordTypeArg(s string) (string, error) {
	types := []string{finance.TypeAppropriation, finance.TypeAllocation, finance.TypeDisbursement, finance.TypeReversal}
	if !slices.Contains(types, s) {
		return "", usagef("record type %q: write one of %s", s, strings.Join(types, ", "))
	}
	return s, nil
}

// allPages calls fetch with each bookmark in turn, starting from the first
// page, until a page comes without a bookmark, and returns every item. A
// bookmark that comes back unchanged would repeat the same page for ever,
// so it is an error.
func allPages[T any](fetch func(bookmark string) (items []T, next string, err error)) ([]T, error) {
	all := []T{}
	bookmark := ""
	for {
		items, next, err := fetch(bookmark)
		if err != nil {
			return nil, err
		}
		all = append(all, items...)
		if next == "" {
			return all, nil
		}
		if next == bookmark {
			return nil, fmt.Errorf("the ledger answered the same page twice (bookmark %q)", next)
		}
		bookmark = next
	}
}

// pagesOf reads every page of a paginated trace with read, and returns the
// first page, whose header and totals stand for the whole, with the items
// of every page, which items picks out of each page with its bookmark.
func pagesOf[P, T any](read func(bookmark string) (*P, error), items func(*P) ([]T, string)) (*P, []T, error) {
	var first *P
	all, err := allPages(func(bookmark string) ([]T, string, error) {
		page, err := read(bookmark)
		if err != nil {
			return nil, "", err
		}
		if first == nil {
			first = page
		}
		its, next := items(page)
		return its, next, nil
	})
	if err != nil {
		return nil, nil, err
	}
	return first, all, nil
}

// source is what an allocation or a payment draws on: its appropriation
// or its allocation, with a way to read its currency and what is left of
// it.
type source struct {
	kind, id string
	// leftIs names what is left: "unallocated" or "remaining".
	leftIs string
	totals func(ctx context.Context) (currency string, left, whole int64, err error)
}

// appropriationSource is the appropriation an allocation draws on.
func appropriationSource(f *govclient.Finance, id string) source {
	return source{kind: finance.TypeAppropriation, id: id, leftIs: "unallocated",
		totals: func(ctx context.Context) (string, int64, int64, error) {
			trace, err := f.TraceAppropriation(ctx, id, 1, "")
			if err != nil {
				return "", 0, 0, err
			}
			return trace.Totals.Currency, trace.Totals.Unallocated, trace.Totals.Appropriated, nil
		}}
}

// allocationSource is the allocation a payment draws on.
func allocationSource(f *govclient.Finance, id string) source {
	return source{kind: finance.TypeAllocation, id: id, leftIs: "remaining",
		totals: func(ctx context.Context) (string, int64, int64, error) {
			trace, err := f.TraceAllocation(ctx, id, 1, "")
			if err != nil {
				return "", 0, 0, err
			}
			return trace.Totals.Currency, trace.Totals.Remaining, trace.Totals.Allocated, nil
		}}
}

// amount reads text in major units of *currency. Without a currency, the
// amount is in the source's, which becomes *currency.
func (src source) amount(ctx context.Context, text string, currency *string) (int64, error) {
	if *currency == "" {
		c, _, _, err := src.totals(ctx)
		if err != nil {
			return 0, err
		}
		*currency = c
	}
	return amountArg(text, *currency)
}

// explain adds to a write the contract refused what is left of the
// source, in major units, when the contract's message names amounts.
func (src source) explain(ctx context.Context, refused error) error {
	if !endorsementRefused(refused) {
		return refused
	}
	currency, left, whole, err := src.totals(ctx)
	if err != nil {
		return refused
	}
	return explainAmounts(refused, currency, fmt.Sprintf("%s %s: %s %s of %s",
		src.kind, src.id, money(left, currency), src.leftIs, money(whole, currency)))
}

// endorsementRefused reports whether err is a write the contract refused.
func endorsementRefused(err error) bool {
	var txErr *govclient.TxError
	return errors.As(err, &txErr) && txErr.Stage == govclient.StageEndorse && txErr.Message() != ""
}

// explainAmounts adds balance, written in major units, to a refusal whose
// message names amounts of currency: the contract's messages count minor
// units ("25000000 CNY" is 250,000.00 CNY), which a person misreads.
func explainAmounts(refused error, currency, balance string) error {
	var txErr *govclient.TxError
	if !errors.As(refused, &txErr) || !strings.Contains(txErr.Message(), " "+currency) {
		return refused
	}
	return fmt.Errorf("%w\n  %s (the contract's message counts minor units)", refused, balance)
}

// traceAllocation reads an allocation's trace with all its payments, every
// page in one AllocationTrace.
func traceAllocation(ctx context.Context, f *govclient.Finance, allocationID string) (*finance.AllocationTrace, error) {
	first, lines, err := pagesOf(func(bookmark string) (*finance.AllocationTrace, error) {
		return f.TraceAllocation(ctx, allocationID, financePageSize, bookmark)
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
		return f.TraceAppropriation(ctx, appropriationID, financePageSize, bookmark)
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

// The printers: one per record and trace, for people. --json prints the
// contract's records instead.

func money(amount int64, currency string) string { return govclient.FormatAmount(amount, currency) }

// sum writes a sum of the spending summary, exact at any size.
func sum(total finance.Total, currency string) string { return govclient.FormatTotal(total, currency) }

func classification(c finance.Classification) string {
	return fmt.Sprintf("administrative %s, COFOG %s, economic %s", c.Administrative, c.Functional, c.Economic)
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

func printDisbursement(w io.Writer, d *finance.Disbursement) {
	fmt.Fprintf(w, "disbursement %s against allocation %s: %s to %s (%s)\n",
		d.DisbursementID, d.AllocationID, money(d.Amount, d.Currency), d.Payee.Name, d.Payee.RegistrationNumber)
	fmt.Fprintf(w, "  %s (IATI %d) for %q, procurement %s\n", d.TransactionType, d.IATICode, d.Purpose, d.ProcurementReference)
	fmt.Fprintf(w, "  invoice SHA-256 %s\n", d.InvoiceHash)
	fmt.Fprintf(w, "  recorded by %s on %s\n", d.Owner, shortTime(d.RecordedAt))
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

func printFinding(w io.Writer, f *finance.Finding) {
	fmt.Fprintf(w, "finding %s (%s) about %s %s: %s\n  recorded on %s\n", f.FindingID, f.Severity, f.RecordType, f.RecordID, f.Note, shortTime(f.RecordedAt))
}

// reversedNote marks an entry that a reversal took back.
func reversedNote(e *finance.ReversalEntry) string {
	if e == nil {
		return ""
	}
	return fmt.Sprintf("REVERSED by %s on %s (approved by %s)", e.ReversalID, shortTime(e.ExecutedAt), strings.Join(e.ApprovedBy, ", "))
}

func appropriationTotalsLines(w io.Writer, indent string, t finance.AppropriationTotals) {
	fmt.Fprintf(w, "%sappropriated %s, allocated %s, unallocated %s\n", indent,
		money(t.Appropriated, t.Currency), money(t.Allocated, t.Currency), money(t.Unallocated, t.Currency))
	fmt.Fprintf(w, "%sspent %s (%s executed), remaining %s\n", indent,
		money(t.Spent, t.Currency), govclient.FormatShare(t.Executed.BasisPoints), money(t.Remaining, t.Currency))
}

func allocationTotalsLine(w io.Writer, indent string, t finance.AllocationTotals) {
	fmt.Fprintf(w, "%sallocated %s, spent %s (%s executed), remaining %s\n", indent,
		money(t.Allocated, t.Currency), money(t.Spent, t.Currency), govclient.FormatShare(t.Executed.BasisPoints), money(t.Remaining, t.Currency))
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

// balanceVersion is what the history shows of one version of a running
// total: the fields of AppropriationBalance and AllocationBalance.
type balanceVersion struct {
	Currency     string `json:"currency"`
	Appropriated *int64 `json:"appropriated"`
	Allocated    *int64 `json:"allocated"`
	Spent        *int64 `json:"spent"`
	ReversedBy   string `json:"reversedBy"`
}

func (b balanceVersion) String() string {
	var parts []string
	for _, f := range []struct {
		name  string
		value *int64
	}{{"appropriated", b.Appropriated}, {"allocated", b.Allocated}, {"spent", b.Spent}} {
		if f.value != nil {
			parts = append(parts, f.name+" "+money(*f.value, b.Currency))
		}
	}
	if b.ReversedBy != "" {
		parts = append(parts, "reversed by "+b.ReversedBy)
	}
	return strings.Join(parts, ", ")
}

func printRecordHistory(w io.Writer, h *finance.RecordHistory) {
	fmt.Fprintf(w, "history of %s\n", h.Record)
	for _, rev := range h.Entry {
		fmt.Fprintf(w, "  %s  tx %s  entry written\n", shortTime(rev.Timestamp), rev.TxID)
	}
	if len(h.Balances) > 0 {
		fmt.Fprintln(w, "running totals, newest first:")
	}
	for _, rev := range h.Balances {
		var b balanceVersion
		data, err := json.Marshal(rev.Record)
		if err == nil {
			err = json.Unmarshal(data, &b)
		}
		if err != nil {
			fmt.Fprintf(w, "  %s  tx %s  (unreadable: %v)\n", shortTime(rev.Timestamp), rev.TxID, err)
			continue
		}
		fmt.Fprintf(w, "  %s  tx %s  %s\n", shortTime(rev.Timestamp), rev.TxID, b)
	}
}
