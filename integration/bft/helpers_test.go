//go:build integration

package bft

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	govclient "github.com/govshare/govshare/gateway-client"
	"github.com/govshare/govshare/integration/internal/testnet"
	"github.com/govshare/govshare/network"
)

// testContext bounds one test's network calls.
func testContext(t *testing.T, limit time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	t.Cleanup(cancel)
	return ctx
}

var uniqueCount atomic.Int64

// unique returns an identifier no other run or test uses.
func unique(prefix string) string {
	return fmt.Sprintf("%s-%d-%d", prefix, time.Now().UnixNano(), uniqueCount.Add(1))
}

// session opens an organisation's client, as its clerks do, and signs as
// one of its roles.
func session(t *testing.T, org, role string) *govclient.Session {
	t.Helper()
	return testnet.Session(t, testNetwork, org, role)
}

// bft reports whether the network under test orders with BFT.
func bft() bool { return testNetwork.Spec.Ordering.ConsensusType() == network.BFT }

// waitSameHeights waits, within limit, until every running peer and
// orderer has the same height on each of its channels as the highest, and
// fails the test naming the nodes behind if they do not.
func waitSameHeights(t *testing.T, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		all := testNetwork.Heights(ctx)
		cancel()
		top := topHeights(all)
		var behind []string
		for node, chs := range all {
			for ch, h := range chs {
				if h < top[ch] {
					behind = append(behind, fmt.Sprintf("%s on %s at %d of %d", node, ch, h, top[ch]))
				}
			}
		}
		if len(all) > 0 && len(behind) == 0 {
			return
		}
		if time.Now().After(deadline) {
			require.FailNowf(t, "nodes behind", "after %s: %v", limit, behind)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// topHeights returns the highest height of each channel among nodes.
func topHeights(nodes map[string]map[string]int64) map[string]int64 {
	top := map[string]int64{}
	for _, chs := range nodes {
		for ch, h := range chs {
			top[ch] = max(top[ch], h)
		}
	}
	return top
}
