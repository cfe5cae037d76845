package evidence

import (
	"time"

	"github.com/govshare/govshare/chaincode/foundation"
)

// Case statuses. A case is open until a judge closes or seals it; both are
// final for new evidence, and sealing is final for access too.
const (
	// CaseOpen: evidence may be submitted.
	CaseOpen = "open"
	// CaseClosed: no new evidence. Existing evidence can still be
	// notarised, handled and, with a judge's grant, opened.
	CaseClosed = "closed"
	// CaseSealed: no new evidence and no access to sealed content: no new
	// access requests or grants, and existing grants no longer open it.
	CaseSealed = "sealed"
)

// Party roles in a case.
const (
	PartyPlaintiff  = "plaintiff"
	PartyDefendant  = "defendant"
	PartyThirdParty = "third-party"
	PartyOther      = "other"
)

// Forms of sealed bytes.
const (
	// SealedAsContent: the sealed bytes are the evidence content itself.
	SealedAsContent = "content"
	// SealedAsKey: the sealed bytes are the key that decrypts the content,
	// which is kept outside the ledger.
	SealedAsKey = "key"
)

// Custody actions.
const (
	CustodyReceived    = "received"
	CustodyExamined    = "examined"
	CustodyTransferred = "transferred"
	CustodyReturned    = "returned"
)

// Access request statuses.
const (
	AccessPending = "pending"
	AccessGranted = "granted"
	AccessDenied  = "denied"
	AccessRevoked = "revoked"
)

// Party is a party of a case as the public ledger knows it: a reference
// chosen by the court and the party's role. The party's name is kept in
// the SealedEvidence collection (see CaseParties).
type Party struct {
	Ref  string `json:"ref"`
	Role string `json:"role"`
}

// Case is a court case that evidence is submitted to.
type Case struct {
	CaseID string `json:"caseId"`
	// Court names the court hearing the case.
	Court    string    `json:"court"`
	CaseType string    `json:"caseType"`
	Parties  []Party   `json:"parties"`
	Status   string    `json:"status"`
	OpenedAt time.Time `json:"openedAt"`
	// OpenedBy is the clerk who opened the case, from the certificate.
	OpenedBy foundation.Caller `json:"openedBy"`
	// Closure and Sealing are the judge's decisions, when made.
	Closure *CaseDecision `json:"closure,omitempty" metadata:",optional"`
	Sealing *CaseDecision `json:"sealing,omitempty" metadata:",optional"`
}

// CaseDecision is a judge's decision on a case or an access request: who,
// when and why.
type CaseDecision struct {
	Reason string            `json:"reason"`
	At     time.Time         `json:"at"`
	By     foundation.Caller `json:"by"`
}

// PartyName is a party's reference and name, private.
type PartyName struct {
	Ref  string `json:"ref"`
	Name string `json:"name"`
}

// CaseParties is the private record of a case's party names, kept only in
// the SealedEvidence collection of the court and the notary office, with
// the secret salt that keeps the names from being tested against the hash
// of the record, which every peer of the channel holds.
type CaseParties struct {
	CaseID  string      `json:"caseId"`
	Salt    string      `json:"salt"`
	Parties []PartyName `json:"parties"`
}

// Provenance says how an evidence item was captured, as the submitter
// claims it.
type Provenance struct {
	// Tool is the capturing tool (a forensic capture program, a camera).
	Tool string `json:"tool"`
	// CapturedAt is the claimed capture time; it cannot be after the
	// submission.
	CapturedAt time.Time `json:"capturedAt"`
	// Source is where the evidence was captured: a platform, a URL, a
	// device.
	Source string `json:"source"`
}

// Evidence is an electronic evidence item as the public ledger holds it:
// its digest and metadata. The content (or the key to it) is sealed in the
// SealedEvidence collection.
type Evidence struct {
	EvidenceID string `json:"evidenceId"`
	CaseID     string `json:"caseId"`
	// ContentSHA256 is the SHA-256 of the content, in lower-case hex; it
	// is what VerifyEvidenceByHash looks up.
	ContentSHA256 string     `json:"contentSha256"`
	MediaType     string     `json:"mediaType"`
	SizeBytes     int64      `json:"sizeBytes"`
	Description   string     `json:"description"`
	Provenance    Provenance `json:"provenance"`
	// SealedAs says what the collection holds: the content, or the key
	// that decrypts content kept elsewhere. SealedSHA256 is the digest of
	// those bytes (the content digest, when the content itself is sealed).
	SealedAs     string `json:"sealedAs"`
	SealedSHA256 string `json:"sealedSha256"`
	// SubmittedBy is the submitter, from the certificate, and SubmittedAt
	// the transaction time.
	SubmittedBy foundation.Caller `json:"submittedBy"`
	SubmittedAt time.Time         `json:"submittedAt"`
	// Notarisations, CustodyEvents and AccessLogEntries count the item's
	// attestations, custody chain and openings of its sealed content.
	Notarisations    int `json:"notarisations"`
	CustodyEvents    int `json:"custodyEvents"`
	AccessLogEntries int `json:"accessLogEntries"`
}

// Notarisation is a notary's attestation of an evidence item.
type Notarisation struct {
	EvidenceID string `json:"evidenceId"`
	Sequence   int    `json:"sequence"`
	// ContentSHA256 is the digest the notary attests.
	ContentSHA256 string            `json:"contentSha256"`
	Statement     string            `json:"statement"`
	Notary        foundation.Caller `json:"notary"`
	NotarisedAt   time.Time         `json:"notarisedAt"`
}

// CustodyEvent is one link of an evidence item's chain of custody.
type CustodyEvent struct {
	EvidenceID string `json:"evidenceId"`
	// Sequence numbers the chain from 1, in the order of the ledger.
	Sequence int    `json:"sequence"`
	Action   string `json:"action"`
	// Counterparty is whom the item was received from, transferred to or
	// returned to, when the action has one.
	Counterparty string            `json:"counterparty,omitempty" metadata:",optional"`
	Note         string            `json:"note,omitempty" metadata:",optional"`
	Actor        foundation.Caller `json:"actor"`
	At           time.Time         `json:"at"`
}

// Grantee is who an access request is for: an organisation and a
// certificate identity in it ("x509::<subject DN>::<issuer DN>", as the
// client identity library names it; see WhoAmI).
type Grantee struct {
	MSPID string `json:"mspId"`
	ID    string `json:"id"`
}

// AccessGrant is a judge's grant of an access request.
type AccessGrant struct {
	ExpiresAt time.Time         `json:"expiresAt"`
	Reason    string            `json:"reason,omitempty" metadata:",optional"`
	At        time.Time         `json:"at"`
	By        foundation.Caller `json:"by"`
}

// AccessRequest is a request for access to an evidence item's sealed
// content, recorded by a clerk and decided by a judge.
type AccessRequest struct {
	RequestID   string            `json:"requestId"`
	EvidenceID  string            `json:"evidenceId"`
	CaseID      string            `json:"caseId"`
	Grantee     Grantee           `json:"grantee"`
	Purpose     string            `json:"purpose"`
	Status      string            `json:"status"`
	RequestedAt time.Time         `json:"requestedAt"`
	RequestedBy foundation.Caller `json:"requestedBy"`
	Grant       *AccessGrant      `json:"grant,omitempty" metadata:",optional"`
	Denial      *CaseDecision     `json:"denial,omitempty" metadata:",optional"`
	Revocation  *CaseDecision     `json:"revocation,omitempty" metadata:",optional"`
}

// AccessLogEntry records that a grantee opened an evidence item's sealed
// content: who, what, when and under which grant. ReadSealedContent
// delivers the content only against a committed entry.
type AccessLogEntry struct {
	EvidenceID string `json:"evidenceId"`
	// Sequence numbers the item's access log from 1.
	Sequence  int    `json:"sequence"`
	CaseID    string `json:"caseId"`
	RequestID string `json:"requestId"`
	// SealedSHA256 is the digest of the sealed bytes opened.
	SealedSHA256 string            `json:"sealedSha256"`
	Reader       foundation.Caller `json:"reader"`
	OpenedAt     time.Time         `json:"openedAt"`
	// TxID is the transaction that recorded the entry.
	TxID string `json:"txId"`
}

// SealedDelivery is sealed content as ReadSealedContent returns it:
// encrypted with the reader's one-time key (AES-256-GCM), so that the
// response is useless to anyone else even if it ends up in a block. Open
// decrypts it.
type SealedDelivery struct {
	EvidenceID string `json:"evidenceId"`
	// Sequence is the access log entry the delivery was made against.
	Sequence     int    `json:"sequence"`
	SealedAs     string `json:"sealedAs"`
	SealedSHA256 string `json:"sealedSha256"`
	Algorithm    string `json:"algorithm"`
	// Nonce is hex, Ciphertext base64 (standard encoding).
	Nonce      string `json:"nonce"`
	Ciphertext string `json:"ciphertext"`
}

// Submission is one submission of a content digest, as verification
// reports it.
type Submission struct {
	EvidenceID  string            `json:"evidenceId"`
	CaseID      string            `json:"caseId"`
	SubmittedBy foundation.Caller `json:"submittedBy"`
	SubmittedAt time.Time         `json:"submittedAt"`
	// Notarised is true if at least one notary attested the item.
	Notarised     bool `json:"notarised"`
	Notarisations int  `json:"notarisations"`
	// CustodyChainLength is the number of custody events recorded.
	CustodyChainLength int `json:"custodyChainLength"`
}

// EvidenceVerification answers "was this content submitted as evidence?".
type EvidenceVerification struct {
	ContentSHA256 string `json:"contentSha256"`
	// Found is true if at least one case holds the content.
	Found bool `json:"found"`
	// Submissions lists every case holding the content, in case ID order.
	Submissions []Submission `json:"submissions"`
}

// EvidenceSummary is the non-sensitive metadata of an evidence item shown
// in a case summary.
type EvidenceSummary struct {
	EvidenceID    string    `json:"evidenceId"`
	ContentSHA256 string    `json:"contentSha256"`
	MediaType     string    `json:"mediaType"`
	SizeBytes     int64     `json:"sizeBytes"`
	Description   string    `json:"description"`
	SubmitterMSP  string    `json:"submitterMspId"`
	SubmittedAt   time.Time `json:"submittedAt"`
	Notarisations int       `json:"notarisations"`
	CustodyEvents int       `json:"custodyEvents"`
}

// CaseSummary is a case and one page of its evidence, in evidence ID
// order.
type CaseSummary struct {
	Case     Case              `json:"case"`
	Evidence []EvidenceSummary `json:"evidence"`
	foundation.PageInfo
}

// CustodyChain is an evidence item's whole chain of custody, in order.
type CustodyChain struct {
	EvidenceID string         `json:"evidenceId"`
	Events     []CustodyEvent `json:"events"`
}

// NotarisationList is every attestation of an evidence item, in order.
type NotarisationList struct {
	EvidenceID    string         `json:"evidenceId"`
	Notarisations []Notarisation `json:"notarisations"`
}

// AccessLogPage is one page of an evidence item's access log, oldest
// first.
type AccessLogPage struct {
	EvidenceID string           `json:"evidenceId"`
	Entries    []AccessLogEntry `json:"entries"`
	foundation.PageInfo
}

// History lists every version of one record, newest first, named as
// `case "C-1"` (foundation.RecordHistory).
type History = foundation.RecordHistory
