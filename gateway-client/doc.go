// Package govclient is how a govshare department talks to the network: a
// client of one organisation, built on the Fabric Gateway client API
// (github.com/hyperledger/fabric-gateway).
//
// Open a [Client] from the organisation's generated folder (its
// connection.json names the gateway peer, the TLS root and each role's
// certificate and key). A Client holds one gRPC connection to the
// organisation's gateway peer; every role and every channel share it.
//
//	c, err := govclient.Open(".govshare/network/organizations/UniversityA")
//	...
//	defer c.Close()
//	registrar, err := c.As("registrar")
//	...
//	credit, receipt, err := registrar.Education().RecordCredit(ctx, request, student)
//
// The examples show it whole: opening a client and choosing a role
// ([Open]), a typed write and the [TxError] of a refused one
// ([Education.RecordCredit]), a query ([Education.GetTranscript]) and a
// change listener that resumes ([Session.Changes]).
//
// A [Session] signs as one role. Its typed contract views
// ([Session.Education], [Session.Finance], [Session.Evidence]) take and
// return Go structs, choose submit or evaluate for each function, and
// apply default timeouts when the context has none. Private input (student
// details, party names, sealed evidence) travels as transient data.
//
// Errors say who refused what: a [TxError] names the function, the channel,
// the stage that failed (endorse, submit, commit or evaluate), the
// transaction ID, the validation code of a failed commit, and each
// refusing peer's organisation and message. Transactions that fail
// validation with MVCC_READ_CONFLICT or PHANTOM_READ_CONFLICT are endorsed
// again, up to a bounded number of attempts with growing pauses, before the
// error is returned.
//
// A submit survives the failure of an orderer. A Raft leader that dies
// drops the transactions it accepted but had not yet cut into a block, and
// Fabric tells no one; so a submit waits for its commit a bounded time
// ([WithCommitWait], a few seconds, more when commits are slow), and if the
// gateway's peer has not committed the transaction by then, it hands the
// same signed transaction to the orderers again. While there is no Raft
// leader the ordering service answers UNAVAILABLE; the transaction is
// offered again with pauses of up to a second, for at most
// [WithOrdererWait] from its first submission (longer than an election
// takes), after which the submit fails with a [TxError] whose
// [TxError.OrderingUnavailable] is true: a lost quorum is reported in
// seconds, not at the deadline. Sending the same transaction again is safe:
// a transaction ID commits at most once, a later copy is marked
// DUPLICATE_TXID without being applied, and the result is the first
// copy's block and validation code ([Result.Submissions] counts the
// copies). A transaction still in no block at the context's deadline is
// reported with its ID (stage "commit status": a copy an orderer holds may
// yet commit, so look it up before submitting it again). Read conflicts
// are different: they make a new transaction, with a new ID.
//
// [Session.ChaincodeEvents] and [Session.Changes] deliver events with a
// durable checkpoint file, written after each handled event: a listener
// that stops (a handler returning [ErrStop] or an error, a cancelled
// context) and starts again resumes right after the last event it
// finished, missing none and repeating none. Killed between handling an
// event and writing its checkpoint, a listener sees that one event again:
// delivery is at least once, so handlers should be idempotent. A broken
// event stream is reported as an error, never as a quiet end. [HashFile]
// hashes large files as a stream.
package govclient
