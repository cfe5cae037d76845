package network

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

// peerCLI runs the peer command as the administrator of peer's organisation,
// talking to peer. Lifecycle and channel commands go through it, as an
// organisation's operator would run them by hand.
func (n *Network) peerCLI(ctx context.Context, p *Peer, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, n.bin("peer"), args...)
	cmd.Env = append(cmd.Environ(),
		"FABRIC_CFG_PATH="+n.nodeDir(p.ID()),
		"FABRIC_LOGGING_SPEC=warning",
		"CORE_PEER_ADDRESS="+p.Address(),
		"CORE_PEER_LOCALMSPID="+p.Org.MSPID,
		"CORE_PEER_MSPCONFIGPATH="+n.UserMSPDir(p.Org, AdminRole),
		"CORE_PEER_TLS_ENABLED=true",
		"CORE_PEER_TLS_ROOTCERT_FILE="+p.tls(n).CA,
	)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return out, fmt.Errorf("peer %s as %s admin at %s: %w: %s", strings.Join(args[:min(3, len(args))], " "), p.Org.Name, p.ID(), err, lastLines(stderr.String(), 4))
	}
	return out, nil
}

// ordererArgs returns the peer CLI flags that name an orderer and its TLS root.
func (n *Network) ordererArgs() []string {
	o := n.Orderers[0]
	return []string{"-o", o.Address(), "--tls", "--cafile", o.tls(n).CA}
}

// osnadmin runs osnadmin against an orderer's channel participation API with
// the orderer organisation administrator's TLS client certificate.
func (n *Network) osnadmin(ctx context.Context, o *Orderer, args ...string) ([]byte, error) {
	tls := tlsIn(n.userTLSDir(o.Org, AdminRole))
	args = append(args, "-o", o.AdminAddress(), "--ca-file", o.tls(n).CA, "--client-cert", tls.Cert, "--client-key", tls.Key)
	out, err := exec.CommandContext(ctx, n.bin("osnadmin"), args...).CombinedOutput()
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
