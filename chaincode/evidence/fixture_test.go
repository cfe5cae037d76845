package evidence_test

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/evidence"
	"github.com/govshare/govshare/chaincode/foundation"
	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

type ctxT = contractapi.TransactionContextInterface

const (
	court        = consortium.InternetCourtMSP
	notaryOffice = consortium.NotaryOfficeMSP
	oversight    = consortium.OversightMSP
	sealed       = consortium.SealedEvidenceCollection

	// capturedAt is before every transaction time of the test ledger
	// (which starts at 2025-09-01T08:00:00Z).
	capturedAt = "2025-08-30T14:05:00Z"
	// grantExpiry is a day after the test ledger starts.
	grantExpiry = "2025-09-02T08:00:00Z"
)

// fixture is a judicial-evidence channel with its usual callers.
type fixture struct {
	t         testing.TB
	l         *ledgertest.Ledger
	c         *evidence.Contract
	clerk     *ledgertest.Client
	judge     *ledgertest.Client
	notary    *ledgertest.Client
	inspector *ledgertest.Client
}

func newLedger(t testing.TB, opts ...ledgertest.Option) *ledgertest.Ledger {
	return ledgertest.New(t, append([]ledgertest.Option{
		ledgertest.WithChannel(consortium.EvidenceChannel),
		ledgertest.WithChaincode("evidence"),
		ledgertest.WithCollection(sealed, court, notaryOffice),
	}, opts...)...)
}

func newFixture(t testing.TB, opts ...ledgertest.Option) *fixture {
	t.Helper()
	l := newLedger(t, opts...)
	return &fixture{
		t:         t,
		l:         l,
		c:         evidence.New(),
		clerk:     l.As(court, consortium.RoleClerk),
		judge:     l.As(court, consortium.RoleJudge),
		notary:    l.As(notaryOffice, consortium.RoleNotary),
		inspector: l.As(oversight, consortium.RoleInspector),
	}
}

// toJSON encodes a request (ledgertest.JSON).
var toJSON = ledgertest.JSON

func digestOf(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

func compositeKey(objectType string, attrs ...string) string {
	return "\x00" + objectType + "\x00" + strings.Join(attrs, "\x00") + "\x00"
}

// newCase is a case with two parties; names returns their private names.
func newCase(id string) evidence.OpenCaseRequest {
	return evidence.OpenCaseRequest{
		CaseID: id, Court: "Internet Court of Example City", CaseType: "online contract dispute",
		Parties: []evidence.Party{{Ref: "P1", Role: evidence.PartyPlaintiff}, {Ref: "P2", Role: evidence.PartyDefendant}},
	}
}

// names returns the party names of a case request, with the case's
// secret salt (random-looking, the same on every run).
func names(req evidence.OpenCaseRequest) evidence.PartyNames {
	salt := sha256.Sum256([]byte("salt of case " + req.CaseID))
	n := evidence.PartyNames{Salt: hex.EncodeToString(salt[:])}
	for _, p := range req.Parties {
		n.Parties = append(n.Parties, evidence.PartyName{Ref: p.Ref, Name: "Name of " + p.Ref + " Example"})
	}
	return n
}

// exhibit is an evidence item with its content sealed.
type exhibit struct {
	req     evidence.SubmitEvidenceRequest
	content []byte
}

func newExhibit(evidenceID, caseID, content string) exhibit {
	data := []byte(content)
	return exhibit{content: data, req: evidence.SubmitEvidenceRequest{
		EvidenceID: evidenceID, CaseID: caseID, ContentSHA256: digestOf(data), MediaType: "text/plain",
		SizeBytes: int64(len(data)), Description: "chat transcript exported from the platform",
		Provenance: evidence.ProvenanceInput{Tool: "WebCapture 3.2", CapturedAt: capturedAt, Source: "https://chat.example/thread/17"},
		SealedAs:   evidence.SealedAsContent,
	}}
}

// randomKey returns random-looking key n, the same on every run.
func randomKey(n byte) []byte {
	sum := sha256.Sum256([]byte{'s', 'k', n})
	return sum[:]
}

// readerKey returns reader key n and its transient form.
func readerKey(n byte) ([]byte, string) {
	sum := sha256.Sum256([]byte{'k', n})
	return sum[:], `{"key":"` + hex.EncodeToString(sum[:]) + `"}`
}

// Typed calls of the contract's functions as transactions.

func (f *fixture) openCase(c *ledgertest.Client, req evidence.OpenCaseRequest) (*evidence.Case, error) {
	return f.openCaseRaw(c.WithTransient(evidence.TransientParties, []byte(toJSON(f.t, names(req)))), toJSON(f.t, req))
}

func (f *fixture) openCaseRaw(c *ledgertest.Client, raw string) (*evidence.Case, error) {
	return ledgertest.Call(c, func(ctx ctxT) (*evidence.Case, error) { return f.c.OpenCase(ctx, raw) })
}

func (f *fixture) closeCase(c *ledgertest.Client, caseID, reason string) (*evidence.Case, error) {
	raw := toJSON(f.t, evidence.CaseDecisionRequest{CaseID: caseID, Reason: reason})
	return ledgertest.Call(c, func(ctx ctxT) (*evidence.Case, error) { return f.c.CloseCase(ctx, raw) })
}

func (f *fixture) sealCase(c *ledgertest.Client, caseID, reason string) (*evidence.Case, error) {
	raw := toJSON(f.t, evidence.CaseDecisionRequest{CaseID: caseID, Reason: reason})
	return ledgertest.Call(c, func(ctx ctxT) (*evidence.Case, error) { return f.c.SealCase(ctx, raw) })
}

func (f *fixture) submit(c *ledgertest.Client, ex exhibit) (*evidence.Evidence, error) {
	return f.submitRaw(c.WithTransient(evidence.TransientContent, ex.content), toJSON(f.t, ex.req))
}

func (f *fixture) submitRaw(c *ledgertest.Client, raw string) (*evidence.Evidence, error) {
	return ledgertest.Call(c, func(ctx ctxT) (*evidence.Evidence, error) { return f.c.SubmitEvidence(ctx, raw) })
}

func (f *fixture) notarise(c *ledgertest.Client, evidenceID, statement string) (*evidence.Notarisation, error) {
	raw := toJSON(f.t, evidence.NotariseRequest{EvidenceID: evidenceID, Statement: statement})
	return ledgertest.Call(c, func(ctx ctxT) (*evidence.Notarisation, error) { return f.c.NotariseEvidence(ctx, raw) })
}

func (f *fixture) custody(c *ledgertest.Client, req evidence.CustodyEventRequest) (*evidence.CustodyEvent, error) {
	raw := toJSON(f.t, req)
	return ledgertest.Call(c, func(ctx ctxT) (*evidence.CustodyEvent, error) { return f.c.RecordCustodyEvent(ctx, raw) })
}

func (f *fixture) requestAccess(c *ledgertest.Client, req evidence.AccessRequestRequest) (*evidence.AccessRequest, error) {
	raw := toJSON(f.t, req)
	return ledgertest.Call(c, func(ctx ctxT) (*evidence.AccessRequest, error) { return f.c.RequestAccess(ctx, raw) })
}

func (f *fixture) grant(c *ledgertest.Client, requestID, expiresAt string) (*evidence.AccessRequest, error) {
	raw := toJSON(f.t, evidence.GrantAccessRequest{RequestID: requestID, ExpiresAt: expiresAt, Reason: "needed for the hearing"})
	return ledgertest.Call(c, func(ctx ctxT) (*evidence.AccessRequest, error) { return f.c.GrantAccess(ctx, raw) })
}

func (f *fixture) deny(c *ledgertest.Client, requestID, reason string) (*evidence.AccessRequest, error) {
	raw := toJSON(f.t, evidence.AccessDecisionRequest{RequestID: requestID, Reason: reason})
	return ledgertest.Call(c, func(ctx ctxT) (*evidence.AccessRequest, error) { return f.c.DenyAccess(ctx, raw) })
}

func (f *fixture) revoke(c *ledgertest.Client, requestID, reason string) (*evidence.AccessRequest, error) {
	raw := toJSON(f.t, evidence.AccessDecisionRequest{RequestID: requestID, Reason: reason})
	return ledgertest.Call(c, func(ctx ctxT) (*evidence.AccessRequest, error) { return f.c.RevokeAccess(ctx, raw) })
}

func (f *fixture) open(c *ledgertest.Client, requestID string) (*evidence.AccessLogEntry, error) {
	raw := toJSON(f.t, evidence.OpenSealedContentRequest{RequestID: requestID})
	return ledgertest.Call(c, func(ctx ctxT) (*evidence.AccessLogEntry, error) { return f.c.OpenSealedContent(ctx, raw) })
}

// read evaluates ReadSealedContent with reader key n.
func (f *fixture) read(c *ledgertest.Client, evidenceID string, sequence int, n byte) (*evidence.SealedDelivery, error) {
	_, transient := readerKey(n)
	return ledgertest.Eval(c.WithTransient(evidence.TransientReaderKey, []byte(transient)), func(ctx ctxT) (*evidence.SealedDelivery, error) {
		return f.c.ReadSealedContent(ctx, evidenceID, sequence)
	})
}

func (f *fixture) whoAmI(c *ledgertest.Client) foundation.Caller {
	f.t.Helper()
	caller, err := ledgertest.Eval(c, func(ctx ctxT) (*foundation.Caller, error) { return f.c.WhoAmI(ctx) })
	require.NoError(f.t, err)
	return *caller
}

// grantee names c's identity as the grantee of an access request.
func (f *fixture) grantee(c *ledgertest.Client) evidence.Grantee {
	caller := f.whoAmI(c)
	return evidence.Grantee{MSPID: caller.MSPID, ID: caller.ID}
}

func (f *fixture) summary(c *ledgertest.Client, caseID string, pageSize int32, bookmark string) (*evidence.CaseSummary, error) {
	return ledgertest.Eval(c, func(ctx ctxT) (*evidence.CaseSummary, error) {
		return f.c.GetCaseSummary(ctx, caseID, pageSize, bookmark)
	})
}

func (f *fixture) verify(c *ledgertest.Client, digest string) (*evidence.EvidenceVerification, error) {
	return ledgertest.Eval(c, func(ctx ctxT) (*evidence.EvidenceVerification, error) { return f.c.VerifyEvidenceByHash(ctx, digest) })
}

func (f *fixture) getEvidence(c *ledgertest.Client, evidenceID string) (*evidence.Evidence, error) {
	return ledgertest.Eval(c, func(ctx ctxT) (*evidence.Evidence, error) { return f.c.GetEvidence(ctx, evidenceID) })
}

// openCaseWithExhibit opens case caseID and submits one exhibit to it as
// the clerk.
func (f *fixture) openCaseWithExhibit(caseID string, ex exhibit) {
	f.t.Helper()
	_, err := f.openCase(f.clerk, newCase(caseID))
	require.NoError(f.t, err)
	_, err = f.submit(f.clerk, ex)
	require.NoError(f.t, err)
}

// grantedTo records access request requestID for evidenceID with c as the
// grantee, and grants it until expiresAt.
func (f *fixture) grantedTo(c *ledgertest.Client, requestID, evidenceID, expiresAt string) {
	f.t.Helper()
	_, err := f.requestAccess(f.clerk, evidence.AccessRequestRequest{RequestID: requestID, EvidenceID: evidenceID, Grantee: f.grantee(c), Purpose: "hearing preparation"})
	require.NoError(f.t, err)
	_, err = f.grant(f.judge, requestID, expiresAt)
	require.NoError(f.t, err)
}

// lastEvent returns the name and decoded payload of the last committed event.
func (f *fixture) lastEvent() (string, foundation.Event) {
	f.t.Helper()
	return f.l.RequireLastEvent(f.t)
}
