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
