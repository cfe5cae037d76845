package lan

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMain lets the test binary serve as the programs a test runs on a
// host: a TCP listener (GOVSHARE_LAN_LISTEN=address) or a dialer
// (GOVSHARE_LAN_DIAL=address, exit status 0 if it connected).
func TestMain(m *testing.M) {
	if addr := os.Getenv("GOVSHARE_LAN_LISTEN"); addr != "" {
		l, err := net.Listen("tcp", addr)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		for {
			conn, err := l.Accept()
			if err != nil {
				os.Exit(1)
			}
			conn.Close()
		}
	}
	if addr := os.Getenv("GOVSHARE_LAN_DIAL"); addr != "" {
		conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
		if err != nil {
			os.Exit(1)
		}
		conn.Close()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestHostsReachEachOtherUntilACableIsCut runs a TCP server on one host and
// dials it from another host and from the machine, before and after the
// server host's cable is cut.
func TestHostsReachEachOtherUntilACableIsCut(t *testing.T) {
	if err := Available(); err != nil {
		t.Skip(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	l, err := New(ctx, "a", "b")
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, l.Close(context.Background())) })
	a, err := l.Host("a")
	require.NoError(t, err)
	b, err := l.Host("b")
	require.NoError(t, err)
	assert.NotEqual(t, a.Address, b.Address)

	// This test binary, run on host a, listens on a's address.
	target := net.JoinHostPort(a.Address, "9000")
	server := a.Command(ctx, os.Args[0])
	server.Env = append(os.Environ(), "GOVSHARE_LAN_LISTEN="+target)
	require.NoError(t, server.Start())
	t.Cleanup(func() { _ = server.Process.Kill(); _ = server.Wait() })

	dialFromB := func() error {
		dial := b.Command(ctx, os.Args[0])
		dial.Env = append(os.Environ(), "GOVSHARE_LAN_DIAL="+target)
		return dial.Run()
	}
	dialFromMachine := func() error {
		conn, err := net.DialTimeout("tcp", target, 2*time.Second)
		if err == nil {
			conn.Close()
		}
		return err
	}
	require.Eventually(t, func() bool { return dialFromMachine() == nil }, 10*time.Second, 200*time.Millisecond, "the machine reaches host a")
	require.Eventually(t, func() bool { return dialFromB() == nil }, 10*time.Second, 200*time.Millisecond, "host b reaches host a")

	require.NoError(t, a.Cut(ctx))
	assert.Error(t, dialFromMachine(), "a cut host is unreachable")
	assert.Error(t, dialFromB())

	require.NoError(t, a.Restore(ctx))
	assert.Eventually(t, func() bool { return dialFromMachine() == nil }, 10*time.Second, 200*time.Millisecond, "a restored host answers again")
}

func TestCloseRemovesEveryNamespace(t *testing.T) {
	if err := Available(); err != nil {
		t.Skip(err)
	}
	ctx := context.Background()
	l, err := New(ctx, "x")
	require.NoError(t, err)
	namespaces := []string{l.Hosts[0].Namespace, l.switchNamespace()}
	require.NoError(t, l.Close(ctx))
	out, err := exec.Command("ip", "netns", "list").Output()
	require.NoError(t, err)
	for _, ns := range namespaces {
		assert.NotContains(t, strings.Fields(string(out)), ns)
	}
	assert.Error(t, exec.Command("ip", "link", "show", l.tag+"m").Run(), "the machine's end of the cable is gone")
}
