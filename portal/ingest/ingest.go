package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	govclient "github.com/govshare/govshare/gateway-client"
	"github.com/govshare/govshare/portal/readmodel"
	"github.com/govshare/govshare/portal/store"
)

// Source delivers a channel's blocks from a checkpoint; a
// *govclient.Session is one.
type Source interface {
	Blocks(ctx context.Context, channel string, checkpoint govclient.BlockCheckpointer, handle func(*govclient.Block) error) error
}

// Follower follows channels into a store.
type Follower struct {
	Source   Source
	Store    store.Ingester
	Channels []string
	// Recorded, if set, is called after each applied block.
	Recorded func(*readmodel.Batch)
	Log      *slog.Logger
	// MaxPause bounds the pause before following a broken stream again.
	MaxPause time.Duration
}

// Run follows every channel until ctx ends. It returns ctx's error, or the
// first error that retrying cannot cure (a block the store refuses).
func (f *Follower) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	log := f.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(f.Channels))
	for _, ch := range f.Channels {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := f.follow(ctx, ch, log.With("channel", ch)); err != nil && ctx.Err() == nil {
				errs <- err
				cancel()
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	return ctx.Err()
}

// Checkpoint is the store's checkpoint of one channel as the block
// listener sees it, starting at the store's NextBlock: Apply has already
// written each block with its number, so CheckpointBlock only moves on.
type Checkpoint struct{ Next uint64 }

// BlockNumber returns the next block to deliver.
func (c *Checkpoint) BlockNumber() uint64 { return c.Next }

// CheckpointBlock moves past block n.
func (c *Checkpoint) CheckpointBlock(n uint64) error {
	c.Next = n + 1
	return nil
}

func (f *Follower) follow(ctx context.Context, channel string, log *slog.Logger) error {
	maxPause := f.MaxPause
	if maxPause <= 0 {
		maxPause = 30 * time.Second
	}
	pause := 500 * time.Millisecond
	for {
		next, err := f.Store.NextBlock(ctx, channel)
		if err != nil {
			return err
		}
		log.Info("following", "from block", next)
		cp := &Checkpoint{Next: next}
		err = f.Source.Blocks(ctx, channel, cp, func(b *govclient.Block) error {
			batch := readmodel.Project(b)
			if err := f.Store.Apply(ctx, batch); err != nil {
				return err
			}
			if f.Recorded != nil {
				f.Recorded(batch)
			}
			pause = 500 * time.Millisecond // the stream works
			return nil
		})
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.Is(err, store.ErrOutOfOrder):
			return fmt.Errorf("follow %s: %w", channel, err)
		}
		log.Warn("block stream broke; following again from the checkpoint", "err", err, "pause", pause)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pause):
		}
		pause = min(2*pause, maxPause)
	}
}
