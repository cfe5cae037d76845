package foundation

import (
	"encoding/json"
	"time"
)

// Event is the JSON payload of the chaincode event every write transaction
// emits (see Tx.Emit). The event's name is also in the payload, so a
// listener that stores payloads keeps it.
//
// Fabric records at most one event per transaction, so the event lists
// every change the transaction made rather than one event per write.
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
	// Value is the record written to the public world state. It is absent
	// for deletions and for private data, whose values never leave the
	// collection.
	Value json.RawMessage `json:"value,omitempty"`
	// Endorsers lists the organisations whose peers must endorse later
	// changes of the key, when the transaction set its endorsement policy.
	Endorsers []string `json:"endorsers,omitempty"`
}
