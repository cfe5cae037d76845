//go:build integration

package faults

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/integration/internal/load"
	"github.com/govshare/govshare/network"
)

// TestPeerKilledAndRestartedUnderLoad kills UniversityB's peer with
// SIGKILL while the ministry writes on education-credit, whose policy
// needs the ministry and either university: the ministry's gateway keeps
// endorsing with UniversityA meanwhile. Restarted, the peer catches up to
// the same height with the same blocks as the other members, and holds
// every acknowledged transaction, valid.
func TestPeerKilledAndRestartedUnderLoad(t *testing.T) {
	requireHealthy(t)
	const channel, workers = network.EducationChannel, 8
	writer := session(t, "EduMinistry", network.AdminRole)
	from := chainHeight(t, writer, channel)
	l := load.Start("peer-kill", callTimeout, load.Target{Channel: channel, Session: writer, Workers: workers})
	defer l.Stop()
	before := warmUp(t, l, channel, 5*time.Second)

	victim := peerOf(t, "UniversityB")
	ministry := peerOf(t, "EduMinistry")
	killedAt := kill(t, victim)
	require.True(t, l.GrowsWithin(channel, 30*time.Second), "the gateway endorses through UniversityA while UniversityB's peer is down")
	time.Sleep(time.Until(killedAt.Add(15 * time.Second)))
	restartedAt := restart(t, victim)
	down := load.Rate(l.Calls(channel), killedAt, restartedAt)
	failedWhileDown := 0
	for _, c := range l.Failures(channel) {
		if c.End.After(killedAt) && c.End.Before(restartedAt) {
			failedWhileDown++
		}
	}
	time.Sleep(5 * time.Second)
	l.Stop()

	height, err := ministry.height(testContext(t, 10*time.Second), channel)
	require.NoError(t, err)
	took := waitForHeight(t, victim, channel, height, 2*time.Minute)
	acked := l.Acked(channel)
	_, report := checkMembers(t, channel, from, acked)
	t.Logf("faults: peer %s killed on %s with %d submitters: acked %d, lost %d, committed twice %d; "+
		"while it was down %.1f writes/s (%.1f before), %d failed; at height %d %.1fs after the load stopped (%.1fs after its restart)",
		victim.name, channel, workers, len(acked), report.Lost(), len(report.TwiceValid), down, before, failedWhileDown,
		height, took.Seconds(), time.Since(restartedAt).Seconds())
	assert.Positive(t, down, "writes went on while the peer was down")
}
