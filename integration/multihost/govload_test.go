//go:build integration

package multihost

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/network"
)

// govloadArgs returns the arguments of `govload run` that
// GOVSHARE_GOVLOAD asks TestGovloadAcrossHosts to run with (for example
// "-duration 20s -workers 32"), or nil when it is not set: the measurement
// is made on demand, not in every run of the suite.
func govloadArgs() []string {
	args := strings.Fields(os.Getenv("GOVSHARE_GOVLOAD"))
	if len(args) == 0 {
		return nil
	}
	return args
}

// describeForBenchmarks writes the consortium's description with the
// benchmark probes (the blind write govload compares every write with),
// for every agency to bring its part up from.
func (d *deployment) describeForBenchmarks() error {
	d.spec = network.Consortium(network.WithBenchmarkProbes())
	data, err := network.EncodeSpec(d.spec)
	if err != nil {
		return fmt.Errorf("describe the consortium for benchmarks: %w", err)
	}
	path := filepath.Join(d.root, "descriptions", "benchmarks.json")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return err
	}
	d.description = path
	return nil
}

// TestGovloadAcrossHosts runs the load tool's default profile from the
// machine against the consortium spread over its hosts, with the arguments
// of GOVSHARE_GOVLOAD, to set beside the same run on the single-machine
// network (docs/operations.md, "One machine or several"). Every agency's
// folder lies under the deployment's root, as organizations/<name>: the
// layout govload reads a network from.
func TestGovloadAcrossHosts(t *testing.T) {
	args := govloadArgs()
	if args == nil {
		t.Skip("GOVSHARE_GOVLOAD is not set: no measurement asked for")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	govload := filepath.Join(consortium.root, "bin", "govload")
	build := exec.CommandContext(ctx, "go", "build", "-o", govload, "./bench/cmd/govload")
	build.Dir = consortium.source
	out, err := build.CombinedOutput()
	require.NoError(t, err, "build govload: %s", out)

	results := filepath.Join(consortium.root, "results")
	run := exec.CommandContext(ctx, govload, append([]string{"run", "-network", consortium.root, "-name", "multihost", "-out", results}, args...)...)
	out, err = run.CombinedOutput()
	t.Logf("govload run across hosts:\n%s", out)
	require.NoError(t, err)
}
