package audit

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// SnapshotMetadataFile is the file of a Fabric ledger snapshot that
// carries the hash of each of its data files.
const SnapshotMetadataFile = "_snapshot_signable_metadata.json"

// SnapshotMetadata is what a peer signs of a snapshot it wrote: the block
// it was taken at and the SHA-256 of each file (public state, private data
// hashes, transaction IDs).
type SnapshotMetadata struct {
	Channel           string            `json:"channel_name"`
	Block             uint64            `json:"last_block_number"`
	BlockHash         string            `json:"last_block_hash"`
	PreviousBlockHash string            `json:"previous_block_hash"`
	Files             map[string]string `json:"snapshot_files_raw_hashes"`
	StateDBType       string            `json:"state_db_type"`
}

// ReadSnapshotMetadata reads the metadata of a snapshot folder.
func ReadSnapshotMetadata(dir string) (*SnapshotMetadata, error) {
	data, err := os.ReadFile(filepath.Join(dir, SnapshotMetadataFile))
	if err != nil {
		return nil, fmt.Errorf("read the snapshot's metadata: %w", err)
	}
	var m SnapshotMetadata
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("decode %s: %w", filepath.Join(dir, SnapshotMetadataFile), err)
	}
	if len(m.Files) == 0 {
		return nil, fmt.Errorf("%s lists no file hashes", filepath.Join(dir, SnapshotMetadataFile))
	}
	return &m, nil
}

// StateComparison is the comparison of the member peers' world state of a
// channel at one block.
type StateComparison struct {
	Channel string `json:"channel"`
	Block   uint64 `json:"block"`
	// Peers lists the peers compared; Differ those whose state differs
	// from the majority's.
	Peers    []string  `json:"peers"`
	Differ   []string  `json:"differ"`
	Findings []Finding `json:"findings"`
}

// CompareSnapshots compares the snapshots the member peers of a channel
// took at the same block (peer name -> metadata). For every file, the
// hash most peers hold is the channel's; a peer holding another is named.
// With no majority (two peers that disagree), every peer that differs from
// another is named.
func CompareSnapshots(channel string, snapshots map[string]*SnapshotMetadata) (*StateComparison, error) {
	if len(snapshots) == 0 {
		return nil, fmt.Errorf("no snapshot of %s to compare", channel)
	}
	peers := slices.Sorted(maps.Keys(snapshots))
	c := &StateComparison{Channel: channel, Peers: peers, Differ: []string{}, Findings: []Finding{}}
	first := snapshots[peers[0]]
	c.Block = first.Block
	files := map[string]bool{}
	for _, p := range peers {
		m := snapshots[p]
		if m.Channel != channel {
			return nil, fmt.Errorf("the snapshot of %s is of channel %q, not %s", p, m.Channel, channel)
		}
		if m.Block != first.Block {
			return nil, fmt.Errorf("the snapshots are not at the same block: %s at %d, %s at %d", peers[0], first.Block, p, m.Block)
		}
		for f := range m.Files {
			files[f] = true
		}
	}
	differ := map[string][]string{}
	for _, f := range slices.Sorted(maps.Keys(files)) {
		count := map[string]int{}
		for _, p := range peers {
			count[snapshots[p].Files[f]]++
		}
		majority, best, tie := "", 0, false
		for _, p := range peers { // in peer order, so a result never depends on map order
			h := snapshots[p].Files[f]
			switch {
			case count[h] > best:
				majority, best, tie = h, count[h], false
			case count[h] == best && h != majority:
				tie = true
			}
		}
		for _, p := range peers {
			h := snapshots[p].Files[f]
			if h == majority && !tie {
				continue
			}
			if len(count) == 1 {
				continue
			}
			what := fmt.Sprintf("%s hashes to %.16s…, %d of %d peers hold %.16s…", f, h, best, len(peers), majority)
			if tie {
				what = fmt.Sprintf("%s hashes to %.16s…; the peers are split with no majority", f, h)
			}
			differ[p] = append(differ[p], what)
		}
	}
	for _, p := range peers {
		if d := differ[p]; len(d) > 0 {
			c.Differ = append(c.Differ, p)
			c.Findings = append(c.Findings, Finding{Channel: channel, Block: c.Block, Source: p, Problem: ProblemState,
				Detail: "its world state at this block differs: " + strings.Join(d, "; ")})
		}
	}
	return c, nil
}

// Describe writes the comparison for people.
func (c StateComparison) Describe(w io.Writer) {
	if len(c.Differ) == 0 {
		fmt.Fprintf(w, "%s: the world state of %d peers at block %d is the same (%s)\n", c.Channel, len(c.Peers), c.Block, strings.Join(c.Peers, ", "))
		return
	}
	fmt.Fprintf(w, "%s: at block %d the world state of %s differs from the others' (%d peers compared)\n", c.Channel, c.Block, strings.Join(c.Differ, ", "), len(c.Peers))
}
