package main

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/finance"
	"github.com/govshare/govshare/chaincode/foundation"
	govclient "github.com/govshare/govshare/gateway-client"
)

func TestMissingFlagsAndWrongRecordTypesAreUsageErrors(t *testing.T) {
	cmd := &cobra.Command{Use: "appropriate"}
	cmd.Flags().String("id", "", "")
	cmd.Flags().String("amount", "", "")
	require.NoError(t, cmd.Flags().Set("id", "P-1"))
	err := requireFlags(cmd, "id", "amount")
	assert.ErrorContains(t, err, "appropriate needs --amount")
	a := newApp(io.Discard, io.Discard)
	assert.Equal(t, exitUsage, a.exitCode(err))

	require.NoError(t, cmd.Flags().Set("amount", "1"))
	assert.NoError(t, requireFlags(cmd, "id", "amount"))

	_, err = recordTypeArg("payment")
	assert.Equal(t, exitUsage, a.exitCode(err))
	recordType, err := recordTypeArg("disbursement")
	require.NoError(t, err)
	assert.Equal(t, finance.TypeDisbursement, recordType)

	_, err = amountArg("12.345", "EUR")
	assert.Equal(t, exitUsage, a.exitCode(err))
}

func TestMSPIDAndFinanceRoles(t *testing.T) {
	assert.Equal(t, "EduMinistryMSP", mspID("EduMinistry"))
	assert.Equal(t, "EduMinistryMSP", mspID("EduMinistryMSP"))
	for org, role := range map[string]string{
		"FinanceBureau": "budget-officer", "AuditOffice": "auditor", "EduMinistry": "accountant",
		"InternetCourt": "accountant", "Oversight": "", "UniversityA": "",
	} {
		a := &app{org: org}
		assert.Equal(t, role, a.financeRole(), org)
	}
}

// refusal is a refused endorsement carrying the chaincode's message, as
// the gateway reports it.
func refusal(message string) error {
	return &govclient.TxError{Stage: govclient.StageEndorse, Channel: "finance-ledger", Chaincode: "finance", Function: "Disburse",
		Peers: []govclient.PeerError{{MSPID: "EduMinistryMSP", Address: "127.0.0.1:27027", Message: "chaincode response 500, " + message}}}
}

func TestRefusalsThatNameAmountsAreExplainedInMajorUnits(t *testing.T) {
	overspend := refusal(`allocation "A-1" has 25000000 CNY remaining; a disbursement of 25000001 CNY would exceed it`)
	require.True(t, endorsementRefused(overspend))
	err := explainAmounts(overspend, "CNY", "allocation A-1: 250,000.00 CNY remaining of 400,000.00 CNY")
	assert.ErrorIs(t, err, overspend, "the contract's refusal stays the error")
	assert.Contains(t, err.Error(), "has 25000000 CNY remaining", "the contract's message is kept as it is")
	assert.Contains(t, err.Error(), "\n  allocation A-1: 250,000.00 CNY remaining of 400,000.00 CNY")
	a := newApp(io.Discard, io.Discard)
	assert.Equal(t, exitRefused, a.exitCode(err))

	denied := refusal(`access denied: Disburse called by InternetCourtMSP with role "accountant"`)
	assert.Equal(t, denied, explainAmounts(denied, "CNY", "allocation A-1: ..."), "no amounts, nothing to explain")

	assert.False(t, endorsementRefused(errors.New("connection refused")))
	assert.False(t, endorsementRefused(&govclient.TxError{Stage: govclient.StageCommit}))
}

// traceFixture is a payment of 150,000.00 CNY, reversed, from an
// allocation of 400,000.00 CNY of an appropriation of 1,250,000.00 CNY.
func traceFixture() *finance.DisbursementTrace {
	at := time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
	class := finance.Classification{Administrative: "EDU-01", Functional: "09.1", Economic: "2211"}
	return &finance.DisbursementTrace{
		Disbursement: finance.Disbursement{
			DisbursementID: "D-2", AllocationID: "A-1", AppropriationID: "P-1", FiscalYear: 2026, Agency: "EduMinistryMSP",
			Classification: class, Payee: finance.Payee{Name: "Example Publishing Ltd", RegistrationNumber: "HRB-12345"},
			Purpose: "Textbooks", ProcurementReference: "TED-1", InvoiceHash: strings.Repeat("ab", 32),
			Amount: 15_000_000, Currency: "CNY", TransactionType: "disbursement", IATICode: 3, Owner: "EduMinistryMSP", RecordedAt: at,
		},
		Reversal: &finance.ReversalEntry{ReversalID: "R-1", RecordType: "disbursement", RecordID: "D-2", Amount: 15_000_000, Currency: "CNY",
			ApprovedBy: []string{"AuditOfficeMSP", "EduMinistryMSP", "FinanceBureauMSP"}, ExecutedAt: at},
		Allocation: finance.Allocation{AllocationID: "A-1", AppropriationID: "P-1", Agency: "EduMinistryMSP", Purpose: "Textbooks, first grade",
			Amount: 40_000_000, Currency: "CNY"},
		AllocationTotals: finance.AllocationTotals{Currency: "CNY", Allocated: 40_000_000, Spent: 15_000_000, Remaining: 25_000_000,
			Executed: finance.Share{Numerator: 15_000_000, Denominator: 40_000_000, BasisPoints: 3750}},
		Appropriation: finance.Appropriation{AppropriationID: "P-1", FiscalYear: 2026, Title: "Primary school textbooks",
			Classification: class, Amount: 125_000_000, Currency: "CNY"},
		AppropriationTotals: finance.AppropriationTotals{Currency: "CNY", Appropriated: 125_000_000, Allocated: 40_000_000,
			Unallocated: 85_000_000, Spent: 15_000_000, Remaining: 110_000_000,
			Executed: finance.Share{Numerator: 15_000_000, Denominator: 125_000_000, BasisPoints: 1200}},
	}
}

func TestTracesPrintTheChainWithTotalsInMajorUnits(t *testing.T) {
	tr := traceFixture()
	var up bytes.Buffer
	printDisbursementTrace(&up, tr)
	assert.Equal(t, `disbursement D-2 against allocation A-1: 150,000.00 CNY to Example Publishing Ltd (HRB-12345)
  disbursement (IATI 3) for "Textbooks", procurement TED-1
  invoice SHA-256 `+strings.Repeat("ab", 32)+`
  recorded by EduMinistryMSP on 2026-03-01 09:30:00 UTC
  REVERSED by R-1 on 2026-03-01 09:30:00 UTC (approved by AuditOfficeMSP, EduMinistryMSP, FinanceBureauMSP)
paid from allocation A-1 to EduMinistryMSP: Textbooks, first grade
  allocated 400,000.00 CNY, spent 150,000.00 CNY (37.50% executed), remaining 250,000.00 CNY
under appropriation P-1, fiscal year 2026: Primary school textbooks
  administrative EDU-01, COFOG 09.1, economic 2211
  appropriated 1,250,000.00 CNY, allocated 400,000.00 CNY, unallocated 850,000.00 CNY
  spent 150,000.00 CNY (12.00% executed), remaining 1,100,000.00 CNY
`, up.String())

	down := &budgetTrace{Appropriation: tr.Appropriation, Totals: tr.AppropriationTotals, Allocations: []allocationBranch{{
		Allocation: tr.Allocation, Totals: tr.AllocationTotals,
		Disbursements: []finance.DisbursementLine{{Disbursement: tr.Disbursement, Reversal: tr.Reversal}},
	}}}
	var out bytes.Buffer
	printBudgetTrace(&out, down)
	text := out.String()
	assert.Contains(t, text, "appropriation P-1, fiscal year 2026: Primary school textbooks\n")
	assert.Contains(t, text, "\n  allocation A-1 to EduMinistryMSP: Textbooks, first grade\n    allocated 400,000.00 CNY")
	assert.Contains(t, text, "\n    disbursement D-2  150,000.00 CNY to Example Publishing Ltd (HRB-12345)")
	assert.Contains(t, text, "\n      REVERSED by R-1")
}

func TestHistoryShowsEachVersionOfTheRunningTotals(t *testing.T) {
	h := &finance.RecordHistory{Record: `allocation "A-1"`, Balances: []foundation.Revision{
		{TxID: "tx2", Record: map[string]any{"currency": "EUR", "allocated": 40_000_000, "spent": 1, "reversedBy": ""}},
		{TxID: "tx1", Record: map[string]any{"currency": "EUR", "allocated": 40_000_000, "spent": 0}},
	}}
	var out bytes.Buffer
	printRecordHistory(&out, h)
	assert.Contains(t, out.String(), "tx tx2  allocated 400,000.00 EUR, spent 0.01 EUR\n")
	assert.Contains(t, out.String(), "tx tx1  allocated 400,000.00 EUR, spent 0.00 EUR\n")
	assert.NotContains(t, out.String(), "appropriated", "an allocation's totals have no appropriated amount")
}
