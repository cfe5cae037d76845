//go:build integration

package integration

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/evidence"
	"github.com/govshare/govshare/chaincode/foundation"
	"github.com/govshare/govshare/network"
)

// evidenceUser is a gateway connection of one organisation's user to the
// evidence chaincode.
type evidenceUser struct {
	t  *testing.T
	gw *client.Gateway
	cc *client.Contract
}

func evidenceAs(t *testing.T, org, role string) *evidenceUser {
	gw := connect(t, org, role)
	return &evidenceUser{t: t, gw: gw, cc: gw.GetNetwork(network.EvidenceChannel).GetContract("evidence")}
}

// submit submits a write with a JSON request and transient data, waits for
// the commit, requires it valid, decodes the result into out and returns
// the transaction ID.
func (u *evidenceUser) submit(out any, function string, request any, transient map[string][]byte) string {
	u.t.Helper()
	result, commit, err := u.cc.SubmitAsync(function, client.WithArguments(toJSONString(u.t, request)), client.WithTransient(transient))
	require.NoError(u.t, err, function)
	status, err := commit.Status()
	require.NoError(u.t, err, function)
	require.True(u.t, status.Successful, "%s: validation code %s", function, status.Code)
	awaitEveryMember(u.t, u.gw, network.EvidenceChannel, status.TransactionID)
	if out != nil {
		require.NoError(u.t, json.Unmarshal(result, out), function)
	}
	return status.TransactionID
}

// awaitEveryMember waits until the peer of every member organisation of
// the channel has committed txID. A commit status speaks only for the
// gateway's own peer, and the next step may be endorsed or read elsewhere.
func awaitEveryMember(t *testing.T, gw *client.Gateway, channel, txID string) {
	t.Helper()
	qscc := gw.GetNetwork(channel).GetContract("qscc")
	for _, msp := range consortium.ChannelMembers(channel) {
		require.Eventually(t, func() bool {
			_, err := qscc.Evaluate("GetTransactionByID", client.WithArguments(channel, txID), client.WithEndorsingOrganizations(msp))
			return err == nil
		}, time.Minute, 50*time.Millisecond, "transaction %s reaches %s's peer", txID, msp)
	}
}

// refusedWrite submits a write that endorsement must refuse and returns
// the chaincode's message.
func (u *evidenceUser) refusedWrite(function string, request any, transient map[string][]byte) string {
	u.t.Helper()
	_, err := u.cc.Submit(function, client.WithArguments(toJSONString(u.t, request)), client.WithTransient(transient))
	var endorseErr *client.EndorseError
	require.ErrorAs(u.t, err, &endorseErr, "%s must be refused at endorsement", function)
	return gatewayMessages(err)
}

func (u *evidenceUser) evaluate(out any, function string, transient map[string][]byte, args ...string) error {
	u.t.Helper()
	result, err := u.cc.Evaluate(function, client.WithArguments(args...), client.WithTransient(transient))
	if err != nil {
		return err
	}
	return json.Unmarshal(result, out)
}

// gatewayMessages joins an error's text and the peers' messages in its
// gRPC details.
func gatewayMessages(err error) string {
	msgs := []string{err.Error()}
	var detailed interface{ Details() []*gateway.ErrorDetail }
	if errors.As(err, &detailed) {
		for _, d := range detailed.Details() {
			msgs = append(msgs, d.GetMspId()+": "+d.GetMessage())
		}
	}
	return strings.Join(msgs, "\n")
}

func toJSONString(t *testing.T, v any) string {
	t.Helper()
	raw, err := json.Marshal(v)
	require.NoError(t, err)
	return string(raw)
}

// TestEvidenceThroughTheGateway runs the judicial-evidence flow on the
// real network, each step through the organisation's gateway peer under
// the deployed endorsement policy: open a case with private party names,
// submit evidence with sealed content, notarise it, record its custody,
// request, grant and open access (logged), have the content delivered,
// verify the content by hash as the oversight body, and see writes
// refused.
func TestEvidenceThroughTheGateway(t *testing.T) {
	clerk := evidenceAs(t, "InternetCourt", "clerk")
	judge := evidenceAs(t, "InternetCourt", "judge")
	notary := evidenceAs(t, "NotaryOffice", "notary")
	inspector := evidenceAs(t, "Oversight", "inspector")

	caseID, evidenceID, requestID := unique("IC"), unique("EV"), unique("AR")
	content := []byte("chat export " + evidenceID + ": the seller confirms the price is final")
	digest := sha256.Sum256(content)
	contentSHA := hex.EncodeToString(digest[:])

	openReq := evidence.OpenCaseRequest{CaseID: caseID, Court: "Internet Court of Example City", CaseType: "online contract dispute",
		Parties: []evidence.Party{{Ref: "P1", Role: evidence.PartyPlaintiff}, {Ref: "P2", Role: evidence.PartyDefendant}}}
	partyNames := evidence.PartyNames{Salt: randomHex(t, 32), Parties: []evidence.PartyName{{Ref: "P1", Name: "Example Trading Ltd"}, {Ref: "P2", Name: "Jane Example"}}}
	var kase evidence.Case
	clerk.submit(&kase, "OpenCase", openReq, map[string][]byte{evidence.TransientParties: []byte(toJSONString(t, partyNames))})
	assert.Equal(t, evidence.CaseOpen, kase.Status)
	assert.Equal(t, "InternetCourtMSP", kase.OpenedBy.MSPID)

	submitReq := evidence.SubmitEvidenceRequest{
		EvidenceID: evidenceID, CaseID: caseID, ContentSHA256: contentSHA, MediaType: "text/plain", SizeBytes: int64(len(content)),
		Description: "chat transcript exported from the platform",
		Provenance: evidence.ProvenanceInput{Tool: "WebCapture 3.2", CapturedAt: time.Now().UTC().Add(-time.Hour).Format(time.RFC3339),
			Source: "https://chat.example/thread/17"},
		SealedAs: evidence.SealedAsContent,
	}
	var submitted evidence.Evidence
	txID := clerk.submit(&submitted, "SubmitEvidence", submitReq, map[string][]byte{evidence.TransientContent: content})
	assert.Equal(t, "InternetCourtMSP", submitted.SubmittedBy.MSPID)

	t.Run("the submission is endorsed by the court and the notary office", func(t *testing.T) {
		code, msps := endorsers(t, clerk.gw, network.EvidenceChannel, txID)
		assert.Equal(t, peer.TxValidationCode_VALID, code)
		assert.Contains(t, msps, "InternetCourtMSP")
		assert.Contains(t, msps, "NotaryOfficeMSP")
	})

	t.Run("party names are private to the court and the notary office", func(t *testing.T) {
		key, transient := newReaderKey(t)
		var delivery foundation.Delivery
		require.NoError(t, judge.evaluate(&delivery, "GetCaseParties", transient, caseID))
		assert.NotContains(t, toJSONString(t, delivery), "Jane Example", "the names travel encrypted for the reader")
		var parties evidence.CaseParties
		require.NoError(t, delivery.OpenRecord(key, evidence.PartiesContext(caseID), &parties))
		assert.Equal(t, partyNames.Parties, parties.Parties)
		assert.Equal(t, partyNames.Salt, parties.Salt)
		err := inspector.evaluate(&delivery, "GetCaseParties", transient, caseID)
		require.Error(t, err)
		assert.Contains(t, gatewayMessages(err), "access denied: GetCaseParties called by OversightMSP")
	})

	var notarisation evidence.Notarisation
	notary.submit(&notarisation, "NotariseEvidence", evidence.NotariseRequest{EvidenceID: evidenceID, Statement: "captured in my presence"}, nil)
	assert.Equal(t, "NotaryOfficeMSP", notarisation.Notary.MSPID)
	var custody evidence.CustodyEvent
	clerk.submit(&custody, "RecordCustodyEvent", evidence.CustodyEventRequest{EvidenceID: evidenceID, Action: evidence.CustodyReceived, Counterparty: "plaintiff's counsel"}, nil)
	assert.Equal(t, 1, custody.Sequence)

	var me foundation.Caller
	require.NoError(t, notary.evaluate(&me, "WhoAmI", nil))
	require.True(t, strings.HasPrefix(me.ID, "x509::"), me.ID)
	var ar evidence.AccessRequest
	clerk.submit(&ar, "RequestAccess", evidence.AccessRequestRequest{RequestID: requestID, EvidenceID: evidenceID,
		Grantee: evidence.Grantee{MSPID: me.MSPID, ID: me.ID}, Purpose: "the notary office reviews the capture"}, nil)
	assert.Equal(t, evidence.AccessPending, ar.Status)

	msg := notary.refusedWrite("OpenSealedContent", evidence.OpenSealedContentRequest{RequestID: requestID}, nil)
	assert.Contains(t, msg, "access request "+requestID+" is pending")

	judge.submit(&ar, "GrantAccess", evidence.GrantAccessRequest{RequestID: requestID,
		ExpiresAt: time.Now().UTC().Add(time.Hour).Format(time.RFC3339), Reason: "review of the capture"}, nil)
	assert.Equal(t, evidence.AccessGranted, ar.Status)

	key, readerKey := newReaderKey(t)

	t.Run("an evaluated opening leaves no log entry, so nothing is delivered", func(t *testing.T) {
		var entry evidence.AccessLogEntry
		require.NoError(t, notary.evaluate(&entry, "OpenSealedContent", nil, toJSONString(t, evidence.OpenSealedContentRequest{RequestID: requestID})))
		var d evidence.SealedDelivery
		err := notary.evaluate(&d, "ReadSealedContent", readerKey, evidenceID, strconv.Itoa(entry.Sequence))
		require.Error(t, err)
		assert.Contains(t, gatewayMessages(err), "access log entry \""+evidenceID+" #1\" not found")
	})

	var entry evidence.AccessLogEntry
	openTx := notary.submit(&entry, "OpenSealedContent", evidence.OpenSealedContentRequest{RequestID: requestID}, nil)
	assert.Equal(t, me, entry.Reader, "the log names the reader's certificate")
	assert.Equal(t, openTx, entry.TxID)

	var delivery evidence.SealedDelivery
	require.NoError(t, notary.evaluate(&delivery, "ReadSealedContent", readerKey, evidenceID, strconv.Itoa(entry.Sequence)))
	got, err := delivery.Open(key)
	require.NoError(t, err)
	assert.Equal(t, content, got, "the grantee reads the sealed content")

	t.Run("the clerk cannot read the notary's opening", func(t *testing.T) {
		var d evidence.SealedDelivery
		err := clerk.evaluate(&d, "ReadSealedContent", readerKey, evidenceID, strconv.Itoa(entry.Sequence))
		require.Error(t, err)
		assert.Contains(t, gatewayMessages(err), "requires the reader named in access log entry")
	})

	t.Run("oversight verifies the content by hash and sees the access log", func(t *testing.T) {
		var v evidence.EvidenceVerification
		require.NoError(t, inspector.evaluate(&v, "VerifyEvidenceByHash", nil, contentSHA))
		require.True(t, v.Found)
		require.Len(t, v.Submissions, 1)
		assert.Equal(t, evidenceID, v.Submissions[0].EvidenceID)
		assert.Equal(t, caseID, v.Submissions[0].CaseID)
		assert.Equal(t, "InternetCourtMSP", v.Submissions[0].SubmittedBy.MSPID)
		assert.True(t, v.Submissions[0].Notarised)
		assert.Equal(t, 1, v.Submissions[0].CustodyChainLength)

		var log evidence.AccessLogPage
		require.NoError(t, inspector.evaluate(&log, "GetAccessLog", nil, evidenceID, "0", ""))
		require.Len(t, log.Entries, 1)
		assert.Equal(t, "NotaryOfficeMSP", log.Entries[0].Reader.MSPID)
		assert.Equal(t, requestID, log.Entries[0].RequestID)

		var summary evidence.CaseSummary
		require.NoError(t, inspector.evaluate(&summary, "GetCaseSummary", nil, caseID, "0", ""))
		require.Len(t, summary.Evidence, 1)
		assert.Equal(t, contentSHA, summary.Evidence[0].ContentSHA256)
	})

	t.Run("refused writes say why and write nothing", func(t *testing.T) {
		again := submitReq
		again.EvidenceID = unique("EV")
		msg := clerk.refusedWrite("SubmitEvidence", again, map[string][]byte{evidence.TransientContent: content})
		assert.Contains(t, msg, "already exists: case "+caseID+" holds it as evidence "+evidenceID+", submitted by InternetCourtMSP")

		msg = inspector.refusedWrite("SubmitEvidence", again, map[string][]byte{evidence.TransientContent: content})
		assert.Contains(t, msg, `access denied: SubmitEvidence called by OversightMSP with role "inspector"`)

		var e evidence.Evidence
		err := inspector.evaluate(&e, "GetEvidence", nil, again.EvidenceID)
		require.Error(t, err)
		assert.Contains(t, gatewayMessages(err), "not found")
	})

	t.Run("an evidence record changed with the notary office's endorsement alone is invalid", func(t *testing.T) {
		_, err := notary.cc.Submit("NotariseEvidence",
			client.WithArguments(toJSONString(t, evidence.NotariseRequest{EvidenceID: evidenceID, Statement: "forged"})),
			client.WithEndorsingOrganizations("NotaryOfficeMSP"))
		var commitErr *client.CommitError
		require.ErrorAs(t, err, &commitErr)
		assert.Equal(t, peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE, commitErr.Code)

		var list evidence.NotarisationList
		require.NoError(t, inspector.evaluate(&list, "GetNotarisations", nil, evidenceID))
		assert.Len(t, list.Notarisations, 1, "the invalid attestation left nothing behind")
	})

	t.Run("after revocation the grantee can neither open nor read", func(t *testing.T) {
		judge.submit(&ar, "RevokeAccess", evidence.AccessDecisionRequest{RequestID: requestID, Reason: "review finished"}, nil)
		assert.Contains(t, notary.refusedWrite("OpenSealedContent", evidence.OpenSealedContentRequest{RequestID: requestID}, nil), "was revoked")
		var d evidence.SealedDelivery
		err := notary.evaluate(&d, "ReadSealedContent", readerKey, evidenceID, strconv.Itoa(entry.Sequence))
		require.Error(t, err)
		assert.Contains(t, gatewayMessages(err), "was revoked")
	})
}

// randomHex returns n random bytes from crypto/rand in hex: a secret salt
// or key, as a client draws it.
func randomHex(t *testing.T, n int) string {
	t.Helper()
	b := make([]byte, n)
	_, err := rand.Read(b)
	require.NoError(t, err)
	return hex.EncodeToString(b)
}

// newReaderKey draws a one-time reader key and returns it with its
// transient form.
func newReaderKey(t *testing.T) ([]byte, map[string][]byte) {
	t.Helper()
	text := randomHex(t, foundation.ReaderKeyBytes)
	key, err := hex.DecodeString(text)
	require.NoError(t, err)
	return key, map[string][]byte{foundation.TransientReaderKey: []byte(`{"key":"` + text + `"}`)}
}
