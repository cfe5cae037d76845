package main

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDetectAcceptsOnlyGovshareBinaryPackages(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "metadata.json"), []byte(`{"type":"govshare-binary","label":"baseline_1"}`), 0o644))
	assert.NoError(t, detect(dir))

	require.NoError(t, os.WriteFile(filepath.Join(dir, "metadata.json"), []byte(`{"type":"golang","label":"x"}`), 0o644))
	assert.ErrorContains(t, detect(dir), `package type "golang"`)

	require.NoError(t, os.WriteFile(filepath.Join(dir, "metadata.json"), []byte(`{`), 0o644))
	assert.ErrorContains(t, detect(dir), "read package metadata")
}

func TestBuildCopiesTheProgram(t *testing.T) {
	src, out := t.TempDir(), t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(src, program), []byte("#!/bin/true\n"), 0o755))
	require.NoError(t, build(src, out))
	got, err := os.ReadFile(filepath.Join(out, program))
	require.NoError(t, err)
	assert.Equal(t, "#!/bin/true\n", string(got))
	info, err := os.Stat(filepath.Join(out, program))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o755), info.Mode().Perm())

	assert.ErrorContains(t, build(t.TempDir(), out), "has no chaincode program")
}

func TestChaincodeCommandConnectsToThePeerWithItsTLSFiles(t *testing.T) {
	meta := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(meta, "chaincode.json"), []byte(`{
		"chaincode_id": "baseline_1:abc", "peer_address": "127.0.0.1:27028",
		"client_cert": "CERT PEM", "client_key": "KEY PEM", "root_cert": "ROOT PEM", "mspid": "UniversityAMSP"}`), 0o644))
	path, args, env, err := chaincodeCommand("/builds/bld", meta)
	require.NoError(t, err)
	assert.Equal(t, "/builds/bld/chaincode", path)
	assert.Equal(t, []string{path, "-peer.address=127.0.0.1:27028"}, args)

	vars := map[string]string{}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		vars[k] = v
	}
	assert.Equal(t, "baseline_1:abc", vars["CORE_CHAINCODE_ID_NAME"])
	assert.Equal(t, "true", vars["CORE_PEER_TLS_ENABLED"])
	key, err := os.ReadFile(vars["CORE_TLS_CLIENT_KEY_PATH"])
	require.NoError(t, err)
	decoded, err := base64.StdEncoding.DecodeString(string(key))
	require.NoError(t, err)
	assert.Equal(t, "KEY PEM", string(decoded), "the shim reads the key base64-encoded")
	root, err := os.ReadFile(vars["CORE_PEER_TLS_ROOTCERT_FILE"])
	require.NoError(t, err)
	assert.Equal(t, "ROOT PEM", string(root), "and the root certificate as PEM")
}

func TestChaincodeCommandRefusesIncompleteMetadata(t *testing.T) {
	meta := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(meta, "chaincode.json"), []byte(`{"mspid":"X"}`), 0o644))
	_, _, _, err := chaincodeCommand("/b", meta)
	assert.ErrorContains(t, err, "no chaincode ID or peer address")
}
