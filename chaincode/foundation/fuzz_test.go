package foundation_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/govshare/govshare/chaincode/foundation"
)

// FuzzDecodeRequest feeds arbitrary bytes to the strict request decoder. It
// must never panic; it either refuses with an *InputError that wraps
// ErrInvalidInput and says something, or accepts a request that passes
// validation, survives a JSON round trip unchanged, and reads the same to
// a reader that compares field names exactly: every name in the accepted
// bytes is a field's JSON name, spelled exactly.
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
		strings.Replace(validSample(), `"amount":5`, `"amount":5,"AMOUNT":25000000`, 1),
		strings.Replace(validSample(), `"status"`, `"ſtatus"`, 1),
		strings.Replace(validSample(), `"id"`, `"lin\u212a":"x","id"`, 1),
		strings.Replace(validSample(), `{"id"`, `{"items":[{"name":"a"},{"NAME":"b"}],"id"`, 1),
		strings.Replace(validSample(), `A title`, "Acme \u202eLtd", 1),
		strings.Replace(validSample(), `A title`, `A \ud800 title`, 1),
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
		var exact any
		if err := json.Unmarshal([]byte(raw), &exact); err != nil {
			t.Fatalf("accepted request %q is not JSON: %v", raw, err)
		}
		if name, ok := inexactName(exact, sampleNames); !ok {
			t.Fatalf("accepted request %q names %q, which is not exactly a field", raw, name)
		}
	})
}

// sampleNames are the exact JSON names of sampleRequest, and of
// sampleInner under the fields that hold one.
var sampleNames = map[string][]string{
	"":       {"id", "title", "note", "digest", "salt", "amount", "status", "date", "nested", "optional", "items", "link"},
	"nested": {"name"},
	"items":  {"name"},
}

// inexactName walks a generic decoding of a sample request and returns a
// name that is not one of names, if any.
func inexactName(v any, names map[string][]string) (string, bool) {
	var walk func(v any, parent string) (string, bool)
	walk = func(v any, parent string) (string, bool) {
		switch v := v.(type) {
		case map[string]any:
			for k, child := range v {
				if !slices.Contains(names[parent], k) {
					return k, false
				}
				if name, ok := walk(child, k); !ok {
					return name, false
				}
			}
		case []any:
			for _, child := range v {
				if name, ok := walk(child, parent); !ok {
					return name, false
				}
			}
		}
		return "", true
	}
	return walk(v, "")
}
