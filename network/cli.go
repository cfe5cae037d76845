package network

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

// peerCLI runs the peer command as the agency's administrator, talking to
// one of the agency's peers. Lifecycle and channel commands go through it,
// as an organisation's operator would run them by hand.
func (a *Agency) peerCLI(ctx context.Context, p *Peer, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, a.bin("peer"), args...)
	cmd.Env = append(cmd.Environ(),
		"FABRIC_CFG_PATH="+a.nodeDir(p.ID()),
		"FABRIC_LOGGING_SPEC=warning",
		"CORE_PEER_ADDRESS="+p.Address(),
		"CORE_PEER_LOCALMSPID="+a.Org.MSPID,
		"CORE_PEER_MSPCONFIGPATH="+a.UserMSPDir(AdminRole),
		"CORE_PEER_TLS_ENABLED=true",
		"CORE_PEER_TLS_ROOTCERT_FILE="+a.peerTLS(p).CA,
	)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return out, fmt.Errorf("peer %s as %s admin at %s: %w: %s", strings.Join(args[:min(3, len(args))], " "), a.Org.Name, p.ID(), err, lastLines(stderr.String(), 4))
	}
	return out, nil
}

// ordererEndpoint is an orderer the agency can reach, with the TLS root of
// its organisation.
type ordererEndpoint struct {
	Name, Address, TLSRoot string
}

// ordererEndpoints lists every orderer of the consortium the agency knows
// of: its own first, then those of the definitions it accepted.
func (a *Agency) ordererEndpoints() []ordererEndpoint {
	var out []ordererEndpoint
	for _, o := range a.Orderers {
		out = append(out, ordererEndpoint{Name: o.ID(), Address: o.Address(), TLSRoot: a.tlsCACertFile()})
	}
	for _, org := range a.Known() {
		d, err := a.known(org.Name)
		if err != nil {
			continue
		}
		for _, o := range d.Orderers() {
			out = append(out, ordererEndpoint{Name: o.Host, Address: o.Address, TLSRoot: a.tlsRootOf(org)})
		}
	}
	return out
}

// withOrderer runs f with the peer CLI flags that name an orderer, trying
// the next orderer after a failure, so that a step needing the ordering
// service goes on while one orderer's host is down.
func (a *Agency) withOrderer(ctx context.Context, f func(orderer []string) error) error {
	endpoints := a.ordererEndpoints()
	if len(endpoints) == 0 {
		return fmt.Errorf("%s knows no orderer: accept the definitions of the organisations that run them", a.Org.Name)
	}
	var errs []error
	for _, e := range endpoints {
		err := f([]string{"-o", e.Address, "--ordererTLSHostnameOverride", e.Name, "--tls", "--cafile", e.TLSRoot})
		if err == nil {
			return nil
		}
		errs = append(errs, err)
		if ctx.Err() != nil {
			break
		}
	}
	return errors.Join(errs...)
}

// osnadmin runs osnadmin against one of the agency's orderers' channel
// participation API, with the agency administrator's TLS client
// certificate: only the orderer's own organisation administers it.
func (a *Agency) osnadmin(ctx context.Context, o *Orderer, args ...string) ([]byte, error) {
	tls := tlsIn(a.userTLSDir(AdminRole))
	args = append(args, "-o", o.AdminAddress(), "--ca-file", a.ordererTLS(o).CA, "--client-cert", tls.Cert, "--client-key", tls.Key)
	out, err := exec.CommandContext(ctx, a.bin("osnadmin"), args...).CombinedOutput()
	if err != nil {
		return out, fmt.Errorf("osnadmin %s at %s: %w: %s", strings.Join(args[:2], " "), o.ID(), err, lastLines(string(out), 4))
	}
	return out, nil
}

// retry calls f until it succeeds, ctx ends or timeout passes, waiting a
// little longer after each failure. It is for steps that fail while the
// network settles, such as the first transaction before a Raft leader exists.
func retry(ctx context.Context, timeout time.Duration, f func() error) error {
	deadline := time.Now().Add(timeout)
	wait := 250 * time.Millisecond
	for {
		err := f()
		if err == nil {
			return nil
		}
		if time.Now().Add(wait).After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (last error: %v)", ctx.Err(), err)
		case <-time.After(wait):
		}
		wait = min(wait*2, 2*time.Second)
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
