// Package foundation is what every govshare contract is built on: access
// rules, key schemas, strict request decoding, deterministic writes with one
// event per transaction, paginated listings, history and key-level
// endorsement. The education, finance and judicial-evidence contracts use
// it so that each of these concerns is written and tested once.
//
// # A transaction function
//
// A contract is a struct embedding contractapi.Contract. Each transaction
// function takes one JSON request argument (write functions) or a few plain
// arguments (queries) and reads like its specification:
//
//	// RecordCredit records a course credit.
//	//
//	// Access: role "registrar" of UniversityAMSP or UniversityBMSP.
//	// ...
//	func (c *Contract) RecordCredit(ctx contractapi.TransactionContextInterface, request string) (*Credit, error) {
//		var req RecordCreditRequest
//		tx, err := foundation.BeginRequest(ctx, foundation.Allow("RecordCredit",
//			foundation.Role(consortium.RoleRegistrar, consortium.UniversityAMSP, consortium.UniversityBMSP)),
//			request, &req)
//		if err != nil {
//			return nil, err
//		}
//		key, err := creditKeys.Key(req.CreditID)
//		...
//		found, err := tx.Get(key, &existing)
//		...
//		if found {
//			return nil, foundation.AlreadyExists("credit", req.CreditID, "")
//		}
//		if err := tx.Put(key, credit); err != nil {
//			return nil, err
//		}
//		return credit, tx.Emit("CreditRecorded")
//	}
//
// Query functions start with Begin instead and check their plain
// arguments with Arguments.
//
// # Access
//
// Begin (and BeginRequest) checks the function's Rule before anything else
// is read or decoded. A Rule
// names the function and lists Grants: Role(role, mspIDs...) admits users of
// those organisations whose certificate attribute govshare.role equals
// role; AnyRole(mspIDs...) admits every identity of those organisations.
// The caller (Caller: MSP ID, role, certificate name) comes from the
// creator's certificate through the client identity library, never from an
// argument. A refused call gets an *AccessError naming the function, the
// caller's MSP and role and what the rule requires. Rules that depend on
// the ledger (the caller's organisation must be accredited, must own the
// record) are checked by the contract after Begin and refused with
// Tx.Deny, which builds the same error.
//
// # Errors
//
// Errors caused by the caller, the input or the state wrap one sentinel:
// ErrAccessDenied (*AccessError), ErrInvalidInput (*InputError with one
// FieldError per problem), ErrNotFound, ErrAlreadyExists or ErrConflict
// (*RecordError, built with NotFound, AlreadyExists and Conflict). Tests and
// contracts tell them apart with errors.Is. InputError messages name the
// field but never echo its value, which may be personal data.
//
// # Input
//
// DecodeRequest decodes a write function's JSON request into a struct that
// implements Request: at most MaxRequestBytes (a BatchRequest, which
// carries many records in one transaction, sets its own limit), valid
// UTF-8, exactly one
// object, every field name exactly a field's JSON name at every depth (no
// other case, no Unicode folding, no name twice), no unpaired \u
// surrogate, then the struct's Validate method reports field problems
// through Fields (Identifier, Text, SHA256Hex, Hex, Secret, Int, OneOf,
// Date, ...), so that every reader of the signed bytes reads the same
// request. Text refuses invisible formatting and bidirectional control
// characters; Secret refuses salts and keys that are obviously not random.
// Tx.Transient does the same for a transient data entry, the channel for
// personal data bound for a private collection.
//
// # Private data in responses
//
// A query that returns private data reads the reader's one-time key from
// the transient data (Tx.ReaderKey) and returns the record encrypted under
// it (Tx.Deliver, a Delivery the reader opens with Delivery.OpenRecord): a
// response that a client submits by mistake lands in a block that every
// member keeps, and must tell them nothing.
//
// # Keys
//
// Each contract declares its keys in one file, as KeyType values built with
// NewKeyType(objectType, attributeNames...). KeyType.Key builds a full
// composite key; listings take a prefix of the attribute values. Choose the
// attribute order so that every listing the contract needs is a prefix.
//
// # Writes and events
//
// Tx.Get reads committed state (a transaction does not see its own
// writes). Tx.Put writes a struct as JSON — deterministic because struct
// fields are encoded in declaration order; records must not contain maps —
// and records the change. Tx.PutPrivate writes to a private collection,
// skipping the write when the collection already holds the same bytes.
// Tx.RequireEndorsement sets a key-level endorsement policy naming the
// organisations whose peers must endorse later changes of the key. Tx.Emit
// publishes the transaction's one chaincode event (Fabric keeps one per
// transaction): an Event whose Changes name every write (the key, the
// operation, the collection, the endorsers of a new key-level policy). The
// values are not repeated: they are in the transaction's write set in the
// same block, and private values are never in either.
//
// Times come from the transaction timestamp (Tx.Time), never from the local
// clock; amounts are integers in the smallest unit the contract counts.
//
// # Queries
//
// Tx.Page and List return one page of a listing over a partial composite
// key, in key order, with an opaque bookmark for the next page (PageSize:
// default DefaultPageSize, capped at MaxPageSize); a bookmark that does not
// belong to the listing is refused. Tx.Scan visits a whole listing, for
// totals; ScanEach and ScanAll decode it into records. Find reads one
// record that must exist. History returns every version of a record,
// newest first, and HistoryOf wraps it in the RecordHistory a query
// returns, named with RecordName.
//
// Package ledgertest provides the in-memory ledger the contracts' unit
// tests run on.
package foundation
