//go:build integration

package integration

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/bench"
	"github.com/govshare/govshare/bench/research"
	"github.com/govshare/govshare/bench/workload"
)

// TestLoadToolPairsEveryWriteWithItsOwnBaseline runs the load tool's paired
// profile, briefly, on the real network: every main write of the three
// channels right after a round of its channel's blind write.
func TestLoadToolPairsEveryWriteWithItsOwnBaseline(t *testing.T) {
	ctx := testContext(t)
	env := workload.NewEnv(testNetwork.StateDir())
	t.Cleanup(func() { _ = env.Close() })

	rounds, err := research.RunPairs(ctx, env, workload.Config{Workers: 2, Count: 4, OpTimeout: 30 * time.Second}, 1)
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
	twinned := map[string]bool{}
	for _, p := range bench.SummarisePairs(rounds) {
		names = append(names, p.Name)
		assert.Len(t, p.Ratios, 1, p.Name)
		if len(p.ToTwin) > 0 {
			twinned[p.Name] = true
			twin, ok := byName[bench.PairName(bench.TwinName(p.Name), 1)]
			if assert.True(t, ok, "%s has a twin round", p.Name) {
				assert.InDelta(t, p.Ratios[0]/twin.Ratio, p.ToTwin[0], 1e-9, p.Name)
			}
		}
	}
	mains := []string{"record-credit-new-student", "record-credit", "recognise-credit", "disburse-spread", "submit-evidence"}
	assert.Equal(t, []string{"baseline-put-private@edu",
		bench.TwinName(mains[0]), mains[0], bench.TwinName(mains[1]), mains[1], bench.TwinName(mains[2]), mains[2],
		bench.TwinName(mains[3]), mains[3],
		"baseline-put-private@evd", bench.TwinName(mains[4]), mains[4]}, names, "each main write right after its twin")
	for _, m := range mains {
		assert.True(t, twinned[m], "%s is compared with its twin", m)
	}
}

// TestEveryTwinHasTheFootprintOfItsWrite commits one of each main write and
// of its baseline twin on the real network and compares what the two
// asked of the ledger, read back from the blocks.
func TestEveryTwinHasTheFootprintOfItsWrite(t *testing.T) {
	ctx := testContext(t)
	env := workload.NewEnv(testNetwork.StateDir())
	t.Cleanup(func() { _ = env.Close() })

	twins, err := research.CompareTwins(ctx, env, nil)
	require.NoError(t, err)
	var writes []string
	for _, tw := range twins {
		writes = append(writes, tw.Write)
		assert.Empty(t, tw.Mismatches(), tw.Write)
		assert.Positive(t, tw.Domain.Writes, "%s writes something", tw.Write)
		assert.Positive(t, tw.Domain.EventBytes, "%s tells Oversight", tw.Write)
	}
	assert.Equal(t, []string{"record-credit-new-student", "record-credit", "recognise-credit", "disburse-spread", "submit-evidence"}, writes)
}
