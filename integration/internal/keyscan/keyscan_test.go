package keyscan

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

// fakeAgency writes an agency folder: two roots, one user certificate with
// its key, and secrets.json. It returns the user's key in PEM.
func fakeAgency(t *testing.T, dir, secret string) []byte {
	t.Helper()
	root := func(cn string) (*x509.Certificate, *ecdsa.PrivateKey, []byte) {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		require.NoError(t, err)
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: cn}, NotBefore: time.Now().Add(-time.Hour),
			NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
		require.NoError(t, err)
		cert, err := x509.ParseCertificate(der)
		require.NoError(t, err)
		return cert, key, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	}
	ca, caKey, caPEM := root("ca")
	_, _, tlsPEM := root("tlsca")
	userKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "user"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &userKey.PublicKey, caKey)
	require.NoError(t, err)
	keyDER, err := x509.MarshalPKCS8PrivateKey(userKey)
	require.NoError(t, err)
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
	for path, data := range map[string][]byte{
		"ca.pem": caPEM, "tlsca.pem": tlsPEM,
		"users/clerk/msp/signcerts/cert.pem": pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		"users/clerk/msp/keystore/key.pem":   keyPEM,
		"ca/secrets.json":                    []byte(`{"clerk":"` + secret + `"}`),
	} {
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, path)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, path), data, 0o600))
	}
	return keyPEM
}

func TestScanFindsForeignKeysAndSecrets(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	aKey := fakeAgency(t, a, "secret-of-a-0123456789")
	fakeAgency(t, b, "secret-of-b-0123456789")
	agencies := map[string]string{"A": a, "B": b}

	res, err := Scan(agencies)
	require.NoError(t, err)
	assert.Empty(t, res.Findings, "each agency holds only its own key and secrets")
	assert.Equal(t, 2, res.PrivateKeys)
	assert.Equal(t, 2, res.Secrets)

	// B obtains A's key and A's secret.
	require.NoError(t, os.WriteFile(filepath.Join(b, "stolen-key.pem"), aKey, 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(b, "notes.txt"), []byte("a's clerk: secret-of-a-0123456789"), 0o600))
	res, err = Scan(agencies)
	require.NoError(t, err)
	stolen := filepath.Join(b, "stolen-key.pem")
	assert.Equal(t, []Finding{
		{"B", stolen, "a private key that A's folder holds too"},
		{"B", stolen, "a private key that no certificate of the agency's own CAs names"},
		{"B", filepath.Join(b, "notes.txt"), "the enrollment secret of A's clerk"},
	}, res.Findings)
}
