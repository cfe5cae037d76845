//go:build integration

package integration

import (
	"os"
	"testing"

	"github.com/govshare/govshare/integration/internal/testnet"
	"github.com/govshare/govshare/network"
)

// testNetwork is the network every test in the package runs against.
var testNetwork *network.Network

// TestMain brings up one network for every test, made for benchmarks: the
// consortium as a department runs it (baseline and the domain contract on
// each channel) plus the benchprobe chaincode the load tool's tests need.
// The security tests hold every chaincode deployed to the same rule.
func TestMain(m *testing.M) {
	os.Exit(testnet.Main(m, testnet.Config{
		Name: "integration", Spec: network.Consortium(network.WithBenchmarkProbes()), SourceDir: "..", FirstPort: 21000,
	}, func(n *network.Network) { testNetwork = n }))
}
