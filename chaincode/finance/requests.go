package finance

import (
	"fmt"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/foundation"
)

// Limits of request fields.
const (
	// MaxAmount bounds one amount, in minor units: 10^15, ten trillion
	// units of a currency with cents. With it no total of an
	// appropriation can overflow an int64.
	MaxAmount = 1_000_000_000_000_000
	// MinFiscalYear and MaxFiscalYear bound fiscal years, which are key
	// attributes written with four digits.
	MinFiscalYear = 2000
	MaxFiscalYear = 2100
	// MaxTitleLength bounds titles, purposes and payee names, in characters.
	MaxTitleLength = 200
	// MaxReasonLength bounds the reason of a reversal and the note of an
	// approval, in characters.
	MaxReasonLength = 500
	// MaxNoteLength bounds the note of a finding, in characters.
	MaxNoteLength = 2000
	// MaxRunPayments bounds the payments of one payment run (DisburseRun).
	MaxRunPayments = 200
	// MaxRunBytes bounds a payment run's request: 2 KiB a payment, four
	// times what a payment with long names and references takes.
	MaxRunBytes = MaxRunPayments * 2 << 10
	// MaxTranches bounds the tranches of a split allocation.
	MaxTranches = 256
)

// AppropriateRequest is the request of Appropriate.
//
//	{"appropriationId": "2026-EDU-0401", "fiscalYear": 2026, "title": "Primary school textbooks",
//	 "administrativeCode": "EDU-01", "functionalCode": "09.1", "economicCode": "2211",
//	 "amount": 250000000, "currency": "EUR"}
type AppropriateRequest struct {
	AppropriationID    string `json:"appropriationId"`
	FiscalYear         int    `json:"fiscalYear"`
	Title              string `json:"title"`
	AdministrativeCode string `json:"administrativeCode"`
	FunctionalCode     string `json:"functionalCode"`
	EconomicCode       string `json:"economicCode"`
	Amount             int64  `json:"amount"`
	Currency           string `json:"currency"`
}

// Validate implements foundation.Request.
func (r *AppropriateRequest) Validate(v *foundation.Fields) {
	v.Identifier("appropriationId", r.AppropriationID)
	v.Int("fiscalYear", int64(r.FiscalYear), MinFiscalYear, MaxFiscalYear)
	v.Text("title", r.Title, MaxTitleLength)
	v.Identifier("administrativeCode", r.AdministrativeCode)
	if v.Required("functionalCode", r.FunctionalCode) && !isCOFOG(r.FunctionalCode) {
		v.Problem("functionalCode", `must be a COFOG code: a division "01" to "10", optionally with group and class ("09.4", "09.4.1")`)
	}
	v.Identifier("economicCode", r.EconomicCode)
	validateMoney(v, r.Amount, r.Currency)
}

// AllocateRequest is the request of Allocate.
//
//	{"allocationId": "2026-EDU-0401-A1", "appropriationId": "2026-EDU-0401",
//	 "agency": "EduMinistryMSP", "purpose": "Textbooks, first grade", "amount": 100000000, "currency": "EUR"}
type AllocateRequest struct {
	AllocationID    string `json:"allocationId"`
	AppropriationID string `json:"appropriationId"`
	Agency          string `json:"agency"`
	Purpose         string `json:"purpose"`
	Amount          int64  `json:"amount"`
	Currency        string `json:"currency"`
}

// Validate implements foundation.Request.
func (r *AllocateRequest) Validate(v *foundation.Fields) {
	v.Identifier("allocationId", r.AllocationID)
	v.Identifier("appropriationId", r.AppropriationID)
	v.OneOf("agency", r.Agency, spendingAgencies()...)
	v.Text("purpose", r.Purpose, MaxTitleLength)
	validateMoney(v, r.Amount, r.Currency)
}

// DisburseRequest is the request of Disburse.
//
//	{"disbursementId": "EDU-PAY-000123", "allocationId": "2026-EDU-0401-A1",
//	 "payee": {"name": "Example Publishing Ltd", "registrationNumber": "HRB-12345"},
//	 "purpose": "Textbooks, delivery 1 of 3", "procurementReference": "TED-2026-123456",
//	 "invoiceHash": "<sha-256 hex of the invoice>", "amount": 2500000, "currency": "EUR",
//	 "transactionType": "disbursement"}
type DisburseRequest struct {
	DisbursementID       string `json:"disbursementId"`
	AllocationID         string `json:"allocationId"`
	Payee                Payee  `json:"payee"`
	Purpose              string `json:"purpose"`
	ProcurementReference string `json:"procurementReference"`
	InvoiceHash          string `json:"invoiceHash"`
	Amount               int64  `json:"amount"`
	Currency             string `json:"currency"`
	TransactionType      string `json:"transactionType"`
}

// Validate implements foundation.Request.
func (r *DisburseRequest) Validate(v *foundation.Fields) {
	v.Identifier("disbursementId", r.DisbursementID)
	v.Identifier("allocationId", r.AllocationID)
	v.Text("payee.name", r.Payee.Name, MaxTitleLength)
	v.Identifier("payee.registrationNumber", r.Payee.RegistrationNumber)
	v.Text("purpose", r.Purpose, MaxTitleLength)
	v.Identifier("procurementReference", r.ProcurementReference)
	v.SHA256Hex("invoiceHash", r.InvoiceHash)
	validateMoney(v, r.Amount, r.Currency)
	v.OneOf("transactionType", r.TransactionType, TransactionCommitment, TransactionDisbursement, TransactionExpenditure)
}

// DisburseRunRequest is the request of DisburseRun: a payment run of 1 to
// MaxRunPayments payments, each written as the request of Disburse, with
// distinct disbursement IDs, against any of the caller's agency's
// allocations. At most MaxRunBytes.
//
//	{"payments": [
//	  {"disbursementId": "EDU-PAY-000124", "allocationId": "2026-EDU-0401-A1", "payee": {...}, ..., "amount": 120000, ...},
//	  {"disbursementId": "EDU-PAY-000125", "allocationId": "2026-EDU-0401-A1", "payee": {...}, ..., "amount": 98050, ...}]}
type DisburseRunRequest struct {
	Payments []DisburseRequest `json:"payments"`
}

// MaxBytes implements foundation.BatchRequest.
func (r *DisburseRunRequest) MaxBytes() int { return MaxRunBytes }

// Validate implements foundation.Request. Each payment's problems are
// named with its place in the run: "payments[3].amount".
func (r *DisburseRunRequest) Validate(v *foundation.Fields) {
	if len(r.Payments) == 0 || len(r.Payments) > MaxRunPayments {
		v.Problem("payments", fmt.Sprintf("must hold 1 to %d payments", MaxRunPayments))
		return
	}
	first := map[string]int{}
	wrong := 0
	for i := range r.Payments {
		p := &r.Payments[i]
		var each foundation.Fields
		p.Validate(&each)
		if j, seen := first[p.DisbursementID]; seen && p.DisbursementID != "" {
			each.Problem("disbursementId", fmt.Sprintf("is also the disbursement ID of payments[%d]", j))
		} else {
			first[p.DisbursementID] = i
		}
		if len(each.Problems()) == 0 {
			continue
		}
		if wrong++; wrong > maxRunProblems {
			continue
		}
		for _, problem := range each.Problems() {
			v.Problem(runField(i, problem.Field), problem.Problem)
		}
	}
	if wrong > maxRunProblems {
		v.Problem("payments", fmt.Sprintf("%d more payments have problems", wrong-maxRunProblems))
	}
}

// maxRunProblems is how many payments with problems a refused run names;
// the others are counted.
const maxRunProblems = 10

// runField names a field of the payment at index i of a run.
func runField(i int, field string) string { return fmt.Sprintf("payments[%d].%s", i, field) }

// SplitAllocationRequest is the request of SplitAllocation: spread what is
// left of an allocation over 1 to MaxTranches tranches (1 merges them
// back).
//
//	{"allocationId": "2026-EDU-0401-A1", "tranches": 64}
type SplitAllocationRequest struct {
	AllocationID string `json:"allocationId"`
	Tranches     int    `json:"tranches"`
}

// Validate implements foundation.Request.
func (r *SplitAllocationRequest) Validate(v *foundation.Fields) {
	v.Identifier("allocationId", r.AllocationID)
	v.Int("tranches", int64(r.Tranches), 1, MaxTranches)
}

// ProposeReversalRequest is the request of ProposeReversal.
//
//	{"reversalId": "REV-2026-0007", "recordType": "disbursement", "recordId": "EDU-PAY-000123",
//	 "reason": "paid twice: duplicate of EDU-PAY-000122"}
type ProposeReversalRequest struct {
	ReversalID string `json:"reversalId"`
	RecordType string `json:"recordType"`
	RecordID   string `json:"recordId"`
	Reason     string `json:"reason"`
}

// Validate implements foundation.Request.
func (r *ProposeReversalRequest) Validate(v *foundation.Fields) {
	v.Identifier("reversalId", r.ReversalID)
	validateRecordRef(v, r.RecordType, r.RecordID)
	v.Text("reason", r.Reason, MaxReasonLength)
}

// ApproveReversalRequest is the request of ApproveReversal. The note is
// optional.
//
//	{"reversalId": "REV-2026-0007", "note": "duplicate confirmed against bank statement"}
type ApproveReversalRequest struct {
	ReversalID string `json:"reversalId"`
	Note       string `json:"note,omitempty"`
}

// Validate implements foundation.Request.
func (r *ApproveReversalRequest) Validate(v *foundation.Fields) {
	v.Identifier("reversalId", r.ReversalID)
	v.OptionalText("note", r.Note, MaxReasonLength)
}

// ExecuteReversalRequest is the request of ExecuteReversal.
//
//	{"reversalId": "REV-2026-0007"}
type ExecuteReversalRequest struct {
	ReversalID string `json:"reversalId"`
}

// Validate implements foundation.Request.
func (r *ExecuteReversalRequest) Validate(v *foundation.Fields) {
	v.Identifier("reversalId", r.ReversalID)
}

// RecordFindingRequest is the request of RecordFinding.
//
//	{"findingId": "AUD-2026-031", "recordType": "disbursement", "recordId": "EDU-PAY-000123",
//	 "severity": "high", "note": "invoice date after the payment date"}
type RecordFindingRequest struct {
	FindingID  string `json:"findingId"`
	RecordType string `json:"recordType"`
	RecordID   string `json:"recordId"`
	Severity   string `json:"severity"`
	Note       string `json:"note"`
}

// Validate implements foundation.Request.
func (r *RecordFindingRequest) Validate(v *foundation.Fields) {
	v.Identifier("findingId", r.FindingID)
	validateRecordRef(v, r.RecordType, r.RecordID)
	v.OneOf("severity", r.Severity, SeverityLow, SeverityMedium, SeverityHigh, SeverityCritical)
	v.Text("note", r.Note, MaxNoteLength)
}

// spendingAgencies returns the MSP IDs of the organisations that receive
// allocations and disburse against them.
func spendingAgencies() []string {
	return []string{consortium.EduMinistryMSP, consortium.InternetCourtMSP}
}

// recordTypes lists the types of records that reversals, findings and
// histories refer to.
func recordTypes() []string {
	return []string{TypeAppropriation, TypeAllocation, TypeDisbursement, TypeReversal}
}

func validateRecordRef(v *foundation.Fields, recordType, recordID string) {
	v.OneOf("recordType", recordType, recordTypes()...)
	v.Identifier("recordId", recordID)
}

// validateMoney checks an amount: a positive integer number of minor units
// up to MaxAmount, in an ISO 4217 currency (three upper-case letters).
func validateMoney(v *foundation.Fields, amount int64, currency string) {
	v.Int("amount", amount, 1, MaxAmount)
	if v.Required("currency", currency) && !isCurrencyCode(currency) {
		v.Problem("currency", "must be an ISO 4217 code: three upper-case letters")
	}
}

func validateFiscalYear(v *foundation.Fields, year int) {
	v.Int("fiscalYear", int64(year), MinFiscalYear, MaxFiscalYear)
}

func isCurrencyCode(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// isCOFOG reports whether s is a COFOG code: a division 01 to 10, then
// optionally a group digit and a class digit, each after a dot.
func isCOFOG(s string) bool {
	if len(s) != 2 && len(s) != 4 && len(s) != 6 {
		return false
	}
	division := s[:2]
	if division < "01" || division > "10" || !isDigit(division[0]) || !isDigit(division[1]) {
		return false
	}
	for i := 2; i < len(s); i += 2 {
		if s[i] != '.' || s[i+1] < '1' || s[i+1] > '9' {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
