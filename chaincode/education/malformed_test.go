package education_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/foundation"
)

// TestEveryWriteRefusesMalformedRequests sends each write function, as a
// caller it admits, requests that cannot be decoded or validated, and
// checks that each is refused as invalid input and writes nothing.
func TestEveryWriteRefusesMalformedRequests(t *testing.T) {
	base, s, _ := newFixtureWithCredit(t)
	malformed := map[string]string{
		"empty":           ``,
		"not JSON":        `creditId=UA-1`,
		"JSON null":       `null`,
		"JSON array":      `[{"creditId":"UA-1"}]`,
		"empty object":    `{}`,
		"unknown field":   `{"issuer":"UniversityAMSP"}`,
		"duplicate field": `{"reason":"a","reason":"b"}`,
		"second spelling": `{"reason":"a","REASON":"b"}`,
		"another case":    `{"Reason":"a"}`,
		"folded letter":   `{"reaſon":"a"}`,
		"wrong type":      `{"reason":42}`,
		"two objects":     `{} {}`,
		"invalid UTF-8":   "{\"reason\":\"\xc3\x28\"}",
		"oversized":       `{"reason":"` + strings.Repeat("x", foundation.MaxRequestBytes) + `"}`,
	}
	for _, target := range fuzzTargets() {
		t.Run(target.name, func(t *testing.T) {
			for name, request := range malformed {
				f := base.fork(t)
				client := s.with(t, target.caller(f))
				before := f.l.Snapshot()
				err := client.Submit(func(ctx ctxT) error {
					_, err := target.call(f.c, ctx, request)
					return err
				})
				require.Error(t, err, name)
				assert.ErrorIs(t, err, foundation.ErrInvalidInput, name)
				assert.Contains(t, err.Error(), "invalid input: request", name)
				assert.Empty(t, f.l.Diff(before), "%s: nothing written", name)
			}
		})
	}
}
