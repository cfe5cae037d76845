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
	assert.Equal(t, []string{"create evd.request InternetCourtMSP,NotaryOfficeMSP"}, changes(ev))

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
	assert.Equal(t, []string{"put evd.accesslog InternetCourtMSP,NotaryOfficeMSP", "update evd.evidence"}, changes(ev))
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

	f.l.RequireRefused(t, refused(foundation.ErrNotFound, `access log entry "EV-1 #1" not found`), func() error {
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
	runRefusals(t, f, []refusalCase{
		{"inspector", open(f.inspector, "AR-NOTARY"), refused(foundation.ErrAccessDenied, "OpenSealedContent called by OversightMSP", "requires any identity of InternetCourtMSP or NotaryOfficeMSP")},
		{"another channel's member", open(f.l.As(consortium.EduMinistryMSP, consortium.RoleOfficer), "AR-NOTARY"), refused(foundation.ErrAccessDenied, "EduMinistryMSP")},
		{"wrong organisation", open(f.notary, "AR-ACCOUNTANT"), refused(foundation.ErrAccessDenied, `called by NotaryOfficeMSP with role "notary"; requires the grantee of access request AR-ACCOUNTANT (an identity of InternetCourtMSP named by its certificate)`)},
		{"same organisation, another certificate", open(f.clerk, "AR-ACCOUNTANT"), refused(foundation.ErrAccessDenied, "the grantee of access request AR-ACCOUNTANT")},
		{"another notary office identity", open(f.l.As(notaryOffice, consortium.RoleAdmin), "AR-NOTARY"), refused(foundation.ErrAccessDenied, "the grantee of access request AR-NOTARY")},
		{"pending request", open(f.notary, "AR-PENDING"), refused(foundation.ErrAccessDenied, "requires a current grant, and access request AR-PENDING is pending")},
		{"denied request", open(f.notary, "AR-DENIED"), refused(foundation.ErrAccessDenied, "access request AR-DENIED is denied")},
		{"revoked grant", open(f.notary, "AR-REVOKED"), refused(foundation.ErrAccessDenied, "access request AR-REVOKED was revoked at 2025-09-01T08:")},
		{"sealed case", open(f.notary, "AR-SEALED"), refused(foundation.ErrConflict, `case "IC-SEALED" is sealed`)},
		{"no such request", open(f.notary, "AR-404"), refused(foundation.ErrNotFound, `access request "AR-404" not found`)},
		{"malformed request", func() error {
			_, err := ledgertest.Call(f.notary, func(ctx ctxT) (*evidence.AccessLogEntry, error) {
				return f.c.OpenSealedContent(ctx, `{"requestId":"AR-NOTARY","reader":"x509::CN=notary"}`)
			})
			return err
		}, refused(foundation.ErrInvalidInput, "reader: unknown field")},
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

	want := refused(foundation.ErrAccessDenied, "the grant of access request AR-1 expired at "+expiry.Format(evidence.TimeLayout))
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
	runRefusals(t, f, []refusalCase{
		{"without an opening", read(f.notary, "EV-1", 3), refused(foundation.ErrNotFound, `access log entry "EV-1 #3" not found`)},
		{"without an opening, by an ungranted identity", read(f.clerk, "EV-1", 9), refused(foundation.ErrNotFound, "not found")},
		{"another reader's entry", read(f.clerk, "EV-1", 1), refused(foundation.ErrAccessDenied, `ReadSealedContent called by InternetCourtMSP with role "clerk"; requires the reader named in access log entry EV-1 #1`)},
		{"inspector", read(f.inspector, "EV-1", 1), refused(foundation.ErrAccessDenied, "ReadSealedContent called by OversightMSP")},
		{"grant revoked after the opening", read(f.notary, "EV-1", 2), refused(foundation.ErrAccessDenied, "access request AR-3 was revoked")},
		{"case sealed after the opening", read(f.notary, "EV-2", 1), refused(foundation.ErrConflict, `case "IC-2" is sealed`)},
		{"no reader key", func() error {
			_, err := ledgertest.Eval(f.notary, func(ctx ctxT) (*evidence.SealedDelivery, error) { return f.c.ReadSealedContent(ctx, "EV-1", 1) })
			return err
		}, refused(foundation.ErrInvalidInput, `transient "readerKey"`, "required as transient data")},
		{"short reader key", readWith([]byte(`{"key":"00ff"}`)), refused(foundation.ErrInvalidInput, "key: must be 32 to 32 bytes")},
		{"raw reader key", readWith(bytes.Repeat([]byte{1}, 32)), refused(foundation.ErrInvalidInput, `transient "readerKey"`)},
		{"reader key that is not secret", readWith([]byte(`{"key":"` + strings.Repeat("00", 32) + `"}`)), refused(foundation.ErrInvalidInput, "key: is not secret: every byte is the same")},
		{"sequence zero", read(f.notary, "EV-1", 0), refused(foundation.ErrInvalidInput, "sequence: must be between 1 and 1048576")},
		{"malformed evidence ID", read(f.notary, "EV 1", 1), refused(foundation.ErrInvalidInput, "evidenceId")},
	})

	t.Run("within the access window only", func(t *testing.T) {
		entry, err := f.open(f.notary, "AR-1")
		require.NoError(t, err)
		for elapsed := time.Minute; elapsed < evidence.AccessWindow; elapsed += time.Minute {
			_, err := f.read(f.notary, "EV-1", entry.Sequence, 1)
			require.NoError(t, err, "%s after the opening", elapsed)
		}
		f.l.RequireRefused(t, refused(foundation.ErrAccessDenied, "an access log entry opened within the last 15m0s", "open the content again"),
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
	runRefusals(t, f, []refusalCase{
		{"judge", request(f.judge, valid), refused(foundation.ErrAccessDenied, `RequestAccess called by InternetCourtMSP with role "judge"; requires role "clerk" in InternetCourtMSP`)},
		{"notary", request(f.notary, valid), refused(foundation.ErrAccessDenied, "NotaryOfficeMSP")},
		{"inspector", request(f.inspector, valid), refused(foundation.ErrAccessDenied, "OversightMSP")},
		{"grantee outside the collection", request(f.clerk, modified(func(r *evidence.AccessRequestRequest) { r.Grantee = f.grantee(f.inspector) })),
			refused(foundation.ErrInvalidInput, "grantee.mspId: must be one of InternetCourtMSP, NotaryOfficeMSP")},
		{"grantee without certificate identity", request(f.clerk, modified(func(r *evidence.AccessRequestRequest) { r.Grantee.ID = "" })), refused(foundation.ErrInvalidInput, "grantee.id: required")},
		{"grantee by a bare name", request(f.clerk, modified(func(r *evidence.AccessRequestRequest) { r.Grantee.ID = "notary" })), refused(foundation.ErrInvalidInput, `grantee.id: must be a certificate identity "x509::<subject DN>::<issuer DN>"`)},
		{"purpose too long", request(f.clerk, modified(func(r *evidence.AccessRequestRequest) { r.Purpose = strings.Repeat("p", evidence.MaxReasonLength+1) })), refused(foundation.ErrInvalidInput, "purpose: must be at most 500 characters")},
		{"unknown evidence", request(f.clerk, modified(func(r *evidence.AccessRequestRequest) { r.EvidenceID = "EV-404" })), refused(foundation.ErrNotFound, `evidence "EV-404" not found`)},
		{"sealed case", request(f.clerk, modified(func(r *evidence.AccessRequestRequest) { r.EvidenceID = "EV-S" })), refused(foundation.ErrConflict, `case "IC-S" is sealed`)},
		{"duplicate request ID", request(f.clerk, modified(func(r *evidence.AccessRequestRequest) { r.RequestID = "AR-1" })), refused(foundation.ErrAlreadyExists, `access request "AR-1" already exists: recorded for evidence EV-1`)},
		{"status in the request", func() error {
			_, err := ledgertest.Call(f.clerk, func(ctx ctxT) (*evidence.AccessRequest, error) {
				return f.c.RequestAccess(ctx, strings.Replace(toJSON(t, valid), `{`, `{"status":"granted",`, 1))
			})
			return err
		}, refused(foundation.ErrInvalidInput, "status: unknown field")},
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
	runRefusals(t, f, []refusalCase{
		{"clerk grants", grantAs(f.clerk, "AR-PENDING", grantExpiry), refused(foundation.ErrAccessDenied, `GrantAccess called by InternetCourtMSP with role "clerk"; requires role "judge" in InternetCourtMSP`)},
		{"notary grants", grantAs(f.notary, "AR-PENDING", grantExpiry), refused(foundation.ErrAccessDenied, "NotaryOfficeMSP")},
		{"judge role in the notary office denies", denyAs(f.l.As(notaryOffice, consortium.RoleJudge), "AR-PENDING", "x"), refused(foundation.ErrAccessDenied, `DenyAccess called by NotaryOfficeMSP with role "judge"`)},
		{"inspector revokes", revokeAs(f.inspector, "AR-GRANTED", "x"), refused(foundation.ErrAccessDenied, "RevokeAccess called by OversightMSP")},
		{"expiry in the past", grantAs(f.judge, "AR-PENDING", "2025-08-31T00:00:00Z"), refused(foundation.ErrInvalidInput, "expiresAt: must be after the transaction")},
		{"expiry too far", grantAs(f.judge, "AR-PENDING", "2026-01-01T00:00:00Z"), refused(foundation.ErrInvalidInput, "at most 2160h0m0s after it")},
		{"expiry not a time", grantAs(f.judge, "AR-PENDING", "next Friday"), refused(foundation.ErrInvalidInput, "expiresAt: must be an RFC 3339 time")},
		{"expiry missing", grantAs(f.judge, "AR-PENDING", ""), refused(foundation.ErrInvalidInput, "expiresAt: required")},
		{"grant a granted request", grantAs(f.judge, "AR-GRANTED", grantExpiry), refused(foundation.ErrConflict, `access request "AR-GRANTED" is granted; only a pending request can be granted`)},
		{"grant a denied request", grantAs(f.judge, "AR-DENIED", grantExpiry), refused(foundation.ErrConflict, "is denied")},
		{"grant in a sealed case", grantAs(f.judge, "AR-S", grantExpiry), refused(foundation.ErrConflict, `case "IC-S" is sealed`)},
		{"grant an unknown request", grantAs(f.judge, "AR-404", grantExpiry), refused(foundation.ErrNotFound, `access request "AR-404" not found`)},
		{"deny a granted request", denyAs(f.judge, "AR-GRANTED", "x"), refused(foundation.ErrConflict, "is granted; only a pending request can be denied")},
		{"revoke a pending request", revokeAs(f.judge, "AR-PENDING", "x"), refused(foundation.ErrConflict, "is pending; only a granted request can be revoked")},
		{"deny without reason", denyAs(f.judge, "AR-PENDING", ""), refused(foundation.ErrInvalidInput, "reason: required")},
		{"revoke with an oversized reason", revokeAs(f.judge, "AR-GRANTED", strings.Repeat("r", evidence.MaxReasonLength+1)), refused(foundation.ErrInvalidInput, "reason: must be at most 500 characters")},
	})
}

func TestWhoAmI(t *testing.T) {
	f := newFixture(t)
	me := f.whoAmI(f.notary)
	assert.Equal(t, notaryOffice, me.MSPID)
	assert.Equal(t, consortium.RoleNotary, me.Role)
	assert.True(t, strings.HasPrefix(me.ID, "x509::CN=notary,OU=client,O=NotaryOfficeMSP::"), me.ID)
	assert.Equal(t, oversight, f.whoAmI(f.inspector).MSPID)
	_, err := ledgertest.Eval(f.l.As(consortium.OrdererOrgMSP, consortium.RoleAdmin), func(ctx ctxT) (*foundation.Caller, error) { return f.c.WhoAmI(ctx) })
	assert.ErrorIs(t, err, foundation.ErrAccessDenied)
}
