package ledgertest

import "testing"

// BenchmarkWrites times write(world, i) for i = 0, 1, ..., one successful
// transaction per iteration, for the contracts' CPU benchmarks: setup
// prepares a new world (a fixture on a fresh Ledger) on which the first
// batch writes succeed, and every batch iterations a new world is
// prepared, untimed, so that neither the ledger's size nor the cost of the
// setup depends on b.N.
func BenchmarkWrites[W any](b *testing.B, batch int, setup func(t testing.TB) W, write func(world W, i int) error) {
	b.Helper()
	world := setup(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if i == batch {
			b.StopTimer()
			world, i = setup(b), 0
			b.StartTimer()
		}
		if err := write(world, i); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
