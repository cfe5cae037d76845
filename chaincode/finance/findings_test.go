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
			assert.Equal(t, []string{"create fin.finding " + record[0] + "/" + record[1] + "/F-1"}, ledgertest.ChangeSummary(ev))
		})
	}

	valid := finding("F-2", finance.TypeDisbursement, "D-1")
	modified := func(change func(*finance.RecordFindingRequest)) finance.RecordFindingRequest {
		r := valid
		change(&r)
		return r
	}
	record := func(req any) func() error { return refuse(f, f.auditor, (*finance.Contract).RecordFinding, req) }
	f.l.RunRefusals(t, []ledgertest.RefusalCase{
		{Name: "budget officer (wrong organisation and role)", Call: refuse(f, f.officer, (*finance.Contract).RecordFinding, valid),
			Want: ledgertest.Refused(foundation.ErrAccessDenied, `RecordFinding called by FinanceBureauMSP with role "budget-officer"`, `requires role "auditor" in AuditOfficeMSP`)},
		{Name: "oversight inspector", Call: refuse(f, f.inspector, (*finance.Contract).RecordFinding, valid), Want: ledgertest.Refused(foundation.ErrAccessDenied, "OversightMSP")},
		{Name: "audit office admin (wrong role)", Call: refuse(f, f.l.As(audit, consortium.RoleAdmin), (*finance.Contract).RecordFinding, valid),
			Want: ledgertest.Refused(foundation.ErrAccessDenied, `AuditOfficeMSP with role "admin"`)},
		{Name: "an auditor of another organisation", Call: refuse(f, f.l.As(ministry, consortium.RoleAuditor), (*finance.Contract).RecordFinding, valid),
			Want: ledgertest.Refused(foundation.ErrAccessDenied, `EduMinistryMSP with role "auditor"`)},
		{Name: "unknown record", Call: record(modified(func(r *finance.RecordFindingRequest) { r.RecordID = "D-404" })), Want: ledgertest.Refused(foundation.ErrNotFound, `disbursement "D-404" not found`)},
		{Name: "duplicate finding ID", Call: record(finding("F-1", finance.TypeDisbursement, "D-1")),
			Want: ledgertest.Refused(foundation.ErrAlreadyExists, `finding "F-1" already exists: about disbursement "D-1"`)},
		{Name: "unknown severity", Call: record(modified(func(r *finance.RecordFindingRequest) { r.Severity = "urgent" })),
			Want: ledgertest.Refused(foundation.ErrInvalidInput, "severity: must be one of low, medium, high, critical")},
		{Name: "note too long", Call: record(modified(func(r *finance.RecordFindingRequest) { r.Note = strings.Repeat("n", finance.MaxNoteLength+1) })),
			Want: ledgertest.Refused(foundation.ErrInvalidInput, "note: must be at most 2000 characters")},
		{Name: "amount in request", Call: record(replaceJSON(t, valid, `{`, `{"amount":0,`)), Want: ledgertest.Refused(foundation.ErrInvalidInput, "amount: unknown field")},
		{Name: "malformed JSON", Call: record(`{"findingId":"F-2"`), Want: ledgertest.Refused(foundation.ErrInvalidInput, "malformed JSON")},
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
