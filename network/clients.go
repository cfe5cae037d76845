package network

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	govclient "github.com/govshare/govshare/gateway-client"
	"github.com/govshare/govshare/gateway-client/profile"
)

// writeClientProfile writes the agency's connection.json: its first peer
// as the gateway, its channels, and each role's credentials, with paths
// relative to the agency's folder.
func (a *Agency) writeClientProfile() error {
	if len(a.Peers) == 0 {
		return nil // an organisation without peers has no gateway
	}
	dir := a.Dir()
	rel := func(path string) string {
		r, err := filepath.Rel(dir, path)
		if err != nil {
			return path
		}
		return r
	}
	gateway := a.Peers[0]
	p := &profile.Profile{
		Organization: a.Org.Name,
		MSPID:        a.Org.MSPID,
		Gateway:      profile.Endpoint{Name: gateway.ID(), Address: gateway.Address(), TLSRootCert: rel(a.peerTLS(gateway).CA)},
	}
	for _, ch := range a.Channels() {
		p.Channels = append(p.Channels, ch.Name)
	}
	for _, role := range a.Org.Users() {
		msp := a.UserMSPDir(role)
		p.Users = append(p.Users, profile.User{
			Role:        role,
			Certificate: rel(filepath.Join(msp, "signcerts", "cert.pem")),
			PrivateKey:  rel(filepath.Join(msp, "keystore", "key.pem")),
		})
	}
	if err := p.Save(dir); err != nil {
		return fmt.Errorf("%s: %w", a.Org.Name, err)
	}
	return nil
}

// checkBaseline reads a key through the baseline chaincode on every
// channel, as an administrator of the channel's first member, so that each
// channel's chaincode is launched and answers. On a new channel it first
// writes the key, endorsed under the channel's real policy; on a channel
// that has it, it writes nothing, so an up of a running network adds no
// block.
func (n *Network) checkBaseline(ctx context.Context) (written int, err error) {
	return forEach(n.Spec.Channels, func(ch *Channel) (int, error) {
		return n.agencyOfMember(ch).CheckBaseline(ctx, ch.Name)
	})
}

// CheckBaseline reads a key through the baseline chaincode on one of the
// agency's channels as its administrator, first writing it if the channel
// has none, and reports how many writes it made.
func (a *Agency) CheckBaseline(ctx context.Context, channel string) (int, error) {
	c, err := govclient.Open(a.Dir())
	if err != nil {
		return 0, err
	}
	defer c.Close()
	admin, err := c.As(AdminRole)
	if err != nil {
		return 0, err
	}
	wrote := 0
	err = retry(ctx, 60*time.Second, func() error {
		got, err := admin.Evaluate(ctx, channel, BaselineChaincode, "Get", "network-up")
		if err == nil && string(got) == "ok" {
			return nil
		}
		if _, err := admin.Submit(ctx, channel, BaselineChaincode, "Put", "network-up", "ok"); err != nil {
			return fmt.Errorf("baseline Put on %s: %w", channel, err)
		}
		wrote = 1
		if got, err = admin.Evaluate(ctx, channel, BaselineChaincode, "Get", "network-up"); err != nil {
			return fmt.Errorf("baseline Get on %s: %w", channel, err)
		}
		if string(got) != "ok" {
			return fmt.Errorf("baseline Get on %s returned %q, want %q", channel, got, "ok")
		}
		return nil
	})
	return wrote, err
}
