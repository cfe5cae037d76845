package govclient

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/evidence"
	"github.com/govshare/govshare/chaincode/foundation"
)

// evidenceFileMethods are the view's methods that are not one contract
// function each: they prepare a file for SubmitEvidence, or take both steps
// of a read.
var evidenceFileMethods = []string{"SubmitEvidenceFile", "SubmitEvidenceFileWithKey", "ReadSealed"}

// TestEvidenceViewMatchesTheContract checks the view against the contract
// itself: every transaction function has a view method of its name; the
// contract's queries are evaluated (no Result) and take the contract's
// arguments in order, followed only by transient input; every other
// function is submitted (it returns a Result) and takes one of the
// contract's request types, followed only by transient input; both return
// the contract's record type. Besides them the view has only the file and
// two-step read methods.
func TestEvidenceViewMatchesTheContract(t *testing.T) {
	contract := reflect.TypeOf(evidence.New())
	view := reflect.TypeOf(&Evidence{})
	queries := evidence.New().GetEvaluateTransactions()
	txCtx := reflect.TypeOf((*contractapi.TransactionContextInterface)(nil)).Elem()
	ctxType := reflect.TypeOf((*context.Context)(nil)).Elem()
	transient := []reflect.Type{reflect.TypeOf([]byte(nil)), reflect.TypeOf(evidence.PartyNames{})}
	delivered := map[string]reflect.Type{"GetCaseParties": reflect.TypeOf(&evidence.CaseParties{})}

	var functions []string
	for i := range contract.NumMethod() {
		fn := contract.Method(i)
		if fn.Type.NumIn() < 2 || fn.Type.In(1) != txCtx {
			continue
		}
		functions = append(functions, fn.Name)
		m, ok := view.MethodByName(fn.Name)
		if !assert.True(t, ok, "the evidence view has no method %s", fn.Name) {
			continue
		}
		in := make([]reflect.Type, 0, m.Type.NumIn())
		for j := 1; j < m.Type.NumIn(); j++ {
			in = append(in, m.Type.In(j))
		}
		require.NotEmpty(t, in, fn.Name)
		assert.Equal(t, ctxType, in[0], "%s takes a context first", fn.Name)
		in = in[1:]
		contractArgs := make([]reflect.Type, 0, fn.Type.NumIn())
		for j := 2; j < fn.Type.NumIn(); j++ {
			contractArgs = append(contractArgs, fn.Type.In(j))
		}
		var rest []reflect.Type
		if slices.Contains(queries, fn.Name) {
			require.GreaterOrEqual(t, len(in), len(contractArgs), fn.Name)
			assert.Equal(t, contractArgs, in[:len(contractArgs)], "%s takes the contract's arguments", fn.Name)
			rest = in[len(contractArgs):]
			require.Equal(t, 2, m.Type.NumOut(), "%s is a query: it is evaluated and returns no Result", fn.Name)
		} else {
			require.NotEmpty(t, in, "%s takes a request", fn.Name)
			assert.Equal(t, contract.Elem().PkgPath(), in[0].PkgPath(), "%s takes the contract's own request type", fn.Name)
			assert.True(t, strings.HasSuffix(in[0].Name(), "Request"), "%s takes a request, not %s", fn.Name, in[0])
			rest = in[1:]
			require.Equal(t, 3, m.Type.NumOut(), "%s is a write: it is submitted and returns a Result", fn.Name)
			assert.Equal(t, reflect.TypeOf(&Result{}), m.Type.Out(1), fn.Name)
		}
		for _, r := range rest {
			assert.Contains(t, transient, r, "%s takes %s after the contract's input: only transient input may follow", fn.Name, r)
		}
		assert.Equal(t, openedRecord(fn.Name, fn.Type.Out(0), delivered), m.Type.Out(0), "%s returns the contract's record", fn.Name)
	}
	for _, name := range evidenceFileMethods {
		_, ok := view.MethodByName(name)
		assert.True(t, ok, name)
	}
	assert.Equal(t, len(functions)+len(evidenceFileMethods), view.NumMethod(),
		"the view has one method per transaction function, the file methods and ReadSealed, and no other")
}

// writeFile writes n bytes of a repeating pattern and returns the path.
func writeFile(t *testing.T, name string, n int) (string, []byte) {
	t.Helper()
	data := make([]byte, n)
	for i := range data {
		data[i] = byte(i % 251)
	}
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, data, 0o600))
	return path, data
}

// submitRequest is a complete request but for what a file fills in.
func submitRequest() evidence.SubmitEvidenceRequest {
	return evidence.SubmitEvidenceRequest{
		EvidenceID: "EV-1", CaseID: "IC-1", MediaType: "application/octet-stream", Description: "a capture",
		Provenance: evidence.ProvenanceInput{Tool: "WebCapture 3.2", CapturedAt: "2025-08-30T14:05:00Z", Source: "https://shop.example/offer/17"},
	}
}

// requireAccepted checks that the contract's own decoding accepts req.
func requireAccepted(t *testing.T, req any, into foundation.Request) {
	t.Helper()
	raw, err := json.Marshal(req)
	require.NoError(t, err)
	require.NoError(t, foundation.DecodeRequest(string(raw), into))
}

func TestSubmitEvidenceFileSealsTheContentItHashed(t *testing.T) {
	ctx := context.Background()
	path, data := writeFile(t, "chat.txt", evidence.MaxContentBytes) // the largest file sealed as content
	req := submitRequest()
	content, err := sealFileContent(ctx, &req, path)
	require.NoError(t, err)
	assert.Equal(t, data, content)
	assert.Equal(t, foundation.SHA256Hex(data), req.ContentSHA256)
	assert.Equal(t, int64(len(data)), req.SizeBytes)
	assert.Equal(t, evidence.SealedAsContent, req.SealedAs)
	assert.Empty(t, req.KeySHA256)
	requireAccepted(t, &req, &evidence.SubmitEvidenceRequest{})

	// A digest the caller computed is used, not computed again: when it is
	// not the file's, the content is not sent.
	req = submitRequest()
	req.ContentSHA256 = foundation.SHA256Hex([]byte("another file"))
	_, err = sealFileContent(ctx, &req, path)
	assert.ErrorContains(t, err, "does not hash to the given digest")
}

func TestSubmitEvidenceFileRefusesALargeFileBeforeReadingIt(t *testing.T) {
	path, _ := writeFile(t, "video.bin", evidence.MaxContentBytes+1)
	req := submitRequest()
	content, err := sealFileContent(context.Background(), &req, path)
	require.ErrorIs(t, err, ErrContentTooLarge)
	assert.Nil(t, content)
	assert.Contains(t, err.Error(), "seal the key")
	assert.Equal(t, submitRequest(), req, "neither hashed nor read: the request is untouched")

	_, err = sealFileContent(context.Background(), &req, t.TempDir())
	assert.ErrorContains(t, err, "not a regular file")
	_, err = sealFileContent(context.Background(), &req, filepath.Join(t.TempDir(), "missing"))
	assert.ErrorIs(t, err, os.ErrNotExist)
}

func TestSubmitEvidenceFileWithKeySealsTheKeyOfALargeFile(t *testing.T) {
	path, data := writeFile(t, "video.bin", 3*evidence.MaxContentBytes)
	key, err := NewContentKey()
	require.NoError(t, err)
	req := submitRequest()
	require.NoError(t, sealFileKey(context.Background(), &req, path, key))
	assert.Equal(t, foundation.SHA256Hex(data), req.ContentSHA256, "the ledger holds the plain file's digest")
	assert.Equal(t, foundation.SHA256Hex(key), req.KeySHA256)
	assert.Equal(t, int64(len(data)), req.SizeBytes)
	assert.Equal(t, evidence.SealedAsKey, req.SealedAs)
	requireAccepted(t, &req, &evidence.SubmitEvidenceRequest{})

	other, err := NewContentKey()
	require.NoError(t, err)
	assert.NotEqual(t, key, other, "every key is fresh")

	req = submitRequest()
	assert.ErrorContains(t, sealFileKey(context.Background(), &req, path, key[:evidence.MinKeyBytes-1]), "a sealed key is 16 to 64 bytes")
	assert.Empty(t, req.ContentSHA256, "a wrong key stops before hashing")
}

func TestReaderKeyIsWhatTheContractTakes(t *testing.T) {
	key, transient, err := newReaderKey()
	require.NoError(t, err)
	var decoded evidence.ReaderKey
	require.NoError(t, foundation.DecodeRequest(string(transient[evidence.TransientReaderKey]), &decoded))
	assert.Equal(t, hex.EncodeToString(key), decoded.Key)
	other, _, err := newReaderKey()
	require.NoError(t, err)
	assert.NotEqual(t, key, other, "every read gets a fresh key")

	_, err = readerKeyTransient(key[:16])
	assert.ErrorContains(t, err, "16 bytes, want 32")
}

func TestADeliveryForAnotherEntryIsNotOpened(t *testing.T) {
	entry := &evidence.AccessLogEntry{EvidenceID: "EV-1", Sequence: 2, SealedSHA256: foundation.SHA256Hex([]byte("x"))}
	key := make([]byte, evidence.ReaderKeyBytes)
	for _, d := range []evidence.SealedDelivery{
		{EvidenceID: "EV-2", Sequence: 2, SealedSHA256: entry.SealedSHA256},
		{EvidenceID: "EV-1", Sequence: 1, SealedSHA256: entry.SealedSHA256},
		{EvidenceID: "EV-1", Sequence: 2, SealedSHA256: foundation.SHA256Hex([]byte("y"))},
	} {
		_, err := openDelivery(&d, entry, key)
		assert.ErrorIs(t, err, errWrongDelivery, "%+v", d)
	}
	// The right entry with the wrong key or altered ciphertext: refused by
	// the authenticated decryption.
	d := evidence.SealedDelivery{EvidenceID: "EV-1", Sequence: 2, SealedSHA256: entry.SealedSHA256,
		Algorithm: evidence.DeliveryAlgorithm, Nonce: "000000000000000000000000", Ciphertext: "AAAAAAAAAAAAAAAAAAAAAAAA"}
	_, err := openDelivery(&d, entry, key)
	assert.ErrorContains(t, err, "wrong key or altered delivery")
}

func TestSealedContentNeverPrintsItsData(t *testing.T) {
	sc := SealedContent{Entry: evidence.AccessLogEntry{EvidenceID: "EV-1", Sequence: 1, OpenedAt: time.Unix(0, 0).UTC()},
		SealedAs: evidence.SealedAsContent, Data: []byte("the sealed chat transcript")}
	out, err := json.Marshal(sc)
	require.NoError(t, err)
	assert.NotContains(t, string(out), "chat transcript")
	assert.NotContains(t, string(out), "dGhlIHNlYWxlZC", "nor its base64")
	assert.Contains(t, string(out), `"evidenceId":"EV-1"`)
}
