package education_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/education"
	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

// The benchmarks run on the in-memory ledger, so they measure the
// contract's own work (access check with certificate parsing, decoding,
// validation, JSON, key building, events) plus the ledger double's, not a
// peer's gRPC round trips or disk I/O.

// creditRequests returns n RecordCredit requests with distinct credit IDs.
func creditRequests(b *testing.B, s student, n int) []string {
	requests := make([]string, n)
	for i := range requests {
		requests[i] = toJSON(b, creditRequest(fmt.Sprintf("UA-%06d", i), s, 50))
	}
	return requests
}

// benchmarkRecordCredit records one new credit per iteration for a student
// whose details are already in the collection, the common case of a
// registrar entering a term's results. Every 1024 credits it starts again
// from a copy of the initial ledger, so that the ledger's size does not
// grow with b.N.
func benchmarkRecordCredit(b *testing.B, record func(registrar *ledgertest.Client, f *fixture, request string) error) {
	base := newFixture(b)
	s := newStudent(1)
	requests := creditRequests(b, s, 1024)
	f := base.fork(b)
	registrar := s.with(b, f.regA)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if i == len(requests) {
			b.StopTimer()
			f = base.fork(b)
			registrar = s.with(b, f.regA)
			i = 0
			b.StartTimer()
		}
		if err := record(registrar, f, requests[i]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkRecordCredit calls RecordCredit directly, as a transaction on
// the in-memory ledger.
func BenchmarkRecordCredit(b *testing.B) {
	benchmarkRecordCredit(b, func(registrar *ledgertest.Client, f *fixture, request string) error {
		return registrar.Submit(func(ctx ctxT) error {
			_, err := f.c.RecordCredit(ctx, request)
			return err
		})
	})
}

// BenchmarkRecordCreditThroughChaincode calls RecordCredit through
// contractapi's Invoke (string arguments, dispatch, JSON schema validation
// of the response), as the peer runs it.
func BenchmarkRecordCreditThroughChaincode(b *testing.B) {
	cc := newChaincode(b)
	benchmarkRecordCredit(b, func(registrar *ledgertest.Client, _ *fixture, request string) error {
		_, err := registrar.Invoke(cc, "RecordCredit", request)
		return err
	})
}

// transcriptWorld holds a student with 60 credits from both universities,
// 30 of them recognised by the other university and 6 revoked (90
// transcript entries), among 40 other students with 10 credits each.
func transcriptWorld(b *testing.B) (*fixture, student) {
	f := newFixture(b)
	s := newStudent(1)
	regs := []*ledgertest.Client{f.regA, f.regB}
	for i := range 60 {
		issuer, other := regs[i%2], regs[(i+1)%2]
		id := fmt.Sprintf("C-%03d", i)
		_, err := f.recordCredit(issuer, s, creditRequest(id, s, 10+i))
		require.NoError(b, err)
		if i%2 == 0 {
			_, err = f.recognise(other, id, 10)
			require.NoError(b, err)
		}
		if i%10 == 1 {
			_, err = f.revokeCredit(issuer, id, "error")
			require.NoError(b, err)
		}
	}
	for n := 2; n < 42; n++ {
		o := newStudent(n)
		for i := range 10 {
			_, err := f.recordCredit(regs[i%2], o, creditRequest(fmt.Sprintf("O-%02d-%02d", n, i), o, 50))
			require.NoError(b, err)
		}
	}
	return f, s
}

// BenchmarkTranscript reads a transcript: a first page of the default
// size (which needs a second range read for the whole-transcript total),
// every page in turn, and the whole transcript as one page of 100 (no
// second read).
func BenchmarkTranscript(b *testing.B) {
	f, s := transcriptWorld(b)
	read := func(b *testing.B, pageSize int32, bookmark string) *education.Transcript {
		t, err := ledgertest.Eval(f.inspector, func(ctx ctxT) (*education.Transcript, error) {
			return f.c.GetTranscript(ctx, s.ref, pageSize, bookmark)
		})
		if err != nil {
			b.Fatal(err)
		}
		return t
	}

	b.Run("first page of 20", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			read(b, 0, "")
		}
	})
	b.Run("all 5 pages of 20", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			bookmark := ""
			for {
				t := read(b, 20, bookmark)
				if t.Bookmark == "" {
					break
				}
				bookmark = t.Bookmark
			}
		}
	})
	b.Run("one page of 100", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if t := read(b, 100, ""); len(t.Entries) != 90 {
				b.Fatalf("%d entries", len(t.Entries))
			}
		}
	})
}
