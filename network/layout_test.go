package network

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWriteFileReplacesWholeAndLeavesNoTemporaryFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "secrets.json")
	require.NoError(t, writeFile(path, []byte("first"), 0o600))
	require.NoError(t, writeFile(path, []byte("second"), 0o600))

	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "second", string(got))
	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())
	entries, err := os.ReadDir(filepath.Dir(path))
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temporary file is left beside it")
}

func TestResolvePathFollowsLinksOfTheExistingPart(t *testing.T) {
	real := t.TempDir()
	link := filepath.Join(t.TempDir(), "link")
	require.NoError(t, os.Symlink(real, link))
	resolvedReal, err := filepath.EvalSymlinks(real)
	require.NoError(t, err)

	got, err := resolvePath(filepath.Join(link, "not", "yet"))
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(resolvedReal, "not", "yet"), got)
}

func TestCleanRefusesAFolderThatHoldsNoNetwork(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "precious.txt"), []byte("keep me"), 0o644))
	n, err := New(Consortium(), Options{StateDir: dir, FabricDir: t.TempDir()})
	require.NoError(t, err)

	err = n.Clean(context.Background())
	assert.ErrorContains(t, err, "holds no govshare network")
	assert.FileExists(t, filepath.Join(dir, "precious.txt"))
}

func TestProgramIsFreshOnlyWhenNoSourceIsNewer(t *testing.T) {
	src := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(src, "chaincode", "education"), 0o755))
	for _, f := range []string{"go.mod", "go.sum", "chaincode/education/contract.go"} {
		require.NoError(t, os.WriteFile(filepath.Join(src, f), []byte("x"), 0o644))
	}
	n, err := New(Consortium(), Options{StateDir: t.TempDir(), FabricDir: t.TempDir(), SourceDir: src})
	require.NoError(t, err)
	a := n.Agencies[0]
	program := filepath.Join(t.TempDir(), "chaincode")
	assert.False(t, a.programIsFresh(program, "chaincode"), "a program not built yet is not fresh")

	require.NoError(t, os.WriteFile(program, []byte("binary"), 0o755))
	past := time.Now().Add(-time.Hour)
	for _, f := range []string{"go.mod", "go.sum", "chaincode/education/contract.go"} {
		require.NoError(t, os.Chtimes(filepath.Join(src, f), past, past))
	}
	assert.True(t, a.programIsFresh(program, "chaincode"))

	require.NoError(t, os.Chtimes(filepath.Join(src, "chaincode/education/contract.go"), time.Now().Add(time.Hour), time.Now().Add(time.Hour)))
	assert.False(t, a.programIsFresh(program, "chaincode"), "an edited contract is built again")
}
