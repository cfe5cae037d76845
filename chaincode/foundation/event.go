package foundation

import "time"

// Event is the JSON payload of the chaincode event every write transaction
// emits (see Tx.Emit). The event's name is also in the payload, so a
// listener that stores payloads keeps it.
//
// Fabric records at most one event per transaction, so the event lists
// every change the transaction made rather than one event per write.
//
// The event names the records a transaction changed but does not repeat
// their values: they are in the transaction's write set, in the same block,
// which every channel member's peer holds (govclient's Changes feed reads
// them from there), and a query returns the current one. Repeating them
// made every write transaction carry each record twice: RecordCredit's
// transaction was 538 bytes (7%) larger for the orderers to replicate and
// every peer to check and store (docs/performance.md).
type Event struct {
	Name      string    `json:"name"`
	Function  string    `json:"function"`
	TxID      string    `json:"txId"`
	Timestamp time.Time `json:"timestamp"`
	Caller    Caller    `json:"caller"`
	Changes   []Change  `json:"changes"`
}

// Change operations.
const (
	// OpCreate writes a key that the transaction read and found absent.
	OpCreate = "create"
	// OpUpdate writes a key that the transaction read and found present.
	OpUpdate = "update"
	// OpPut writes a key the transaction did not read.
	OpPut = "put"
	// OpDelete deletes a key.
	OpDelete = "delete"
	// OpEndorsement sets a key's endorsement policy without writing its value.
	OpEndorsement = "endorsement"
)

// Change is one write of a transaction.
type Change struct {
	// Op is one of the Op constants.
	Op string `json:"op"`
	// Collection is the private data collection written, empty for the
	// public world state.
	Collection string `json:"collection,omitempty"`
	// ObjectType and Attributes identify the key (see KeyType).
	ObjectType string   `json:"objectType"`
	Attributes []string `json:"attributes"`
	// Endorsers lists the organisations whose peers must endorse later
	// changes of the key, when the transaction set its endorsement policy.
	Endorsers []string `json:"endorsers,omitempty"`
}
