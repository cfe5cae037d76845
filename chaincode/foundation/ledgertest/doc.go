// Package ledgertest is an in-memory Fabric ledger for unit tests of
// chaincode. It implements shim.ChaincodeStubInterface and behaves like a
// peer with a LevelDB state database where contracts can tell the
// difference:
//
//   - Reads see committed state only. GetState, range queries and history do
//     not see the writes of the running transaction; the writes are
//     buffered and applied when the transaction function returns nil, and
//     discarded when it returns an error.
//   - Range and partial-composite-key queries return keys in key order.
//     Paginated queries return at most the page size and a bookmark (the
//     next key, empty after the last page), and, as on a peer, they are
//     refused in a transaction that writes, and writes are refused after
//     them. The same holds for private data range queries.
//   - GetHistoryForKey returns every committed version of a key, newest
//     first, with transaction ID, timestamp and deletion flag.
//   - Private data collections are declared with WithCollection and are
//     member-only for reads and writes; GetPrivateDataHash works for every
//     client. Transient data is set per client with WithTransient.
//   - Key-level endorsement policies are stored with the key; a client
//     created with EndorsedBy has its transactions validated against them
//     at commit, as peers do.
//   - Transactions can also run concurrently: Client.Endorse simulates one
//     against the committed state without committing it, and
//     Ledger.CommitBlock validates endorsed transactions in block order as
//     a committing peer does: a key read at a version that is no longer
//     the committed one makes the transaction MVCC_READ_CONFLICT, a range
//     read that would now return other keys or versions
//     PHANTOM_READ_CONFLICT (see mvcc.go).
//   - The event of each committed transaction is recorded.
//   - Every transaction gets a new transaction ID and a timestamp that
//     advances by a fixed step.
//   - Creators are real X.509 certificates issued by one in-test CA per
//     organisation, carrying the govshare.role attribute in Fabric's
//     attribute extension and serialized as msp.SerializedIdentity, so the
//     client identity library (cid) parses them as it would on a peer.
//
// Methods the ledger does not support (rich queries, chaincode-to-chaincode
// calls, the signed proposal) return an error; none panics.
//
// A test creates a ledger, acts as a member of an organisation, and runs
// contract functions as transactions:
//
//	l := ledgertest.New(t, ledgertest.WithCollection("StudentPII_UniversityAMSP", "UniversityAMSP", "EduMinistryMSP"))
//	registrar := l.As("UniversityAMSP", "registrar")
//	credit, err := ledgertest.Call(registrar, func(ctx contractapi.TransactionContextInterface) (*education.Credit, error) {
//		return contract.RecordCredit(ctx, request)
//	})
//
// Client.Invoke runs a whole chaincode (contractapi.NewChaincode) with
// string arguments instead, as a peer would. Snapshot and Diff show that a
// refused transaction changed nothing; RequireRefused checks a refusal's
// error and that it changed nothing in one call, and RunRefusals runs a
// table of RefusalCase rows, each as a subtest, with that check.
// ChangeSummary lists an event's changes in one line each, for tests that
// compare what a transaction wrote. TransactionNames lists
// the functions a chaincode exposes, for tests that must cover them all.
//
// Matrix checks a chaincode's authorisation against a table written from
// the specification: it calls every function as every organisation × role
// of the consortium (ConsortiumIdentities) and expects the call admitted
// or refused by the declared rule, with nothing written. JSON,
// Client.RequireInvoke, Client.RequireQuery and Ledger.RequireLastEvent
// are the JSON chores of contract tests.
package ledgertest
