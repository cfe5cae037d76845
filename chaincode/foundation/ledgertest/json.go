package ledgertest

import (
	"encoding/json"
	"testing"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"

	"github.com/govshare/govshare/chaincode/foundation"
)

// JSON returns v encoded as JSON, the form in which contracts take their
// requests, and stops the test if v cannot be encoded.
func JSON(tb testing.TB, v any) string {
	tb.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		tb.Fatalf("encode %T as JSON: %v", v, err)
	}
	return string(raw)
}

// RequireInvoke submits function through the chaincode's Invoke, like
// Invoke, stops the test unless it succeeds, and decodes the JSON response
// into out unless out is nil.
func (c *Client) RequireInvoke(tb testing.TB, cc shim.Chaincode, out any, function string, args ...string) {
	tb.Helper()
	payload, err := c.Invoke(cc, function, args...)
	requireDecoded(tb, function, payload, err, out)
}

// RequireQuery evaluates function through the chaincode's Invoke, like
// Query, stops the test unless it succeeds, and decodes the JSON response
// into out unless out is nil.
func (c *Client) RequireQuery(tb testing.TB, cc shim.Chaincode, out any, function string, args ...string) {
	tb.Helper()
	payload, err := c.Query(cc, function, args...)
	requireDecoded(tb, function, payload, err, out)
}

func requireDecoded(tb testing.TB, function string, payload []byte, err error, out any) {
	tb.Helper()
	if err != nil {
		tb.Fatalf("%s: %v", function, err)
	}
	if out == nil {
		return
	}
	if err := json.Unmarshal(payload, out); err != nil {
		tb.Fatalf("%s: decode the response %q: %v", function, payload, err)
	}
}

// RequireLastEvent returns the name and the decoded payload of the event
// of the most recent committed transaction that set one (see LastEvent),
// and stops the test if there is none or its payload is not a
// foundation.Event.
func (l *Ledger) RequireLastEvent(tb testing.TB) (string, foundation.Event) {
	tb.Helper()
	ev, ok := l.LastEvent()
	if !ok {
		tb.Fatalf("no event was emitted")
	}
	var payload foundation.Event
	if err := json.Unmarshal(ev.Payload, &payload); err != nil {
		tb.Fatalf("decode the payload of event %s: %v", ev.Name, err)
	}
	return ev.Name, payload
}
