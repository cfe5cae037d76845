package evidence_test

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/govshare/govshare/chaincode/evidence"
	"github.com/govshare/govshare/chaincode/foundation"
	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

// fuzzTarget is a write function with a caller it admits and the transient
// key its sealed or private input goes under.
type fuzzTarget struct {
	name      string
	caller    func(f *fixture) *ledgertest.Client
	transient string
	call      func(c *evidence.Contract, ctx ctxT, request string) (any, error)
}

func fuzzTargets() []fuzzTarget {
	clerk := func(f *fixture) *ledgertest.Client { return f.clerk }
	judge := func(f *fixture) *ledgertest.Client { return f.judge }
	notary := func(f *fixture) *ledgertest.Client { return f.notary }
	return []fuzzTarget{
		{"OpenCase", clerk, evidence.TransientParties, func(c *evidence.Contract, ctx ctxT, r string) (any, error) { return c.OpenCase(ctx, r) }},
		{"CloseCase", judge, "", func(c *evidence.Contract, ctx ctxT, r string) (any, error) { return c.CloseCase(ctx, r) }},
		{"SealCase", judge, "", func(c *evidence.Contract, ctx ctxT, r string) (any, error) { return c.SealCase(ctx, r) }},
		{"SubmitEvidence", notary, evidence.TransientContent, func(c *evidence.Contract, ctx ctxT, r string) (any, error) { return c.SubmitEvidence(ctx, r) }},
		{"NotariseEvidence", notary, "", func(c *evidence.Contract, ctx ctxT, r string) (any, error) { return c.NotariseEvidence(ctx, r) }},
		{"RecordCustodyEvent", clerk, "", func(c *evidence.Contract, ctx ctxT, r string) (any, error) { return c.RecordCustodyEvent(ctx, r) }},
		{"RequestAccess", clerk, "", func(c *evidence.Contract, ctx ctxT, r string) (any, error) { return c.RequestAccess(ctx, r) }},
		{"GrantAccess", judge, "", func(c *evidence.Contract, ctx ctxT, r string) (any, error) { return c.GrantAccess(ctx, r) }},
		{"DenyAccess", judge, "", func(c *evidence.Contract, ctx ctxT, r string) (any, error) { return c.DenyAccess(ctx, r) }},
		{"RevokeAccess", judge, "", func(c *evidence.Contract, ctx ctxT, r string) (any, error) { return c.RevokeAccess(ctx, r) }},
		{"OpenSealedContent", notary, "", func(c *evidence.Contract, ctx ctxT, r string) (any, error) { return c.OpenSealedContent(ctx, r) }},
	}
}

// checkRefusal fails the test unless err wraps exactly one of the
// foundation's sentinels and says what is wrong.
func checkRefusal(t *testing.T, err error) {
	t.Helper()
	kinds := 0
	for _, s := range []error{foundation.ErrAccessDenied, foundation.ErrInvalidInput, foundation.ErrNotFound, foundation.ErrAlreadyExists, foundation.ErrConflict} {
		if errors.Is(err, s) {
			kinds++
		}
	}
	if kinds != 1 {
		t.Fatalf("refusal wraps %d sentinels, want 1: %v", kinds, err)
	}
	var inputErr *foundation.InputError
	if errors.As(err, &inputErr) && inputErr.Cause == nil && len(inputErr.Fields) == 0 {
		t.Fatalf("input refusal says nothing: %v", err)
	}
}

// FuzzWriteFunctions calls a write function (chosen by the first input)
// with an arbitrary request and arbitrary transient data, as a caller the
// function admits, on a ledger holding an open case with evidence, a
// pending and a granted access request. Whatever the input, the function
// must not panic; it either succeeds and emits one event, or returns an
// error that wraps one of the foundation's sentinels, says what is wrong,
// and leaves the ledger unchanged.
func FuzzWriteFunctions(f *testing.F) {
	content := []byte(matrixContent)
	digest := digestOf(content)
	seeds := []struct {
		target    string
		request   string
		transient string
	}{
		{"OpenCase", `{"caseId":"C-9","court":"Court","caseType":"t","parties":[{"ref":"P1","role":"plaintiff"}]}`, `{"parties":[{"ref":"P1","name":"N"}]}`},
		{"OpenCase", `{"caseId":"C-9","parties":[{"ref":"P1","role":"plaintiff"},{"ref":"P1","role":"x"}]}`, `{"parties":[]}`},
		{"CloseCase", `{"caseId":"C-OPEN","reason":"decided"}`, ""},
		{"SealCase", `{"caseId":"C-OPEN","reason":"x","caseId":"C-OPEN"}`, ""},
		{"SubmitEvidence", `{"evidenceId":"EV-9","caseId":"C-OPEN","contentSha256":"` + digestOf([]byte("x")) + `","mediaType":"text/plain","sizeBytes":1,"description":"d","provenance":{"tool":"t","capturedAt":"2025-08-30T14:05:00Z","source":"s"},"sealedAs":"content"}`, "x"},
		{"SubmitEvidence", `{"evidenceId":"EV-9","caseId":"C-OPEN","contentSha256":"` + digest + `","mediaType":"a/b","sizeBytes":15,"description":"d","provenance":{"tool":"t","capturedAt":"2025-08-30T14:05:00Z","source":"s"},"sealedAs":"content"}`, string(content)},
		{"SubmitEvidence", `{"evidenceId":"EV-9","sizeBytes":1e300,"provenance":{"capturedAt":"9999-12-31T23:59:60Z"},"sealedAs":"key"}`, ""},
		{"SubmitEvidence", `{"evidenceId":"EV-9","mediaType":"a/b/c","provenance":{"capturedAt":"2025-02-30T00:00:00+25:00"}}`, "\x00\xff"},
		{"NotariseEvidence", `{"evidenceId":"EV-1","statement":"attested"}`, ""},
		{"RecordCustodyEvent", `{"evidenceId":"EV-1","action":"transferred","counterparty":"lab"}`, ""},
		{"RecordCustodyEvent", `{"evidenceId":"EV-1","action":"returned","note":"\u0007"}`, ""},
		{"RequestAccess", `{"requestId":"AR-9","evidenceId":"EV-1","grantee":{"mspId":"NotaryOfficeMSP","id":"x509::CN=a::CN=b"},"purpose":"p"}`, ""},
		{"RequestAccess", `{"requestId":"AR-9","grantee":{"mspId":"OversightMSP","id":"x509::::"}}`, ""},
		{"GrantAccess", `{"requestId":"AR-PENDING","expiresAt":"` + grantExpiry + `"}`, ""},
		{"GrantAccess", `{"requestId":"AR-PENDING","expiresAt":"2025-09-01T08:00:00.999999999999Z"}`, ""},
		{"DenyAccess", `{"requestId":"AR-PENDING","reason":"no"}`, ""},
		{"RevokeAccess", `{"requestId":"AR-GRANTED","reason":"over"}`, ""},
		{"OpenSealedContent", `{"requestId":"AR-GRANTED"}`, ""},
		{"OpenSealedContent", `{"requestId":"` + strings.Repeat("A", 65) + `"}`, ""},
		{"OpenSealedContent", "{\"requestId\":\"\xff\"}", ""},
	}
	targets := fuzzTargets()
	index := map[string]uint8{}
	for i, t := range targets {
		index[t.name] = uint8(i)
	}
	for _, seed := range seeds {
		f.Add(index[seed.target], seed.request, []byte(seed.transient))
	}

	world := newFuzzWorld(f)
	f.Fuzz(func(t *testing.T, which uint8, request string, transient []byte) {
		target := targets[int(which)%len(targets)]
		client := target.caller(world)
		if target.transient != "" {
			client = client.WithTransient(target.transient, transient)
		}
		before := world.l.Snapshot()
		events := len(world.l.Events())
		err := client.Submit(func(ctx ctxT) error {
			_, err := target.call(world.c, ctx, request)
			return err
		})
		if err != nil {
			checkRefusal(t, err)
			if diff := world.l.Diff(before); len(diff) > 0 {
				t.Fatalf("%s refused (%v) but wrote %v", target.name, err, diff)
			}
			return
		}
		if len(world.l.Events()) != events+1 {
			t.Fatalf("%s succeeded without exactly one event", target.name)
		}
	})
}

// FuzzReadSealedContent calls ReadSealedContent with arbitrary arguments
// and transient reader key as the grantee of an opened grant. It must not
// panic, must refuse with a sentinel error, and whenever it delivers, the
// delivery must open with the key sent to the content sealed.
func FuzzReadSealedContent(f *testing.F) {
	_, goodKey := readerKey(1)
	f.Add("EV-1", 1, []byte(goodKey))
	f.Add("EV-1", 2, []byte(goodKey))
	f.Add("EV-1", 0, []byte(`{"key":""}`))
	f.Add("EV-2", 1, []byte(`{"key":"`+strings.Repeat("ab", 33)+`"}`))
	f.Add("", -1, []byte("not json"))
	f.Add("EV-1\x00", 1<<30, []byte(`{"key":"`+strings.Repeat("AB", 32)+`"}`))

	world := newFuzzWorld(f)
	f.Fuzz(func(t *testing.T, evidenceID string, sequence int, transient []byte) {
		before := world.l.Snapshot()
		d, err := ledgertest.Eval(world.notary.WithTransient(evidence.TransientReaderKey, transient), func(ctx ctxT) (*evidence.SealedDelivery, error) {
			return world.c.ReadSealedContent(ctx, evidenceID, sequence)
		})
		if diff := world.l.Diff(before); len(diff) > 0 {
			t.Fatalf("a read wrote %v", diff)
		}
		if err != nil {
			checkRefusal(t, err)
			return
		}
		var sent evidence.ReaderKey
		if err := json.Unmarshal(transient, &sent); err != nil {
			t.Fatalf("delivered against an undecodable reader key: %v", err)
		}
		key, err := hex.DecodeString(sent.Key)
		if err != nil {
			t.Fatal(err)
		}
		content, err := d.Open(key)
		if err != nil || string(content) != matrixContent {
			t.Fatalf("delivery does not open to the sealed content: %v", err)
		}
	})
}

// newFuzzWorld is the matrix world with the notary's grant opened once.
func newFuzzWorld(f *testing.F) *fixture {
	w := newMatrixWorld(f)
	if _, err := w.open(w.notary, "AR-GRANTED"); err != nil {
		f.Fatal(err)
	}
	return w
}
