//go:build integration

package faults

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	govclient "github.com/govshare/govshare/gateway-client"
	"github.com/govshare/govshare/integration/internal/ledgercheck"
	"github.com/govshare/govshare/integration/internal/testnet"
	"github.com/govshare/govshare/network"
)

// testContext returns a context that ends after limit or with the test.
func testContext(t *testing.T, limit time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	t.Cleanup(cancel)
	return ctx
}

// session opens a client of org with the library's default options, as
// govctl, the portal and govload have them, and a session as role; both
// are closed at the test's end.
func session(t *testing.T, org, role string) *govclient.Session {
	t.Helper()
	return testnet.Session(t, testNetwork, org, role)
}

// node is one orderer or peer of the network.
type node struct {
	name    string
	agency  *network.Agency
	metrics string // its Prometheus endpoint
	pid     func() int
	start   func(context.Context) (int, error)
}

// orderers returns every orderer of the network.
func orderers() []node {
	var out []node
	for _, a := range testNetwork.Agencies {
		for _, o := range a.Orderers {
			out = append(out, node{name: o.ID(), agency: a, metrics: metricsURL(o.Host, o.OperationsPort),
				pid: func() int { return a.OrdererProcessID(o) }, start: a.StartOrderers})
		}
	}
	return out
}

// peers returns every peer of the network.
func peers() []node {
	var out []node
	for _, a := range testNetwork.Agencies {
		for _, p := range a.Peers {
			out = append(out, node{name: p.ID(), agency: a, metrics: metricsURL(p.Host, p.OperationsPort),
				pid: func() int { return a.PeerProcessID(p) }, start: a.StartPeers})
		}
	}
	return out
}

// peerOf returns the peer of the organisation.
func peerOf(t *testing.T, org string) node {
	t.Helper()
	for _, p := range peers() {
		if p.agency.Org.Name == org {
			return p
		}
	}
	require.FailNow(t, "no peer", "organisation %s has no peer", org)
	return node{}
}

func metricsURL(host string, port int) string {
	return "http://" + net.JoinHostPort(host, strconv.Itoa(port)) + "/metrics"
}

// metric returns the value of a metric of one channel from the node's
// Prometheus endpoint; false when the node does not report it.
func (n node) metric(ctx context.Context, name, channel string) (float64, bool, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, n.metrics, nil)
	if err != nil {
		return 0, false, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, false, fmt.Errorf("%s metrics: %w", n.name, err)
	}
	defer resp.Body.Close()
	prefix := name + `{channel="` + channel + `"} `
	scanner := bufio.NewScanner(resp.Body)
	scanner.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for scanner.Scan() {
		if value, ok := strings.CutPrefix(scanner.Text(), prefix); ok {
			v, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
			return v, err == nil, err
		}
	}
	return 0, false, scanner.Err()
}

// height returns the node's block height on channel.
func (n node) height(ctx context.Context, channel string) (uint64, error) {
	h, ok, err := n.metric(ctx, "ledger_blockchain_height", channel)
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, fmt.Errorf("%s reports no height on %s", n.name, channel)
	}
	return uint64(h), nil
}

// waitForLeader polls the orderers every 100 ms until one of them reports
// itself Raft leader of channel (consensus_etcdraft_is_leader), within
// limit, and returns it with the moment it was seen.
func waitForLeader(t *testing.T, among []node, channel string, limit time.Duration) (node, time.Time) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		for _, o := range among {
			if v, ok, err := o.metric(context.Background(), "consensus_etcdraft_is_leader", channel); err == nil && ok && v == 1 {
				return o, time.Now()
			}
		}
		if time.Now().After(deadline) {
			require.FailNowf(t, "no Raft leader", "none of %d orderers leads %s after %s", len(among), channel, limit)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// kill kills the node's process with SIGKILL, by the PID the network
// recorded for it, and waits until it is gone.
func kill(t *testing.T, n node) time.Time {
	t.Helper()
	pid := n.pid()
	require.NotZero(t, pid, "%s is not running", n.name)
	require.NoError(t, syscall.Kill(pid, syscall.SIGKILL))
	killed := time.Now()
	require.Eventually(t, func() bool { return n.pid() == 0 }, 10*time.Second, 20*time.Millisecond, "%s (PID %d) outlived SIGKILL", n.name, pid)
	t.Logf("killed %s (PID %d) at %s", n.name, pid, killed.Format("15:04:05.000"))
	return killed
}

// restart starts the node's agency's nodes of its kind that are not
// running, and waits until they are healthy.
func restart(t *testing.T, n node) time.Time {
	t.Helper()
	started, err := n.start(testContext(t, 3*time.Minute))
	require.NoError(t, err, "restart %s", n.name)
	require.Equal(t, 1, started, "%s: nodes started", n.agency.Org.Name)
	require.NotZero(t, n.pid())
	t.Logf("restarted %s at %s", n.name, time.Now().Format("15:04:05.000"))
	return time.Now()
}

// waitForHeight waits until the node has at least height blocks of
// channel, within limit, and returns how long it took.
func waitForHeight(t *testing.T, n node, channel string, height uint64, limit time.Duration) time.Duration {
	t.Helper()
	began := time.Now()
	var got uint64
	var err error
	for time.Since(began) < limit {
		if got, err = n.height(context.Background(), channel); err == nil && got >= height {
			return time.Since(began)
		}
		time.Sleep(100 * time.Millisecond)
	}
	require.FailNowf(t, "no catch-up", "%s on %s: height %d (error %v), want %d after %s", n.name, channel, got, err, height, limit)
	return 0
}

// requireHealthy requires every node to run and every channel to have a
// Raft leader: the state each test starts from and leaves behind.
func requireHealthy(t *testing.T) {
	t.Helper()
	for _, n := range append(orderers(), peers()...) {
		require.NotZero(t, n.pid(), "%s is not running", n.name)
	}
	for _, ch := range testNetwork.Spec.Channels {
		waitForLeader(t, orderers(), ch.Name, time.Minute)
	}
}

// chainHeight returns the height of channel on the session's peer.
func chainHeight(t *testing.T, s *govclient.Session, channel string) uint64 {
	t.Helper()
	h, err := s.ChainHeight(testContext(t, 30*time.Second), channel)
	require.NoError(t, err)
	return h
}

// checkMembers waits until the peer of every member of channel has the
// same height, reads the blocks from `from` on from each (through each
// member's own gateway), and checks that they all hold the same blocks and
// every acknowledged transaction, valid, with no transaction valid twice.
// It returns the first member's chain and its report.
func checkMembers(t *testing.T, channel string, from uint64, acked []string) (*ledgercheck.Chain, ledgercheck.Report) {
	t.Helper()
	ch, err := testNetwork.Spec.Channel(channel)
	require.NoError(t, err)
	sessions := map[string]*govclient.Session{}
	for _, member := range ch.Members {
		sessions[member] = session(t, member, network.AdminRole)
	}
	// The members commit each block at slightly different moments.
	var to uint64
	require.Eventually(t, func() bool {
		heights := map[uint64]bool{}
		for _, s := range sessions {
			h, err := s.ChainHeight(context.Background(), channel)
			if err != nil {
				return false
			}
			heights[h] = true
			to = h
		}
		return len(heights) == 1
	}, 2*time.Minute, 200*time.Millisecond, "the members of %s reach one height", channel)

	ctx := testContext(t, 5*time.Minute)
	chains := make([]*ledgercheck.Chain, len(ch.Members))
	errs := make([]error, len(ch.Members))
	var wg sync.WaitGroup
	for i, member := range ch.Members {
		wg.Add(1)
		go func() {
			defer wg.Done()
			chains[i], errs[i] = ledgercheck.Read(ctx, sessions[member], channel, from, to)
		}()
	}
	wg.Wait()
	var first ledgercheck.Report
	for i, member := range ch.Members {
		require.NoError(t, errs[i], "read %s's blocks %d-%d of %s", member, from, to-1, channel)
		report := chains[i].Check(acked)
		if i == 0 {
			first = report
		}
		assert.Zero(t, report.Lost(), "acknowledged transactions lost on %s's peer: missing %v, invalid %v", member, head(report.Missing), head(report.Invalid))
		assert.Empty(t, report.TwiceValid, "transactions valid twice on %s's peer", member)
		if at, differ := ledgercheck.FirstDifference(chains[0], chains[i]); differ {
			assert.Failf(t, "peers differ", "block %d of %s differs between %s's and %s's peers", at, channel, ch.Members[0], member)
		}
	}
	t.Logf("%s: blocks %d-%d read from each of %d members' peers: the same blocks; %d transactions, %d acknowledged all valid; %d later copies (DUPLICATE_TXID), none valid twice",
		channel, from, to-1, len(ch.Members), first.Transactions, len(acked), first.Duplicates)
	return chains[0], first
}

// head returns the first few of ids, for a message.
func head(ids []string) []string { return ids[:min(len(ids), 3)] }
