package govclient

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHashFileStreamsAndReportsProgress(t *testing.T) {
	data := make([]byte, 3<<20+123) // more than three 1 MiB pieces
	for i := range data {
		data[i] = byte(i * 7)
	}
	path := filepath.Join(t.TempDir(), "evidence.bin")
	require.NoError(t, os.WriteFile(path, data, 0o600))

	var calls []int64
	got, err := HashFile(context.Background(), path, func(done, total int64) {
		assert.Equal(t, int64(len(data)), total)
		calls = append(calls, done)
	})
	require.NoError(t, err)
	want := sha256.Sum256(data)
	assert.Equal(t, hex.EncodeToString(want[:]), got)
	assert.Equal(t, []int64{1 << 20, 2 << 20, 3 << 20, int64(len(data))}, calls)
}

func TestHashFileErrors(t *testing.T) {
	_, err := HashFile(context.Background(), filepath.Join(t.TempDir(), "missing"), nil)
	assert.ErrorContains(t, err, "open")
	_, err = HashFile(context.Background(), t.TempDir(), nil)
	assert.ErrorContains(t, err, "is a folder")

	path := filepath.Join(t.TempDir(), "f")
	require.NoError(t, os.WriteFile(path, []byte("x"), 0o600))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = HashFile(ctx, path, nil)
	assert.ErrorIs(t, err, context.Canceled)
}
