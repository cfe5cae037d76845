package benchprobe_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/benchprobe"
	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/foundation"
)

// putShaped calls PutShaped and keeps what it returns in response.
func putShaped(c *benchprobe.Contract, key, shape string, response *string) func(ctx ctxT) error {
	return func(ctx ctxT) error {
		out, err := c.PutShaped(ctx, key, shape)
		if response != nil {
			*response = out
		}
		return err
	}
}

func shapeJSON(t *testing.T, s benchprobe.Shape) string {
	t.Helper()
	data, err := json.Marshal(s)
	require.NoError(t, err)
	return string(data)
}

func TestPutShapedWritesTheFootprint(t *testing.T) {
	l := newLedger(t)
	c := benchprobe.New()
	client := l.As(consortium.UniversityAMSP, consortium.RoleAdmin)
	require.NoError(t, client.Submit(func(ctx ctxT) error { return c.Put(ctx, "exists", "v") }))
	require.NoError(t, client.Submit(putShaped(c, "total", shapeJSON(t, benchprobe.Shape{Writes: []int{3}}), nil)))

	shape := benchprobe.Shape{
		Reads: []string{"exists", "missing"}, LaterReads: []string{"later"}, PrivateRead: "s1", Updates: []string{"total/0"}, UpdateBytes: 40,
		Writes: []int{100, 20}, Guard: consortium.UniversityAMSP + "," + consortium.EduMinistryMSP,
		Collection: collection, EventBytes: 300, ResponseBytes: 77,
	}
	writer := client.WithTransient(benchprobe.TransientPrivate, []byte("personal data"))
	var response string
	require.NoError(t, writer.Submit(putShaped(c, "s1", shapeJSON(t, shape), &response)))
	assert.Len(t, response, 77)

	assert.Len(t, l.State("baseline-shape~s1/0"), 100)
	assert.Len(t, l.State("baseline-shape~s1/1"), 20)
	assert.Len(t, l.State("baseline-shape~total/0"), 40, "an update writes a value of updateBytes")
	assert.Nil(t, l.State("baseline~s1/0"), "shaped keys are apart from Put's")
	assert.Equal(t, []byte("personal data"), l.PrivateState(collection, "baseline-shape~s1"))
	for _, key := range []string{"baseline-shape~s1/0", "baseline-shape~s1/1"} {
		orgs, err := foundation.PolicyOrganizations(l.ValidationParameter(key))
		require.NoError(t, err, key)
		assert.Equal(t, []string{consortium.EduMinistryMSP, consortium.UniversityAMSP}, orgs, key)
	}
	assert.Nil(t, l.ValidationParameter("baseline-shape~total/0"), "updates keep their policy (none here)")
	event, ok := l.LastEvent()
	require.True(t, ok)
	assert.Equal(t, "ShapedWrite", event.Name)
	assert.Len(t, event.Payload, 300)
	var names struct{ Keys []string }
	require.NoError(t, json.Unmarshal(event.Payload, &names))
	assert.Equal(t, []string{"total/0", "s1/0", "s1/1", collection + "/s1"}, names.Keys)
}

func TestPutShapedWithoutPrivateValueOnlyReadsTheCollection(t *testing.T) {
	l := newLedger(t)
	c := benchprobe.New()
	client := l.As(consortium.UniversityAMSP, consortium.RoleAdmin)
	shape := shapeJSON(t, benchprobe.Shape{PrivateRead: "on-file", Collection: collection, Writes: []int{10}})
	var response string
	require.NoError(t, client.Submit(putShaped(c, "k", shape, &response)))
	assert.Empty(t, response, "no response without responseBytes")
	assert.Len(t, l.State("baseline-shape~k/0"), 10)
	assert.Nil(t, l.PrivateState(collection, "baseline-shape~k"))
	_, ok := l.LastEvent()
	assert.False(t, ok, "no event without eventBytes")
}

func TestPutShapedRefusesBadShapesAndWritesNothing(t *testing.T) {
	c := benchprobe.New()
	many := make([]string, benchprobe.MaxShapeKeys+1)
	for i := range many {
		many[i] = "k"
	}
	tests := []struct {
		name      string
		key       string
		shape     string
		transient []byte
		wantErr   string
	}{
		{name: "empty key", key: "", shape: `{"writes":[1]}`, wantErr: "key is empty"},
		{name: "not JSON", key: "k", shape: `{"writes":`, wantErr: "shape: invalid input: request: malformed JSON: unexpected EOF"},
		{name: "trailing data", key: "k", shape: `{"writes":[1]} junk`, wantErr: "shape: invalid input: request"},
		{name: "duplicate field", key: "k", shape: `{"writes":[1],"writes":[2]}`, wantErr: "shape: invalid input: request"},
		{name: "unknown field", key: "k", shape: `{"writes":[1],"deletes":2}`, wantErr: "deletes: unknown field"},
		{name: "nothing written", key: "k", shape: `{"reads":["a"]}`, wantErr: "at least one write or update"},
		{name: "empty value", key: "k", shape: `{"writes":[0]}`, wantErr: "writes[0]: 0 bytes is not between 1 and 65536"},
		{name: "value too long", key: "k", shape: `{"writes":[65537]}`, wantErr: "writes[0]: 65537 bytes"},
		{name: "too many reads", key: "k", shape: shapeJSON(t, benchprobe.Shape{Reads: many, Writes: []int{1}}), wantErr: "reads: 17 keys, more than 16"},
		{name: "too many updates", key: "k", shape: shapeJSON(t, benchprobe.Shape{Updates: many}), wantErr: "updates: 17 keys"},
		{name: "too many writes", key: "k", shape: shapeJSON(t, benchprobe.Shape{Writes: make([]int, 17)}), wantErr: "writes: 17 values"},
		{name: "empty read key", key: "k", shape: `{"reads":[""],"writes":[1]}`, wantErr: "reads[0]: key is empty"},
		{name: "a read named twice", key: "k", shape: `{"reads":["a","b","a"],"writes":[1]}`, wantErr: `reads[2]: "a" is named twice`},
		{name: "a later read named before", key: "k", shape: `{"reads":["a"],"laterReads":["b","a"],"writes":[1]}`, wantErr: `laterReads[1]: "a" is named twice`},
		{name: "an update named twice", key: "k", shape: `{"updates":["u","u"],"updateBytes":1}`, wantErr: `updates[1]: "u" is named twice`},
		{name: "an update that is a new key", key: "k", shape: `{"updates":["k/1"],"updateBytes":1,"writes":[1,2]}`, wantErr: `updates: "k/1" is also one of the new keys under "k"`},
		{name: "an empty update", key: "k", shape: `{"updates":["u"]}`, wantErr: "updateBytes: 0 is not between 1 and 65536"},
		{name: "private read without collection", key: "k", shape: `{"privateRead":"p","writes":[1]}`, wantErr: "privateRead: needs a collection"},
		{name: "negative update size", key: "k", shape: `{"updates":["u"],"updateBytes":-1}`, wantErr: "updateBytes: -1 is not between 1"},
		{name: "event too large", key: "k", shape: `{"writes":[1],"eventBytes":65537}`, wantErr: "eventBytes: 65537"},
		{name: "negative response", key: "k", shape: `{"writes":[1],"responseBytes":-5}`, wantErr: "responseBytes: -5"},
		{name: "guard by a non-member", key: "k", shape: `{"writes":[1],"guard":"NotaryOfficeMSP"}`, wantErr: `"NotaryOfficeMSP" is not a member of channel education-credit`},
		{name: "unknown collection", key: "k", shape: `{"writes":[1],"collection":"Nope"}`, transient: []byte("s"), wantErr: "Nope"},
		{name: "private value too long", key: "k", shape: `{"writes":[1],"collection":"BaselinePrivate"}`, transient: []byte(strings.Repeat("x", benchprobe.MaxValueLength+1)), wantErr: "longer than 65536"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { requireRefused(t, tt.transient, putShaped(c, tt.key, tt.shape, nil), tt.wantErr) })
	}
}
