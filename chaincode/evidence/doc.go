// Package evidence is the judicial-evidence contract, deployed as chaincode
// "evidence" on channel judicial-evidence: electronic evidence that the
// internet court and the notary office put on the ledger so that no party
// can later deny or alter it, with sealed content that only holders of a
// judge's grant can open, and every opening logged.
//
// # Who does what
//
//   - Court clerks (InternetCourtMSP, role "clerk") open cases
//     (OpenCase), submit evidence (SubmitEvidence), record its handling
//     (RecordCustodyEvent) and record requests for access to sealed
//     content (RequestAccess).
//   - Court judges (InternetCourtMSP, role "judge") close and seal cases
//     (CloseCase, SealCase) and grant, deny and revoke access
//     (GrantAccess, DenyAccess, RevokeAccess).
//   - Notaries (NotaryOfficeMSP, role "notary") submit evidence, attest it
//     (NotariseEvidence) and record its handling.
//   - The grantee of a current grant — an identity of InternetCourtMSP or
//     NotaryOfficeMSP, named by its certificate — opens the sealed content
//     (OpenSealedContent, submitted) and has it delivered
//     (ReadSealedContent, evaluated).
//   - Every identity of the channel — the court, the notary office and
//     OversightMSP, which is read only — verifies content by hash
//     (VerifyEvidenceByHash) and reads the public records: case summaries,
//     evidence, notarisations, custody chains, access requests, the access
//     log, and the history of cases, evidence and access requests.
//     GetCaseParties is for the court's clerks and judges and the notaries,
//     and delivers the names encrypted under the reader's one-time key.
//
// Each function's comment states its access rule, request, reads, rules,
// writes and event; its first statement declares the same access rule in
// code (foundation.Begin with foundation.Allow).
//
// # Requests
//
// Every write function takes one argument, a JSON object decoded strictly
// (unknown, duplicate or mistyped fields are refused, every field is
// validated and bounded, see the Max constants): OpenCaseRequest,
// CaseDecisionRequest, SubmitEvidenceRequest, NotariseRequest,
// CustodyEventRequest, AccessRequestRequest, GrantAccessRequest,
// AccessDecisionRequest, OpenSealedContentRequest. Digests are SHA-256 in
// lower-case hex; request times are RFC 3339 with a time zone. Every time
// the contract records is the transaction's timestamp, and every "by" is
// the caller as its certificate says (foundation.Caller), never a request
// field.
//
// # Private data
//
// Two things never reach the public state, an event or an error message:
// the parties' names, sent to OpenCase as transient data "parties" with a
// secret random salt that keeps them from being guessed from the hash of
// the private record every peer holds (the case ID and the party
// references are public), and an
// evidence item's sealed bytes, sent to SubmitEvidence raw as transient
// data "content" — the content itself (at most MaxContentBytes), or the key
// that decrypts content kept elsewhere. SubmitEvidence checks that the
// bytes hash to the declared digest (contentSha256, or keySha256 for a
// key) before anything is written. Both go to the SealedEvidence
// collection, whose members are InternetCourtMSP and NotaryOfficeMSP and
// which is member-only for reads and writes: other organisations' peers
// keep only hashes, and the members' peers serve the data to their own
// clients only. A sealed key that is obviously not secret is refused, since
// its digest is public; sealed content is as private as its digest, which
// is public by design (VerifyEvidenceByHash): seal content with few possible
// values (a short message) as a key to an encrypted copy instead.
//
// # Access to sealed content
//
// A clerk records an access request naming the grantee by MSP ID and
// certificate identity (what WhoAmI returns to the grantee); a judge grants
// it until an expiry time, or denies it; a judge may revoke a grant. The
// grantee then reads in two steps: OpenSealedContent, submitted, writes an
// access log entry (who, what, when, under which grant); ReadSealedContent,
// evaluated, delivers the sealed bytes against that committed entry,
// encrypted with a one-time key the reader sends as transient data
// "readerKey". So content never leaves the chaincode without a committed
// log entry, and never enters a block in clear: a submitted transaction's
// response is part of the transaction every channel member receives. The
// limits of this are spelled out on OpenSealedContent and
// ReadSealedContent.
//
// # Endorsement
//
// The chaincode-level policy requires InternetCourtMSP and NotaryOfficeMSP.
// Every public key the contract creates — case, evidence, locator, content
// index, notarisation, custody event, access request, access log entry —
// also gets a key-level endorsement policy naming both, so that every later
// change of it needs both organisations' peers whatever the chaincode's own
// policy becomes.
//
// # Events and history
//
// Each write emits one chaincode event (see the Event constants) whose
// payload is a foundation.Event listing every key written. Cases, evidence
// items and access requests change over time and have a history function;
// notarisations, custody events and access log entries are written once,
// in numbered order, and never changed.
package evidence
