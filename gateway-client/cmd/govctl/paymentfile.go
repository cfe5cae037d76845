package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/govshare/govshare/chaincode/finance"
)

// Payment files: what a finance system exports for a payment run, read by
// `spend run`. Two formats, told apart by the file's first character.
//
// CSV, with a header row naming the columns, in any order (names are
// matched without regard to case; a column not listed here is refused, so
// that a misspelt one is not silently ignored):
//
//	disbursement_id        the payment's ID                              required
//	allocation_id          the allocation it is paid from               required unless --allocation
//	payee_name             the payee organisation's name                required
//	payee_registration     its registration number                      required
//	purpose                what is paid for                             required
//	procurement_reference  the procurement reference                    required
//	invoice_sha256         the invoice's SHA-256 (64 hex)               one of the two
//	invoice_file           the invoice file, relative to the CSV file   one of the two
//	amount                 in major units: 1250.00 or "1,250.00"        required
//	currency               ISO 4217; default the allocation's           optional
//	type                   commitment, disbursement or expenditure      optional, default disbursement
//
// JSON: an array of payments, or an object {"payments": [...]}, each with
// the fields of the contract's DisburseRequest (disbursementId,
// allocationId, payee {name, registrationNumber}, purpose,
// procurementReference, invoiceHash, currency, transactionType), the
// invoice as invoiceHash or invoiceFile, and the amount in major units, as
// a string ("1,250.00") or a number (1250.00): never minor units, so that
// a file reads the same to a person and to govctl. Unknown fields are
// refused.

// filePayment is one payment of a payment file: the contract's request,
// with its amount still as written, in major units (its currency may be
// the allocation's, known only once the allocation is read).
type filePayment struct {
	req finance.DisburseRequest
	// amount is the amount as written.
	amount string
	// invoiceFile is the invoice file to hash, when the file names one
	// instead of its hash.
	invoiceFile string
	// where says where the payment is in the file: "line 12" of a CSV
	// file, "payment 11" of a JSON file.
	where string
}

// csvColumns are the columns of a CSV payment file, in the order of the
// documentation.
var csvColumns = []string{"disbursement_id", "allocation_id", "payee_name", "payee_registration", "purpose",
	"procurement_reference", "invoice_sha256", "invoice_file", "amount", "currency", "type"}

// readPaymentFile reads a payment file; allocation is the allocation of
// payments that name none. A file govctl cannot read is a usage error
// naming the line or payment.
func readPaymentFile(path, allocation string) ([]filePayment, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, usageError{err}
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff")) // the byte order mark spreadsheet programs write
	var payments []filePayment
	switch trimmed := bytes.TrimSpace(data); {
	case len(trimmed) == 0:
		return nil, usagef("%s: no payments", path)
	case trimmed[0] == '[' || trimmed[0] == '{':
		payments, err = readJSONPayments(data)
	default:
		payments, err = readCSVPayments(data)
	}
	if err != nil {
		return nil, usagef("%s: %v", path, err)
	}
	if len(payments) == 0 {
		return nil, usagef("%s: no payments", path)
	}
	seen := map[string]string{}
	for i := range payments {
		p := &payments[i]
		if p.req.AllocationID == "" {
			p.req.AllocationID = allocation
		}
		if p.req.TransactionType == "" {
			p.req.TransactionType = finance.TransactionDisbursement
		}
		if p.invoiceFile != "" && !filepath.IsAbs(p.invoiceFile) {
			p.invoiceFile = filepath.Join(filepath.Dir(path), p.invoiceFile)
		}
		var missing []string
		for _, f := range []struct{ name, value string }{
			{"disbursement ID", p.req.DisbursementID}, {"allocation (or --allocation)", p.req.AllocationID},
			{"payee name", p.req.Payee.Name}, {"payee registration number", p.req.Payee.RegistrationNumber},
			{"purpose", p.req.Purpose}, {"procurement reference", p.req.ProcurementReference}, {"amount", p.amount},
		} {
			if strings.TrimSpace(f.value) == "" {
				missing = append(missing, f.name)
			}
		}
		if len(missing) > 0 {
			return nil, usagef("%s, %s: no %s", path, p.where, strings.Join(missing, ", no "))
		}
		if (p.req.InvoiceHash == "") == (p.invoiceFile == "") {
			return nil, usagef("%s, %s: give the invoice's SHA-256 or its file, one of the two", path, p.where)
		}
		if first, dup := seen[p.req.DisbursementID]; dup {
			return nil, usagef("%s, %s: disbursement ID %s is also the ID of %s", path, p.where, p.req.DisbursementID, first)
		}
		seen[p.req.DisbursementID] = p.where
	}
	return payments, nil
}

func readCSVPayments(data []byte) ([]filePayment, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.TrimLeadingSpace = true
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("read the header row: %w", err)
	}
	column := map[string]int{}
	for i, name := range header {
		name = strings.ToLower(strings.TrimSpace(name))
		if !slices.Contains(csvColumns, name) {
			return nil, fmt.Errorf("line 1: unknown column %q (the columns are %s)", header[i], strings.Join(csvColumns, ", "))
		}
		if _, dup := column[name]; dup {
			return nil, fmt.Errorf("line 1: column %s appears twice", name)
		}
		column[name] = i
	}
	for _, name := range []string{"disbursement_id", "payee_name", "payee_registration", "purpose", "procurement_reference", "amount"} {
		if _, ok := column[name]; !ok {
			return nil, fmt.Errorf("line 1: no column %s", name)
		}
	}
	_, hash := column["invoice_sha256"]
	_, file := column["invoice_file"]
	if !hash && !file {
		return nil, errors.New("line 1: no column invoice_sha256 or invoice_file")
	}
	cell := func(record []string, name string) string {
		if i, ok := column[name]; ok {
			return strings.TrimSpace(record[i])
		}
		return ""
	}
	var payments []filePayment
	for {
		record, err := r.Read()
		if err == io.EOF {
			return payments, nil
		}
		if err != nil {
			return nil, err // csv's errors name the line
		}
		line, _ := r.FieldPos(0)
		payments = append(payments, filePayment{
			req: finance.DisburseRequest{
				DisbursementID:       cell(record, "disbursement_id"),
				AllocationID:         cell(record, "allocation_id"),
				Payee:                finance.Payee{Name: cell(record, "payee_name"), RegistrationNumber: cell(record, "payee_registration")},
				Purpose:              cell(record, "purpose"),
				ProcurementReference: cell(record, "procurement_reference"),
				InvoiceHash:          cell(record, "invoice_sha256"),
				Currency:             cell(record, "currency"),
				TransactionType:      cell(record, "type"),
			},
			amount:      cell(record, "amount"),
			invoiceFile: cell(record, "invoice_file"),
			where:       fmt.Sprintf("line %d", line),
		})
	}
}

// jsonPayment is a payment of a JSON payment file.
type jsonPayment struct {
	DisbursementID       string        `json:"disbursementId"`
	AllocationID         string        `json:"allocationId"`
	Payee                finance.Payee `json:"payee"`
	Purpose              string        `json:"purpose"`
	ProcurementReference string        `json:"procurementReference"`
	InvoiceHash          string        `json:"invoiceHash"`
	InvoiceFile          string        `json:"invoiceFile"`
	Amount               majorAmount   `json:"amount"`
	Currency             string        `json:"currency"`
	TransactionType      string        `json:"transactionType"`
}

// majorAmount is an amount in major units as a JSON file writes it: a
// string ("1,250.00") or a number (1250.00), kept as text so that it is
// read exactly, never through floating point.
type majorAmount string

func (m *majorAmount) UnmarshalJSON(data []byte) error {
	var text string
	if err := json.Unmarshal(data, &text); err == nil {
		*m = majorAmount(text)
		return nil
	}
	var number json.Number
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&number); err != nil {
		return errors.New("the amount must be a string or a number, in major units")
	}
	*m = majorAmount(number.String())
	return nil
}

func readJSONPayments(data []byte) ([]filePayment, error) {
	strict := func(raw []byte, v any) error {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(v); err != nil {
			return err
		}
		if dec.More() {
			return errors.New("more than one JSON value")
		}
		return nil
	}
	var list []json.RawMessage
	if trimmed := bytes.TrimSpace(data); trimmed[0] == '{' {
		var wrapped struct {
			Payments []json.RawMessage `json:"payments"`
		}
		if err := strict(data, &wrapped); err != nil {
			return nil, err
		}
		list = wrapped.Payments
	} else if err := strict(data, &list); err != nil {
		return nil, err
	}
	payments := make([]filePayment, len(list))
	for i, raw := range list {
		var p jsonPayment
		if err := strict(raw, &p); err != nil {
			return nil, fmt.Errorf("payment %d: %w", i+1, err)
		}
		payments[i] = filePayment{
			req: finance.DisburseRequest{
				DisbursementID: p.DisbursementID, AllocationID: p.AllocationID, Payee: p.Payee, Purpose: p.Purpose,
				ProcurementReference: p.ProcurementReference, InvoiceHash: p.InvoiceHash, Currency: p.Currency,
				TransactionType: p.TransactionType,
			},
			amount:      string(p.Amount),
			invoiceFile: p.InvoiceFile,
			where:       fmt.Sprintf("payment %d", i+1),
		}
	}
	return payments, nil
}
