package ingest_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	govclient "github.com/govshare/govshare/gateway-client"
	"github.com/govshare/govshare/portal/ingest"
	"github.com/govshare/govshare/portal/internal/fixture"
	"github.com/govshare/govshare/portal/readmodel"
	"github.com/govshare/govshare/portal/store/sqlite"
)

// replay delivers recorded blocks as a peer's block stream does, from the
// checkpoint's block on; the first stream of each channel breaks after
// breakAfter blocks, as when a peer restarts.
type replay struct {
	blocks     map[string][]*govclient.Block
	breakAfter int

	mu     sync.Mutex
	broken map[string]bool
	starts map[string][]uint64
}

func (r *replay) Blocks(ctx context.Context, channel string, cp govclient.BlockCheckpointer, handle func(*govclient.Block) error) error {
	r.mu.Lock()
	r.starts[channel] = append(r.starts[channel], cp.BlockNumber())
	breaks := !r.broken[channel]
	r.broken[channel] = true
	r.mu.Unlock()
	sent := 0
	for n := cp.BlockNumber(); n < uint64(len(r.blocks[channel])); n++ {
		if breaks && sent == r.breakAfter {
			return errors.New("the stream of blocks ended (is the gateway peer up?)")
		}
		if err := handle(r.blocks[channel][n]); err != nil {
			return err
		}
		if err := cp.CheckpointBlock(n); err != nil {
			return err
		}
		sent++
	}
	<-ctx.Done() // a live stream waits for the next block
	return ctx.Err()
}

func TestTheFollowerResumesABrokenStreamAtTheStoresCheckpoint(t *testing.T) {
	sc := fixture.New(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "portal.db"))
	require.NoError(t, err)
	defer s.Close()
	src := &replay{blocks: sc.Blocks, breakAfter: 3, broken: map[string]bool{}, starts: map[string][]uint64{}}
	var recorded sync.Map
	f := &ingest.Follower{Source: src, Store: s, Channels: fixture.Channels, MaxPause: 10 * time.Millisecond,
		Recorded: func(b *readmodel.Batch) { recorded.Store(b.Block.Channel+"/"+b.Block.Hash, true) }}
	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()

	require.Eventually(t, func() bool {
		for _, ch := range fixture.Channels {
			next, err := s.NextBlock(ctx, ch)
			if err != nil || next < uint64(len(sc.Blocks[ch])) {
				return false
			}
		}
		return true
	}, 10*time.Second, 10*time.Millisecond)
	cancel()
	assert.ErrorIs(t, <-done, context.Canceled)

	for _, ch := range fixture.Channels {
		assert.Equal(t, []uint64{0, 3}, src.starts[ch], "%s: the second stream starts right after the last applied block", ch)
	}
	feed, err := s.Feed(context.Background(), 0, 1000)
	require.NoError(t, err)
	assert.Len(t, feed, sc.Transactions(), "every transaction once")
	n := 0
	recorded.Range(func(any, any) bool { n++; return true })
	assert.Equal(t, len(sc.All()), n, "each applied block is announced")
}
