package network

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
)

// DefinitionFormat names the format of an organisation definition file.
// docs/organisation-definition.md documents it.
const DefinitionFormat = "govshare-organisation-definition/1"

// Definition is what an agency publishes about its organisation so that the
// others can put it in channel configuration and reach its nodes: only
// public material, never a key or a secret. An agency writes its own with
// [Agency.Definition]; the others inspect it ([Definition.Describe]) and
// accept it ([Agency.Accept]) before any channel is made from it.
type Definition struct {
	// Format is DefinitionFormat.
	Format string `json:"format"`
	// Name and MSPID are the organisation's names in the consortium's
	// description; Domain is the DNS suffix of its node names.
	Name   string `json:"name"`
	MSPID  string `json:"mspId"`
	Domain string `json:"domain"`
	// CACert is the PEM root certificate of the organisation's identities:
	// users, peers and orderers sign with certificates it issued.
	CACert string `json:"caCert"`
	// TLSCACert is the PEM root certificate of its nodes' TLS certificates.
	TLSCACert string `json:"tlsCaCert"`
	// NodeOUs names the organisational unit that marks each kind of
	// identity in a certificate the CA issued (Fabric's NodeOUs).
	NodeOUs NodeOUs `json:"nodeOUs"`
	// Peers are the organisation's peers; anchors are announced to the
	// other organisations on every channel.
	Peers []PeerEndpoint `json:"peers"`
	// Ordering is the organisation's ordering organisation, if it runs
	// orderers: they take part in channels under an MSP of their own (see
	// Organization.OrderingMSPID).
	Ordering *OrderingDefinition `json:"ordering,omitempty"`
}

// OrderingDefinition is an agency's ordering organisation.
type OrderingDefinition struct {
	// MSPID is the ordering organisation's MSP ID.
	MSPID string `json:"mspId"`
	// CACert is the PEM root certificate of its identities: its orderers
	// and its administrator. Their TLS certificates come from the
	// organisation's TLS CA.
	CACert string `json:"caCert"`
	// Orderers are its ordering nodes.
	Orderers []OrdererEndpoint `json:"orderers"`
}

// Orderers returns the organisation's ordering nodes, none if it runs none.
func (d *Definition) Orderers() []OrdererEndpoint {
	if d.Ordering == nil {
		return nil
	}
	return d.Ordering.Orderers
}

// NodeOUs are the organisational units of each identity kind.
type NodeOUs struct {
	Client  string `json:"client"`
	Peer    string `json:"peer"`
	Admin   string `json:"admin"`
	Orderer string `json:"orderer"`
}

// govshareNodeOUs are the units every govshare CA puts in its certificates
// (see nodeOUConfig).
var govshareNodeOUs = NodeOUs{Client: "client", Peer: "peer", Admin: "admin", Orderer: "orderer"}

// PeerEndpoint is one peer of an organisation, as the others reach it.
type PeerEndpoint struct {
	// Name is the peer's name in the description, e.g. "peer0".
	Name string `json:"name"`
	// Host is the name its TLS certificate carries, e.g.
	// "peer0.university-a.govshare.test".
	Host string `json:"host"`
	// Address is the host:port to dial.
	Address string `json:"address"`
	// Anchor says whether other organisations' peers learn of the
	// organisation's peers through it.
	Anchor bool `json:"anchor"`
}

// OrdererEndpoint is one ordering node of an organisation.
type OrdererEndpoint struct {
	Name    string `json:"name"`
	Host    string `json:"host"`
	Address string `json:"address"`
	// TLSCert is the node's TLS certificate (PEM): as a consenter it is both
	// the node's server and its client certificate.
	TLSCert string `json:"tlsCert"`
	// IdentityCert is the node's signing certificate (PEM), issued by the
	// ordering CA, with which it signs the blocks it cuts.
	IdentityCert string `json:"identityCert"`
}

// LoadDefinition reads and checks a definition file. Unknown fields are
// refused: a definition is read exactly as its author wrote it.
func LoadDefinition(path string) (*Definition, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read organisation definition: %w", err)
	}
	d, err := ParseDefinition(data)
	if err != nil {
		return nil, fmt.Errorf("organisation definition %s: %w", path, err)
	}
	return d, nil
}

// ParseDefinition decodes and checks a definition.
func ParseDefinition(data []byte) (*Definition, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var d Definition
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("decode: unexpected data after the definition")
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	return &d, nil
}

// Encode returns the definition as the indented JSON of its file.
func (d *Definition) Encode() ([]byte, error) {
	data, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode organisation definition: %w", err)
	}
	return append(data, '\n'), nil
}

// Fingerprint is the SHA-256 of the definition's encoding, in groups of four
// hexadecimal digits. Two administrators who read the same fingerprint to
// each other over a channel they trust (a phone call, a signed letter) know
// the file in between was not changed.
func (d *Definition) Fingerprint() string {
	data, err := d.Encode()
	if err != nil {
		return "(unencodable)"
	}
	return groupedHex(sha256.Sum256(data))
}

func groupedHex(sum [32]byte) string {
	h := hex.EncodeToString(sum[:])
	var groups []string
	for i := 0; i < len(h); i += 4 {
		groups = append(groups, h[i:i+4])
	}
	return strings.Join(groups, " ")
}

// certFingerprint is the SHA-256 of a PEM certificate's DER bytes.
func certFingerprint(pemCert string) string {
	block, _ := pem.Decode([]byte(pemCert))
	if block == nil {
		return "(no certificate)"
	}
	return groupedHex(sha256.Sum256(block.Bytes))
}

// Validate checks that the definition is complete and consistent: its CA
// certificates are CAs, every orderer certificate chains to the right root,
// every address is a host:port. It does not say whether the definition is
// the one the organisation's administrator published: compare Fingerprint.
func (d *Definition) Validate() error {
	if d.Format != DefinitionFormat {
		return fmt.Errorf("format %q is not %q", d.Format, DefinitionFormat)
	}
	if d.Name == "" || d.MSPID == "" || d.Domain == "" {
		return errors.New("name, mspId and domain are required")
	}
	if d.NodeOUs != govshareNodeOUs {
		return fmt.Errorf("nodeOUs must be %+v, as every govshare CA issues them", govshareNodeOUs)
	}
	if _, err := parseCACert("caCert", d.CACert); err != nil {
		return err
	}
	tlsCA, err := parseCACert("tlsCaCert", d.TLSCACert)
	if err != nil {
		return err
	}
	if len(d.Peers) == 0 && len(d.Orderers()) == 0 {
		return errors.New("the organisation runs no node")
	}
	var orderingCA *x509.Certificate
	if d.Ordering != nil {
		if d.Ordering.MSPID == "" || d.Ordering.MSPID == d.MSPID {
			return errors.New("ordering.mspId must name the ordering organisation's own MSP")
		}
		if orderingCA, err = parseCACert("ordering.caCert", d.Ordering.CACert); err != nil {
			return err
		}
		if len(d.Ordering.Orderers) == 0 {
			return errors.New("the ordering organisation runs no orderer")
		}
	}
	names := map[string]bool{}
	for _, p := range d.Peers {
		if err := checkEndpoint("peer", p.Name, p.Host, p.Address, names); err != nil {
			return err
		}
	}
	for _, o := range d.Orderers() {
		if err := checkEndpoint("orderer", o.Name, o.Host, o.Address, names); err != nil {
			return err
		}
		if err := checkIssued(fmt.Sprintf("orderer %s tlsCert", o.Name), o.TLSCert, tlsCA, ""); err != nil {
			return err
		}
		if err := checkIssued(fmt.Sprintf("orderer %s identityCert", o.Name), o.IdentityCert, orderingCA, d.NodeOUs.Orderer); err != nil {
			return err
		}
	}
	return nil
}

func checkEndpoint(kind, name, host, address string, seen map[string]bool) error {
	if name == "" || host == "" {
		return fmt.Errorf("a %s needs a name and a host", kind)
	}
	if seen[name] {
		return fmt.Errorf("node %s is listed twice", name)
	}
	seen[name] = true
	h, port, err := net.SplitHostPort(address)
	if err != nil || h == "" {
		return fmt.Errorf("%s %s: address %q is not host:port", kind, name, address)
	}
	if n, err := strconv.Atoi(port); err != nil || n <= 0 || n > 65535 {
		return fmt.Errorf("%s %s: address %q has no valid port", kind, name, address)
	}
	return nil
}

func parseCert(field, pemCert string) (*x509.Certificate, error) {
	block, rest := pem.Decode([]byte(pemCert))
	if block == nil || block.Type != "CERTIFICATE" || len(bytes.TrimSpace(rest)) > 0 {
		return nil, fmt.Errorf("%s must hold exactly one PEM certificate", field)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", field, err)
	}
	return cert, nil
}

func parseCACert(field, pemCert string) (*x509.Certificate, error) {
	cert, err := parseCert(field, pemCert)
	if err != nil {
		return nil, err
	}
	if !cert.IsCA {
		return nil, fmt.Errorf("%s is not a CA certificate", field)
	}
	return cert, nil
}

// checkIssued checks that pemCert was issued by root and, if ou is not
// empty, carries that organisational unit.
func checkIssued(field, pemCert string, root *x509.Certificate, ou string) error {
	cert, err := parseCert(field, pemCert)
	if err != nil {
		return err
	}
	roots := x509.NewCertPool()
	roots.AddCert(root)
	if _, err := cert.Verify(x509.VerifyOptions{Roots: roots, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err != nil {
		return fmt.Errorf("%s was not issued by the organisation's CA: %w", field, err)
	}
	if ou != "" && !slices.Contains(cert.Subject.OrganizationalUnit, ou) {
		return fmt.Errorf("%s does not carry the organisational unit %q", field, ou)
	}
	return nil
}

// CheckAgainst checks that the definition is of an organisation the
// consortium's description declares, with the nodes it declares.
func (d *Definition) CheckAgainst(spec *Spec) error {
	org, err := spec.Organization(d.Name)
	if err != nil {
		return err
	}
	if org.MSPID != d.MSPID || org.Domain != d.Domain {
		return fmt.Errorf("definition of %s names MSP %s and domain %s; the consortium declares %s and %s", d.Name, d.MSPID, d.Domain, org.MSPID, org.Domain)
	}
	var peers, orderers []string
	for _, p := range d.Peers {
		peers = append(peers, p.Name)
		if want := p.Name + "." + org.Domain; p.Host != want {
			return fmt.Errorf("definition of %s: peer %s has host %s, want %s", d.Name, p.Name, p.Host, want)
		}
	}
	if d.Ordering != nil && d.Ordering.MSPID != org.OrderingMSPID() {
		return fmt.Errorf("definition of %s names the ordering MSP %s; the consortium declares %s", d.Name, d.Ordering.MSPID, org.OrderingMSPID())
	}
	for _, o := range d.Orderers() {
		orderers = append(orderers, o.Name)
		if want := o.Name + "." + org.Domain; o.Host != want {
			return fmt.Errorf("definition of %s: orderer %s has host %s, want %s", d.Name, o.Name, o.Host, want)
		}
	}
	if !slices.Equal(peers, org.Peers) || !slices.Equal(orderers, org.Orderers) {
		return fmt.Errorf("definition of %s lists peers %v and orderers %v; the consortium declares peers %v and orderers %v", d.Name, peers, orderers, org.Peers, org.Orderers)
	}
	return nil
}

// Describe writes the definition for a person who decides whether to
// accept it: who, which roots (by fingerprint), which nodes where.
func (d *Definition) Describe(w io.Writer) {
	fmt.Fprintf(w, "organisation %s (%s), nodes under %s\n", d.Name, d.MSPID, d.Domain)
	fmt.Fprintf(w, "  definition fingerprint  %s\n", d.Fingerprint())
	fmt.Fprintf(w, "  identity CA             %s\n", describeCert(d.CACert))
	fmt.Fprintf(w, "  TLS CA                  %s\n", describeCert(d.TLSCACert))
	for _, p := range d.Peers {
		anchor := ""
		if p.Anchor {
			anchor = " (anchor)"
		}
		fmt.Fprintf(w, "  peer    %-10s %s at %s%s\n", p.Name, p.Host, p.Address, anchor)
	}
	if d.Ordering != nil {
		fmt.Fprintf(w, "  ordering MSP %s, CA %s\n", d.Ordering.MSPID, describeCert(d.Ordering.CACert))
	}
	for _, o := range d.Orderers() {
		fmt.Fprintf(w, "  orderer %-10s %s at %s\n", o.Name, o.Host, o.Address)
		fmt.Fprintf(w, "          TLS      %s\n", certFingerprint(o.TLSCert))
		fmt.Fprintf(w, "          identity %s\n", certFingerprint(o.IdentityCert))
	}
}

func describeCert(pemCert string) string {
	cert, err := parseCert("certificate", pemCert)
	if err != nil {
		return err.Error()
	}
	return fmt.Sprintf("%s, SHA-256 %s", cert.Subject.CommonName, certFingerprint(pemCert))
}
