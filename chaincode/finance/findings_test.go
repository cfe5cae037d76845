package finance_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/finance"
	"github.com/govshare/govshare/chaincode/foundation"
	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

func TestRecordFinding(t *testing.T) {
	f := newBudget(t)
	f.must(call(f, f.eduAcc, (*finance.Contract).Disburse, disbursement("D-1", "A-EDU", 700)))
	f.must(call(f, f.eduAcc, (*finance.Contract).ProposeReversal, reversal("R-1", finance.TypeDisbursement, "D-1")))

	for _, record := range [][2]string{
		{finance.TypeAppropriation, "P-1"},
		{finance.TypeAllocation, "A-EDU"},
		{finance.TypeDisbursement, "D-1"},
		{finance.TypeReversal, "R-1"},
	} {
		t.Run("on a "+record[0], func(t *testing.T) {
			before := f.l.Snapshot()
			got, err := call(f, f.auditor, (*finance.Contract).RecordFinding, finding("F-1", record[0], record[1]))
			require.NoError(t, err)
			assert.Equal(t, finance.Finding{FindingID: "F-1", RecordType: record[0], RecordID: record[1], Severity: "high",
				Note: "invoice dated after payment", RecordedAt: got.RecordedAt, RecordedBy: got.RecordedBy}, *got)
			assert.Contains(t, got.RecordedBy, "CN=auditor")
			key := compositeKey("fin.finding", record[0], record[1], "F-1")
			assert.Equal(t, []string{
				"events changed",
				fmt.Sprintf("history of %q added", key),
				fmt.Sprintf("state %q added", key),
			}, f.l.Diff(before), "a finding adds itself and changes no record or amount")
			name, ev := f.lastEvent()
			assert.Equal(t, finance.EventFindingRecorded, name)
			assert.Equal(t, []string{"create fin.finding " + record[0] + "/" + record[1] + "/F-1"}, changeSummary(ev))
		})
	}

	valid := finding("F-2", finance.TypeDisbursement, "D-1")
	modified := func(change func(*finance.RecordFindingRequest)) finance.RecordFindingRequest {
		r := valid
		change(&r)
		return r
	}
	record := func(req any) func() error { return refuse(f, f.auditor, (*finance.Contract).RecordFinding, req) }
	runRefusals(t, f, []refusalCase{
		{"budget officer (wrong organisation and role)", refuse(f, f.officer, (*finance.Contract).RecordFinding, valid),
			refused(foundation.ErrAccessDenied, `RecordFinding called by FinanceBureauMSP with role "budget-officer"`, `requires role "auditor" in AuditOfficeMSP`)},
		{"oversight inspector", refuse(f, f.inspector, (*finance.Contract).RecordFinding, valid), refused(foundation.ErrAccessDenied, "OversightMSP")},
		{"audit office admin (wrong role)", refuse(f, f.l.As(audit, consortium.RoleAdmin), (*finance.Contract).RecordFinding, valid),
			refused(foundation.ErrAccessDenied, `AuditOfficeMSP with role "admin"`)},
		{"an auditor of another organisation", refuse(f, f.l.As(ministry, consortium.RoleAuditor), (*finance.Contract).RecordFinding, valid),
			refused(foundation.ErrAccessDenied, `EduMinistryMSP with role "auditor"`)},
		{"unknown record", record(modified(func(r *finance.RecordFindingRequest) { r.RecordID = "D-404" })), refused(foundation.ErrNotFound, `disbursement "D-404" not found`)},
		{"duplicate finding ID", record(finding("F-1", finance.TypeDisbursement, "D-1")),
			refused(foundation.ErrAlreadyExists, `finding "F-1" already exists: about disbursement "D-1"`)},
		{"unknown severity", record(modified(func(r *finance.RecordFindingRequest) { r.Severity = "urgent" })),
			refused(foundation.ErrInvalidInput, "severity: must be one of low, medium, high, critical")},
		{"note too long", record(modified(func(r *finance.RecordFindingRequest) { r.Note = strings.Repeat("n", finance.MaxNoteLength+1) })),
			refused(foundation.ErrInvalidInput, "note: must be at most 2000 characters")},
		{"amount in request", record(replaceJSON(t, valid, `{`, `{"amount":0,`)), refused(foundation.ErrInvalidInput, "amount: unknown field")},
		{"malformed JSON", record(`{"findingId":"F-2"`), refused(foundation.ErrInvalidInput, "malformed JSON")},
	})

	t.Run("listed per record, paginated", func(t *testing.T) {
		f.must(call(f, f.auditor, (*finance.Contract).RecordFinding, valid))
		list := func(size int32, bookmark string) *finance.FindingPage {
			page, err := ledgertest.Eval(f.inspector, func(ctx ctxT) (*finance.FindingPage, error) {
				return f.c.ListFindings(ctx, finance.TypeDisbursement, "D-1", size, bookmark)
			})
			require.NoError(t, err)
			return page
		}
		first := list(1, "")
		require.Len(t, first.Findings, 1)
		assert.Equal(t, "F-1", first.Findings[0].FindingID)
		second := list(1, first.Bookmark)
		require.Len(t, second.Findings, 1)
		assert.Equal(t, "F-2", second.Findings[0].FindingID)
		assert.Empty(t, second.Bookmark)
		assert.Len(t, list(0, "").Findings, 2)

		page, err := ledgertest.Eval(f.inspector, func(ctx ctxT) (*finance.FindingPage, error) {
			return f.c.ListFindings(ctx, finance.TypeAllocation, "A-CT", 0, "")
		})
		require.NoError(t, err)
		assert.Empty(t, page.Findings, "other records' findings are not listed")
	})
}
