package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/finance"
	govclient "github.com/govshare/govshare/gateway-client"
)

// The finance-ledger commands: one file per group (budget.go, spend.go,
// reversal.go, audit.go); this file holds what the groups share. Amounts are
// typed and printed in major units of their currency ("1,250,000.00 CNY");
// the ledger keeps integer minor units, and the conversion is exact
// (govclient.ParseAmount and FormatAmount, see money.go).

// financeCommands returns the command groups of the finance-ledger channel.
func (a *app) financeCommands() []*cobra.Command {
	return []*cobra.Command{a.budgetCommand(), a.spendCommand(), a.reversalCommand(), a.auditCommand()}
}

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

// recordTypeArg checks the RECORD_TYPE argument.
func recordTypeArg(s string) (string, error) {
	types := []string{finance.TypeAppropriation, finance.TypeAllocation, finance.TypeDisbursement, finance.TypeReversal}
	if !slices.Contains(types, s) {
		return "", usagef("record type %q: write one of %s", s, strings.Join(types, ", "))
	}
	return s, nil
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

func classification(c finance.Classification) string {
	return fmt.Sprintf("administrative %s, COFOG %s, economic %s", c.Administrative, c.Functional, c.Economic)
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
	split := ""
	if t.Tranches > 1 {
		split = fmt.Sprintf(", in %d tranches", t.Tranches)
	}
	fmt.Fprintf(w, "%sallocated %s, spent %s (%s executed), remaining %s%s\n", indent,
		money(t.Allocated, t.Currency), money(t.Spent, t.Currency), govclient.FormatShare(t.Executed.BasisPoints), money(t.Remaining, t.Currency), split)
}
