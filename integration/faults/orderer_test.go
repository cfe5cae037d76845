//go:build integration

package faults

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	govclient "github.com/govshare/govshare/gateway-client"
	"github.com/govshare/govshare/integration/internal/load"
	"github.com/govshare/govshare/network"
)

// callTimeout is each load call's deadline: the library's default.
const callTimeout = govclient.DefaultSubmitTimeout

// warmUp waits until the load's writes on channel are acknowledged, then
// measures their rate over span and returns it.
func warmUp(t *testing.T, l *load.Load, channel string, span time.Duration) float64 {
	t.Helper()
	require.True(t, l.GrowsWithin(channel, time.Minute), "writes on %s before the fault", channel)
	time.Sleep(2 * time.Second)
	from := time.Now()
	time.Sleep(span)
	rate := load.Rate(l.Calls(channel), from, time.Now())
	t.Logf("%s before the fault: %.1f acknowledged writes/s", channel, rate)
	return rate
}

// submissions counts the acknowledged calls that needed more than one
// submission.
func resubmitted(calls []load.Call) int {
	n := 0
	for _, c := range calls {
		if c.Err == nil && c.Submissions > 1 {
			n++
		}
	}
	return n
}

// TestRaftLeaderKilledUnderLoad kills the Raft leader of finance-ledger
// with SIGKILL while 16 submitters write, and restarts it later. The
// transactions the dead leader had accepted but not cut into a block are
// sent again by the client: every acknowledged transaction is valid on
// every member's peer, none is valid twice, submitters stall for seconds
// at most once a new leader is elected, and the restarted orderer catches
// up on every channel.
func TestRaftLeaderKilledUnderLoad(t *testing.T) {
	requireHealthy(t)
	const channel, workers = network.FinanceChannel, 16
	writer := session(t, "FinanceBureau", network.AdminRole)
	from := chainHeight(t, writer, channel)
	l := load.Start("leader-kill", callTimeout, load.Target{Channel: channel, Session: writer, Workers: workers})
	defer l.Stop()
	before := warmUp(t, l, channel, 8*time.Second)

	all := orderers()
	dead, _ := waitForLeader(t, all, channel, time.Minute)
	killedAt := kill(t, dead)
	others := slices.DeleteFunc(slices.Clone(all), func(o node) bool { return o.name == dead.name })
	elected, electedAt := waitForLeader(t, others, channel, time.Minute)
	t.Logf("%s leads %s %.1fs after %s was killed", elected.name, channel, electedAt.Sub(killedAt).Seconds(), dead.name)
	time.Sleep(time.Until(electedAt.Add(20 * time.Second)))

	restart(t, dead)
	time.Sleep(5 * time.Second)
	l.Stop()
	for _, ch := range testNetwork.Spec.Channels {
		height, err := elected.height(testContext(t, 10*time.Second), ch.Name)
		require.NoError(t, err)
		took := waitForHeight(t, dead, ch.Name, height, 2*time.Minute)
		t.Logf("the restarted orderer reached height %d of %s %.1fs after the load stopped", height, ch.Name, took.Seconds())
	}

	calls := l.Calls(channel)
	acked := l.Acked(channel)
	_, report := checkMembers(t, channel, from, acked)
	stall, stalled := load.LongestWait(calls, electedAt)
	killStall, _ := load.LongestWait(calls, killedAt)
	recovered, ok := load.Recovered(calls, electedAt, 2*time.Second, 0.8*before)
	recovery := "never"
	if ok {
		recovery = recovered.Sub(electedAt).Round(100*time.Millisecond).String() + " after the election (" +
			recovered.Sub(killedAt).Round(100*time.Millisecond).String() + " after the kill)"
	}
	failures := l.Failures(channel)
	t.Logf("faults: leader killed on %s with %d submitters: acked %d, lost %d, committed twice %d, later copies %d, "+
		"acknowledged after a resubmission %d, failed %d; new leader %.1fs after the kill; longest wait after the kill %.1fs, "+
		"after the election %.1fs (worker %d, %d submissions); throughput %.1f/s before, back to 80%% %s",
		channel, workers, len(acked), report.Lost(), len(report.TwiceValid), report.Duplicates, resubmitted(calls), len(failures),
		electedAt.Sub(killedAt).Seconds(), killStall.Seconds(), stall.Seconds(), stalled.Worker, stalled.Submissions, before, recovery)
	for _, f := range failures[:min(len(failures), 3)] {
		t.Logf("a failed submit (%.1fs): %v", f.End.Sub(f.Start).Seconds(), f.Err)
	}
	// The goals of issue 17: nothing acknowledged lost or committed twice
	// (checked on every member's peer above), no submitter waiting more
	// than 10 s once a new leader is elected (before, a transaction lost
	// with the leader held its submitter for the whole 60 s commit status
	// wait), and 80% of the throughput back within 15 s of the election.
	assert.LessOrEqual(t, stall, 10*time.Second, "a submitter stalled after the new leader was elected")
	if assert.True(t, ok, "the throughput never came back to 80%%") {
		assert.LessOrEqual(t, recovered.Sub(electedAt), 15*time.Second, "the throughput came back to 80%% too late")
	}
	for _, f := range failures {
		assert.NotEmpty(t, f.TxID, "a failed submit is reported with its transaction ID: %v", f.Err)
	}
}

// TestQuorumLostAndRestored kills two of the three orderers while
// submitters write on judicial-evidence: every submitter gets an error
// that says the ordering service is unavailable within 15 s of its call,
// none hangs until its deadline; once the orderers are back, writes resume
// and no acknowledged transaction is lost.
func TestQuorumLostAndRestored(t *testing.T) {
	requireHealthy(t)
	const channel, workers = network.EvidenceChannel, 8
	writer := session(t, "InternetCourt", network.AdminRole)
	from := chainHeight(t, writer, channel)
	l := load.Start("quorum-lost", callTimeout, load.Target{Channel: channel, Session: writer, Workers: workers})
	defer l.Stop()
	warmUp(t, l, channel, 3*time.Second)

	all := orderers()
	lead, _ := waitForLeader(t, all, channel, time.Minute)
	follower := all[slices.IndexFunc(all, func(o node) bool { return o.name != lead.name })]
	killedAt := kill(t, lead)
	kill(t, follower)
	time.Sleep(25 * time.Second)

	var refused []load.Call
	for _, c := range l.Failures(channel) {
		if c.End.After(killedAt) {
			refused = append(refused, c)
		}
	}
	require.NotEmpty(t, refused, "no submit failed with two orderers of three gone")
	var longest time.Duration
	for _, c := range refused {
		took := c.End.Sub(c.Start)
		longest = max(longest, took)
		var txErr *govclient.TxError
		if assert.True(t, errors.As(c.Err, &txErr), "not a TxError: %v", c.Err) {
			assert.True(t, txErr.OrderingUnavailable(), "not reported as the ordering service unavailable: %v", c.Err)
			assert.NotEmpty(t, txErr.TransactionID, "reported without its transaction ID: %v", c.Err)
		}
		assert.Contains(t, c.Err.Error(), "the ordering service is unavailable")
		assert.Less(t, took, 15*time.Second, "a submit took %.1fs to fail: %v", took.Seconds(), c.Err)
	}
	firstError := slices.MinFunc(refused, func(a, b load.Call) int { return a.End.Compare(b.End) }).End.Sub(killedAt)
	t.Logf("with the quorum lost: %d submits failed, the first %.1fs after the kill, each within %.1fs of its call: %v",
		len(refused), firstError.Seconds(), longest.Seconds(), refused[0].Err)

	restartedAt := restart(t, lead)
	restart(t, follower)
	_, electedAt := waitForLeader(t, all, channel, time.Minute)
	require.True(t, l.GrowsWithin(channel, time.Minute), "writes resume once the orderers are back")
	resumedAt := time.Now()
	time.Sleep(3 * time.Second)
	l.Stop()

	acked := l.Acked(channel)
	chain, report := checkMembers(t, channel, from, acked)
	// A failed transaction that an orderer had taken may still commit: it
	// was reported as such, never acknowledged.
	committedAnyway := 0
	for _, c := range l.Failures(channel) {
		if copies := chain.Copies[c.TxID]; len(copies) > 0 && copies[0].Code == peer.TxValidationCode_VALID {
			committedAnyway++
		}
	}
	t.Logf("faults: quorum lost on %s with %d submitters: acked %d, lost %d, committed twice %d, failed %d (first %.1fs after the kill, longest call %.1fs); "+
		"leader %.1fs after the restart, writes again %.1fs after it; %d failed transactions later committed",
		channel, workers, len(acked), report.Lost(), len(report.TwiceValid), len(refused), firstError.Seconds(), longest.Seconds(),
		electedAt.Sub(restartedAt).Seconds(), resumedAt.Sub(restartedAt).Seconds(), committedAnyway)
}
