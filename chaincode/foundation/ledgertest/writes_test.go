package ledgertest_test

import (
	"errors"
	"flag"
	"testing"

	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

// TestBenchmarkWritesPreparesANewWorldEveryBatch runs BenchmarkWrites for a
// fixed number of iterations and checks which world each write saw.
func TestBenchmarkWritesPreparesANewWorldEveryBatch(t *testing.T) {
	// a fixed count of iterations, not a second's worth
	benchtime := flag.Lookup("test.benchtime")
	old := benchtime.Value.String()
	if err := benchtime.Value.Set("10x"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = benchtime.Value.Set(old) })
	type world struct{ id int }
	worlds := 0
	var seen [][2]int // world id, index
	result := testing.Benchmark(func(b *testing.B) {
		worlds, seen = 0, nil
		ledgertest.BenchmarkWrites(b, 3, func(testing.TB) *world {
			worlds++
			return &world{id: worlds}
		}, func(w *world, i int) error {
			seen = append(seen, [2]int{w.id, i})
			return nil
		})
	})
	if result.N != 10 {
		t.Fatalf("the benchmark ran %d iterations, want 10", result.N)
	}
	if want := (result.N + 2) / 3; worlds != want {
		t.Errorf("%d iterations prepared %d worlds, want %d", result.N, worlds, want)
	}
	for n, s := range seen {
		if s != [2]int{n/3 + 1, n % 3} {
			t.Fatalf("iteration %d saw world %d index %d, want world %d index %d", n, s[0], s[1], n/3+1, n%3)
		}
	}

	failed := testing.Benchmark(func(b *testing.B) {
		ledgertest.BenchmarkWrites(b, 3, func(testing.TB) int { return 0 }, func(int, int) error { return errors.New("refused") })
	})
	if failed.N != 0 {
		t.Errorf("a failing write ran %d iterations, want the benchmark to stop", failed.N)
	}
}
