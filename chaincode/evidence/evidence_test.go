package evidence_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/evidence"
	"github.com/govshare/govshare/chaincode/foundation"
	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

func TestSubmitEvidence(t *testing.T) {
	f := newFixture(t)
	_, err := f.openCase(f.clerk, newCase("IC-1"))
	require.NoError(t, err)
	ex := newExhibit("EV-1", "IC-1", "seller: the price is final, no returns")

	e, err := f.submit(f.clerk, ex)
	require.NoError(t, err)
	assert.Equal(t, evidence.Evidence{
		EvidenceID: "EV-1", CaseID: "IC-1", ContentSHA256: ex.req.ContentSHA256, MediaType: "text/plain",
		SizeBytes: int64(len(ex.content)), Description: ex.req.Description,
		Provenance:   evidence.Provenance{Tool: "WebCapture 3.2", CapturedAt: e.Provenance.CapturedAt, Source: "https://chat.example/thread/17"},
		SealedAs:     evidence.SealedAsContent,
		SealedSHA256: ex.req.ContentSHA256,
		SubmittedBy:  e.SubmittedBy, SubmittedAt: e.SubmittedAt,
	}, *e)
	assert.Equal(t, capturedAt, e.Provenance.CapturedAt.Format(evidence.TimeLayout))
	assert.Equal(t, court, e.SubmittedBy.MSPID, "the submitter comes from the certificate")
	assert.Contains(t, e.SubmittedBy.ID, "CN=clerk")

	t.Run("public record, locator and content index, each with the key-level policy", func(t *testing.T) {
		evidenceKey := compositeKey("evd.evidence", "IC-1", "EV-1")
		var stored evidence.Evidence
		require.NoError(t, json.Unmarshal(f.l.State(evidenceKey), &stored))
		assert.Equal(t, *e, stored)
		assert.JSONEq(t, `{"caseId":"IC-1"}`, string(f.l.State(compositeKey("evd.locator", "EV-1"))))
		assert.JSONEq(t, `{"evidenceId":"EV-1"}`, string(f.l.State(compositeKey("evd.hash", ex.req.ContentSHA256, "IC-1"))))
		for _, key := range []string{evidenceKey, compositeKey("evd.locator", "EV-1"), compositeKey("evd.hash", ex.req.ContentSHA256, "IC-1")} {
			orgs, err := foundation.PolicyOrganizations(f.l.ValidationParameter(key))
			require.NoError(t, err)
			assert.Equal(t, []string{court, notaryOffice}, orgs, "key-level policy of %q", key)
		}
	})

	t.Run("content only in the SealedEvidence collection", func(t *testing.T) {
		var record struct {
			SealedAs     string `json:"sealedAs"`
			SealedSHA256 string `json:"sealedSha256"`
			Data         []byte `json:"data"`
		}
		require.NoError(t, json.Unmarshal(f.l.PrivateState(sealed, compositeKey("evd.sealed", "EV-1")), &record))
		assert.Equal(t, ex.content, record.Data)
		assert.Equal(t, ex.req.ContentSHA256, record.SealedSHA256)
		for _, kv := range f.l.PublicState() {
			assert.False(t, bytes.Contains(kv.Value, ex.content), "public state must not hold the content")
		}
		for _, ev := range f.l.Events() {
			assert.False(t, bytes.Contains(ev.Payload, ex.content), "events must not carry the content")
		}
	})

	t.Run("event lists every write", func(t *testing.T) {
		name, ev := f.lastEvent()
		assert.Equal(t, evidence.EventEvidenceSubmitted, name)
		assert.Equal(t, court, ev.Caller.MSPID)
		assert.Equal(t, []string{
			"put evd.evidence IC-1/EV-1 InternetCourtMSP,NotaryOfficeMSP",
			"create evd.locator EV-1 InternetCourtMSP,NotaryOfficeMSP",
			"create evd.hash " + ex.req.ContentSHA256 + "/IC-1 InternetCourtMSP,NotaryOfficeMSP",
			"create SealedEvidence evd.sealed EV-1",
		}, ledgertest.ChangeSummary(ev))
	})

	t.Run("a notary submits too, and the same content may be evidence in another case", func(t *testing.T) {
		_, err := f.openCase(f.clerk, newCase("IC-2"))
		require.NoError(t, err)
		again := newExhibit("EV-2", "IC-2", string(ex.content))
		e2, err := f.submit(f.notary, again)
		require.NoError(t, err)
		assert.Equal(t, notaryOffice, e2.SubmittedBy.MSPID)
		assert.Equal(t, consortium.RoleNotary, e2.SubmittedBy.Role)
	})

	t.Run("a sealed key for content kept elsewhere", func(t *testing.T) {
		key := randomKey(7)
		large := newExhibit("EV-3", "IC-1", "")
		large.req.ContentSHA256 = digestOf([]byte("a 3 GB video kept in the court's archive"))
		large.req.MediaType = "video/mp4"
		large.req.SizeBytes = 3 << 30
		large.req.SealedAs = evidence.SealedAsKey
		large.req.KeySHA256 = digestOf(key)
		large.content = key
		e3, err := f.submit(f.clerk, large)
		require.NoError(t, err)
		assert.Equal(t, evidence.SealedAsKey, e3.SealedAs)
		assert.Equal(t, digestOf(key), e3.SealedSHA256)
		assert.Equal(t, int64(3<<30), e3.SizeBytes)
	})
}

func TestSubmitEvidenceRefusals(t *testing.T) {
	f := newFixture(t)
	for _, id := range []string{"OPEN", "OTHER", "CLOSED", "SEALED"} {
		_, err := f.openCase(f.clerk, newCase(id))
		require.NoError(t, err)
	}
	first := newExhibit("EV-1", "OPEN", "the first submission")
	_, err := f.submit(f.notary, first)
	require.NoError(t, err)
	_, err = f.closeCase(f.judge, "CLOSED", "decided")
	require.NoError(t, err)
	_, err = f.sealCase(f.judge, "SEALED", "sealed")
	require.NoError(t, err)

	valid := newExhibit("EV-2", "OPEN", "a second item")
	submit := func(c *ledgertest.Client, ex exhibit) func() error {
		return func() error { _, err := f.submit(c, ex); return err }
	}
	modified := func(change func(*exhibit)) exhibit {
		ex := newExhibit("EV-2", "OPEN", "a second item")
		change(&ex)
		return ex
	}
	raw := func(request string) func() error {
		return func() error {
			_, err := f.submitRaw(f.clerk.WithTransient(evidence.TransientContent, valid.content), request)
			return err
		}
	}
	withKey := func(key []byte, declared string) exhibit {
		return modified(func(ex *exhibit) {
			ex.req.SealedAs, ex.req.KeySHA256, ex.content = evidence.SealedAsKey, declared, key
		})
	}
	goodKey := randomKey(1)
	huge := bytes.Repeat([]byte{'x'}, evidence.MaxContentBytes+1)

	f.l.RunRefusals(t, []ledgertest.RefusalCase{
		// who
		{Name: "judge", Call: submit(f.judge, valid), Want: ledgertest.Refused(foundation.ErrAccessDenied, `SubmitEvidence called by InternetCourtMSP with role "judge"; requires role "clerk" in InternetCourtMSP, or role "notary" in NotaryOfficeMSP`)},
		{Name: "inspector", Call: submit(f.inspector, valid), Want: ledgertest.Refused(foundation.ErrAccessDenied, "OversightMSP")},
		{Name: "notary role in the court", Call: submit(f.l.As(court, consortium.RoleNotary), valid), Want: ledgertest.Refused(foundation.ErrAccessDenied, `InternetCourtMSP with role "notary"`)},
		{Name: "clerk role in the notary office", Call: submit(f.l.As(notaryOffice, consortium.RoleClerk), valid), Want: ledgertest.Refused(foundation.ErrAccessDenied, `NotaryOfficeMSP with role "clerk"`)},
		{Name: "clerk of another channel's member", Call: submit(f.l.As(consortium.FinanceBureauMSP, consortium.RoleClerk), valid), Want: ledgertest.Refused(foundation.ErrAccessDenied, "FinanceBureauMSP")},
		// case and uniqueness rules
		{Name: "closed case", Call: submit(f.clerk, modified(func(ex *exhibit) { ex.req.CaseID = "CLOSED" })), Want: ledgertest.Refused(foundation.ErrConflict, `case "CLOSED" is closed; evidence can be submitted to open cases only`)},
		{Name: "sealed case", Call: submit(f.clerk, modified(func(ex *exhibit) { ex.req.CaseID = "SEALED" })), Want: ledgertest.Refused(foundation.ErrConflict, `case "SEALED" is sealed`)},
		{Name: "unknown case", Call: submit(f.clerk, modified(func(ex *exhibit) { ex.req.CaseID = "NOPE" })), Want: ledgertest.Refused(foundation.ErrNotFound, `case "NOPE" not found`)},
		{Name: "duplicate content in the case", Call: submit(f.clerk, newExhibit("EV-9", "OPEN", "the first submission")),
			Want: ledgertest.Refused(foundation.ErrAlreadyExists, `content "`+first.req.ContentSHA256+`" already exists`, "case OPEN holds it as evidence EV-1, submitted by NotaryOfficeMSP on 2025-09-01T08:")},
		{Name: "evidence ID used in the case", Call: submit(f.clerk, newExhibit("EV-1", "OPEN", "new content")), Want: ledgertest.Refused(foundation.ErrAlreadyExists, `evidence "EV-1" already exists: in case OPEN`)},
		{Name: "evidence ID used in another case", Call: submit(f.clerk, newExhibit("EV-1", "OTHER", "new content")), Want: ledgertest.Refused(foundation.ErrAlreadyExists, `evidence "EV-1" already exists`)},
		// sealed bytes
		{Name: "content does not match the digest", Call: submit(f.clerk, modified(func(ex *exhibit) { ex.content = []byte("a second itex") })), Want: ledgertest.Refused(foundation.ErrInvalidInput, `transient "content"`, "does not hash to the request's contentSha256")},
		{Name: "content of another size", Call: submit(f.clerk, modified(func(ex *exhibit) { ex.content = []byte("a second item!") })), Want: ledgertest.Refused(foundation.ErrInvalidInput, "is 14 bytes but the request's sizeBytes is 13")},
		{Name: "content missing", Call: func() error { _, err := f.submitRaw(f.clerk, toJSON(t, valid.req)); return err }, Want: ledgertest.Refused(foundation.ErrInvalidInput, `transient "content"`, "required as transient data")},
		{Name: "content over the limit", Call: submit(f.clerk, modified(func(ex *exhibit) { ex.content = huge })), Want: ledgertest.Refused(foundation.ErrInvalidInput, "over the limit of 1048576 bytes")},
		{Name: "declared size over the content limit", Call: submit(f.clerk, modified(func(ex *exhibit) { ex.req.SizeBytes = evidence.MaxContentBytes + 1 })), Want: ledgertest.Refused(foundation.ErrInvalidInput, `sizeBytes: must be at most 1048576 when sealedAs is "content"`)},
		{Name: "key does not match its digest", Call: submit(f.clerk, withKey(goodKey, digestOf([]byte("another key")))), Want: ledgertest.Refused(foundation.ErrInvalidInput, "does not hash to the request's keySha256")},
		{Name: "key too short", Call: submit(f.clerk, withKey([]byte("short"), digestOf([]byte("short")))), Want: ledgertest.Refused(foundation.ErrInvalidInput, "must be a key of 16 to 64 bytes")},
		{Name: "key of one byte repeated", Call: submit(f.clerk, withKey(bytes.Repeat([]byte{1}, 32), digestOf(bytes.Repeat([]byte{1}, 32)))),
			Want: ledgertest.Refused(foundation.ErrInvalidInput, `transient "content"`, "content: is not secret: every byte is the same")},
		{Name: "key that is hex written as text", Call: submit(f.clerk, withKey([]byte("3b9f0c1e7a5d2486"), digestOf([]byte("3b9f0c1e7a5d2486")))),
			Want: ledgertest.Refused(foundation.ErrInvalidInput, "content: is not secret: its bytes are all digits")},
		{Name: "key without its digest", Call: submit(f.clerk, withKey(goodKey, "")), Want: ledgertest.Refused(foundation.ErrInvalidInput, "keySha256: required")},
		{Name: "key digest with content", Call: submit(f.clerk, modified(func(ex *exhibit) { ex.req.KeySHA256 = digestOf(goodKey) })), Want: ledgertest.Refused(foundation.ErrInvalidInput, `keySha256: must be absent when sealedAs is "content"`)},
		// malformed and oversized requests
		{Name: "not JSON", Call: raw(`<evidence/>`), Want: ledgertest.Refused(foundation.ErrInvalidInput, "must be a JSON object")},
		{Name: "submitter in the request", Call: raw(strings.Replace(toJSON(t, valid.req), `{`, `{"submittedBy":"NotaryOfficeMSP",`, 1)), Want: ledgertest.Refused(foundation.ErrInvalidInput, "submittedBy: unknown field")},
		{Name: "size as text", Call: raw(strings.Replace(toJSON(t, valid.req), `"sizeBytes":13`, `"sizeBytes":"13"`, 1)), Want: ledgertest.Refused(foundation.ErrInvalidInput, "sizeBytes: must be an integer in range")},
		{Name: "missing fields", Call: raw(`{"provenance":{}}`), Want: ledgertest.Refused(foundation.ErrInvalidInput, "evidenceId: required", "contentSha256: required", "provenance.tool: required", "provenance.capturedAt: required", "sealedAs: must be one of content, key")},
		{Name: "upper-case digest", Call: submit(f.clerk, modified(func(ex *exhibit) { ex.req.ContentSHA256 = strings.ToUpper(ex.req.ContentSHA256) })), Want: ledgertest.Refused(foundation.ErrInvalidInput, "contentSha256: must be a SHA-256 digest")},
		{Name: "zero size", Call: submit(f.clerk, modified(func(ex *exhibit) { ex.req.SizeBytes = 0 })), Want: ledgertest.Refused(foundation.ErrInvalidInput, "sizeBytes: must be between 1 and 1099511627776")},
		{Name: "media type with parameters", Call: submit(f.clerk, modified(func(ex *exhibit) { ex.req.MediaType = "text/plain; charset=utf-8" })), Want: ledgertest.Refused(foundation.ErrInvalidInput, "mediaType: must be a media type")},
		{Name: "media type without subtype", Call: submit(f.clerk, modified(func(ex *exhibit) { ex.req.MediaType = "image" })), Want: ledgertest.Refused(foundation.ErrInvalidInput, "mediaType")},
		{Name: "description too long", Call: submit(f.clerk, modified(func(ex *exhibit) { ex.req.Description = strings.Repeat("d", evidence.MaxDescriptionLength+1) })), Want: ledgertest.Refused(foundation.ErrInvalidInput, "description: must be at most 2000 characters")},
		{Name: "source too long", Call: submit(f.clerk, modified(func(ex *exhibit) { ex.req.Provenance.Source = strings.Repeat("s", evidence.MaxProvenanceLength+1) })), Want: ledgertest.Refused(foundation.ErrInvalidInput, "provenance.source: must be at most 500 characters")},
		{Name: "tool with a control character", Call: submit(f.clerk, modified(func(ex *exhibit) { ex.req.Provenance.Tool = "Capture\n3" })), Want: ledgertest.Refused(foundation.ErrInvalidInput, "provenance.tool: must not contain control characters")},
		{Name: "capture time without a zone", Call: submit(f.clerk, modified(func(ex *exhibit) { ex.req.Provenance.CapturedAt = "2025-08-30 14:05" })), Want: ledgertest.Refused(foundation.ErrInvalidInput, "provenance.capturedAt: must be an RFC 3339 time")},
		{Name: "capture time after the submission", Call: submit(f.clerk, modified(func(ex *exhibit) { ex.req.Provenance.CapturedAt = "2030-01-01T00:00:00Z" })), Want: ledgertest.Refused(foundation.ErrInvalidInput, "provenance.capturedAt: must not be after the submission")},
		{Name: "capture time before 1970", Call: submit(f.clerk, modified(func(ex *exhibit) { ex.req.Provenance.CapturedAt = "1969-12-31T23:59:59Z" })), Want: ledgertest.Refused(foundation.ErrInvalidInput, "must not be before 1970")},
		{Name: "oversized request", Call: raw(`{"evidenceId":"EV-2","description":"` + strings.Repeat("d", foundation.MaxRequestBytes) + `"}`), Want: ledgertest.Refused(foundation.ErrInvalidInput, "over the limit of 16384 bytes")},
	})

	t.Run("errors never echo the content", func(t *testing.T) {
		secret := []byte("top secret content")
		_, err := f.submit(f.clerk, modified(func(ex *exhibit) { ex.content = secret; ex.req.SizeBytes = int64(len(secret)) }))
		require.Error(t, err)
		assert.NotContains(t, err.Error(), string(secret))
	})
}

func TestEvidenceKeysNeedBothOrganizations(t *testing.T) {
	f := newFixture(t)
	f.openCaseWithExhibit("IC-1", newExhibit("EV-1", "IC-1", "content"))

	before := f.l.Snapshot()
	_, err := f.notarise(f.notary.EndorsedBy(notaryOffice), "EV-1", "attested by the notary office alone")
	var invalid *ledgertest.ValidationError
	require.ErrorAs(t, err, &invalid, "an evidence record changed with one organisation's endorsement is invalid")
	assert.Equal(t, "ENDORSEMENT_POLICY_FAILURE", invalid.Code)
	assert.Empty(t, f.l.Diff(before))

	_, err = f.notarise(f.notary.EndorsedBy(court, notaryOffice), "EV-1", "attested with both endorsements")
	require.NoError(t, err)
}

func TestVerifyEvidenceByHash(t *testing.T) {
	f := newFixture(t)
	content := "a photo of the delivered goods"
	f.openCaseWithExhibit("IC-1", newExhibit("EV-1", "IC-1", content))
	_, err := f.openCase(f.clerk, newCase("IC-2"))
	require.NoError(t, err)
	_, err = f.submit(f.notary, newExhibit("EV-2", "IC-2", content))
	require.NoError(t, err)
	_, err = f.notarise(f.notary, "EV-2", "attested")
	require.NoError(t, err)
	for _, action := range []string{evidence.CustodyReceived, evidence.CustodyExamined} {
		_, err = f.custody(f.clerk, evidence.CustodyEventRequest{EvidenceID: "EV-2", Action: action})
		require.NoError(t, err)
	}

	v, err := f.verify(f.inspector, digestOf([]byte(content)))
	require.NoError(t, err)
	assert.True(t, v.Found)
	require.Len(t, v.Submissions, 2)
	assert.Equal(t, "EV-1", v.Submissions[0].EvidenceID)
	assert.Equal(t, "IC-1", v.Submissions[0].CaseID)
	assert.Equal(t, court, v.Submissions[0].SubmittedBy.MSPID)
	assert.False(t, v.Submissions[0].Notarised)
	assert.Equal(t, 0, v.Submissions[0].CustodyChainLength)
	assert.Equal(t, evidence.Submission{
		EvidenceID: "EV-2", CaseID: "IC-2", SubmittedBy: v.Submissions[1].SubmittedBy, SubmittedAt: v.Submissions[1].SubmittedAt,
		Notarised: true, Notarisations: 1, CustodyChainLength: 2,
	}, v.Submissions[1])
	assert.Equal(t, notaryOffice, v.Submissions[1].SubmittedBy.MSPID)

	t.Run("unknown content is an answer", func(t *testing.T) {
		v, err := f.verify(f.inspector, digestOf([]byte("never submitted")))
		require.NoError(t, err)
		assert.False(t, v.Found)
		assert.Empty(t, v.Submissions)
	})
	verify := func(c *ledgertest.Client, digest string) func() error {
		return func() error { _, err := f.verify(c, digest); return err }
	}
	f.l.RunRefusals(t, []ledgertest.RefusalCase{
		{Name: "not a channel member", Call: verify(f.l.As(consortium.AuditOfficeMSP, consortium.RoleAuditor), digestOf([]byte(content))), Want: ledgertest.Refused(foundation.ErrAccessDenied, "VerifyEvidenceByHash called by AuditOfficeMSP", "any identity of InternetCourtMSP, NotaryOfficeMSP or OversightMSP")},
		{Name: "malformed digest", Call: verify(f.inspector, "abc"), Want: ledgertest.Refused(foundation.ErrInvalidInput, "contentSha256: must be a SHA-256 digest")},
	})
}

func TestGetEvidenceAndHistory(t *testing.T) {
	f := newFixture(t)
	f.openCaseWithExhibit("IC-1", newExhibit("EV-1", "IC-1", "content"))
	_, err := f.notarise(f.notary, "EV-1", "attested")
	require.NoError(t, err)
	_, err = f.custody(f.notary, evidence.CustodyEventRequest{EvidenceID: "EV-1", Action: evidence.CustodyReceived, Counterparty: "court registry"})
	require.NoError(t, err)

	e, err := f.getEvidence(f.inspector, "EV-1")
	require.NoError(t, err)
	assert.Equal(t, 1, e.Notarisations)
	assert.Equal(t, 1, e.CustodyEvents)

	hist, err := ledgertest.Eval(f.inspector, func(ctx ctxT) (*evidence.History, error) { return f.c.GetEvidenceHistory(ctx, "EV-1") })
	require.NoError(t, err)
	assert.Equal(t, `evidence "EV-1"`, hist.Record)
	require.Len(t, hist.Revisions, 3)
	assert.Equal(t, 1, hist.Revisions[0].Record.(*evidence.Evidence).CustodyEvents, "newest first")
	assert.Equal(t, 0, hist.Revisions[2].Record.(*evidence.Evidence).Notarisations, "as submitted")

	_, err = f.getEvidence(f.inspector, "EV-404")
	assert.True(t, errors.Is(err, foundation.ErrNotFound), "%v", err)
	_, err = ledgertest.Eval(f.inspector, func(ctx ctxT) (*evidence.History, error) { return f.c.GetEvidenceHistory(ctx, "EV 1") })
	assert.ErrorIs(t, err, foundation.ErrInvalidInput)
	_, err = f.getEvidence(f.l.As(consortium.UniversityAMSP, consortium.RoleRegistrar), "EV-1")
	assert.ErrorIs(t, err, foundation.ErrAccessDenied)
}
