package foundation_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/foundation"
)

// sampleRequest exercises every field check of Fields.
type sampleRequest struct {
	ID       string        `json:"id"`
	Title    string        `json:"title"`
	Note     string        `json:"note"`
	Digest   string        `json:"digest"`
	Salt     string        `json:"salt"`
	Amount   int64         `json:"amount"`
	Status   string        `json:"status"`
	Date     string        `json:"date"`
	Nested   *sampleInner  `json:"nested,omitempty"`
	Optional []string      `json:"optional,omitempty"`
	Items    []sampleInner `json:"items,omitempty"`
	Link     string        `json:"link,omitempty"`
}

type sampleInner struct {
	Name string `json:"name"`
}

func (r *sampleRequest) Validate(v *foundation.Fields) {
	v.Identifier("id", r.ID)
	v.Text("title", r.Title, 20)
	v.OptionalText("note", r.Note, 10)
	v.SHA256Hex("digest", r.Digest)
	v.Hex("salt", r.Salt, 4, 8)
	v.Int("amount", r.Amount, 1, 100)
	v.OneOf("status", r.Status, "open", "closed")
	v.Date("date", r.Date)
	v.OptionalText("link", r.Link, 20)
}

const digest = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

func validSample() string {
	return `{"id":"REQ-1","title":"A title","digest":"` + digest + `","salt":"00112233","amount":5,"status":"open","date":"2024-02-29"}`
}

func TestDecodeRequestAcceptsAValidRequest(t *testing.T) {
	var req sampleRequest
	require.NoError(t, foundation.DecodeRequest(validSample(), &req))
	assert.Equal(t, sampleRequest{ID: "REQ-1", Title: "A title", Digest: digest, Salt: "00112233", Amount: 5, Status: "open", Date: "2024-02-29"}, req)

	nested := strings.Replace(validSample(), `{"id"`, `{"nested":{"name":"x"},"optional":["a","a"],"id"`, 1)
	require.NoError(t, foundation.DecodeRequest(nested, &req), "repeated array values are not duplicate fields")
}

func TestDecodeRequestRefusals(t *testing.T) {
	valid := validSample()
	replace := func(old, new string) string { return strings.Replace(valid, old, new, 1) }
	tests := []struct {
		name string
		raw  string
		want string
	}{
		{"empty", "", "must be a JSON object"},
		{"null", "null", "must be a JSON object"},
		{"array", "[]", "must be a JSON object"},
		{"string", `"x"`, "must be a JSON object"},
		{"truncated", valid[:20], "malformed JSON"},
		{"trailing object", valid + `{}`, "unexpected data after the JSON object"},
		{"trailing garbage", valid + `x`, "malformed JSON"},
		{"unknown field", replace(`"id"`, `"admin":true,"id"`), "admin: unknown field"},
		{"duplicate field", replace(`"title":"A title"`, `"title":"A title","title":"B"`), "title: appears more than once"},
		{"duplicate nested field", replace(`{"id"`, `{"nested":{"name":"a","name":"b"},"id"`), "nested.name: appears more than once"},
		{"wrong type", replace(`"amount":5`, `"amount":"5"`), "amount: must be an integer in range, got string"},
		{"overflow", replace(`"amount":5`, `"amount":99999999999999999999`), "amount: must be an integer in range, got number"},
		{"fraction", replace(`"amount":5`, `"amount":1.5`), "amount: must be an integer in range, got number"},
		{"invalid utf-8", replace(`A title`, "A \xff title"), "not valid UTF-8"},
		{"oversized", replace(`"id"`, `"note":"`+strings.Repeat("x", foundation.MaxRequestBytes)+`","id"`), "over the limit"},
		{"missing fields", `{}`, "id: required; title: required; digest: required; salt: required; amount: must be between 1 and 100; status: must be one of open, closed; date: required"},
		{"bad identifier", replace(`REQ-1`, `-REQ`), "id: must be 1 to 64 characters"},
		{"identifier with space", replace(`REQ-1`, `REQ 1`), "id: must be 1 to 64 characters"},
		{"long identifier", replace(`REQ-1`, strings.Repeat("a", 65)), "id: must be 1 to 64 characters"},
		{"long text", replace(`A title`, strings.Repeat("é", 21)), "title: must be at most 20 characters"},
		{"control character", replace(`A title`, `A\u0000title`), "title: must not contain control characters"},
		{"padded text", replace(`A title`, ` A title`), "title: must not start or end with white space"},
		{"upper-case digest", replace(digest, strings.ToUpper(digest)), "digest: must be a SHA-256 digest"},
		{"short digest", replace(digest, digest[:63]), "digest: must be a SHA-256 digest"},
		{"odd hex", replace(`00112233`, `0011223`), "salt: must be 4 to 8 bytes"},
		{"long hex", replace(`00112233`, `001122330011223300`), "salt: must be 4 to 8 bytes"},
		{"amount too high", replace(`"amount":5`, `"amount":101`), "amount: must be between 1 and 100"},
		{"unknown status", replace(`"open"`, `"OPEN"`), "status: must be one of open, closed"},
		{"impossible date", replace(`2024-02-29`, `2023-02-29`), "date: must be a date written as YYYY-MM-DD"},
		{"date with time", replace(`2024-02-29`, `2024-02-29T00:00:00Z`), "date: must be a date written as YYYY-MM-DD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var req sampleRequest
			err := foundation.DecodeRequest(tt.raw, &req)
			require.Error(t, err)
			assert.ErrorIs(t, err, foundation.ErrInvalidInput)
			var inputErr *foundation.InputError
			require.ErrorAs(t, err, &inputErr)
			assert.Equal(t, "request", inputErr.Input)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// TestDecodeRequestReadsFieldNamesExactly: encoding/json matches field
// names without regard to case and folds some Unicode letters (ſ to s,
// the Kelvin sign to k), so that {"amount":5,"AMOUNT":25000000} would be
// read as 25000000 by the contract and as 5 by a case-sensitive reader of
// the same signed bytes. The decoder refuses every name that is not
// exactly a field's JSON name, at every depth, and says which.
func TestDecodeRequestReadsFieldNamesExactly(t *testing.T) {
	valid := validSample()
	replace := func(old, new string) string { return strings.Replace(valid, old, new, 1) }
	tests := []struct {
		name string
		raw  string
		want string
	}{
		{"a second spelling of a field", replace(`"amount":5`, `"amount":5,"AMOUNT":99`), `AMOUNT: unknown field; field names are exact: did you mean "amount"?`},
		{"a second spelling before the field", replace(`"amount":5`, `"Amount":99,"amount":5`), `Amount: unknown field; field names are exact: did you mean "amount"?`},
		{"another case alone", replace(`"title"`, `"Title"`), `Title: unknown field; field names are exact: did you mean "title"?`},
		{"long s folded to s", replace(`"status"`, `"ſtatus"`), `ſtatus: unknown field; field names are exact: did you mean "status"?`},
		{"Kelvin sign folded to k", replace(`"id"`, `"lin\u212a":"x","id"`), "lin\u212a: unknown field; field names are exact: did you mean \"link\"?"},
		{"nested field in another case", replace(`{"id"`, `{"nested":{"NAME":"x"},"id"`), `nested.NAME: unknown field; field names are exact: did you mean "name"?`},
		{"nested second spelling", replace(`{"id"`, `{"nested":{"name":"x","nAme":"y"},"id"`), `nested.nAme: unknown field`},
		{"object in an array in another case", replace(`{"id"`, `{"items":[{"name":"a"},{"Name":"b"}],"id"`), `items[1].Name: unknown field; field names are exact: did you mean "name"?`},
		{"unknown field in an array", replace(`{"id"`, `{"items":[{"name":"a","admin":true}],"id"`), `items[0].admin: unknown field`},
		{"duplicate in an array", replace(`{"id"`, `{"items":[{"name":"a","name":"b"}],"id"`), `items[0].name: appears more than once`},
		{"escaped duplicate", replace(`"title":"A title"`, `"title":"A title","\u0074itle":"B"`), `title: appears more than once`},
		{"an object given as a string", replace(`{"id"`, `{"nested":"x","NESTED":{},"id"`), `nested: must be an object, got string`},
		{"an array given as a number", replace(`{"id"`, `{"items":1,"id"`), `items: must be an array, got number`},
		{"unpaired high surrogate", replace(`A title`, `A \ud800 title`), `unpaired UTF-16 surrogate`},
		{"unpaired low surrogate", replace(`A title`, `A \udc00 title`), `unpaired UTF-16 surrogate`},
		{"reversed surrogates", replace(`A title`, `\udc00\ud800`), `unpaired UTF-16 surrogate`},
		{"surrogate in a name", replace(`"id"`, `"\ud800":1,"id"`), `unpaired UTF-16 surrogate`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var req sampleRequest
			err := foundation.DecodeRequest(tt.raw, &req)
			require.Error(t, err)
			assert.ErrorIs(t, err, foundation.ErrInvalidInput)
			assert.Contains(t, err.Error(), tt.want)
		})
	}

	accepted := []struct{ name, raw string }{
		{"an escaped name is the name", replace(`"title"`, `"\u0074itle"`)},
		{"a surrogate pair", replace(`A title`, `A \ud83d\ude00 title`)},
		{"an escaped backslash before u", replace(`"note"`, `"note":"a\\ud800",`+`"link"`)},
	}
	for _, tt := range accepted {
		var req sampleRequest
		assert.NoError(t, foundation.DecodeRequest(tt.raw, &req), tt.name)
	}
}

// TestTextRefusesInvisibleAndBidirectionalCharacters: text shown to people
// must read the same everywhere, so a payee cannot be made to display as
// another: no Unicode format characters (category Cf: bidirectional
// embeddings, overrides and isolates, zero-width characters, the byte
// order mark, soft hyphens, tags) and no line or paragraph separators.
func TestTextRefusesInvisibleAndBidirectionalCharacters(t *testing.T) {
	refused := map[string]string{
		"right-to-left override":     "Acme \u202eLtd",
		"left-to-right embedding":    "Acme \u202aLtd",
		"pop directional formatting": "Acme\u202c Ltd",
		"first strong isolate":       "Acme \u2068Ltd",
		"pop directional isolate":    "Acme\u2069 Ltd",
		"right-to-left mark":         "Acme\u200f Ltd",
		"left-to-right mark":         "Acme\u200e Ltd",
		"arabic letter mark":         "Acme\u061c Ltd",
		"zero width space":           "Ac\u200bme",
		"zero width joiner":          "Ac\u200dme",
		"zero width non-joiner":      "Ac\u200cme",
		"word joiner":                "Ac\u2060me",
		"byte order mark":            "Ac\ufeffme",
		"soft hyphen":                "Ac\u00adme",
		"tag character":              "Acme\U000E0041",
		"line separator":             "Acme\u2028Ltd",
		"paragraph separator":        "Acme\u2029Ltd",
	}
	for name, title := range refused {
		t.Run(name, func(t *testing.T) {
			raw := strings.Replace(validSample(), `"A title"`, `"`+title+`"`, 1)
			var req sampleRequest
			err := foundation.DecodeRequest(raw, &req)
			require.Error(t, err)
			assert.ErrorIs(t, err, foundation.ErrInvalidInput)
			assert.Contains(t, err.Error(), "title: must not contain invisible formatting, bidirectional control or line separator characters")
		})
	}
	for _, title := range []string{"Zoë Ångström", "李华", "محمد علي", "Ελένη", "Ōsaka Ltd.", "Müller & Söhne", "São Paulo"} {
		raw := strings.Replace(validSample(), `"A title"`, `"`+title+`"`, 1)
		var req sampleRequest
		assert.NoError(t, foundation.DecodeRequest(raw, &req), title)
	}
}

func TestInputErrorsDoNotEchoValues(t *testing.T) {
	secret := "SECRET-STUDENT-4711"
	inputs := []string{
		`{"amount":"` + secret + `"}`,
		`{"title":" ` + secret + `"}`,
		`{"id":"` + secret + ` x"}`,
		`{"digest":"` + secret + `"}`,
		`{"` + secret + `":1}`, // an unknown field name is not a value
	}
	for _, raw := range inputs {
		var req sampleRequest
		err := foundation.DecodeRequest(raw, &req)
		require.Error(t, err)
		if strings.HasPrefix(raw, `{"`+secret) {
			continue
		}
		assert.NotContains(t, err.Error(), secret, raw)
	}
}

func TestRecordErrors(t *testing.T) {
	tests := []struct {
		err      error
		sentinel error
		msg      string
	}{
		{foundation.NotFound("credit", "C-1"), foundation.ErrNotFound, `credit "C-1" not found`},
		{foundation.AlreadyExists("credit", "C-1", "recorded by UniAMSP"), foundation.ErrAlreadyExists, `credit "C-1" already exists: recorded by UniAMSP`},
		{foundation.AlreadyExists("credit", "C-1", ""), foundation.ErrAlreadyExists, `credit "C-1" already exists`},
		{foundation.Conflict("credit", "C-1", "is revoked"), foundation.ErrConflict, `credit "C-1" is revoked`},
		{foundation.Conflict("credit", "C-1", ""), foundation.ErrConflict, `credit "C-1": conflict with current state`},
	}
	for _, tt := range tests {
		assert.ErrorIs(t, tt.err, tt.sentinel)
		assert.EqualError(t, tt.err, tt.msg)
		for _, other := range []error{foundation.ErrNotFound, foundation.ErrAlreadyExists, foundation.ErrConflict, foundation.ErrAccessDenied, foundation.ErrInvalidInput} {
			if other != tt.sentinel {
				assert.False(t, errors.Is(tt.err, other), "%v must not match %v", tt.err, other)
			}
		}
	}
}

func TestSHA256Helpers(t *testing.T) {
	assert.Equal(t, digest, foundation.SHA256Hex([]byte("test")))
	assert.True(t, foundation.IsSHA256Hex(digest))
	for _, bad := range []string{"", digest[:63], digest + "0", strings.ToUpper(digest), strings.Replace(digest, "9", "g", 1)} {
		assert.False(t, foundation.IsSHA256Hex(bad), bad)
	}
}

// batchRequest is sampleRequest with a limit of its own.
type batchRequest struct{ sampleRequest }

func (r *batchRequest) MaxBytes() int { return 2 * foundation.MaxRequestBytes }

func TestBatchRequestsHaveTheirOwnLimit(t *testing.T) {
	note := func(n int) string {
		return strings.Replace(validSample(), `"id"`, `"link":"`+strings.Repeat("x", n)+`","id"`, 1)
	}
	over := note(foundation.MaxRequestBytes)
	var plain sampleRequest
	assert.ErrorContains(t, foundation.DecodeRequest(over, &plain), "over the limit of 16384 bytes")
	var batch batchRequest
	err := foundation.DecodeRequest(over, &batch)
	assert.ErrorContains(t, err, "link: must be at most 20 characters", "the batch's limit admits the bytes; its fields are still checked")
	assert.ErrorContains(t, foundation.DecodeRequest(note(2*foundation.MaxRequestBytes), &batch), "over the limit of 32768 bytes")
}
