package foundation_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/govshare/govshare/chaincode/foundation"
)

// FuzzDecodeRequest feeds arbitrary bytes to the strict request decoder. It
// must never panic; it either refuses with an *InputError that wraps
// ErrInvalidInput and says something, or accepts a request that passes
// validation and survives a JSON round trip unchanged.
func FuzzDecodeRequest(f *testing.F) {
	for _, seed := range []string{
		validSample(),
		`{}`,
		`null`,
		`[]`,
		``,
		`{"id":"a","id":"b"}`,
		`{"nested":{"name":"a","name":"b"}}`,
		`{"nested":{"name":{"deep":[1,{"x":1,"x":2}]}}}`,
		`{"amount":1e400}`,
		`{"amount":-0}`,
		`{"title":"\ud800"}`,
		`{"title":"\u0000"}`,
		`{"id":"REQ-1"} {"id":"REQ-2"}`,
		`{"id":"REQ-1"}` + strings.Repeat(" ", 10),
		"{\"title\":\"\xff\"}",
		`{"optional":[` + strings.Repeat(`"a",`, 50) + `"a"]}`,
		strings.Repeat(`{"nested":`, 64) + `{}` + strings.Repeat(`}`, 64),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		var req sampleRequest
		err := foundation.DecodeRequest(raw, &req)
		if err != nil {
			var inputErr *foundation.InputError
			if !errors.As(err, &inputErr) || !errors.Is(err, foundation.ErrInvalidInput) {
				t.Fatalf("refusal is not an InputError wrapping ErrInvalidInput: %T %v", err, err)
			}
			if inputErr.Cause == nil && len(inputErr.Fields) == 0 {
				t.Fatalf("refusal says nothing: %v", err)
			}
			return
		}
		again, err := json.Marshal(&req)
		if err != nil {
			t.Fatalf("accepted request does not encode: %v", err)
		}
		var back sampleRequest
		if err := foundation.DecodeRequest(string(again), &back); err != nil {
			t.Fatalf("accepted request %q re-encoded as %s is refused: %v", raw, again, err)
		}
		if !reflect.DeepEqual(back, req) {
			t.Fatalf("round trip changed the request: %+v became %+v", req, back)
		}
	})
}
