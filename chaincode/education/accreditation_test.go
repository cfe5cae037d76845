package education_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/education"
	"github.com/govshare/govshare/chaincode/foundation"
	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

func TestAccreditationLifecycle(t *testing.T) {
	f := newFixture(t)

	acc, err := f.accredit(f.officer, education.AccreditRequest{MSPID: "UniversityCMSP", Name: "University C"})
	require.NoError(t, err)
	assert.Equal(t, "UniversityCMSP", acc.MSPID)
	assert.Equal(t, education.StatusActive, acc.Status)
	assert.Contains(t, acc.UpdatedBy, "CN=officer")
	assert.Equal(t, acc.AccreditedAt, acc.UpdatedAt)
	name, ev := f.lastEvent()
	assert.Equal(t, education.EventUniversityAccredited, name)
	require.Len(t, ev.Changes, 1)
	assert.Equal(t, foundation.Change{Op: foundation.OpCreate, ObjectType: "edu.accreditation", Attributes: []string{"UniversityCMSP"}}, ev.Changes[0])

	suspended, err := f.suspend(f.officer, "UniversityCMSP", "audit findings 2025/3")
	require.NoError(t, err)
	assert.Equal(t, education.StatusSuspended, suspended.Status)
	assert.Equal(t, "audit findings 2025/3", suspended.Reason)
	assert.True(t, suspended.UpdatedAt.After(acc.UpdatedAt))
	assert.Equal(t, acc.AccreditedAt, suspended.AccreditedAt)
	name, ev = f.lastEvent()
	assert.Equal(t, education.EventAccreditationSuspended, name)
	assert.Equal(t, foundation.OpUpdate, ev.Changes[0].Op)

	reinstated, err := f.reinstate(f.officer, "UniversityCMSP", "findings resolved")
	require.NoError(t, err)
	assert.Equal(t, education.StatusActive, reinstated.Status)
	name, _ = f.lastEvent()
	assert.Equal(t, education.EventAccreditationReinstated, name)

	got, err := ledgertest.Eval(f.inspector, func(ctx ctxT) (*education.Accreditation, error) {
		return f.c.GetAccreditation(ctx, "UniversityCMSP")
	})
	require.NoError(t, err)
	assert.Equal(t, reinstated, got)
}

func TestAccreditationRefusals(t *testing.T) {
	f := newFixture(t)
	_, err := f.suspend(f.officer, uniB, "under review")
	require.NoError(t, err)
	valid := toJSON(t, education.AccreditRequest{MSPID: "UniversityCMSP", Name: "University C"})

	tests := []ledgertest.RefusalCase{
		{Name: "wrong organisation", Call: func() error { _, err := f.accreditRaw(f.regA, valid); return err },
			Want: ledgertest.Refused(foundation.ErrAccessDenied, "AccreditUniversity", "UniversityAMSP", `role "registrar"`, `requires role "officer" in EduMinistryMSP`)},
		{Name: "wrong role", Call: func() error { _, err := f.accreditRaw(f.l.As(ministry, consortium.RoleAccountant), valid); return err },
			Want: ledgertest.Refused(foundation.ErrAccessDenied, "AccreditUniversity", `role "accountant"`)},
		{Name: "no role", Call: func() error { _, err := f.accreditRaw(f.l.As(ministry, ""), valid); return err },
			Want: ledgertest.Refused(foundation.ErrAccessDenied, "no govshare.role attribute")},
		{Name: "unknown field", Call: func() error {
			_, err := f.accreditRaw(f.officer, strings.Replace(valid, `{`, `{"status":"active",`, 1))
			return err
		}, Want: ledgertest.Refused(foundation.ErrInvalidInput, "status: unknown field")},
		{Name: "missing name", Call: func() error { _, err := f.accreditRaw(f.officer, `{"mspId":"UniversityCMSP"}`); return err },
			Want: ledgertest.Refused(foundation.ErrInvalidInput, "name: required")},
		{Name: "malformed MSP ID", Call: func() error { _, err := f.accreditRaw(f.officer, `{"mspId":"Uni C","name":"C"}`); return err },
			Want: ledgertest.Refused(foundation.ErrInvalidInput, "mspId: must be")},
		{Name: "not JSON", Call: func() error { _, err := f.accreditRaw(f.officer, `mspId=UniversityCMSP`); return err },
			Want: ledgertest.Refused(foundation.ErrInvalidInput, "must be a JSON object")},
		{Name: "accredited twice", Call: func() error {
			_, err := f.accredit(f.officer, education.AccreditRequest{MSPID: uniA, Name: "A again"})
			return err
		}, Want: ledgertest.Refused(foundation.ErrAlreadyExists, `accreditation "UniversityAMSP" already exists`, "now active")},
		{Name: "suspend unknown", Call: func() error { _, err := f.suspend(f.officer, "UniversityCMSP", "x"); return err },
			Want: ledgertest.Refused(foundation.ErrNotFound, `accreditation "UniversityCMSP" not found`)},
		{Name: "suspend twice", Call: func() error { _, err := f.suspend(f.officer, uniB, "again"); return err },
			Want: ledgertest.Refused(foundation.ErrConflict, "is suspended, not active")},
		{Name: "suspend without reason", Call: func() error { _, err := f.suspend(f.officer, uniA, ""); return err },
			Want: ledgertest.Refused(foundation.ErrInvalidInput, "reason: required")},
		{Name: "reinstate active", Call: func() error { _, err := f.reinstate(f.officer, uniA, "x"); return err },
			Want: ledgertest.Refused(foundation.ErrConflict, "is active, not suspended")},
		{Name: "suspend by a university", Call: func() error { _, err := f.suspend(f.regB, uniA, "rivalry"); return err },
			Want: ledgertest.Refused(foundation.ErrAccessDenied, "SuspendAccreditation")},
		{Name: "reinstate own university", Call: func() error { _, err := f.reinstate(f.regB, uniB, "we are fine"); return err },
			Want: ledgertest.Refused(foundation.ErrAccessDenied, "ReinstateAccreditation")},
	}
	f.l.RunRefusals(t, tests)
}

func TestListAccreditationsAcrossPages(t *testing.T) {
	f := newFixture(t)
	for _, msp := range []string{"UniversityEMSP", "UniversityCMSP", "UniversityDMSP"} {
		_, err := f.accredit(f.officer, education.AccreditRequest{MSPID: msp, Name: msp})
		require.NoError(t, err)
	}
	var got []string
	bookmark := ""
	pages := 0
	for {
		page, err := ledgertest.Eval(f.inspector, func(ctx ctxT) (*education.AccreditationPage, error) {
			return f.c.ListAccreditations(ctx, 2, bookmark)
		})
		require.NoError(t, err)
		pages++
		for _, a := range page.Accreditations {
			got = append(got, a.MSPID)
		}
		if page.Bookmark == "" {
			break
		}
		bookmark = page.Bookmark
	}
	assert.Equal(t, 3, pages)
	assert.Equal(t, []string{"UniversityAMSP", "UniversityBMSP", "UniversityCMSP", "UniversityDMSP", "UniversityEMSP"}, got)
}
