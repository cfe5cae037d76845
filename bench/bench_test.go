package bench

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/orderer"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	govclient "github.com/govshare/govshare/gateway-client"
)

func ms(n int) time.Duration { return time.Duration(n) * time.Millisecond }

func TestPercentileIsNearestRank(t *testing.T) {
	var hundred []time.Duration
	for i := 1; i <= 100; i++ {
		hundred = append(hundred, ms(i))
	}
	for _, tc := range []struct {
		values []time.Duration
		p      float64
		want   time.Duration
	}{
		{hundred, 50, ms(50)},
		{hundred, 95, ms(95)},
		{hundred, 99, ms(99)},
		{hundred, 100, ms(100)},
		{hundred, 0.5, ms(1)},
		{hundred, 0, ms(1)},     // clamped to the smallest value
		{hundred, 150, ms(100)}, // clamped to the largest
		{[]time.Duration{ms(7)}, 99, ms(7)},
		{[]time.Duration{ms(1), ms(2), ms(3), ms(4)}, 50, ms(2)},
		{[]time.Duration{ms(1), ms(2), ms(3), ms(4)}, 51, ms(3)},
		{nil, 50, 0},
	} {
		assert.Equal(t, tc.want, Percentile(tc.values, tc.p), "p%v of %d values", tc.p, len(tc.values))
	}
}

func TestSummariseSortsAndReportsMilliseconds(t *testing.T) {
	latencies := []time.Duration{ms(30), ms(10), ms(20), 1500 * time.Microsecond}
	got := Summarise(latencies)
	assert.Equal(t, Latency{P50: 10, P95: 30, P99: 30, Max: 30, Mean: 15.375}, got)
	assert.Equal(t, []time.Duration{1500 * time.Microsecond, ms(10), ms(20), ms(30)}, latencies, "sorted in place")
	assert.Equal(t, Latency{}, Summarise(nil))
}

func TestThroughputCountsSuccessesPerSecond(t *testing.T) {
	assert.InDelta(t, 250.0, Throughput(500, 2*time.Second), 1e-9)
	assert.Zero(t, Throughput(10, 0))
}

func TestClassifyNamesValidationCodesAndStages(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&govclient.TxError{Stage: govclient.StageCommit, Code: peer.TxValidationCode_MVCC_READ_CONFLICT}, "MVCC_READ_CONFLICT"},
		{fmt.Errorf("disburse: %w", &govclient.TxError{Stage: govclient.StageCommit, Code: peer.TxValidationCode_PHANTOM_READ_CONFLICT}), "PHANTOM_READ_CONFLICT"},
		{&govclient.TxError{Stage: govclient.StageCommit, Code: peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE}, "ENDORSEMENT_POLICY_FAILURE"},
		{&govclient.TxError{Stage: govclient.StageCommit}, FailCommitStatus},
		{&govclient.TxError{Stage: govclient.StageEndorse}, FailEndorse},
		{&govclient.TxError{Stage: govclient.StageSubmit}, FailSubmit},
		{&govclient.TxError{Stage: govclient.StageEvaluate}, FailEvaluate},
		{fmt.Errorf("submit: %w", context.DeadlineExceeded), FailTimeout},
		{errors.New("unreadable answer"), FailClient},
		{&govclient.TxError{Stage: govclient.StageEndorse, Peers: []govclient.PeerError{{MSPID: "AuditOfficeMSP", Message: "ProposalResponsePayloads do not match"}}}, FailMismatch},
		{fmt.Errorf("endorse: %w", errors.New("too many requests for /gateway.Gateway/Endorse, exceeding concurrency limit (4)")), FailOverloaded},
	} {
		assert.Equal(t, tc.want, Classify(tc.err), "%v", tc.err)
	}
	assert.Empty(t, Classify(nil))
}

func TestDescribeAddsThePeersMessages(t *testing.T) {
	err := &govclient.TxError{Stage: govclient.StageEndorse, Function: "Disburse", Channel: "finance-ledger", Chaincode: "finance",
		Peers: []govclient.PeerError{{MSPID: "AuditOfficeMSP", Message: "ProposalResponsePayloads do not match"}}}
	assert.Contains(t, Describe(err), "; AuditOfficeMSP: ProposalResponsePayloads do not match")
	assert.Equal(t, "plain", Describe(errors.New("plain")))
}

func TestRunStopsAtCountAndCountsFailuresByClass(t *testing.T) {
	var mu sync.Mutex
	seen := map[int]bool{}
	r := Round{Name: "r", Workers: 4, Count: 40, Op: func(ctx context.Context, worker, seq int) (int, error) {
		mu.Lock()
		seen[seq] = true
		mu.Unlock()
		if seq%10 == 0 {
			return 1, &govclient.TxError{Stage: govclient.StageCommit, Code: peer.TxValidationCode_MVCC_READ_CONFLICT}
		}
		if seq%10 == 5 {
			return 3, nil // succeeded on its third attempt
		}
		return 1, nil
	}}
	res, err := Run(context.Background(), r)
	require.NoError(t, err)
	assert.Len(t, seen, 40, "every sequence number once")
	assert.Equal(t, 36, res.Succeeded)
	assert.Equal(t, 4, res.Failed)
	assert.Equal(t, map[string]int{"MVCC_READ_CONFLICT": 4}, res.Failures)
	assert.Contains(t, res.FailureExamples["MVCC_READ_CONFLICT"], "MVCC_READ_CONFLICT")
	assert.InDelta(t, (32.0+4*3)/36, res.MeanAttempts, 1e-9)
	assert.Greater(t, res.TPS, 0.0)
}

func TestRunStopsAtDuration(t *testing.T) {
	r := Round{Name: "r", Workers: 2, Duration: 50 * time.Millisecond, Op: func(ctx context.Context, worker, seq int) (int, error) {
		time.Sleep(time.Millisecond)
		return 1, nil
	}}
	res, err := Run(context.Background(), r)
	require.NoError(t, err)
	assert.Greater(t, res.Succeeded, 0)
	assert.Less(t, res.Succeeded, 200, "two workers cannot do more than 100 one-millisecond operations in 50 ms")
	assert.False(t, res.Interrupted)
}

func TestRunGivesEachOperationItsTimeout(t *testing.T) {
	r := Round{Name: "slow", Workers: 1, Count: 2, OpTimeout: 10 * time.Millisecond, Op: func(ctx context.Context, worker, seq int) (int, error) {
		<-ctx.Done()
		return 1, fmt.Errorf("wait for commit: %w", ctx.Err())
	}}
	res, err := Run(context.Background(), r)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{FailTimeout: 2}, res.Failures)
	assert.Zero(t, res.Succeeded)
	assert.Zero(t, res.TPS)
}

func TestRunRefusesRoundsWithoutLimitsWorkersOrOperation(t *testing.T) {
	op := func(ctx context.Context, worker, seq int) (int, error) { return 1, nil }
	_, err := Run(context.Background(), Round{Name: "r", Workers: 1, Op: op})
	assert.ErrorIs(t, err, ErrNoLimit)
	_, err = Run(context.Background(), Round{Name: "r", Count: 1, Op: op})
	assert.ErrorContains(t, err, "worker")
	_, err = Run(context.Background(), Round{Name: "r", Count: 1, Workers: 1})
	assert.ErrorContains(t, err, "no operation")
}

func TestCompareDividesByTheReferenceRound(t *testing.T) {
	rounds := []*RoundResult{
		{Name: "baseline", TPS: 200},
		{Name: "credit", Reference: "baseline", TPS: 180},
		{Name: "orphan", Reference: "missing", TPS: 10},
		{Name: "zero-ref", TPS: 0},
		{Name: "after-zero", Reference: "zero-ref", TPS: 5},
	}
	Compare(rounds)
	assert.Zero(t, rounds[0].Ratio)
	assert.InDelta(t, 0.9, rounds[1].Ratio, 1e-9)
	assert.Zero(t, rounds[2].Ratio)
	assert.Zero(t, rounds[4].Ratio)
}

func sampleReport() *Report {
	rounds := []*RoundResult{
		{Name: "baseline-edu", Channel: "education-credit", Kind: Write, Workers: 8, Succeeded: 400, TPS: 200,
			Latency: Latency{P50: 300, P95: 400, P99: 450, Max: 500, Mean: 310}, Failures: map[string]int{}},
		{Name: "record-credit", Channel: "education-credit", Kind: Write, Reference: "baseline-edu", Workers: 8,
			Succeeded: 360, Failed: 3, TPS: 180, Failures: map[string]int{"MVCC_READ_CONFLICT": 2, "TIMEOUT": 1},
			Latency: Latency{P50: 320, P95: 420, P99: 470, Max: 520, Mean: 330}},
	}
	Compare(rounds)
	return &Report{Started: time.Date(2026, 11, 21, 19, 10, 0, 0, time.UTC), Settings: Settings{Workers: 8}, Rounds: rounds}
}

func TestFailureSummaryListsMostFrequentFirst(t *testing.T) {
	rep := sampleReport()
	assert.Equal(t, "-", rep.Rounds[0].FailureSummary())
	assert.Equal(t, "MVCC_READ_CONFLICT=2 TIMEOUT=1", rep.Rounds[1].FailureSummary())
}

func TestReportTableAndCSV(t *testing.T) {
	rep := sampleReport()
	var table bytes.Buffer
	require.NoError(t, rep.WriteTable(&table))
	lines := strings.Split(strings.TrimSpace(table.String()), "\n")
	require.Len(t, lines, 3)
	assert.Contains(t, lines[2], "record-credit")
	assert.Contains(t, lines[2], "90%")
	assert.Contains(t, lines[2], "MVCC_READ_CONFLICT=2 TIMEOUT=1")

	var out bytes.Buffer
	require.NoError(t, rep.WriteCSV(&out))
	rows, err := csv.NewReader(&out).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 3)
	assert.Equal(t, csvHeader, rows[0])
	col := func(name string) int {
		for i, h := range csvHeader {
			if h == name {
				return i
			}
		}
		t.Fatalf("no column %s", name)
		return -1
	}
	assert.Equal(t, "0.9", rows[2][col("ratio")])
	assert.Equal(t, "180", rows[2][col("tps")])
	assert.Equal(t, "470", rows[2][col("p99_ms")])
	assert.Equal(t, "", rows[1][col("failures")])
}

func TestSaveWritesJSONCSVAndAChart(t *testing.T) {
	base := filepath.Join(t.TempDir(), "results", "run")
	paths, err := sampleReport().Save(base)
	require.NoError(t, err)
	require.Len(t, paths, 3)
	f, err := os.Open(base + ".png")
	require.NoError(t, err)
	defer f.Close()
	img, err := png.Decode(f)
	require.NoError(t, err)
	assert.Greater(t, img.Bounds().Dx(), 500)
	data, err := os.ReadFile(base + ".json")
	require.NoError(t, err)
	assert.Contains(t, string(data), `"ratio": 0.9`)
}

func TestWriteChartRefusesAnEmptyReport(t *testing.T) {
	err := (&Report{}).WriteChart(filepath.Join(t.TempDir(), "x.png"))
	assert.ErrorContains(t, err, "no rounds")
}

// configBlock builds a configuration block as configtxgen does, with only
// the orderer batch settings in it.
func configBlock(t *testing.T, timeout string, count, preferred uint32) []byte {
	t.Helper()
	marshal := func(m proto.Message) []byte {
		data, err := proto.Marshal(m)
		require.NoError(t, err)
		return data
	}
	config := &common.ConfigEnvelope{Config: &common.Config{ChannelGroup: &common.ConfigGroup{Groups: map[string]*common.ConfigGroup{
		"Orderer": {Values: map[string]*common.ConfigValue{
			"BatchSize":    {Value: marshal(&orderer.BatchSize{MaxMessageCount: count, AbsoluteMaxBytes: 10 << 20, PreferredMaxBytes: preferred})},
			"BatchTimeout": {Value: marshal(&orderer.BatchTimeout{Timeout: timeout})},
		}},
	}}}}
	env := &common.Envelope{Payload: marshal(&common.Payload{Data: marshal(config)})}
	return marshal(&common.Block{Data: &common.BlockData{Data: [][]byte{marshal(env)}}})
}

func TestReadNetworkSettingsFromTheGenesisBlockAndCoreYAML(t *testing.T) {
	state := t.TempDir()
	// the channel's genesis block is in its members' folders, a peer's
	// core.yaml in its own agency's
	member := filepath.Join(state, "organizations", "B")
	peerAgency := filepath.Join(state, "organizations", "A")
	require.NoError(t, os.MkdirAll(filepath.Join(member, "channels"), 0o755))
	require.NoError(t, os.MkdirAll(filepath.Join(peerAgency, "nodes", "peer0.a"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(member, "channels", "ch.block"), configBlock(t, "250ms", 100, 2048*1024), 0o644))
	// the rendered configtx.yaml may say otherwise: the block is what the channel runs
	require.NoError(t, os.WriteFile(filepath.Join(member, "channels", "configtx.yaml"), []byte("Orderer:\n  BatchTimeout: 100ms\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(peerAgency, "nodes", "peer0.a", "core.yaml"), []byte(`
peer:
  limits:
    concurrency:
      gatewayService: 500
`), 0o644))
	var s Settings
	require.NoError(t, ReadNetworkSettings(state, "ch", "peer0.a", &s))
	assert.Equal(t, Settings{BatchTimeout: "250ms", MaxMessageCount: 100, PreferredMaxBytes: "2048 KB", GatewayConcurrency: 500}, s)
	assert.ErrorContains(t, ReadNetworkSettings(state, "ch", "peer0.missing", &s), "read network settings")
	assert.ErrorContains(t, ReadNetworkSettings(state, "missing", "peer0.a", &s), "read network settings")
}

func TestBatchSettingsRefusesBlocksWithoutThem(t *testing.T) {
	_, err := BatchSettings([]byte("not a block"))
	assert.Error(t, err)
	data, err := proto.Marshal(&common.Block{Data: &common.BlockData{Data: [][]byte{{}, {}}}})
	require.NoError(t, err)
	_, err = BatchSettings(data)
	assert.ErrorContains(t, err, "one transaction")
}

func TestParseLoadAverage(t *testing.T) {
	assert.InDelta(t, 1.25, parseLoadAverage("1.25 3.00 4.10 2/300 12345\n"), 1e-9)
	assert.Equal(t, -1.0, parseLoadAverage(""))
	assert.Equal(t, -1.0, parseLoadAverage("x y"))
}

func TestRoundsOfBatchesCompareRecordsPerSecond(t *testing.T) {
	res, err := Run(context.Background(), Round{Name: "runs", Workers: 2, Count: 10, Batch: 50,
		Op: func(context.Context, int, int) (int, error) { return 1, nil }})
	require.NoError(t, err)
	assert.Equal(t, 50, res.Batch)
	assert.InDelta(t, 50*res.TPS, res.RecordsPerSecond, 1e-9)

	rounds := []*RoundResult{
		{Name: "singles", TPS: 100},
		{Name: "runs-of-200", Reference: "singles", TPS: 2, Batch: 200, RecordsPerSecond: 400},
		{Name: "one-at-a-time", Reference: "runs-of-200", TPS: 100},
	}
	Compare(rounds)
	assert.InDelta(t, 4, rounds[1].Ratio, 1e-9, "400 payments a second in runs against 100 one by one")
	assert.InDelta(t, 0.25, rounds[2].Ratio, 1e-9)
	var table bytes.Buffer
	require.NoError(t, (&Report{Rounds: rounds}).WriteTable(&table))
	assert.Contains(t, table.String(), "400.0")
}

func TestLatenciesAreComparedWithTheReference(t *testing.T) {
	rounds := []*RoundResult{
		{Name: "blind", Succeeded: 20, Latency: Latency{P50: 80}},
		{Name: "blind:run-200", Succeeded: 20, Latency: Latency{P50: 100}},
		{Name: "run-200", Reference: "blind:run-200", Succeeded: 20, Latency: Latency{P50: 250}},
		{Name: "none-ok", Reference: "blind", Latency: Latency{P50: 0}},
	}
	var out bytes.Buffer
	require.NoError(t, WriteLatencies(&out, rounds))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 2)
	assert.Regexp(t, `run-200\s+250\s+blind:run-200\s+100\s+2\.50x`, lines[1])
}
