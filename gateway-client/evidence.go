package govclient

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/evidence"
	"github.com/govshare/govshare/chaincode/foundation"
)

// EvidenceChaincode is the judicial-evidence contract's chaincode name.
const EvidenceChaincode = "evidence"

// Evidence is the judicial-evidence contract as one role sees it: the
// court's clerk opens cases, submits evidence, records custody and access
// requests; the court's judge closes and seals cases and decides on
// access; the notary office's notary submits, attests and handles
// evidence; the grantee of a judge's grant reads sealed content; everyone
// on the channel, Oversight included, verifies content by hash and reads
// the public records. Request and record types are the contract's own
// (package chaincode/evidence).
//
// Every write waits for the commit and returns the record the contract
// wrote with the transaction's Result; a refusal is a *TxError carrying the
// contract's message. Queries are evaluated. Private input — the parties'
// names, sealed content or keys, the reader's one-time key — travels as
// transient data, which is not part of the transaction.
type Evidence struct{ v view }

// Evidence returns the session's view of the judicial-evidence contract.
func (s *Session) Evidence() *Evidence {
	return &Evidence{v: view{s: s, channel: consortium.EvidenceChannel, chaincode: EvidenceChaincode}}
}

// ownPeer returns a call of the view that only the session's own
// organisation's peer answers: for reads of the SealedEvidence collection,
// which the court's and the notary office's peers hold and serve to their
// own clients only.
func (e *Evidence) ownPeer(function string, args ...string) call {
	c := e.v.call(function, args...)
	c.Endorsers = []string{e.v.s.MSPID()}
	return c
}

// OpenCase opens a court case (court clerk). The parties' names go as
// transient data to the SealedEvidence collection; the ledger keeps only
// the references and roles of req.Parties. names must name the same
// parties, by reference, in the same order. When names.Salt is empty,
// OpenCase draws a secret random salt for them (32 bytes from crypto/rand):
// it keeps the names from being guessed from the hash of the private
// record, which every peer of the channel holds.
func (e *Evidence) OpenCase(ctx context.Context, req evidence.OpenCaseRequest, names evidence.PartyNames) (*evidence.Case, *Result, error) {
	if names.Salt == "" {
		salt := make([]byte, 32)
		if _, err := rand.Read(salt); err != nil {
			return nil, nil, fmt.Errorf("OpenCase: make a salt: %w", err)
		}
		names.Salt = hex.EncodeToString(salt)
	}
	data, err := json.Marshal(&names)
	if err != nil {
		return nil, nil, fmt.Errorf("OpenCase: encode party names: %w", err)
	}
	return submitRecord[evidence.Case](ctx, e.v, "OpenCase", &req, map[string][]byte{evidence.TransientParties: data})
}

// CloseCase closes an open case: no evidence can be added (court judge).
func (e *Evidence) CloseCase(ctx context.Context, req evidence.CaseDecisionRequest) (*evidence.Case, *Result, error) {
	return submitRecord[evidence.Case](ctx, e.v, "CloseCase", &req, nil)
}

// SealCase seals a case for good: no evidence can be added and no sealed
// content of it can be opened any more, whatever grants exist (court
// judge).
func (e *Evidence) SealCase(ctx context.Context, req evidence.CaseDecisionRequest) (*evidence.Case, *Result, error) {
	return submitRecord[evidence.Case](ctx, e.v, "SealCase", &req, nil)
}

// GetCaseSummary reads a case and one page of its evidence, in evidence ID
// order: non-sensitive metadata only.
func (e *Evidence) GetCaseSummary(ctx context.Context, caseID string, pageSize int32, bookmark string) (*evidence.CaseSummary, error) {
	return evaluateRecord[evidence.CaseSummary](ctx, e.v, "GetCaseSummary", paged(pageSize, bookmark, caseID)...)
}

// GetCaseHistory reads every version of a case, newest first.
func (e *Evidence) GetCaseHistory(ctx context.Context, caseID string) (*evidence.History, error) {
	return evaluateRecord[evidence.History](ctx, e.v, "GetCaseHistory", caseID)
}

// GetCaseParties reads the names of a case's parties from the
// SealedEvidence collection (court clerk or judge, notary). The query goes
// to the session's own organisation's peer, which holds the collection;
// the names come back encrypted under a fresh one-time key, which this
// method draws, sends as transient data and uses to open them.
func (e *Evidence) GetCaseParties(ctx context.Context, caseID string) (*evidence.CaseParties, error) {
	parties, err := evaluateDelivered[evidence.CaseParties](ctx, e.v.s, e.ownPeer("GetCaseParties", caseID), evidence.PartiesContext(caseID))
	if err != nil {
		return nil, err
	}
	if parties.CaseID != caseID {
		return nil, fmt.Errorf("GetCaseParties: the peer delivered the parties of case %q, not %q", parties.CaseID, caseID)
	}
	return parties, nil
}

// SubmitEvidence puts an evidence item on the ledger (court clerk,
// notary): its digest and metadata in the public state, and sealed — the
// raw bytes that go as transient data to the SealedEvidence collection —
// in private. With req.SealedAs evidence.SealedAsContent, sealed is the
// content itself (at most evidence.MaxContentBytes, hashing to
// req.ContentSHA256); with evidence.SealedAsKey, it is the key that
// decrypts content kept elsewhere (hashing to req.KeySHA256). For files,
// SubmitEvidenceFile and SubmitEvidenceFileWithKey fill in the request.
func (e *Evidence) SubmitEvidence(ctx context.Context, req evidence.SubmitEvidenceRequest, sealed []byte) (*evidence.Evidence, *Result, error) {
	return submitRecord[evidence.Evidence](ctx, e.v, "SubmitEvidence", &req, map[string][]byte{evidence.TransientContent: sealed})
}

// ErrContentTooLarge is returned by SubmitEvidenceFile for a file larger
// than the contract takes as sealed content (evidence.MaxContentBytes).
// Keep such a file outside the ledger, encrypted, and seal its key with
// SubmitEvidenceFileWithKey.
var ErrContentTooLarge = fmt.Errorf("larger than the %d bytes the contract seals as content; seal the key of an encrypted copy kept outside the ledger instead", evidence.MaxContentBytes)

// SubmitEvidenceFile submits the file at path as evidence with its content
// sealed (court clerk, notary). It fills in req.SizeBytes, req.SealedAs and,
// if empty, req.ContentSHA256, hashing the file as a stream with HashFile
// (a caller that hashed it already sets req.ContentSHA256, and it is not
// hashed twice). The file is read into memory
// only after its size is checked: a file over evidence.MaxContentBytes is
// refused with ErrContentTooLarge before it is read. The bytes read must
// hash to req.ContentSHA256, or the file changed since it was hashed.
func (e *Evidence) SubmitEvidenceFile(ctx context.Context, req evidence.SubmitEvidenceRequest, path string) (*evidence.Evidence, *Result, error) {
	content, err := sealFileContent(ctx, &req, path)
	if err != nil {
		return nil, nil, err
	}
	return e.SubmitEvidence(ctx, req, content)
}

// SubmitEvidenceFileWithKey submits the file at path as evidence and seals
// key instead of the content, for files too large to seal (court clerk,
// notary). It fills in req.SizeBytes, req.SealedAs, req.KeySHA256 and, if
// empty, req.ContentSHA256, hashing the file as a stream with HashFile (to
// show progress on a large file, hash it first with HashFile and a progress
// function, and set req.ContentSHA256); the file itself is never read into
// memory and never sent.
//
// The key (evidence.MinKeyBytes to evidence.MaxKeyBytes bytes; NewContentKey
// makes one) is the one that decrypts the department's encrypted copy of
// the file. govclient neither encrypts nor stores that copy: the submitting
// department encrypts the file with the key using its own tools and keeps
// the encrypted copy in its own evidence store, outside the ledger, where a
// grantee who reads the key with ReadSealed fetches it. The ledger holds the
// plain file's digest, so anyone can still verify the original file by
// hash; the collection holds the key.
func (e *Evidence) SubmitEvidenceFileWithKey(ctx context.Context, req evidence.SubmitEvidenceRequest, path string, key []byte) (*evidence.Evidence, *Result, error) {
	if err := sealFileKey(ctx, &req, path, key); err != nil {
		return nil, nil, err
	}
	return e.SubmitEvidence(ctx, req, key)
}

// NewContentKey returns a fresh random 32-byte key for content kept outside
// the ledger (see SubmitEvidenceFileWithKey).
func NewContentKey() ([]byte, error) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("make a content key: %w", err)
	}
	return key, nil
}

// describeFile fills in the request's size and form of sealing and,
// unless the caller has it already, the content digest, hashing the file
// as a stream. A file over maxSize (if not 0) is refused before it is
// hashed.
func describeFile(ctx context.Context, req *evidence.SubmitEvidenceRequest, path, sealedAs string, maxSize int64) error {
	info, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("evidence file: %w", err)
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("evidence file %s is not a regular file", path)
	}
	if maxSize > 0 && info.Size() > maxSize {
		return fmt.Errorf("evidence file %s is %d bytes: %w", path, info.Size(), ErrContentTooLarge)
	}
	req.SizeBytes = info.Size()
	req.SealedAs = sealedAs
	if req.ContentSHA256 == "" {
		if req.ContentSHA256, err = HashFile(ctx, path, nil); err != nil {
			return err
		}
	}
	return nil
}

// sealFileContent prepares the request of a file sealed as content and
// returns the content, read only once its size is known to be within the
// contract's limit.
func sealFileContent(ctx context.Context, req *evidence.SubmitEvidenceRequest, path string) ([]byte, error) {
	if err := describeFile(ctx, req, path, evidence.SealedAsContent, evidence.MaxContentBytes); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("evidence file: %w", err)
	}
	defer f.Close()
	// One byte more than the limit, to notice a file that grew.
	content, err := io.ReadAll(io.LimitReader(f, evidence.MaxContentBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read evidence file %s: %w", path, err)
	}
	if int64(len(content)) != req.SizeBytes || foundation.SHA256Hex(content) != req.ContentSHA256 {
		return nil, fmt.Errorf("evidence file %s changed while it was read, or does not hash to the given digest %s", path, req.ContentSHA256)
	}
	return content, nil
}

// sealFileKey prepares the request of a file whose key is sealed.
func sealFileKey(ctx context.Context, req *evidence.SubmitEvidenceRequest, path string, key []byte) error {
	if len(key) < evidence.MinKeyBytes || len(key) > evidence.MaxKeyBytes {
		return fmt.Errorf("a sealed key is %d to %d bytes, not %d", evidence.MinKeyBytes, evidence.MaxKeyBytes, len(key))
	}
	if err := describeFile(ctx, req, path, evidence.SealedAsKey, 0); err != nil {
		return err
	}
	req.KeySHA256 = foundation.SHA256Hex(key)
	return nil
}

// GetEvidence reads an evidence item's public record.
func (e *Evidence) GetEvidence(ctx context.Context, evidenceID string) (*evidence.Evidence, error) {
	return evaluateRecord[evidence.Evidence](ctx, e.v, "GetEvidence", evidenceID)
}

// GetEvidenceHistory reads every version of an evidence item's public
// record, newest first.
func (e *Evidence) GetEvidenceHistory(ctx context.Context, evidenceID string) (*evidence.History, error) {
	return evaluateRecord[evidence.History](ctx, e.v, "GetEvidenceHistory", evidenceID)
}

// VerifyEvidenceByHash looks content up by its SHA-256 (lower-case hex, as
// HashFile returns it): was it submitted, in which cases, by whom, when,
// is it notarised, how long is its custody chain. An unknown digest is an
// answer with Found false, not an error.
func (e *Evidence) VerifyEvidenceByHash(ctx context.Context, contentSHA256 string) (*evidence.EvidenceVerification, error) {
	return evaluateRecord[evidence.EvidenceVerification](ctx, e.v, "VerifyEvidenceByHash", contentSHA256)
}

// NotariseEvidence records the caller's attestation of an evidence item
// (notary).
func (e *Evidence) NotariseEvidence(ctx context.Context, req evidence.NotariseRequest) (*evidence.Notarisation, *Result, error) {
	return submitRecord[evidence.Notarisation](ctx, e.v, "NotariseEvidence", &req, nil)
}

// RecordCustodyEvent appends a handling event to an evidence item's chain
// of custody (court clerk, notary).
func (e *Evidence) RecordCustodyEvent(ctx context.Context, req evidence.CustodyEventRequest) (*evidence.CustodyEvent, *Result, error) {
	return submitRecord[evidence.CustodyEvent](ctx, e.v, "RecordCustodyEvent", &req, nil)
}

// GetNotarisations reads every attestation of an evidence item, in order.
func (e *Evidence) GetNotarisations(ctx context.Context, evidenceID string) (*evidence.NotarisationList, error) {
	return evaluateRecord[evidence.NotarisationList](ctx, e.v, "GetNotarisations", evidenceID)
}

// GetCustodyChain reads an evidence item's whole chain of custody, in
// order.
func (e *Evidence) GetCustodyChain(ctx context.Context, evidenceID string) (*evidence.CustodyChain, error) {
	return evaluateRecord[evidence.CustodyChain](ctx, e.v, "GetCustodyChain", evidenceID)
}

// RequestAccess records a request for access to an evidence item's sealed
// content for a grantee named by MSP ID and certificate identity (court
// clerk). The grantee finds its identity with WhoAmI.
func (e *Evidence) RequestAccess(ctx context.Context, req evidence.AccessRequestRequest) (*evidence.AccessRequest, *Result, error) {
	return submitRecord[evidence.AccessRequest](ctx, e.v, "RequestAccess", &req, nil)
}

// GrantAccess grants a pending request until req.ExpiresAt (court judge).
func (e *Evidence) GrantAccess(ctx context.Context, req evidence.GrantAccessRequest) (*evidence.AccessRequest, *Result, error) {
	return submitRecord[evidence.AccessRequest](ctx, e.v, "GrantAccess", &req, nil)
}

// DenyAccess denies a pending request (court judge).
func (e *Evidence) DenyAccess(ctx context.Context, req evidence.AccessDecisionRequest) (*evidence.AccessRequest, *Result, error) {
	return submitRecord[evidence.AccessRequest](ctx, e.v, "DenyAccess", &req, nil)
}

// RevokeAccess revokes a grant (court judge).
func (e *Evidence) RevokeAccess(ctx context.Context, req evidence.AccessDecisionRequest) (*evidence.AccessRequest, *Result, error) {
	return submitRecord[evidence.AccessRequest](ctx, e.v, "RevokeAccess", &req, nil)
}

// OpenSealedContent records, in a committed transaction, that the caller
// opens the sealed content of a grant it holds, and returns the access log
// entry, never the content: the first of the two steps of a read (the
// grantee). ReadSealed takes both steps.
func (e *Evidence) OpenSealedContent(ctx context.Context, req evidence.OpenSealedContentRequest) (*evidence.AccessLogEntry, *Result, error) {
	return submitRecord[evidence.AccessLogEntry](ctx, e.v, "OpenSealedContent", &req, nil)
}

// ReadSealedContent has the sealed bytes of an evidence item delivered
// against the caller's committed access log entry (evidenceID, sequence),
// encrypted with readerKey (evidence.ReaderKeyBytes bytes, fresh and
// random, used once), which travels as transient data: the second step of
// a read. The query goes to the session's own organisation's peer, which
// holds the collection. Decrypt the delivery with its Open method and the
// same key. ReadSealed takes both steps.
func (e *Evidence) ReadSealedContent(ctx context.Context, evidenceID string, sequence int, readerKey []byte) (*evidence.SealedDelivery, error) {
	transient, err := readerKeyTransient(readerKey)
	if err != nil {
		return nil, fmt.Errorf("ReadSealedContent: %w", err)
	}
	c := e.ownPeer("ReadSealedContent", evidenceID, strconv.Itoa(sequence))
	c.Transient = transient
	return evaluateCall[evidence.SealedDelivery](ctx, e.v.s, c)
}

// GetAccessRequest reads an access request with its decisions.
func (e *Evidence) GetAccessRequest(ctx context.Context, requestID string) (*evidence.AccessRequest, error) {
	return evaluateRecord[evidence.AccessRequest](ctx, e.v, "GetAccessRequest", requestID)
}

// GetAccessRequestHistory reads every version of an access request, newest
// first.
func (e *Evidence) GetAccessRequestHistory(ctx context.Context, requestID string) (*evidence.History, error) {
	return evaluateRecord[evidence.History](ctx, e.v, "GetAccessRequestHistory", requestID)
}

// GetAccessLog reads one page of an evidence item's access log, oldest
// first: every opening of its sealed content, by whom, when, under which
// grant.
func (e *Evidence) GetAccessLog(ctx context.Context, evidenceID string, pageSize int32, bookmark string) (*evidence.AccessLogPage, error) {
	return evaluateRecord[evidence.AccessLogPage](ctx, e.v, "GetAccessLog", paged(pageSize, bookmark, evidenceID)...)
}

// WhoAmI returns the caller as the contract sees it: MSP ID, role and
// certificate identity. A grantee gives its MSP ID and identity to the
// clerk who records its access request.
func (e *Evidence) WhoAmI(ctx context.Context) (*foundation.Caller, error) {
	return evaluateRecord[foundation.Caller](ctx, e.v, "WhoAmI")
}

// SealedContent is an evidence item's sealed bytes as ReadSealed delivers
// them, with the access log entry they were delivered against.
type SealedContent struct {
	// Entry is the committed access log entry: who opened what, when,
	// under which grant.
	Entry evidence.AccessLogEntry `json:"entry"`
	// SealedAs says what Data is: the content (evidence.SealedAsContent)
	// or the key that decrypts content kept outside the ledger
	// (evidence.SealedAsKey).
	SealedAs string `json:"sealedAs"`
	// Data is the plaintext. It is left out of JSON, so that printing a
	// SealedContent never prints sealed bytes.
	Data []byte `json:"-"`
}

// ReadSealed reads the sealed content of the access request requestID,
// which a judge granted to the caller, in the contract's two steps: it
// submits OpenSealedContent, which commits the access log entry (the
// returned Result is that transaction's), then evaluates ReadSealedContent
// on the caller's own organisation's peer with a fresh random one-time key
// from crypto/rand, and decrypts and checks the delivery. The key is never
// reused and is wiped after use.
//
// If the opening committed but the delivery failed, the error says so and
// the Result is returned with it: the access is logged even though nothing
// was read.
func (e *Evidence) ReadSealed(ctx context.Context, requestID string) (*SealedContent, *Result, error) {
	entry, result, err := e.OpenSealedContent(ctx, evidence.OpenSealedContentRequest{RequestID: requestID})
	if err != nil {
		return nil, result, err
	}
	delivered := func(err error) error {
		return fmt.Errorf("access log entry %s #%d was committed in transaction %s, but the sealed content was not delivered: %w",
			entry.EvidenceID, entry.Sequence, result.TransactionID, err)
	}
	key, _, err := newReaderKey()
	if err != nil {
		return nil, result, delivered(err)
	}
	defer clear(key)
	delivery, err := e.ReadSealedContent(ctx, entry.EvidenceID, entry.Sequence, key)
	if err != nil {
		return nil, result, delivered(err)
	}
	data, err := openDelivery(delivery, entry, key)
	if err != nil {
		return nil, result, delivered(err)
	}
	return &SealedContent{Entry: *entry, SealedAs: delivery.SealedAs, Data: data}, result, nil
}

// errWrongDelivery is a delivery for another access log entry than the
// one opened.
var errWrongDelivery = errors.New("the delivery is for another access log entry or digest")

// openDelivery checks that a delivery is the one of entry and decrypts
// it.
func openDelivery(d *evidence.SealedDelivery, entry *evidence.AccessLogEntry, key []byte) ([]byte, error) {
	if d.EvidenceID != entry.EvidenceID || d.Sequence != entry.Sequence || d.SealedSHA256 != entry.SealedSHA256 {
		return nil, errWrongDelivery
	}
	return d.Open(key) // checks that the plaintext has the sealed digest
}
