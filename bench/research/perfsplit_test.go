package research

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/bench"
)

// script renders samples as `perf script -F time,ip,sym` prints them.
func script(samples ...PerfSample) string {
	var b strings.Builder
	for _, s := range samples {
		fmt.Fprintf(&b, "%d.%06d: \n", s.Time.Unix(), s.Time.Nanosecond()/1000)
		for i, f := range s.Frames {
			fmt.Fprintf(&b, "\t%16x %s\n", 0x1000+i, f)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func TestReadPerfScript(t *testing.T) {
	at := time.Unix(1795289800, 108109000)
	text := script(
		PerfSample{Time: at, Frames: []string{"p256SqrInternal"}},
		PerfSample{Time: at.Add(5 * time.Millisecond), Frames: []string{"runtime.mallocgc", "github.com/hyperledger/fabric/core/endorser.(*Endorser).simulateProposal", "runtime.goexit.abi0"}},
	)
	var got []PerfSample
	require.NoError(t, ReadPerfScript(strings.NewReader(text), func(s PerfSample) { got = append(got, s) }))
	require.Len(t, got, 2)
	assert.Equal(t, at, got[0].Time)
	assert.Equal(t, []string{"p256SqrInternal"}, got[0].Frames)
	assert.Equal(t, "github.com/hyperledger/fabric/core/endorser.(*Endorser).simulateProposal", got[1].Frames[1])

	err := ReadPerfScript(strings.NewReader("\t1000 orphan.frame\n"), func(PerfSample) {})
	assert.ErrorContains(t, err, "is not in a sample")
	err = ReadPerfScript(strings.NewReader("12x.5: \n"), func(PerfSample) {})
	assert.ErrorContains(t, err, "sample time")
}

func TestProfileRoundsAttributesSamplesToTheirRound(t *testing.T) {
	start := time.Unix(1795289800, 0).UTC()
	rep := &bench.Report{Rounds: []*bench.RoundResult{
		{Name: "w1", Kind: bench.Write, Succeeded: 100, TPS: 10, Started: start, Finished: start.Add(12 * time.Second)},
		{Name: "q1", Kind: bench.Query, Succeeded: 100, TPS: 10, Started: start.Add(12 * time.Second), Finished: start.Add(24 * time.Second)},
	}}
	validate := "github.com/hyperledger/fabric/core/committer/txvalidator/v20.(*TxValidator).validateTx"
	var samples []PerfSample
	// 100 samples inside w1's window after a 1 s margin: 40 in validation,
	// 10 of P-256 assembly without a caller, 50 elsewhere
	for i := range 100 {
		s := PerfSample{Time: start.Add(time.Second + time.Duration(i)*50*time.Millisecond), Frames: []string{"runtime.mallocgc", "main.other"}}
		switch {
		case i < 40:
			s.Frames = []string{"crypto/ecdsa.Verify", validate}
		case i < 50:
			s.Frames = []string{"p256MulInternal"}
		}
		samples = append(samples, s)
	}
	// samples in the margin and in the query round are not w1's
	samples = append(samples,
		PerfSample{Time: start.Add(500 * time.Millisecond), Frames: []string{validate}},
		PerfSample{Time: start.Add(13 * time.Second), Frames: []string{validate}})

	profiles, err := ProfileRounds(rep, strings.NewReader(script(samples...)), 200, time.Second)
	require.NoError(t, err)
	require.Len(t, profiles, 1, "only write rounds are profiled")
	p := profiles[0]
	assert.Equal(t, "w1", p.Round)
	assert.Equal(t, 100, p.Samples)
	// 10 s window at 10 tx/s = 100 tx; a sample is 5 ms: 100 samples = 5 ms/tx
	assert.InDelta(t, 5.0, p.TotalMs, 1e-9)
	part := func(name string) float64 {
		for i, c := range PeerCosts {
			if c.Name == name {
				return p.PartsMs[i]
			}
		}
		t.Fatalf("no part %q", name)
		return 0
	}
	assert.InDelta(t, 2.0, part("validation (signatures, policies, read sets)"), 1e-9)
	assert.InDelta(t, 2.0, part("ECDSA verification (attributed)"), 1e-9)
	assert.InDelta(t, 0.5, part("P-256 assembly, caller lost"), 1e-9)
	assert.Zero(t, part("commit (blocks, state, private data store)"))

	var out bytes.Buffer
	require.NoError(t, WriteProfiles(&out, profiles))
	assert.Contains(t, out.String(), "w1")
	assert.Contains(t, out.String(), "5.00")
}
