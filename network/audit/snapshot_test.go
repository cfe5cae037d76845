package audit

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func snapshotOf(block uint64, public, private string) *SnapshotMetadata {
	return &SnapshotMetadata{Channel: "ch", Block: block, Files: map[string]string{
		"public_state.data": public, "private_state_hashes.data": private, "txids.data": "aa",
	}}
}

func TestCompareSnapshotsNamesThePeerThatDiffers(t *testing.T) {
	tests := []struct {
		name      string
		snapshots map[string]*SnapshotMetadata
		differ    []string
		detail    string
	}{
		{
			name:      "all equal",
			snapshots: map[string]*SnapshotMetadata{"p1": snapshotOf(7, "11", "22"), "p2": snapshotOf(7, "11", "22"), "p3": snapshotOf(7, "11", "22")},
			differ:    []string{},
		},
		{
			name:      "one public state changed",
			snapshots: map[string]*SnapshotMetadata{"p1": snapshotOf(7, "11", "22"), "p2": snapshotOf(7, "99", "22"), "p3": snapshotOf(7, "11", "22")},
			differ:    []string{"p2"},
			detail:    "public_state.data hashes to 99…, 2 of 3 peers hold 11…",
		},
		{
			name:      "one private data hash changed",
			snapshots: map[string]*SnapshotMetadata{"p1": snapshotOf(7, "11", "22"), "p2": snapshotOf(7, "11", "22"), "p3": snapshotOf(7, "11", "33")},
			differ:    []string{"p3"},
			detail:    "private_state_hashes.data",
		},
		{
			name:      "two peers split",
			snapshots: map[string]*SnapshotMetadata{"p1": snapshotOf(7, "11", "22"), "p2": snapshotOf(7, "99", "22")},
			differ:    []string{"p1", "p2"},
			detail:    "no majority",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := CompareSnapshots("ch", tt.snapshots)
			require.NoError(t, err)
			assert.Equal(t, tt.differ, c.Differ)
			assert.EqualValues(t, 7, c.Block)
			require.Len(t, c.Findings, len(tt.differ))
			for i, f := range c.Findings {
				assert.Equal(t, tt.differ[i], f.Source)
				assert.Equal(t, ProblemState, f.Problem)
				assert.Contains(t, f.Detail, tt.detail)
			}
		})
	}
}

func TestCompareSnapshotsRefusesSnapshotsAtDifferentBlocks(t *testing.T) {
	_, err := CompareSnapshots("ch", map[string]*SnapshotMetadata{"p1": snapshotOf(7, "11", "22"), "p2": snapshotOf(8, "11", "22")})
	assert.ErrorContains(t, err, "not at the same block")
	_, err = CompareSnapshots("other", map[string]*SnapshotMetadata{"p1": snapshotOf(7, "11", "22")})
	assert.ErrorContains(t, err, "is of channel")
	_, err = CompareSnapshots("ch", nil)
	assert.Error(t, err)
}

func TestReadSnapshotMetadata(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, SnapshotMetadataFile), []byte(`{"channel_name":"education-credit","last_block_number":12,
"last_block_hash":"ab","previous_block_hash":"cd","snapshot_files_raw_hashes":{"public_state.data":"01","txids.data":"02"},"state_db_type":"SimpleKeyValueDB"}`), 0o644))
	m, err := ReadSnapshotMetadata(dir)
	require.NoError(t, err)
	assert.Equal(t, "education-credit", m.Channel)
	assert.EqualValues(t, 12, m.Block)
	assert.Equal(t, "01", m.Files["public_state.data"])

	require.NoError(t, os.WriteFile(filepath.Join(dir, SnapshotMetadataFile), []byte(`{"channel_name":"x"}`), 0o644))
	_, err = ReadSnapshotMetadata(dir)
	assert.ErrorContains(t, err, "lists no file hashes")
	_, err = ReadSnapshotMetadata(t.TempDir())
	assert.Error(t, err)
}
