package network

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	govclient "github.com/govshare/govshare/gateway-client"
	"github.com/govshare/govshare/network/profile"
)

// writeClientProfiles writes each organisation's connection.json.
func (n *Network) writeClientProfiles() error {
	for _, org := range n.Spec.Organizations {
		peers := n.PeersOf(org)
		if len(peers) == 0 {
			continue // the orderer organisation has no gateway
		}
		dir := n.OrgDir(org)
		rel := func(path string) string {
			r, err := filepath.Rel(dir, path)
			if err != nil {
				return path
			}
			return r
		}
		p := &profile.Profile{
			Organization: org.Name,
			MSPID:        org.MSPID,
			Gateway:      profile.Endpoint{Name: peers[0].ID(), Address: peers[0].Address(), TLSRootCert: rel(peers[0].tls(n).CA)},
		}
		for _, ch := range n.Spec.ChannelsOf(org) {
			p.Channels = append(p.Channels, ch.Name)
		}
		for _, role := range org.Users() {
			msp := n.UserMSPDir(org, role)
			p.Users = append(p.Users, profile.User{
				Role:        role,
				Certificate: rel(filepath.Join(msp, "signcerts", "cert.pem")),
				PrivateKey:  rel(filepath.Join(msp, "keystore", "key.pem")),
			})
		}
		if err := p.Save(dir); err != nil {
			return fmt.Errorf("%s: %w", org.Name, err)
		}
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
		org, err := n.Spec.Organization(ch.Members[0])
		if err != nil {
			return 0, err
		}
		c, err := govclient.Open(n.OrgDir(org))
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
			got, err := admin.Evaluate(ctx, ch.Name, BaselineChaincode, "Get", "network-up")
			if err == nil && string(got) == "ok" {
				return nil
			}
			if _, err := admin.Submit(ctx, ch.Name, BaselineChaincode, "Put", "network-up", "ok"); err != nil {
				return fmt.Errorf("baseline Put on %s: %w", ch.Name, err)
			}
			wrote = 1
			if got, err = admin.Evaluate(ctx, ch.Name, BaselineChaincode, "Get", "network-up"); err != nil {
				return fmt.Errorf("baseline Get on %s: %w", ch.Name, err)
			}
			if string(got) != "ok" {
				return fmt.Errorf("baseline Get on %s returned %q, want %q", ch.Name, got, "ok")
			}
			return nil
		})
		return wrote, err
	})
}
