package ledgertest_test

import (
	"testing"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/foundation"
	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

func TestJSON(t *testing.T) {
	assert.Equal(t, `{"name":"x"}`, ledgertest.JSON(t, struct {
		Name string `json:"name"`
	}{"x"}))
	reported := recorded(t, func(tb testing.TB) { ledgertest.JSON(tb, make(chan int)) })
	require.Len(t, reported, 1)
	assert.Contains(t, reported[0], "encode chan int as JSON")
}

// host answers with JSON, or with plain text.
type host struct {
	contractapi.Contract
}

type welcome struct {
	Greeting string `json:"greeting"`
}

func (*host) Welcome(ctx ctxT, name string) (*welcome, error) {
	return &welcome{"welcome " + name}, nil
}
func (*host) Plain(ctx ctxT) (string, error) { return "plain text", nil }
func (*host) Leave(ctx ctxT) error           { return nil }

func TestRequireInvokeAndQuery(t *testing.T) {
	cc, err := contractapi.NewChaincode(&host{})
	require.NoError(t, err)
	c := ledgertest.New(t).As("OrgAMSP", "")

	var w welcome
	c.RequireInvoke(t, cc, &w, "Welcome", "bob")
	assert.Equal(t, "welcome bob", w.Greeting, "the response is decoded")
	c.RequireQuery(t, cc, &w, "Welcome", "alice")
	assert.Equal(t, "welcome alice", w.Greeting)
	c.RequireInvoke(t, cc, nil, "Leave")
	c.RequireQuery(t, cc, nil, "Plain")

	tests := []struct {
		name  string
		check func(tb testing.TB)
		want  string
	}{
		{"a failed invoke", func(tb testing.TB) { c.RequireInvoke(tb, cc, nil, "Nonexistent") }, "Nonexistent: chaincode response 500"},
		{"a failed query", func(tb testing.TB) { c.RequireQuery(tb, cc, &w, "Nonexistent") }, "Nonexistent: chaincode response 500"},
		{"a response that is not JSON", func(tb testing.TB) { c.RequireInvoke(tb, cc, &w, "Plain") }, `Plain: decode the response "plain text"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			reported := recorded(t, tc.check)
			require.Len(t, reported, 1)
			assert.Contains(t, reported[0], tc.want)
		})
	}
}

func TestRequireLastEvent(t *testing.T) {
	l := ledgertest.New(t)
	c := l.As("OrgAMSP", "clerk")
	emit := func(name, payload string) {
		require.NoError(t, c.Submit(func(ctx ctxT) error { return ctx.GetStub().SetEvent(name, []byte(payload)) }))
	}

	reported := recorded(t, func(tb testing.TB) { l.RequireLastEvent(tb) })
	require.Len(t, reported, 1)
	assert.Contains(t, reported[0], "no event was emitted")

	emit("First", `{"name":"First"}`)
	emit("Recorded", `{"name":"Recorded","function":"Record","changes":[{"op":"create","objectType":"item","attributes":["1"]}]}`)
	name, payload := l.RequireLastEvent(t)
	assert.Equal(t, "Recorded", name)
	assert.Equal(t, foundation.Event{Name: "Recorded", Function: "Record",
		Changes: []foundation.Change{{Op: foundation.OpCreate, ObjectType: "item", Attributes: []string{"1"}}}}, payload)

	emit("Broken", "not JSON")
	reported = recorded(t, func(tb testing.TB) { l.RequireLastEvent(tb) })
	require.Len(t, reported, 1)
	assert.Contains(t, reported[0], "decode the payload of event Broken")
}
