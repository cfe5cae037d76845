package network

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testCA issues certificates for definitions in tests.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pem  string
}

func newTestCA(t *testing.T, cn string) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: cn}, NotBefore: time.Now().Add(-time.Hour),
		NotAfter: time.Now().Add(24 * time.Hour), IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return &testCA{cert: cert, key: key, pem: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))}
}

// issue returns a PEM certificate for cn with organisational unit ou.
func (ca *testCA) issue(t *testing.T, cn, ou string) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: cn, OrganizationalUnit: []string{ou}},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	require.NoError(t, err)
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}

// oversightDefinition is a valid definition of the consortium's Oversight
// agency, which runs a peer and an orderer. It returns the ordering CA and
// the TLS CA.
func oversightDefinition(t *testing.T) (*Definition, *testCA, *testCA) {
	ca, tlsCA, orderingCA := newTestCA(t, "ca.oversight.govshare.test"), newTestCA(t, "tlsca.oversight.govshare.test"), newTestCA(t, "orderingca.oversight.govshare.test")
	d := &Definition{
		Format: DefinitionFormat, Name: "Oversight", MSPID: "OversightMSP", Domain: "oversight.govshare.test",
		CACert: ca.pem, TLSCACert: tlsCA.pem, NodeOUs: govshareNodeOUs,
		Peers: []PeerEndpoint{{Name: "peer0", Host: "peer0.oversight.govshare.test", Address: "10.88.1.8:7002", Anchor: true}},
		Ordering: &OrderingDefinition{MSPID: "OversightOrderingMSP", CACert: orderingCA.pem, Orderers: []OrdererEndpoint{{
			Name: "orderer0", Host: "orderer0.oversight.govshare.test", Address: "10.88.1.8:7005",
			TLSCert: tlsCA.issue(t, "orderer0", ""), IdentityCert: orderingCA.issue(t, "orderer0", "orderer")}}},
	}
	require.NoError(t, d.Validate())
	require.NoError(t, d.CheckAgainst(Consortium()))
	return d, orderingCA, tlsCA
}

func TestDefinitionValidateRefusesWhatAChannelCannotTrust(t *testing.T) {
	cases := []struct {
		name   string
		change func(d *Definition, orderingCA, tlsCA, stranger *testCA)
		want   string
	}{
		{"other format", func(d *Definition, _, _, _ *testCA) { d.Format = "x/2" }, "format"},
		{"no MSP ID", func(d *Definition, _, _, _ *testCA) { d.MSPID = "" }, "required"},
		{"CA that is no CA", func(d *Definition, _, tlsCA, _ *testCA) { d.CACert = tlsCA.issue(t, "leaf", "client") }, "not a CA certificate"},
		{"two certificates", func(d *Definition, ca, tlsCA, _ *testCA) { d.TLSCACert = tlsCA.pem + ca.pem }, "exactly one PEM certificate"},
		{"orderer TLS from another CA", func(d *Definition, _, _, stranger *testCA) {
			d.Ordering.Orderers[0].TLSCert = stranger.issue(t, "orderer0", "")
		}, "was not issued by the organisation's CA"},
		{"orderer identity from the identity CA, not the ordering CA", func(d *Definition, _, tlsCA, _ *testCA) {
			d.Ordering.Orderers[0].IdentityCert = tlsCA.issue(t, "orderer0", "orderer")
		}, "was not issued by the organisation's CA"},
		{"orderer identity without the orderer unit", func(d *Definition, orderingCA, _, _ *testCA) {
			d.Ordering.Orderers[0].IdentityCert = orderingCA.issue(t, "orderer0", "client")
		}, `organisational unit "orderer"`},
		{"ordering under the organisation's own MSP", func(d *Definition, _, _, _ *testCA) { d.Ordering.MSPID = d.MSPID }, "ordering.mspId"},
		{"address without a port", func(d *Definition, _, _, _ *testCA) { d.Peers[0].Address = "10.88.1.8" }, "not host:port"},
		{"node listed twice", func(d *Definition, _, _, _ *testCA) { d.Peers = append(d.Peers, d.Peers[0]) }, "listed twice"},
		{"other NodeOUs", func(d *Definition, _, _, _ *testCA) { d.NodeOUs.Admin = "boss" }, "nodeOUs"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, ca, tlsCA := oversightDefinition(t)
			tc.change(d, ca, tlsCA, newTestCA(t, "stranger"))
			assert.ErrorContains(t, d.Validate(), tc.want)
		})
	}
}

func TestDefinitionMustMatchTheDescription(t *testing.T) {
	cases := []struct {
		name   string
		change func(d *Definition)
		want   string
	}{
		{"unknown organisation", func(d *Definition) { d.Name = "Stranger" }, `no organisation "Stranger"`},
		{"other MSP", func(d *Definition) { d.MSPID = "OtherMSP" }, "the consortium declares"},
		{"an orderer the description does not declare", func(d *Definition) {
			d.Ordering.Orderers = append(d.Ordering.Orderers, d.Ordering.Orderers[0])
			d.Ordering.Orderers[1].Name, d.Ordering.Orderers[1].Host = "orderer1", "orderer1.oversight.govshare.test"
		}, "declares peers"},
		{"another ordering MSP", func(d *Definition) { d.Ordering.MSPID = "OrdererOrgMSP" }, "ordering MSP OrdererOrgMSP"},
		{"a peer under another name", func(d *Definition) { d.Peers[0].Host = "peer0.elsewhere.test" }, "want peer0.oversight.govshare.test"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, _, _ := oversightDefinition(t)
			tc.change(d)
			assert.ErrorContains(t, d.CheckAgainst(Consortium()), tc.want)
		})
	}
}

func TestDefinitionRoundTripsAndFingerprintFollowsContent(t *testing.T) {
	d, _, _ := oversightDefinition(t)
	data, err := d.Encode()
	require.NoError(t, err)
	back, err := ParseDefinition(data)
	require.NoError(t, err)
	assert.Equal(t, d, back)
	assert.Equal(t, d.Fingerprint(), back.Fingerprint())
	back.Peers[0].Address = "10.88.1.9:7002"
	assert.NotEqual(t, d.Fingerprint(), back.Fingerprint(), "a moved peer changes the fingerprint")

	_, err = ParseDefinition(append(data[:len(data)-2], []byte(`,"extra":1}`)...))
	assert.ErrorContains(t, err, "unknown field", "a definition is read exactly as written")
}

func TestAcceptRecordsADefinitionAndRefusesASilentChange(t *testing.T) {
	spec := Consortium()
	a, err := NewAgency(spec, AgencyOptions{Dir: t.TempDir(), Organization: "UniversityA", FabricDir: t.TempDir()})
	require.NoError(t, err)
	d, _, _ := oversightDefinition(t)

	require.NoError(t, a.Accept(d, false))
	assert.FileExists(t, filepath.Join(a.knownDir("Oversight"), "msp", "cacerts", "ca.pem"))
	assert.FileExists(t, filepath.Join(a.knownDir("Oversight"), "orderers", "orderer0", "identity-cert.pem"))
	assert.Equal(t, []string{"Oversight"}, names(a.Known()))
	require.NoError(t, a.Accept(d, false), "accepting the same definition again changes nothing")

	moved := *d
	moved.Peers = []PeerEndpoint{{Name: "peer0", Host: "peer0.oversight.govshare.test", Address: "10.88.1.99:7002", Anchor: true}}
	err = a.Accept(&moved, false)
	require.ErrorIs(t, err, ErrDefinitionChanged)
	kept, err := a.known("Oversight")
	require.NoError(t, err)
	assert.Equal(t, d.Fingerprint(), kept.Fingerprint(), "the refused definition replaced nothing")

	require.NoError(t, a.Accept(&moved, true), "an administrator who confirmed the change replaces it")
	kept, err = a.known("Oversight")
	require.NoError(t, err)
	assert.Equal(t, moved.Fingerprint(), kept.Fingerprint())

	self := *d
	self.Name, self.MSPID, self.Domain = "UniversityA", "UniversityAMSP", "university-a.govshare.test"
	self.Ordering = nil
	self.Peers[0].Host = "peer0.university-a.govshare.test"
	assert.ErrorContains(t, a.Accept(&self, false), "publishes its own")
}

func names(orgs []*Organization) []string {
	var out []string
	for _, o := range orgs {
		out = append(out, o.Name)
	}
	return out
}

func TestAgencyFolderIsBoundToItsOrganization(t *testing.T) {
	spec := Consortium()
	dir := t.TempDir()
	a, err := NewAgency(spec, AgencyOptions{Dir: dir, Organization: "UniversityA", FabricDir: t.TempDir(), Host: "10.88.1.2", PortBase: 7000})
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.NoError(t, a.saveAgencyFile())

	again, err := OpenAgency(spec, dir, t.TempDir(), "", nil)
	require.NoError(t, err)
	assert.Equal(t, "UniversityA", again.Org.Name)
	assert.Equal(t, "10.88.1.2:7002", again.Peers[0].Address(), "the saved host and ports are reused")

	_, err = NewAgency(spec, AgencyOptions{Dir: dir, Organization: "UniversityB", FabricDir: t.TempDir()})
	assert.ErrorContains(t, err, "is the folder of agency UniversityA")
	_, err = OpenAgency(spec, t.TempDir(), t.TempDir(), "", nil)
	assert.ErrorContains(t, err, "is not an agency folder")
}
