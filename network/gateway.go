package network

import (
	"context"
	"crypto/x509"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	gwidentity "github.com/hyperledger/fabric-gateway/pkg/identity"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"

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

// Connect opens a Fabric Gateway connection as the user with role in
// organisation org, through the organisation's gateway peer. Close the
// returned gateway, then the connection.
func (n *Network) Connect(org, role string) (*client.Gateway, *grpc.ClientConn, error) {
	o, err := n.Spec.Organization(org)
	if err != nil {
		return nil, nil, err
	}
	p, err := profile.Load(n.OrgDir(o))
	if err != nil {
		return nil, nil, err
	}
	return ConnectProfile(p, role)
}

// ConnectProfile opens a Fabric Gateway connection from a client profile.
func ConnectProfile(p *profile.Profile, role string) (*client.Gateway, *grpc.ClientConn, error) {
	user, err := p.User(role)
	if err != nil {
		return nil, nil, err
	}
	rootPEM, err := os.ReadFile(p.Path(p.Gateway.TLSRootCert))
	if err != nil {
		return nil, nil, fmt.Errorf("read gateway TLS root: %w", err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(rootPEM) {
		return nil, nil, fmt.Errorf("no certificate in %s", p.Gateway.TLSRootCert)
	}
	conn, err := grpc.NewClient("dns:///"+p.Gateway.Address,
		grpc.WithTransportCredentials(credentials.NewClientTLSFromCert(roots, p.Gateway.Name)))
	if err != nil {
		return nil, nil, fmt.Errorf("dial gateway %s: %w", p.Gateway.Address, err)
	}
	certPEM, err := os.ReadFile(user.Certificate)
	if err != nil {
		conn.Close()
		return nil, nil, fmt.Errorf("read %s certificate: %w", role, err)
	}
	cert, err := gwidentity.CertificateFromPEM(certPEM)
	if err != nil {
		conn.Close()
		return nil, nil, fmt.Errorf("parse %s certificate: %w", role, err)
	}
	id, err := gwidentity.NewX509Identity(p.MSPID, cert)
	if err != nil {
		conn.Close()
		return nil, nil, fmt.Errorf("make %s identity: %w", role, err)
	}
	keyPEM, err := os.ReadFile(user.PrivateKey)
	if err != nil {
		conn.Close()
		return nil, nil, fmt.Errorf("read %s key: %w", role, err)
	}
	key, err := gwidentity.PrivateKeyFromPEM(keyPEM)
	if err != nil {
		conn.Close()
		return nil, nil, fmt.Errorf("parse %s key: %w", role, err)
	}
	sign, err := gwidentity.NewPrivateKeySign(key)
	if err != nil {
		conn.Close()
		return nil, nil, fmt.Errorf("make %s signer: %w", role, err)
	}
	gw, err := client.Connect(id, client.WithSign(sign), client.WithClientConnection(conn),
		client.WithEvaluateTimeout(30*time.Second), client.WithEndorseTimeout(30*time.Second),
		client.WithSubmitTimeout(30*time.Second), client.WithCommitStatusTimeout(time.Minute))
	if err != nil {
		conn.Close()
		return nil, nil, fmt.Errorf("connect to gateway: %w", err)
	}
	return gw, conn, nil
}

// checkBaseline writes and reads a key through the baseline chaincode on
// every channel, as an administrator of the channel's first member, so that
// each channel's chaincode is launched and endorsed under its real policy.
func (n *Network) checkBaseline(ctx context.Context) error {
	_, err := forEach(n.Spec.Channels, func(ch *Channel) (int, error) {
		gw, conn, err := n.Connect(ch.Members[0], AdminRole)
		if err != nil {
			return 0, err
		}
		defer conn.Close()
		defer gw.Close()
		contract := gw.GetNetwork(ch.Name).GetContract(BaselineChaincode)
		return 0, retry(ctx, 60*time.Second, func() error {
			if _, err := contract.SubmitTransaction("Put", "network-up", "ok"); err != nil {
				return fmt.Errorf("baseline Put on %s: %w", ch.Name, err)
			}
			got, err := contract.EvaluateTransaction("Get", "network-up")
			if err != nil {
				return fmt.Errorf("baseline Get on %s: %w", ch.Name, err)
			}
			if string(got) != "ok" {
				return fmt.Errorf("baseline Get on %s returned %q, want %q", ch.Name, got, "ok")
			}
			return nil
		})
	})
	return err
}
