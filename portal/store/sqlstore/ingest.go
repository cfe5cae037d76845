package sqlstore

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/govshare/govshare/chaincode/finance"
	"github.com/govshare/govshare/portal/readmodel"
	"github.com/govshare/govshare/portal/store"
)

// NextBlock returns the channel's checkpoint: the next block to apply.
func (s *Store) NextBlock(ctx context.Context, channel string) (uint64, error) {
	var next int64
	err := s.db.QueryRowContext(ctx, s.d.bind("SELECT next_block FROM channels WHERE channel = ?"), channel).Scan(&next)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read the checkpoint of %s: %w", channel, err)
	}
	return uint64(next), nil
}

// Apply writes a block's batch and its channel's checkpoint in one
// transaction.
func (s *Store) Apply(ctx context.Context, b *readmodel.Batch) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	seq := s.seq
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		w := &writer{ctx: ctx, tx: tx, d: s.d, stmts: map[string]*sql.Stmt{}}
		defer w.close()
		next, err := s.nextBlockIn(ctx, tx, b.Block.Channel)
		if err != nil {
			return err
		}
		if b.Block.Number != next {
			return fmt.Errorf("%w: %s block %d, the read model expects block %d", store.ErrOutOfOrder, b.Block.Channel, b.Block.Number, next)
		}
		if seq, err = w.ledger(b, seq); err != nil {
			return err
		}
		return w.domain(b)
	})
	if err != nil {
		return fmt.Errorf("apply block %d of %s: %w", b.Block.Number, b.Block.Channel, err)
	}
	s.seq = seq
	return nil
}

func (s *Store) nextBlockIn(ctx context.Context, tx *sql.Tx, channel string) (uint64, error) {
	var next int64
	err := tx.QueryRowContext(ctx, s.d.bind("SELECT next_block FROM channels WHERE channel = ?"), channel).Scan(&next)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read the checkpoint: %w", err)
	}
	return uint64(next), nil
}

// writer writes one batch in one SQL transaction, preparing each statement
// once.
type writer struct {
	ctx   context.Context
	tx    *sql.Tx
	d     Dialect
	stmts map[string]*sql.Stmt
}

func (w *writer) close() {
	for _, st := range w.stmts {
		st.Close()
	}
}

// exec runs query with args and returns the number of rows it changed.
func (w *writer) exec(query string, args ...any) (int64, error) {
	st, ok := w.stmts[query]
	if !ok {
		var err error
		if st, err = w.tx.PrepareContext(w.ctx, w.d.bind(query)); err != nil {
			return 0, fmt.Errorf("prepare %q: %w", firstLine(query), err)
		}
		w.stmts[query] = st
	}
	res, err := st.ExecContext(w.ctx, args...)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", firstLine(query), err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("%s: %w", firstLine(query), err)
	}
	return n, nil
}

func firstLine(query string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(query), "\n")
	return line
}

// ledger writes the block, its transactions, writes and events, and moves
// the channel's checkpoint past the block. It returns the last feed
// sequence number used.
func (w *writer) ledger(b *readmodel.Batch, seq int64) (int64, error) {
	blk := b.Block
	if _, err := w.exec(`INSERT INTO blocks (channel, number, hash, previous_hash, data_hash, transactions, block_time)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, blk.Channel, int64(blk.Number), blk.Hash, blk.PreviousHash, blk.DataHash, blk.Transactions, timeText(blk.Time)); err != nil {
		return seq, err
	}
	valid := 0
	for _, t := range b.Transactions {
		if t.Valid {
			valid++
		}
		endorsers, err := json.Marshal(t.Endorsers)
		if err != nil {
			return seq, fmt.Errorf("encode endorsers: %w", err)
		}
		seq++
		if _, err := w.exec(`INSERT INTO transactions (seq, channel, block, idx, tx_id, tx_time, tx_type, creator_msp, creator_role,
			creator_name, chaincode, chaincode_version, fn, valid, validation_code, event, endorsers, writes, size, problem)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			seq, t.Channel, int64(t.Block), t.Index, t.TxID, timeText(t.Time), t.Type, t.CreatorMSP, t.CreatorRole,
			t.CreatorName, t.Chaincode, t.Version, t.Function, t.Valid, t.ValidationCode, t.Event, string(endorsers), t.Writes, t.Size, t.Problem); err != nil {
			return seq, err
		}
	}
	for _, wr := range b.Writes {
		if err := w.write(wr); err != nil {
			return seq, err
		}
	}
	for _, e := range b.Events {
		if _, err := w.exec(`INSERT INTO events (channel, block, tx_idx, tx_id, chaincode, name, payload, valid) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			e.Channel, int64(e.Block), e.TxIndex, e.TxID, e.Chaincode, e.Name, textOf(e.Payload), e.Valid); err != nil {
			return seq, err
		}
	}
	_, err := w.exec(`INSERT INTO channels (channel, next_block, last_hash, transactions, valid, updated_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (channel) DO UPDATE SET next_block = excluded.next_block, last_hash = excluded.last_hash,
		transactions = channels.transactions + excluded.transactions, valid = channels.valid + excluded.valid, updated_at = excluded.updated_at`,
		blk.Channel, int64(blk.Number)+1, blk.Hash, len(b.Transactions), valid, timeText(blk.Time))
	return seq, err
}

// Value encodings of the writes table.
const (
	encodingNone   = ""
	encodingJSON   = "json"
	encodingText   = "text"
	encodingBase64 = "base64"
)

func (w *writer) write(wr readmodel.Write) error {
	attributes, err := json.Marshal(wr.Attributes)
	if err != nil {
		return fmt.Errorf("encode key attributes: %w", err)
	}
	endorsers, err := json.Marshal(wr.Endorsers)
	if err != nil {
		return fmt.Errorf("encode key endorsers: %w", err)
	}
	var value any // NULL
	encoding := encodingNone
	switch {
	case wr.Value == nil:
	case json.Valid(wr.Value):
		value, encoding = string(wr.Value), encodingJSON
	case plainText(wr.Value):
		value, encoding = string(wr.Value), encodingText
	default:
		value, encoding = base64.StdEncoding.EncodeToString(wr.Value), encodingBase64
	}
	key := wr.Key
	if !plainText([]byte(key)) {
		key = strconv.QuoteToASCII(key)
	}
	_, err = w.exec(`INSERT INTO writes (channel, block, tx_idx, idx, tx_id, valid, namespace, collection, object_type, attributes,
		state_key, key_hash, value_hash, written_value, value_encoding, is_delete, policy_write, endorsers)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		wr.Channel, int64(wr.Block), wr.TxIndex, wr.Index, wr.TxID, wr.Valid, wr.Namespace, wr.Collection, wr.ObjectType, string(attributes),
		key, wr.KeyHash, wr.ValueHash, value, encoding, wr.Delete, wr.PolicyWrite, string(endorsers))
	return err
}

// plainText reports whether data can be stored as text in every dialect:
// UTF-8 without NUL characters.
func plainText(data []byte) bool {
	return utf8.Valid(data) && !strings.ContainsRune(string(data), 0)
}

// textOf stores data as text when it is, in base64 otherwise.
func textOf(data []byte) string {
	if plainText(data) {
		return string(data)
	}
	return base64.StdEncoding.EncodeToString(data)
}

// domain upserts the batch's domain records.
func (w *writer) domain(b *readmodel.Batch) error {
	for _, step := range []func() error{
		func() error { return put(w, accreditations, b.Accreditations) },
		func() error { return put(w, credits, b.Credits) },
		func() error { return put(w, recognitions, b.Recognitions) },
		func() error { return put(w, revocations, b.Revocations) },
		func() error { return put(w, diplomas, b.Diplomas) },
		func() error { return put(w, resources, b.Resources) },
		func() error { return put(w, appropriations, b.Appropriations) },
		func() error { return put(w, budgets, b.Budgets) },
		func() error { return put(w, allocations, b.Allocations) },
		func() error { return put(w, spending, b.Spending) },
		func() error { return w.disbursements(b.Disbursements) },
		func() error { return put(w, reversals, b.Reversals) },
		func() error { return put(w, approvals, b.Approvals) },
		func() error { return w.reversalEntries(b.ReversalEntries) },
		func() error { return put(w, findings, b.Findings) },
		func() error { return put(w, cases, b.Cases) },
		func() error { return put(w, evidenceItems, b.Evidence) },
		func() error { return put(w, notarisations, b.Notarisations) },
		func() error { return put(w, custody, b.Custody) },
		func() error { return put(w, accessRequests, b.AccessRequests) },
		func() error { return put(w, accessLog, b.AccessLog) },
	} {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// put upserts records into table t.
func put[T any](w *writer, t table[T], records []readmodel.Record[T]) error {
	for _, r := range records {
		if _, err := t.upsert(w, r, false); err != nil {
			return err
		}
	}
	return nil
}

// disbursements inserts payments, which the ledger writes once, and adds
// each new one to its payee's totals.
func (w *writer) disbursements(records []readmodel.Record[finance.Disbursement]) error {
	for _, r := range records {
		inserted, err := disbursementTable.upsert(w, r, true)
		if err != nil {
			return err
		}
		if inserted == 0 {
			continue
		}
		if _, err := w.exec(`UPDATE totals SET n = n + 1 WHERE kind = 'disbursements'`); err != nil {
			return err
		}
		d := r.Value
		if _, err := w.exec(`INSERT INTO fin_payees (payee_reg, currency, name, disbursements, amount, reversed) VALUES (?, ?, ?, 1, ?, 0)
			ON CONFLICT (payee_reg, currency) DO UPDATE SET name = excluded.name, disbursements = fin_payees.disbursements + 1,
			amount = fin_payees.amount + excluded.amount`,
			d.Payee.RegistrationNumber, d.Currency, d.Payee.Name, d.Amount); err != nil {
			return err
		}
	}
	return nil
}

// reversalEntries inserts executed reversals, which the ledger writes
// once, and takes a reversed payment's amount back from its payee's
// totals.
func (w *writer) reversalEntries(records []readmodel.Record[finance.ReversalEntry]) error {
	for _, r := range records {
		inserted, err := reversalEntries.upsert(w, r, true)
		if err != nil {
			return err
		}
		if inserted == 0 || r.Value.RecordType != finance.TypeDisbursement {
			continue
		}
		if _, err := w.exec(`UPDATE fin_payees SET reversed = reversed + ?
			WHERE (payee_reg, currency) IN (SELECT payee_reg, currency FROM fin_disbursements WHERE disbursement_id = ?)`,
			r.Value.Amount, r.Value.RecordID); err != nil {
			return err
		}
	}
	return nil
}
