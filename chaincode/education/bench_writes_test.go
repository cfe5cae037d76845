package education_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/education"
	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

// CPU per transaction of the education contract's write functions that bench_test.go
// does not time, on the in-memory ledger (go test -run '^$' -bench . -benchmem).

// batch is how many transactions run on one prepared ledger (see
// ledgertest.BenchmarkWrites).
const batch = 256

// withCredits is a fixture with batch credits of UniversityA, C-000 to
// C-255, of batch students; recognised says whether UniversityB has
// recognised each.
func withCredits(recognised bool) func(t testing.TB) *fixture {
	return func(b testing.TB) *fixture {
		f := newFixture(b)
		for i := range batch {
			s := newStudent(i)
			id := fmt.Sprintf("C-%03d", i)
			_, err := f.recordCredit(f.regA, s, creditRequest(id, s, 60))
			require.NoError(b, err)
			if recognised {
				_, err = f.recognise(f.regB, id, 50)
				require.NoError(b, err)
			}
		}
		return f
	}
}

// BenchmarkAccreditUniversity accredits a new institution per iteration
// (the contract accredits any MSP ID once).
func BenchmarkAccreditUniversity(b *testing.B) {
	ledgertest.BenchmarkWrites(b, batch, newFixture, func(f *fixture, i int) error {
		_, err := f.accredit(f.officer, education.AccreditRequest{MSPID: fmt.Sprintf("University%03dMSP", i), Name: fmt.Sprintf("University %d", i)})
		return err
	})
}

// BenchmarkSuspendReinstateAccreditation alternates a suspension and a
// reinstatement: one of the two per iteration.
func BenchmarkSuspendReinstateAccreditation(b *testing.B) {
	ledgertest.BenchmarkWrites(b, batch, newFixture, func(f *fixture, i int) error {
		if i%2 == 0 {
			_, err := f.suspend(f.officer, uniA, "audit findings")
			return err
		}
		_, err := f.reinstate(f.officer, uniA, "findings resolved")
		return err
	})
}

func BenchmarkRecogniseCredit(b *testing.B) {
	ledgertest.BenchmarkWrites(b, batch, withCredits(false), func(f *fixture, i int) error {
		_, err := f.recognise(f.regB, fmt.Sprintf("C-%03d", i), 50)
		return err
	})
}

func BenchmarkRevokeCredit(b *testing.B) {
	ledgertest.BenchmarkWrites(b, batch, withCredits(false), func(f *fixture, i int) error {
		_, err := f.revokeCredit(f.regA, fmt.Sprintf("C-%03d", i), "recorded for the wrong course")
		return err
	})
}

func BenchmarkRevokeRecognition(b *testing.B) {
	ledgertest.BenchmarkWrites(b, batch, withCredits(true), func(f *fixture, i int) error {
		_, err := f.revokeRecognition(f.regB, fmt.Sprintf("C-%03d", i), "recognised in error")
		return err
	})
}

func diplomaHash(i int) string { return digestOf(fmt.Sprintf("diploma %d", i)) }

func BenchmarkRegisterDiploma(b *testing.B) {
	s := newStudent(1)
	ledgertest.BenchmarkWrites(b, batch, newFixture, func(f *fixture, i int) error {
		_, err := f.registerDiploma(f.regA, s, education.RegisterDiplomaRequest{DocumentHash: diplomaHash(i), StudentRef: s.ref, Degree: "BSc"})
		return err
	})
}

func BenchmarkRevokeDiploma(b *testing.B) {
	s := newStudent(1)
	setup := func(b testing.TB) *fixture {
		f := newFixture(b)
		for i := range batch {
			_, err := f.registerDiploma(f.regA, s, education.RegisterDiplomaRequest{DocumentHash: diplomaHash(i), StudentRef: s.ref, Degree: "BSc"})
			require.NoError(b, err)
		}
		return f
	}
	ledgertest.BenchmarkWrites(b, batch, setup, func(f *fixture, i int) error {
		_, err := f.revokeDiploma(f.regA, diplomaHash(i), "withdrawn by senate decision")
		return err
	})
}

func BenchmarkRegisterLearningResource(b *testing.B) {
	ledgertest.BenchmarkWrites(b, batch, newFixture, func(f *fixture, i int) error {
		_, err := f.registerResource(f.regB, education.RegisterLearningResourceRequest{
			ContentHash: digestOf(fmt.Sprintf("notes %d", i)), Title: "Lecture notes", Author: "B. Example", Licence: "CC0-1.0"})
		return err
	})
}
