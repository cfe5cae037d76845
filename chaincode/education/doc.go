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
//   - University registrars (UniversityAMSP and UniversityBMSP, role
//     "registrar") record credits (RecordCredit), recognise other
//     universities' credits (RecogniseCredit), revoke their own credits and
//     recognitions (RevokeCredit, RevokeRecognition), register and revoke
//     diplomas (RegisterDiploma, RevokeDiploma) and register learning
//     resources (RegisterLearningResource).
//   - Every identity of the channel's members — the ministry, the
//     universities and OversightMSP (whose inspectors audit) — reads every
//     public record: Get*, List*, GetTranscript, VerifyDiploma and the
//     history functions.
//   - Students' personal data is private: GetStudentRecord, for the
//     student's university and the ministry only.
//
// Each function's comment states its access rule, request, reads, rules,
// writes and event; its first statement declares the same access rule in
// code (foundation.Begin with foundation.Allow).
//
// # Requests
//
// Every write function takes one argument, a JSON object decoded strictly
// (unknown, duplicate or mistyped fields are refused): AccreditRequest,
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
// state, the events or error messages.
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
