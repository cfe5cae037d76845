//go:build integration

package faults

import (
	"os"
	"testing"

	"github.com/govshare/govshare/integration/internal/testnet"
	"github.com/govshare/govshare/network"
)

// testNetwork is the network every test in the package breaks and mends.
var testNetwork *network.Network

// TestMain brings up the consortium as a department runs it, on ports of
// its own, for every test, and takes it down at the end, checking that no
// process is left.
func TestMain(m *testing.M) {
	os.Exit(testnet.Main(m, testnet.Config{
		Name: "faults", Spec: network.Consortium(), SourceDir: "../..", FirstPort: 23000,
	}, func(n *network.Network) { testNetwork = n }))
}
