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
)

// Each agency's Fabric CA server registers and enrolls every identity the
// organisation needs: its nodes (NodeOU "peer" or "orderer") with an identity
// certificate from its identity CA and a TLS certificate from its TLS CA, and
// one user per role (NodeOU "client", or "admin" for the administrator) whose
// enrollment certificate carries the govshare.role attribute. Registration
// goes through fabric-ca-client, as an organisation's registrar would do it
// by hand. Every key is made on the agency's host and stays in its folder.

// registrarName is the enrollment ID of each CA's bootstrap registrar. It
// must differ from every user's role and node's name, which are enrollment
// IDs too.
const registrarName = "ca-registrar"

// identity is one certificate holder that an organisation's CA enrolls.
type identity struct {
	Name   string   // enrollment ID
	CA     string   // the CA that issues its identity certificate: "" for the identity CA
	Type   string   // Fabric CA identity type: peer, orderer, client or admin
	Role   string   // govshare.role attribute; empty for nodes
	MSPDir string   // where the identity certificate and key go
	TLSDir string   // where the TLS certificate and key go; empty for none
	Hosts  []string // host names and addresses for the certificates
}

func (a *Agency) identities() []identity {
	var ids []identity
	for _, o := range a.Orderers {
		ids = append(ids, identity{Name: o.Name, CA: a.orderingCAName(), Type: "orderer", MSPDir: a.ordererMSPDir(o),
			TLSDir: filepath.Dir(a.ordererTLS(o).Cert), Hosts: []string{o.ID(), o.Host, "localhost"}})
	}
	if len(a.Orderers) > 0 {
		// The ordering organisation's administrator signs changes of the
		// channels' ordering configuration.
		ids = append(ids, identity{Name: orderingAdmin, CA: a.orderingCAName(), Type: "admin", MSPDir: a.UserMSPDir(orderingAdmin)})
	}
	for _, p := range a.Peers {
		ids = append(ids, identity{Name: p.Name, Type: "peer", MSPDir: a.peerMSPDir(p),
			TLSDir: filepath.Dir(a.peerTLS(p).Cert), Hosts: []string{p.ID(), p.Host, "localhost"}})
	}
	for _, role := range a.Org.Users() {
		id := identity{Name: role, Type: "client", Role: role, MSPDir: a.UserMSPDir(role)}
		if role == AdminRole {
			// Administrators also get a TLS client certificate: the orderers'
			// channel participation API requires mutual TLS.
			id.Type, id.TLSDir, id.Hosts = "admin", a.userTLSDir(role), []string{"localhost"}
		}
		ids = append(ids, id)
	}
	return ids
}

// secrets holds the enrollment secrets an organisation's CA has issued, so a
// half-finished enrollment can resume. It lives in the CA's home, mode 0600.
type secrets map[string]string

// secretsFile is where an agency keeps its enrollment secrets.
func (a *Agency) secretsFile() string { return filepath.Join(a.caHome(), "secrets.json") }

func (a *Agency) loadSecrets() (secrets, error) {
	s := secrets{}
	data, err := os.ReadFile(a.secretsFile())
	if errors.Is(err, os.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s CA secrets: %w", a.Org.Name, err)
	}
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("read %s CA secrets: %w", a.Org.Name, err)
	}
	return s, nil
}

// secretFor returns the secret of an enrollment ID, making and saving a new
// random one the first time.
func (a *Agency) secretFor(s secrets, name string) (string, error) {
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
	return s[name], writeFile(a.secretsFile(), data, 0o600)
}

// orderingAdmin is the enrollment ID, and the users/ folder, of the
// ordering organisation's administrator.
const orderingAdmin = "ordering-admin"

// tlsCAName is the name of the organisation's TLS CA within its Fabric CA
// server; requests for TLS certificates name it. orderingCAName names its
// ordering CA, which only organisations that run orderers have.
func (a *Agency) tlsCAName() string      { return "tlsca-" + a.Org.Name }
func (a *Agency) orderingCAName() string { return "orderingca-" + a.Org.Name }

// additionalCA is a CA the agency's Fabric CA server holds beside its
// identity CA: its folder in the CA's home, its name, and what it is for.
type additionalCA struct {
	Folder, Name, CommonName, Unit, Purpose string
}

func (a *Agency) additionalCAs() []additionalCA {
	cas := []additionalCA{{Folder: "tlsca", Name: a.tlsCAName(), CommonName: "tlsca." + a.Org.Domain, Unit: "govshare-tls",
		Purpose: "it issues only TLS certificates"}}
	if len(a.Orderers) > 0 {
		cas = append(cas, additionalCA{Folder: "orderingca", Name: a.orderingCAName(), CommonName: "orderingca." + a.Org.Domain,
			Unit: "govshare-ordering", Purpose: "it issues the identities of its ordering organisation " + a.Org.OrderingMSPID()})
	}
	return cas
}

// setUpIdentities starts the agency's CA server and enrolls every identity
// that has no certificate yet. The registrar enrolls with both CAs.
func (a *Agency) setUpIdentities(ctx context.Context) error {
	s, err := a.loadSecrets()
	if err != nil {
		return err
	}
	registrarSecret, err := a.secretFor(s, registrarName)
	if err != nil {
		return err
	}
	additional := a.additionalCAs()
	var folders []string
	for _, ca := range additional {
		folders = append(folders, ca.Folder)
	}
	server := filepath.Join(a.caHome(), "fabric-ca-server-config.yaml")
	if !fileExists(server) {
		data := map[string]any{"Org": a.Org, "CA": a.CA, "Registrar": registrarName, "RegistrarSecret": registrarSecret, "AdditionalCAs": folders}
		if err := renderFile("fabric-ca-server-config.yaml.tmpl", server, 0o600, data); err != nil {
			return err
		}
	}
	for _, ca := range additional {
		path := filepath.Join(a.caHome(), ca.Folder, "fabric-ca-server-config.yaml")
		if !fileExists(path) {
			data := map[string]any{"Org": a.Org, "Name": ca.Name, "CommonName": ca.CommonName, "Unit": ca.Unit, "Purpose": ca.Purpose,
				"Registrar": registrarName, "RegistrarSecret": registrarSecret}
			if err := renderFile("fabric-ca-additional-config.yaml.tmpl", path, 0o600, data); err != nil {
				return err
			}
		}
	}
	if _, _, err := a.caProcess().Start(ctx); err != nil {
		return err
	}
	serverTLS := filepath.Join(a.caHome(), "ca-cert.pem") // the root that signed the CA server's HTTPS certificate
	registrar := a.registrar()
	caNames := []string{""}
	for _, ca := range additional {
		caNames = append(caNames, ca.Name)
	}
	for _, caName := range caNames {
		home := registrar.home(caName)
		if !fileExists(filepath.Join(home, "msp", "signcerts", "cert.pem")) {
			if err := a.enroll(ctx, serverTLS, home, caName, registrarName, registrarSecret, "", nil); err != nil {
				return err
			}
		}
	}
	if err := a.writeOrgMSP(); err != nil {
		return err
	}
	for _, id := range a.identities() {
		if err := a.enrollIdentity(ctx, registrar, s, id); err != nil {
			return fmt.Errorf("identity %s: %w", id.Name, err)
		}
	}
	return nil
}

// registrarHomes are the fabric-ca-client homes of the CA's registrar, one
// per CA of the server.
type registrarHomes struct{ dir string }

func (a *Agency) registrar() registrarHomes {
	return registrarHomes{dir: filepath.Join(a.caHome(), registrarName)}
}

func (r registrarHomes) home(caName string) string {
	if caName == "" {
		return r.dir
	}
	return r.dir + "-" + caName
}

func (a *Agency) enrollIdentity(ctx context.Context, registrar registrarHomes, s secrets, id identity) error {
	serverTLS := filepath.Join(a.caHome(), "ca-cert.pem")
	needMSP := !fileExists(filepath.Join(id.MSPDir, "signcerts", "cert.pem"))
	needTLS := id.TLSDir != "" && !fileExists(filepath.Join(id.TLSDir, "cert.pem"))
	if !needMSP && !needTLS {
		return nil
	}
	secret, err := a.secretFor(s, id.Name)
	if err != nil {
		return err
	}
	register := func(caName string, attrs bool) error { // attrs: put the role in the certificate
		args := []string{"register", "-u", "https://" + a.CA.Address(),
			"--id.name", id.Name, "--id.type", id.Type, "--id.affiliation", ""}
		if caName != "" {
			args = append(args, "--caname", caName)
		}
		if attrs && id.Role != "" {
			args = append(args, "--id.attrs", RoleAttribute+"="+id.Role+":ecert")
		}
		// A second up after a half-finished one finds the identity registered
		// with the secret saved above: that is fine.
		err := a.caClient(ctx, serverTLS, registrar.home(caName), []string{"FABRIC_CA_CLIENT_ID_SECRET=" + secret}, secret, args...)
		if err != nil && !strings.Contains(err.Error(), "already registered") {
			return err
		}
		return nil
	}
	work := filepath.Join(a.caHome(), "enroll", id.Type+"-"+id.Name)
	if needMSP {
		if err := register(id.CA, true); err != nil {
			return err
		}
		if err := a.enroll(ctx, serverTLS, work, id.CA, id.Name, secret, "", id.Hosts); err != nil {
			return err
		}
		root := a.caCertFile()
		if id.CA == a.orderingCAName() {
			root = a.orderingCACertFile()
		}
		if err := installMSP(filepath.Join(work, "msp"), id.MSPDir, root); err != nil {
			return err
		}
	}
	if needTLS {
		if err := register(a.tlsCAName(), false); err != nil {
			return err
		}
		if err := a.enroll(ctx, serverTLS, work+"-tls", a.tlsCAName(), id.Name, secret, "tls", id.Hosts); err != nil {
			return err
		}
		if err := installTLS(filepath.Join(work+"-tls", "msp"), id.TLSDir, a.tlsCACertFile()); err != nil {
			return err
		}
	}
	return nil
}

// enroll asks the CA named caName ("" for the identity CA) for a
// certificate of name into home/msp, with the TLS profile if profile is
// "tls".
func (a *Agency) enroll(ctx context.Context, serverTLS, home, caName, name, secret, profile string, hosts []string) error {
	_ = os.RemoveAll(home)
	// The secret goes in the environment, not in the arguments, which any
	// user of the machine can list.
	env := []string{"FABRIC_CA_CLIENT_URL=https://" + name + ":" + secret + "@" + a.CA.Address()}
	args := []string{"enroll", "-M", filepath.Join(home, "msp")}
	if caName != "" {
		args = append(args, "--caname", caName)
	}
	if profile != "" {
		args = append(args, "--enrollment.profile", profile)
	}
	if len(hosts) > 0 {
		args = append(args, "--csr.hosts", strings.Join(hosts, ","))
	}
	args = append(args, "--csr.names", "C=CN,O="+a.Org.Name)
	return a.caClient(ctx, serverTLS, home, env, secret, args...)
}

// caClient runs fabric-ca-client against the agency's CA server with env
// added to its environment, keeping secret out of errors.
func (a *Agency) caClient(ctx context.Context, serverTLS, home string, env []string, secret string, args ...string) error {
	args = append(args, "--home", home, "--tls.certfiles", serverTLS)
	cmd := exec.CommandContext(ctx, a.bin("fabric-ca-client"), args...)
	cmd.Env = append(cmd.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		msg := strings.ReplaceAll(lastLines(string(out), 5), secret, "****")
		return fmt.Errorf("fabric-ca-client %s at %s: %w: %s", args[0], a.CA.ID(), err, msg)
	}
	return nil
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
// it (the identity CA root, the TLS CA root and the NodeOU rules), the
// ordering organisation's MSP where it runs orderers, and the roots at the
// top of the agency's folder, where clients find them.
func (a *Agency) writeOrgMSP() error {
	read := func(folder string) ([]byte, error) {
		data, err := os.ReadFile(filepath.Join(a.caHome(), folder, "ca-cert.pem"))
		if err != nil {
			return nil, fmt.Errorf("read CA certificate: %w", err)
		}
		return data, nil
	}
	ca, err := read("")
	if err != nil {
		return err
	}
	tlsCA, err := read("tlsca")
	if err != nil {
		return err
	}
	if err := writeMSP(a.mspDir(), ca, tlsCA, nil); err != nil {
		return err
	}
	if len(a.Orderers) > 0 {
		orderingCA, err := read("orderingca")
		if err != nil {
			return err
		}
		if err := writeMSP(a.orderingMSPDir(), orderingCA, tlsCA, nil); err != nil {
			return err
		}
		if err := writeFile(a.orderingCACertFile(), orderingCA, 0o644); err != nil {
			return err
		}
	}
	if err := writeFile(a.caCertFile(), ca, 0o644); err != nil {
		return err
	}
	return writeFile(a.tlsCACertFile(), tlsCA, 0o644)
}

// writeMSP writes an organisation MSP folder from its two roots, then runs
// also (if not nil).
func writeMSP(dir string, ca, tlsCA []byte, also func() error) error {
	for _, f := range []struct {
		path string
		data []byte
	}{
		{filepath.Join(dir, "cacerts", "ca.pem"), ca},
		{filepath.Join(dir, "tlscacerts", "ca.pem"), tlsCA},
		{filepath.Join(dir, "config.yaml"), []byte(nodeOUConfig)},
	} {
		if err := writeFile(f.path, f.data, 0o644); err != nil {
			return err
		}
	}
	if also != nil {
		return also()
	}
	return nil
}

// installMSP turns what fabric-ca-client wrote into a tidy local MSP folder:
// signcerts/cert.pem, keystore/key.pem, cacerts/ca.pem and config.yaml.
func installMSP(from, to, caCert string) error {
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

// installTLS writes a TLS enrollment as cert.pem, key.pem and ca.pem (the
// TLS CA's root).
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

func (a *Agency) caProcess() *process {
	ca := a.CA
	return &process{
		Name:   ca.ID(),
		Binary: a.bin("fabric-ca-server"),
		Args:   []string{"start", "--home", a.caHome()},
		Dir:    a.nodeDir(ca.ID()),
		Ports: []namedPort{
			{"API", ca.Address()},
			{"operations", joinHostPort(ca.Host, ca.OperationsPort)},
		},
		HealthURL: "http://" + joinHostPort(ca.Host, ca.OperationsPort) + "/healthz",
	}
}
