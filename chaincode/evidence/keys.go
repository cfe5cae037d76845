package evidence

import (
	"fmt"

	"github.com/govshare/govshare/chaincode/foundation"
)

// The key schema: every key the evidence contract reads or writes.
//
//	evd.case          caseId                 -> Case
//	evd.evidence      caseId, evidenceId     -> Evidence
//	evd.locator       evidenceId             -> evidenceLocator (the case of an evidence ID)
//	evd.hash          contentSha256, caseId  -> hashEntry (the evidence with this content in this case)
//	evd.notarisation  evidenceId, sequence   -> Notarisation
//	evd.custody       evidenceId, sequence   -> CustodyEvent
//	evd.request       requestId              -> AccessRequest
//	evd.accesslog     evidenceId, sequence   -> AccessLogEntry
//	evd.parties       caseId                 -> CaseParties, private, in SealedEvidence
//	evd.sealed        evidenceId             -> sealedRecord, private, in SealedEvidence
//
// A case's evidence is one partial-key range (caseId), which is the case
// summary's listing. Content digests lead the evd.hash key, so
// verification by hash is one range over every case that holds the
// content, and the per-case duplicate check is one full key. Notarisations,
// custody events and access log entries of an item are ranges too; their
// sequence numbers are zero-padded so that key order is the order in which
// they were appended.
var (
	caseKeys         = foundation.NewKeyType("evd.case", "caseId")
	evidenceKeys     = foundation.NewKeyType("evd.evidence", "caseId", "evidenceId")
	locatorKeys      = foundation.NewKeyType("evd.locator", "evidenceId")
	hashKeys         = foundation.NewKeyType("evd.hash", "contentSha256", "caseId")
	notarisationKeys = foundation.NewKeyType("evd.notarisation", "evidenceId", "sequence")
	custodyKeys      = foundation.NewKeyType("evd.custody", "evidenceId", "sequence")
	requestKeys      = foundation.NewKeyType("evd.request", "requestId")
	accessLogKeys    = foundation.NewKeyType("evd.accesslog", "evidenceId", "sequence")
	partyKeys        = foundation.NewKeyType("evd.parties", "caseId")
	sealedKeys       = foundation.NewKeyType("evd.sealed", "evidenceId")
)

// sequenceAttribute writes a sequence number (1, 2, ...) as a key attribute
// that sorts in numeric order.
func sequenceAttribute(n int) string {
	return fmt.Sprintf("%010d", n)
}

// evidenceLocator is the value of an evd.locator key.
type evidenceLocator struct {
	CaseID string `json:"caseId"`
}

// hashEntry is the value of an evd.hash key.
type hashEntry struct {
	EvidenceID string `json:"evidenceId"`
}

// sealedRecord is the private record of an evidence item's sealed bytes:
// the content itself, or the key that decrypts content kept elsewhere.
type sealedRecord struct {
	EvidenceID   string `json:"evidenceId"`
	CaseID       string `json:"caseId"`
	SealedAs     string `json:"sealedAs"`
	SealedSHA256 string `json:"sealedSha256"`
	Data         []byte `json:"data"`
}
