package evidence

import (
	"fmt"
	"strings"
	"time"

	"github.com/govshare/govshare/chaincode/foundation"
)

// Limits of requests and transient data. Every one of them is checked, and
// a request over a limit is refused with an *foundation.InputError naming
// the field and the limit.
const (
	// MaxNameLength bounds court names, case types and party names, in
	// characters.
	MaxNameLength = 200
	// MaxParties bounds the parties of a case.
	MaxParties = 50
	// MaxDescriptionLength bounds an evidence description, in characters.
	MaxDescriptionLength = 2000
	// MaxProvenanceLength bounds the capture tool and source, in
	// characters.
	MaxProvenanceLength = 500
	// MaxMediaTypeLength bounds a media type ("image/png"), in characters.
	MaxMediaTypeLength = 127
	// MaxSizeBytes bounds the declared size of evidence content (1 TiB);
	// content kept outside the ledger may be large.
	MaxSizeBytes = 1 << 40
	// MaxContentBytes bounds sealed content sent as transient data (1 MiB).
	// Larger content is kept elsewhere, encrypted, and its key sealed.
	MaxContentBytes = 1 << 20
	// Sizes of a sealed decryption key, in bytes.
	MinKeyBytes = 16
	MaxKeyBytes = 64
	// MaxStatementLength bounds a notary's statement, in characters.
	MaxStatementLength = 2000
	// MaxReasonLength bounds reasons, purposes and notes, in characters.
	MaxReasonLength = 500
	// MaxCertificateIDLength bounds a grantee's certificate identity.
	MaxCertificateIDLength = 1024
	// MaxNotarisations bounds the attestations of one evidence item.
	MaxNotarisations = 100
	// MaxCustodyEvents bounds the custody chain of one evidence item.
	MaxCustodyEvents = 1000
	// MaxGrantDuration bounds how long a grant of access may run.
	MaxGrantDuration = 90 * 24 * time.Hour
	// AccessWindow is how long after an access log entry the content may
	// be delivered against it (see ReadSealedContent).
	AccessWindow = 15 * time.Minute
	// ReaderKeyBytes is the size of the reader's one-time AES-256 key.
	ReaderKeyBytes = foundation.ReaderKeyBytes
	// Sizes of the secret salt of a case's party names, in bytes.
	MinSaltBytes = 16
	MaxSaltBytes = 64
)

// Transient data keys.
const (
	// TransientParties carries OpenCase's party names, as a JSON
	// PartyNames.
	TransientParties = "parties"
	// TransientContent carries SubmitEvidence's sealed bytes, raw: the
	// content itself or the key that decrypts it (see SealedAs).
	TransientContent = "content"
	// TransientReaderKey carries the one-time reader key of
	// ReadSealedContent and GetCaseParties, as a JSON ReaderKey.
	TransientReaderKey = foundation.TransientReaderKey
)

// OpenCaseRequest is the request of OpenCase. The parties' names travel
// separately, as transient data (TransientParties).
//
//	{"caseId": "IC-2025-0042", "court": "Internet Court of Example City", "caseType": "online contract dispute",
//	 "parties": [{"ref": "P1", "role": "plaintiff"}, {"ref": "P2", "role": "defendant"}]}
type OpenCaseRequest struct {
	CaseID   string  `json:"caseId"`
	Court    string  `json:"court"`
	CaseType string  `json:"caseType"`
	Parties  []Party `json:"parties"`
}

// Validate implements foundation.Request.
func (r *OpenCaseRequest) Validate(v *foundation.Fields) {
	v.Identifier("caseId", r.CaseID)
	v.Text("court", r.Court, MaxNameLength)
	v.Text("caseType", r.CaseType, MaxNameLength)
	if len(r.Parties) == 0 || len(r.Parties) > MaxParties {
		v.Problem("parties", fmt.Sprintf("must list 1 to %d parties", MaxParties))
		return
	}
	seen := make([]string, 0, len(r.Parties))
	for i, p := range r.Parties {
		field := fmt.Sprintf("parties[%d]", i)
		if v.Identifier(field+".ref", p.Ref) {
			for _, s := range seen {
				if s == p.Ref {
					v.Problem(field+".ref", "is used by an earlier party")
				}
			}
			seen = append(seen, p.Ref)
		}
		v.OneOf(field+".role", p.Role, PartyPlaintiff, PartyDefendant, PartyThirdParty, PartyOther)
	}
}

// PartyNames is the transient input of OpenCase: a secret random salt and
// the name of every party of the request, by reference, in the request's
// order. The salt is kept with the names in the SealedEvidence collection:
// every peer of the channel holds the hash of that private value, and the
// case ID and party references are public, so without a salt nobody's name
// would stay secret from a guess. The client draws it at random (govclient
// does when it is empty); one that is obviously not secret is refused.
//
//	{"salt": "<32 to 128 hex>", "parties": [{"ref": "P1", "name": "Example Trading Ltd"}, {"ref": "P2", "name": "Jane Example"}]}
type PartyNames struct {
	Salt    string      `json:"salt"`
	Parties []PartyName `json:"parties"`
}

// Validate implements foundation.Request.
func (p *PartyNames) Validate(v *foundation.Fields) {
	v.Secret("salt", p.Salt, MinSaltBytes, MaxSaltBytes)
	if len(p.Parties) == 0 || len(p.Parties) > MaxParties {
		v.Problem("parties", fmt.Sprintf("must list 1 to %d parties", MaxParties))
		return
	}
	for i, n := range p.Parties {
		field := fmt.Sprintf("parties[%d]", i)
		v.Identifier(field+".ref", n.Ref)
		v.Text(field+".name", n.Name, MaxNameLength)
	}
}

// CaseDecisionRequest is the request of CloseCase and SealCase.
//
//	{"caseId": "IC-2025-0042", "reason": "judgment delivered"}
type CaseDecisionRequest struct {
	CaseID string `json:"caseId"`
	Reason string `json:"reason"`
}

// Validate implements foundation.Request.
func (r *CaseDecisionRequest) Validate(v *foundation.Fields) {
	v.Identifier("caseId", r.CaseID)
	v.Text("reason", r.Reason, MaxReasonLength)
}

// ProvenanceInput is the capture provenance in a SubmitEvidenceRequest.
// capturedAt is an RFC 3339 time.
type ProvenanceInput struct {
	Tool       string `json:"tool"`
	CapturedAt string `json:"capturedAt"`
	Source     string `json:"source"`
}

// SubmitEvidenceRequest is the request of SubmitEvidence. The sealed bytes
// travel separately, raw, as transient data (TransientContent): with
// sealedAs "content" they are the content, which must hash to
// contentSha256 and be sizeBytes long; with sealedAs "key" they are the key
// that decrypts the content kept elsewhere, which must hash to keySha256.
//
//	{"evidenceId": "EV-0001", "caseId": "IC-2025-0042", "contentSha256": "<64 hex>",
//	 "mediaType": "image/png", "sizeBytes": 48213, "description": "screenshot of the seller's offer page",
//	 "provenance": {"tool": "WebCapture 3.2", "capturedAt": "2025-08-30T14:05:00Z", "source": "https://shop.example/offer/17"},
//	 "sealedAs": "content"}
type SubmitEvidenceRequest struct {
	EvidenceID    string          `json:"evidenceId"`
	CaseID        string          `json:"caseId"`
	ContentSHA256 string          `json:"contentSha256"`
	MediaType     string          `json:"mediaType"`
	SizeBytes     int64           `json:"sizeBytes"`
	Description   string          `json:"description"`
	Provenance    ProvenanceInput `json:"provenance"`
	SealedAs      string          `json:"sealedAs"`
	KeySHA256     string          `json:"keySha256,omitempty"`

	capturedAt time.Time
}

// Validate implements foundation.Request.
func (r *SubmitEvidenceRequest) Validate(v *foundation.Fields) {
	v.Identifier("evidenceId", r.EvidenceID)
	v.Identifier("caseId", r.CaseID)
	v.SHA256Hex("contentSha256", r.ContentSHA256)
	checkMediaType(v, "mediaType", r.MediaType)
	v.Int("sizeBytes", r.SizeBytes, 1, MaxSizeBytes)
	v.Text("description", r.Description, MaxDescriptionLength)
	v.Text("provenance.tool", r.Provenance.Tool, MaxProvenanceLength)
	r.capturedAt, _ = checkTime(v, "provenance.capturedAt", r.Provenance.CapturedAt)
	v.Text("provenance.source", r.Provenance.Source, MaxProvenanceLength)
	if !v.OneOf("sealedAs", r.SealedAs, SealedAsContent, SealedAsKey) {
		return
	}
	switch {
	case r.SealedAs == SealedAsKey:
		v.SHA256Hex("keySha256", r.KeySHA256)
	case r.KeySHA256 != "":
		v.Problem("keySha256", `must be absent when sealedAs is "content"`)
	case r.SizeBytes > MaxContentBytes:
		v.Problem("sizeBytes", fmt.Sprintf(`must be at most %d when sealedAs is "content"; seal the key of larger content kept elsewhere`, MaxContentBytes))
	}
}

// sealedSHA256 is the digest the sealed bytes must have.
func (r *SubmitEvidenceRequest) sealedSHA256() string {
	if r.SealedAs == SealedAsKey {
		return r.KeySHA256
	}
	return r.ContentSHA256
}

// NotariseRequest is the request of NotariseEvidence.
//
//	{"evidenceId": "EV-0001", "statement": "captured in my presence on 30 August 2025, notarial record 2025-117"}
type NotariseRequest struct {
	EvidenceID string `json:"evidenceId"`
	Statement  string `json:"statement"`
}

// Validate implements foundation.Request.
func (r *NotariseRequest) Validate(v *foundation.Fields) {
	v.Identifier("evidenceId", r.EvidenceID)
	v.Text("statement", r.Statement, MaxStatementLength)
}

// CustodyEventRequest is the request of RecordCustodyEvent. counterparty
// is required for "transferred" and optional otherwise; note is optional.
//
//	{"evidenceId": "EV-0001", "action": "transferred", "counterparty": "forensic laboratory", "note": "sealed bag 17"}
type CustodyEventRequest struct {
	EvidenceID   string `json:"evidenceId"`
	Action       string `json:"action"`
	Counterparty string `json:"counterparty,omitempty"`
	Note         string `json:"note,omitempty"`
}

// Validate implements foundation.Request.
func (r *CustodyEventRequest) Validate(v *foundation.Fields) {
	v.Identifier("evidenceId", r.EvidenceID)
	v.OneOf("action", r.Action, CustodyReceived, CustodyExamined, CustodyTransferred, CustodyReturned)
	if r.Action == CustodyTransferred {
		v.Text("counterparty", r.Counterparty, MaxNameLength)
	} else {
		v.OptionalText("counterparty", r.Counterparty, MaxNameLength)
	}
	v.OptionalText("note", r.Note, MaxReasonLength)
}

// AccessRequestRequest is the request of RequestAccess. The grantee is an
// identity of a SealedEvidence member organisation, named by its MSP ID and
// certificate identity (what WhoAmI returns to that identity).
//
//	{"requestId": "AR-0001", "evidenceId": "EV-0001",
//	 "grantee": {"mspId": "NotaryOfficeMSP", "id": "x509::CN=notary,OU=client,...::CN=ca...."},
//	 "purpose": "counsel for the defendant prepares the hearing"}
type AccessRequestRequest struct {
	RequestID  string  `json:"requestId"`
	EvidenceID string  `json:"evidenceId"`
	Grantee    Grantee `json:"grantee"`
	Purpose    string  `json:"purpose"`
}

// Validate implements foundation.Request.
func (r *AccessRequestRequest) Validate(v *foundation.Fields) {
	v.Identifier("requestId", r.RequestID)
	v.Identifier("evidenceId", r.EvidenceID)
	v.OneOf("grantee.mspId", r.Grantee.MSPID, evidenceOrganizations()...)
	checkCertificateID(v, "grantee.id", r.Grantee.ID)
	v.Text("purpose", r.Purpose, MaxReasonLength)
}

// GrantAccessRequest is the request of GrantAccess. expiresAt is an RFC
// 3339 time after the transaction and at most MaxGrantDuration after it.
//
//	{"requestId": "AR-0001", "expiresAt": "2025-09-15T17:00:00Z", "reason": "needed for the hearing of 12 September"}
type GrantAccessRequest struct {
	RequestID string `json:"requestId"`
	ExpiresAt string `json:"expiresAt"`
	Reason    string `json:"reason,omitempty"`

	expiresAt time.Time
}

// Validate implements foundation.Request.
func (r *GrantAccessRequest) Validate(v *foundation.Fields) {
	v.Identifier("requestId", r.RequestID)
	r.expiresAt, _ = checkTime(v, "expiresAt", r.ExpiresAt)
	v.OptionalText("reason", r.Reason, MaxReasonLength)
}

// AccessDecisionRequest is the request of DenyAccess and RevokeAccess.
//
//	{"requestId": "AR-0001", "reason": "the purpose does not need the sealed content"}
type AccessDecisionRequest struct {
	RequestID string `json:"requestId"`
	Reason    string `json:"reason"`
}

// Validate implements foundation.Request.
func (r *AccessDecisionRequest) Validate(v *foundation.Fields) {
	v.Identifier("requestId", r.RequestID)
	v.Text("reason", r.Reason, MaxReasonLength)
}

// OpenSealedContentRequest is the request of OpenSealedContent.
//
//	{"requestId": "AR-0001"}
type OpenSealedContentRequest struct {
	RequestID string `json:"requestId"`
}

// Validate implements foundation.Request.
func (r *OpenSealedContentRequest) Validate(v *foundation.Fields) {
	v.Identifier("requestId", r.RequestID)
}

// ReaderKey is the transient input of ReadSealedContent and
// GetCaseParties: a fresh random AES-256 key, chosen by the reader for
// this one read, that the delivered data is encrypted with.
//
//	{"key": "<64 lower-case hex>"}
type ReaderKey = foundation.ReaderKey

// TimeLayout is the layout of times in requests, responses and error
// messages: RFC 3339, with fractional seconds when there are any.
const TimeLayout = time.RFC3339Nano

// checkTime checks a required RFC 3339 time with a time zone, from 1970 on,
// and returns it in UTC.
func checkTime(v *foundation.Fields, field, value string) (time.Time, bool) {
	if !v.Required(field, value) {
		return time.Time{}, false
	}
	t, err := time.Parse(TimeLayout, value)
	if err != nil {
		v.Problem(field, "must be an RFC 3339 time with a time zone, such as 2025-09-01T08:00:00Z")
		return time.Time{}, false
	}
	if t.Before(time.Unix(0, 0)) {
		v.Problem(field, "must not be before 1970")
		return time.Time{}, false
	}
	return t.UTC(), true
}

// checkMediaType checks a media type without parameters, type/subtype
// (RFC 6838 restricted names), at most MaxMediaTypeLength characters.
func checkMediaType(v *foundation.Fields, field, value string) bool {
	if !v.Required(field, value) {
		return false
	}
	typ, sub, ok := strings.Cut(value, "/")
	if !ok || len(value) > MaxMediaTypeLength || !isRestrictedName(typ) || !isRestrictedName(sub) {
		v.Problem(field, fmt.Sprintf("must be a media type such as image/png: type/subtype, at most %d characters, without parameters", MaxMediaTypeLength))
		return false
	}
	return true
}

// isRestrictedName reports whether s is an RFC 6838 restricted-name: a
// letter or digit, then letters, digits and ! # $ & - ^ _ . +, at most 63
// characters.
func isRestrictedName(s string) bool {
	if s == "" || len(s) > 63 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		alnum := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		if !alnum && (i == 0 || !strings.ContainsRune("!#$&-^_.+", rune(c))) {
			return false
		}
	}
	return true
}

// checkCertificateID checks a certificate identity as the client identity
// library writes it: "x509::<subject DN>::<issuer DN>".
func checkCertificateID(v *foundation.Fields, field, value string) bool {
	if !v.Text(field, value, MaxCertificateIDLength) {
		return false
	}
	rest, ok := strings.CutPrefix(value, "x509::")
	subject, issuer, found := strings.Cut(rest, "::")
	if !ok || !found || subject == "" || issuer == "" {
		v.Problem(field, `must be a certificate identity "x509::<subject DN>::<issuer DN>", as WhoAmI returns it`)
		return false
	}
	return true
}
