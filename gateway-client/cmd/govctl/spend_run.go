package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/finance"
	govclient "github.com/govshare/govshare/gateway-client"
)

// spendRunCommand is spend run: a payment file recorded as payment runs.
func (a *app) spendRunCommand() *cobra.Command {
	var (
		allocation string
		runSize    int
		check      bool
	)
	cmd := &cobra.Command{
		Use:   "run FILE",
		Short: "Record a payment file (CSV or JSON, as a finance system exports it) as payment runs",
		Long: `run records the payments of a file as payment runs: up to 200 payments in one
transaction, all or none, which the ledger checks payment by payment and
against each allocation's balance once. A file of more payments is recorded
as several runs, one after the other.

Before recording anything, run reads every allocation the file pays from and
checks that the file's payments fit what is left of each; with more than one
run it also has the organisation's peer check every run against the ledger
without recording it. A refusal names the payment (its ID and its line in
the file) and the rule, and exits 1. If a later run is refused after earlier
ones were recorded (another payment against the same allocation came in
between), the output says which payments were recorded and which were not.
--check stops after the checks: nothing is recorded.

CSV files have a header row naming these columns, in any order:
  disbursement_id, allocation_id (or --allocation), payee_name,
  payee_registration, purpose, procurement_reference, invoice_sha256 or
  invoice_file (relative to the CSV file), amount (major units: 1250.00 or
  "1,250.00"), currency (default: the allocation's), type (commitment,
  disbursement or expenditure; default disbursement).
JSON files hold an array of payments (or {"payments": [...]}) with the fields
of a disbursement request (disbursementId, allocationId, payee {name,
registrationNumber}, purpose, procurementReference, invoiceHash or
invoiceFile, currency, transactionType) and the amount in major units, as a
string or a number.`,
		Example: `  govctl --org EduMinistry --as accountant spend run march-payments.csv
  govctl --org EduMinistry --as accountant spend run --allocation 2026-EDU-0401-A1 --check march.json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if runSize < 1 || runSize > finance.MaxRunPayments {
				return usagef("--run-size must be 1 to %d", finance.MaxRunPayments)
			}
			payments, err := readPaymentFile(args[0], allocation)
			if err != nil {
				return err
			}
			s, err := a.session(consortium.RoleAccountant)
			if err != nil {
				return err
			}
			ctx, cancel := a.context(cmd)
			defer cancel()
			p := &payRun{a: a, s: s, file: args[0], payments: payments, size: runSize}
			if err := p.prepare(ctx); err != nil {
				return err
			}
			if len(p.runs) > 1 || check {
				if err := p.check(ctx); err != nil {
					return err
				}
			}
			if check {
				p.report.Checked = true
				return a.print(p.report, func(w io.Writer) {
					fmt.Fprintf(w, "all %d payments of %s pass every rule of the ledger now, in %d runs; nothing was recorded\n",
						len(payments), args[0], len(p.runs))
				})
			}
			err = p.record(ctx)
			if len(p.report.Runs) == 0 {
				return err
			}
			p.readTotals(ctx)
			if printErr := a.print(p.report, p.printReport); printErr != nil {
				return printErr
			}
			return err
		},
	}
	cmd.Flags().StringVar(&allocation, "allocation", "", "the allocation of payments whose row names none")
	cmd.Flags().IntVar(&runSize, "run-size", finance.MaxRunPayments, "payments per run (transaction)")
	cmd.Flags().BoolVar(&check, "check", false, "check the file against the ledger and record nothing")
	return cmd
}

// payRun is one spend run: the file's payments, cut into runs, and what
// was recorded.
type payRun struct {
	a        *app
	s        *govclient.Session
	file     string
	payments []filePayment
	size     int
	// runs are the payments cut into runs of at most size, in file order.
	runs   [][]filePayment
	report runReport
}

// runReport is what spend run prints: the payments, each run recorded and
// each allocation's totals afterwards.
type runReport struct {
	Checked     bool                      `json:"checked,omitempty"`
	Payments    []finance.DisburseRequest `json:"payments"`
	Runs        []recordedRun             `json:"runs"`
	Allocations []allocationAfter         `json:"allocations,omitempty"`
}

// recordedRun is one committed run.
type recordedRun struct {
	// First is the index in the file of the run's first payment.
	First         int                 `json:"first"`
	Payments      int                 `json:"payments"`
	TransactionID string              `json:"transactionId"`
	Block         uint64              `json:"block"`
	Run           *finance.PaymentRun `json:"run"`
}

// allocationAfter is an allocation's totals after the runs.
type allocationAfter struct {
	AllocationID string                    `json:"allocationId"`
	Totals       *finance.AllocationTotals `json:"totals,omitempty"`
}

// prepare reads every allocation the file pays from, converts the amounts
// to minor units of their currency, hashes the invoice files, checks that
// the payments fit what is left of each allocation, and cuts them into
// runs.
func (p *payRun) prepare(ctx context.Context) error {
	type allocationState struct {
		totals finance.AllocationTotals
		spent  int64 // by the file's payments so far
		count  int
	}
	states := map[string]*allocationState{}
	var order []string
	for _, fp := range p.payments {
		if _, ok := states[fp.req.AllocationID]; ok {
			continue
		}
		trace, err := p.s.Finance().TraceAllocation(ctx, fp.req.AllocationID, 1, "")
		if err != nil {
			return fmt.Errorf("%s (%s): %w", fp.where, fp.req.DisbursementID, err)
		}
		states[fp.req.AllocationID] = &allocationState{totals: trace.Totals}
		order = append(order, fp.req.AllocationID)
	}
	hashed := 0
	invoices := 0
	for _, fp := range p.payments {
		if fp.invoiceFile != "" {
			invoices++
		}
	}
	for i := range p.payments {
		fp := &p.payments[i]
		st := states[fp.req.AllocationID]
		if fp.req.Currency == "" {
			fp.req.Currency = st.totals.Currency
		}
		amount, err := govclient.ParseAmount(fp.amount, fp.req.Currency)
		if err != nil {
			return usagef("%s, %s: %v", p.file, fp.where, err)
		}
		fp.req.Amount = amount
		if fp.invoiceFile != "" {
			if fp.req.InvoiceHash, err = p.a.hashFile(ctx, fp.invoiceFile); err != nil {
				return fmt.Errorf("%s, %s: %w", p.file, fp.where, err)
			}
			if hashed++; !p.a.asJSON && invoices > 1 {
				fmt.Fprintf(p.a.stderr, "\rhashing invoices: %d of %d", hashed, invoices)
				if hashed == invoices {
					fmt.Fprintln(p.a.stderr)
				}
			}
		}
		if fp.req.Currency == st.totals.Currency {
			st.spent += amount
			if st.spent > st.totals.Remaining {
				return fmt.Errorf("%s (%s): allocation %s has %s remaining%s; a payment of %s would exceed it; nothing was recorded",
					fp.where, fp.req.DisbursementID, fp.req.AllocationID, money(st.totals.Remaining-(st.spent-amount), st.totals.Currency),
					earlier(st.count, "the file's"), money(amount, fp.req.Currency))
			}
		}
		st.count++
		p.report.Payments = append(p.report.Payments, fp.req)
	}
	for _, id := range order {
		p.report.Allocations = append(p.report.Allocations, allocationAfter{AllocationID: id})
	}
	for first := 0; first < len(p.payments); first += p.size {
		p.runs = append(p.runs, p.payments[first:min(first+p.size, len(p.payments))])
	}
	return nil
}

// earlier qualifies what is left of an allocation after n earlier
// payments of whose ("the file's").
func earlier(n int, whose string) string {
	switch n {
	case 0:
		return ""
	case 1:
		return " after " + whose + " earlier payment against it"
	default:
		return fmt.Sprintf(" after %s %d earlier payments against it", whose, n)
	}
}

// request is the contract's request of a run.
func request(run []filePayment) finance.DisburseRunRequest {
	req := finance.DisburseRunRequest{Payments: make([]finance.DisburseRequest, len(run))}
	for i, fp := range run {
		req.Payments[i] = fp.req
	}
	return req
}

// check has the organisation's peer run every run against the ledger as
// it is, without recording anything.
func (p *payRun) check(ctx context.Context) error {
	for k, run := range p.runs {
		if !p.a.asJSON {
			fmt.Fprintf(p.a.stderr, "checking run %d of %d (%s) against the ledger...\n", k+1, len(p.runs), p.span(run))
		}
		raw, err := jsonText(request(run))
		if err != nil {
			return err
		}
		if _, err := p.s.Evaluate(ctx, consortium.FinanceChannel, govclient.FinanceChaincode, "DisburseRun", raw); err != nil {
			return p.locate(ctx, fmt.Errorf("run %d of %d (%s) would be refused; nothing was recorded: %w", k+1, len(p.runs), p.span(run), err), run)
		}
	}
	return nil
}

// record submits the runs one after the other, each waiting for its
// commit, and stops at the first that fails.
func (p *payRun) record(ctx context.Context) error {
	first := 0
	for k, run := range p.runs {
		what := fmt.Sprintf("run %d of %d (%s)", k+1, len(p.runs), p.span(run))
		done := p.a.waiting(what)
		recorded, result, err := p.s.Finance().DisburseRun(ctx, request(run))
		if err != nil {
			if k > 0 {
				err = fmt.Errorf("%w\n  runs 1 to %d (the file's first %d payments) were recorded; %s and the payments after it were not",
					err, k, first, what)
			}
			return p.locate(ctx, err, run)
		}
		done(result)
		p.report.Runs = append(p.report.Runs, recordedRun{First: first, Payments: len(run),
			TransactionID: result.TransactionID, Block: result.BlockNumber, Run: recorded})
		first += len(run)
	}
	return nil
}

// span says which payments of the file a run holds.
func (p *payRun) span(run []filePayment) string {
	if len(run) == 1 {
		return run[0].where
	}
	return fmt.Sprintf("%d payments, %s to %s", len(run), run[0].where, strings.TrimPrefix(strings.TrimPrefix(run[len(run)-1].where, "line "), "payment "))
}

// runIndex finds the payments a refusal of the contract names:
// "payments[17] (EDU-PAY-0017): ..." or "payments[3].amount: ...".
var runIndex = regexp.MustCompile(`payments\[(\d+)\]`)

// locate adds to a refusal of a run where in the file the payments it
// names are, and, when it names amounts, what is left of the allocation
// in major units.
func (p *payRun) locate(ctx context.Context, err error, run []filePayment) error {
	var txErr *govclient.TxError
	if !errors.As(err, &txErr) {
		return err
	}
	var notes []string
	var named *filePayment
	for _, m := range runIndex.FindAllStringSubmatch(txErr.Message(), -1) {
		i, convErr := strconv.Atoi(m[1])
		if convErr != nil || i >= len(run) {
			continue
		}
		note := fmt.Sprintf("payments[%d] is %s, %s of %s", i, run[i].req.DisbursementID, run[i].where, p.file)
		if named == nil {
			named = &run[i]
		}
		if !strings.Contains(strings.Join(notes, "\n"), note) {
			notes = append(notes, note)
		}
	}
	if len(notes) > 0 {
		err = fmt.Errorf("%w\n  %s", err, strings.Join(notes, "\n  "))
	}
	if named != nil && p.s != nil && strings.Contains(txErr.Message(), "would exceed it") {
		err = allocationSource(p.s.Finance(), named.req.AllocationID).explain(ctx, err)
	}
	return err
}

// readTotals reads each allocation's totals after the runs; an allocation
// that cannot be read is shown without.
func (p *payRun) readTotals(ctx context.Context) {
	for i := range p.report.Allocations {
		a := &p.report.Allocations[i]
		if trace, err := p.s.Finance().TraceAllocation(ctx, a.AllocationID, 1, ""); err == nil {
			a.Totals = &trace.Totals
		}
	}
}

// printReport prints what was recorded: the runs, each payment, and each
// allocation's totals afterwards.
func (p *payRun) printReport(w io.Writer) {
	recorded := 0
	for _, r := range p.report.Runs {
		recorded += r.Payments
	}
	fmt.Fprintf(w, "recorded %d of the %d payments of %s in %d runs:\n", recorded, len(p.payments), p.file, len(p.report.Runs))
	for k, r := range p.report.Runs {
		fmt.Fprintf(w, "  run %d: %s, block %d, transaction %s\n", k+1, p.span(p.runs[k]), r.Block, r.TransactionID)
	}
	for _, fp := range p.payments[:recorded] {
		d := fp.req
		fmt.Fprintf(w, "  disbursement %s  %s to %s (%s) from %s, %s\n", d.DisbursementID, money(d.Amount, d.Currency),
			d.Payee.Name, d.Payee.RegistrationNumber, d.AllocationID, fp.where)
	}
	for _, a := range p.report.Allocations {
		if a.Totals == nil {
			continue
		}
		fmt.Fprintf(w, "allocation %s now:\n", a.AllocationID)
		allocationTotalsLine(w, "  ", *a.Totals)
	}
}

// jsonText is a request's JSON.
func jsonText(v any) (string, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encode request: %w", err)
	}
	return string(data), nil
}
