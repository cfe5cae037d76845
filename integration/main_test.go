//go:build integration

package integration

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/govshare/govshare/network"
)

// testNetwork is the network every test in the package runs against.
var testNetwork *network.Network

func TestMain(m *testing.M) {
	os.Exit(runWithNetwork(m))
}

func runWithNetwork(m *testing.M) int {
	fabricDir := os.Getenv("GOVSHARE_FABRIC_DIR")
	if fabricDir == "" {
		fabricDir = filepath.Join("..", ".cache", "fabric")
	}
	state, err := os.MkdirTemp("", "govshare-it-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "create state folder:", err)
		return 1
	}
	// Start the search at an offset from the PID, so that test runs that
	// start together rarely pick the same range.
	base, release, err := claimPortRange(21000+(os.Getpid()%20)*100, 60)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer release()
	// One network for every test, made for benchmarks: the consortium as a
	// department runs it (baseline and the domain contract on each
	// channel) plus the benchprobe chaincode the load tool's tests need.
	// The security tests hold every chaincode deployed to the same rule.
	n, err := network.New(network.Consortium(network.WithBenchmarkProbes()), network.Options{
		StateDir: state, FabricDir: fabricDir, SourceDir: "..", PortBase: base, Progress: os.Stdout,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "network:", err)
		return 1
	}
	testNetwork = n

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	fmt.Printf("integration: bringing a network up in %s on ports %d-%d\n", state, base, base+59)
	code := 1
	if err := n.Up(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "network up:", err)
	} else {
		code = m.Run()
	}

	pids := startedPIDs(state)
	if err := n.Down(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "network down:", err)
		code = 1
	}
	if left := leftovers(state, pids); len(left) > 0 {
		fmt.Fprintf(os.Stderr, "processes left after network down: %v\n", left)
		code = 1
	} else {
		fmt.Printf("integration: network down, none of its %d node processes or their chaincode processes is left\n", len(pids))
	}
	if code == 0 && os.Getenv("GOVSHARE_KEEP_STATE") == "" {
		_ = os.RemoveAll(state)
	} else {
		fmt.Printf("integration: state kept in %s\n", state)
	}
	return code
}

// claimPortRange finds count consecutive free ports from start upwards, so
// that the test network never meets a network a person is running, and
// claims them with a lock file, so that test runs started at the same time
// on one machine never pick the same range. release removes the claim.
func claimPortRange(start, count int) (base int, release func(), err error) {
	for base := start; base < start+5000; base += 100 {
		lock := filepath.Join(os.TempDir(), fmt.Sprintf("govshare-ports-%d.lock", base))
		if data, err := os.ReadFile(lock); err == nil {
			if pid, err := strconv.Atoi(strings.TrimSpace(string(data))); err == nil && alive(pid) {
				continue // another test run holds this range
			}
			_ = os.Remove(lock) // left by a run that is gone
		}
		f, err := os.OpenFile(lock, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
		if err != nil {
			continue
		}
		fmt.Fprintf(f, "%d\n", os.Getpid())
		f.Close()
		if !portsFree(base, count) {
			_ = os.Remove(lock)
			continue
		}
		return base, func() { _ = os.Remove(lock) }, nil
	}
	return 0, nil, fmt.Errorf("no %d free consecutive ports from %d", count, start)
}

func portsFree(base, count int) bool {
	for p := base; p < base+count; p++ {
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
		if err != nil {
			return false
		}
		l.Close()
	}
	return true
}

// startedPIDs reads every node pidfile in the state folder.
func startedPIDs(state string) []int {
	files, _ := filepath.Glob(filepath.Join(state, "nodes", "*", "node.pid"))
	var pids []int
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		if pid, err := strconv.Atoi(strings.TrimSpace(string(data))); err == nil {
			pids = append(pids, pid)
		}
	}
	return pids
}

// leftovers lists live processes that the network started: the recorded
// node PIDs, and any process whose program or configuration lies in the
// state folder (chaincode processes that peers launched).
func leftovers(state string, pids []int) []string {
	var left []string
	for _, pid := range pids {
		if alive(pid) {
			left = append(left, fmt.Sprintf("node PID %d", pid))
		}
	}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || !alive(pid) {
			continue
		}
		exe, _ := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid))
		environ, _ := os.ReadFile(fmt.Sprintf("/proc/%d/environ", pid))
		if strings.HasPrefix(exe, state) || strings.Contains(string(environ), "FABRIC_CFG_PATH="+state) {
			left = append(left, fmt.Sprintf("PID %d (%s)", pid, exe))
		}
	}
	return left
}

// alive reports whether pid runs and is not a zombie.
func alive(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	i := strings.LastIndexByte(string(stat), ')')
	fields := strings.Fields(string(stat[i+1:]))
	return len(fields) > 0 && fields[0] != "Z"
}
