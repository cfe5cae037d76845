package network

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// backupFixture makes an agency folder with a few files of each kind a
// real one holds, and returns the agency.
func backupFixture(t *testing.T) *Agency {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "agency")
	a, err := NewAgency(Consortium(), AgencyOptions{Dir: dir, Organization: "AuditOffice", FabricDir: t.TempDir()})
	require.NoError(t, err)
	require.NoError(t, a.saveAgencyFile())
	files := map[string]string{
		"users/admin/msp/keystore/key.pem":                  "PRIVATE KEY",
		"builders/govshare/bin/run":                         "#!/bin/sh\nexec \"" + dir + "/builders/govshare/govshare-ccbuilder\" run \"$@\"\n",
		"ca/enroll/peer-peer0/fabric-ca-client-config.yaml": "mspdir: " + dir + "/peers/peer0/msp\nother: " + dir + "-elsewhere\n",
		"nodes/peer0.x/data/ledger/chains/000000":           "block " + dir + "\x00\x01",
		"nodes/peer0.x/node.pid":                            "123\n",
		"nodes/peer0.x/node.log":                            "log\n",
	}
	for name, content := range files {
		file := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(file), 0o755))
		require.NoError(t, os.WriteFile(file, []byte(content), 0o600))
	}
	return a
}

func TestBackupRestoresOntoAFreshFolderElsewhere(t *testing.T) {
	a := backupFixture(t)
	var archive bytes.Buffer
	m, err := a.Backup(context.Background(), &archive)
	require.NoError(t, err)
	assert.Equal(t, "AuditOffice", m.Organization)
	assert.Equal(t, a.Dir(), m.Folder)
	assert.Len(t, m.Files, 5, "agency.json and four files; the pidfile and the log are left out")

	target := filepath.Join(t.TempDir(), "restored")
	restored, err := RestoreAgency(context.Background(), bytes.NewReader(archive.Bytes()), target)
	require.NoError(t, err)
	assert.Equal(t, m.Files, restored.Files)

	key, err := os.ReadFile(filepath.Join(target, "users/admin/msp/keystore/key.pem"))
	require.NoError(t, err)
	assert.Equal(t, "PRIVATE KEY", string(key))
	info, err := os.Stat(filepath.Join(target, "users/admin/msp/keystore/key.pem"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "a key stays private")
	run, err := os.ReadFile(filepath.Join(target, "builders/govshare/bin/run"))
	require.NoError(t, err)
	assert.Equal(t, "#!/bin/sh\nexec \""+target+"/builders/govshare/govshare-ccbuilder\" run \"$@\"\n", string(run))
	cfg, err := os.ReadFile(filepath.Join(target, "ca/enroll/peer-peer0/fabric-ca-client-config.yaml"))
	require.NoError(t, err)
	assert.Equal(t, "mspdir: "+target+"/peers/peer0/msp\nother: "+a.Dir()+"-elsewhere\n", string(cfg), "only the folder itself is renamed")
	block, err := os.ReadFile(filepath.Join(target, "nodes/peer0.x/data/ledger/chains/000000"))
	require.NoError(t, err)
	assert.Equal(t, "block "+a.Dir()+"\x00\x01", string(block), "a ledger is restored byte for byte")
	assert.NoFileExists(t, filepath.Join(target, "nodes/peer0.x/node.pid"))

	opened, err := OpenAgency(Consortium(), target, t.TempDir(), "", nil)
	require.NoError(t, err)
	assert.Equal(t, "AuditOffice", opened.Org.Name)
	assert.Equal(t, a.ports, opened.ports, "the restored agency keeps its ports")
}

func TestRestoreRefusesWhatIsNotTheBackup(t *testing.T) {
	a := backupFixture(t)
	var archive bytes.Buffer
	_, err := a.Backup(context.Background(), &archive)
	require.NoError(t, err)

	// The archive's entries, to rebuild altered copies.
	type entry struct {
		h    *tar.Header
		data []byte
	}
	var entries []entry
	gz, err := gzip.NewReader(bytes.NewReader(archive.Bytes()))
	require.NoError(t, err)
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		data, err := io.ReadAll(tr)
		require.NoError(t, err)
		entries = append(entries, entry{h, data})
	}
	rebuild := func(change func(name string, data []byte) (string, []byte, bool)) []byte {
		var out bytes.Buffer
		gz := gzip.NewWriter(&out)
		tw := tar.NewWriter(gz)
		for _, e := range entries {
			name, data, keep := change(e.h.Name, bytes.Clone(e.data))
			if !keep {
				continue
			}
			h := *e.h
			h.Name, h.Size = name, int64(len(data))
			require.NoError(t, tw.WriteHeader(&h))
			_, err := tw.Write(data)
			require.NoError(t, err)
		}
		require.NoError(t, tw.Close())
		require.NoError(t, gz.Close())
		return out.Bytes()
	}

	tests := []struct {
		name    string
		archive []byte
		want    string
	}{
		{"a byte of a ledger changed", rebuild(func(name string, data []byte) (string, []byte, bool) {
			if name == "nodes/peer0.x/data/ledger/chains/000000" {
				data[0] ^= 1
			}
			return name, data, true
		}), "does not match its manifest"},
		{"a file missing", rebuild(func(name string, data []byte) (string, []byte, bool) {
			return name, data, name != "users/admin/msp/keystore/key.pem"
		}), "lacks users/admin/msp/keystore/key.pem"},
		{"no manifest", rebuild(func(name string, data []byte) (string, []byte, bool) {
			return name, data, name != backupManifestName
		}), "no manifest"},
		{"a path outside the folder", rebuild(func(name string, data []byte) (string, []byte, bool) {
			if name == "agency.json" {
				name = "../agency.json"
			}
			return name, data, true
		}), "not a path inside the folder"},
		{"not an archive", []byte("hello"), "not a backup"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := filepath.Join(t.TempDir(), "restored")
			_, err := RestoreAgency(context.Background(), bytes.NewReader(tt.archive), target)
			require.ErrorContains(t, err, tt.want)
			entries, err := os.ReadDir(target)
			require.NoError(t, err)
			assert.Empty(t, entries, "a refused restore leaves nothing behind")
		})
	}

	t.Run("a folder that is not empty", func(t *testing.T) {
		target := t.TempDir()
		require.NoError(t, os.WriteFile(filepath.Join(target, "x"), nil, 0o644))
		_, err := RestoreAgency(context.Background(), bytes.NewReader(archive.Bytes()), target)
		require.ErrorContains(t, err, "not empty")
		assert.FileExists(t, filepath.Join(target, "x"))
	})
}
