package evidence_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/evidence"
	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

// The benchmarks run on the in-memory ledger, so they measure the
// contract's own work (access check with certificate parsing, strict
// decoding, validation, SHA-256 of the sealed bytes, JSON, key building,
// key-level policies, the event) plus the ledger double's, not a peer's
// gRPC round trips, gossip of private data or disk I/O.

// submissions returns n SubmitEvidence requests for case C-1 with distinct
// evidence IDs and contents of size bytes, and their contents.
func submissions(b *testing.B, n, size int) ([]string, [][]byte) {
	requests := make([]string, n)
	contents := make([][]byte, n)
	for i := range requests {
		content := bytes.Repeat([]byte{byte(i)}, size)
		copy(content, fmt.Sprintf("item %06d", i))
		ex := newExhibit(fmt.Sprintf("EV-%06d", i), "C-1", "")
		ex.req.ContentSHA256, ex.req.SizeBytes = digestOf(content), int64(size)
		requests[i], contents[i] = toJSON(b, ex.req), content
	}
	return requests, contents
}

// benchmarkSubmit submits one new evidence item per iteration to an open
// case. Every 512 items it starts again on a new ledger, so that the
// ledger's size does not grow with b.N.
func benchmarkSubmit(b *testing.B, size int, submit func(f *fixture, clerk *ledgertest.Client, request string) error) {
	requests, contents := submissions(b, 512, size)
	fresh := func() *fixture {
		f := newFixture(b)
		_, err := f.openCase(f.clerk, newCase("C-1"))
		require.NoError(b, err)
		return f
	}
	f := fresh()
	b.SetBytes(int64(size))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if i == len(requests) {
			b.StopTimer()
			f, i = fresh(), 0
			b.StartTimer()
		}
		if err := submit(f, f.clerk.WithTransient(evidence.TransientContent, contents[i]), requests[i]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkSubmitEvidence calls SubmitEvidence directly, as a transaction
// on the in-memory ledger, with 1 KiB and with 1 MiB (the limit) of sealed
// content.
func BenchmarkSubmitEvidence(b *testing.B) {
	for _, size := range []int{1 << 10, evidence.MaxContentBytes} {
		b.Run(fmt.Sprintf("%dKiB", size>>10), func(b *testing.B) {
			benchmarkSubmit(b, size, func(f *fixture, clerk *ledgertest.Client, request string) error {
				return clerk.Submit(func(ctx ctxT) error {
					_, err := f.c.SubmitEvidence(ctx, request)
					return err
				})
			})
		})
	}
}

// BenchmarkSubmitEvidenceThroughChaincode calls SubmitEvidence through
// contractapi's Invoke (string arguments, dispatch, JSON schema validation
// of the response), as the peer runs it, with 1 KiB of sealed content.
func BenchmarkSubmitEvidenceThroughChaincode(b *testing.B) {
	cc := newChaincode(b)
	benchmarkSubmit(b, 1<<10, func(_ *fixture, clerk *ledgertest.Client, request string) error {
		_, err := clerk.Invoke(cc, "SubmitEvidence", request)
		return err
	})
}

// BenchmarkVerifyEvidenceByHash verifies content as the oversight inspector
// on a ledger of 20 cases with 20 items each, one content submitted in 3
// cases, notarised and handled: a digest found in 3 cases, and an unknown
// digest.
func BenchmarkVerifyEvidenceByHash(b *testing.B) {
	f := newFixture(b)
	shared := "a contract scan submitted in three cases"
	for c := range 20 {
		caseID := fmt.Sprintf("C-%02d", c)
		_, err := f.openCase(f.clerk, newCase(caseID))
		require.NoError(b, err)
		for i := range 20 {
			content := fmt.Sprintf("item %d of %s", i, caseID)
			if i == 0 && c < 3 {
				content = shared
			}
			id := fmt.Sprintf("EV-%02d-%02d", c, i)
			_, err := f.submit(f.clerk, newExhibit(id, caseID, content))
			require.NoError(b, err)
			if i == 0 {
				_, err = f.notarise(f.notary, id, "attested")
				require.NoError(b, err)
				_, err = f.custody(f.clerk, evidence.CustodyEventRequest{EvidenceID: id, Action: evidence.CustodyReceived})
				require.NoError(b, err)
			}
		}
	}
	for _, bc := range []struct {
		name   string
		digest string
		found  int
	}{
		{"found in 3 cases", digestOf([]byte(shared)), 3},
		{"unknown", digestOf([]byte("never submitted")), 0},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				v, err := f.verify(f.inspector, bc.digest)
				if err != nil {
					b.Fatal(err)
				}
				if len(v.Submissions) != bc.found {
					b.Fatalf("%d submissions, want %d", len(v.Submissions), bc.found)
				}
			}
		})
	}
}
