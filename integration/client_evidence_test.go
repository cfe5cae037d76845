//go:build integration

package integration

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/evidence"
	"github.com/govshare/govshare/chaincode/foundation"
	govclient "github.com/govshare/govshare/gateway-client"
)

// courtRoles are sessions of every role that works on the
// judicial-evidence channel. Each organisation has one client, which waits
// after every commit until the other members' peers have it too: the next
// write is endorsed by the court's and the notary office's peers both.
type courtRoles struct {
	clerk, judge, notary, inspector *govclient.Evidence
}

func evidenceRoles(t *testing.T) courtRoles {
	t.Helper()
	clients := map[string]*govclient.Client{}
	as := func(org, role string) *govclient.Evidence {
		c, ok := clients[org]
		if !ok {
			o, err := testNetwork.Spec.Organization(org)
			require.NoError(t, err)
			c, err = govclient.Open(testNetwork.OrgDir(o), govclient.WithMemberSync(time.Minute))
			require.NoError(t, err)
			t.Cleanup(func() { c.Close() })
			clients[org] = c
		}
		s, err := c.As(role)
		require.NoError(t, err)
		return s.Evidence()
	}
	return courtRoles{
		clerk: as("InternetCourt", "clerk"), judge: as("InternetCourt", "judge"),
		notary: as("NotaryOffice", "notary"), inspector: as("Oversight", "inspector"),
	}
}

// requireRefused checks that err is a refusal by the chaincode whose
// message contains want.
func requireRefused(t *testing.T, err error, want string) {
	t.Helper()
	var txErr *govclient.TxError
	require.ErrorAs(t, err, &txErr)
	assert.Contains(t, txErr.Message(), want)
}

func evidenceRequest(caseID, evidenceID string) evidence.SubmitEvidenceRequest {
	return evidence.SubmitEvidenceRequest{
		EvidenceID: evidenceID, CaseID: caseID, MediaType: "text/plain", Description: "chat transcript exported from the platform",
		Provenance: evidence.ProvenanceInput{Tool: "WebCapture 3.2", CapturedAt: time.Now().UTC().Add(-time.Hour).Format(time.RFC3339),
			Source: "https://chat.example/thread/17"},
	}
}

// TestEvidenceViewThroughTheNetwork calls every method of the evidence
// view on the real network, as the role that may, and checks what each
// wrote or read, and that refused calls wrote nothing.
func TestEvidenceViewThroughTheNetwork(t *testing.T) {
	ctx := testContext(t)
	r := evidenceRoles(t)
	caseID := unique("IC")
	chatID, photoID, videoID := unique("EV-CHAT"), unique("EV-PHOTO"), unique("EV-VIDEO")
	dir := t.TempDir()

	notaryID, err := r.notary.WhoAmI(ctx)
	require.NoError(t, err)
	assert.Equal(t, "NotaryOfficeMSP", notaryID.MSPID)
	assert.Equal(t, "notary", notaryID.Role)
	judgeID, err := r.judge.WhoAmI(ctx)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(judgeID.ID, "x509::"), judgeID.ID)

	// A case, with its parties' names in the private collection only.
	names := evidence.PartyNames{Parties: []evidence.PartyName{{Ref: "P1", Name: "Example Trading Ltd"}, {Ref: "P2", Name: "Jane Example"}}}
	kase, receipt, err := r.clerk.OpenCase(ctx, evidence.OpenCaseRequest{CaseID: caseID, Court: "Internet Court of Example City", CaseType: "online contract dispute",
		Parties: []evidence.Party{{Ref: "P1", Role: evidence.PartyPlaintiff}, {Ref: "P2", Role: evidence.PartyDefendant}}}, names)
	require.NoError(t, err)
	assert.Equal(t, evidence.CaseOpen, kase.Status)
	assert.Equal(t, "InternetCourtMSP", kase.OpenedBy.MSPID)
	assert.NotEmpty(t, receipt.TransactionID)
	parties, err := r.notary.GetCaseParties(ctx, caseID)
	require.NoError(t, err)
	assert.Equal(t, names.Parties, parties.Parties)
	_, err = r.inspector.GetCaseParties(ctx, caseID)
	requireRefused(t, err, "access denied: GetCaseParties called by OversightMSP")

	// Three items: a file sealed as content, raw bytes sealed by the notary,
	// and a file over 1 MiB whose key is sealed instead.
	chatFile := filepath.Join(dir, "chat.txt")
	chat := []byte("seller: the price of 1,200 is final (" + chatID + ")\n")
	require.NoError(t, os.WriteFile(chatFile, chat, 0o600))
	submitted, _, err := r.clerk.SubmitEvidenceFile(ctx, evidenceRequest(caseID, chatID), chatFile)
	require.NoError(t, err)
	assert.Equal(t, foundation.SHA256Hex(chat), submitted.ContentSHA256)
	assert.Equal(t, int64(len(chat)), submitted.SizeBytes)
	assert.Equal(t, evidence.SealedAsContent, submitted.SealedAs)
	assert.Equal(t, "InternetCourtMSP", submitted.SubmittedBy.MSPID, "the submitter comes from the certificate")

	photo := []byte("\x89PNG screenshot of " + photoID)
	photoReq := evidenceRequest(caseID, photoID)
	photoReq.MediaType, photoReq.ContentSHA256, photoReq.SizeBytes, photoReq.SealedAs = "image/png", foundation.SHA256Hex(photo), int64(len(photo)), evidence.SealedAsContent
	_, _, err = r.notary.SubmitEvidence(ctx, photoReq, photo)
	require.NoError(t, err)

	videoFile := filepath.Join(dir, "recording.mp4")
	video := make([]byte, evidence.MaxContentBytes+1)
	copy(video, videoID)
	require.NoError(t, os.WriteFile(videoFile, video, 0o600))
	_, _, err = r.notary.SubmitEvidenceFile(ctx, evidenceRequest(caseID, videoID), videoFile)
	require.ErrorIs(t, err, govclient.ErrContentTooLarge, "too large to seal: refused before anything is sent")
	videoKey, err := govclient.NewContentKey()
	require.NoError(t, err)
	videoReq := evidenceRequest(caseID, videoID)
	videoReq.MediaType = "video/mp4"
	keyed, _, err := r.notary.SubmitEvidenceFileWithKey(ctx, videoReq, videoFile, videoKey)
	require.NoError(t, err)
	assert.Equal(t, evidence.SealedAsKey, keyed.SealedAs)
	assert.Equal(t, foundation.SHA256Hex(video), keyed.ContentSHA256, "the ledger verifies the plain file")
	assert.Equal(t, foundation.SHA256Hex(videoKey), keyed.SealedSHA256)

	// The same content again in the case is refused, and nothing is written.
	copyID := unique("EV-COPY")
	_, _, err = r.clerk.SubmitEvidenceFile(ctx, evidenceRequest(caseID, copyID), chatFile)
	requireRefused(t, err, "holds it as evidence "+chatID)
	_, err = r.inspector.GetEvidence(ctx, copyID)
	requireRefused(t, err, "not found")

	// Attestation and custody, read back in order.
	n, _, err := r.notary.NotariseEvidence(ctx, evidence.NotariseRequest{EvidenceID: chatID, Statement: "captured in my presence"})
	require.NoError(t, err)
	assert.Equal(t, 1, n.Sequence)
	notarisations, err := r.inspector.GetNotarisations(ctx, chatID)
	require.NoError(t, err)
	require.Len(t, notarisations.Notarisations, 1)
	assert.Equal(t, "NotaryOfficeMSP", notarisations.Notarisations[0].Notary.MSPID)
	for _, c := range []evidence.CustodyEventRequest{
		{EvidenceID: chatID, Action: evidence.CustodyReceived, Counterparty: "plaintiff's counsel"},
		{EvidenceID: chatID, Action: evidence.CustodyTransferred, Counterparty: "forensic laboratory", Note: "sealed bag 17"},
	} {
		_, _, err := r.clerk.RecordCustodyEvent(ctx, c)
		require.NoError(t, err)
	}
	chain, err := r.inspector.GetCustodyChain(ctx, chatID)
	require.NoError(t, err)
	require.Len(t, chain.Events, 2)
	assert.Equal(t, []string{evidence.CustodyReceived, evidence.CustodyTransferred}, []string{chain.Events[0].Action, chain.Events[1].Action})
	assert.Equal(t, []int{1, 2}, []int{chain.Events[0].Sequence, chain.Events[1].Sequence})

	record, err := r.inspector.GetEvidence(ctx, chatID)
	require.NoError(t, err)
	assert.Equal(t, 1, record.Notarisations)
	assert.Equal(t, 2, record.CustodyEvents)
	history, err := r.inspector.GetEvidenceHistory(ctx, chatID)
	require.NoError(t, err)
	assert.Len(t, history.Revisions, 4, "submitted, notarised, received, transferred")

	// Verification by hash, by anyone on the channel.
	v, err := r.inspector.VerifyEvidenceByHash(ctx, foundation.SHA256Hex(chat))
	require.NoError(t, err)
	require.True(t, v.Found)
	require.Len(t, v.Submissions, 1)
	assert.Equal(t, chatID, v.Submissions[0].EvidenceID)
	assert.Equal(t, caseID, v.Submissions[0].CaseID)
	assert.True(t, v.Submissions[0].Notarised)
	assert.Equal(t, 2, v.Submissions[0].CustodyChainLength)
	v, err = r.inspector.VerifyEvidenceByHash(ctx, foundation.SHA256Hex(append(chat, '!')))
	require.NoError(t, err)
	assert.False(t, v.Found)

	// The case summary, one item per page.
	var listed []string
	bookmark := ""
	for page := 0; page < 5; page++ {
		summary, err := r.inspector.GetCaseSummary(ctx, caseID, 1, bookmark)
		require.NoError(t, err)
		for _, e := range summary.Evidence {
			listed = append(listed, e.EvidenceID)
		}
		if bookmark = summary.Bookmark; bookmark == "" {
			break
		}
	}
	assert.ElementsMatch(t, []string{chatID, photoID, videoID}, listed, "every item once, across pages")

	// Access: requested, refused while pending, granted, read (logged).
	requestID := unique("AR")
	ar, _, err := r.clerk.RequestAccess(ctx, evidence.AccessRequestRequest{RequestID: requestID, EvidenceID: chatID,
		Grantee: evidence.Grantee{MSPID: notaryID.MSPID, ID: notaryID.ID}, Purpose: "the notary office reviews the capture"})
	require.NoError(t, err)
	assert.Equal(t, evidence.AccessPending, ar.Status)
	_, opened, err := r.notary.ReadSealed(ctx, requestID)
	requireRefused(t, err, "access request "+requestID+" is pending")
	assert.Nil(t, opened, "nothing was committed")
	log, err := r.inspector.GetAccessLog(ctx, chatID, 0, "")
	require.NoError(t, err)
	assert.Empty(t, log.Entries, "a refused opening is not logged")

	_, _, err = r.judge.GrantAccess(ctx, evidence.GrantAccessRequest{RequestID: requestID, ExpiresAt: time.Now().UTC().Add(time.Hour).Format(time.RFC3339)})
	require.NoError(t, err)
	sealed, opened, err := r.notary.ReadSealed(ctx, requestID)
	require.NoError(t, err)
	assert.Equal(t, chat, sealed.Data, "the grantee reads the sealed content")
	assert.Equal(t, evidence.SealedAsContent, sealed.SealedAs)
	assert.Equal(t, *notaryID, sealed.Entry.Reader)
	assert.Equal(t, opened.TransactionID, sealed.Entry.TxID, "the Result is the opening's transaction")

	// The same two steps one by one.
	entry, _, err := r.notary.OpenSealedContent(ctx, evidence.OpenSealedContentRequest{RequestID: requestID})
	require.NoError(t, err)
	assert.Equal(t, 2, entry.Sequence)
	readerKey, err := govclient.NewContentKey() // 32 random bytes, as a reader key must be
	require.NoError(t, err)
	delivery, err := r.notary.ReadSealedContent(ctx, chatID, entry.Sequence, readerKey)
	require.NoError(t, err)
	plain, err := delivery.Open(readerKey)
	require.NoError(t, err)
	assert.Equal(t, chat, plain)
	_, err = r.clerk.ReadSealedContent(ctx, chatID, entry.Sequence, readerKey)
	requireRefused(t, err, "requires the reader named in access log entry")

	log, err = r.inspector.GetAccessLog(ctx, chatID, 0, "")
	require.NoError(t, err)
	require.Len(t, log.Entries, 2)
	assert.Equal(t, requestID, log.Entries[0].RequestID)
	assert.Equal(t, "NotaryOfficeMSP", log.Entries[1].Reader.MSPID)

	// A grant to a court identity of the item whose key is sealed: the
	// judge reads the key.
	keyRequest := unique("AR-KEY")
	_, _, err = r.clerk.RequestAccess(ctx, evidence.AccessRequestRequest{RequestID: keyRequest, EvidenceID: videoID,
		Grantee: evidence.Grantee{MSPID: judgeID.MSPID, ID: judgeID.ID}, Purpose: "the judge views the recording"})
	require.NoError(t, err)
	_, _, err = r.judge.GrantAccess(ctx, evidence.GrantAccessRequest{RequestID: keyRequest, ExpiresAt: time.Now().UTC().Add(time.Hour).Format(time.RFC3339)})
	require.NoError(t, err)
	sealedKey, _, err := r.judge.ReadSealed(ctx, keyRequest)
	require.NoError(t, err)
	assert.Equal(t, evidence.SealedAsKey, sealedKey.SealedAs)
	assert.Equal(t, videoKey, sealedKey.Data)

	// Denied and revoked requests, and their history.
	deniedID := unique("AR-DENIED")
	_, _, err = r.clerk.RequestAccess(ctx, evidence.AccessRequestRequest{RequestID: deniedID, EvidenceID: photoID,
		Grantee: evidence.Grantee{MSPID: notaryID.MSPID, ID: notaryID.ID}, Purpose: "curiosity"})
	require.NoError(t, err)
	denied, _, err := r.judge.DenyAccess(ctx, evidence.AccessDecisionRequest{RequestID: deniedID, Reason: "no need shown"})
	require.NoError(t, err)
	assert.Equal(t, evidence.AccessDenied, denied.Status)
	requestHistory, err := r.inspector.GetAccessRequestHistory(ctx, deniedID)
	require.NoError(t, err)
	assert.Len(t, requestHistory.Revisions, 2, "requested, then denied")

	revoked, _, err := r.judge.RevokeAccess(ctx, evidence.AccessDecisionRequest{RequestID: requestID, Reason: "review finished"})
	require.NoError(t, err)
	assert.Equal(t, evidence.AccessRevoked, revoked.Status)
	got, err := r.inspector.GetAccessRequest(ctx, requestID)
	require.NoError(t, err)
	require.NotNil(t, got.Revocation)
	_, _, err = r.notary.ReadSealed(ctx, requestID)
	requireRefused(t, err, "was revoked")

	// Closing and sealing the case.
	closed, _, err := r.judge.CloseCase(ctx, evidence.CaseDecisionRequest{CaseID: caseID, Reason: "judgment delivered"})
	require.NoError(t, err)
	assert.Equal(t, evidence.CaseClosed, closed.Status)
	lateFile := filepath.Join(dir, "late.txt")
	require.NoError(t, os.WriteFile(lateFile, []byte("late evidence "+caseID), 0o600))
	_, _, err = r.clerk.SubmitEvidenceFile(ctx, evidenceRequest(caseID, unique("EV-LATE")), lateFile)
	requireRefused(t, err, "is closed")
	sealedCase, _, err := r.judge.SealCase(ctx, evidence.CaseDecisionRequest{CaseID: caseID, Reason: "minors involved"})
	require.NoError(t, err)
	assert.Equal(t, evidence.CaseSealed, sealedCase.Status)
	_, _, err = r.judge.ReadSealed(ctx, keyRequest)
	requireRefused(t, err, "is sealed")
	caseHistory, err := r.inspector.GetCaseHistory(ctx, caseID)
	require.NoError(t, err)
	assert.Len(t, caseHistory.Revisions, 3, "opened, closed, sealed")
	summary, err := r.inspector.GetCaseSummary(ctx, caseID, 0, "")
	require.NoError(t, err)
	assert.Len(t, summary.Evidence, 3, "the refused submissions left nothing")
}

// TestGovctlEvidenceFlow runs one judicial-evidence flow through govctl
// as each role in turn, including a refused write, and checks that party
// names and sealed content are printed nowhere but where asked for.
func TestGovctlEvidenceFlow(t *testing.T) {
	caseID, evidenceID, requestID := unique("IC-CLI"), unique("EV-CLI"), unique("AR-CLI")
	clerk := []string{"--org", "InternetCourt", "--as", "clerk"}
	judge := []string{"--org", "InternetCourt", "--as", "judge"}
	notary := []string{"--org", "NotaryOffice", "--as", "notary"}
	inspector := []string{"--org", "Oversight", "--as", "inspector"}
	dir := t.TempDir()
	content := "seller: the price is final (" + evidenceID + ")\n"
	file := filepath.Join(dir, "chat.txt")
	require.NoError(t, os.WriteFile(file, []byte(content), 0o600))

	ok := func(args ...string) string {
		t.Helper()
		stdout, stderr, code := govctl(t, args...)
		require.Equal(t, 0, code, "govctl %s\n%s", strings.Join(args, " "), stderr)
		assert.NotContains(t, stdout+stderr, "Jane Example", "a party's name is printed")
		return stdout
	}

	stdout := ok(append(clerk, "case", "open", "--id", caseID, "--court", "Internet Court of Example City",
		"--type", "online contract dispute", "--party", "P1:plaintiff:Example Trading Ltd", "--party", "P2:defendant:Jane Example")...)
	assert.Contains(t, stdout, "case "+caseID)
	assert.Contains(t, stdout, "P2 (defendant)")

	stdout = ok(append(clerk, "evidence", "submit", "--case", caseID, "--id", evidenceID, "--description", "chat transcript",
		"--tool", "WebCapture 3.2", "--captured-at", time.Now().UTC().Add(-time.Hour).Format(time.RFC3339), "--source", "https://chat.example/1", file)...)
	assert.Contains(t, stdout, "evidence "+evidenceID+" in case "+caseID+": text/plain")
	assert.NotContains(t, stdout, "price is final", "sealed content is printed")

	ok(append(notary, "evidence", "notarise", evidenceID, "--statement", "captured in my presence")...)
	ok(append(clerk, "evidence", "custody", "add", evidenceID, "--action", "received", "--counterparty", "plaintiff's counsel")...)

	var me foundation.Caller
	require.NoError(t, json.Unmarshal([]byte(ok(append(notary, "--json", "whoami")...)), &me))
	ok(append(clerk, "access", "request", "--id", requestID, "--evidence", evidenceID, "--grantee-msp", me.MSPID,
		"--grantee-id", me.ID, "--purpose", "review of the capture")...)
	stdout = ok(append(judge, "access", "grant", requestID, "--for", "1h", "--reason", "hearing")...)
	assert.Contains(t, stdout, "granted by InternetCourtMSP judge")

	out := filepath.Join(dir, "opened.txt")
	stdout = ok(append(notary, "access", "open", requestID, "--out", out)...)
	assert.NotContains(t, stdout, "price is final", "sealed content is printed")
	assert.Contains(t, stdout, "wrote")
	opened, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, content, string(opened))

	var log evidence.AccessLogPage
	require.NoError(t, json.Unmarshal([]byte(ok(append(inspector, "--json", "access", "log", evidenceID)...)), &log))
	require.Len(t, log.Entries, 1)
	assert.Equal(t, me, log.Entries[0].Reader)

	stdout = ok(append(inspector, "evidence", "verify", file)...)
	assert.Contains(t, stdout, "FOUND: SHA-256")
	assert.Contains(t, stdout, "evidence "+evidenceID+" in case "+caseID+", by InternetCourtMSP clerk")
	assert.Contains(t, stdout, "notarised (1), custody chain of 1 event(s)")
	tampered := filepath.Join(dir, "tampered.txt")
	require.NoError(t, os.WriteFile(tampered, []byte(strings.Replace(content, "final", "negotiable", 1)), 0o600))
	stdout = ok(append(inspector, "evidence", "verify", tampered)...)
	assert.Contains(t, stdout, "NOT FOUND")

	// A refused write: exit 1, the contract's reason, nothing written.
	stdout, stderr, code := govctl(t, append(inspector, "evidence", "notarise", evidenceID, "--statement", "forged")...)
	assert.Equal(t, 1, code, "a refused write exits 1")
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "NotariseEvidence on judicial-evidence/evidence was refused")
	assert.Contains(t, stderr, `called by OversightMSP with role "inspector"`)
	assert.Contains(t, stderr, `requires role "notary"`)
	var shown struct {
		Evidence evidence.Evidence `json:"evidence"`
	}
	require.NoError(t, json.Unmarshal([]byte(ok(append(inspector, "--json", "evidence", "show", evidenceID)...)), &shown))
	assert.Equal(t, 1, shown.Evidence.Notarisations, "the refused attestation left nothing")

	stdout = ok(append(inspector, "case", "show", caseID)...)
	assert.Contains(t, stdout, evidenceID)
}
