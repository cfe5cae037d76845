package sqlstore

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/govshare/govshare/chaincode/education"
	"github.com/govshare/govshare/chaincode/evidence"
	"github.com/govshare/govshare/chaincode/finance"
	"github.com/govshare/govshare/portal/readmodel"
)

// table describes the domain table of one kind of record: its identity
// (the ledger key's parts), the columns its queries need, and how a record
// gives their values. Every domain table also has the record as JSON and
// the position of its first and latest write.
type table[T any] struct {
	name string
	keys []string
	cols []string
	// values returns the values of keys, then of cols.
	values func(T) []any
}

// positionColumns are the columns every domain table ends with.
var positionColumns = []string{"record", "channel", "block", "tx_id", "tx_time", "last_block", "last_tx_id"}

// upsert writes a record: a new row, or (unless once) the latest version
// of an existing one, keeping the position of its first write. It returns
// the number of rows changed, 0 for a record written once already.
func (t table[T]) upsert(w *writer, r readmodel.Record[T], once bool) (int64, error) {
	record, err := json.Marshal(r.Value)
	if err != nil {
		return 0, fmt.Errorf("encode %s record: %w", t.name, err)
	}
	args := append(t.values(r.Value), string(record), r.At.Channel, int64(r.At.Block), r.At.TxID, timeText(r.At.Time), int64(r.At.Block), r.At.TxID)
	return w.exec(t.upsertSQL(once), args...)
}

func (t table[T]) upsertSQL(once bool) string {
	columns := append(append(append([]string{}, t.keys...), t.cols...), positionColumns...)
	var q strings.Builder
	fmt.Fprintf(&q, "INSERT INTO %s (%s) VALUES (%s) ON CONFLICT (%s) DO ", t.name, strings.Join(columns, ", "),
		strings.TrimSuffix(strings.Repeat("?, ", len(columns)), ", "), strings.Join(t.keys, ", "))
	if once {
		q.WriteString("NOTHING")
		return q.String()
	}
	q.WriteString("UPDATE SET ")
	var sets []string
	for _, c := range append(append([]string{}, t.cols...), "record", "last_block", "last_tx_id") {
		sets = append(sets, c+" = excluded."+c)
	}
	q.WriteString(strings.Join(sets, ", "))
	return q.String()
}

// The domain tables. Their columns are declared in
// migrations/0001_read_model.sql.
var (
	accreditations = table[education.Accreditation]{name: "edu_accreditations", keys: []string{"msp_id"}, cols: []string{"status"},
		values: func(a education.Accreditation) []any { return []any{a.MSPID, a.Status} }}
	credits = table[education.Credit]{name: "edu_credits", keys: []string{"credit_id"}, cols: []string{"student_ref", "issuer", "status"},
		values: func(c education.Credit) []any { return []any{c.CreditID, c.StudentRef, c.Issuer, c.Status} }}
	recognitions = table[education.Recognition]{name: "edu_recognitions", keys: []string{"credit_id", "recognised_by"}, cols: []string{"student_ref", "status"},
		values: func(r education.Recognition) []any { return []any{r.CreditID, r.RecognisedBy, r.StudentRef, r.Status} }}
	revocations = table[readmodel.Revocation]{name: "edu_revocations", keys: []string{"record_type", "record_id"}, cols: []string{"issuer"},
		values: func(r readmodel.Revocation) []any { return []any{r.RecordType, r.RecordID, r.Issuer} }}
	diplomas = table[education.Diploma]{name: "edu_diplomas", keys: []string{"document_hash"}, cols: []string{"student_ref", "issuer", "status"},
		values: func(d education.Diploma) []any { return []any{d.DocumentHash, d.StudentRef, d.Issuer, d.Status} }}
	resources = table[education.LearningResource]{name: "edu_resources", keys: []string{"content_hash"}, cols: []string{"institution"},
		values: func(r education.LearningResource) []any { return []any{r.ContentHash, r.Institution} }}

	appropriations = table[finance.Appropriation]{name: "fin_appropriations", keys: []string{"appropriation_id"}, cols: []string{"fiscal_year", "functional"},
		values: func(a finance.Appropriation) []any {
			return []any{a.AppropriationID, a.FiscalYear, a.Classification.Functional}
		}}
	budgets = table[finance.AppropriationBalance]{name: "fin_budgets", keys: []string{"appropriation_id"},
		cols: []string{"fiscal_year", "administrative", "functional", "economic", "currency", "appropriated", "allocated"},
		values: func(b finance.AppropriationBalance) []any {
			return []any{b.AppropriationID, b.FiscalYear, b.Classification.Administrative, b.Classification.Functional,
				b.Classification.Economic, b.Currency, b.Appropriated, b.Allocated}
		}}
	allocations = table[finance.Allocation]{name: "fin_allocations", keys: []string{"allocation_id"}, cols: []string{"appropriation_id"},
		values: func(a finance.Allocation) []any { return []any{a.AllocationID, a.AppropriationID} }}
	spending = table[finance.AllocationBalance]{name: "fin_spending", keys: []string{"allocation_id"},
		cols: []string{"appropriation_id", "fiscal_year", "agency", "currency", "allocated", "spent"},
		values: func(b finance.AllocationBalance) []any {
			return []any{b.AllocationID, b.AppropriationID, b.FiscalYear, b.Agency, b.Currency, b.Allocated, b.Spent}
		}}
	disbursementTable = table[finance.Disbursement]{name: "fin_disbursements", keys: []string{"disbursement_id"},
		cols: []string{"allocation_id", "fiscal_year", "agency", "payee_reg", "invoice_hash", "amount", "currency"},
		values: func(d finance.Disbursement) []any {
			return []any{d.DisbursementID, d.AllocationID, d.FiscalYear, d.Agency, d.Payee.RegistrationNumber, d.InvoiceHash, d.Amount, d.Currency}
		}}
	reversals = table[finance.Reversal]{name: "fin_reversals", keys: []string{"reversal_id"}, cols: []string{"record_type", "record_id"},
		values: func(r finance.Reversal) []any { return []any{r.ReversalID, r.RecordType, r.RecordID} }}
	approvals = table[finance.Approval]{name: "fin_approvals", keys: []string{"reversal_id", "msp_id"},
		values: func(a finance.Approval) []any { return []any{a.ReversalID, a.MSPID} }}
	reversalEntries = table[finance.ReversalEntry]{name: "fin_reversal_entries", keys: []string{"record_type", "record_id"}, cols: []string{"reversal_id"},
		values: func(e finance.ReversalEntry) []any { return []any{e.RecordType, e.RecordID, e.ReversalID} }}
	findings = table[finance.Finding]{name: "fin_findings", keys: []string{"record_type", "record_id", "finding_id"}, cols: []string{"severity"},
		values: func(f finance.Finding) []any { return []any{f.RecordType, f.RecordID, f.FindingID, f.Severity} }}

	cases = table[evidence.Case]{name: "evd_cases", keys: []string{"case_id"}, cols: []string{"status"},
		values: func(c evidence.Case) []any { return []any{c.CaseID, c.Status} }}
	evidenceItems = table[evidence.Evidence]{name: "evd_evidence", keys: []string{"evidence_id"}, cols: []string{"case_id", "content_sha256"},
		values: func(e evidence.Evidence) []any { return []any{e.EvidenceID, e.CaseID, e.ContentSHA256} }}
	notarisations = table[evidence.Notarisation]{name: "evd_notarisations", keys: []string{"evidence_id", "sequence"},
		values: func(n evidence.Notarisation) []any { return []any{n.EvidenceID, n.Sequence} }}
	custody = table[evidence.CustodyEvent]{name: "evd_custody", keys: []string{"evidence_id", "sequence"},
		values: func(c evidence.CustodyEvent) []any { return []any{c.EvidenceID, c.Sequence} }}
	accessRequests = table[evidence.AccessRequest]{name: "evd_access_requests", keys: []string{"request_id"}, cols: []string{"evidence_id", "status"},
		values: func(r evidence.AccessRequest) []any { return []any{r.RequestID, r.EvidenceID, r.Status} }}
	accessLog = table[evidence.AccessLogEntry]{name: "evd_access_log", keys: []string{"evidence_id", "sequence"},
		values: func(e evidence.AccessLogEntry) []any { return []any{e.EvidenceID, e.Sequence} }}
)
