//go:build integration

package multihost

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	govclient "github.com/govshare/govshare/gateway-client"
	"github.com/govshare/govshare/integration/internal/ledgercheck"
	"github.com/govshare/govshare/integration/internal/load"
	"github.com/govshare/govshare/network"
)

// loadChannels names, per channel, the agency whose administrator writes.
var loadChannels = map[string]string{
	network.EducationChannel: "EduMinistry",
	network.FinanceChannel:   "FinanceBureau",
	network.EvidenceChannel:  "InternetCourt",
}

// startLoad starts workers submitters of blind writes on every channel,
// each through the gateway of the channel's writing agency.
func startLoad(t *testing.T, workers int) *load.Load {
	var targets []load.Target
	for channel, org := range loadChannels {
		targets = append(targets, load.Target{Channel: channel, Session: session(t, org, network.AdminRole), Workers: workers})
	}
	return load.Start("mh-load", 30*time.Second, targets...)
}

// session opens an agency's client from the machine (the test process),
// which reaches every host through the switch.
func session(t *testing.T, org, role string) *govclient.Session {
	t.Helper()
	c, err := govclient.Open(consortium.byName[org].dir)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	s, err := c.As(role)
	require.NoError(t, err)
	return s
}

// peerHeight reads an agency's peer's height on a channel from the peer's
// metrics (a new HTTP request each time: no connection kept through a cut).
func peerHeight(ctx context.Context, ah *agencyHost, channel string) (uint64, error) {
	status, err := ah.agency.Status(ctx)
	if err != nil {
		return 0, err
	}
	for _, node := range status.Nodes {
		if node.Kind != "peer" {
			continue
		}
		for _, h := range node.Heights {
			if h.Channel == channel {
				return uint64(h.Height), nil
			}
		}
	}
	return 0, fmt.Errorf("%s's peer reports no height on %s", ah.org.Name, channel)
}

// waitForHeight waits until the agency's peer has at least height blocks of
// channel and reports how long it took.
func waitForHeight(t *testing.T, ah *agencyHost, channel string, height uint64, limit time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		got, err := peerHeight(ctx, ah, channel)
		cancel()
		if err == nil && got >= height {
			return time.Since(start)
		}
		if time.Since(start) > limit {
			require.FailNowf(t, "peer did not catch up", "%s's peer on %s: want height %d, last read %d (error %v)", ah.org.Name, channel, height, got, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// catchUpBlocks is how many blocks the cut agency misses before its link
// returns (GOVSHARE_CATCHUP_BLOCKS; the closing note's measurement uses
// 1,000).
func catchUpBlocks() uint64 {
	if n, err := strconv.ParseUint(os.Getenv("GOVSHARE_CATCHUP_BLOCKS"), 10, 64); err == nil && n > 0 {
		return n
	}
	return 100
}

// TestFaultsAcrossHosts runs a bounded load on all three channels while it
// cuts UniversityB's link and later stops AuditOffice's whole host (its CA,
// its peer and one of the three orderers). Writes go on wherever the
// endorsement policies still can be met; the cut agency catches up with
// the same blocks; Raft orders with two orderers of three; and once every
// host is back, every acknowledged transaction is valid on every member
// peer of its channel.
func TestFaultsAcrossHosts(t *testing.T) {
	l := startLoad(t, 2)
	defer l.Stop()
	for channel := range loadChannels {
		require.True(t, l.GrowsWithin(channel, 30*time.Second), "writes on %s", channel)
	}

	// 1. Cut UniversityB's link. The education policy needs the ministry
	// and one university: UniversityA's peer keeps endorsing.
	cut, ministryHost := consortium.byName["UniversityB"], consortium.byName["EduMinistry"]
	ministry := session(t, "EduMinistry", network.AdminRole)
	ctx := testContext(t, 10*time.Minute)
	before, err := peerHeight(ctx, ministryHost, network.EducationChannel)
	require.NoError(t, err)
	require.NoError(t, cut.host.Cut(ctx))
	cutAt := time.Now()
	waitForHeight(t, ministryHost, network.EducationChannel, before+catchUpBlocks(), 5*time.Minute)
	t.Logf("while UniversityB was cut off (%.1fs), education-credit grew by %d blocks", time.Since(cutAt).Seconds(), catchUpBlocks())
	_, err = peerHeight(testContext(t, 3*time.Second), cut, network.EducationChannel)
	assert.Error(t, err, "the cut agency's peer answered")

	require.NoError(t, cut.host.Restore(ctx))
	now, err := peerHeight(ctx, ministryHost, network.EducationChannel)
	require.NoError(t, err)
	took := waitForHeight(t, cut, network.EducationChannel, now, 5*time.Minute)
	t.Logf("UniversityB caught up %d blocks in %.1fs after its link returned", now-before, took.Seconds())
	universityB := session(t, "UniversityB", network.AdminRole) // a new connection, after the cut
	for _, n := range []uint64{before, now - 1} {
		want, err := ledgercheck.Header(ctx, ministry, network.EducationChannel, n)
		require.NoError(t, err)
		got, err := ledgercheck.Header(ctx, universityB, network.EducationChannel, n)
		require.NoError(t, err)
		assert.True(t, proto.Equal(want, got), "block %d differs on UniversityB's peer", n)
	}

	// 2. Stop AuditOffice's host: its CA, its peer and its orderer. Two
	// orderers of three keep ordering; finance needs the audit office's
	// endorsement and waits; the other channels go on.
	audit := consortium.byName["AuditOffice"]
	_, err = consortium.govnetOn(ctx, audit, "org", "stop", "-dir", audit.dir)
	require.NoError(t, err)
	stoppedAt := time.Now()
	assert.True(t, l.GrowsWithin(network.EducationChannel, 30*time.Second), "education-credit writes go on with 2 of 3 orderers")
	assert.True(t, l.GrowsWithin(network.EvidenceChannel, 30*time.Second), "judicial-evidence writes go on with 2 of 3 orderers")
	financeBefore := l.Count(network.FinanceChannel)
	time.Sleep(2 * time.Second)
	t.Logf("with AuditOffice's host down for %.1fs: finance acknowledged %d more (its policy needs the audit office)",
		time.Since(stoppedAt).Seconds(), l.Count(network.FinanceChannel)-financeBefore)

	_, err = consortium.govnetOn(ctx, audit, "org", "start", "-dir", audit.dir)
	require.NoError(t, err)
	assert.True(t, l.GrowsWithin(network.FinanceChannel, 60*time.Second), "finance writes resume once the audit office is back")
	l.Stop()

	// 3. Every acknowledged transaction is valid on every member peer.
	total := 0
	failures := map[string]int{}
	for _, ch := range consortium.spec.Channels {
		ids := l.Acked(ch.Name)
		failures[ch.Name] = len(l.Failures(ch.Name))
		total += len(ids)
		require.NotEmpty(t, ids, "acknowledged writes on %s", ch.Name)
		for _, member := range ch.Members {
			s := session(t, member, network.AdminRole)
			head, err := peerHeight(ctx, consortium.byName[loadChannels[ch.Name]], ch.Name)
			require.NoError(t, err)
			waitForHeight(t, consortium.byName[member], ch.Name, head, 2*time.Minute)
			missing := 0
			for _, id := range ids {
				if err := ledgercheck.ValidOn(ctx, s, ch.Name, id); err != nil {
					missing++
					if missing <= 3 {
						t.Errorf("%s on %s's peer: %v", id, member, err)
					}
				}
			}
			assert.Zero(t, missing, "acknowledged transactions of %s missing or invalid on %s's peer", ch.Name, member)
		}
	}
	t.Logf("%d acknowledged transactions checked on every member peer; failed submits by channel: %v", total, failures)
}
