//go:build integration

package integration

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/bench"
	"github.com/govshare/govshare/bench/workload"
)

// TestLoadToolPairsEveryWriteWithItsOwnBaseline runs the load tool's paired
// profile, briefly, on the real network: every main write of the three
// channels right after a round of its channel's blind write.
func TestLoadToolPairsEveryWriteWithItsOwnBaseline(t *testing.T) {
	ctx := testContext(t)
	env := workload.NewEnv(testNetwork.StateDir())
	t.Cleanup(func() { _ = env.Close() })

	rounds, err := workload.RunPairs(ctx, env, workload.Config{Workers: 2, Count: 4, OpTimeout: 30 * time.Second}, 1)
	require.NoError(t, err)

	byName := map[string]*bench.RoundResult{}
	for i, r := range rounds {
		byName[r.Name] = r
		assert.Zero(t, r.Failed, "%s failed: %v", r.Name, r.Failures)
		assert.Positive(t, r.Succeeded, r.Name)
		if r.Reference == "" {
			continue
		}
		require.Positive(t, i, r.Name)
		assert.Equal(t, r.Reference, rounds[i-1].Name, "%s is compared with the round just before it", r.Name)
		assert.Equal(t, bench.Write, rounds[i-1].Kind)
		assert.Equal(t, r.Channel, rounds[i-1].Channel)
		assert.InDelta(t, r.TPS/rounds[i-1].TPS, r.Ratio, 1e-9, r.Name)
	}
	require.Contains(t, byName, bench.PairName("recognise-credit", 1))
	assert.Equal(t, 8, byName[bench.PairName("recognise-credit", 1)].Succeeded, "every credit of the two credit rounds is recognised, once")

	var names []string
	for _, p := range bench.SummarisePairs(rounds) {
		names = append(names, p.Name)
		assert.Len(t, p.Ratios, 1, p.Name)
	}
	assert.Equal(t, []string{"baseline-put-private@edu", "record-credit-new-student", "record-credit", "recognise-credit",
		"disburse-spread", "baseline-put-private@evd", "submit-evidence"}, names)
}
