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

	tests := []struct {
		name string
		call func() error
		want ledgertest.Refusal
	}{
		{"wrong organisation", func() error { _, err := f.accreditRaw(f.regA, valid); return err },
			refused(foundation.ErrAccessDenied, "AccreditUniversity", "UniversityAMSP", `role "registrar"`, `requires role "officer" in EduMinistryMSP`)},
		{"wrong role", func() error { _, err := f.accreditRaw(f.l.As(ministry, consortium.RoleAccountant), valid); return err },
			refused(foundation.ErrAccessDenied, "AccreditUniversity", `role "accountant"`)},
		{"no role", func() error { _, err := f.accreditRaw(f.l.As(ministry, ""), valid); return err },
			refused(foundation.ErrAccessDenied, "no govshare.role attribute")},
		{"unknown field", func() error {
			_, err := f.accreditRaw(f.officer, strings.Replace(valid, `{`, `{"status":"active",`, 1))
			return err
		}, refused(foundation.ErrInvalidInput, "status: unknown field")},
		{"missing name", func() error { _, err := f.accreditRaw(f.officer, `{"mspId":"UniversityCMSP"}`); return err },
			refused(foundation.ErrInvalidInput, "name: required")},
		{"malformed MSP ID", func() error { _, err := f.accreditRaw(f.officer, `{"mspId":"Uni C","name":"C"}`); return err },
			refused(foundation.ErrInvalidInput, "mspId: must be")},
		{"not JSON", func() error { _, err := f.accreditRaw(f.officer, `mspId=UniversityCMSP`); return err },
			refused(foundation.ErrInvalidInput, "must be a JSON object")},
		{"accredited twice", func() error {
			_, err := f.accredit(f.officer, education.AccreditRequest{MSPID: uniA, Name: "A again"})
			return err
		}, refused(foundation.ErrAlreadyExists, `accreditation "UniversityAMSP" already exists`, "now active")},
		{"suspend unknown", func() error { _, err := f.suspend(f.officer, "UniversityCMSP", "x"); return err },
			refused(foundation.ErrNotFound, `accreditation "UniversityCMSP" not found`)},
		{"suspend twice", func() error { _, err := f.suspend(f.officer, uniB, "again"); return err },
			refused(foundation.ErrConflict, "is suspended, not active")},
		{"suspend without reason", func() error { _, err := f.suspend(f.officer, uniA, ""); return err },
			refused(foundation.ErrInvalidInput, "reason: required")},
		{"reinstate active", func() error { _, err := f.reinstate(f.officer, uniA, "x"); return err },
			refused(foundation.ErrConflict, "is active, not suspended")},
		{"suspend by a university", func() error { _, err := f.suspend(f.regB, uniA, "rivalry"); return err },
			refused(foundation.ErrAccessDenied, "SuspendAccreditation")},
		{"reinstate own university", func() error { _, err := f.reinstate(f.regB, uniB, "we are fine"); return err },
			refused(foundation.ErrAccessDenied, "ReinstateAccreditation")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { f.l.RequireRefused(t, tt.want, tt.call) })
	}
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
