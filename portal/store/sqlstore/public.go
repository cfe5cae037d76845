package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/govshare/govshare/chaincode/education"
	"github.com/govshare/govshare/chaincode/evidence"
	"github.com/govshare/govshare/portal/readmodel"
	"github.com/govshare/govshare/portal/store"
)

// countedTables are the tables Counts reports, by kind.
var countedTables = []struct{ kind, table string }{
	{"blocks", "blocks"}, {"transactions", "transactions"}, {"writes", "writes"}, {"events", "events"},
	{"accreditations", "edu_accreditations"}, {"credits", "edu_credits"}, {"recognitions", "edu_recognitions"},
	{"revocations", "edu_revocations"}, {"diplomas", "edu_diplomas"}, {"resources", "edu_resources"},
	{"appropriations", "fin_appropriations"}, {"allocations", "fin_allocations"}, {"disbursements", "fin_disbursements"},
	{"payees", "fin_payees"}, {"reversals", "fin_reversals"}, {"approvals", "fin_approvals"},
	{"reversalEntries", "fin_reversal_entries"}, {"findings", "fin_findings"},
	{"cases", "evd_cases"}, {"evidence", "evd_evidence"}, {"notarisations", "evd_notarisations"}, {"custody", "evd_custody"},
	{"accessRequests", "evd_access_requests"}, {"accessLog", "evd_access_log"},
}

// overviewKinds are the kinds the overview counts: what the home page
// shows, not the large ledger tables, whose counts the channels hold.
var overviewKinds = []string{"disbursements", "diplomas", "cases", "resources"}

// Counts returns the number of rows of each kind.
func (s *Store) Counts(ctx context.Context) ([]store.Count, error) {
	return s.count(ctx, nil)
}

// count counts the rows of the kinds named, or of every kind.
func (s *Store) count(ctx context.Context, kinds []string) ([]store.Count, error) {
	counts := make([]store.Count, 0, len(countedTables))
	for _, t := range countedTables {
		if kinds != nil && !slices.Contains(kinds, t.kind) {
			continue
		}
		c := store.Count{Kind: t.kind}
		query := "SELECT COUNT(*) FROM " + t.table
		if kinds != nil && t.kind == "disbursements" {
			query = "SELECT n FROM totals WHERE kind = 'disbursements'" // kept by Apply
		}
		if err := s.db.QueryRowContext(ctx, query).Scan(&c.N); err != nil {
			return nil, fmt.Errorf("count %s: %w", t.kind, err)
		}
		counts = append(counts, c)
	}
	return counts, nil
}

// Overview counts what the read model holds.
func (s *Store) Overview(ctx context.Context) (*store.Overview, error) {
	channels, err := s.Channels(ctx)
	if err != nil {
		return nil, err
	}
	counts, err := s.count(ctx, overviewKinds)
	if err != nil {
		return nil, err
	}
	years, err := s.FiscalYears(ctx)
	if err != nil {
		return nil, err
	}
	return &store.Overview{Channels: channels, Counts: counts, Years: years}, nil
}

// Verify finds everything registered under a digest.
func (s *Store) Verify(ctx context.Context, digest string) (*store.Verification, error) {
	v := &store.Verification{SHA256: digest}
	var err error
	if v.Diplomas, err = records[education.Diploma](ctx, s, "SELECT "+recordColumns+" FROM edu_diplomas WHERE document_hash = ?", digest); err != nil {
		return nil, err
	}
	if v.Revoked, err = records[readmodel.Revocation](ctx, s, "SELECT "+recordColumns+" FROM edu_revocations WHERE record_type = ? AND record_id = ?",
		readmodel.RevokedDiploma, digest); err != nil {
		return nil, err
	}
	if v.Evidence, err = records[evidence.Evidence](ctx, s, "SELECT "+recordColumns+" FROM evd_evidence WHERE content_sha256 = ? ORDER BY case_id, evidence_id", digest); err != nil {
		return nil, err
	}
	if v.Resources, err = records[education.LearningResource](ctx, s, "SELECT "+recordColumns+" FROM edu_resources WHERE content_hash = ?", digest); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, s.d.bind(disbursementSelect+" WHERE d.invoice_hash = ? ORDER BY d.disbursement_id LIMIT 100"), digest)
	if err != nil {
		return nil, fmt.Errorf("verify invoices: %w", err)
	}
	defer rows.Close()
	v.Invoices = []store.DisbursementLine{}
	for rows.Next() {
		line, err := scanDisbursement(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("verify invoices: %w", err)
		}
		v.Invoices = append(v.Invoices, line)
	}
	return v, rows.Err()
}

// newestFirst runs a "newest first" page of records over table, ordered by
// tx_time and the table's id column, with an optional extra condition.
func newestFirst[T any](ctx context.Context, s *Store, table, id string, page store.Page, idOf func(T) string) ([]readmodel.Record[T], string, error) {
	limit := page.Size()
	query := "SELECT " + recordColumns + " FROM " + table
	var args []any
	if page.After != "" {
		t, after := cursor(page.After)
		query += " WHERE (tx_time < ? OR (tx_time = ? AND " + id + " < ?))"
		args = append(args, t, t, after)
	}
	query += " ORDER BY tx_time DESC, " + id + " DESC LIMIT " + strconv.Itoa(limit)
	recs, err := records[T](ctx, s, query, args...)
	if err != nil || len(recs) == 0 {
		return recs, "", err
	}
	last := recs[len(recs)-1]
	return recs, nextCursor(len(recs), limit, timeText(last.At.Time), idOf(last.Value)), nil
}

// Cases lists court cases, newest first.
func (s *Store) Cases(ctx context.Context, page store.Page) ([]store.CaseLine, string, error) {
	recs, next, err := newestFirst(ctx, s, "evd_cases", "case_id", page, func(c evidence.Case) string { return c.CaseID })
	if err != nil {
		return nil, "", err
	}
	lines := make([]store.CaseLine, 0, len(recs))
	for _, r := range recs {
		line := store.CaseLine{Case: r.Value, At: r.At}
		if err := s.db.QueryRowContext(ctx, s.d.bind("SELECT COUNT(*) FROM evd_evidence WHERE case_id = ?"), r.Value.CaseID).Scan(&line.Evidence); err != nil {
			return nil, "", fmt.Errorf("count evidence of case %q: %w", r.Value.CaseID, err)
		}
		lines = append(lines, line)
	}
	return lines, next, nil
}

// Case is one case with its evidence.
func (s *Store) Case(ctx context.Context, id string) (*store.CaseDetail, error) {
	c, err := one[evidence.Case](ctx, s, fmt.Sprintf("case %q", id), "SELECT "+recordColumns+" FROM evd_cases WHERE case_id = ?", id)
	if err != nil {
		return nil, err
	}
	d := &store.CaseDetail{Case: c}
	if d.Evidence, err = records[evidence.Evidence](ctx, s, "SELECT "+recordColumns+" FROM evd_evidence WHERE case_id = ? ORDER BY evidence_id", id); err != nil {
		return nil, err
	}
	return d, nil
}

// Evidence is one evidence item with its notarisations and custody chain.
func (s *Store) Evidence(ctx context.Context, id string) (*store.EvidenceDetail, error) {
	e, err := one[evidence.Evidence](ctx, s, fmt.Sprintf("evidence %q", id), "SELECT "+recordColumns+" FROM evd_evidence WHERE evidence_id = ?", id)
	if err != nil {
		return nil, err
	}
	d := &store.EvidenceDetail{Evidence: e}
	c, err := one[evidence.Case](ctx, s, fmt.Sprintf("case %q", e.Value.CaseID), "SELECT "+recordColumns+" FROM evd_cases WHERE case_id = ?", e.Value.CaseID)
	if err != nil {
		return nil, err
	}
	d.Case = c.Value
	if d.Notarisations, err = records[evidence.Notarisation](ctx, s, "SELECT "+recordColumns+" FROM evd_notarisations WHERE evidence_id = ? ORDER BY sequence", id); err != nil {
		return nil, err
	}
	if d.Custody, err = records[evidence.CustodyEvent](ctx, s, "SELECT "+recordColumns+" FROM evd_custody WHERE evidence_id = ? ORDER BY sequence", id); err != nil {
		return nil, err
	}
	return d, nil
}

// Resources lists learning resources, newest first.
func (s *Store) Resources(ctx context.Context, page store.Page) ([]readmodel.Record[education.LearningResource], string, error) {
	return newestFirst(ctx, s, "edu_resources", "content_hash", page, func(r education.LearningResource) string { return r.ContentHash })
}

// Accreditations lists every accreditation by MSP ID.
func (s *Store) Accreditations(ctx context.Context) ([]readmodel.Record[education.Accreditation], error) {
	return records[education.Accreditation](ctx, s, "SELECT "+recordColumns+" FROM edu_accreditations ORDER BY msp_id")
}
