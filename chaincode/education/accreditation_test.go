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

// TestAUniversityThatJoinsTheChannelActsOnceAccredited plays what the
// consortium does when a university joins: its student collection comes
// with a new chaincode definition, and the ministry's accreditation, not
// its name, lets its registrar record credits, read them and recognise
// others' — and a suspension stops its writes, not its reads.
func TestAUniversityThatJoinsTheChannelActsOnceAccredited(t *testing.T) {
	const uniC = "UniversityCMSP"
	l := ledgertest.New(t,
		ledgertest.WithChannel(consortium.EducationChannel),
		ledgertest.WithChaincode("education"),
		ledgertest.WithCollection(consortium.StudentCollection(uniA), uniA, ministry),
		ledgertest.WithCollection(consortium.StudentCollection(uniB), uniB, ministry),
		ledgertest.WithCollection(consortium.StudentCollection(uniC), uniC, ministry))
	f := &fixture{t: t, l: l, c: education.New(), officer: l.As(ministry, consortium.RoleOfficer),
		regA: l.As(uniA, consortium.RoleRegistrar), regB: l.As(uniB, consortium.RoleRegistrar), inspector: l.As(oversight, consortium.RoleInspector)}
	_, err := f.accredit(f.officer, education.AccreditRequest{MSPID: uniA, Name: "University A"})
	require.NoError(t, err)
	regC := l.As(uniC, consortium.RoleRegistrar)
	s := newStudent(3)
	transcript := func(c *ledgertest.Client) (*education.Transcript, error) {
		return ledgertest.Eval(c, func(ctx ctxT) (*education.Transcript, error) { return f.c.GetTranscript(ctx, s.ref, 0, "") })
	}

	before := l.Snapshot()
	_, err = f.recordCredit(regC, s, creditRequest("UC-1", s, 60))
	require.ErrorIs(t, err, foundation.ErrAccessDenied, "not accredited yet")
	assert.ErrorContains(t, err, "UniversityCMSP is not accredited")
	_, err = transcript(regC)
	require.ErrorIs(t, err, foundation.ErrAccessDenied, "nor may it read")
	assert.ErrorContains(t, err, "or the registrar of a university accredited by EduMinistryMSP")
	assert.Empty(t, l.Diff(before), "the refusals wrote nothing")

	_, err = f.accredit(f.officer, education.AccreditRequest{MSPID: uniC, Name: "University C"})
	require.NoError(t, err)
	credit, err := f.recordCredit(regC, s, creditRequest("UC-1", s, 60))
	require.NoError(t, err)
	assert.Equal(t, uniC, credit.Issuer)
	_, err = f.recognise(f.regA, "UC-1", 60)
	require.NoError(t, err, "another university recognises the new university's credit")
	got, err := transcript(regC)
	require.NoError(t, err)
	require.Len(t, got.Entries, 2, "the credit and its recognition")
	assert.Equal(t, "UC-1", got.Entries[0].Credit.CreditID)
	assert.Equal(t, uniA, got.Entries[1].Recognition.RecognisedBy)

	_, err = f.suspend(f.officer, uniC, "review")
	require.NoError(t, err)
	_, err = f.recordCredit(regC, s, creditRequest("UC-2", s, 30))
	require.ErrorIs(t, err, foundation.ErrAccessDenied)
	assert.ErrorContains(t, err, "the accreditation of UniversityCMSP is suspended")
	_, err = transcript(regC)
	assert.NoError(t, err, "a suspended university still reads")
}
