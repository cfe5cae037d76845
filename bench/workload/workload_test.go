package workload

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/education"
	"github.com/govshare/govshare/chaincode/foundation"
)

func TestStudentDetailsAreValidAndHashToTheirReference(t *testing.T) {
	d, ref := Student("GLx-W001-S0002")
	assert.Equal(t, education.StudentRef(d.Salt, d.StudentNumber), ref)
	var v foundation.Fields
	d.Validate(&v)
	assert.Empty(t, v.Problems(), "the contract accepts the details")
	again, ref2 := Student("GLx-W001-S0002")
	assert.Equal(t, d, again, "the same number gives the same student")
	assert.Equal(t, ref, ref2)
	_, other := Student("GLx-W001-S0003")
	assert.NotEqual(t, ref, other)
}

func TestListWrapsAroundAndIsEmptySafe(t *testing.T) {
	var l list
	assert.Equal(t, "", l.at(3))
	l.add("a")
	l.add("b")
	assert.Equal(t, 2, l.len())
	assert.Equal(t, "b", l.at(3))
}

func TestParallelRunsEveryIndexAndReturnsTheFirstError(t *testing.T) {
	var calls atomic.Int32
	require.NoError(t, Parallel(context.Background(), 20, 4, func(ctx context.Context, i int) error {
		calls.Add(1)
		return nil
	}))
	assert.Equal(t, int32(20), calls.Load())

	boom := errors.New("boom")
	err := Parallel(context.Background(), 50, 1, func(ctx context.Context, i int) error {
		if i == 3 {
			return boom
		}
		return nil
	})
	assert.ErrorIs(t, err, boom)
}

func TestTakeCreditHandsOutEachRecordedCreditOnceAndNeverRunsAhead(t *testing.T) {
	w := &Education{}
	_, ok := w.takeCredit()
	assert.False(t, ok, "nothing recorded, nothing to take")
	for _, id := range []string{"C1", "C2", "C3"} {
		w.credits.add(id)
	}
	assert.Equal(t, 3, w.Unrecognised())

	var mu sync.Mutex
	var taken []int
	require.NoError(t, Parallel(context.Background(), 10, 10, func(ctx context.Context, i int) error {
		if n, ok := w.takeCredit(); ok {
			mu.Lock()
			taken = append(taken, n)
			mu.Unlock()
		}
		return nil
	}))
	assert.ElementsMatch(t, []int{0, 1, 2}, taken, "ten takers share three credits")
	assert.Equal(t, 0, w.Unrecognised())

	w.credits.add("C4")
	n, ok := w.takeCredit()
	require.True(t, ok, "failed takes did not run the count ahead of the credits")
	assert.Equal(t, 3, n)
}
