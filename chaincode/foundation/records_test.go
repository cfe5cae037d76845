package foundation_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/foundation"
	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

// evalAs runs one query function as reader and returns what it returned.
func evalAs[T any](t *testing.T, reader *ledgertest.Client, query func(tx *foundation.Tx) (T, error)) (T, error) {
	t.Helper()
	return ledgertest.Eval(reader, func(ctx ctxT) (T, error) {
		tx, err := foundation.Begin(ctx, foundation.Allow("Read", readers))
		if err != nil {
			var zero T
			return zero, err
		}
		return query(tx)
	})
}

func TestFindReadsOneRecordThatMustExist(t *testing.T) {
	l := ledgertest.New(t)
	stockShelf(t, l, "a", 2)
	reader := l.As("OrgBMSP", "auditor")

	found, err := evalAs(t, reader, func(tx *foundation.Tx) (*item, error) {
		return foundation.Find[item](tx, mustKey(t, itemKeys, "a", "i01"), "item", "i01")
	})
	require.NoError(t, err)
	assert.Equal(t, &item{Shelf: "a", ID: "i01", Count: 1}, found)

	_, err = evalAs(t, reader, func(tx *foundation.Tx) (*item, error) {
		return foundation.Find[item](tx, mustKey(t, itemKeys, "a", "i07"), "item", "i07")
	})
	assert.ErrorIs(t, err, foundation.ErrNotFound)
	assert.EqualError(t, err, `item "i07" not found`)
}

func TestScanAllAndScanEachDecodeAWholeListing(t *testing.T) {
	l := ledgertest.New(t)
	stockShelf(t, l, "a", 3)
	stockShelf(t, l, "b", 1)
	reader := l.As("OrgBMSP", "auditor")

	all, err := evalAs(t, reader, func(tx *foundation.Tx) ([]item, error) {
		return foundation.ScanAll[item](tx, itemKeys, []string{"a"})
	})
	require.NoError(t, err)
	assert.Equal(t, []item{{"a", "i00", 0}, {"a", "i01", 1}, {"a", "i02", 2}}, all, "in key order, only under the prefix")

	none, err := evalAs(t, reader, func(tx *foundation.Tx) ([]item, error) {
		return foundation.ScanAll[item](tx, itemKeys, []string{"z"})
	})
	require.NoError(t, err)
	assert.NotNil(t, none, "an empty listing is an empty list, not null")
	assert.Empty(t, none)

	total, err := evalAs(t, reader, func(tx *foundation.Tx) (int, error) {
		sum := 0
		err := foundation.ScanEach(tx, itemKeys, nil, func(it *item) { sum += it.Count })
		return sum, err
	})
	require.NoError(t, err)
	assert.Equal(t, 0+1+2+0, total, "every shelf")

	_, err = evalAs(t, reader, func(tx *foundation.Tx) ([]struct{ Count string }, error) {
		return foundation.ScanAll[struct{ Count string }](tx, itemKeys, []string{"a"})
	})
	assert.ErrorContains(t, err, `decode test.item ["a" "i00"]`, "a value of another type names its key")
}

func TestHistoryOfNamesTheRecordAndRefusesAnUnknownOne(t *testing.T) {
	l := ledgertest.New(t)
	stockShelf(t, l, "a", 2)
	stockShelf(t, l, "a", 1) // rewrites i00
	reader := l.As("OrgBMSP", "auditor")

	hist, err := evalAs(t, reader, func(tx *foundation.Tx) (*foundation.RecordHistory, error) {
		return foundation.HistoryOf[item](tx, mustKey(t, itemKeys, "a", "i00"), foundation.RecordName("item", "i00"))
	})
	require.NoError(t, err)
	assert.Equal(t, `item "i00"`, hist.Record)
	require.Len(t, hist.Revisions, 2)
	assert.Equal(t, &item{Shelf: "a", ID: "i00", Count: 0}, hist.Revisions[0].Record)

	_, err = evalAs(t, reader, func(tx *foundation.Tx) (*foundation.RecordHistory, error) {
		return foundation.HistoryOf[item](tx, mustKey(t, itemKeys, "a", "i09"), foundation.RecordName("item", "i09"))
	})
	assert.ErrorIs(t, err, foundation.ErrNotFound)
	assert.EqualError(t, err, `item "i09" not found`)
}
