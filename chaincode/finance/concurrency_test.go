package finance_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/finance"
	"github.com/govshare/govshare/chaincode/foundation"
	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

// Concurrent payments on the in-memory ledger's MVCC: transactions are
// endorsed against the committed state of their time and validated in
// block order (ledgertest.Client.Endorse, Ledger.CommitBlock), as peers do.

// endorse endorses a write of the contract by c without committing it.
func endorse[T any](f *fixture, c *ledgertest.Client, fn func(*finance.Contract, ctxT, string) (T, error), req any) (*ledgertest.Endorsement, error) {
	raw, ok := req.(string)
	if !ok {
		raw = toJSON(f.t, req)
	}
	return c.Endorse(func(ctx ctxT) error { _, err := fn(f.c, ctx, raw); return err })
}

// validationCodes returns "" for each valid transaction of a block, its
// validation code for each invalid one.
func validationCodes(t *testing.T, errs []error) []string {
	t.Helper()
	out := make([]string, len(errs))
	for i, err := range errs {
		if err == nil {
			continue
		}
		var invalid *ledgertest.ValidationError
		require.ErrorAs(t, err, &invalid)
		out[i] = invalid.Code
	}
	return out
}

// idsWithHomes returns one disbursement ID per wanted home tranche, of the
// form prefix-n.
func idsWithHomes(prefix string, tranches int, homes ...int) []string {
	ids := make([]string, len(homes))
	for i, want := range homes {
		for n := 0; ids[i] == ""; n++ {
			id := fmt.Sprintf("%s-%d", prefix, n)
			if homeOf(id, tranches) == want && !slices.Contains(ids, id) {
				ids[i] = id
			}
		}
	}
	return ids
}

func TestConcurrentPaymentsAgainstOneAllocation(t *testing.T) {
	f := newBudget(t)
	f.must(call(f, f.eduAcc, (*finance.Contract).SplitAllocation, split("A-EDU", 8)))

	t.Run("payments of an allocation never split conflict on its balance", func(t *testing.T) {
		first, err := endorse(f, f.courtAcc, (*finance.Contract).Disburse, disbursement("C-1", "A-CT", 1))
		require.NoError(t, err)
		second, err := endorse(f, f.courtAcc, (*finance.Contract).Disburse, disbursement("C-2", "A-CT", 1))
		require.NoError(t, err)
		assert.Equal(t, []string{"", "MVCC_READ_CONFLICT"}, validationCodes(t, f.l.CommitBlock(first, second)))
	})

	t.Run("payments drawing on different tranches commit side by side in one block", func(t *testing.T) {
		ids := idsWithHomes("S", 8, 0, 1, 2, 3, 4, 5, 6, 7)
		var block []*ledgertest.Endorsement
		for _, id := range ids {
			e, err := endorse(f, f.eduAcc, (*finance.Contract).Disburse, disbursement(id, "A-EDU", 100))
			require.NoError(t, err)
			block = append(block, e)
		}
		assert.Equal(t, make([]string, 8), validationCodes(t, f.l.CommitBlock(block...)))
		assert.Equal(t, int64(800), f.allocationTotals("A-EDU").Spent)
	})

	t.Run("payments drawing on the same tranche conflict", func(t *testing.T) {
		ids := idsWithHomes("SAME", 8, 3, 3)
		first, err := endorse(f, f.eduAcc, (*finance.Contract).Disburse, disbursement(ids[0], "A-EDU", 100))
		require.NoError(t, err)
		second, err := endorse(f, f.eduAcc, (*finance.Contract).Disburse, disbursement(ids[1], "A-EDU", 100))
		require.NoError(t, err)
		assert.Equal(t, []string{"", "MVCC_READ_CONFLICT"}, validationCodes(t, f.l.CommitBlock(first, second)))
	})

	t.Run("a payment endorsed before a split is invalid after it", func(t *testing.T) {
		payment, err := endorse(f, f.eduAcc, (*finance.Contract).Disburse, disbursement("BEFORE", "A-EDU", 100))
		require.NoError(t, err)
		resplit, err := endorse(f, f.eduAcc, (*finance.Contract).SplitAllocation, split("A-EDU", 8))
		require.NoError(t, err)
		assert.Equal(t, []string{"", "MVCC_READ_CONFLICT"}, validationCodes(t, f.l.CommitBlock(resplit, payment)))
	})

	t.Run("a split is invalid after a payment that created a tranche key", func(t *testing.T) {
		fresh := newBudget(t)
		fresh.must(call(fresh, fresh.eduAcc, (*finance.Contract).SplitAllocation, split("A-EDU", 8)))
		resplit, err := endorse(fresh, fresh.eduAcc, (*finance.Contract).SplitAllocation, split("A-EDU", 2))
		require.NoError(t, err)
		payment, err := endorse(fresh, fresh.eduAcc, (*finance.Contract).Disburse, disbursement("NEW-KEY", "A-EDU", 100))
		require.NoError(t, err)
		assert.Equal(t, []string{"", "PHANTOM_READ_CONFLICT"}, validationCodes(t, fresh.l.CommitBlock(payment, resplit)),
			"the split read the allocation's tranches as a range, which the payment changed")
		assert.Equal(t, int64(100), fresh.allocationTotals("A-EDU").Spent)
	})
}

// TestPaymentsExceedingTheAllocationByOneUnitNeverAllCommit is the proof
// that the overspend rule stays exact under concurrency. A set of payments
// whose amounts add up to the allocation plus one minor unit is endorsed
// and committed in every order and interleaving a seeded scheduler makes
// up: single payments, payment runs and new splits (rebalances) of the
// allocation, endorsed against whatever was committed at the time, cut
// into blocks of random size in random order; a transaction invalidated at
// commit is endorsed again later, as a client retries. After every block:
//
//   - the sum of the committed payments never exceeds the allocation, so
//     not all of them are ever committed;
//   - the allocation's reported spending (TraceAllocation, the spending
//     summary) is exactly that sum, and no tranche has paid more than its
//     share.
//
// At the end every payment not committed is refused at endorsement
// because the allocation as a whole has less left than it: the tranches
// never refuse a payment the allocation could pay.
func TestPaymentsExceedingTheAllocationByOneUnitNeverAllCommit(t *testing.T) {
	const allocated = 10_000
	for _, layout := range []struct {
		name     string
		tranches int
	}{{"never split", 0}, {"split into 4", 4}, {"split into 16", 16}} {
		for seed := range uint64(12) {
			t.Run(fmt.Sprintf("%s/seed %d", layout.name, seed), func(t *testing.T) {
				overspendRace(t, seed, layout.tranches, allocated)
			})
		}
	}
}

// work is one write a scheduler endorses: a single payment, a run, or a
// new split.
type work struct {
	payments []finance.DisburseRequest // one for a single payment, more for a run
	tranches int                       // a split, when set
}

func (w work) amount() int64 {
	var sum int64
	for _, p := range w.payments {
		sum += p.Amount
	}
	return sum
}

func overspendRace(t *testing.T, seed uint64, tranches int, allocated int64) {
	rng := rand.New(rand.NewPCG(seed, uint64(tranches)))
	f := newFixture(t)
	f.must(call(f, f.officer, (*finance.Contract).Appropriate, appropriation("P-1", allocated)))
	f.must(call(f, f.officer, (*finance.Contract).Allocate, allocation("A-HOT", "P-1", ministry, allocated)))
	if tranches > 0 {
		f.must(call(f, f.eduAcc, (*finance.Contract).SplitAllocation, split("A-HOT", tranches)))
	}

	// payments adding up to allocated + 1, some larger than a tranche's share
	var payments []finance.DisburseRequest
	for sum := int64(0); sum <= allocated; {
		amount := min(1+rng.Int64N(allocated/8), allocated+1-sum)
		payments = append(payments, disbursement(fmt.Sprintf("P%d-%03d", seed, len(payments)), "A-HOT", amount))
		sum += amount
	}
	var queue []work
	for i := 0; i < len(payments); {
		size := 1
		if rng.IntN(4) == 0 {
			size = min(1+rng.IntN(4), len(payments)-i)
		}
		queue = append(queue, work{payments: payments[i : i+size]})
		i += size
	}
	if tranches > 0 {
		for range 3 {
			at := rng.IntN(len(queue))
			queue = slices.Insert(queue, at, work{tranches: 1 + rng.IntN(2*tranches)})
		}
	}
	rng.Shuffle(len(queue), func(i, j int) { queue[i], queue[j] = queue[j], queue[i] })

	type inFlight struct {
		w work
		e *ledgertest.Endorsement
	}
	var (
		flying    []inFlight
		committed []finance.DisburseRequest
		refused   []work
		sum       int64
	)
	for step := 0; len(queue) > 0 || len(flying) > 0; step++ {
		require.Less(t, step, 100_000, "the schedule ends")
		if len(queue) > 0 && (len(flying) == 0 || rng.IntN(3) > 0) {
			w := queue[0]
			queue = queue[1:]
			var e *ledgertest.Endorsement
			var err error
			switch {
			case w.tranches > 0:
				e, err = endorse(f, f.eduAcc, (*finance.Contract).SplitAllocation, split("A-HOT", w.tranches))
			case len(w.payments) == 1:
				e, err = endorse(f, f.eduAcc, (*finance.Contract).Disburse, w.payments[0])
			default:
				e, err = endorse(f, f.eduAcc, (*finance.Contract).DisburseRun, run(w.payments...))
			}
			if err != nil {
				require.ErrorIs(t, err, foundation.ErrConflict, "only the overspend rule refuses these")
				require.Contains(t, err.Error(), "would exceed it")
				refused = append(refused, w)
				continue
			}
			flying = append(flying, inFlight{w, e})
			continue
		}
		// the orderers cut a block of some of the transactions in flight,
		// in any order
		rng.Shuffle(len(flying), func(i, j int) { flying[i], flying[j] = flying[j], flying[i] })
		size := 1 + rng.IntN(len(flying))
		block := flying[:size]
		flying = slices.Clone(flying[size:])
		endorsements := make([]*ledgertest.Endorsement, len(block))
		for i, b := range block {
			endorsements[i] = b.e
		}
		for i, err := range f.l.CommitBlock(endorsements...) {
			w := block[i].w
			if err != nil {
				var invalid *ledgertest.ValidationError
				require.True(t, errors.As(err, &invalid), "%v", err)
				require.Contains(t, []string{"MVCC_READ_CONFLICT", "PHANTOM_READ_CONFLICT"}, invalid.Code)
				queue = append(queue, w) // the client endorses it again
				continue
			}
			committed = append(committed, w.payments...)
			sum += w.amount()
		}
		require.LessOrEqual(t, sum, allocated, "the committed payments never exceed the allocation")
		checkAllocation(t, f, "A-HOT", sum)
	}

	assert.Less(t, len(committed), len(payments), "payments adding up to the allocation plus one are never all committed")
	left := allocated - sum
	require.NotEmpty(t, refused)
	for _, w := range refused {
		assert.Greater(t, w.amount(), left, "a payment was refused only because the allocation had less left than it")
	}
	t.Logf("%d payments, %d committed, %d of %d spent; refused at endorsement: %d writes", len(payments), len(committed), sum, allocated, len(refused))
}

// checkAllocation checks that the allocation reports spent, by its trace
// and the spending summary, and that none of its tranches has paid more
// than its share.
func checkAllocation(t *testing.T, f *fixture, allocationID string, spent int64) {
	t.Helper()
	totals := f.allocationTotals(allocationID)
	require.Equal(t, spent, totals.Spent, "the trace reports what was committed")
	require.Equal(t, totals.Allocated-spent, totals.Remaining)
	summary, err := f.summary(f.inspector, 2026)
	require.NoError(t, err)
	require.Equal(t, finance.Total(fmt.Sprint(spent)), summary.Totals[0].Spent, "the summary reports what was committed")
	b := f.balance(t, allocationID)
	var spread int64
	for n := range b.Tranches {
		raw := f.l.State(compositeKey("fin.tranche", "2026", "P-1", allocationID, fmt.Sprintf("%04d", n)))
		if raw == nil {
			continue
		}
		tr := f.tranche(t, allocationID, n)
		require.LessOrEqual(t, tr.Spent, tr.Share, "tranche %d", n)
		spread += tr.Share
	}
	require.LessOrEqual(t, spread, b.Spread)
	require.LessOrEqual(t, b.Spent+b.Spread, b.Allocated)
}

// TestAllPaymentsEndorsedAtOnce endorses every payment of a set adding up
// to the allocation plus one against the same state, as when they all
// arrive at once, and commits them in one block: the block never holds
// more than the allocation.
func TestAllPaymentsEndorsedAtOnce(t *testing.T) {
	for _, tranches := range []int{0, 8, 64} {
		t.Run(fmt.Sprintf("%d tranches", tranches), func(t *testing.T) {
			const allocated = 6_400
			f := newFixture(t)
			f.must(call(f, f.officer, (*finance.Contract).Appropriate, appropriation("P-1", allocated)))
			f.must(call(f, f.officer, (*finance.Contract).Allocate, allocation("A-HOT", "P-1", ministry, allocated)))
			if tranches > 0 {
				f.must(call(f, f.eduAcc, (*finance.Contract).SplitAllocation, split("A-HOT", tranches)))
			}
			// 63 payments of 100 and one of 101: every one fits its tranche alone
			var block []*ledgertest.Endorsement
			amounts := map[string]int64{}
			for i := range 64 {
				id := fmt.Sprintf("AT-ONCE-%02d", i)
				amounts[id] = 100 + int64(i/63)
				e, err := endorse(f, f.eduAcc, (*finance.Contract).Disburse, disbursement(id, "A-HOT", amounts[id]))
				require.NoError(t, err, "against the state before any of them, each fits")
				block = append(block, e)
			}
			codes := validationCodes(t, f.l.CommitBlock(block...))
			valid := 0
			for _, c := range codes {
				if c == "" {
					valid++
				}
			}
			totals := f.allocationTotals("A-HOT")
			assert.Less(t, valid, 64, "not all commit")
			assert.LessOrEqual(t, totals.Spent, int64(allocated))
			t.Logf("%d tranches: %d of 64 payments valid in one block, %d of %d spent", tranches, valid, totals.Spent, allocated)
		})
	}
}
