package evidence_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/evidence"
	"github.com/govshare/govshare/chaincode/foundation"
	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

func (f *fixture) accessRequest(requestID, evidenceID string, grantee *ledgertest.Client) evidence.AccessRequestRequest {
	return evidence.AccessRequestRequest{RequestID: requestID, EvidenceID: evidenceID, Grantee: f.grantee(grantee), Purpose: "counsel prepares the hearing"}
}

func TestAccessFlow(t *testing.T) {
	f := newFixture(t)
	ex := newExhibit("EV-1", "IC-1", "the seller's chat messages, exported")
	f.openCaseWithExhibit("IC-1", ex)

	ar, err := f.requestAccess(f.clerk, f.accessRequest("AR-1", "EV-1", f.notary))
	require.NoError(t, err)
	assert.Equal(t, evidence.AccessPending, ar.Status)
	assert.Equal(t, evidence.Grantee{MSPID: notaryOffice, ID: f.whoAmI(f.notary).ID}, ar.Grantee)
	assert.Equal(t, "IC-1", ar.CaseID)
	name, ev := f.lastEvent()
	assert.Equal(t, evidence.EventAccessRequested, name)
	assert.Equal(t, []string{"create evd.request AR-1 InternetCourtMSP,NotaryOfficeMSP"}, ledgertest.ChangeSummary(ev))

	ar, err = f.grant(f.judge, "AR-1", grantExpiry)
	require.NoError(t, err)
	assert.Equal(t, evidence.AccessGranted, ar.Status)
	require.NotNil(t, ar.Grant)
	assert.Equal(t, grantExpiry, ar.Grant.ExpiresAt.Format(evidence.TimeLayout))
	assert.Equal(t, consortium.RoleJudge, ar.Grant.By.Role)
	name, _ = f.lastEvent()
	assert.Equal(t, evidence.EventAccessGranted, name)

	entry, err := f.open(f.notary, "AR-1")
	require.NoError(t, err)
	assert.Equal(t, evidence.AccessLogEntry{
		EvidenceID: "EV-1", Sequence: 1, CaseID: "IC-1", RequestID: "AR-1", SealedSHA256: ex.req.ContentSHA256,
		Reader: f.whoAmI(f.notary), OpenedAt: entry.OpenedAt, TxID: entry.TxID,
	}, *entry)
	assert.NotEmpty(t, entry.TxID)
	name, ev = f.lastEvent()
	assert.Equal(t, evidence.EventSealedContentOpened, name)
	assert.Equal(t, []string{"put evd.accesslog EV-1/0000000001 InternetCourtMSP,NotaryOfficeMSP", "update evd.evidence IC-1/EV-1"}, ledgertest.ChangeSummary(ev))
	assert.False(t, bytes.Contains(f.l.Events()[len(f.l.Events())-1].Payload, ex.content), "the opening's event carries no content")

	delivery, err := f.read(f.notary, "EV-1", 1, 1)
	require.NoError(t, err)
	assert.Equal(t, evidence.DeliveryAlgorithm, delivery.Algorithm)
	assert.Equal(t, ex.req.ContentSHA256, delivery.SealedSHA256)
	key, _ := readerKey(1)
	content, err := delivery.Open(key)
	require.NoError(t, err)
	assert.Equal(t, ex.content, content)

	t.Run("the delivery is useless without the reader key", func(t *testing.T) {
		raw, err := json.Marshal(delivery)
		require.NoError(t, err)
		assert.False(t, bytes.Contains(raw, ex.content))
		assert.NotContains(t, string(raw), base64.StdEncoding.EncodeToString(ex.content))
		other, _ := readerKey(2)
		_, err = delivery.Open(other)
		assert.ErrorContains(t, err, "wrong key or altered delivery")
		altered := *delivery
		altered.Sequence = 2
		_, err = altered.Open(key)
		assert.Error(t, err, "the ciphertext is bound to its access log entry")
		_, err = delivery.Open(key[:16])
		assert.ErrorContains(t, err, "reader key is 16 bytes, want 32")
	})

	t.Run("each opening is logged and visible to oversight", func(t *testing.T) {
		second, err := f.open(f.notary, "AR-1")
		require.NoError(t, err)
		assert.Equal(t, 2, second.Sequence)
		_, err = f.read(f.notary, "EV-1", 2, 3)
		require.NoError(t, err)

		page, err := ledgertest.Eval(f.inspector, func(ctx ctxT) (*evidence.AccessLogPage, error) { return f.c.GetAccessLog(ctx, "EV-1", 1, "") })
		require.NoError(t, err)
		require.Len(t, page.Entries, 1)
		assert.Equal(t, 1, page.Entries[0].Sequence)
		require.NotEmpty(t, page.Bookmark)
		page, err = ledgertest.Eval(f.inspector, func(ctx ctxT) (*evidence.AccessLogPage, error) {
			return f.c.GetAccessLog(ctx, "EV-1", 1, page.Bookmark)
		})
		require.NoError(t, err)
		require.Len(t, page.Entries, 1)
		assert.Equal(t, 2, page.Entries[0].Sequence)
		assert.Equal(t, notaryOffice, page.Entries[0].Reader.MSPID)

		e, err := f.getEvidence(f.inspector, "EV-1")
		require.NoError(t, err)
		assert.Equal(t, 2, e.AccessLogEntries)
	})

	t.Run("the request's history shows every decision", func(t *testing.T) {
		_, err := f.revoke(f.judge, "AR-1", "hearing over")
		require.NoError(t, err)
		name, _ := f.lastEvent()
		assert.Equal(t, evidence.EventAccessRevoked, name)
		hist, err := ledgertest.Eval(f.inspector, func(ctx ctxT) (*evidence.History, error) { return f.c.GetAccessRequestHistory(ctx, "AR-1") })
		require.NoError(t, err)
		var statuses []string
		for _, r := range hist.Revisions {
			statuses = append(statuses, r.Record.(*evidence.AccessRequest).Status)
		}
		assert.Equal(t, []string{evidence.AccessRevoked, evidence.AccessGranted, evidence.AccessPending}, statuses)
		got, err := ledgertest.Eval(f.inspector, func(ctx ctxT) (*evidence.AccessRequest, error) { return f.c.GetAccessRequest(ctx, "AR-1") })
		require.NoError(t, err)
		require.NotNil(t, got.Revocation)
		assert.Equal(t, "hearing over", got.Revocation.Reason)
	})

	t.Run("a sealed key is delivered like content", func(t *testing.T) {
		secretKey := randomKey(9)
		kept := newExhibit("EV-2", "IC-1", "")
		kept.req.ContentSHA256, kept.req.SizeBytes = digestOf([]byte("video kept elsewhere")), 1<<33
		kept.req.SealedAs, kept.req.KeySHA256, kept.content = evidence.SealedAsKey, digestOf(secretKey), secretKey
		_, err := f.submit(f.clerk, kept)
		require.NoError(t, err)
		f.grantedTo(f.notary, "AR-2", "EV-2", grantExpiry)
		entry, err := f.open(f.notary, "AR-2")
		require.NoError(t, err)
		d, err := f.read(f.notary, "EV-2", entry.Sequence, 4)
		require.NoError(t, err)
		assert.Equal(t, evidence.SealedAsKey, d.SealedAs)
		k, _ := readerKey(4)
		got, err := d.Open(k)
		require.NoError(t, err)
		assert.Equal(t, secretKey, got)
	})
}

// TestTheAccessLogCannotBeSkipped evaluates OpenSealedContent instead of
// submitting it, as a client that wants the content without a log entry
// would: no entry is committed, so ReadSealedContent has nothing to
// deliver against.
func TestTheAccessLogCannotBeSkipped(t *testing.T) {
	f := newFixture(t)
	f.openCaseWithExhibit("IC-1", newExhibit("EV-1", "IC-1", "content"))
	f.grantedTo(f.notary, "AR-1", "EV-1", grantExpiry)

	before := f.l.Snapshot()
	entry, err := ledgertest.Eval(f.notary, func(ctx ctxT) (*evidence.AccessLogEntry, error) {
		return f.c.OpenSealedContent(ctx, `{"requestId":"AR-1"}`)
	})
	require.NoError(t, err, "evaluation of the opening succeeds...")
	assert.Equal(t, 1, entry.Sequence)
	assert.Empty(t, f.l.Diff(before), "...but commits no entry")

	f.l.RequireRefused(t, ledgertest.Refused(foundation.ErrNotFound, `access log entry "EV-1 #1" not found`), func() error {
		_, err := f.read(f.notary, "EV-1", 1, 1)
		return err
	})

	_, err = f.open(f.notary, "AR-1")
	require.NoError(t, err)
	_, err = f.read(f.notary, "EV-1", 1, 1)
	require.NoError(t, err, "after the entry is committed the content is delivered")
}

func TestOpenSealedContentRefusals(t *testing.T) {
	f := newFixture(t)
	f.openCaseWithExhibit("IC-1", newExhibit("EV-1", "IC-1", "content"))
	f.openCaseWithExhibit("IC-SEALED", newExhibit("EV-S", "IC-SEALED", "sealed case content"))
	accountant := f.l.As(court, consortium.RoleAccountant)

	_, err := f.requestAccess(f.clerk, f.accessRequest("AR-PENDING", "EV-1", f.notary))
	require.NoError(t, err)
	_, err = f.requestAccess(f.clerk, f.accessRequest("AR-DENIED", "EV-1", f.notary))
	require.NoError(t, err)
	_, err = f.deny(f.judge, "AR-DENIED", "not needed")
	require.NoError(t, err)
	f.grantedTo(f.notary, "AR-REVOKED", "EV-1", grantExpiry)
	_, err = f.revoke(f.judge, "AR-REVOKED", "misuse")
	require.NoError(t, err)
	f.grantedTo(f.notary, "AR-NOTARY", "EV-1", grantExpiry)
	f.grantedTo(accountant, "AR-ACCOUNTANT", "EV-1", grantExpiry)
	f.grantedTo(f.notary, "AR-SEALED", "EV-S", grantExpiry)
	_, err = f.sealCase(f.judge, "IC-SEALED", "sealed")
	require.NoError(t, err)

	open := func(c *ledgertest.Client, requestID string) func() error {
		return func() error { _, err := f.open(c, requestID); return err }
	}
	f.l.RunRefusals(t, []ledgertest.RefusalCase{
		{Name: "inspector", Call: open(f.inspector, "AR-NOTARY"), Want: ledgertest.Refused(foundation.ErrAccessDenied, "OpenSealedContent called by OversightMSP", "requires any identity of InternetCourtMSP or NotaryOfficeMSP")},
		{Name: "another channel's member", Call: open(f.l.As(consortium.EduMinistryMSP, consortium.RoleOfficer), "AR-NOTARY"), Want: ledgertest.Refused(foundation.ErrAccessDenied, "EduMinistryMSP")},
		{Name: "wrong organisation", Call: open(f.notary, "AR-ACCOUNTANT"), Want: ledgertest.Refused(foundation.ErrAccessDenied, `called by NotaryOfficeMSP with role "notary"; requires the grantee of access request AR-ACCOUNTANT (an identity of InternetCourtMSP named by its certificate)`)},
		{Name: "same organisation, another certificate", Call: open(f.clerk, "AR-ACCOUNTANT"), Want: ledgertest.Refused(foundation.ErrAccessDenied, "the grantee of access request AR-ACCOUNTANT")},
		{Name: "another notary office identity", Call: open(f.l.As(notaryOffice, consortium.RoleAdmin), "AR-NOTARY"), Want: ledgertest.Refused(foundation.ErrAccessDenied, "the grantee of access request AR-NOTARY")},
		{Name: "pending request", Call: open(f.notary, "AR-PENDING"), Want: ledgertest.Refused(foundation.ErrAccessDenied, "requires a current grant, and access request AR-PENDING is pending")},
		{Name: "denied request", Call: open(f.notary, "AR-DENIED"), Want: ledgertest.Refused(foundation.ErrAccessDenied, "access request AR-DENIED is denied")},
		{Name: "revoked grant", Call: open(f.notary, "AR-REVOKED"), Want: ledgertest.Refused(foundation.ErrAccessDenied, "access request AR-REVOKED was revoked at 2025-09-01T08:")},
		{Name: "sealed case", Call: open(f.notary, "AR-SEALED"), Want: ledgertest.Refused(foundation.ErrConflict, `case "IC-SEALED" is sealed`)},
		{Name: "no such request", Call: open(f.notary, "AR-404"), Want: ledgertest.Refused(foundation.ErrNotFound, `access request "AR-404" not found`)},
		{Name: "malformed request", Call: func() error {
			_, err := ledgertest.Call(f.notary, func(ctx ctxT) (*evidence.AccessLogEntry, error) {
				return f.c.OpenSealedContent(ctx, `{"requestId":"AR-NOTARY","reader":"x509::CN=notary"}`)
			})
			return err
		}, Want: ledgertest.Refused(foundation.ErrInvalidInput, "reader: unknown field")},
	})

	t.Run("the grantee of another grant opens its own", func(t *testing.T) {
		entry, err := f.open(accountant, "AR-ACCOUNTANT")
		require.NoError(t, err)
		assert.Equal(t, consortium.RoleAccountant, entry.Reader.Role)
	})
}

func TestGrantsExpire(t *testing.T) {
	f := newFixture(t, ledgertest.WithClock(time.Date(2025, 9, 1, 8, 0, 0, 0, time.UTC), 10*time.Minute))
	f.openCaseWithExhibit("IC-1", newExhibit("EV-1", "IC-1", "content"))
	ar, err := f.requestAccess(f.clerk, f.accessRequest("AR-1", "EV-1", f.notary))
	require.NoError(t, err)
	// Each transaction is ten minutes after the one before: the grant,
	// the opening, then a read still within the access window. The
	// expiry falls between the opening and the read.
	expiry := ar.RequestedAt.Add(25 * time.Minute)
	_, err = f.grant(f.judge, "AR-1", expiry.Format(evidence.TimeLayout))
	require.NoError(t, err)
	entry, err := f.open(f.notary, "AR-1")
	require.NoError(t, err)
	require.True(t, entry.OpenedAt.Before(expiry))

	want := ledgertest.Refused(foundation.ErrAccessDenied, "the grant of access request AR-1 expired at "+expiry.Format(evidence.TimeLayout))
	f.l.RequireRefused(t, want, func() error { _, err := f.read(f.notary, "EV-1", 1, 1); return err })
	f.l.RequireRefused(t, want, func() error { _, err := f.open(f.notary, "AR-1"); return err })

	_, err = f.revoke(f.judge, "AR-1", "recorded after expiry")
	require.NoError(t, err, "an expired grant can still be revoked, for the record")
}

func TestReadSealedContentRefusals(t *testing.T) {
	start := time.Date(2025, 9, 1, 8, 0, 0, 0, time.UTC)
	f := newFixture(t, ledgertest.WithClock(start, time.Minute))
	f.openCaseWithExhibit("IC-1", newExhibit("EV-1", "IC-1", "content"))
	f.openCaseWithExhibit("IC-2", newExhibit("EV-2", "IC-2", "content of a case sealed later"))
	f.grantedTo(f.notary, "AR-1", "EV-1", grantExpiry)
	f.grantedTo(f.notary, "AR-2", "EV-2", grantExpiry)
	f.grantedTo(f.notary, "AR-3", "EV-1", grantExpiry)
	for _, id := range []string{"AR-1", "AR-2", "AR-3"} {
		_, err := f.open(f.notary, id)
		require.NoError(t, err)
	}
	// EV-1 #1 is AR-1's opening, EV-2 #1 AR-2's, EV-1 #2 AR-3's.
	_, err := f.sealCase(f.judge, "IC-2", "sealed")
	require.NoError(t, err)
	_, err = f.revoke(f.judge, "AR-3", "revoked after opening")
	require.NoError(t, err)

	read := func(c *ledgertest.Client, evidenceID string, sequence int) func() error {
		return func() error { _, err := f.read(c, evidenceID, sequence, 1); return err }
	}
	readWith := func(transient []byte) func() error {
		return func() error {
			_, err := ledgertest.Eval(f.notary.WithTransient(evidence.TransientReaderKey, transient), func(ctx ctxT) (*evidence.SealedDelivery, error) {
				return f.c.ReadSealedContent(ctx, "EV-1", 1)
			})
			return err
		}
	}
	f.l.RunRefusals(t, []ledgertest.RefusalCase{
		{Name: "without an opening", Call: read(f.notary, "EV-1", 3), Want: ledgertest.Refused(foundation.ErrNotFound, `access log entry "EV-1 #3" not found`)},
		{Name: "without an opening, by an ungranted identity", Call: read(f.clerk, "EV-1", 9), Want: ledgertest.Refused(foundation.ErrNotFound, "not found")},
		{Name: "another reader's entry", Call: read(f.clerk, "EV-1", 1), Want: ledgertest.Refused(foundation.ErrAccessDenied, `ReadSealedContent called by InternetCourtMSP with role "clerk"; requires the reader named in access log entry EV-1 #1`)},
		{Name: "inspector", Call: read(f.inspector, "EV-1", 1), Want: ledgertest.Refused(foundation.ErrAccessDenied, "ReadSealedContent called by OversightMSP")},
		{Name: "grant revoked after the opening", Call: read(f.notary, "EV-1", 2), Want: ledgertest.Refused(foundation.ErrAccessDenied, "access request AR-3 was revoked")},
		{Name: "case sealed after the opening", Call: read(f.notary, "EV-2", 1), Want: ledgertest.Refused(foundation.ErrConflict, `case "IC-2" is sealed`)},
		{Name: "no reader key", Call: func() error {
			_, err := ledgertest.Eval(f.notary, func(ctx ctxT) (*evidence.SealedDelivery, error) { return f.c.ReadSealedContent(ctx, "EV-1", 1) })
			return err
		}, Want: ledgertest.Refused(foundation.ErrInvalidInput, `transient "readerKey"`, "required as transient data")},
		{Name: "short reader key", Call: readWith([]byte(`{"key":"00ff"}`)), Want: ledgertest.Refused(foundation.ErrInvalidInput, "key: must be 32 to 32 bytes")},
		{Name: "raw reader key", Call: readWith(bytes.Repeat([]byte{1}, 32)), Want: ledgertest.Refused(foundation.ErrInvalidInput, `transient "readerKey"`)},
		{Name: "reader key that is not secret", Call: readWith([]byte(`{"key":"` + strings.Repeat("00", 32) + `"}`)), Want: ledgertest.Refused(foundation.ErrInvalidInput, "key: is not secret: every byte is the same")},
		{Name: "sequence zero", Call: read(f.notary, "EV-1", 0), Want: ledgertest.Refused(foundation.ErrInvalidInput, "sequence: must be between 1 and 1048576")},
		{Name: "malformed evidence ID", Call: read(f.notary, "EV 1", 1), Want: ledgertest.Refused(foundation.ErrInvalidInput, "evidenceId")},
	})

	t.Run("within the access window only", func(t *testing.T) {
		entry, err := f.open(f.notary, "AR-1")
		require.NoError(t, err)
		for elapsed := time.Minute; elapsed < evidence.AccessWindow; elapsed += time.Minute {
			_, err := f.read(f.notary, "EV-1", entry.Sequence, 1)
			require.NoError(t, err, "%s after the opening", elapsed)
		}
		f.l.RequireRefused(t, ledgertest.Refused(foundation.ErrAccessDenied, "an access log entry opened within the last 15m0s", "open the content again"),
			read(f.notary, "EV-1", entry.Sequence))
	})
}

func TestRequestAccessRefusals(t *testing.T) {
	f := newFixture(t)
	f.openCaseWithExhibit("IC-1", newExhibit("EV-1", "IC-1", "content"))
	f.openCaseWithExhibit("IC-S", newExhibit("EV-S", "IC-S", "other content"))
	_, err := f.sealCase(f.judge, "IC-S", "sealed")
	require.NoError(t, err)
	_, err = f.requestAccess(f.clerk, f.accessRequest("AR-1", "EV-1", f.notary))
	require.NoError(t, err)

	valid := f.accessRequest("AR-2", "EV-1", f.notary)
	request := func(c *ledgertest.Client, req evidence.AccessRequestRequest) func() error {
		return func() error { _, err := f.requestAccess(c, req); return err }
	}
	modified := func(change func(*evidence.AccessRequestRequest)) evidence.AccessRequestRequest {
		r := valid
		change(&r)
		return r
	}
	f.l.RunRefusals(t, []ledgertest.RefusalCase{
		{Name: "judge", Call: request(f.judge, valid), Want: ledgertest.Refused(foundation.ErrAccessDenied, `RequestAccess called by InternetCourtMSP with role "judge"; requires role "clerk" in InternetCourtMSP`)},
		{Name: "notary", Call: request(f.notary, valid), Want: ledgertest.Refused(foundation.ErrAccessDenied, "NotaryOfficeMSP")},
		{Name: "inspector", Call: request(f.inspector, valid), Want: ledgertest.Refused(foundation.ErrAccessDenied, "OversightMSP")},
		{Name: "grantee outside the collection", Call: request(f.clerk, modified(func(r *evidence.AccessRequestRequest) { r.Grantee = f.grantee(f.inspector) })),
			Want: ledgertest.Refused(foundation.ErrInvalidInput, "grantee.mspId: must be one of InternetCourtMSP, NotaryOfficeMSP")},
		{Name: "grantee without certificate identity", Call: request(f.clerk, modified(func(r *evidence.AccessRequestRequest) { r.Grantee.ID = "" })), Want: ledgertest.Refused(foundation.ErrInvalidInput, "grantee.id: required")},
		{Name: "grantee by a bare name", Call: request(f.clerk, modified(func(r *evidence.AccessRequestRequest) { r.Grantee.ID = "notary" })), Want: ledgertest.Refused(foundation.ErrInvalidInput, `grantee.id: must be a certificate identity "x509::<subject DN>::<issuer DN>"`)},
		{Name: "purpose too long", Call: request(f.clerk, modified(func(r *evidence.AccessRequestRequest) { r.Purpose = strings.Repeat("p", evidence.MaxReasonLength+1) })), Want: ledgertest.Refused(foundation.ErrInvalidInput, "purpose: must be at most 500 characters")},
		{Name: "unknown evidence", Call: request(f.clerk, modified(func(r *evidence.AccessRequestRequest) { r.EvidenceID = "EV-404" })), Want: ledgertest.Refused(foundation.ErrNotFound, `evidence "EV-404" not found`)},
		{Name: "sealed case", Call: request(f.clerk, modified(func(r *evidence.AccessRequestRequest) { r.EvidenceID = "EV-S" })), Want: ledgertest.Refused(foundation.ErrConflict, `case "IC-S" is sealed`)},
		{Name: "duplicate request ID", Call: request(f.clerk, modified(func(r *evidence.AccessRequestRequest) { r.RequestID = "AR-1" })), Want: ledgertest.Refused(foundation.ErrAlreadyExists, `access request "AR-1" already exists: recorded for evidence EV-1`)},
		{Name: "status in the request", Call: func() error {
			_, err := ledgertest.Call(f.clerk, func(ctx ctxT) (*evidence.AccessRequest, error) {
				return f.c.RequestAccess(ctx, strings.Replace(toJSON(t, valid), `{`, `{"status":"granted",`, 1))
			})
			return err
		}, Want: ledgertest.Refused(foundation.ErrInvalidInput, "status: unknown field")},
	})
}

func TestAccessDecisionRefusals(t *testing.T) {
	f := newFixture(t)
	f.openCaseWithExhibit("IC-1", newExhibit("EV-1", "IC-1", "content"))
	f.openCaseWithExhibit("IC-S", newExhibit("EV-S", "IC-S", "other content"))
	for _, r := range []struct{ id, evidenceID string }{{"AR-PENDING", "EV-1"}, {"AR-DENIED", "EV-1"}, {"AR-S", "EV-S"}} {
		_, err := f.requestAccess(f.clerk, f.accessRequest(r.id, r.evidenceID, f.notary))
		require.NoError(t, err)
	}
	_, err := f.deny(f.judge, "AR-DENIED", "not needed")
	require.NoError(t, err)
	name, _ := f.lastEvent()
	assert.Equal(t, evidence.EventAccessDenied, name)
	f.grantedTo(f.notary, "AR-GRANTED", "EV-1", grantExpiry)
	_, err = f.sealCase(f.judge, "IC-S", "sealed")
	require.NoError(t, err)

	grantAs := func(c *ledgertest.Client, id, expiresAt string) func() error {
		return func() error { _, err := f.grant(c, id, expiresAt); return err }
	}
	denyAs := func(c *ledgertest.Client, id, reason string) func() error {
		return func() error { _, err := f.deny(c, id, reason); return err }
	}
	revokeAs := func(c *ledgertest.Client, id, reason string) func() error {
		return func() error { _, err := f.revoke(c, id, reason); return err }
	}
	f.l.RunRefusals(t, []ledgertest.RefusalCase{
		{Name: "clerk grants", Call: grantAs(f.clerk, "AR-PENDING", grantExpiry), Want: ledgertest.Refused(foundation.ErrAccessDenied, `GrantAccess called by InternetCourtMSP with role "clerk"; requires role "judge" in InternetCourtMSP`)},
		{Name: "notary grants", Call: grantAs(f.notary, "AR-PENDING", grantExpiry), Want: ledgertest.Refused(foundation.ErrAccessDenied, "NotaryOfficeMSP")},
		{Name: "judge role in the notary office denies", Call: denyAs(f.l.As(notaryOffice, consortium.RoleJudge), "AR-PENDING", "x"), Want: ledgertest.Refused(foundation.ErrAccessDenied, `DenyAccess called by NotaryOfficeMSP with role "judge"`)},
		{Name: "inspector revokes", Call: revokeAs(f.inspector, "AR-GRANTED", "x"), Want: ledgertest.Refused(foundation.ErrAccessDenied, "RevokeAccess called by OversightMSP")},
		{Name: "expiry in the past", Call: grantAs(f.judge, "AR-PENDING", "2025-08-31T00:00:00Z"), Want: ledgertest.Refused(foundation.ErrInvalidInput, "expiresAt: must be after the transaction")},
		{Name: "expiry too far", Call: grantAs(f.judge, "AR-PENDING", "2026-01-01T00:00:00Z"), Want: ledgertest.Refused(foundation.ErrInvalidInput, "at most 2160h0m0s after it")},
		{Name: "expiry not a time", Call: grantAs(f.judge, "AR-PENDING", "next Friday"), Want: ledgertest.Refused(foundation.ErrInvalidInput, "expiresAt: must be an RFC 3339 time")},
		{Name: "expiry missing", Call: grantAs(f.judge, "AR-PENDING", ""), Want: ledgertest.Refused(foundation.ErrInvalidInput, "expiresAt: required")},
		{Name: "grant a granted request", Call: grantAs(f.judge, "AR-GRANTED", grantExpiry), Want: ledgertest.Refused(foundation.ErrConflict, `access request "AR-GRANTED" is granted; only a pending request can be granted`)},
		{Name: "grant a denied request", Call: grantAs(f.judge, "AR-DENIED", grantExpiry), Want: ledgertest.Refused(foundation.ErrConflict, "is denied")},
		{Name: "grant in a sealed case", Call: grantAs(f.judge, "AR-S", grantExpiry), Want: ledgertest.Refused(foundation.ErrConflict, `case "IC-S" is sealed`)},
		{Name: "grant an unknown request", Call: grantAs(f.judge, "AR-404", grantExpiry), Want: ledgertest.Refused(foundation.ErrNotFound, `access request "AR-404" not found`)},
		{Name: "deny a granted request", Call: denyAs(f.judge, "AR-GRANTED", "x"), Want: ledgertest.Refused(foundation.ErrConflict, "is granted; only a pending request can be denied")},
		{Name: "revoke a pending request", Call: revokeAs(f.judge, "AR-PENDING", "x"), Want: ledgertest.Refused(foundation.ErrConflict, "is pending; only a granted request can be revoked")},
		{Name: "deny without reason", Call: denyAs(f.judge, "AR-PENDING", ""), Want: ledgertest.Refused(foundation.ErrInvalidInput, "reason: required")},
		{Name: "revoke with an oversized reason", Call: revokeAs(f.judge, "AR-GRANTED", strings.Repeat("r", evidence.MaxReasonLength+1)), Want: ledgertest.Refused(foundation.ErrInvalidInput, "reason: must be at most 500 characters")},
	})
}

func TestWhoAmI(t *testing.T) {
	f := newFixture(t)
	me := f.whoAmI(f.notary)
	assert.Equal(t, notaryOffice, me.MSPID)
	assert.Equal(t, consortium.RoleNotary, me.Role)
	assert.True(t, strings.HasPrefix(me.ID, "x509::CN=notary,OU=client,O=NotaryOfficeMSP::"), me.ID)
	assert.Equal(t, oversight, f.whoAmI(f.inspector).MSPID)
	_, err := ledgertest.Eval(f.l.As("StrangerMSP", consortium.RoleAdmin), func(ctx ctxT) (*foundation.Caller, error) { return f.c.WhoAmI(ctx) })
	assert.ErrorIs(t, err, foundation.ErrAccessDenied)
}
