package research

import (
	"bytes"
	"encoding/csv"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/bench"
	"github.com/govshare/govshare/bench/workload"
	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/network"
)

func TestParseOrderingReadsTimeoutCountAndSize(t *testing.T) {
	o, err := ParseOrdering("250ms/100/2048")
	require.NoError(t, err)
	assert.Equal(t, network.Ordering{BatchTimeoutMillis: 250, MaxMessageCount: 100, PreferredMaxBytesKiB: 2048}, o)
	assert.Equal(t, "250ms/100/2048", FormatOrdering(o))

	o, err = ParseOrdering(" 2s/10 ")
	require.NoError(t, err)
	assert.Equal(t, network.Ordering{BatchTimeoutMillis: 2000, MaxMessageCount: 10, PreferredMaxBytesKiB: 2048}, o, "size defaults to 2 MiB")

	for _, bad := range []string{"", "250ms", "fast/10", "250ms/0", "250ms/x", "0s/10", "2m/10", "250ms/10/0", "250ms/10/2048/1"} {
		_, err := ParseOrdering(bad)
		assert.Error(t, err, "%q", bad)
	}
}

func TestTuneSpecKeepsTheEvidenceChannelsTwoEndorsersBaselineAndProbesOnly(t *testing.T) {
	ordering := network.Ordering{BatchTimeoutMillis: 100, MaxMessageCount: 20, PreferredMaxBytesKiB: 512}
	spec := TuneSpec(ordering)
	require.NoError(t, spec.Validate())
	assert.Equal(t, ordering, spec.Ordering)
	var msps, orderers []string
	for _, o := range spec.Organizations {
		msps = append(msps, o.MSPID)
		if len(o.Orderers) > 0 {
			orderers = append(orderers, o.MSPID)
		}
	}
	assert.ElementsMatch(t, []string{consortium.OversightMSP, consortium.AuditOfficeMSP, consortium.InternetCourtMSP, consortium.NotaryOfficeMSP}, msps)
	assert.ElementsMatch(t, network.OrderingAgencies, orderers, "the consortium's three orderers")
	require.Len(t, spec.Channels, 1)
	ch := spec.Channels[0]
	assert.Equal(t, consortium.EvidenceChannel, ch.Name)
	assert.ElementsMatch(t, []string{"InternetCourt", "NotaryOffice"}, ch.Members)
	require.Len(t, ch.Chaincodes, 2)
	assert.Equal(t, network.BaselineChaincode, ch.Chaincodes[0].Name, "every network runs the health check")
	assert.Equal(t, workload.ProbeChaincode, ch.Chaincodes[1].Name, "the probes measure")
	for _, cc := range ch.Chaincodes {
		assert.Equal(t, "AND('InternetCourtMSP.peer', 'NotaryOfficeMSP.peer')", cc.EndorsementPolicy,
			"%s keeps the channel's policy", cc.Name)
	}
}

func TestScaleConfigValidate(t *testing.T) {
	ok := ScaleConfig{Sizes: []int{1000}, Workers: 1, Reps: 1, StepTimeout: time.Minute}
	assert.NoError(t, ok.Validate())
	for name, c := range map[string]ScaleConfig{
		"no sizes":       {Workers: 1, Reps: 1, StepTimeout: time.Minute},
		"negative size":  {Sizes: []int{-1}, Workers: 1, Reps: 1, StepTimeout: time.Minute},
		"unknown domain": {Sizes: []int{1}, Domains: []string{"weather"}, Workers: 1, Reps: 1, StepTimeout: time.Minute},
		"no workers":     {Sizes: []int{1}, Reps: 1, StepTimeout: time.Minute},
	} {
		assert.Error(t, c.Validate(), name)
	}
}

func TestScaleReportTableCSVAndChart(t *testing.T) {
	rep := &ScaleReport{
		Preloads: []Preload{{Domain: "education", Target: 1000, Reached: 1000, Seconds: 10, TPS: 100}},
		Points: []ScalePoint{
			{Domain: "education", Query: "GetTranscript", Total: 1000, Probe: "student with 10 credits", ProbeRecords: 10, PageSize: 10,
				Latency: bench.Latency{P50: 4.5, P95: 6}, BaselineGetP50: 2},
			{Domain: "education", Query: "GetTranscript", Total: 10000, Probe: "student with 10 credits", ProbeRecords: 10, PageSize: 10,
				Latency: bench.Latency{P50: 4.6, P95: 6.1}, BaselineGetP50: 2.1},
			{Domain: "evidence", Query: "VerifyEvidenceByHash", Total: 1000, Probe: "content in 1 cases", ProbeRecords: 1,
				Latency: bench.Latency{P50: 3}, BaselineGetP50: 2},
		},
	}
	var table bytes.Buffer
	require.NoError(t, rep.WriteTable(&table))
	assert.Contains(t, table.String(), "student with 10 credits")

	var out bytes.Buffer
	require.NoError(t, rep.WriteCSV(&out))
	rows, err := csv.NewReader(&out).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 4)
	assert.Equal(t, []string{"education", "GetTranscript", "student with 10 credits", "10", "10", "10000", "4.6", "6.1", "0", "0", "2.1", "0"}, rows[2])

	require.NoError(t, rep.WriteChart(filepath.Join(t.TempDir(), "scale.png")))
	assert.Error(t, (&ScaleReport{}).WriteChart(filepath.Join(t.TempDir(), "empty.png")))
}
