package evidence_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/evidence"
	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

// The write functions' CPU per transaction on the in-memory ledger (see
// bench_test.go), one benchmark per write function that bench_test.go does
// not cover. Each iteration is one successful transaction on records the
// setup made, on a new ledger every batch iterations (see
// ledgertest.BenchmarkWrites). Run them with
//
//	go test -run '^$' -bench . -benchmem ./chaincode/...

// batch is how many transactions run on one prepared ledger.
const batch = 256

// benchmarkWrite times write(f, i) for i = 0, 1, ... on fixtures that
// setup prepares so that the first batch writes succeed.
func benchmarkWrite(b *testing.B, setup func(t testing.TB) *fixture, write func(f *fixture, i int) error) {
	b.Helper()
	ledgertest.BenchmarkWrites(b, batch, setup, write)
}

func id(prefix string, i int) string { return fmt.Sprintf("%s-%03d", prefix, i) }

// newBenchFixture is newFixture with the signature benchmarkWrite takes.
func newBenchFixture(t testing.TB) *fixture { return newFixture(t) }

// withCases is a fixture with batch open cases C-000 to C-255.
func withCases(t testing.TB) *fixture {
	f := newFixture(t)
	for i := range batch {
		_, err := f.openCase(f.clerk, newCase(id("C", i)))
		require.NoError(t, err)
	}
	return f
}

// withExhibits is a fixture with case C-1 holding batch exhibits E-000 to
// E-255.
func withExhibits(t testing.TB) *fixture {
	f := newFixture(t)
	_, err := f.openCase(f.clerk, newCase("C-1"))
	require.NoError(t, err)
	for i := range batch {
		_, err := f.submit(f.clerk, newExhibit(id("E", i), "C-1", "exhibit "+id("E", i)))
		require.NoError(t, err)
	}
	return f
}

// withRequests is a fixture with exhibit E-1 and batch access requests
// AR-000 to AR-255 naming the notary as grantee; granted says whether the
// judge has granted them.
func withRequests(granted bool) func(t testing.TB) *fixture {
	return func(t testing.TB) *fixture {
		f := newFixture(t)
		f.openCaseWithExhibit("C-1", newExhibit("E-1", "C-1", "chat export"))
		grantee := f.grantee(f.notary)
		for i := range batch {
			_, err := f.requestAccess(f.clerk, evidence.AccessRequestRequest{RequestID: id("AR", i), EvidenceID: "E-1", Grantee: grantee, Purpose: "hearing preparation"})
			require.NoError(t, err)
			if granted {
				_, err = f.grant(f.judge, id("AR", i), grantExpiry)
				require.NoError(t, err)
			}
		}
		return f
	}
}

func BenchmarkOpenCase(b *testing.B) {
	benchmarkWrite(b, newBenchFixture, func(f *fixture, i int) error {
		_, err := f.openCase(f.clerk, newCase(id("C", i)))
		return err
	})
}

func BenchmarkCloseCase(b *testing.B) {
	benchmarkWrite(b, withCases, func(f *fixture, i int) error {
		_, err := f.closeCase(f.judge, id("C", i), "judgment delivered")
		return err
	})
}

func BenchmarkSealCase(b *testing.B) {
	benchmarkWrite(b, withCases, func(f *fixture, i int) error {
		_, err := f.sealCase(f.judge, id("C", i), "protection of a minor")
		return err
	})
}

func BenchmarkNotariseEvidence(b *testing.B) {
	benchmarkWrite(b, withExhibits, func(f *fixture, i int) error {
		_, err := f.notarise(f.notary, id("E", i), "captured in my presence, notarial record 2025-117")
		return err
	})
}

func BenchmarkRecordCustodyEvent(b *testing.B) {
	benchmarkWrite(b, withExhibits, func(f *fixture, i int) error {
		_, err := f.custody(f.clerk, evidence.CustodyEventRequest{EvidenceID: id("E", i), Action: evidence.CustodyTransferred,
			Counterparty: "forensic laboratory", Note: "sealed bag 17"})
		return err
	})
}

func BenchmarkRequestAccess(b *testing.B) {
	var grantee evidence.Grantee // the notary's, asked once per ledger, untimed
	setup := func(t testing.TB) *fixture {
		f := newFixture(t)
		f.openCaseWithExhibit("C-1", newExhibit("E-1", "C-1", "chat export"))
		grantee = f.grantee(f.notary)
		return f
	}
	benchmarkWrite(b, setup, func(f *fixture, i int) error {
		_, err := f.requestAccess(f.clerk, evidence.AccessRequestRequest{RequestID: id("AR", i), EvidenceID: "E-1",
			Grantee: grantee, Purpose: "hearing preparation"})
		return err
	})
}

func BenchmarkGrantAccess(b *testing.B) {
	benchmarkWrite(b, withRequests(false), func(f *fixture, i int) error {
		_, err := f.grant(f.judge, id("AR", i), grantExpiry)
		return err
	})
}

func BenchmarkDenyAccess(b *testing.B) {
	benchmarkWrite(b, withRequests(false), func(f *fixture, i int) error {
		_, err := f.deny(f.judge, id("AR", i), "the purpose does not need the sealed content")
		return err
	})
}

func BenchmarkRevokeAccess(b *testing.B) {
	benchmarkWrite(b, withRequests(true), func(f *fixture, i int) error {
		_, err := f.revoke(f.judge, id("AR", i), "hearing postponed")
		return err
	})
}

func BenchmarkOpenSealedContent(b *testing.B) {
	benchmarkWrite(b, withRequests(true), func(f *fixture, i int) error {
		_, err := f.open(f.notary, id("AR", i))
		return err
	})
}
