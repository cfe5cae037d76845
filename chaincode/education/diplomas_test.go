package education_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/education"
	"github.com/govshare/govshare/chaincode/foundation"
	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

func TestDiplomaRegistrationVerificationAndRevocation(t *testing.T) {
	f := newFixture(t)
	s := newStudent(3)
	doc := digestOf("diploma document of student 3")
	req := education.RegisterDiplomaRequest{DocumentHash: doc, StudentRef: s.ref, Degree: "Bachelor of Science in Physics"}

	unknown, err := f.verify(f.inspector, doc)
	require.NoError(t, err)
	assert.Equal(t, &education.DiplomaVerification{DocumentHash: doc}, unknown, "an unknown document is an answer, not an error")

	diploma, err := f.registerDiploma(f.regA, s, req)
	require.NoError(t, err)
	assert.Equal(t, education.Diploma{
		DocumentHash: doc, StudentRef: s.ref, Degree: req.Degree, Issuer: uniA,
		RegisteredAt: diploma.RegisteredAt, RegisteredBy: diploma.RegisteredBy, Status: education.StatusActive,
	}, *diploma)
	orgs, err := foundation.PolicyOrganizations(f.l.ValidationParameter(compositeKey("edu.diploma", doc)))
	require.NoError(t, err)
	assert.Equal(t, []string{ministry, uniA}, orgs)
	assert.NotNil(t, f.l.PrivateState(consortium.StudentCollection(uniA), compositeKey("edu.student", s.ref)))
	name, _ := f.lastEvent()
	assert.Equal(t, education.EventDiplomaRegistered, name)

	for _, reader := range []*ledgertest.Client{f.inspector, f.regB, f.officer, f.l.As(oversight, consortium.RoleAdmin)} {
		v, err := f.verify(reader, doc)
		require.NoError(t, err)
		assert.Equal(t, &education.DiplomaVerification{DocumentHash: doc, Found: true, Valid: true, Diploma: diploma}, v)
	}

	tests := []ledgertest.RefusalCase{
		{Name: "registered twice", Call: func() error { _, err := f.registerDiploma(f.regB, s, req); return err },
			Want: ledgertest.Refused(foundation.ErrAlreadyExists, "already exists: registered by UniversityAMSP")},
		{Name: "upper-case digest", Call: func() error {
			r := req
			r.DocumentHash = "ABCDEF" + doc[6:]
			_, err := f.registerDiploma(f.regA, s, r)
			return err
		}, Want: ledgertest.Refused(foundation.ErrInvalidInput, "documentHash: must be a SHA-256 digest")},
		{Name: "without student details", Call: func() error {
			_, err := ledgertest.Call(f.regA, func(ctx ctxT) (*education.Diploma, error) {
				return f.c.RegisterDiploma(ctx, toJSON(t, education.RegisterDiplomaRequest{DocumentHash: digestOf("x"), StudentRef: s.ref, Degree: "BSc"}))
			})
			return err
		}, Want: ledgertest.Refused(foundation.ErrInvalidInput, `transient "student"`)},
		{Name: "inspector registers", Call: func() error { _, err := f.registerDiploma(f.inspector, s, req); return err },
			Want: ledgertest.Refused(foundation.ErrAccessDenied, "RegisterDiploma called by OversightMSP")},
		{Name: "revoked by another university", Call: func() error { _, err := f.revokeDiploma(f.regB, doc, "fraud"); return err },
			Want: ledgertest.Refused(foundation.ErrAccessDenied, "the issuing university of the diploma (UniversityAMSP)")},
		{Name: "revoked by the ministry", Call: func() error { _, err := f.revokeDiploma(f.officer, doc, "fraud"); return err },
			Want: ledgertest.Refused(foundation.ErrAccessDenied, "RevokeDiploma called by EduMinistryMSP")},
		{Name: "revoke unknown", Call: func() error { _, err := f.revokeDiploma(f.regA, digestOf("nothing"), "x"); return err },
			Want: ledgertest.Refused(foundation.ErrNotFound, "not found")},
	}
	f.l.RunRefusals(t, tests)

	revoked, err := f.revokeDiploma(f.regA, doc, "degree withdrawn by senate decision 12/2025")
	require.NoError(t, err)
	assert.Equal(t, education.StatusRevoked, revoked.Status)
	name, _ = f.lastEvent()
	assert.Equal(t, education.EventDiplomaRevoked, name)

	v, err := f.verify(f.inspector, doc)
	require.NoError(t, err)
	assert.True(t, v.Found)
	assert.False(t, v.Valid)
	assert.Equal(t, revoked, v.Diploma)
	assert.Equal(t, "degree withdrawn by senate decision 12/2025", v.Diploma.Revocation.Reason)

	f.l.RequireRefused(t, ledgertest.Refused(foundation.ErrConflict, "is already revoked"),
		func() error { _, err := f.revokeDiploma(f.regA, doc, "again"); return err })

	hist, err := ledgertest.Eval(f.inspector, func(ctx ctxT) (*education.History, error) { return f.c.GetDiplomaHistory(ctx, doc) })
	require.NoError(t, err)
	require.Len(t, hist.Revisions, 2)
	assert.Equal(t, revoked, hist.Revisions[0].Record)
	assert.Equal(t, diploma, hist.Revisions[1].Record)

	_, err = ledgertest.Eval(f.inspector, func(ctx ctxT) (*education.History, error) { return f.c.GetDiplomaHistory(ctx, digestOf("never")) })
	assert.ErrorIs(t, err, foundation.ErrNotFound)
	_, err = f.verify(f.inspector, "not-a-digest")
	assert.ErrorIs(t, err, foundation.ErrInvalidInput)
}

func TestLearningResources(t *testing.T) {
	f := newFixture(t)
	content := digestOf("Linear algebra lecture notes, 2025 edition")
	req := education.RegisterLearningResourceRequest{ContentHash: content, Title: "Linear Algebra, lecture notes", Author: "J. Example", Licence: "CC-BY-4.0"}

	res, err := f.registerResource(f.regA, req)
	require.NoError(t, err)
	assert.Equal(t, education.LearningResource{
		ContentHash: content, Title: req.Title, Author: req.Author, Institution: uniA, Licence: "CC-BY-4.0",
		RegisteredAt: res.RegisteredAt, RegisteredBy: res.RegisteredBy,
	}, *res)
	name, _ := f.lastEvent()
	assert.Equal(t, education.EventLearningResourceRegistered, name)

	copied := req
	copied.Title, copied.Author = "My own notes", "Someone Else"
	for _, c := range []*ledgertest.Client{f.regB, f.regA} {
		f.l.RequireRefused(t, ledgertest.Refused(foundation.ErrAlreadyExists,
			`learning resource "`+content+`" already exists`, "first registered by UniversityAMSP", `"Linear Algebra, lecture notes" by "J. Example"`),
			func() error { _, err := f.registerResource(c, copied); return err })
	}
	f.l.RequireRefused(t, ledgertest.Refused(foundation.ErrAccessDenied, "RegisterLearningResource called by EduMinistryMSP"),
		func() error { _, err := f.registerResource(f.officer, req); return err })
	f.l.RequireRefused(t, ledgertest.Refused(foundation.ErrInvalidInput, "licence: required", "author: required"),
		func() error {
			_, err := f.registerResource(f.regB, education.RegisterLearningResourceRequest{ContentHash: digestOf("y"), Title: "T"})
			return err
		})

	got, err := ledgertest.Eval(f.inspector, func(ctx ctxT) (*education.LearningResource, error) {
		return f.c.GetLearningResource(ctx, content)
	})
	require.NoError(t, err)
	assert.Equal(t, res, got)

	want := []string{content}
	for i := range 4 {
		r, err := f.registerResource(f.regB, education.RegisterLearningResourceRequest{
			ContentHash: digestOf(fmt.Sprint("material ", i)), Title: fmt.Sprint("Material ", i), Author: "B. Author", Licence: "CC0-1.0"})
		require.NoError(t, err)
		want = append(want, r.ContentHash)
	}
	var listed []string
	bookmark := ""
	for {
		page, err := ledgertest.Eval(f.inspector, func(ctx ctxT) (*education.LearningResourcePage, error) {
			return f.c.ListLearningResources(ctx, 2, bookmark)
		})
		require.NoError(t, err)
		for _, r := range page.Resources {
			listed = append(listed, r.ContentHash)
		}
		if page.Bookmark == "" {
			break
		}
		bookmark = page.Bookmark
	}
	assert.ElementsMatch(t, want, listed)
	assert.IsIncreasing(t, listed, "listed in content digest order")
}

func TestStudentRecordIsPrivate(t *testing.T) {
	f := newFixture(t)
	s := newStudent(5)
	_, err := f.recordCredit(f.regA, s, creditRequest("UA-1", s, 10))
	require.NoError(t, err)
	key, transient := readerKey(1)
	read := func(c *ledgertest.Client, university, ref string) (*foundation.Delivery, error) {
		return ledgertest.Eval(c, func(ctx ctxT) (*foundation.Delivery, error) { return f.c.GetStudentRecord(ctx, university, ref) })
	}
	want := &education.StudentRecord{StudentRef: s.ref, StudentNumber: s.details.StudentNumber, FullName: s.details.FullName, BirthDate: s.details.BirthDate, Salt: s.details.Salt}

	for _, c := range []*ledgertest.Client{f.regA, f.officer} {
		delivery, err := read(c.WithTransient(foundation.TransientReaderKey, []byte(transient)), uniA, s.ref)
		require.NoError(t, err)
		// what a block would hold if a client submitted the query
		response := toJSON(t, delivery)
		for _, personal := range []string{s.details.StudentNumber, s.details.FullName, s.details.BirthDate, s.details.Salt} {
			assert.NotContains(t, response, personal, "the response holds no personal data in clear")
		}
		var got education.StudentRecord
		require.NoError(t, delivery.OpenRecord(key, education.StudentRecordContext(uniA, s.ref), &got))
		assert.Equal(t, want, &got)
	}
	assert.Equal(t, s.ref, education.StudentRef(s.details.Salt, s.details.StudentNumber), "StudentRef implements the documented formula")

	withKey := func(c *ledgertest.Client) *ledgertest.Client {
		return c.WithTransient(foundation.TransientReaderKey, []byte(transient))
	}
	tests := []struct {
		name   string
		client *ledgertest.Client
		uni    string
		ref    string
		want   ledgertest.Refusal
	}{
		{"other university's registrar", withKey(f.regB), uniA, s.ref, ledgertest.Refused(foundation.ErrAccessDenied, `requires role "registrar" of UniversityAMSP`)},
		{"inspector", withKey(f.inspector), uniA, s.ref, ledgertest.Refused(foundation.ErrAccessDenied, "GetStudentRecord called by OversightMSP")},
		{"ministry accountant", withKey(f.l.As(ministry, consortium.RoleAccountant)), uniA, s.ref, ledgertest.Refused(foundation.ErrAccessDenied, `role "accountant"`)},
		{"not a university", withKey(f.officer), oversight, s.ref, ledgertest.Refused(foundation.ErrNotFound, `accredited university "OversightMSP" not found`)},
		{"a malformed university", withKey(f.officer), "Univ A", s.ref, ledgertest.Refused(foundation.ErrInvalidInput, "universityMspId: must be 1 to 64 characters")},
		{"unknown student", withKey(f.officer), uniB, s.ref, ledgertest.Refused(foundation.ErrNotFound, "student record of UniversityBMSP")},
		{"no reader key", f.officer, uniA, s.ref, ledgertest.Refused(foundation.ErrInvalidInput, `transient "readerKey"`, "required as transient data")},
		{"a reader key that is not secret", f.officer.WithTransient(foundation.TransientReaderKey, []byte(`{"key":"`+strings.Repeat("00", 32)+`"}`)), uniA, s.ref,
			ledgertest.Refused(foundation.ErrInvalidInput, "key: is not secret")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.l.RequireRefused(t, tt.want, func() error { _, err := read(tt.client, tt.uni, tt.ref); return err })
		})
	}
}
