package network

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func sleepProcess(t *testing.T) *process {
	t.Helper()
	sleep, err := exec.LookPath("sleep")
	require.NoError(t, err)
	sleep, err = filepath.EvalSymlinks(sleep)
	require.NoError(t, err)
	return &process{Name: "sleeper", Binary: sleep, Args: []string{"60"}, Dir: t.TempDir()}
}

func TestProcessStartsDetachedAndStopsByPID(t *testing.T) {
	p := sleepProcess(t)
	ctx := context.Background()

	pid, started, err := p.Start(ctx)
	require.NoError(t, err)
	t.Cleanup(func() { _ = p.Stop(ctx, time.Second) })
	assert.True(t, started)
	assert.Equal(t, pid, p.PID(), "the pidfile names the running process")

	again, started, err := p.Start(ctx)
	require.NoError(t, err)
	assert.False(t, started, "a running node is left alone")
	assert.Equal(t, pid, again)

	require.NoError(t, p.Stop(ctx, time.Second))
	assert.Zero(t, p.PID())
	assert.NoFileExists(t, p.pidFile())
}

func TestProcessIgnoresAStalePidfile(t *testing.T) {
	p := sleepProcess(t)
	// PID 1 runs some other program: it must never be taken for the node.
	require.NoError(t, os.WriteFile(p.pidFile(), []byte("1\n"), 0o644))
	assert.Zero(t, p.PID())
	require.NoError(t, p.Stop(context.Background(), time.Second), "stopping a node that is not running is no error")
	assert.NoFileExists(t, p.pidFile())
}

func TestProcessNamesAPortInUse(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	p := sleepProcess(t)
	p.Ports = []namedPort{{"operations", l.Addr().String()}}

	_, _, err = p.Start(context.Background())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "operations port "+l.Addr().String()+" is already in use")
	assert.Zero(t, p.PID(), "nothing was started")
}

func TestProcessShowsTheLogOfANodeThatFailsToStart(t *testing.T) {
	sh, err := exec.LookPath("sh")
	require.NoError(t, err)
	sh, err = filepath.EvalSymlinks(sh)
	require.NoError(t, err)
	port := freePort(t)
	p := &process{Name: "broken", Binary: sh, Args: []string{"-c", "echo cannot open ledger; exit 3"}, Dir: t.TempDir(),
		HealthURL: "http://127.0.0.1:" + strconv.Itoa(port) + "/healthz"}

	_, _, err = p.Start(context.Background())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "broken did not start")
	assert.Contains(t, err.Error(), "cannot open ledger", "the error shows the tail of the node's log")
}

func TestProcessRefusesAMissingProgram(t *testing.T) {
	p := &process{Name: "peer0", Binary: filepath.Join(t.TempDir(), "peer"), Dir: t.TempDir()}
	_, _, err := p.Start(context.Background())
	assert.ErrorContains(t, err, "make fabric-bins")
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func TestProcessIsNotTakenForTheSameProgramRunningElsewhere(t *testing.T) {
	p := sleepProcess(t)
	ctx := context.Background()
	pid, _, err := p.Start(ctx)
	require.NoError(t, err)
	t.Cleanup(func() { _ = p.Stop(ctx, time.Second) })

	// Another network's node: same program, its own folder, and a pidfile
	// that (after a reboot, say) names our process.
	other := sleepProcess(t)
	require.NoError(t, os.WriteFile(other.pidFile(), []byte(strconv.Itoa(pid)+"\n"), 0o644))
	assert.Zero(t, other.PID(), "a process working in another folder is not this node")
	require.NoError(t, other.Stop(ctx, time.Second))
	assert.Equal(t, pid, p.PID(), "stopping the other node left ours alone")
}
