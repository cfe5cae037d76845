package govclient

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/education"
)

func TestStudentSaltsAreStablePerUniversityAndSecret(t *testing.T) {
	dirA, dirB := t.TempDir(), t.TempDir()
	a, err := LoadStudentSalts(dirA)
	require.NoError(t, err)
	again, err := LoadStudentSalts(dirA)
	require.NoError(t, err)
	b, err := LoadStudentSalts(dirB)
	require.NoError(t, err)

	assert.Equal(t, a.Salt("S-1"), again.Salt("S-1"), "the same university derives the same salt")
	assert.NotEqual(t, a.Salt("S-1"), a.Salt("S-2"))
	assert.NotEqual(t, a.Salt("S-1"), b.Salt("S-1"), "another university's key gives another salt")
	assert.Len(t, a.Salt("S-1"), 32)

	info, err := os.Stat(filepath.Join(dirA, SaltKeyFile))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "the key is the university's secret")

	details, ref := a.Student("S-1", "Li Hua", "2004-01-02")
	assert.Equal(t, education.StudentRef(details.Salt, "S-1"), ref)
}

func TestLoadStudentSaltsRefusesABrokenKey(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, SaltKeyFile), []byte("not hex"), 0o600))
	_, err := LoadStudentSalts(dir)
	assert.ErrorContains(t, err, "hex key")
}
