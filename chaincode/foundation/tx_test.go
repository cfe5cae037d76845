package foundation_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/foundation"
	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

// The key schema of the tests' small inventory contract.
var (
	itemKeys  = foundation.NewKeyType("test.item", "shelf", "itemId")
	auditKeys = foundation.NewKeyType("test.audit", "itemId")
)

type item struct {
	Shelf string `json:"shelf"`
	ID    string `json:"id"`
	Count int    `json:"count"`
}

var (
	clerks  = foundation.Role("clerk", "OrgAMSP")
	readers = foundation.AnyRole("OrgAMSP", "OrgBMSP")
)

func mustKey(t testing.TB, kt foundation.KeyType, values ...string) foundation.Key {
	t.Helper()
	k, err := kt.Key(values...)
	require.NoError(t, err)
	return k
}

func decodeEvent(t *testing.T, l *ledgertest.Ledger) foundation.Event {
	t.Helper()
	ev, ok := l.LastEvent()
	require.True(t, ok, "an event was emitted")
	var payload foundation.Event
	require.NoError(t, json.Unmarshal(ev.Payload, &payload))
	assert.Equal(t, ev.Name, payload.Name)
	assert.Equal(t, ev.TxID, payload.TxID)
	return payload
}

func TestKeys(t *testing.T) {
	k := mustKey(t, itemKeys, "s1", "i1")
	assert.Equal(t, "\x00test.item\x00s1\x00i1\x00", k.String())
	assert.Equal(t, []string{"shelf", "itemId"}, itemKeys.Attributes())
	assert.Equal(t, "test.item", itemKeys.ObjectType())

	parsed, err := itemKeys.Parse(k.String())
	require.NoError(t, err)
	assert.Equal(t, k, parsed)

	_, err = itemKeys.Key("only-one")
	assert.ErrorContains(t, err, "needs 2 attributes (shelf, itemId), got 1")
	_, err = itemKeys.Key("s1", "bad\x00")
	assert.ErrorIs(t, err, foundation.ErrInvalidInput)
	_, err = itemKeys.Key("s1", "\xff")
	assert.ErrorIs(t, err, foundation.ErrInvalidInput)
	for _, bad := range []string{"", "plain", "\x00", "\x00test.item\x00s1\x00", "\x00test.audit\x00i1\x00", mustKey(t, auditKeys, "i1").String()} {
		_, err := itemKeys.Parse(bad)
		assert.Error(t, err, "%q", bad)
	}
}

func TestTxRecordsEveryChangeInOneEvent(t *testing.T) {
	l := ledgertest.New(t)
	clerk := l.As("OrgAMSP", "clerk")
	k1, k2 := mustKey(t, itemKeys, "s1", "i1"), mustKey(t, itemKeys, "s1", "i2")
	audit := mustKey(t, auditKeys, "i1")

	var txTime time.Time
	require.NoError(t, clerk.Submit(func(ctx ctxT) error {
		tx, err := foundation.Begin(ctx, foundation.Allow("Stock", clerks))
		if err != nil {
			return err
		}
		txTime = tx.Time
		var existing item
		found, err := tx.Get(k1, &existing)
		require.NoError(t, err)
		require.False(t, found)
		require.NoError(t, tx.Put(k1, item{Shelf: "s1", ID: "i1", Count: 3}))
		require.NoError(t, tx.Put(audit, item{ID: "i1"}))
		require.NoError(t, tx.RequireEndorsement(k1, "OrgBMSP", "OrgAMSP", "OrgAMSP"))
		require.NoError(t, tx.RequireEndorsement(k2, "OrgAMSP"))
		if err := tx.Emit("Stocked"); err != nil {
			return err
		}
		assert.Error(t, tx.Emit("Again"), "one event per transaction")
		return nil
	}))

	ev := decodeEvent(t, l)
	assert.Equal(t, "Stocked", ev.Name)
	assert.Equal(t, "Stock", ev.Function)
	assert.Equal(t, txTime, ev.Timestamp)
	assert.Equal(t, "OrgAMSP", ev.Caller.MSPID)
	assert.Equal(t, "clerk", ev.Caller.Role)
	assert.Equal(t, []foundation.Change{
		{Op: foundation.OpCreate, ObjectType: "test.item", Attributes: []string{"s1", "i1"}, Endorsers: []string{"OrgAMSP", "OrgBMSP"}},
		{Op: foundation.OpPut, ObjectType: "test.audit", Attributes: []string{"i1"}},
		{Op: foundation.OpEndorsement, ObjectType: "test.item", Attributes: []string{"s1", "i2"}, Endorsers: []string{"OrgAMSP"}},
	}, ev.Changes)

	endorsers, err := ledgertest.Eval(clerk, func(ctx ctxT) ([]string, error) {
		tx, err := foundation.Begin(ctx, foundation.Allow("Policy", readers))
		if err != nil {
			return nil, err
		}
		return tx.Endorsers(k1)
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"OrgAMSP", "OrgBMSP"}, endorsers)

	require.NoError(t, clerk.Submit(func(ctx ctxT) error {
		tx, err := foundation.Begin(ctx, foundation.Allow("Restock", clerks))
		if err != nil {
			return err
		}
		var it item
		found, err := tx.Get(k1, &it)
		require.NoError(t, err)
		require.True(t, found)
		it.Count++
		require.NoError(t, tx.Put(k1, it))
		require.NoError(t, tx.Delete(audit))
		return tx.Emit("Restocked")
	}))
	ev = decodeEvent(t, l)
	require.Len(t, ev.Changes, 2)
	assert.Equal(t, foundation.Change{Op: foundation.OpUpdate, ObjectType: "test.item", Attributes: []string{"s1", "i1"}}, ev.Changes[0])
	assert.Equal(t, foundation.Change{Op: foundation.OpDelete, ObjectType: "test.audit", Attributes: []string{"i1"}}, ev.Changes[1])
}

func TestBeginRefusesBeforeAnythingIsWritten(t *testing.T) {
	l := ledgertest.New(t)
	before := l.Snapshot()
	err := l.As("OrgBMSP", "clerk").Submit(func(ctx ctxT) error {
		tx, err := foundation.Begin(ctx, foundation.Allow("Stock", clerks))
		if err != nil {
			return err
		}
		return tx.Put(mustKey(t, itemKeys, "s", "i"), item{})
	})
	assert.ErrorIs(t, err, foundation.ErrAccessDenied)
	assert.Empty(t, l.Diff(before))
}

func TestDenyNamesTheFunctionAndCaller(t *testing.T) {
	l := ledgertest.New(t)
	err := l.As("OrgAMSP", "clerk").Evaluate(func(ctx ctxT) error {
		tx, err := foundation.Begin(ctx, foundation.Allow("Remove", clerks))
		require.NoError(t, err)
		return tx.Deny("the shelf's owner (OrgBMSP)")
	})
	assert.ErrorIs(t, err, foundation.ErrAccessDenied)
	assert.EqualError(t, err, `access denied: Remove called by OrgAMSP with role "clerk"; requires the shelf's owner (OrgBMSP)`)
}

type secret struct {
	Code string `json:"code"`
}

func (s *secret) Validate(v *foundation.Fields) { v.Identifier("code", s.Code) }

func TestPrivateWritesAndTransientInput(t *testing.T) {
	l := ledgertest.New(t, ledgertest.WithCollection("Vault", "OrgAMSP"))
	key := mustKey(t, itemKeys, "vault", "v1")
	store := func(c *ledgertest.Client) (bool, error) {
		return ledgertest.Call(c, func(ctx ctxT) (bool, error) {
			tx, err := foundation.Begin(ctx, foundation.Allow("Store", clerks))
			if err != nil {
				return false, err
			}
			var s secret
			if err := tx.Transient("secret", &s); err != nil {
				return false, err
			}
			written, err := tx.PutPrivate("Vault", key, s)
			if err != nil {
				return false, err
			}
			return written, tx.Emit("Stored")
		})
	}
	clerk := l.As("OrgAMSP", "clerk")

	written, err := store(clerk.WithTransient("secret", []byte(`{"code":"X1"}`)))
	require.NoError(t, err)
	assert.True(t, written)
	assert.JSONEq(t, `{"code":"X1"}`, string(l.PrivateState("Vault", key.String())))
	ev := decodeEvent(t, l)
	assert.Equal(t, []foundation.Change{{Op: foundation.OpCreate, Collection: "Vault", ObjectType: "test.item", Attributes: []string{"vault", "v1"}}}, ev.Changes,
		"the event names the private key but never carries its value")

	written, err = store(clerk.WithTransient("secret", []byte(`{"code":"X1"}`)))
	require.NoError(t, err)
	assert.False(t, written, "identical private data is not rewritten")

	before := l.Snapshot()
	for name, c := range map[string]*ledgertest.Client{
		"missing":   clerk,
		"malformed": clerk.WithTransient("secret", []byte(`{"code":`)),
		"unknown":   clerk.WithTransient("secret", []byte(`{"code":"X1","pin":1}`)),
		"invalid":   clerk.WithTransient("secret", []byte(`{"code":" "}`)),
	} {
		_, err := store(c)
		assert.ErrorIs(t, err, foundation.ErrInvalidInput, name)
		assert.ErrorContains(t, err, `transient "secret"`, name)
	}
	assert.Empty(t, l.Diff(before))
}

func stockShelf(t *testing.T, l *ledgertest.Ledger, shelf string, n int) {
	t.Helper()
	require.NoError(t, l.As("OrgAMSP", "clerk").Submit(func(ctx ctxT) error {
		tx, err := foundation.Begin(ctx, foundation.Allow("Stock", clerks))
		if err != nil {
			return err
		}
		for i := range n {
			id := fmt.Sprintf("i%02d", i)
			if err := tx.Put(mustKey(t, itemKeys, shelf, id), item{Shelf: shelf, ID: id, Count: i}); err != nil {
				return err
			}
		}
		return tx.Emit("Stocked")
	}))
}

func listShelf(c *ledgertest.Client, shelf string, pageSize int32, bookmark string) ([]item, foundation.PageInfo, error) {
	type page struct {
		items []item
		info  foundation.PageInfo
	}
	p, err := ledgertest.Eval(c, func(ctx ctxT) (page, error) {
		tx, err := foundation.Begin(ctx, foundation.Allow("List", readers))
		if err != nil {
			return page{}, err
		}
		items, info, err := foundation.List[item](tx, itemKeys, []string{shelf}, pageSize, bookmark)
		return page{items, info}, err
	})
	return p.items, p.info, err
}

func TestListPagesWithBookmarks(t *testing.T) {
	l := ledgertest.New(t)
	stockShelf(t, l, "a", 7)
	stockShelf(t, l, "b", 2)
	reader := l.As("OrgBMSP", "auditor")

	var ids []string
	var pages []int32
	bookmark := ""
	for {
		items, info, err := listShelf(reader, "a", 3, bookmark)
		require.NoError(t, err)
		pages = append(pages, info.Count)
		for _, it := range items {
			ids = append(ids, it.ID)
		}
		if info.Bookmark == "" {
			break
		}
		bookmark = info.Bookmark
	}
	assert.Equal(t, []int32{3, 3, 1}, pages)
	assert.Equal(t, []string{"i00", "i01", "i02", "i03", "i04", "i05", "i06"}, ids, "every item once, in key order, none of shelf b")

	_, infoB, err := listShelf(reader, "b", 1, "")
	require.NoError(t, err)
	require.NotEmpty(t, infoB.Bookmark)
	for name, bad := range map[string]string{
		"bookmark of another listing": infoB.Bookmark,
		"not base64":                  "%%%",
		"raw key":                     "\x00test.item\x00a\x00i03\x00",
	} {
		_, _, err := listShelf(reader, "a", 3, bad)
		assert.ErrorIs(t, err, foundation.ErrInvalidInput, name)
		assert.ErrorContains(t, err, "bookmark", name)
	}

	items, info, err := listShelf(reader, "a", 0, "")
	require.NoError(t, err)
	assert.Len(t, items, 7, "page size 0 means the default")
	assert.Empty(t, info.Bookmark)
	_, _, err = listShelf(reader, "a", -1, "")
	assert.ErrorIs(t, err, foundation.ErrInvalidInput)

	items, _, err = listShelf(reader, "empty", 10, "")
	require.NoError(t, err)
	assert.NotNil(t, items, "an empty page is an empty list, not null")
	assert.Empty(t, items)
}

func TestPageSize(t *testing.T) {
	for requested, want := range map[int32]int32{0: foundation.DefaultPageSize, 1: 1, 100: 100, 101: foundation.MaxPageSize, 1 << 30: foundation.MaxPageSize} {
		got, err := foundation.PageSize(requested)
		require.NoError(t, err)
		assert.Equal(t, want, got, "requested %d", requested)
	}
	_, err := foundation.PageSize(-5)
	assert.ErrorIs(t, err, foundation.ErrInvalidInput)
}

func TestScanAndHistory(t *testing.T) {
	l := ledgertest.New(t)
	stockShelf(t, l, "a", 4)
	stockShelf(t, l, "a", 2) // rewrites i00 and i01
	reader := l.As("OrgBMSP", "auditor")

	total, err := ledgertest.Eval(reader, func(ctx ctxT) (int, error) {
		tx, err := foundation.Begin(ctx, foundation.Allow("Count", readers))
		if err != nil {
			return 0, err
		}
		sum := 0
		err = tx.Scan(itemKeys, []string{"a"}, func(_ foundation.Key, value []byte) error {
			var it item
			if err := json.Unmarshal(value, &it); err != nil {
				return err
			}
			sum += it.Count
			return nil
		})
		return sum, err
	})
	require.NoError(t, err)
	assert.Equal(t, 0+1+2+3, total)

	revisions, err := ledgertest.Eval(reader, func(ctx ctxT) ([]foundation.Revision, error) {
		tx, err := foundation.Begin(ctx, foundation.Allow("History", readers))
		if err != nil {
			return nil, err
		}
		return foundation.History[item](tx, mustKey(t, itemKeys, "a", "i01"))
	})
	require.NoError(t, err)
	require.Len(t, revisions, 2)
	assert.True(t, revisions[0].Timestamp.After(revisions[1].Timestamp), "newest first")
	assert.NotEqual(t, revisions[0].TxID, revisions[1].TxID)
	assert.Equal(t, &item{Shelf: "a", ID: "i01", Count: 1}, revisions[0].Record)

	err = reader.Evaluate(func(ctx ctxT) error {
		tx, err := foundation.Begin(ctx, foundation.Allow("Scan", readers))
		require.NoError(t, err)
		return tx.Scan(itemKeys, []string{"a", "i01"}, func(foundation.Key, []byte) error { return nil })
	})
	assert.ErrorContains(t, err, "fewer than 2 attributes", "a full key is not a listing")
}

func TestGetAllReadsSeveralKeysAtOnce(t *testing.T) {
	l := ledgertest.New(t)
	clerk := l.As("OrgAMSP", "clerk")
	k1, k2, missing := mustKey(t, itemKeys, "s1", "i1"), mustKey(t, itemKeys, "s1", "i2"), mustKey(t, itemKeys, "s9", "none")
	require.NoError(t, clerk.Submit(func(ctx ctxT) error {
		tx, err := foundation.Begin(ctx, foundation.Allow("Stock", clerks))
		if err != nil {
			return err
		}
		require.NoError(t, tx.Put(k1, item{Shelf: "s1", ID: "i1", Count: 1}))
		require.NoError(t, tx.Put(k2, item{Shelf: "s1", ID: "i2", Count: 2}))
		return tx.Emit("Stocked")
	}))

	tests := []struct {
		name      string
		keys      []foundation.Key
		records   int
		wantFound []bool
		wantErr   string
	}{
		{name: "two present, one missing", keys: []foundation.Key{k2, missing, k1}, records: 3, wantFound: []bool{true, false, true}},
		{name: "no keys", records: 0},
		{name: "fewer records than keys", keys: []foundation.Key{k1, k2}, records: 1, wantErr: "read 2 keys into 1 records"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items := make([]item, tt.records)
			records := make([]any, tt.records)
			for i := range items {
				records[i] = &items[i]
			}
			found, err := ledgertest.Eval(clerk, func(ctx ctxT) ([]bool, error) {
				tx, err := foundation.Begin(ctx, foundation.Allow("Count", readers))
				if err != nil {
					return nil, err
				}
				return tx.GetAll(tt.keys, records...)
			})
			if tt.wantErr != "" {
				assert.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantFound, found)
			for i, f := range tt.wantFound {
				if f {
					assert.Equal(t, tt.keys[i].Attributes[1], items[i].ID, "record %d holds its own key's value", i)
				} else {
					assert.Zero(t, items[i], "record %d of a missing key is left alone", i)
				}
			}
		})
	}

	// what GetAll read tells Put whether it creates or updates, as Get does
	require.NoError(t, clerk.Submit(func(ctx ctxT) error {
		tx, err := foundation.Begin(ctx, foundation.Allow("Restock", clerks))
		if err != nil {
			return err
		}
		var a, b item
		if _, err := tx.GetAll([]foundation.Key{k1, missing}, &a, &b); err != nil {
			return err
		}
		require.NoError(t, tx.Put(k1, a))
		require.NoError(t, tx.Put(missing, item{ID: "none"}))
		return tx.Emit("Restocked")
	}))
	ev := decodeEvent(t, l)
	require.Len(t, ev.Changes, 2)
	assert.Equal(t, foundation.OpUpdate, ev.Changes[0].Op)
	assert.Equal(t, foundation.OpCreate, ev.Changes[1].Op)
}
