package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/govshare/govshare/portal/readmodel"
	"github.com/govshare/govshare/portal/store"
)

// recordColumns are the columns a query selects, in this order and after
// any others, to read a domain record with its position.
const recordColumns = "record, channel, block, tx_id, tx_time"

// recordRow receives the recordColumns of a row.
type recordRow struct {
	record, channel, txID, txTime string
	block                         int64
}

func (r *recordRow) dest(extra ...any) []any {
	return append(extra, &r.record, &r.channel, &r.block, &r.txID, &r.txTime)
}

func decodeRow[T any](r *recordRow) (readmodel.Record[T], error) {
	var out readmodel.Record[T]
	if err := json.Unmarshal([]byte(r.record), &out.Value); err != nil {
		return out, fmt.Errorf("decode stored %T: %w", out.Value, err)
	}
	out.At = readmodel.Position{Channel: r.channel, Block: uint64(r.block), TxID: r.txID, Time: parseTime(r.txTime)}
	return out, nil
}

// records runs a query that selects recordColumns (prefixed by alias and a
// dot if alias is not empty) and decodes every row.
func records[T any](ctx context.Context, s *Store, query string, args ...any) ([]readmodel.Record[T], error) {
	rows, err := s.db.QueryContext(ctx, s.d.bind(query), args...)
	if err != nil {
		return nil, fmt.Errorf("query %s: %w", firstLine(query), err)
	}
	defer rows.Close()
	out := []readmodel.Record[T]{}
	for rows.Next() {
		var r recordRow
		if err := rows.Scan(r.dest()...); err != nil {
			return nil, fmt.Errorf("read %s: %w", firstLine(query), err)
		}
		rec, err := decodeRow[T](&r)
		if err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", firstLine(query), err)
	}
	return out, nil
}

// one reads the single record a query selects; store.ErrNotFound (with
// what) when there is none.
func one[T any](ctx context.Context, s *Store, what, query string, args ...any) (readmodel.Record[T], error) {
	var r recordRow
	err := s.db.QueryRowContext(ctx, s.d.bind(query), args...).Scan(r.dest()...)
	if errors.Is(err, sql.ErrNoRows) {
		return readmodel.Record[T]{}, fmt.Errorf("%s: %w", what, store.ErrNotFound)
	}
	if err != nil {
		return readmodel.Record[T]{}, fmt.Errorf("read %s: %w", what, err)
	}
	return decodeRow[T](&r)
}

// maybe is one for a record that may be absent: nil then.
func maybe[T any](ctx context.Context, s *Store, query string, args ...any) (*T, error) {
	rec, err := one[T](ctx, s, "record", query, args...)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &rec.Value, nil
}

// cursor splits a "newest first" cursor, "time|id", into its parts.
func cursor(after string) (t, id string) {
	i := strings.LastIndexByte(after, '|')
	if i < 0 {
		return "", after
	}
	return after[:i], after[i+1:]
}

// nextCursor returns the cursor of the page after one of n rows whose last
// row has time t and id, or "" when the page was not full.
func nextCursor(n, limit int, t, id string) string {
	if n < limit {
		return ""
	}
	return t + "|" + id
}

func decodeJSON(text string, v any) error {
	if err := json.Unmarshal([]byte(text), v); err != nil {
		return fmt.Errorf("decode stored %T: %w", v, err)
	}
	return nil
}
