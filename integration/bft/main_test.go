//go:build integration

package bft

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
	os.Exit(run(m))
}

// spec is the consortium under test: BFT unless GOVSHARE_CONSENSUS names
// another consensus type.
func spec() (*network.Spec, error) {
	consensus := network.BFT
	if name := os.Getenv("GOVSHARE_CONSENSUS"); name != "" {
		var err error
		if consensus, err = network.ParseConsensus(name); err != nil {
			return nil, fmt.Errorf("GOVSHARE_CONSENSUS: %w", err)
		}
	}
	if consensus == network.BFT {
		return network.Consortium(network.WithBFT()), nil
	}
	return network.Consortium(), nil
}

func run(m *testing.M) int {
	s, err := spec()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fabricDir := os.Getenv("GOVSHARE_FABRIC_DIR")
	if fabricDir == "" {
		fabricDir = filepath.Join("..", "..", ".cache", "fabric")
	}
	if state := os.Getenv("GOVSHARE_STATE"); state != "" {
		return runOn(m, s, fabricDir, state)
	}
	state, err := os.MkdirTemp("", "govshare-bft-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "create state folder:", err)
		return 1
	}
	// Start the search at an offset from the PID, away from the main
	// suite's start, so that runs that start together rarely meet.
	base, release, err := network.ClaimPortRange(23000+(os.Getpid()%20)*100, s.PortCount())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer release()
	n, err := network.New(s, network.Options{StateDir: state, FabricDir: fabricDir, SourceDir: filepath.Join("..", ".."), PortBase: base, Progress: os.Stdout})
	if err != nil {
		fmt.Fprintln(os.Stderr, "network:", err)
		return 1
	}
	testNetwork = n

	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	fmt.Printf("bft: bringing a %s network up in %s on ports %d-%d\n", s.Ordering.ConsensusType().Name(), state, base, base+n.PortCount()-1)
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
		fmt.Printf("bft: network down, none of its %d node processes or their chaincode processes is left\n", len(pids))
	}
	if code == 0 && os.Getenv("GOVSHARE_KEEP_STATE") == "" {
		_ = os.RemoveAll(state)
	} else {
		fmt.Printf("bft: state kept in %s\n", state)
	}
	return code
}

// runOn runs the tests against a network already running in state, made
// from the same description, and leaves it running.
func runOn(m *testing.M, s *network.Spec, fabricDir, state string) int {
	n, err := network.New(s, network.Options{StateDir: state, FabricDir: fabricDir, SourceDir: filepath.Join("..", "..")})
	if err != nil {
		fmt.Fprintln(os.Stderr, "network:", err)
		return 1
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	status, err := n.Status(ctx)
	if err != nil || !status.Running() {
		fmt.Fprintf(os.Stderr, "the network in %s is not running (%v): bring it up first\n", state, err)
		return 1
	}
	testNetwork = n
	fmt.Printf("bft: testing the running %s network in %s\n", s.Ordering.ConsensusType().Name(), state)
	return m.Run()
}
