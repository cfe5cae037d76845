package education_test

import (
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/education"
	"github.com/govshare/govshare/chaincode/foundation"
	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

func compositeKey(objectType string, attrs ...string) string {
	return "\x00" + objectType + "\x00" + strings.Join(attrs, "\x00") + "\x00"
}

func TestRecordCredit(t *testing.T) {
	f := newFixture(t)
	s := newStudent(1)

	credit, err := f.recordCredit(f.regA, s, creditRequest("UA-1", s, 75))
	require.NoError(t, err)
	assert.Equal(t, education.Credit{
		CreditID: "UA-1", StudentRef: s.ref, CourseCode: "CS101", CourseTitle: "Programming 1",
		CreditTenths: 75, Grade: "A", Term: "2025-spring",
		Issuer: uniA, RecordedAt: credit.RecordedAt, RecordedBy: credit.RecordedBy, Status: education.StatusActive,
	}, *credit)
	assert.Contains(t, credit.RecordedBy, "CN=registrar", "the recorder is named by certificate")
	assert.False(t, credit.RecordedAt.IsZero())

	t.Run("stored under the student's transcript with its locator", func(t *testing.T) {
		entryKey := compositeKey("edu.transcript", s.ref, "UA-1", "")
		locatorKey := compositeKey("edu.credit", "UA-1")
		var stored education.Credit
		require.NoError(t, json.Unmarshal(f.l.State(entryKey), &stored))
		assert.Equal(t, *credit, stored)
		assert.JSONEq(t, `{"studentRef":"`+s.ref+`"}`, string(f.l.State(locatorKey)))

		for _, key := range []string{entryKey, locatorKey} {
			orgs, err := foundation.PolicyOrganizations(f.l.ValidationParameter(key))
			require.NoError(t, err)
			assert.Equal(t, []string{ministry, uniA}, orgs, "key-level policy: issuer and ministry")
		}
	})

	t.Run("student details only in the university's collection", func(t *testing.T) {
		var record education.StudentRecord
		require.NoError(t, json.Unmarshal(f.l.PrivateState(consortium.StudentCollection(uniA), compositeKey("edu.student", s.ref)), &record))
		assert.Equal(t, education.StudentRecord{
			StudentRef: s.ref, StudentNumber: s.details.StudentNumber, FullName: s.details.FullName,
			BirthDate: s.details.BirthDate, Salt: s.details.Salt,
		}, record)
		assert.Nil(t, f.l.PrivateState(consortium.StudentCollection(uniB), compositeKey("edu.student", s.ref)))

		for _, kv := range f.l.PublicState() {
			for _, secret := range []string{s.details.StudentNumber, s.details.FullName, s.details.Salt} {
				assert.NotContains(t, string(kv.Value), secret, "public state must not hold personal data")
				assert.NotContains(t, kv.Key, secret)
			}
		}
		for _, ev := range f.l.Events() {
			for _, secret := range []string{s.details.StudentNumber, s.details.FullName, s.details.Salt} {
				assert.NotContains(t, string(ev.Payload), secret, "events must not carry personal data")
			}
		}
	})

	t.Run("event lists every write", func(t *testing.T) {
		name, ev := f.lastEvent()
		assert.Equal(t, education.EventCreditRecorded, name)
		assert.Equal(t, "RecordCredit", ev.Function)
		assert.Equal(t, uniA, ev.Caller.MSPID)
		var summary []string
		for _, c := range ev.Changes {
			summary = append(summary, c.Op+" "+c.Collection+" "+c.ObjectType+" "+strings.Join(c.Endorsers, ","))
		}
		assert.Equal(t, []string{
			"create  edu.credit EduMinistryMSP,UniversityAMSP",
			"put  edu.transcript EduMinistryMSP,UniversityAMSP",
			"create StudentPII_UniversityAMSP edu.student ",
		}, summary)
	})

	t.Run("a second credit of the same student does not rewrite the student", func(t *testing.T) {
		_, err := f.recordCredit(f.regA, s, creditRequest("UA-2", s, 50))
		require.NoError(t, err)
		_, ev := f.lastEvent()
		for _, c := range ev.Changes {
			assert.Empty(t, c.Collection, "identical private data is not rewritten")
		}
	})
}

func TestRecordCreditRefusals(t *testing.T) {
	f := newFixture(t)
	s := newStudent(1)
	_, err := f.recordCredit(f.regA, s, creditRequest("UA-1", s, 75))
	require.NoError(t, err)
	_, err = f.accredit(f.officer, education.AccreditRequest{MSPID: "UniversityCMSP", Name: "C"})
	require.NoError(t, err)

	valid := creditRequest("UA-2", s, 75)
	record := func(c *ledgertest.Client, req education.RecordCreditRequest) func() error {
		return func() error { _, err := f.recordCredit(c, s, req); return err }
	}
	recordRaw := func(c *ledgertest.Client, raw string) func() error {
		return func() error { _, err := f.recordCreditRaw(s.with(t, c), raw); return err }
	}
	withTransient := func(transient string) func() error {
		return func() error {
			_, err := f.recordCreditRaw(f.regA.WithTransient(education.TransientStudent, []byte(transient)), toJSON(t, valid))
			return err
		}
	}
	details := func(change func(*education.StudentDetails)) string {
		d := s.details
		change(&d)
		return toJSON(t, d)
	}
	modified := func(change func(*education.RecordCreditRequest)) education.RecordCreditRequest {
		r := valid
		change(&r)
		return r
	}

	tests := []ledgertest.RefusalCase{
		{Name: "ministry officer", Call: record(f.officer, valid), Want: ledgertest.Refused(foundation.ErrAccessDenied, "RecordCredit called by EduMinistryMSP", `requires role "registrar" in any member organisation`)},
		{Name: "oversight inspector", Call: record(f.inspector, valid), Want: ledgertest.Refused(foundation.ErrAccessDenied, "OversightMSP")},
		{Name: "university admin", Call: record(f.l.As(uniA, consortium.RoleAdmin), valid), Want: ledgertest.Refused(foundation.ErrAccessDenied, `role "admin"`)},
		{Name: "university user without role", Call: record(f.l.As(uniA, ""), valid), Want: ledgertest.Refused(foundation.ErrAccessDenied, "no govshare.role")},
		{Name: "registrar of a university the ministry did not accredit", Call: record(f.l.As("UniversityDMSP", consortium.RoleRegistrar), valid),
			Want: ledgertest.Refused(foundation.ErrAccessDenied, "UniversityDMSP", "UniversityDMSP is not accredited")},
		{Name: "duplicate credit ID", Call: record(f.regA, creditRequest("UA-1", s, 75)), Want: ledgertest.Refused(foundation.ErrAlreadyExists, `credit "UA-1" already exists`)},
		{Name: "duplicate credit ID from another university", Call: record(f.regB, creditRequest("UA-1", s, 75)), Want: ledgertest.Refused(foundation.ErrAlreadyExists, `credit "UA-1"`)},
		{Name: "zero credits", Call: record(f.regA, modified(func(r *education.RecordCreditRequest) { r.CreditTenths = 0 })), Want: ledgertest.Refused(foundation.ErrInvalidInput, "creditTenths: must be between 1 and 600")},
		{Name: "too many credits", Call: record(f.regA, modified(func(r *education.RecordCreditRequest) { r.CreditTenths = 601 })), Want: ledgertest.Refused(foundation.ErrInvalidInput, "creditTenths")},
		{Name: "fractional credits", Call: recordRaw(f.regA, strings.Replace(toJSON(t, valid), `"creditTenths":75`, `"creditTenths":7.5`, 1)), Want: ledgertest.Refused(foundation.ErrInvalidInput, "creditTenths: must be an integer")},
		{Name: "credits as string", Call: recordRaw(f.regA, strings.Replace(toJSON(t, valid), `"creditTenths":75`, `"creditTenths":"75"`, 1)), Want: ledgertest.Refused(foundation.ErrInvalidInput, "creditTenths")},
		{Name: "issuer in request", Call: recordRaw(f.regA, strings.Replace(toJSON(t, valid), `{`, `{"issuer":"UniversityBMSP",`, 1)), Want: ledgertest.Refused(foundation.ErrInvalidInput, "issuer: unknown field")},
		{Name: "student number in request", Call: recordRaw(f.regA, strings.Replace(toJSON(t, valid), `{`, `{"studentNumber":"S1",`, 1)), Want: ledgertest.Refused(foundation.ErrInvalidInput, "studentNumber: unknown field")},
		{Name: "missing fields", Call: recordRaw(f.regA, `{}`), Want: ledgertest.Refused(foundation.ErrInvalidInput, "creditId: required", "studentRef: required", "courseCode: required")},
		{Name: "malformed student reference", Call: record(f.regA, modified(func(r *education.RecordCreditRequest) { r.StudentRef = "S000001" })), Want: ledgertest.Refused(foundation.ErrInvalidInput, "studentRef: must be a SHA-256 digest")},
		{Name: "oversized request", Call: record(f.regA, modified(func(r *education.RecordCreditRequest) {
			r.CourseTitle = strings.Repeat("x", foundation.MaxRequestBytes)
		})), Want: ledgertest.Refused(foundation.ErrInvalidInput, "over the limit")},
		{Name: "no transient student", Call: func() error { _, err := f.recordCreditRaw(f.regA, toJSON(t, valid)); return err }, Want: ledgertest.Refused(foundation.ErrInvalidInput, `transient "student"`, "required as transient data")},
		{Name: "malformed transient", Call: withTransient(`{"studentNumber":`), Want: ledgertest.Refused(foundation.ErrInvalidInput, `transient "student"`, "malformed JSON")},
		{Name: "transient of another student", Call: withTransient(toJSON(t, newStudent(2).details)), Want: ledgertest.Refused(foundation.ErrInvalidInput, "does not hash to the request's studentRef")},
		{Name: "transient without salt", Call: withTransient(details(func(d *education.StudentDetails) { d.Salt = "" })), Want: ledgertest.Refused(foundation.ErrInvalidInput, "salt: required")},
		{Name: "short salt", Call: withTransient(details(func(d *education.StudentDetails) { d.Salt = d.Salt[:30] })), Want: ledgertest.Refused(foundation.ErrInvalidInput, "salt: must be 16 to 64 bytes")},
		{Name: "salt of one byte repeated", Call: withTransient(details(func(d *education.StudentDetails) { d.Salt = strings.Repeat("00", 16) })),
			Want: ledgertest.Refused(foundation.ErrInvalidInput, "salt: is not secret: every byte is the same")},
		{Name: "salt of a repeated word", Call: withTransient(details(func(d *education.StudentDetails) { d.Salt = strings.Repeat("73616c74", 8) })),
			Want: ledgertest.Refused(foundation.ErrInvalidInput, "salt: is not secret: it repeats a pattern of 4 bytes")},
		{Name: "salt that is the student number as text", Call: withTransient(details(func(d *education.StudentDetails) { d.Salt = hex.EncodeToString([]byte("2026000100020003")) })),
			Want: ledgertest.Refused(foundation.ErrInvalidInput, "salt: is not secret")},
		{Name: "birth date in the future", Call: withTransient(details(func(d *education.StudentDetails) { d.BirthDate = "2999-01-01" })), Want: ledgertest.Refused(foundation.ErrInvalidInput, "birthDate: must not be after the transaction date")},
		{Name: "impossible birth date", Call: withTransient(details(func(d *education.StudentDetails) { d.BirthDate = "2001-02-30" })), Want: ledgertest.Refused(foundation.ErrInvalidInput, "birthDate: must be a date")},
		{Name: "extra transient field", Call: withTransient(strings.Replace(toJSON(t, s.details), `{`, `{"nationalId":"X",`, 1)), Want: ledgertest.Refused(foundation.ErrInvalidInput, "nationalId: unknown field")},
		{Name: "credits spelled twice", Call: recordRaw(f.regA, strings.Replace(toJSON(t, valid), `"creditTenths":75`, `"creditTenths":75,"CreditTenths":600`, 1)),
			Want: ledgertest.Refused(foundation.ErrInvalidInput, `CreditTenths: unknown field; field names are exact: did you mean "creditTenths"?`)},
		{Name: "course title with a right-to-left override", Call: record(f.regA, modified(func(r *education.RecordCreditRequest) { r.CourseTitle = "Programming \u202e1" })),
			Want: ledgertest.Refused(foundation.ErrInvalidInput, "courseTitle: must not contain invisible formatting")},
		{Name: "transient name spelled twice", Call: withTransient(strings.Replace(toJSON(t, s.details), `"fullName"`, `"FULLNAME":"Someone Else","fullName"`, 1)),
			Want: ledgertest.Refused(foundation.ErrInvalidInput, `transient "student"`, `FULLNAME: unknown field; field names are exact: did you mean "fullName"?`)},
		{Name: "full name with a zero width joiner", Call: withTransient(details(func(d *education.StudentDetails) { d.FullName = "Maria\u200dExample" })),
			Want: ledgertest.Refused(foundation.ErrInvalidInput, "fullName: must not contain invisible formatting")},
	}
	f.l.RunRefusals(t, tests)

	t.Run("errors do not echo personal data", func(t *testing.T) {
		for _, transient := range []string{
			details(func(d *education.StudentDetails) { d.BirthDate = "2999-01-01" }),
			details(func(d *education.StudentDetails) { d.StudentNumber = d.StudentNumber + " x" }),
			details(func(d *education.StudentDetails) { d.FullName = " " + d.FullName }),
		} {
			err := withTransient(transient)()
			require.Error(t, err)
			assert.NotContains(t, err.Error(), s.details.StudentNumber)
			assert.NotContains(t, err.Error(), s.details.FullName)
		}
	})
}

func TestUnaccreditedUniversitiesCannotWrite(t *testing.T) {
	f := newFixture(t)
	s := newStudent(1)
	credit, err := f.recordCredit(f.regB, s, creditRequest("UB-1", s, 60))
	require.NoError(t, err)
	_, err = f.suspend(f.officer, uniB, "audit")
	require.NoError(t, err)

	suspended := ledgertest.Refused(foundation.ErrAccessDenied, "the accreditation of UniversityBMSP is suspended")
	f.l.RequireRefused(t, suspended, func() error { _, err := f.recordCredit(f.regB, s, creditRequest("UB-2", s, 60)); return err })
	f.l.RequireRefused(t, suspended, func() error { _, err := f.revokeCredit(f.regB, credit.CreditID, "error"); return err })
	f.l.RequireRefused(t, suspended, func() error {
		_, err := f.registerDiploma(f.regB, s, education.RegisterDiplomaRequest{DocumentHash: digestOf("d"), StudentRef: s.ref, Degree: "BSc"})
		return err
	})
	f.l.RequireRefused(t, suspended, func() error {
		_, err := f.registerResource(f.regB, education.RegisterLearningResourceRequest{ContentHash: digestOf("r"), Title: "T", Author: "A", Licence: "CC0-1.0"})
		return err
	})
	_, err = f.recordCredit(f.regA, s, creditRequest("UA-1", s, 60))
	require.NoError(t, err)
	f.l.RequireRefused(t, suspended, func() error { _, err := f.recognise(f.regB, "UA-1", 60); return err })

	got, err := f.getCredit(f.inspector, credit.CreditID)
	require.NoError(t, err)
	assert.Equal(t, education.StatusActive, got.Status, "a suspension does not touch existing records")

	_, err = f.reinstate(f.officer, uniB, "audit closed")
	require.NoError(t, err)
	_, err = f.recordCredit(f.regB, s, creditRequest("UB-2", s, 60))
	assert.NoError(t, err, "a reinstated university writes again")

	fresh := newLedger(t)
	fc := &fixture{t: t, l: fresh, c: education.New(), regA: fresh.As(uniA, consortium.RoleRegistrar)}
	fc.l.RequireRefused(t, ledgertest.Refused(foundation.ErrAccessDenied, "UniversityAMSP is not accredited"), func() error {
		_, err := fc.recordCredit(fc.regA, s, creditRequest("UA-1", s, 60))
		return err
	})
}

func TestRecogniseCredit(t *testing.T) {
	f, s, _ := newFixtureWithCredit(t)

	rec, err := f.recognise(f.regB, "UA-1", 50)
	require.NoError(t, err)
	assert.Equal(t, education.Recognition{
		CreditID: "UA-1", StudentRef: s.ref, RecognisedBy: uniB, Issuer: uniA, AcceptedCreditTenths: 50,
		RecognisedAt: rec.RecognisedAt, RecordedBy: rec.RecordedBy, Status: education.StatusActive,
	}, *rec)
	key := compositeKey("edu.transcript", s.ref, "UA-1", uniB)
	orgs, err := foundation.PolicyOrganizations(f.l.ValidationParameter(key))
	require.NoError(t, err)
	assert.Equal(t, []string{ministry, uniB}, orgs)
	name, ev := f.lastEvent()
	assert.Equal(t, education.EventCreditRecognised, name)
	require.Len(t, ev.Changes, 1)
	assert.Equal(t, foundation.OpCreate, ev.Changes[0].Op)

	got, err := ledgertest.Eval(f.inspector, func(ctx ctxT) (*education.Recognition, error) {
		return f.c.GetRecognition(ctx, "UA-1", uniB)
	})
	require.NoError(t, err)
	assert.Equal(t, rec, got)

	_, err = f.recordCredit(f.regA, s, creditRequest("UA-2", s, 40))
	require.NoError(t, err)
	_, err = f.revokeCredit(f.regA, "UA-2", "wrong course")
	require.NoError(t, err)

	tests := []ledgertest.RefusalCase{
		{Name: "own credit", Call: func() error { _, err := f.recognise(f.regA, "UA-1", 50); return err },
			Want: ledgertest.Refused(foundation.ErrConflict, `credit "UA-1" was issued by UniversityAMSP`, "cannot recognise its own credit")},
		{Name: "twice", Call: func() error { _, err := f.recognise(f.regB, "UA-1", 40); return err },
			Want: ledgertest.Refused(foundation.ErrAlreadyExists, `recognition "UA-1 by UniversityBMSP" already exists`)},
		{Name: "revoked credit", Call: func() error { _, err := f.recognise(f.regB, "UA-2", 40); return err },
			Want: ledgertest.Refused(foundation.ErrConflict, `credit "UA-2" is revoked`)},
		{Name: "unknown credit", Call: func() error { _, err := f.recognise(f.regB, "NOPE", 10); return err },
			Want: ledgertest.Refused(foundation.ErrNotFound, `credit "NOPE" not found`)},
		{Name: "zero accepted", Call: func() error { _, err := f.recognise(f.regB, "UA-1", 0); return err },
			Want: ledgertest.Refused(foundation.ErrInvalidInput, "acceptedCreditTenths: must be between 1 and 600")},
		{Name: "ministry officer", Call: func() error { _, err := f.recognise(f.officer, "UA-1", 10); return err },
			Want: ledgertest.Refused(foundation.ErrAccessDenied, "RecogniseCredit called by EduMinistryMSP")},
		{Name: "university admin", Call: func() error { _, err := f.recognise(f.l.As(uniB, consortium.RoleAdmin), "UA-1", 10); return err },
			Want: ledgertest.Refused(foundation.ErrAccessDenied, `role "admin"`)},
	}
	f.l.RunRefusals(t, tests)

	t.Run("more credits than the original", func(t *testing.T) {
		s2 := newStudent(2)
		_, err := f.recordCredit(f.regA, s2, creditRequest("UA-3", s2, 30))
		require.NoError(t, err)
		f.l.RequireRefused(t, ledgertest.Refused(foundation.ErrInvalidInput, "acceptedCreditTenths: must not exceed the credit's 30 tenths"),
			func() error { _, err := f.recognise(f.regB, "UA-3", 31); return err })
		_, err = f.recognise(f.regB, "UA-3", 30)
		assert.NoError(t, err, "accepting exactly the original credits is allowed")
	})
}

func TestRevokeCredit(t *testing.T) {
	f, _, recorded := newFixtureWithCredit(t)

	tests := []ledgertest.RefusalCase{
		{Name: "another university", Call: func() error { _, err := f.revokeCredit(f.regB, "UA-1", "we disagree"); return err },
			Want: ledgertest.Refused(foundation.ErrAccessDenied, "RevokeCredit called by UniversityBMSP", "the issuing university of credit UA-1 (UniversityAMSP)")},
		{Name: "ministry officer", Call: func() error { _, err := f.revokeCredit(f.officer, "UA-1", "policy"); return err },
			Want: ledgertest.Refused(foundation.ErrAccessDenied, "RevokeCredit called by EduMinistryMSP")},
		{Name: "without reason", Call: func() error { _, err := f.revokeCredit(f.regA, "UA-1", ""); return err },
			Want: ledgertest.Refused(foundation.ErrInvalidInput, "reason: required")},
		{Name: "unknown credit", Call: func() error { _, err := f.revokeCredit(f.regA, "UA-404", "x"); return err },
			Want: ledgertest.Refused(foundation.ErrNotFound, `credit "UA-404" not found`)},
	}
	f.l.RunRefusals(t, tests)

	revoked, err := f.revokeCredit(f.regA, "UA-1", "recorded for the wrong course")
	require.NoError(t, err)
	assert.Equal(t, education.StatusRevoked, revoked.Status)
	require.NotNil(t, revoked.Revocation)
	assert.Equal(t, "recorded for the wrong course", revoked.Revocation.Reason)
	assert.True(t, revoked.Revocation.RevokedAt.After(recorded.RecordedAt))
	assert.Equal(t, recorded.RecordedAt, revoked.RecordedAt, "revocation keeps the original record")
	name, ev := f.lastEvent()
	assert.Equal(t, education.EventCreditRevoked, name)
	require.Len(t, ev.Changes, 1)
	assert.Equal(t, foundation.OpUpdate, ev.Changes[0].Op)

	got, err := f.getCredit(f.inspector, "UA-1")
	require.NoError(t, err)
	assert.Equal(t, revoked, got, "revoked credits stay readable")

	hist, err := ledgertest.Eval(f.inspector, func(ctx ctxT) (*education.History, error) { return f.c.GetCreditHistory(ctx, "UA-1") })
	require.NoError(t, err)
	assert.Equal(t, `credit "UA-1"`, hist.Record)
	require.Len(t, hist.Revisions, 2)
	assert.Equal(t, revoked, hist.Revisions[0].Record, "newest first")
	assert.Equal(t, recorded, hist.Revisions[1].Record)

	f.l.RequireRefused(t, ledgertest.Refused(foundation.ErrConflict, `credit "UA-1" is already revoked`),
		func() error { _, err := f.revokeCredit(f.regA, "UA-1", "again"); return err })
}

func TestCreditChangesNeedTheOwnersEndorsement(t *testing.T) {
	f, _, _ := newFixtureWithCredit(t)

	for _, endorsers := range [][]string{{uniA}, {uniB, ministry}, {ministry}} {
		before := f.l.Snapshot()
		_, err := f.revokeCredit(f.regA.EndorsedBy(endorsers...), "UA-1", "error")
		var invalid *ledgertest.ValidationError
		require.ErrorAs(t, err, &invalid, "endorsed by %v", endorsers)
		assert.Equal(t, "ENDORSEMENT_POLICY_FAILURE", invalid.Code)
		assert.Empty(t, f.l.Diff(before))
	}
	_, err := f.revokeCredit(f.regA.EndorsedBy(uniA, ministry), "UA-1", "error")
	assert.NoError(t, err)
}

func TestRevokeRecognition(t *testing.T) {
	f, _, _ := newFixtureWithCredit(t)
	recognised, err := f.recognise(f.regB, "UA-1", 60)
	require.NoError(t, err)

	f.l.RequireRefused(t, ledgertest.Refused(foundation.ErrNotFound, `recognition "UA-1 by UniversityAMSP" not found`),
		func() error { _, err := f.revokeRecognition(f.regA, "UA-1", "not ours to revoke"); return err })
	f.l.RequireRefused(t, ledgertest.Refused(foundation.ErrAccessDenied, "RevokeRecognition called by OversightMSP"),
		func() error { _, err := f.revokeRecognition(f.inspector, "UA-1", "x"); return err })
	f.l.RequireRefused(t, ledgertest.Refused(foundation.ErrNotFound, `credit "UA-9" not found`),
		func() error { _, err := f.revokeRecognition(f.regB, "UA-9", "x"); return err })

	revoked, err := f.revokeRecognition(f.regB, "UA-1", "programme closed")
	require.NoError(t, err)
	assert.Equal(t, education.StatusRevoked, revoked.Status)
	assert.Equal(t, "programme closed", revoked.Revocation.Reason)
	name, _ := f.lastEvent()
	assert.Equal(t, education.EventRecognitionRevoked, name)

	f.l.RequireRefused(t, ledgertest.Refused(foundation.ErrConflict, "is already revoked"),
		func() error { _, err := f.revokeRecognition(f.regB, "UA-1", "again"); return err })
	f.l.RequireRefused(t, ledgertest.Refused(foundation.ErrAlreadyExists, "now revoked"),
		func() error { _, err := f.recognise(f.regB, "UA-1", 60); return err })

	hist, err := ledgertest.Eval(f.inspector, func(ctx ctxT) (*education.History, error) {
		return f.c.GetRecognitionHistory(ctx, "UA-1", uniB)
	})
	require.NoError(t, err)
	require.Len(t, hist.Revisions, 2)
	assert.Equal(t, revoked, hist.Revisions[0].Record)
	assert.Equal(t, recognised, hist.Revisions[1].Record)
}
