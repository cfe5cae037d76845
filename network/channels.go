package network

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// configtxOrg is one organisation as configtx.yaml's template sees it.
type configtxOrg struct {
	Org         *Organization
	MSPDir      string
	AnchorPeers []*Peer
	Orderers    []*Orderer
}

// writeConfigtx renders configtx.yaml from the consortium.
func (n *Network) writeConfigtx() error {
	type consenter struct {
		Host    string
		Port    int
		TLSCert string
	}
	var orgs []configtxOrg
	for _, org := range n.Spec.Organizations {
		c := configtxOrg{Org: org, MSPDir: n.orgMSPDir(org), AnchorPeers: n.PeersOf(org)}
		for _, o := range n.Orderers {
			if o.Org == org {
				c.Orderers = append(c.Orderers, o)
			}
		}
		orgs = append(orgs, c)
	}
	var consenters []consenter
	for _, o := range n.Orderers {
		consenters = append(consenters, consenter{Host: o.Host, Port: o.Port, TLSCert: o.tls(n).Cert})
	}
	data := map[string]any{
		"Name": n.Spec.Name, "Orgs": orgs, "Consenters": consenters, "Ordering": n.Spec.Ordering,
		"Channels": n.Spec.Channels, "OrdererOrgs": n.ordererOrgs(),
	}
	return renderFile("configtx.yaml.tmpl", filepath.Join(n.channelsDir(), "configtx.yaml"), 0o644, data)
}

// makeGenesisBlocks makes each channel's genesis block with configtxgen,
// once: a channel that exists keeps the block it was created from.
func (n *Network) makeGenesisBlocks(ctx context.Context) error {
	for _, ch := range n.Spec.Channels {
		block := n.genesisBlock(ch)
		if fileExists(block) {
			continue
		}
		cmd := exec.CommandContext(ctx, n.bin("configtxgen"), "-configPath", n.channelsDir(),
			"-profile", ch.Name, "-channelID", ch.Name, "-outputBlock", block)
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("configtxgen for channel %s: %w: %s", ch.Name, err, lastLines(string(out), 4))
		}
	}
	return nil
}

// osnChannelList is osnadmin's answer to `channel list`.
type osnChannelList struct {
	Channels []struct {
		Name string `json:"name"`
	} `json:"channels"`
}

// OrdererChannels lists the channels an orderer has joined.
func (n *Network) OrdererChannels(ctx context.Context, o *Orderer) ([]string, error) {
	out, err := n.osnadmin(ctx, o, "channel", "list")
	if err != nil {
		return nil, err
	}
	var list osnChannelList
	if err := json.Unmarshal(jsonPart(out), &list); err != nil {
		return nil, fmt.Errorf("read channel list of %s: %w", o.ID(), err)
	}
	names := make([]string, 0, len(list.Channels))
	for _, c := range list.Channels {
		names = append(names, c.Name)
	}
	return names, nil
}

// joinOrderers joins every orderer to every channel it has not joined yet.
func (n *Network) joinOrderers(ctx context.Context) (int, error) {
	return forEach(n.Orderers, func(o *Orderer) (int, error) {
		channels, err := n.OrdererChannels(ctx, o)
		if err != nil {
			return 0, err
		}
		joined := 0
		for _, ch := range n.Spec.Channels {
			if slices.Contains(channels, ch.Name) {
				continue
			}
			if _, err := n.osnadmin(ctx, o, "channel", "join", "--channelID", ch.Name, "--config-block", n.genesisBlock(ch)); err != nil {
				return joined, err
			}
			joined++
		}
		return joined, nil
	})
}

// joinPeers joins every peer to each of its organisation's channels that it
// has not joined yet.
func (n *Network) joinPeers(ctx context.Context) (int, error) {
	return forEach(n.Peers, func(p *Peer) (int, error) {
		joined, err := n.PeerChannels(ctx, p)
		if err != nil {
			return 0, err
		}
		count := 0
		for _, ch := range n.Spec.ChannelsOf(p.Org) {
			if slices.Contains(joined, ch.Name) {
				continue
			}
			if err := n.JoinPeer(ctx, p, ch.Name); err != nil {
				return count, err
			}
			count++
		}
		return count, nil
	})
}

// JoinPeer asks peer to join a channel from its genesis block, as the peer's
// organisation administrator. The orderers only serve blocks to channel
// members, so the peer of an organisation outside the channel learns nothing
// beyond the genesis block.
func (n *Network) JoinPeer(ctx context.Context, p *Peer, channel string) error {
	ch, err := n.Spec.Channel(channel)
	if err != nil {
		return err
	}
	// The orderers' Raft leader and the peer's deliver client take a moment
	// after a fresh start; joining is safe to repeat until it takes.
	return retry(ctx, 30*time.Second, func() error {
		_, err := n.peerCLI(ctx, p, "channel", "join", "-b", n.genesisBlock(ch))
		if err != nil && strings.Contains(err.Error(), "already exists") {
			return nil
		}
		return err
	})
}

// PeerChannels lists the channels a peer has joined.
func (n *Network) PeerChannels(ctx context.Context, p *Peer) ([]string, error) {
	out, err := n.peerCLI(ctx, p, "channel", "list")
	if err != nil {
		return nil, err
	}
	var names []string
	lines := strings.Split(string(out), "\n")
	for i, line := range lines {
		if strings.HasPrefix(line, "Channels peers has joined") {
			for _, name := range lines[i+1:] {
				if name = strings.TrimSpace(name); name != "" {
					names = append(names, name)
				}
			}
		}
	}
	return names, nil
}

// jsonPart drops anything a CLI printed before its JSON answer.
func jsonPart(out []byte) []byte {
	if i := strings.IndexAny(string(out), "{["); i >= 0 {
		return out[i:]
	}
	return out
}

// forEach runs f for every item at once and adds up what they report.
func forEach[T any](items []T, f func(T) (int, error)) (int, error) {
	var wg sync.WaitGroup
	counts := make([]int, len(items))
	errs := make([]error, len(items))
	for i, item := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			counts[i], errs[i] = f(item)
		}()
	}
	wg.Wait()
	total := 0
	for _, c := range counts {
		total += c
	}
	return total, errors.Join(errs...)
}

// FetchBlock asks the orderers for a channel's newest block as the
// administrator of peer's organisation, writing it into dir. The orderers
// only deliver blocks to members of the channel.
func (n *Network) FetchBlock(ctx context.Context, p *Peer, channel, dir string) ([]byte, error) {
	args := append([]string{"channel", "fetch", "newest", filepath.Join(dir, channel+".block"), "-c", channel}, n.ordererArgs()...)
	return n.peerCLI(ctx, p, args...)
}
