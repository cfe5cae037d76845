// Package education is the education-credit contract, deployed as chaincode
// "education" on channel education-credit: a credit bank shared by the
// universities and the ministry of education, readable by the oversight
// body.
//
// # Who does what
//
//   - The ministry (EduMinistryMSP, role "officer") keeps the accreditation
//     registry: AccreditUniversity, SuspendAccreditation,
//     ReinstateAccreditation. A university without an active accreditation
//     can write nothing.
//   - University registrars (role "registrar" of any member organisation
//     the ministry has accredited: a university that joins the channel acts
//     once accredited, with no change to the contract) record credits (RecordCredit), recognise other
//     universities' credits (RecogniseCredit), revoke their own credits and
//     recognitions (RevokeCredit, RevokeRecognition), register and revoke
//     diplomas (RegisterDiploma, RevokeDiploma) and register learning
//     resources (RegisterLearningResource).
//   - Every identity of the channel's founding members — the ministry, the
//     universities and OversightMSP (whose inspectors audit) — and the
//     registrar of every university accredited since reads every public
//     record: Get*, List*, GetTranscript, VerifyDiploma and the history
//     functions.
//   - Students' personal data is private: GetStudentRecord, for the
//     student's university and the ministry only, delivers it encrypted
//     under a one-time key the reader sends as transient data "readerKey"
//     (foundation.Delivery), so that it never enters a block in clear.
//
// Each function's comment states its access rule, request, reads, rules,
// writes and event; its first statement declares the same access rule in
// code (foundation.Begin with foundation.Allow).
//
// # Requests
//
// Every write function takes one argument, a JSON object decoded strictly
// (unknown, duplicate or mistyped fields are refused, and names must be
// exactly the fields', with no other case or spelling): AccreditRequest,
// AccreditationDecisionRequest, RecordCreditRequest,
// RecogniseCreditRequest, RevokeCreditRequest, RegisterDiplomaRequest,
// RevokeDiplomaRequest, RegisterLearningResourceRequest. Credits are
// integers in tenths of a credit (creditTenths 75 = 7.5 credits). Digests
// are SHA-256 in lower-case hex. Times are the transaction's timestamp.
//
// # Students
//
// The public ledger knows a student only by a reference: the SHA-256 of a
// per-student random salt, a colon and the student number (StudentRef).
// RecordCredit and RegisterDiploma take the student's number, name, birth
// date and salt as transient data under the key "student"
// (StudentDetails), check that they hash to the request's studentRef, and
// keep them in the private collection StudentPII_<university MSP>, whose
// members are the university and the ministry. They never reach the public
// state, the events or error messages. The salt is the university's secret,
// and a salt that is obviously not secret (one byte repeated, a pattern,
// digits as text) is refused: the salt alone keeps the student number from
// being found from the public reference, and it is kept in the private
// record, whose hash every peer of the channel holds.
//
// # Endorsement
//
// Every credit and diploma key, and every recognition key, gets a
// key-level endorsement policy requiring the peers of the owning
// university and of EduMinistryMSP, so a revocation (or any later change)
// is valid only with the owner's endorsement, whatever the chaincode-level
// policy allows.
//
// # Events
//
// Each write emits one chaincode event (see the Event constants) whose
// payload is a foundation.Event listing every key written.
package education
