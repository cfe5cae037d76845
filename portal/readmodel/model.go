package readmodel

import (
	"encoding/json"
	"time"

	"github.com/govshare/govshare/chaincode/education"
	"github.com/govshare/govshare/chaincode/evidence"
	"github.com/govshare/govshare/chaincode/finance"
	govclient "github.com/govshare/govshare/gateway-client"
)

// Chaincode names of the domain contracts, the namespaces of their state.
const (
	EducationChaincode = "education"
	FinanceChaincode   = "finance"
	EvidenceChaincode  = "evidence"
)

// Position is where a record was written: its transaction and block.
type Position struct {
	Channel string    `json:"channel"`
	Block   uint64    `json:"block"`
	TxID    string    `json:"txId"`
	Time    time.Time `json:"time"`
}

// Block is one block of a channel.
type Block struct {
	Channel      string `json:"channel"`
	Number       uint64 `json:"number"`
	Hash         string `json:"hash"`
	PreviousHash string `json:"previousHash"`
	DataHash     string `json:"dataHash"`
	Transactions int    `json:"transactions"`
	// Time is the latest client timestamp of its transactions; zero for a
	// block without any.
	Time time.Time `json:"time"`
}

// Transaction is one transaction of a block, valid or not.
type Transaction struct {
	Channel string    `json:"channel"`
	Block   uint64    `json:"block"`
	Index   int       `json:"index"`
	TxID    string    `json:"txId"`
	Time    time.Time `json:"time"`
	// Type is "transaction" or "config".
	Type        string `json:"type"`
	CreatorMSP  string `json:"creatorMsp"`
	CreatorRole string `json:"creatorRole,omitempty"`
	CreatorName string `json:"creatorName,omitempty"`
	Chaincode   string `json:"chaincode,omitempty"`
	Version     string `json:"chaincodeVersion,omitempty"`
	Function    string `json:"function,omitempty"`
	Valid       bool   `json:"valid"`
	// ValidationCode is Fabric's name of the code, "VALID" or why not.
	ValidationCode string               `json:"validationCode"`
	Event          string               `json:"event,omitempty"`
	Endorsers      []govclient.Endorser `json:"endorsers,omitempty"`
	Writes         int                  `json:"writes"`
	Size           int                  `json:"size"`
	// Problem says what part of the transaction could not be read.
	Problem string `json:"problem,omitempty"`
}

// Write is one entry of a transaction's write set: a public key with the
// value written, or a private key and value as the hashes the block holds,
// or a key's new endorsement policy.
type Write struct {
	Channel string `json:"channel"`
	Block   uint64 `json:"block"`
	TxIndex int    `json:"txIndex"`
	// Index is the entry's place in the transaction's write set.
	Index int    `json:"index"`
	TxID  string `json:"txId"`
	// Valid is the transaction's validity: the writes of an invalid one
	// were never applied.
	Valid bool `json:"valid"`
	govclient.Write
}

// MarshalJSON writes the write's place with the write's own JSON (whose
// value goes to the field that fits it, see govclient.Write).
func (w Write) MarshalJSON() ([]byte, error) {
	inner, err := json.Marshal(w.Write)
	if err != nil {
		return nil, err
	}
	outer, err := json.Marshal(struct {
		Channel string `json:"channel"`
		Block   uint64 `json:"block"`
		TxIndex int    `json:"txIndex"`
		Index   int    `json:"index"`
		TxID    string `json:"txId"`
		Valid   bool   `json:"valid"`
	}{w.Channel, w.Block, w.TxIndex, w.Index, w.TxID, w.Valid})
	if err != nil {
		return nil, err
	}
	if len(inner) <= 2 { // {}
		return outer, nil
	}
	return append(append(outer[:len(outer)-1], ','), inner[1:]...), nil
}

// Event is the chaincode event of a transaction.
type Event struct {
	Channel   string `json:"channel"`
	Block     uint64 `json:"block"`
	TxIndex   int    `json:"txIndex"`
	TxID      string `json:"txId"`
	Chaincode string `json:"chaincode"`
	Name      string `json:"name"`
	// Payload is the event's payload: JSON (a foundation.Event for the
	// domain contracts), or a JSON string of any other payload.
	Payload json.RawMessage `json:"payload"`
	Valid   bool            `json:"valid"`
}

// Record is a domain record as written at a position.
type Record[T any] struct {
	At    Position `json:"recorded"`
	Value T        `json:"record"`
}

// Revocation types.
const (
	RevokedCredit      = "credit"
	RevokedRecognition = "recognition"
	RevokedDiploma     = "diploma"
)

// Revocation is the withdrawal of an education record by its university.
type Revocation struct {
	// RecordType is one of the Revoked constants; RecordID the credit ID,
	// "creditId/recognisedBy" of a recognition, or a diploma's document
	// hash.
	RecordType string `json:"recordType"`
	RecordID   string `json:"recordId"`
	// Issuer is the university that withdrew it.
	Issuer string `json:"issuer"`
	education.Revocation
}

// Batch is everything the read model records for one block: the block, its
// transactions, their events and writes, and the domain records its valid
// transactions wrote, each kind in ledger order.
type Batch struct {
	Block        Block
	Transactions []Transaction
	Writes       []Write
	Events       []Event

	Accreditations []Record[education.Accreditation]
	Credits        []Record[education.Credit]
	Recognitions   []Record[education.Recognition]
	Revocations    []Record[Revocation]
	Diplomas       []Record[education.Diploma]
	Resources      []Record[education.LearningResource]

	Appropriations  []Record[finance.Appropriation]
	Allocations     []Record[finance.Allocation]
	Disbursements   []Record[finance.Disbursement]
	Budgets         []Record[finance.AppropriationBalance]
	Spending        []Record[finance.AllocationBalance]
	Reversals       []Record[finance.Reversal]
	Approvals       []Record[finance.Approval]
	ReversalEntries []Record[finance.ReversalEntry]
	Findings        []Record[finance.Finding]

	Cases          []Record[evidence.Case]
	Evidence       []Record[evidence.Evidence]
	Notarisations  []Record[evidence.Notarisation]
	Custody        []Record[evidence.CustodyEvent]
	AccessRequests []Record[evidence.AccessRequest]
	AccessLog      []Record[evidence.AccessLogEntry]
}

// Records returns how many domain records the batch holds.
func (b *Batch) Records() int {
	return len(b.Accreditations) + len(b.Credits) + len(b.Recognitions) + len(b.Revocations) + len(b.Diplomas) +
		len(b.Resources) + len(b.Appropriations) + len(b.Allocations) + len(b.Disbursements) + len(b.Budgets) +
		len(b.Spending) + len(b.Reversals) + len(b.Approvals) + len(b.ReversalEntries) + len(b.Findings) +
		len(b.Cases) + len(b.Evidence) + len(b.Notarisations) + len(b.Custody) + len(b.AccessRequests) + len(b.AccessLog)
}
