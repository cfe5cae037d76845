package network

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// process is one long-running node: a Fabric binary started with its own
// folder, pidfile and log. It outlives the program that starts it; a later
// program finds it through the pidfile.
type process struct {
	// Name identifies the node in messages, e.g. "peer0.university-a.govshare.test".
	Name string
	// Binary is the absolute path of the program.
	Binary string
	Args   []string
	Env    []string
	// Dir holds the pidfile and the log and is the working directory.
	Dir string
	// Ports lists the ports the node listens on, by purpose, so that a port
	// already taken is named before the node starts.
	Ports []namedPort
	// HealthURL answers 200 once the node is ready.
	HealthURL string
}

type namedPort struct {
	Purpose string
	Address string
}

func (p *process) pidFile() string { return filepath.Join(p.Dir, "node.pid") }

// LogFile returns the node's log file.
func (p *process) LogFile() string { return filepath.Join(p.Dir, "node.log") }

// PID returns the PID of the running node, or 0 if it is not running. A
// pidfile whose process is gone, or is now some other program, is stale.
func (p *process) PID() int {
	data, err := os.ReadFile(p.pidFile())
	if err != nil {
		return 0
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil || pid <= 0 {
		return 0
	}
	if !isProgram(pid, p.Binary) {
		return 0
	}
	// The same program may run for another network (all share the Fabric
	// binaries): the node is the one whose working folder is its own.
	if cwd, err := os.Readlink(fmt.Sprintf("/proc/%d/cwd", pid)); err != nil || cwd != p.Dir {
		return 0
	}
	return pid
}

// isProgram reports whether pid is alive and runs the program at path.
func isProgram(pid int, path string) bool {
	exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid))
	if err != nil {
		return false
	}
	// A zombie has exited; it only waits for its parent to reap it.
	return alive(pid) && strings.TrimSuffix(exe, " (deleted)") == path
}

// Start launches the node in its own process group, detached from the
// caller, appending its output to its log, and waits until its health
// endpoint answers. A node already running is left alone.
func (p *process) Start(ctx context.Context) (pid int, started bool, err error) {
	if pid := p.PID(); pid != 0 {
		return pid, false, nil
	}
	if _, err := os.Stat(p.Binary); err != nil {
		return 0, false, fmt.Errorf("%s: program %s is missing (run `make fabric-bins`): %w", p.Name, p.Binary, err)
	}
	if err := p.checkPortsFree(ctx); err != nil {
		return 0, false, err
	}
	if err := os.MkdirAll(p.Dir, 0o755); err != nil {
		return 0, false, fmt.Errorf("%s: create node folder: %w", p.Name, err)
	}
	logFile, err := os.OpenFile(p.LogFile(), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return 0, false, fmt.Errorf("%s: open log: %w", p.Name, err)
	}
	defer logFile.Close()
	fmt.Fprintf(logFile, "\n==== govshare: starting %s at %s ====\n", p.Name, time.Now().UTC().Format(time.RFC3339))

	// exec.Command, not CommandContext: the node must outlive ctx and us.
	cmd := exec.Command(p.Binary, p.Args...)
	cmd.Dir = p.Dir
	cmd.Env = append(os.Environ(), p.Env...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return 0, false, fmt.Errorf("%s: start %s: %w", p.Name, p.Binary, err)
	}
	pid = cmd.Process.Pid
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	if err := writeFile(p.pidFile(), []byte(strconv.Itoa(pid)+"\n"), 0o644); err != nil {
		_ = cmd.Process.Kill()
		return 0, false, err
	}
	if err := p.waitHealthy(ctx, exited); err != nil {
		_ = cmd.Process.Kill()
		_ = os.Remove(p.pidFile())
		return 0, false, fmt.Errorf("%s did not start: %w\nlast lines of %s:\n%s", p.Name, err, p.LogFile(), tail(p.LogFile(), 15))
	}
	return pid, true, nil
}

// checkPortsFree refuses to start the node while one of its ports is
// taken, naming the port and its purpose. A port held by a node that was
// just stopped is waited for a few seconds: its last connections may still
// be closing.
func (p *process) checkPortsFree(ctx context.Context) error {
	deadline := time.Now().Add(5 * time.Second)
	for _, port := range p.Ports {
		for {
			l, err := net.Listen("tcp", port.Address)
			if err == nil {
				l.Close()
				break
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("%s: %s port %s is already in use by another program: %w", p.Name, port.Purpose, port.Address, err)
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("%s: waiting for %s port %s: %w", p.Name, port.Purpose, port.Address, ctx.Err())
			case <-time.After(100 * time.Millisecond):
			}
		}
	}
	return nil
}

// waitHealthy waits until the node's health endpoint answers and every one
// of its ports accepts connections: a peer's operations endpoint is up before
// its gRPC services are.
func (p *process) waitHealthy(ctx context.Context, exited <-chan error) error {
	if p.HealthURL == "" {
		return nil
	}
	// A peer opening a large ledger on a busy machine takes its time.
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	for {
		if healthy(ctx, p.HealthURL) == nil && p.listening() {
			return nil
		}
		select {
		case err := <-exited:
			return fmt.Errorf("it exited (%v)", err)
		case <-ctx.Done():
			return fmt.Errorf("no healthy answer from %s: %w", p.HealthURL, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func (p *process) listening() bool {
	for _, port := range p.Ports {
		conn, err := net.DialTimeout("tcp", port.Address, time.Second)
		if err != nil {
			return false
		}
		conn.Close()
	}
	return true
}

// healthy asks a Fabric operations endpoint whether the node is healthy.
func healthy(ctx context.Context, url string) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("health request: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("health check: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var body bytes.Buffer
		_, _ = body.ReadFrom(resp.Body)
		return fmt.Errorf("health check: %s: %s", resp.Status, strings.TrimSpace(body.String()))
	}
	return nil
}

// Stop sends SIGTERM to the node and, if it has not exited within grace,
// SIGKILL. Only the PID from the node's own pidfile, still running the
// node's program, is ever signalled.
func (p *process) Stop(ctx context.Context, grace time.Duration) error {
	pid := p.PID()
	if pid == 0 {
		_ = os.Remove(p.pidFile())
		return nil
	}
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("%s: stop PID %d: %w", p.Name, pid, err)
	}
	deadline := time.Now().Add(grace)
	for isProgram(pid, p.Binary) {
		if time.Now().After(deadline) {
			_ = syscall.Kill(pid, syscall.SIGKILL)
			deadline = time.Now().Add(grace)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s: waiting for PID %d to exit: %w", p.Name, pid, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
	_ = os.Remove(p.pidFile())
	return nil
}

// tail returns the last n lines of a file, for error messages.
func tail(path string, n int) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Sprintf("(no log: %v)", err)
	}
	return "  " + strings.ReplaceAll(lastLines(string(data), n), "\n", "\n  ")
}

// programsUnder returns the PIDs of live processes whose program lies in
// dir: the chaincode programs the peers launched from their build folders.
func programsUnder(dir string) []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	prefix := filepath.Clean(dir) + string(filepath.Separator)
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid))
		if err != nil || !strings.HasPrefix(exe, prefix) {
			continue
		}
		if isProgram(pid, strings.TrimSuffix(exe, " (deleted)")) {
			pids = append(pids, pid)
		}
	}
	return pids
}

// alive reports whether pid runs and has not exited.
func alive(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	fields := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
	return len(fields) > 0 && fields[0] != "Z"
}
