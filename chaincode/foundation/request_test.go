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
	ID       string       `json:"id"`
	Title    string       `json:"title"`
	Note     string       `json:"note"`
	Digest   string       `json:"digest"`
	Salt     string       `json:"salt"`
	Amount   int64        `json:"amount"`
	Status   string       `json:"status"`
	Date     string       `json:"date"`
	Nested   *sampleInner `json:"nested,omitempty"`
	Optional []string     `json:"optional,omitempty"`
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
		{"duplicate field", replace(`"title":"A title"`, `"title":"A title","title":"B"`), `field "title" appears more than once`},
		{"duplicate nested field", replace(`{"id"`, `{"nested":{"name":"a","name":"b"},"id"`), `field "name" appears more than once`},
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
