package readmodel

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/govshare/govshare/chaincode/education"
	"github.com/govshare/govshare/chaincode/evidence"
	"github.com/govshare/govshare/chaincode/finance"
	govclient "github.com/govshare/govshare/gateway-client"
)

// Project returns what the read model records for a block. It never fails
// on the block's content: a domain value that does not decode into its
// contract type is left out and named in its transaction's Problem, so
// that the read model goes on and reconciliation reports the difference.
func Project(b *govclient.Block) *Batch {
	batch := &Batch{Block: Block{Channel: b.Channel, Number: b.Number, Hash: b.Hash, PreviousHash: b.PreviousHash,
		DataHash: b.DataHash, Transactions: len(b.Transactions)}}
	for _, tx := range b.Transactions {
		if tx.Time.After(batch.Block.Time) {
			batch.Block.Time = tx.Time
		}
		t := Transaction{Channel: b.Channel, Block: b.Number, Index: tx.Index, TxID: tx.TransactionID, Time: tx.Time.UTC(),
			Type: tx.Type, CreatorMSP: tx.Creator, CreatorRole: tx.CreatorRole, CreatorName: tx.CreatorName,
			Chaincode: tx.Chaincode, Version: tx.ChaincodeVersion, Function: tx.Function, Valid: tx.Valid,
			ValidationCode: tx.Code.String(), Event: tx.Event, Endorsers: tx.Endorsers, Writes: len(tx.Writes),
			Size: tx.Size, Problem: tx.Problem}
		for i, w := range tx.Writes {
			batch.Writes = append(batch.Writes, Write{Channel: b.Channel, Block: b.Number, TxIndex: tx.Index, Index: i,
				TxID: tx.TransactionID, Valid: tx.Valid, Write: w})
		}
		if tx.Event != "" {
			batch.Events = append(batch.Events, Event{Channel: b.Channel, Block: b.Number, TxIndex: tx.Index, TxID: tx.TransactionID,
				Chaincode: tx.Chaincode, Name: tx.Event, Payload: jsonPayload(tx.EventPayload), Valid: tx.Valid})
		}
		if tx.Valid {
			at := Position{Channel: b.Channel, Block: b.Number, TxID: tx.TransactionID, Time: tx.Time.UTC()}
			var problems []string
			for _, w := range tx.Writes {
				if err := batch.addRecord(at, w); err != nil {
					problems = append(problems, err.Error())
				}
			}
			if len(problems) > 0 {
				t.Problem = strings.Join(append([]string{t.Problem}, problems...), "; ")
				t.Problem = strings.TrimPrefix(t.Problem, "; ")
			}
		}
		batch.Transactions = append(batch.Transactions, t)
	}
	batch.Block.Time = batch.Block.Time.UTC()
	return batch
}

// jsonPayload keeps a JSON payload as it is and makes any other a JSON
// string.
func jsonPayload(payload []byte) json.RawMessage {
	if json.Valid(payload) {
		return payload
	}
	quoted, _ := json.Marshal(string(payload))
	return quoted
}

// recordKind decodes the value of one public key type of a domain contract
// into the batch.
type recordKind func(b *Batch, at Position, value []byte) error

// recordKinds maps a namespace and a key's object type to the kind of
// record its values are. Key types missing here (locators and indexes such
// as edu.credit, fin.payment, fin.reversalOf, evd.locator, evd.hash) hold
// nothing the read model does not get from the records themselves; their
// writes are kept with the others.
var recordKinds = map[string]map[string]recordKind{
	EducationChaincode: {
		"edu.accreditation": into(func(b *Batch) *[]Record[education.Accreditation] { return &b.Accreditations }),
		"edu.transcript":    transcriptEntry,
		"edu.diploma":       diploma,
		"edu.resource":      into(func(b *Batch) *[]Record[education.LearningResource] { return &b.Resources }),
	},
	FinanceChaincode: {
		"fin.appropriation": into(func(b *Batch) *[]Record[finance.Appropriation] { return &b.Appropriations }),
		"fin.allocation":    into(func(b *Batch) *[]Record[finance.Allocation] { return &b.Allocations }),
		"fin.disbursement":  into(func(b *Batch) *[]Record[finance.Disbursement] { return &b.Disbursements }),
		"fin.budget":        into(func(b *Batch) *[]Record[finance.AppropriationBalance] { return &b.Budgets }),
		"fin.spending":      into(func(b *Batch) *[]Record[finance.AllocationBalance] { return &b.Spending }),
		"fin.reversal":      into(func(b *Batch) *[]Record[finance.Reversal] { return &b.Reversals }),
		"fin.approval":      into(func(b *Batch) *[]Record[finance.Approval] { return &b.Approvals }),
		"fin.reversed":      into(func(b *Batch) *[]Record[finance.ReversalEntry] { return &b.ReversalEntries }),
		"fin.finding":       into(func(b *Batch) *[]Record[finance.Finding] { return &b.Findings }),
	},
	EvidenceChaincode: {
		"evd.case":         into(func(b *Batch) *[]Record[evidence.Case] { return &b.Cases }),
		"evd.evidence":     into(func(b *Batch) *[]Record[evidence.Evidence] { return &b.Evidence }),
		"evd.notarisation": into(func(b *Batch) *[]Record[evidence.Notarisation] { return &b.Notarisations }),
		"evd.custody":      into(func(b *Batch) *[]Record[evidence.CustodyEvent] { return &b.Custody }),
		"evd.request":      into(func(b *Batch) *[]Record[evidence.AccessRequest] { return &b.AccessRequests }),
		"evd.accesslog":    into(func(b *Batch) *[]Record[evidence.AccessLogEntry] { return &b.AccessLog }),
	},
}

// addRecord decodes a write of a valid transaction into the batch's domain
// records, if it is a public write of a domain record.
func (b *Batch) addRecord(at Position, w govclient.Write) error {
	if w.Collection != "" || w.PolicyWrite || w.Delete || w.ObjectType == "" {
		return nil // private, a policy, a deletion (no record is ever deleted), or no domain key
	}
	kind, ok := recordKinds[w.Namespace][w.ObjectType]
	if !ok {
		return nil
	}
	if err := kind(b, at, w.Value); err != nil {
		return fmt.Errorf("%s %s/%s: %w", w.Namespace, w.ObjectType, strings.Join(w.Attributes, "/"), err)
	}
	return nil
}

// into decodes a value into a record appended to the slice field picks.
func into[T any](field func(*Batch) *[]Record[T]) recordKind {
	return func(b *Batch, at Position, value []byte) error {
		v, err := decode[T](value)
		if err != nil {
			return err
		}
		records := field(b)
		*records = append(*records, Record[T]{At: at, Value: v})
		return nil
	}
}

// decode reads a contract's JSON value strictly: a field the contract type
// does not have means the read model is behind the contract.
func decode[T any](value []byte) (T, error) {
	var v T
	d := json.NewDecoder(bytes.NewReader(value))
	d.DisallowUnknownFields()
	if err := d.Decode(&v); err != nil {
		return v, fmt.Errorf("decode as %T: %w", v, err)
	}
	return v, nil
}

// transcriptEntry decodes an edu.transcript value: a credit (the entry of
// the credit itself) or a recognition, told apart by recognisedBy.
func transcriptEntry(b *Batch, at Position, value []byte) error {
	var probe struct {
		RecognisedBy string `json:"recognisedBy"`
	}
	if err := json.Unmarshal(value, &probe); err != nil {
		return fmt.Errorf("decode transcript entry: %w", err)
	}
	if probe.RecognisedBy == "" {
		c, err := decode[education.Credit](value)
		if err != nil {
			return err
		}
		b.Credits = append(b.Credits, Record[education.Credit]{At: at, Value: c})
		b.revoked(at, RevokedCredit, c.CreditID, c.Issuer, c.Revocation)
		return nil
	}
	r, err := decode[education.Recognition](value)
	if err != nil {
		return err
	}
	b.Recognitions = append(b.Recognitions, Record[education.Recognition]{At: at, Value: r})
	b.revoked(at, RevokedRecognition, r.CreditID+"/"+r.RecognisedBy, r.RecognisedBy, r.Revocation)
	return nil
}

func diploma(b *Batch, at Position, value []byte) error {
	d, err := decode[education.Diploma](value)
	if err != nil {
		return err
	}
	b.Diplomas = append(b.Diplomas, Record[education.Diploma]{At: at, Value: d})
	b.revoked(at, RevokedDiploma, d.DocumentHash, d.Issuer, d.Revocation)
	return nil
}

// revoked adds the revocation of a record when it carries one.
func (b *Batch) revoked(at Position, recordType, id, issuer string, r *education.Revocation) {
	if r == nil {
		return
	}
	rev := *r
	rev.RevokedAt = rev.RevokedAt.UTC()
	b.Revocations = append(b.Revocations, Record[Revocation]{At: at,
		Value: Revocation{RecordType: recordType, RecordID: id, Issuer: issuer, Revocation: rev}})
}
