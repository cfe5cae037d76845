package profile

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSaveLoadResolvesPathsAgainstTheFolder(t *testing.T) {
	dir := t.TempDir()
	p := &Profile{
		Organization: "UniversityA", MSPID: "UniversityAMSP",
		Gateway:  Endpoint{Name: "peer0.university-a.govshare.test", Address: "127.0.0.1:27030", TLSRootCert: "ca.pem"},
		Channels: []string{"education-credit"},
		Users:    []User{{Role: "registrar", Certificate: "users/registrar/msp/signcerts/cert.pem", PrivateKey: "users/registrar/msp/keystore/key.pem"}},
	}
	require.NoError(t, p.Save(dir))

	moved := filepath.Join(t.TempDir(), "copied")
	require.NoError(t, os.Rename(dir, moved))
	loaded, err := Load(moved)
	require.NoError(t, err)
	u, err := loaded.User("registrar")
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(moved, "users/registrar/msp/signcerts/cert.pem"), u.Certificate, "a copied folder still works")
	assert.Equal(t, filepath.Join(moved, "ca.pem"), loaded.Path(loaded.Gateway.TLSRootCert))

	_, err = loaded.User("judge")
	assert.ErrorIs(t, err, ErrNoRole)
	assert.ErrorContains(t, err, "registrar", "the error lists the roles there are")
}

func TestLoadRefusesIncompleteProfiles(t *testing.T) {
	dir := t.TempDir()
	_, err := Load(dir)
	assert.ErrorContains(t, err, "read client profile")

	require.NoError(t, os.WriteFile(filepath.Join(dir, FileName), []byte(`{"organization":"X"}`), 0o644))
	_, err = Load(dir)
	assert.ErrorContains(t, err, "names no MSP ID or gateway address")
}
