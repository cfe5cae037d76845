//go:build integration

package faults

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/bench/workload"
	"github.com/govshare/govshare/network"
)

// soakCount is how many disbursements the disk test commits:
// GOVSHARE_SOAK_TX, 1,000 by default (about half a minute here).
func soakCount(t *testing.T) int {
	t.Helper()
	v := os.Getenv("GOVSHARE_SOAK_TX")
	if v == "" {
		return 1000
	}
	n, err := strconv.Atoi(v)
	require.NoError(t, err, "GOVSHARE_SOAK_TX")
	require.Positive(t, n, "GOVSHARE_SOAK_TX")
	return n
}

// usage is the disk a node's data and its log take, by part, in bytes
// allocated on disk (what du counts: the Raft WAL's preallocated segments
// too).
type usage map[string]int64

func (u usage) total() int64 {
	var n int64
	for _, b := range u {
		n += b
	}
	return n
}

// part names the part of a node's data folder a file belongs to.
func part(rel string) string {
	switch {
	case strings.HasPrefix(rel, "etcdraft/wal"):
		return "Raft WAL"
	case strings.HasPrefix(rel, "etcdraft/snapshot"):
		return "Raft snapshots"
	case strings.Contains(rel, "/chains/"):
		return "blocks"
	case strings.Contains(rel, "stateLeveldb"):
		return "state"
	case strings.Contains(rel, "historyLeveldb"):
		return "history"
	case strings.Contains(rel, "pvtdataStore"):
		return "private data"
	case strings.HasPrefix(rel, "snapshots/"):
		return "ledger snapshots"
	}
	return "other"
}

// diskUsage measures a node's data folder.
func diskUsage(t *testing.T, n node) usage {
	t.Helper()
	dir := filepath.Join(n.agency.Dir(), "nodes", n.name, "data")
	u := usage{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) {
				return nil // a file removed while the walk ran (a compaction)
			}
			return err
		}
		info, err := d.Info()
		if err != nil {
			if os.IsNotExist(err) {
				return nil
			}
			return err
		}
		if d.IsDir() || !info.Mode().IsRegular() {
			return nil
		}
		rel, _ := filepath.Rel(dir, path)
		if strings.Contains(rel, "externalbuilder") || strings.Contains(rel, "chaincodes") {
			return nil // chaincode programs, not the ledger
		}
		u[part(rel)] += info.Sys().(*syscall.Stat_t).Blocks * 512
		return nil
	})
	require.NoError(t, err, "measure %s", dir)
	if info, err := os.Stat(filepath.Join(n.agency.Dir(), "nodes", n.name, "node.log")); err == nil {
		u["log"] = info.Sys().(*syscall.Stat_t).Blocks * 512
	}
	return u
}

// growth is how a kind of node grew, averaged over its nodes.
type growth struct {
	kind  string
	nodes int
	parts usage // bytes added, summed over the nodes
	after usage // bytes at the end, summed over the nodes
}

func (g growth) line(txs int) string {
	per100k := func(b int64) float64 { return float64(b) / float64(g.nodes) / float64(txs) * 100000 / 1e6 }
	names := make([]string, 0, len(g.parts))
	for p := range g.parts {
		names = append(names, p)
	}
	slices.Sort(names)
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%d): %.0f MB per 100,000 tx", g.kind, g.nodes, per100k(g.parts.total()))
	for _, p := range names {
		fmt.Fprintf(&b, "; %s %+.1f MB (%.1f MB at the end)", p, per100k(g.parts[p]), float64(g.after[p])/float64(g.nodes)/1e6)
	}
	return b.String()
}

// TestDiskGrowthPerTransaction commits a bounded number of disbursements
// on finance-ledger (GOVSHARE_SOAK_TX, 1,000 by default; set it higher for
// a soak) and measures how the data folder of each kind of node grew: the
// orderers (their block files, Raft WAL and Raft snapshots), the peers of
// the channel's members (blocks, state, history, private data), and the
// peers of organisations outside the channel. It logs the growth as disk
// per 100,000 transactions, extrapolated linearly from the run; the Raft
// WAL does not grow linearly (it is preallocated in 64 MB segments and
// purged behind the Raft snapshots), so its size at the end is logged
// too.
func TestDiskGrowthPerTransaction(t *testing.T) {
	requireHealthy(t)
	const channel, workers = network.FinanceChannel, 16
	count := soakCount(t)
	ctx := testContext(t, 30*time.Minute)
	env := workload.NewEnv(testNetwork.StateDir())
	t.Cleanup(func() { env.Close() })
	fin, err := workload.NewFinance(ctx, env, workers, 4)
	require.NoError(t, err, "finance set-up")
	writer := session(t, "FinanceBureau", network.AdminRole)
	from := chainHeight(t, writer, channel)

	ch, err := testNetwork.Spec.Channel(channel)
	require.NoError(t, err)
	kinds := map[string]string{}
	var all []node
	for _, o := range orderers() {
		kinds[o.name] = "orderer"
		all = append(all, o)
	}
	for _, p := range peers() {
		kinds[p.name] = "peer outside " + channel
		if slices.Contains(ch.Members, p.agency.Org.Name) {
			kinds[p.name] = "peer of a member of " + channel
		}
		all = append(all, p)
	}
	before := map[string]usage{}
	for _, n := range all {
		before[n.name] = diskUsage(t, n)
	}

	var acked, failed atomic.Int64
	var firstErr error
	var once sync.Once
	began := time.Now()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < count; i += workers {
				if _, err := fin.DisburseSpread(ctx, w, i); err != nil {
					failed.Add(1)
					once.Do(func() { firstErr = err })
					continue
				}
				acked.Add(1)
			}
		}()
	}
	wg.Wait()
	took := time.Since(began)
	require.Zero(t, failed.Load(), "disbursements failed; the first: %v", firstErr)
	to := chainHeight(t, writer, channel)
	// Let every peer commit the last blocks.
	for _, p := range peers() {
		if slices.Contains(ch.Members, p.agency.Org.Name) {
			waitForHeight(t, p, channel, to, time.Minute)
		}
	}

	byKind := map[string]*growth{}
	for _, n := range all {
		after := diskUsage(t, n)
		g := byKind[kinds[n.name]]
		if g == nil {
			g = &growth{kind: kinds[n.name], parts: usage{}, after: usage{}}
			byKind[kinds[n.name]] = g
		}
		g.nodes++
		for p, b := range after {
			g.parts[p] += b - before[n.name][p]
			g.after[p] += b
		}
		for p, b := range before[n.name] {
			if _, ok := after[p]; !ok {
				g.parts[p] -= b
			}
		}
	}
	txs := int(acked.Load())
	t.Logf("faults: disk: %d disbursements on %s in %.0fs (%.1f/s, %d submitters), blocks %d-%d (%.1f transactions a block); growth extrapolated linearly to 100,000 transactions, per node:",
		txs, channel, took.Seconds(), float64(txs)/took.Seconds(), workers, from, to-1, float64(txs)/float64(to-from))
	for _, kind := range []string{"orderer", "peer of a member of " + channel, "peer outside " + channel} {
		t.Logf("faults: disk: %s", byKind[kind].line(txs))
	}
	assert.Positive(t, byKind["orderer"].parts["blocks"], "the orderers' block files grew")
	assert.Positive(t, byKind["peer of a member of "+channel].parts["blocks"], "the member peers' block files grew")
	assert.Zero(t, byKind["peer outside "+channel].parts["blocks"], "a peer outside the channel holds none of its blocks")
}
