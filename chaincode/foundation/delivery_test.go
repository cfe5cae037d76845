package foundation_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/foundation"
	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

// randomLooking returns n bytes of a SHA-256 stream, as random as a test
// needs and the same on every run, in hex.
func randomLooking(seed string, n int) string {
	var out []byte
	for i := 0; len(out) < n; i++ {
		sum := sha256.Sum256(fmt.Appendf(nil, "%s/%d", seed, i))
		out = append(out, sum[:]...)
	}
	return hex.EncodeToString(out[:n])
}

type secretRequest struct {
	Salt string `json:"salt"`
}

func (r *secretRequest) Validate(v *foundation.Fields) { v.Secret("salt", r.Salt, 16, 64) }

func TestSecretRefusesValuesNoRandomGeneratorGives(t *testing.T) {
	refused := map[string]struct{ salt, want string }{
		"too short":               {randomLooking("short", 15), "salt: must be 16 to 64 bytes"},
		"not hex":                 {strings.Repeat("zz", 16), "salt: must be 16 to 64 bytes written as lower-case hexadecimal"},
		"all zero":                {strings.Repeat("00", 16), "salt: is not secret: every byte is the same"},
		"all the same byte":       {strings.Repeat("a7", 32), "salt: is not secret: every byte is the same"},
		"two bytes repeated":      {strings.Repeat("0102", 8), "salt: is not secret: it repeats a pattern of 2 bytes"},
		"a word repeated":         {strings.Repeat(hex.EncodeToString([]byte("salt")), 4), "it repeats a pattern of 4 bytes"},
		"half repeated":           {strings.Repeat(randomLooking("half", 8), 2), "it repeats a pattern of 8 bytes"},
		"counting up":             {"000102030405060708090a0b0c0d0e0f", "its bytes count up or down by a fixed step"},
		"counting down by two":    {"fefcfaf8f6f4f2f0eeeceae8e6e4e2e0", "its bytes count up or down by a fixed step"},
		"few values":              {hex.EncodeToString([]byte("aaaabbbbccccdddd")), "it has only 4 different byte values in 16 bytes"},
		"a date and a number":     {hex.EncodeToString([]byte("2026010120260101")), "it repeats a pattern of 8 bytes"},
		"digits repeated":         {hex.EncodeToString([]byte("0123401234012340")), "it repeats a pattern of 5 bytes"},
		"digits of pi":            {hex.EncodeToString([]byte("3141592653589793")), "its bytes are all digits: text, not random bytes"},
		"hex written as text":     {hex.EncodeToString([]byte(randomLooking("hex twice", 8))), "its bytes are all digits: text, not random bytes"},
		"upper-case hex":          {strings.ToUpper(randomLooking("upper", 16)), "lower-case hexadecimal"},
		"too long":                {randomLooking("long", 65), "salt: must be 16 to 64 bytes"},
		"odd number of hex chars": {randomLooking("odd", 16) + "a", "salt: must be 16 to 64 bytes"},
	}
	for name, tt := range refused {
		t.Run(name, func(t *testing.T) {
			var req secretRequest
			err := foundation.DecodeRequest(`{"salt":"`+tt.salt+`"}`, &req)
			require.Error(t, err)
			assert.ErrorIs(t, err, foundation.ErrInvalidInput)
			assert.Contains(t, err.Error(), tt.want)
			assert.NotContains(t, err.Error(), tt.salt, "a refusal never echoes the secret")
		})
	}
	for i := range 2000 {
		salt := randomLooking(fmt.Sprint("accepted ", i), 16+i%49)
		var req secretRequest
		require.NoError(t, foundation.DecodeRequest(`{"salt":"`+salt+`"}`, &req), "a random salt of %d bytes", 16+i%49)
	}
}

// TestDeliveryIsForTheReaderOnly: a query delivers private data encrypted
// under the key the reader sent as transient data, bound to what was
// delivered; the response bytes hold nothing of the record.
func TestDeliveryIsForTheReaderOnly(t *testing.T) {
	l := ledgertest.New(t)
	type record struct {
		Name string `json:"name"`
	}
	secretName := "Jane Q. Example"
	query := func(c *ledgertest.Client) (*foundation.Delivery, error) {
		return ledgertest.Eval(c, func(ctx ctxT) (*foundation.Delivery, error) {
			tx, err := foundation.Begin(ctx, foundation.Allow("Read", readers))
			if err != nil {
				return nil, err
			}
			key, err := tx.ReaderKey()
			if err != nil {
				return nil, err
			}
			return tx.Deliver(key, "test/record/R-1", record{Name: secretName})
		})
	}
	keyHex := randomLooking("reader key", foundation.ReaderKeyBytes)
	key, _ := hex.DecodeString(keyHex)
	reader := l.As("OrgAMSP", "clerk").WithTransient(foundation.TransientReaderKey, []byte(`{"key":"`+keyHex+`"}`))

	d, err := query(reader)
	require.NoError(t, err)
	raw, err := json.Marshal(d)
	require.NoError(t, err)
	assert.NotContains(t, string(raw), secretName)
	assert.NotContains(t, string(raw), hex.EncodeToString([]byte(secretName)))
	assert.Equal(t, foundation.DeliveryAlgorithm, d.Algorithm)

	var got record
	require.NoError(t, d.OpenRecord(key, "test/record/R-1", &got))
	assert.Equal(t, secretName, got.Name)

	other, _ := hex.DecodeString(randomLooking("another key", foundation.ReaderKeyBytes))
	assert.ErrorContains(t, d.OpenRecord(other, "test/record/R-1", &got), "wrong key")
	assert.ErrorContains(t, d.OpenRecord(key, "test/record/R-2", &got), "the delivery of something else", "bound to its context")
	assert.ErrorContains(t, d.OpenRecord(key[:16], "test/record/R-1", &got), "reader key is 16 bytes, want 32")

	again, err := query(reader)
	require.NoError(t, err)
	assert.NotEqual(t, d.Nonce, again.Nonce, "each transaction gets its own nonce")

	refusals := map[string]struct {
		client *ledgertest.Client
		want   string
	}{
		"no reader key":      {l.As("OrgAMSP", "clerk"), `transient "readerKey": readerKey: required as transient data`},
		"a short key":        {l.As("OrgAMSP", "clerk").WithTransient(foundation.TransientReaderKey, []byte(`{"key":"`+keyHex[:32]+`"}`)), "key: must be 32 to 32 bytes"},
		"an all-zero key":    {l.As("OrgAMSP", "clerk").WithTransient(foundation.TransientReaderKey, []byte(`{"key":"`+strings.Repeat("00", 32)+`"}`)), "key: is not secret: every byte is the same"},
		"a key spelled KEY":  {l.As("OrgAMSP", "clerk").WithTransient(foundation.TransientReaderKey, []byte(`{"KEY":"`+keyHex+`"}`)), `KEY: unknown field`},
		"the key in the raw": {l.As("OrgAMSP", "clerk").WithTransient(foundation.TransientReaderKey, key), `invalid input: transient "readerKey"`},
		"another org":        {l.As("OrgCMSP", "clerk").WithTransient(foundation.TransientReaderKey, []byte(`{"key":"`+keyHex+`"}`)), "access denied: Read called by OrgCMSP"},
	}
	for name, tt := range refusals {
		t.Run(name, func(t *testing.T) {
			d, err := query(tt.client)
			assert.Nil(t, d)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}
