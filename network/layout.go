package network

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
)

// An agency's folder. Every generated path is built here. The folder is
// also its clients' folder: connection.json, ca.pem, tlsca.pem and users/
// are what a client machine of the organisation needs, and the only part
// of it to copy there.
//
//	agency.json                     organisation, host and port base, reused on restart
//	connection.json                 gateway peer, TLS root, users (package gateway-client/profile)
//	ca.pem, tlsca.pem               the roots of the organisation's identities and TLS
//	orderingca.pem                  the root of its ordering organisation (orderer operators)
//	msp/                            the organisation's MSP as channel configuration knows it
//	ordering/msp/                   its ordering organisation's MSP (orderer operators)
//	users/<role>/msp/               a user's signing certificate and key
//	users/<role>/tls/               a user's TLS client certificate (administrators)
//	users/ordering-admin/msp/       the ordering organisation's administrator (orderer operators)
//	peers/<peer>/{msp,tls}/         a peer's identity and TLS certificate and keys
//	orderers/<name>/{msp,tls}/      an orderer's identity and TLS certificate and keys
//	ca/                             the Fabric CA server's home: its keys and secrets.json
//	nodes/<node-id>/                node configuration, data, pidfile and log
//	definition.json                 the organisation's public definition, for the others
//	known/<Org>.json                another agency's definition, accepted
//	known/<Org>/                    its MSP and consenter certificates, as configtxgen reads them
//	channels/                       genesis blocks (and configtx.yaml where made here)
//	chaincode/<channel>/<name>/     collection configs; chaincode/packages/: built packages
//	builders/govshare/bin/          the external chaincode builder

func (a *Agency) path(elem ...string) string {
	return filepath.Join(append([]string{a.opts.Dir}, elem...)...)
}

func joinPath(elem ...string) string { return filepath.Join(elem...) }

func (a *Agency) bin(name string) string { return filepath.Join(a.opts.FabricDir, "bin", name) }

func (a *Agency) caHome() string { return a.path("ca") }

func (a *Agency) mspDir() string { return a.path("msp") }

func (a *Agency) orderingMSPDir() string { return a.path("ordering", "msp") }

func (a *Agency) orderingCACertFile() string { return a.path("orderingca.pem") }

// caCertFile is the root of the organisation's identities; tlsCACertFile
// the root of its TLS certificates.
func (a *Agency) caCertFile() string    { return a.path("ca.pem") }
func (a *Agency) tlsCACertFile() string { return a.path("tlsca.pem") }

// UserMSPDir returns the MSP folder of the organisation's user with a role.
func (a *Agency) UserMSPDir(role string) string { return a.path("users", role, "msp") }

func (a *Agency) userTLSDir(role string) string { return a.path("users", role, "tls") }

func (a *Agency) nodeDir(id string) string { return a.path("nodes", id) }

// peerDataDir holds a peer's ledger and the chaincode programs its external
// builder builds.
func (a *Agency) peerDataDir(p *Peer) string { return filepath.Join(a.nodeDir(p.ID()), "data") }

func (a *Agency) channelsDir() string { return a.path("channels") }

// GenesisBlock returns where the agency keeps a channel's genesis block.
func (a *Agency) GenesisBlock(channel string) string { return a.path("channels", channel+".block") }

func (a *Agency) chaincodeDir(ch *Channel, cc *Chaincode) string {
	return a.path("chaincode", ch.Name, cc.Name)
}

func (a *Agency) builderDir() string { return a.path("builders", "govshare") }

// DefinitionFile returns the agency's own public definition.
func (a *Agency) DefinitionFile() string { return a.path("definition.json") }

func (a *Agency) knownFile(org string) string { return a.path("known", org+".json") }

func (a *Agency) knownDir(org string) string { return a.path("known", org) }

// tlsFiles names a node's or user's TLS certificate, key and CA root.
type tlsFiles struct{ Cert, Key, CA string }

func tlsIn(dir string) tlsFiles {
	return tlsFiles{Cert: filepath.Join(dir, "cert.pem"), Key: filepath.Join(dir, "key.pem"), CA: filepath.Join(dir, "ca.pem")}
}

func (a *Agency) peerTLS(p *Peer) tlsFiles { return tlsIn(a.path("peers", p.Name, "tls")) }

func (a *Agency) peerMSPDir(p *Peer) string { return a.path("peers", p.Name, "msp") }

func (a *Agency) ordererTLS(o *Orderer) tlsFiles { return tlsIn(a.path("orderers", o.Name, "tls")) }

func (a *Agency) ordererMSPDir(o *Orderer) string { return a.path("orderers", o.Name, "msp") }

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

// copyFile copies a file whole, as writeFile writes.
func copyFile(from, to string, perm os.FileMode) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return fmt.Errorf("read %s: %w", from, err)
	}
	return writeFile(to, data, perm)
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
