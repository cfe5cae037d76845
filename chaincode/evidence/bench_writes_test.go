package evidence_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/evidence"
	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

// CPU per transaction of the evidence contract's write functions that bench_test.go
// does not time, on the in-memory ledger (go test -run '^$' -bench . -benchmem).

// batch is how many transactions run on one prepared ledger (see
// ledgertest.BenchmarkWrites).
const batch = 256

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
	ledgertest.BenchmarkWrites(b, batch, newBenchFixture, func(f *fixture, i int) error {
		_, err := f.openCase(f.clerk, newCase(id("C", i)))
		return err
	})
}

func BenchmarkCloseCase(b *testing.B) {
	ledgertest.BenchmarkWrites(b, batch, withCases, func(f *fixture, i int) error {
		_, err := f.closeCase(f.judge, id("C", i), "judgment delivered")
		return err
	})
}

func BenchmarkSealCase(b *testing.B) {
	ledgertest.BenchmarkWrites(b, batch, withCases, func(f *fixture, i int) error {
		_, err := f.sealCase(f.judge, id("C", i), "protection of a minor")
		return err
	})
}

func BenchmarkNotariseEvidence(b *testing.B) {
	ledgertest.BenchmarkWrites(b, batch, withExhibits, func(f *fixture, i int) error {
		_, err := f.notarise(f.notary, id("E", i), "captured in my presence, notarial record 2025-117")
		return err
	})
}

func BenchmarkRecordCustodyEvent(b *testing.B) {
	ledgertest.BenchmarkWrites(b, batch, withExhibits, func(f *fixture, i int) error {
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
	ledgertest.BenchmarkWrites(b, batch, setup, func(f *fixture, i int) error {
		_, err := f.requestAccess(f.clerk, evidence.AccessRequestRequest{RequestID: id("AR", i), EvidenceID: "E-1",
			Grantee: grantee, Purpose: "hearing preparation"})
		return err
	})
}

func BenchmarkGrantAccess(b *testing.B) {
	ledgertest.BenchmarkWrites(b, batch, withRequests(false), func(f *fixture, i int) error {
		_, err := f.grant(f.judge, id("AR", i), grantExpiry)
		return err
	})
}

func BenchmarkDenyAccess(b *testing.B) {
	ledgertest.BenchmarkWrites(b, batch, withRequests(false), func(f *fixture, i int) error {
		_, err := f.deny(f.judge, id("AR", i), "the purpose does not need the sealed content")
		return err
	})
}

func BenchmarkRevokeAccess(b *testing.B) {
	ledgertest.BenchmarkWrites(b, batch, withRequests(true), func(f *fixture, i int) error {
		_, err := f.revoke(f.judge, id("AR", i), "hearing postponed")
		return err
	})
}

func BenchmarkOpenSealedContent(b *testing.B) {
	ledgertest.BenchmarkWrites(b, batch, withRequests(true), func(f *fixture, i int) error {
		_, err := f.open(f.notary, id("AR", i))
		return err
	})
}
