package foundation

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
)

// Page sizes of list queries.
const (
	// DefaultPageSize is used when a client asks for page size 0.
	DefaultPageSize = 20
	// MaxPageSize caps the page size a client may ask for.
	MaxPageSize = 100
)

// PageInfo describes one page of a list query. Embed it in a contract's page
// type so the bookmark travels with the records.
type PageInfo struct {
	// Bookmark continues the listing: pass it to the next call to get the
	// next page. It is empty when this page is the last one.
	Bookmark string `json:"bookmark"`
	// Count is the number of records in this page.
	Count int32 `json:"count"`
}

// PageSize returns the page size to use for a requested one: 0 means
// DefaultPageSize and anything above MaxPageSize is capped to it. A negative
// size is an *InputError.
func PageSize(requested int32) (int32, error) {
	switch {
	case requested < 0:
		return 0, &InputError{Input: "query", Fields: []FieldError{{Field: "pageSize", Problem: fmt.Sprintf("must be between 0 (default %d) and %d", DefaultPageSize, MaxPageSize)}}}
	case requested == 0:
		return DefaultPageSize, nil
	case requested > MaxPageSize:
		return MaxPageSize, nil
	default:
		return requested, nil
	}
}

// Page lists one page of the keys of type kt whose leading attributes equal
// prefix (fewer values than kt has attributes; none lists every key of the
// type), in key order, starting at bookmark ("" for the first page). visit
// is called with each key and its value.
//
// Bookmarks are opaque to clients. A bookmark that does not belong to this
// listing (another type, another prefix, or not a bookmark at all) is an
// *InputError rather than a silent jump into other records.
//
// Fabric runs paginated queries only in transactions that write nothing, so
// Page is for query (evaluate) functions.
func (tx *Tx) Page(kt KeyType, prefix []string, pageSize int32, bookmark string, visit func(Key, []byte) error) (PageInfo, error) {
	size, err := PageSize(pageSize)
	if err != nil {
		return PageInfo{}, err
	}
	start, err := kt.partial(prefix)
	if err != nil {
		return PageInfo{}, err
	}
	fromKey, err := decodeBookmark(bookmark, start)
	if err != nil {
		return PageInfo{}, err
	}
	iter, meta, err := tx.stub.GetStateByPartialCompositeKeyWithPagination(kt.objectType, prefix, size, fromKey)
	if err != nil {
		return PageInfo{}, fmt.Errorf("list %s: %w", kt.objectType, err)
	}
	count, err := drain(kt, iter, visit)
	if err != nil {
		return PageInfo{}, err
	}
	info := PageInfo{Count: count}
	if meta != nil && meta.GetBookmark() != "" {
		info.Bookmark = base64.RawURLEncoding.EncodeToString([]byte(meta.GetBookmark()))
	}
	return info, nil
}

// Scan visits every key of type kt whose leading attributes equal prefix, in
// key order, in one non-paginated range query. Use it when the transaction
// needs all of them (a total, a uniqueness rule); Fabric re-executes the
// range at validation, so a write transaction that scans is protected from
// phantom reads.
func (tx *Tx) Scan(kt KeyType, prefix []string, visit func(Key, []byte) error) error {
	if _, err := kt.partial(prefix); err != nil {
		return err
	}
	iter, err := tx.stub.GetStateByPartialCompositeKey(kt.objectType, prefix)
	if err != nil {
		return fmt.Errorf("scan %s: %w", kt.objectType, err)
	}
	_, err = drain(kt, iter, visit)
	return err
}

// ScanEach is Scan for key types whose values all decode into T: it visits
// every record under prefix, decoded, in key order.
func ScanEach[T any](tx *Tx, kt KeyType, prefix []string, visit func(*T)) error {
	return tx.Scan(kt, prefix, func(key Key, value []byte) error {
		record := new(T)
		if err := json.Unmarshal(value, record); err != nil {
			return fmt.Errorf("decode %s: %w", describeKey(key), err)
		}
		visit(record)
		return nil
	})
}

// ScanAll returns every record of type kt under prefix, decoded into T, in
// key order (ScanEach); an empty listing is an empty slice.
func ScanAll[T any](tx *Tx, kt KeyType, prefix []string) ([]T, error) {
	records := []T{}
	if err := ScanEach(tx, kt, prefix, func(record *T) { records = append(records, *record) }); err != nil {
		return nil, err
	}
	return records, nil
}

func drain(kt KeyType, iter shim.StateQueryIteratorInterface, visit func(Key, []byte) error) (count int32, err error) {
	defer func() {
		if closeErr := iter.Close(); closeErr != nil && err == nil {
			err = fmt.Errorf("close %s iterator: %w", kt.objectType, closeErr)
		}
	}()
	for iter.HasNext() {
		kv, err := iter.Next()
		if err != nil {
			return count, fmt.Errorf("next %s: %w", kt.objectType, err)
		}
		key, err := kt.Parse(kv.GetKey())
		if err != nil {
			return count, err
		}
		if err := visit(key, kv.GetValue()); err != nil {
			return count, err
		}
		count++
	}
	return count, nil
}

// List is Page for key types whose values all decode into T.
func List[T any](tx *Tx, kt KeyType, prefix []string, pageSize int32, bookmark string) ([]T, PageInfo, error) {
	records := []T{}
	info, err := tx.Page(kt, prefix, pageSize, bookmark, func(key Key, value []byte) error {
		var record T
		if err := json.Unmarshal(value, &record); err != nil {
			return fmt.Errorf("decode %s: %w", describeKey(key), err)
		}
		records = append(records, record)
		return nil
	})
	if err != nil {
		return nil, PageInfo{}, err
	}
	return records, info, nil
}

func decodeBookmark(bookmark, prefix string) (string, error) {
	if bookmark == "" {
		return "", nil
	}
	bad := &InputError{Input: "query", Fields: []FieldError{{Field: "bookmark", Problem: "is not a bookmark returned by this listing"}}}
	raw, err := base64.RawURLEncoding.DecodeString(bookmark)
	if err != nil {
		return "", bad
	}
	key := string(raw)
	if !strings.HasPrefix(key, prefix) || len(key) == len(prefix) {
		return "", bad
	}
	return key, nil
}

// Revision is one version of a record in its history.
type Revision struct {
	// TxID and Timestamp identify the transaction that wrote the version.
	TxID      string    `json:"txId"`
	Timestamp time.Time `json:"timestamp"`
	// Deleted is true if the transaction deleted the record.
	Deleted bool `json:"deleted"`
	// Record is the record as written; absent for a deletion.
	Record any `json:"record,omitempty" metadata:",optional"`
}

// History returns every version of the record under key, newest first, each
// decoded into a *T. History is not re-checked at validation, so use it only
// in query functions.
func History[T any](tx *Tx, key Key) ([]Revision, error) {
	iter, err := tx.stub.GetHistoryForKey(key.String())
	if err != nil {
		return nil, fmt.Errorf("history of %s: %w", describeKey(key), err)
	}
	defer iter.Close()
	revisions := []Revision{}
	for iter.HasNext() {
		mod, err := iter.Next()
		if err != nil {
			return nil, fmt.Errorf("history of %s: %w", describeKey(key), err)
		}
		if mod == nil {
			return nil, errors.New("history of " + describeKey(key) + ": empty entry")
		}
		rev := Revision{TxID: mod.GetTxId(), Timestamp: mod.GetTimestamp().AsTime().UTC(), Deleted: mod.GetIsDelete()}
		if !rev.Deleted {
			record := new(T)
			if err := json.Unmarshal(mod.GetValue(), record); err != nil {
				return nil, fmt.Errorf("decode history of %s at %s: %w", describeKey(key), rev.TxID, err)
			}
			rev.Record = record
		}
		revisions = append(revisions, rev)
	}
	return revisions, nil
}

// RecordHistory is what a query function returns for a record's history:
// the record's name and every version of it, newest first.
type RecordHistory struct {
	// Record names the record: `case "C-1"` (RecordName).
	Record    string     `json:"record"`
	Revisions []Revision `json:"revisions"`
}

// HistoryOf returns every version of the record under key (History),
// named record. A key with no version at all is a *RecordError wrapping
// ErrNotFound.
func HistoryOf[T any](tx *Tx, key Key, record string) (*RecordHistory, error) {
	revisions, err := History[T](tx, key)
	if err != nil {
		return nil, err
	}
	if len(revisions) == 0 {
		return nil, &RecordError{Kind: ErrNotFound, Record: record}
	}
	return &RecordHistory{Record: record, Revisions: revisions}, nil
}
