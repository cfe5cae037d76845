package sqlstore

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/govshare/govshare/chaincode/education"
	"github.com/govshare/govshare/chaincode/evidence"
	"github.com/govshare/govshare/portal/readmodel"
	"github.com/govshare/govshare/portal/store"
)

// Channels returns every channel's checkpoint and counts.
func (s *Store) Channels(ctx context.Context) ([]store.ChannelState, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT channel, next_block, last_hash, transactions, valid, updated_at FROM channels ORDER BY channel")
	if err != nil {
		return nil, fmt.Errorf("list channels: %w", err)
	}
	defer rows.Close()
	out := []store.ChannelState{}
	for rows.Next() {
		var c store.ChannelState
		var next int64
		var updated string
		if err := rows.Scan(&c.Channel, &next, &c.LastHash, &c.Transactions, &c.Valid, &updated); err != nil {
			return nil, fmt.Errorf("list channels: %w", err)
		}
		c.NextBlock, c.UpdatedAt = uint64(next), parseTime(updated)
		out = append(out, c)
	}
	return out, rows.Err()
}

const blockColumns = "channel, number, hash, previous_hash, data_hash, transactions, block_time"

func scanBlock(scan func(...any) error) (readmodel.Block, error) {
	var b readmodel.Block
	var number int64
	var t string
	err := scan(&b.Channel, &number, &b.Hash, &b.PreviousHash, &b.DataHash, &b.Transactions, &t)
	b.Number, b.Time = uint64(number), parseTime(t)
	return b, err
}

// Blocks lists a channel's blocks, newest first.
func (s *Store) Blocks(ctx context.Context, channel string, before uint64, limit int) ([]readmodel.Block, error) {
	limit = store.Page{Limit: limit}.Size()
	query := "SELECT " + blockColumns + " FROM blocks WHERE channel = ?"
	args := []any{channel}
	if before > 0 {
		query += " AND number < ?"
		args = append(args, int64(before))
	}
	rows, err := s.db.QueryContext(ctx, s.d.bind(query+" ORDER BY number DESC LIMIT "+strconv.Itoa(limit)), args...)
	if err != nil {
		return nil, fmt.Errorf("list blocks of %s: %w", channel, err)
	}
	defer rows.Close()
	out := []readmodel.Block{}
	for rows.Next() {
		b, err := scanBlock(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("list blocks of %s: %w", channel, err)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

const transactionColumns = `seq, channel, block, idx, tx_id, tx_time, tx_type, creator_msp, creator_role, creator_name, chaincode,
	chaincode_version, fn, valid, validation_code, event, endorsers, writes, size, problem`

func scanTransaction(scan func(...any) error) (store.FeedItem, error) {
	var f store.FeedItem
	t := &f.Transaction
	var block int64
	var at, endorsers string
	if err := scan(&f.Seq, &t.Channel, &block, &t.Index, &t.TxID, &at, &t.Type, &t.CreatorMSP, &t.CreatorRole, &t.CreatorName, &t.Chaincode,
		&t.Version, &t.Function, &t.Valid, &t.ValidationCode, &t.Event, &endorsers, &t.Writes, &t.Size, &t.Problem); err != nil {
		return f, err
	}
	t.Block, t.Time = uint64(block), parseTime(at)
	return f, decodeJSON(endorsers, &t.Endorsers)
}

func (s *Store) transactions(ctx context.Context, query string, args ...any) ([]store.FeedItem, error) {
	rows, err := s.db.QueryContext(ctx, s.d.bind(query), args...)
	if err != nil {
		return nil, fmt.Errorf("list transactions: %w", err)
	}
	defer rows.Close()
	out := []store.FeedItem{}
	for rows.Next() {
		f, err := scanTransaction(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("list transactions: %w", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// Block is one block with its transactions.
func (s *Store) Block(ctx context.Context, channel string, number uint64) (*store.BlockDetail, error) {
	b, err := scanBlock(s.db.QueryRowContext(ctx, s.d.bind("SELECT "+blockColumns+" FROM blocks WHERE channel = ? AND number = ?"), channel, int64(number)).Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("block %d of %s: %w", number, channel, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read block %d of %s: %w", number, channel, err)
	}
	txs, err := s.transactions(ctx, "SELECT "+transactionColumns+" FROM transactions WHERE channel = ? AND block = ? ORDER BY idx", channel, int64(number))
	if err != nil {
		return nil, err
	}
	d := &store.BlockDetail{Block: b, Transactions: []readmodel.Transaction{}}
	for _, t := range txs {
		d.Transactions = append(d.Transactions, t.Transaction)
	}
	return d, nil
}

const writeColumns = `channel, block, tx_idx, idx, tx_id, valid, namespace, collection, object_type, attributes, state_key, key_hash,
	value_hash, written_value, value_encoding, is_delete, policy_write, endorsers`

func scanWrite(scan func(...any) error) (readmodel.Write, error) {
	var w readmodel.Write
	var block int64
	var attributes, endorsers, encoding string
	var value sql.NullString
	if err := scan(&w.Channel, &block, &w.TxIndex, &w.Index, &w.TxID, &w.Valid, &w.Namespace, &w.Collection, &w.ObjectType, &attributes,
		&w.Key, &w.KeyHash, &w.ValueHash, &value, &encoding, &w.Delete, &w.PolicyWrite, &endorsers); err != nil {
		return w, err
	}
	w.Block = uint64(block)
	if err := decodeJSON(attributes, &w.Attributes); err != nil {
		return w, err
	}
	if err := decodeJSON(endorsers, &w.Endorsers); err != nil {
		return w, err
	}
	if value.Valid {
		w.Value = []byte(value.String)
		if encoding == encodingBase64 {
			data, err := base64.StdEncoding.DecodeString(value.String)
			if err != nil {
				return w, fmt.Errorf("decode stored value: %w", err)
			}
			w.Value = data
		}
	}
	return w, nil
}

func (s *Store) writes(ctx context.Context, query string, args ...any) ([]readmodel.Write, error) {
	rows, err := s.db.QueryContext(ctx, s.d.bind(query), args...)
	if err != nil {
		return nil, fmt.Errorf("list writes: %w", err)
	}
	defer rows.Close()
	out := []readmodel.Write{}
	for rows.Next() {
		w, err := scanWrite(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("list writes: %w", err)
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// Transaction is one transaction with its write set and event. A
// transaction ID that appears more than once (a duplicate, marked invalid)
// gives its first, valid occurrence.
func (s *Store) Transaction(ctx context.Context, channel, txID string) (*store.TransactionDetail, error) {
	txs, err := s.transactions(ctx, "SELECT "+transactionColumns+" FROM transactions WHERE channel = ? AND tx_id = ? ORDER BY block, idx LIMIT 1", channel, txID)
	if err != nil {
		return nil, err
	}
	if len(txs) == 0 {
		return nil, fmt.Errorf("transaction %s of %s: %w", txID, channel, store.ErrNotFound)
	}
	t := txs[0].Transaction
	d := &store.TransactionDetail{Transaction: t}
	if d.Writes, err = s.writes(ctx, "SELECT "+writeColumns+" FROM writes WHERE channel = ? AND block = ? AND tx_idx = ? ORDER BY idx",
		channel, int64(t.Block), t.Index); err != nil {
		return nil, err
	}
	var e readmodel.Event
	var block int64
	var payload string
	err = s.db.QueryRowContext(ctx, s.d.bind("SELECT channel, block, tx_idx, tx_id, chaincode, name, payload, valid FROM events WHERE channel = ? AND block = ? AND tx_idx = ?"),
		channel, int64(t.Block), t.Index).Scan(&e.Channel, &block, &e.TxIndex, &e.TxID, &e.Chaincode, &e.Name, &payload, &e.Valid)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return nil, fmt.Errorf("read the event of %s: %w", txID, err)
	default:
		e.Block, e.Payload = uint64(block), []byte(payload)
		if !json.Valid(e.Payload) {
			e.Payload, _ = json.Marshal(payload)
		}
		d.Event = &e
	}
	return d, nil
}

// Feed lists transactions in the order they were recorded.
func (s *Store) Feed(ctx context.Context, after int64, limit int) ([]store.FeedItem, error) {
	limit = store.Page{Limit: limit}.Size()
	if after >= 0 {
		return s.transactions(ctx, "SELECT "+transactionColumns+" FROM transactions WHERE seq > ? ORDER BY seq LIMIT "+strconv.Itoa(limit), after)
	}
	items, err := s.transactions(ctx, "SELECT "+transactionColumns+" FROM transactions ORDER BY seq DESC LIMIT "+strconv.Itoa(limit))
	for i, j := 0, len(items)-1; i < j; i, j = i+1, j-1 {
		items[i], items[j] = items[j], items[i]
	}
	return items, err
}

// KeyPolicies lists key-level endorsement policies set, newest first. The
// cursor is "channel|block|tx|index" of the last one.
func (s *Store) KeyPolicies(ctx context.Context, page store.Page) ([]readmodel.Write, string, error) {
	limit := page.Size()
	offset, _ := strconv.Atoi(page.After)
	out, err := s.writes(ctx, "SELECT "+writeColumns+" FROM writes WHERE policy_write ORDER BY block DESC, channel, tx_idx, idx LIMIT ? OFFSET ?", limit, max(0, offset))
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) == limit {
		next = strconv.Itoa(max(0, offset) + limit)
	}
	return out, next, nil
}

// Transcript is every credit, recognition and diploma of a student
// reference.
func (s *Store) Transcript(ctx context.Context, studentRef string) (*store.Transcript, error) {
	t := &store.Transcript{StudentRef: studentRef}
	var err error
	if t.Credits, err = records[education.Credit](ctx, s, "SELECT "+recordColumns+" FROM edu_credits WHERE student_ref = ? ORDER BY credit_id", studentRef); err != nil {
		return nil, err
	}
	if t.Recognitions, err = records[education.Recognition](ctx, s, "SELECT "+recordColumns+" FROM edu_recognitions WHERE student_ref = ? ORDER BY credit_id, recognised_by", studentRef); err != nil {
		return nil, err
	}
	if t.Diplomas, err = records[education.Diploma](ctx, s, "SELECT "+recordColumns+" FROM edu_diplomas WHERE student_ref = ? ORDER BY tx_time", studentRef); err != nil {
		return nil, err
	}
	return t, nil
}

// AccessLog lists openings of sealed evidence, newest first.
func (s *Store) AccessLog(ctx context.Context, page store.Page) ([]readmodel.Record[evidence.AccessLogEntry], string, error) {
	return newestFirst(ctx, s, "evd_access_log", "evidence_id", page, func(e evidence.AccessLogEntry) string { return e.EvidenceID })
}

// AccessRequests lists access requests, newest first.
func (s *Store) AccessRequests(ctx context.Context, page store.Page) ([]readmodel.Record[evidence.AccessRequest], string, error) {
	return newestFirst(ctx, s, "evd_access_requests", "request_id", page, func(r evidence.AccessRequest) string { return r.RequestID })
}
