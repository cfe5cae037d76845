package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/finance"
	"github.com/govshare/govshare/chaincode/foundation"
	govclient "github.com/govshare/govshare/gateway-client"
)

// demoCurrency is the currency of the demo's budget line.
const demoCurrency = "CNY"

// appropriationID is the demo's budget line of this run.
func (d *demo) appropriationID() string { return "FIN-" + d.run + "-EDU" }

// finance plays the finance ledger: the finance bureau appropriates and
// allocates, the ministry pays against its allocation with the invoices'
// hashes, an overspend by one minor unit is refused, a duplicate payment is
// reversed with a majority's approval (the audit office's included), three
// suppliers are paid in one payment run, and Oversight traces the budget
// line down to every payment.
func (d *demo) finance(ctx context.Context) error {
	const channel = consortium.FinanceChannel
	officer, err := d.as("FinanceBureau", consortium.RoleBudgetOfficer)
	if err != nil {
		return err
	}
	accountant, err := d.as("EduMinistry", consortium.RoleAccountant)
	if err != nil {
		return err
	}
	auditor, err := d.as("AuditOffice", consortium.RoleAuditor)
	if err != nil {
		return err
	}
	inspector, err := d.as("Oversight", consortium.RoleInspector)
	if err != nil {
		return err
	}

	year := time.Now().UTC().Year()
	appropriationID, allocationID := d.appropriationID(), d.appropriationID()+"-A1"
	d.say("The finance bureau appropriates a budget line for %d and allocates part of it to the ministry of education", year)
	appropriation, r, err := officer.Finance().Appropriate(ctx, finance.AppropriateRequest{
		AppropriationID: appropriationID, FiscalYear: year, Title: "Primary school textbooks",
		AdministrativeCode: "EDU-01", FunctionalCode: "09.1", EconomicCode: "2211", Amount: 125_000_000, Currency: demoCurrency,
	})
	if err != nil {
		return err
	}
	d.detail("appropriation %s: %s, %s", appropriation.AppropriationID, money(appropriation.Amount, appropriation.Currency), classification(appropriation.Classification))
	d.committed(channel, r)
	allocation, r, err := officer.Finance().Allocate(ctx, finance.AllocateRequest{
		AllocationID: allocationID, AppropriationID: appropriationID, Agency: consortium.EduMinistryMSP,
		Purpose: "Textbooks for first grade", Amount: 40_000_000, Currency: demoCurrency,
	})
	if err != nil {
		return err
	}
	d.detail("allocation %s: %s to %s", allocation.AllocationID, money(allocation.Amount, allocation.Currency), allocation.Agency)
	d.committed(channel, r)
	d.detail("the audit office's peer endorsed both: the channel's policy lets no finance write through without it")

	dir, err := os.MkdirTemp("", "govshare-demo-invoices-")
	if err != nil {
		return fmt.Errorf("make a folder for the demo's invoices: %w", err)
	}
	defer os.RemoveAll(dir)
	invoice := filepath.Join(dir, "invoice-"+d.run+".pdf")
	content := "%PDF-1.7 Invoice HX-" + d.run + ": 30,000 first-grade textbooks, 150,000.00 CNY, Huaxia Textbook Publishing Co."
	if err := os.WriteFile(invoice, []byte(content), 0o600); err != nil {
		return fmt.Errorf("write the demo invoice: %w", err)
	}
	invoiceHash, err := govclient.HashFile(ctx, invoice, nil)
	if err != nil {
		return err
	}
	payment := func(id string, amount int64) finance.DisburseRequest {
		return finance.DisburseRequest{
			DisbursementID: id, AllocationID: allocationID,
			Payee:   finance.Payee{Name: "Huaxia Textbook Publishing Co.", RegistrationNumber: "91110108MA01HX2026"},
			Purpose: "First-grade textbooks, delivery 1 of 2", ProcurementReference: fmt.Sprintf("CGP-%d-0415", year),
			InvoiceHash: invoiceHash, Amount: amount, Currency: demoCurrency, TransactionType: finance.TransactionDisbursement,
		}
	}
	paid, duplicate := "EDU-PAY-"+d.run+"-1", "EDU-PAY-"+d.run+"-2"
	d.say("The ministry's accountant pays the publisher, with the SHA-256 of the invoice file; by mistake the invoice is paid twice")
	for _, id := range []string{paid, duplicate} {
		disbursement, r, err := accountant.Finance().Disburse(ctx, payment(id, 15_000_000))
		if err != nil {
			return err
		}
		d.detail("payment %s: %s to %s, invoice %s...", disbursement.DisbursementID, money(disbursement.Amount, disbursement.Currency),
			disbursement.Payee.Name, disbursement.InvoiceHash[:16])
		d.committed(channel, r)
	}

	d.say("The accountant tries to pay one fen more than is left of the allocation, and is refused")
	before, err := accountant.Finance().TraceAllocation(ctx, allocationID, 1, "")
	if err != nil {
		return err
	}
	remaining := before.Totals.Remaining
	d.detail("%s is left of the allocation; the payment asks for %s", money(remaining, demoCurrency), money(remaining+1, demoCurrency))
	_, _, err = accountant.Finance().Disburse(ctx, payment("EDU-PAY-"+d.run+"-3", remaining+1))
	var txErr *govclient.TxError
	if !errors.As(err, &txErr) {
		return fmt.Errorf("the overspend was not refused as it should be: %v", err)
	}
	d.refusals++
	d.detail("refused: %s", txErr.Message())
	after, err := accountant.Finance().TraceAllocation(ctx, allocationID, 1, "")
	if err != nil {
		return err
	}
	d.detail("nothing was written: %s is still left (the contract counts in fen, minor units)", money(after.Totals.Remaining, demoCurrency))

	reversalID := "REV-" + d.run
	d.say("The ministry proposes to reverse the duplicate payment; nothing on the ledger is edited or deleted")
	proposal, r, err := accountant.Finance().ProposeReversal(ctx, finance.ProposeReversalRequest{
		ReversalID: reversalID, RecordType: finance.TypeDisbursement, RecordID: duplicate, Reason: "invoice paid twice: duplicate of " + paid,
	})
	if err != nil {
		return err
	}
	d.detail("reversal %s of %s %s (%s): %s", proposal.ReversalID, proposal.RecordType, proposal.RecordID, money(proposal.Amount, proposal.Currency), proposal.Reason)
	d.committed(channel, r)

	d.say("The audit office, the finance bureau and the ministry approve it: a majority of the channel's five organisations, the audit office among them")
	for _, approver := range []*govclient.Session{auditor, officer, accountant} {
		approval, r, err := approver.Finance().ApproveReversal(ctx, finance.ApproveReversalRequest{ReversalID: reversalID})
		if err != nil {
			return err
		}
		d.detail("approved by %s (%s)", approval.MSPID, approver.Role())
		d.committed(channel, r)
	}

	d.say("The ministry executes the reversal")
	entry, r, err := accountant.Finance().ExecuteReversal(ctx, finance.ExecuteReversalRequest{ReversalID: reversalID})
	if err != nil {
		return err
	}
	d.detail("%s %s reversed: %s taken back, approved by %s", entry.RecordType, entry.RecordID, money(entry.Amount, entry.Currency), strings.Join(entry.ApprovedBy, ", "))
	d.committed(channel, r)

	d.say("At the end of the month the accountant pays three suppliers in one payment run: one transaction, all or none")
	suppliers := []struct {
		name, registration, purpose string
		amount                      int64
	}{
		{"Jinghua Printing Co.", "91110105MA01JH2026", "Workbooks, first grade", 1_200_000},
		{"Beijing School Supplies Ltd", "91110102MA01BS2026", "Exercise books and pencils", 850_000},
		{"Yanshan Logistics Co.", "91110111MA01YS2026", "Delivery of textbooks to 120 schools", 325_050},
	}
	runPayments := make([]finance.DisburseRequest, len(suppliers))
	for i, s := range suppliers {
		runPayments[i] = finance.DisburseRequest{
			DisbursementID: fmt.Sprintf("EDU-PAY-%s-R%d", d.run, i+1), AllocationID: allocationID,
			Payee: finance.Payee{Name: s.name, RegistrationNumber: s.registration}, Purpose: s.purpose,
			ProcurementReference: fmt.Sprintf("CGP-%d-0416", year), InvoiceHash: foundation.SHA256Hex([]byte("invoice " + d.run + s.registration)),
			Amount: s.amount, Currency: demoCurrency, TransactionType: finance.TransactionDisbursement,
		}
	}
	run, r, err := accountant.Finance().DisburseRun(ctx, finance.DisburseRunRequest{Payments: runPayments})
	if err != nil {
		return err
	}
	for _, p := range runPayments {
		d.detail("payment %s: %s to %s", p.DisbursementID, money(p.Amount, p.Currency), p.Payee.Name)
	}
	d.detail("%d payments, %s in all, checked against the allocation's balance once and recorded as ordinary payments",
		run.Payments, money(run.Allocations[0].Amount, run.Allocations[0].Currency))
	d.committed(channel, r)

	d.say("Oversight traces the budget line down to every payment")
	trace, err := traceBudget(ctx, inspector.Finance(), appropriationID)
	if err != nil {
		return err
	}
	printBudgetTrace(indent{d.w}, trace)
	return nil
}
