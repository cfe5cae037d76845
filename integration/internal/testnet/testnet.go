// Package testnet brings up the one network a package of integration tests
// runs against, and takes it down after the tests, checking that no process
// it started is left; and opens the organisations' clients on it.
package testnet

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	govclient "github.com/govshare/govshare/gateway-client"
	"github.com/govshare/govshare/integration/internal/procs"
	"github.com/govshare/govshare/network"
)

// Config describes the network of a test package.
type Config struct {
	// Name names the package in the lines the run prints and in its
	// temporary state folder.
	Name string
	Spec *network.Spec
	// SourceDir is the repository root, relative to the test package.
	SourceDir string
	// FirstPort is where the search for a free port range starts; the
	// search starts at an offset from the PID, so that runs that start
	// together rarely try the same range first.
	FirstPort int
}

// FabricDir returns the folder of the Fabric binaries the tests use:
// GOVSHARE_FABRIC_DIR, by default sourceDir/.cache/fabric.
func FabricDir(sourceDir string) string {
	if dir := os.Getenv("GOVSHARE_FABRIC_DIR"); dir != "" {
		return dir
	}
	return filepath.Join(sourceDir, ".cache", "fabric")
}

// Main brings the network up in a temporary folder, on a port range it
// claims, calls use with it, runs the tests, takes the network down and
// checks that none of its processes is left. It returns the exit code.
// The Fabric binaries are in GOVSHARE_FABRIC_DIR (default
// SourceDir/.cache/fabric); GOVSHARE_KEEP_STATE keeps the state folder,
// which a failed run always keeps.
func Main(m *testing.M, cfg Config, use func(*network.Network)) int {
	fabricDir := FabricDir(cfg.SourceDir)
	state, err := os.MkdirTemp("", "govshare-"+cfg.Name+"-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "create state folder:", err)
		return 1
	}
	base, release, err := network.ClaimPortRange(cfg.FirstPort+(os.Getpid()%20)*100, cfg.Spec.PortCount())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer release()
	n, err := network.New(cfg.Spec, network.Options{
		StateDir: state, FabricDir: fabricDir, SourceDir: cfg.SourceDir, PortBase: base, Progress: os.Stdout,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "network:", err)
		return 1
	}
	use(n)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	fmt.Printf("%s: bringing a network up in %s on ports %d-%d\n", cfg.Name, state, base, base+n.PortCount()-1)
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
		fmt.Printf("%s: network down, none of its %d node processes or their chaincode processes is left\n", cfg.Name, len(pids))
	}
	if code == 0 && os.Getenv("GOVSHARE_KEEP_STATE") == "" {
		_ = os.RemoveAll(state)
	} else {
		fmt.Printf("%s: state kept in %s\n", cfg.Name, state)
	}
	return code
}

// Session opens a client of org on n, with the library's default options
// and opts, as govctl, the portal and govload open theirs, and a session
// as role; the client is closed at the test's end.
func Session(t testing.TB, n *network.Network, org, role string, opts ...govclient.Option) *govclient.Session {
	t.Helper()
	o, err := n.Spec.Organization(org)
	require.NoError(t, err)
	c, err := govclient.Open(n.OrgDir(o), opts...)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	s, err := c.As(role)
	require.NoError(t, err)
	return s
}
