package network

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
)

// The state folder's layout. Every generated path is built here.
//
//	network.json                    host and port base, reused on restart
//	ca/<Org>/                       the organisation's Fabric CA server home
//	organizations/<Org>/            what the organisation's clients need
//	    connection.json             gateway peer, TLS CA, users (see ClientProfile)
//	    ca.pem                      the CA's root: signs identities and TLS
//	    msp/                        the organisation's MSP for channel configuration
//	    users/<role>/msp/           a user's signing certificate and key
//	    users/<role>/tls/           a user's TLS client certificate (admins)
//	    peers/<peer>/{msp,tls}/     a peer's identity and TLS server certificate
//	    orderers/<name>/{msp,tls}/  an orderer's identity and TLS certificate
//	nodes/<node-id>/                node configuration, data, pidfile and log
//	channels/                       configtx.yaml and the genesis blocks
//	chaincode/<channel>/<name>/     built binary, package and collections
//	builders/govshare/bin/          the external chaincode builder

func (n *Network) path(elem ...string) string {
	return filepath.Join(append([]string{n.opts.StateDir}, elem...)...)
}

func (n *Network) bin(name string) string { return filepath.Join(n.opts.FabricDir, "bin", name) }

func (n *Network) caHome(org *Organization) string { return n.path("ca", org.Name) }

// OrgDir returns the organisation's client folder.
func (n *Network) OrgDir(org *Organization) string { return n.path("organizations", org.Name) }

func (n *Network) orgMSPDir(org *Organization) string { return filepath.Join(n.OrgDir(org), "msp") }

func (n *Network) caCertFile(org *Organization) string { return filepath.Join(n.OrgDir(org), "ca.pem") }

// UserMSPDir returns the MSP folder of the organisation's user with a role.
func (n *Network) UserMSPDir(org *Organization, role string) string {
	return filepath.Join(n.OrgDir(org), "users", role, "msp")
}

func (n *Network) userTLSDir(org *Organization, role string) string {
	return filepath.Join(n.OrgDir(org), "users", role, "tls")
}

func (n *Network) nodeIdentityDir(org *Organization, kind, name string) string {
	return filepath.Join(n.OrgDir(org), kind, name)
}

func (n *Network) nodeDir(id string) string { return n.path("nodes", id) }

// peerDataDir holds a peer's ledger and the chaincode programs its external
// builder builds.
func (n *Network) peerDataDir(p *Peer) string { return filepath.Join(n.nodeDir(p.ID()), "data") }

func (n *Network) channelsDir() string { return n.path("channels") }

func (n *Network) genesisBlock(ch *Channel) string { return n.path("channels", ch.Name+".block") }

func (n *Network) chaincodeDir(ch *Channel, cc *Chaincode) string {
	return n.path("chaincode", ch.Name, cc.Name)
}

func (n *Network) builderDir() string { return n.path("builders", "govshare") }

// tlsFiles names a node's or user's TLS certificate, key and CA root.
type tlsFiles struct{ Cert, Key, CA string }

func tlsIn(dir string) tlsFiles {
	return tlsFiles{Cert: filepath.Join(dir, "cert.pem"), Key: filepath.Join(dir, "key.pem"), CA: filepath.Join(dir, "ca.pem")}
}

func (p *Peer) tls(n *Network) tlsFiles {
	return tlsIn(filepath.Join(n.nodeIdentityDir(p.Org, "peers", p.Name), "tls"))
}

func (p *Peer) mspDir(n *Network) string {
	return filepath.Join(n.nodeIdentityDir(p.Org, "peers", p.Name), "msp")
}

func (o *Orderer) tls(n *Network) tlsFiles {
	return tlsIn(filepath.Join(n.nodeIdentityDir(o.Org, "orderers", o.Name), "tls"))
}

func (o *Orderer) mspDir(n *Network) string {
	return filepath.Join(n.nodeIdentityDir(o.Org, "orderers", o.Name), "msp")
}

func joinHostPort(host string, port int) string { return net.JoinHostPort(host, strconv.Itoa(port)) }

// writeFile writes a file whole or not at all: into a temporary file
// beside it, synced, then renamed over it. An interrupted up never leaves a
// truncated secrets.json or connection.json behind, and a client reading a
// profile never sees half of one.
func writeFile(path string, data []byte, perm os.FileMode) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create folder for %s: %w", path, err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing to remove
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// resolvePath makes path absolute and resolves the symbolic links of the
// part of it that exists, so that it compares equal to what /proc reports
// of a process's program and working folder.
func resolvePath(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	existing, rest := abs, ""
	for {
		if resolved, err := filepath.EvalSymlinks(existing); err == nil {
			return filepath.Join(resolved, rest), nil
		}
		parent := filepath.Dir(existing)
		if parent == existing {
			return abs, nil
		}
		rest = filepath.Join(filepath.Base(existing), rest)
		existing = parent
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
