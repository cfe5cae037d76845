//go:build integration

package integration

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/govshare/govshare/integration/internal/procs"
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
	base, release, err := network.ClaimPortRange(21000+(os.Getpid()%20)*100, network.Consortium().PortCount())
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
	fmt.Printf("integration: bringing a network up in %s on ports %d-%d\n", state, base, base+n.PortCount()-1)
	code := 1
	if err := n.Up(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "network up:", err)
	} else {
		code = m.Run()
	}

	pids := procs.Started(state)
	if err := n.Down(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "network down:", err)
		code = 1
	}
	if left := procs.Leftovers(state, pids); len(left) > 0 {
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
