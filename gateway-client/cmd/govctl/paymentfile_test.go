package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/finance"
	govclient "github.com/govshare/govshare/gateway-client"
)

const invoiceHash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	return path
}

func TestReadCSVPaymentFile(t *testing.T) {
	path := writeFile(t, "march.csv", "\ufeffDisbursement_ID,payee_name,payee_registration,purpose,procurement_reference,invoice_sha256,invoice_file,amount,allocation_id,currency,type\n"+
		"EDU-1,Example Publishing Ltd,HRB-12345,\"Textbooks, delivery 1\",TED-1,"+invoiceHash+",,\"1,250.00\",A-1,,\n"+
		"\n"+
		"EDU-2,Example Devices Ltd,HRB-4711,Tablets,TED-2,,invoices/edu-2.pdf,99.5,,CNY,commitment\n")
	payments, err := readPaymentFile(path, "A-DEFAULT")
	require.NoError(t, err)
	require.Len(t, payments, 2)
	assert.Equal(t, finance.DisburseRequest{DisbursementID: "EDU-1", AllocationID: "A-1",
		Payee:   finance.Payee{Name: "Example Publishing Ltd", RegistrationNumber: "HRB-12345"},
		Purpose: "Textbooks, delivery 1", ProcurementReference: "TED-1", InvoiceHash: invoiceHash,
		TransactionType: finance.TransactionDisbursement}, payments[0].req)
	assert.Equal(t, "1,250.00", payments[0].amount)
	assert.Equal(t, "line 2", payments[0].where)
	second := payments[1]
	assert.Equal(t, "A-DEFAULT", second.req.AllocationID, "--allocation fills an empty cell")
	assert.Equal(t, "CNY", second.req.Currency)
	assert.Equal(t, finance.TransactionCommitment, second.req.TransactionType)
	assert.Equal(t, filepath.Join(filepath.Dir(path), "invoices", "edu-2.pdf"), second.invoiceFile, "relative to the CSV file")
	assert.Equal(t, "line 4", second.where, "the line in the file, blank lines counted")
}

func TestReadJSONPaymentFile(t *testing.T) {
	one := `{"disbursementId":"EDU-1","allocationId":"A-1","payee":{"name":"Example Ltd","registrationNumber":"HRB-1"},
		"purpose":"Textbooks","procurementReference":"TED-1","invoiceHash":"` + invoiceHash + `","amount":"1,250.00"}`
	two := `{"disbursementId":"EDU-2","payee":{"name":"Example Ltd","registrationNumber":"HRB-1"},
		"purpose":"Textbooks","procurementReference":"TED-1","invoiceFile":"i.pdf","amount":1250.10,"transactionType":"expenditure"}`
	for _, content := range []string{"[" + one + "," + two + "]", `{"payments":[` + one + "," + two + "]}"} {
		payments, err := readPaymentFile(writeFile(t, "run.json", content), "A-2")
		require.NoError(t, err)
		require.Len(t, payments, 2)
		assert.Equal(t, "1,250.00", payments[0].amount)
		assert.Equal(t, "1250.10", payments[1].amount, "a number is kept as written, never through floating point")
		assert.Equal(t, "A-2", payments[1].req.AllocationID)
		assert.Equal(t, "payment 2", payments[1].where)
		assert.Equal(t, finance.TransactionExpenditure, payments[1].req.TransactionType)
	}
}

func TestPaymentFileMistakesAreUsageErrors(t *testing.T) {
	header := "disbursement_id,allocation_id,payee_name,payee_registration,purpose,procurement_reference,invoice_sha256,amount\n"
	row := func(id string) string {
		return id + ",A-1,Example Ltd,HRB-1,Textbooks,TED-1," + invoiceHash + ",10.00\n"
	}
	a := newApp(io.Discard, io.Discard)
	for _, tc := range []struct {
		name, file, content, want string
	}{
		{"empty", "p.csv", "", "no payments"},
		{"header only", "p.csv", header, "no payments"},
		{"unknown column", "p.csv", strings.Replace(header, "amount", "ammount", 1) + row("E-1"), `line 1: unknown column "ammount"`},
		{"column twice", "p.csv", strings.Replace(header, "purpose", "amount", 1) + row("E-1"), "line 1: column amount appears twice"},
		{"no amount column", "p.csv", strings.Replace(header, ",amount", "", 1), "line 1: no column amount"},
		{"no invoice column", "p.csv", strings.Replace(header, ",invoice_sha256", "", 1), "no column invoice_sha256 or invoice_file"},
		{"a short row", "p.csv", header + "E-1,A-1\n", "record on line 2: wrong number of fields"},
		{"an empty cell", "p.csv", header + strings.Replace(row("E-1"), "Textbooks", " ", 1), "line 2: no purpose"},
		{"no allocation", "p.csv", header + strings.Replace(row("E-1"), "A-1", "", 1), "line 2: no allocation (or --allocation)"},
		{"the same ID twice", "p.csv", header + row("E-1") + row("E-2") + row("E-1"), "line 4: disbursement ID E-1 is also the ID of line 2"},
		{"JSON with an unknown field", "p.json", `[{"disbursementId":"E-1","iban":"X"}]`, `payment 1: json: unknown field "iban"`},
		{"JSON amount as an object", "p.json", `[{"amount":{}}]`, "payment 1: the amount must be a string or a number"},
		{"JSON with the invoice twice", "p.json", `[{"disbursementId":"E-1","allocationId":"A","payee":{"name":"n","registrationNumber":"r"},"purpose":"p",
			"procurementReference":"t","invoiceHash":"` + invoiceHash + `","invoiceFile":"f","amount":"1"}]`, "payment 1: give the invoice's SHA-256 or its file, one of the two"},
		{"JSON trailing data", "p.json", `[] []`, "more than one JSON value"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readPaymentFile(writeFile(t, tc.file, tc.content), "")
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Equal(t, exitUsage, a.exitCode(err))
		})
	}
}

func TestARefusedRunNamesThePaymentsLines(t *testing.T) {
	run := []filePayment{
		{req: finance.DisburseRequest{DisbursementID: "EDU-1", AllocationID: "A-1"}, where: "line 2"},
		{req: finance.DisburseRequest{DisbursementID: "EDU-2", AllocationID: "A-1"}, where: "line 3"},
	}
	p := &payRun{a: newApp(io.Discard, io.Discard), file: "march.csv"}
	refused := refusal(`payments[1] (EDU-2): disbursement "EDU-2" already exists: against allocation A-1`)
	err := p.locate(context.Background(), refused, run)
	assert.ErrorIs(t, err, refused)
	assert.Contains(t, err.Error(), "\n  payments[1] is EDU-2, line 3 of march.csv")
	assert.Equal(t, exitRefused, p.a.exitCode(err))

	fields := refusal(`invalid input: request: payments[0].amount: must be between 1 and 1000000000000000; payments[1].purpose: required`)
	err = p.locate(context.Background(), fields, run)
	assert.Contains(t, err.Error(), "\n  payments[0] is EDU-1, line 2 of march.csv\n  payments[1] is EDU-2, line 3 of march.csv")

	other := &govclient.TxError{Stage: govclient.StageCommit}
	assert.Equal(t, error(other), p.locate(context.Background(), other, run), "nothing named, nothing added")
}

func TestRunsSpanTheirLines(t *testing.T) {
	p := &payRun{}
	run := []filePayment{{where: "line 2"}, {where: "line 3"}, {where: "line 201"}}
	assert.Equal(t, "3 payments, line 2 to 201", p.span(run))
	assert.Equal(t, "payment 7", p.span([]filePayment{{where: "payment 7"}}))
	assert.Equal(t, "", earlier(0, "the file's"))
	assert.Equal(t, " after the file's earlier payment against it", earlier(1, "the file's"))
	assert.Equal(t, " after the file's 12 earlier payments against it", earlier(12, "the file's"))
}
