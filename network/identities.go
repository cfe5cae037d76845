package network

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

// Each organisation's CA registers and enrolls every identity the
// organisation needs: its nodes (NodeOU "peer" or "orderer") with an identity
// certificate and a TLS certificate, and one user per role (NodeOU "client",
// or "admin" for the administrator) whose enrollment certificate carries the
// govshare.role attribute. Registration goes through fabric-ca-client, as an
// organisation's registrar would do it by hand.

// registrarName is the enrollment ID of each CA's bootstrap registrar. It
// must differ from every user's role and node's name, which are enrollment
// IDs too.
const registrarName = "ca-registrar"

// identity is one certificate holder that an organisation's CA enrolls.
type identity struct {
	Name   string   // enrollment ID
	Type   string   // Fabric CA identity type: peer, orderer, client or admin
	Role   string   // govshare.role attribute; empty for nodes
	MSPDir string   // where the identity certificate and key go
	TLSDir string   // where the TLS certificate and key go; empty for none
	Hosts  []string // host names and addresses for the certificates
}

func (n *Network) identities(org *Organization) []identity {
	var ids []identity
	for _, o := range n.Orderers {
		if o.Org == org {
			ids = append(ids, identity{Name: o.Name, Type: "orderer", MSPDir: o.mspDir(n),
				TLSDir: filepath.Dir(o.tls(n).Cert), Hosts: []string{o.ID(), o.Host, "localhost"}})
		}
	}
	for _, p := range n.PeersOf(org) {
		ids = append(ids, identity{Name: p.Name, Type: "peer", MSPDir: p.mspDir(n),
			TLSDir: filepath.Dir(p.tls(n).Cert), Hosts: []string{p.ID(), p.Host, "localhost"}})
	}
	for _, role := range org.Users() {
		id := identity{Name: role, Type: "client", Role: role, MSPDir: n.UserMSPDir(org, role)}
		if role == AdminRole {
			// Administrators also get a TLS client certificate: the orderers'
			// channel participation API requires mutual TLS.
			id.Type, id.TLSDir, id.Hosts = "admin", n.userTLSDir(org, role), []string{"localhost"}
		}
		ids = append(ids, id)
	}
	return ids
}

// secrets holds the enrollment secrets an organisation's CA has issued, so a
// half-finished enrollment can resume. It lives in the CA's home, mode 0600.
type secrets map[string]string

func (n *Network) loadSecrets(org *Organization) (secrets, error) {
	s := secrets{}
	data, err := os.ReadFile(filepath.Join(n.caHome(org), "secrets.json"))
	if errors.Is(err, os.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s CA secrets: %w", org.Name, err)
	}
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("read %s CA secrets: %w", org.Name, err)
	}
	return s, nil
}

// secretFor returns the secret of an enrollment ID, making and saving a new
// random one the first time.
func (n *Network) secretFor(org *Organization, s secrets, name string) (string, error) {
	if v, ok := s[name]; ok {
		return v, nil
	}
	buf := make([]byte, 16)
	if _, err := rand.Read(buf); err != nil {
		return "", fmt.Errorf("make a secret: %w", err)
	}
	s[name] = hex.EncodeToString(buf)
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return "", fmt.Errorf("encode secrets: %w", err)
	}
	return s[name], writeFile(filepath.Join(n.caHome(org), "secrets.json"), data, 0o600)
}

// setUpOrganizations starts every organisation's CA and enrolls every
// identity that has no certificate yet, all organisations at once.
func (n *Network) setUpOrganizations(ctx context.Context) error {
	var wg sync.WaitGroup
	errs := make([]error, len(n.Spec.Organizations))
	for i, org := range n.Spec.Organizations {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := n.setUpOrganization(ctx, org); err != nil {
				errs[i] = fmt.Errorf("organisation %s: %w", org.Name, err)
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

func (n *Network) setUpOrganization(ctx context.Context, org *Organization) error {
	ca := n.CAOf(org)
	s, err := n.loadSecrets(org)
	if err != nil {
		return err
	}
	registrarSecret, err := n.secretFor(org, s, registrarName)
	if err != nil {
		return err
	}
	config := filepath.Join(n.caHome(org), "fabric-ca-server-config.yaml")
	if !fileExists(config) {
		data := map[string]any{"Org": org, "CA": ca, "Registrar": registrarName, "RegistrarSecret": registrarSecret}
		if err := renderFile("fabric-ca-server-config.yaml.tmpl", config, 0o600, data); err != nil {
			return err
		}
	}
	if _, _, err := n.caProcess(ca).Start(ctx); err != nil {
		return err
	}
	caCert := filepath.Join(n.caHome(org), "ca-cert.pem")
	registrarHome := filepath.Join(n.caHome(org), registrarName)
	if !fileExists(filepath.Join(registrarHome, "msp", "signcerts", "cert.pem")) {
		if err := n.enroll(ctx, ca, caCert, registrarHome, registrarName, registrarSecret, "", nil); err != nil {
			return err
		}
	}
	if err := n.writeOrgMSP(org, caCert); err != nil {
		return err
	}
	for _, id := range n.identities(org) {
		if err := n.enrollIdentity(ctx, ca, registrarHome, s, id); err != nil {
			return fmt.Errorf("identity %s: %w", id.Name, err)
		}
	}
	return nil
}

func (n *Network) enrollIdentity(ctx context.Context, ca *CA, registrarHome string, s secrets, id identity) error {
	caCert := n.caCertFile(ca.Org)
	needMSP := !fileExists(filepath.Join(id.MSPDir, "signcerts", "cert.pem"))
	needTLS := id.TLSDir != "" && !fileExists(filepath.Join(id.TLSDir, "cert.pem"))
	if !needMSP && !needTLS {
		return nil
	}
	secret, err := n.secretFor(ca.Org, s, id.Name)
	if err != nil {
		return err
	}
	{
		args := []string{"register", "-u", "https://" + ca.Address(),
			"--id.name", id.Name, "--id.type", id.Type, "--id.affiliation", ""}
		if id.Role != "" {
			args = append(args, "--id.attrs", RoleAttribute+"="+id.Role+":ecert")
		}
		// A second up after a half-finished one finds the identity registered
		// with the secret saved above: that is fine.
		if err := n.caClient(ctx, ca, caCert, registrarHome, []string{"FABRIC_CA_CLIENT_ID_SECRET=" + secret}, secret, args...); err != nil && !strings.Contains(err.Error(), "already registered") {
			return err
		}
	}
	work := filepath.Join(n.caHome(ca.Org), "enroll", id.Type+"-"+id.Name)
	if needMSP {
		if err := n.enroll(ctx, ca, caCert, work, id.Name, secret, "", id.Hosts); err != nil {
			return err
		}
		if err := n.installMSP(filepath.Join(work, "msp"), id.MSPDir, caCert); err != nil {
			return err
		}
	}
	if needTLS {
		if err := n.enroll(ctx, ca, caCert, work+"-tls", id.Name, secret, "tls", id.Hosts); err != nil {
			return err
		}
		if err := installTLS(filepath.Join(work+"-tls", "msp"), id.TLSDir, caCert); err != nil {
			return err
		}
	}
	return nil
}

// enroll asks the CA for a certificate of name into home/msp, with the TLS
// profile if profile is "tls".
func (n *Network) enroll(ctx context.Context, ca *CA, caCert, home, name, secret, profile string, hosts []string) error {
	_ = os.RemoveAll(home)
	// The secret goes in the environment, not in the arguments, which any
	// user of the machine can list.
	env := []string{"FABRIC_CA_CLIENT_URL=https://" + name + ":" + secret + "@" + ca.Address()}
	args := []string{"enroll", "-M", filepath.Join(home, "msp")}
	if profile != "" {
		args = append(args, "--enrollment.profile", profile)
	}
	if len(hosts) > 0 {
		args = append(args, "--csr.hosts", strings.Join(hosts, ","))
	}
	args = append(args, "--csr.names", "C=CN,O="+ca.Org.Name)
	return n.caClient(ctx, ca, caCert, home, env, secret, args...)
}

// caClient runs fabric-ca-client against ca with env added to its
// environment, keeping secret out of errors.
func (n *Network) caClient(ctx context.Context, ca *CA, caCert, home string, env []string, secret string, args ...string) error {
	args = append(args, "--home", home, "--tls.certfiles", caCert)
	cmd := exec.CommandContext(ctx, n.bin("fabric-ca-client"), args...)
	cmd.Env = append(cmd.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		msg := strings.ReplaceAll(lastLines(string(out), 5), secret, "****")
		return fmt.Errorf("fabric-ca-client %s at %s: %w: %s", args[0], ca.ID(), err, msg)
	}
	return nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// nodeOUConfig enables NodeOUs: the OU a CA puts in a certificate by
// identity type decides whether it is a client, peer, admin or orderer.
const nodeOUConfig = `NodeOUs:
  Enable: true
  ClientOUIdentifier:
    Certificate: cacerts/ca.pem
    OrganizationalUnitIdentifier: client
  PeerOUIdentifier:
    Certificate: cacerts/ca.pem
    OrganizationalUnitIdentifier: peer
  AdminOUIdentifier:
    Certificate: cacerts/ca.pem
    OrganizationalUnitIdentifier: admin
  OrdererOUIdentifier:
    Certificate: cacerts/ca.pem
    OrganizationalUnitIdentifier: orderer
`

// writeOrgMSP writes the organisation's MSP as channel configuration knows
// it: the CA root for identities and for TLS, and the NodeOU rules.
func (n *Network) writeOrgMSP(org *Organization, caCert string) error {
	pem, err := os.ReadFile(caCert)
	if err != nil {
		return fmt.Errorf("read CA certificate: %w", err)
	}
	dir := n.orgMSPDir(org)
	for path, data := range map[string][]byte{
		n.caCertFile(org):                          pem,
		filepath.Join(dir, "cacerts", "ca.pem"):    pem,
		filepath.Join(dir, "tlscacerts", "ca.pem"): pem,
		filepath.Join(dir, "config.yaml"):          []byte(nodeOUConfig),
	} {
		if err := writeFile(path, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// installMSP turns what fabric-ca-client wrote into a tidy local MSP folder:
// signcerts/cert.pem, keystore/key.pem, cacerts/ca.pem and config.yaml.
func (n *Network) installMSP(from, to, caCert string) error {
	cert, key, err := readEnrollment(from)
	if err != nil {
		return err
	}
	pem, err := os.ReadFile(caCert)
	if err != nil {
		return fmt.Errorf("read CA certificate: %w", err)
	}
	_ = os.RemoveAll(to)
	for _, f := range []struct {
		path string
		data []byte
		perm os.FileMode
	}{
		{filepath.Join(to, "keystore", "key.pem"), key, 0o600},
		{filepath.Join(to, "cacerts", "ca.pem"), pem, 0o644},
		{filepath.Join(to, "config.yaml"), []byte(nodeOUConfig), 0o644},
		// The certificate last: its presence marks the MSP complete.
		{filepath.Join(to, "signcerts", "cert.pem"), cert, 0o644},
	} {
		if err := writeFile(f.path, f.data, f.perm); err != nil {
			return err
		}
	}
	return nil
}

// installTLS writes a TLS enrollment as cert.pem, key.pem and ca.pem.
func installTLS(from, to, caCert string) error {
	cert, key, err := readEnrollment(from)
	if err != nil {
		return err
	}
	pem, err := os.ReadFile(caCert)
	if err != nil {
		return fmt.Errorf("read CA certificate: %w", err)
	}
	files := tlsIn(to)
	if err := writeFile(files.Key, key, 0o600); err != nil {
		return err
	}
	if err := writeFile(files.CA, pem, 0o644); err != nil {
		return err
	}
	return writeFile(files.Cert, cert, 0o644)
}

func readEnrollment(mspDir string) (cert, key []byte, err error) {
	cert, err = os.ReadFile(filepath.Join(mspDir, "signcerts", "cert.pem"))
	if err != nil {
		return nil, nil, fmt.Errorf("read enrolled certificate: %w", err)
	}
	keys, err := filepath.Glob(filepath.Join(mspDir, "keystore", "*_sk"))
	if err != nil || len(keys) != 1 {
		return nil, nil, fmt.Errorf("expected one private key in %s, found %d", filepath.Join(mspDir, "keystore"), len(keys))
	}
	key, err = os.ReadFile(keys[0])
	if err != nil {
		return nil, nil, fmt.Errorf("read enrolled key: %w", err)
	}
	return cert, key, nil
}

func (n *Network) caProcess(ca *CA) *process {
	return &process{
		Name:   ca.ID(),
		Binary: n.bin("fabric-ca-server"),
		Args:   []string{"start", "--home", n.caHome(ca.Org)},
		Dir:    n.nodeDir(ca.ID()),
		Ports: []namedPort{
			{"API", ca.Address()},
			{"operations", joinHostPort(ca.Host, ca.OperationsPort)},
		},
		HealthURL: "http://" + joinHostPort(ca.Host, ca.OperationsPort) + "/healthz",
	}
}
