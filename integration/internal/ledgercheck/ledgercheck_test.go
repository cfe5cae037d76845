package ledgercheck

import (
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/assert"
)

const (
	valid     = peer.TxValidationCode_VALID
	duplicate = peer.TxValidationCode_DUPLICATE_TXID
	conflict  = peer.TxValidationCode_MVCC_READ_CONFLICT
)

func TestCheck(t *testing.T) {
	chain := &Chain{Copies: map[string][]Copy{
		"once":          {{Block: 5, Code: valid}},
		"sent again":    {{Block: 5, Code: valid}, {Block: 6, Code: duplicate}, {Block: 9, Code: duplicate}},
		"lost conflict": {{Block: 6, Code: conflict}},
		"twice":         {{Block: 7, Code: valid}, {Block: 8, Code: valid}},
	}}
	cases := []struct {
		name  string
		acked []string
		want  Report
	}{
		{name: "every acknowledged one valid", acked: []string{"once", "sent again"},
			want: Report{Transactions: 4, Duplicates: 3, TwiceValid: []string{"twice"}}},
		{name: "missing and invalid", acked: []string{"once", "never seen", "lost conflict"},
			want: Report{Transactions: 4, Missing: []string{"never seen"}, Invalid: []string{"lost conflict"}, Duplicates: 3, TwiceValid: []string{"twice"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := chain.Check(tc.acked)
			assert.Equal(t, tc.want, got)
			assert.Equal(t, len(tc.want.Missing)+len(tc.want.Invalid), got.Lost())
		})
	}
}

func TestFirstDifference(t *testing.T) {
	header := func(n uint64, prev string) *common.BlockHeader {
		return &common.BlockHeader{Number: n, PreviousHash: []byte(prev), DataHash: []byte{byte(n)}}
	}
	same := &Chain{From: 10, Headers: []*common.BlockHeader{header(10, "a"), header(11, "b"), header(12, "c")}}
	cases := []struct {
		name  string
		other *Chain
		at    uint64
		diff  bool
	}{
		{name: "the same blocks", other: &Chain{From: 10, Headers: []*common.BlockHeader{header(10, "a"), header(11, "b"), header(12, "c")}}},
		{name: "a block changed", other: &Chain{From: 10, Headers: []*common.BlockHeader{header(10, "a"), header(11, "x"), header(12, "c")}}, at: 11, diff: true},
		{name: "a block short", other: &Chain{From: 10, Headers: []*common.BlockHeader{header(10, "a"), header(11, "b")}}, at: 12, diff: true},
	}
	for _, tc := range cases {
		at, diff := FirstDifference(same, tc.other)
		assert.Equal(t, tc.diff, diff, tc.name)
		assert.Equal(t, tc.at, at, tc.name)
	}
}
