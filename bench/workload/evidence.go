package workload

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/evidence"
	govclient "github.com/govshare/govshare/gateway-client"
)

// Evidence is the judicial-evidence workload: the internet court's clerk
// submits evidence to a case opened for the run, and content is verified
// by hash.
type Evidence struct {
	env    *Env
	clerk  *govclient.Session
	caseID string
	hashes list
	ids    atomic.Int64
}

// NewEvidence opens the run's case (as the internet court's clerk).
func NewEvidence(ctx context.Context, env *Env) (*Evidence, error) {
	clerk, err := env.Session("InternetCourt", consortium.RoleClerk, NoRetry)
	if err != nil {
		return nil, err
	}
	setup, err := env.SetupSession("InternetCourt", consortium.RoleClerk)
	if err != nil {
		return nil, err
	}
	w := &Evidence{env: env, clerk: clerk, caseID: env.RunID + "-CASE"}
	if err := openCase(ctx, setup, w.caseID); err != nil {
		return nil, err
	}
	return w, nil
}

// Clerk is the session that submits evidence, whose gateway the evidence
// channel's baseline should use too.
func (w *Evidence) Clerk() *govclient.Session { return w.clerk }

// OpenCase opens a case with two parties.
func (w *Evidence) OpenCase(ctx context.Context, caseID string) error {
	return openCase(ctx, w.clerk, caseID)
}

// openCase opens a case with two parties through the clerk's session s.
func openCase(ctx context.Context, s *govclient.Session, caseID string) error {
	req := evidence.OpenCaseRequest{CaseID: caseID, Court: "Internet Court of Example City", CaseType: "load test",
		Parties: []evidence.Party{{Ref: "P1", Role: evidence.PartyPlaintiff}, {Ref: "P2", Role: evidence.PartyDefendant}}}
	names := evidence.PartyNames{Parties: []evidence.PartyName{{Ref: "P1", Name: "Example Trading Ltd"}, {Ref: "P2", Name: "Jane Example"}}}
	if _, _, err := s.Evidence().OpenCase(ctx, req, names); err != nil {
		return fmt.Errorf("open case %s: %w", caseID, err)
	}
	return nil
}

// Submit submits one evidence item whose content is unique to the run and
// seq, sealed as content, to the run's case.
func (w *Evidence) Submit(ctx context.Context, worker, seq int) (int, error) {
	return attemptsOf(w.SubmitNext(ctx))
}

// SubmitNext is one operation of Submit; it returns the commit.
func (w *Evidence) SubmitNext(ctx context.Context) (*govclient.Result, error) {
	return w.submitTo(ctx, w.caseID, fmt.Sprintf("%s-E%07d", w.env.RunID, w.ids.Add(1)))
}

// SubmitTo submits one evidence item with the given ID and content unique
// to it to caseID.
func (w *Evidence) SubmitTo(ctx context.Context, caseID, evidenceID string) (int, error) {
	return attemptsOf(w.submitTo(ctx, caseID, evidenceID))
}

func (w *Evidence) submitTo(ctx context.Context, caseID, evidenceID string) (*govclient.Result, error) {
	return w.SubmitContent(ctx, caseID, evidenceID, []byte("govload evidence "+evidenceID+": chat export of the seller's final offer"))
}

// SubmitContent submits content, sealed as content, as evidence
// evidenceID of caseID.
func (w *Evidence) SubmitContent(ctx context.Context, caseID, evidenceID string, content []byte) (*govclient.Result, error) {
	digest := SHA256Hex(content)
	req := evidence.SubmitEvidenceRequest{
		EvidenceID: evidenceID, CaseID: caseID, ContentSHA256: digest,
		MediaType: "text/plain", SizeBytes: int64(len(content)), Description: "chat transcript exported from the platform",
		Provenance: evidence.ProvenanceInput{Tool: "WebCapture 3.2",
			CapturedAt: time.Now().UTC().Add(-time.Hour).Format(time.RFC3339), Source: "https://chat.example/thread/17"},
		SealedAs: evidence.SealedAsContent,
	}
	_, result, err := w.clerk.Evidence().SubmitEvidence(ctx, req, content)
	if err != nil {
		return nil, err
	}
	w.hashes.add(digest)
	return result, nil
}

// Verify looks one of the run's evidence items up by its content hash.
func (w *Evidence) Verify(ctx context.Context, worker, seq int) (int, error) {
	digest := w.hashes.at(seq)
	if digest == "" {
		return 1, errNothingToDo
	}
	return 1, w.VerifyDigest(ctx, digest)
}

// VerifyDigest looks evidence up by its content hash; evidence not found
// is an error.
func (w *Evidence) VerifyDigest(ctx context.Context, digest string) error {
	v, err := w.clerk.Evidence().VerifyEvidenceByHash(ctx, digest)
	if err != nil {
		return err
	}
	if !v.Found {
		return fmt.Errorf("evidence with content %s is not found", digest)
	}
	return nil
}
