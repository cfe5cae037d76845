package bench

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseStatCPU(t *testing.T) {
	tests := []struct {
		name    string
		stat    string
		want    time.Duration
		wantErr string
	}{
		{
			name: "plain command",
			stat: "123 (peer) S 1 123 123 0 -1 4194560 100 0 0 0 250 130 0 0 20 0 12 0 500 0 0",
			want: 3800 * time.Millisecond,
		},
		{
			name: "command name with spaces and parentheses",
			stat: "9 (a (b) c) R 1 9 9 0 -1 0 0 0 0 0 7 3 0 0 20 0 1 0 1 0 0",
			want: 100 * time.Millisecond,
		},
		{name: "no command name", stat: "9 peer S 1", wantErr: "no command name"},
		{name: "too few fields", stat: "9 (peer) S 1 2 3", wantErr: "fields after the command name"},
		{name: "not a number", stat: "9 (peer) S 1 9 9 0 -1 0 0 0 0 0 x 3 0", wantErr: "field 14"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseStatCPU([]byte(tt.stat))
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestPerTransactionAndBusy(t *testing.T) {
	before := CPUSample{CPUPeer: 2 * time.Second, CPUOrderer: time.Second, CPUClient: 500 * time.Millisecond}
	after := CPUSample{CPUPeer: 4 * time.Second, CPUOrderer: 1500 * time.Millisecond, CPUChaincode: 200 * time.Millisecond, CPUClient: 300 * time.Millisecond}

	per := PerTransaction(before, after, 100)
	assert.InDelta(t, 20.0, per[CPUPeer], 1e-9)
	assert.InDelta(t, 5.0, per[CPUOrderer], 1e-9)
	assert.InDelta(t, 2.0, per[CPUChaincode], 1e-9)
	assert.Zero(t, per[CPUClient], "a component whose time went down (a restart) counts nothing")
	assert.Nil(t, PerTransaction(before, after, 0), "no success, no cost per transaction")

	// 2 s of peer, 0.5 s of orderer and 0.2 s of chaincode time in 1 s of
	// wall time; the client's negative difference counts nothing
	assert.InDelta(t, 2.7/float64(runtime.NumCPU()), Busy(before, after, time.Second), 1e-9)
	assert.Zero(t, Busy(before, after, 0))
}

// TestSampleCPUFindsProcessesUnderTheStateFolder starts a process whose
// working folder is a fake node folder and checks that it is counted as
// that node's component, and that this process is counted as the client.
func TestSampleCPUFindsProcessesUnderTheStateFolder(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("needs Linux /proc")
	}
	state := t.TempDir()
	node := filepath.Join(state, "nodes", "peer0")
	require.NoError(t, os.MkdirAll(node, 0o755))
	sleep, err := exec.LookPath("sleep")
	require.NoError(t, err)
	// a chaincode process is a program under the state folder, started
	// from anywhere
	data, err := os.ReadFile(sleep)
	require.NoError(t, err)
	program := filepath.Join(state, "builds", "chaincode")
	require.NoError(t, os.MkdirAll(filepath.Dir(program), 0o755))
	require.NoError(t, os.WriteFile(program, data, 0o755))
	chaincode := exec.Command(program, "30")
	chaincode.Dir = t.TempDir()
	require.NoError(t, chaincode.Start())
	t.Cleanup(func() { _ = chaincode.Process.Kill(); _ = chaincode.Wait() })
	// a process working in a node's folder whose program is not a Fabric
	// node is not counted
	cmd := exec.Command(sleep, "30")
	cmd.Dir = node
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })

	// spend some CPU in this process so that the client's time is visible
	deadline := time.Now().Add(30 * time.Millisecond)
	for time.Now().Before(deadline) {
	}
	sample, err := SampleCPU(state)
	require.NoError(t, err)
	assert.Positive(t, sample[CPUClient], "this process is the client")
	assert.Equal(t, CPUChaincode, networkComponent(chaincode.Process.Pid, state))
	assert.Equal(t, "", networkComponent(cmd.Process.Pid, filepath.Join(t.TempDir(), "elsewhere")), "a process outside the state folder is not the network's")
	// sleep is neither peer, orderer nor CA, and its program is outside
	// the state folder: it is not counted as any component
	assert.Equal(t, "", networkComponent(cmd.Process.Pid, state))
}
