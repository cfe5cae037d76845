package network

import (
	"context"

	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"google.golang.org/protobuf/proto"
)

// configtxOrg is one organisation as configtx.yaml's template sees it: an
// agency's organisation, or its ordering organisation.
type configtxOrg struct {
	Name             string
	MSPID            string
	MSPDir           string
	AnchorPeers      []hostPort
	OrdererEndpoints []string
}

type hostPort struct {
	Host string
	Port int
}

// consenter is one ordering node as configtx.yaml's template sees it.
type consenter struct {
	ID           int
	MSPID        string
	Host         string
	Port         int
	TLSCert      string // file
	IdentityCert string // file
}

func splitHostPort(address string) (hostPort, error) {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return hostPort{}, fmt.Errorf("address %q: %w", address, err)
	}
	n, err := strconv.Atoi(port)
	if err != nil {
		return hostPort{}, fmt.Errorf("address %q: %w", address, err)
	}
	return hostPort{Host: host, Port: n}, nil
}

// renderConfigtx renders configtx.yaml into dir from the definitions the
// agency holds: its own and those it accepted. Every organisation of the
// description must be known.
func (a *Agency) renderConfigtx(dir string) error {
	var orgs []configtxOrg
	var consenters []consenter
	var missing []string
	for _, org := range a.Spec.Organizations {
		d, err := a.definitionOf(org)
		if err != nil {
			missing = append(missing, org.Name)
			continue
		}
		c := configtxOrg{Name: org.Name, MSPID: org.MSPID, MSPDir: a.orgMSPDirOf(org)}
		for _, p := range d.Peers {
			if !p.Anchor {
				continue
			}
			hp, err := splitHostPort(p.Address)
			if err != nil {
				return fmt.Errorf("%s peer %s: %w", org.Name, p.Name, err)
			}
			c.AnchorPeers = append(c.AnchorPeers, hp)
		}
		orgs = append(orgs, c)
		if d.Ordering == nil {
			continue
		}
		ordering := configtxOrg{Name: org.OrderingName(), MSPID: d.Ordering.MSPID, MSPDir: a.orderingMSPDirOf(org)}
		for _, o := range d.Ordering.Orderers {
			ordering.OrdererEndpoints = append(ordering.OrdererEndpoints, o.Address)
			hp, err := splitHostPort(o.Address)
			if err != nil {
				return fmt.Errorf("%s orderer %s: %w", org.Name, o.Name, err)
			}
			tlsCert, identityCert := a.consenterCertsOf(org, o.Name)
			consenters = append(consenters, consenter{ID: len(consenters) + 1, MSPID: d.Ordering.MSPID, Host: hp.Host, Port: hp.Port, TLSCert: tlsCert, IdentityCert: identityCert})
		}
		orgs = append(orgs, ordering)
	}
	if len(missing) > 0 {
		return fmt.Errorf("%s has not accepted the definitions of %s: a channel can only be made from every member's definition", a.Org.Name, strings.Join(missing, ", "))
	}
	data := map[string]any{
		"Name": a.Spec.Name, "Orgs": orgs, "Consenters": consenters, "Ordering": a.Spec.Ordering,
		"Channels": a.Spec.Channels, "OrderingOrgs": a.Spec.OrdererOrganizations(),
	}
	return renderFile("configtx.yaml.tmpl", filepath.Join(dir, "configtx.yaml"), 0o644, data)
}

// configtxgen makes a channel's genesis block from the configtx.yaml in dir.
func (a *Agency) configtxgen(ctx context.Context, dir, channel, block string) error {
	cmd := exec.CommandContext(ctx, a.bin("configtxgen"), "-configPath", dir, "-profile", channel, "-channelID", channel, "-outputBlock", block)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("configtxgen for channel %s: %w: %s", channel, err, lastLines(string(out), 4))
	}
	return nil
}

// MakeGenesis makes the genesis block of every channel of the description
// from the definitions the agency holds, into its channels folder, and
// returns their paths. A channel that already has a block keeps it. The
// agency that does this (any one of them) sends the blocks to the others,
// who check them with [Agency.ImportGenesis] before they join.
func (a *Agency) MakeGenesis(ctx context.Context) ([]string, error) {
	return a.MakeGenesisIn(ctx, a.channelsDir())
}

// MakeGenesisIn makes the genesis blocks as MakeGenesis does, into dir
// (with the configtx.yaml they are made from).
func (a *Agency) MakeGenesisIn(ctx context.Context, dir string, channels ...string) ([]string, error) {
	if err := a.renderConfigtx(dir); err != nil {
		return nil, err
	}
	if len(channels) == 0 {
		for _, ch := range a.Spec.Channels {
			channels = append(channels, ch.Name)
		}
	}
	var blocks []string
	for _, ch := range channels {
		block := filepath.Join(dir, ch+".block")
		if !fileExists(block) {
			if err := a.configtxgen(ctx, dir, ch, block); err != nil {
				return nil, err
			}
		}
		blocks = append(blocks, block)
	}
	return blocks, nil
}

// ImportGenesis checks a genesis block another agency made and keeps it for
// joining. The check makes the block again from the description and the
// definitions this agency accepted and requires the same configuration: a
// block with another member, another root certificate, another orderer or
// another policy is refused, naming where it differs. It returns the
// block's channel.
func (a *Agency) ImportGenesis(ctx context.Context, path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("read genesis block: %w", err)
	}
	channel, got, err := ConfigOfBlock(data)
	if err != nil {
		return "", fmt.Errorf("genesis block %s: %w", path, err)
	}
	if _, err := a.Spec.Channel(channel); err != nil {
		return "", fmt.Errorf("genesis block %s: %w", path, err)
	}
	work, err := os.MkdirTemp("", "govshare-genesis-")
	if err != nil {
		return "", fmt.Errorf("check genesis block: %w", err)
	}
	defer os.RemoveAll(work)
	expected, err := a.MakeGenesisIn(ctx, work, channel)
	if err != nil {
		return "", err
	}
	wantData, err := os.ReadFile(expected[0])
	if err != nil {
		return "", fmt.Errorf("check genesis block: %w", err)
	}
	_, want, err := ConfigOfBlock(wantData)
	if err != nil {
		return "", fmt.Errorf("check genesis block: %w", err)
	}
	if d := diffConfig(got, want); d != "" {
		return "", fmt.Errorf("the genesis block of %s is not what the consortium's description and the definitions %s accepted make: it differs at %s", channel, a.Org.Name, d)
	}
	if existing, err := os.ReadFile(a.GenesisBlock(channel)); err == nil {
		if _, cfg, err := ConfigOfBlock(existing); err == nil && diffConfig(cfg, got) == "" {
			return channel, nil // the same configuration: keep the block already joined
		}
		return "", fmt.Errorf("%s already holds a different genesis block of %s", a.Org.Name, channel)
	}
	return channel, writeFile(a.GenesisBlock(channel), data, 0o644)
}

// JoinChannels joins the agency's orderers to every channel and its peers
// to every channel of their organisation, from the genesis blocks the
// agency holds, as the agency's own administrator. Nodes already joined are
// left alone. It reports how many joins it made.
func (a *Agency) JoinChannels(ctx context.Context) (orderers, peers int, err error) {
	if orderers, err = a.joinOrderers(ctx); err != nil {
		return orderers, 0, err
	}
	peers, err = a.joinPeers(ctx)
	return orderers, peers, err
}

// channelsWithBlocks returns the channels among chs whose genesis block the
// agency holds or, for a channel that exists already (the agency joins it
// later), can fetch from the orderers as a member; and an error naming
// those it has neither way.
func (a *Agency) channelsWithBlocks(ctx context.Context, chs []*Channel) ([]*Channel, error) {
	var have []*Channel
	var missing []string
	for _, ch := range chs {
		if !fileExists(a.GenesisBlock(ch.Name)) {
			if err := a.fetchGenesis(ctx, ch.Name); err != nil {
				missing = append(missing, fmt.Sprintf("%s (%v)", ch.Name, err))
				continue
			}
		}
		have = append(have, ch)
	}
	if len(missing) > 0 {
		return have, fmt.Errorf("%s holds no genesis block of %s: make them with `govnet channel genesis`, import the ones received, or join once the channel's configuration admits the agency",
			a.Org.Name, strings.Join(missing, ", "))
	}
	return have, nil
}

// fetchGenesis fetches a channel's genesis block from the orderers, as a
// member: the way an agency admitted to a running channel gets it. The
// orderers it asks are those of the definitions it accepted, reached over
// TLS with their organisations' roots.
func (a *Agency) fetchGenesis(ctx context.Context, channel string) error {
	signer, err := a.reader(channel)
	if err != nil {
		return err
	}
	fetchCtx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	var data []byte
	err = a.onOrderers(func(conn grpcConn, _ ordererEndpoint) error {
		block, err := deliverBlock(fetchCtx, conn, channel, 0, signer)
		if err != nil {
			return err
		}
		data, err = proto.Marshal(block)
		return err
	})
	if err != nil {
		return err
	}
	got, _, err := ConfigOfBlock(data)
	if err != nil {
		return fmt.Errorf("block 0 of %s: %w", channel, err)
	}
	if got != channel {
		return fmt.Errorf("the orderers sent block 0 of %s for %s", got, channel)
	}
	return writeFile(a.GenesisBlock(channel), data, 0o644)
}

// joinBlock returns the block an orderer joins a channel with: the genesis
// block if the orderer is one of the channel's first orderers, else (an
// orderer added later) the channel's newest configuration block, which
// names it, fetched from the others.
func (a *Agency) joinBlock(ctx context.Context, o *Orderer, channel string) (string, func(), error) {
	genesis := a.GenesisBlock(channel)
	data, err := os.ReadFile(genesis)
	if err != nil {
		return "", nil, fmt.Errorf("read genesis block: %w", err)
	}
	_, cfg, err := ConfigOfBlock(data)
	if err != nil {
		return "", nil, err
	}
	if endpoints := ordererEndpointsIn(cfg, a.Org.OrderingMSPID()); slices.Contains(endpoints, o.Address()) {
		return genesis, func() {}, nil
	}
	block, _, err := a.CurrentConfig(ctx, channel)
	if err != nil {
		return "", nil, fmt.Errorf("%s is not among %s's first orderers, and its newest configuration block: %w", o.ID(), channel, err)
	}
	out, err := proto.Marshal(block)
	if err != nil {
		return "", nil, fmt.Errorf("encode block: %w", err)
	}
	tmp, err := os.CreateTemp("", "govshare-join-*.block")
	if err != nil {
		return "", nil, fmt.Errorf("join block: %w", err)
	}
	defer tmp.Close()
	if _, err := tmp.Write(out); err != nil {
		os.Remove(tmp.Name())
		return "", nil, fmt.Errorf("join block: %w", err)
	}
	return tmp.Name(), func() { os.Remove(tmp.Name()) }, nil
}

// ordererEndpointsIn reads the orderer addresses an ordering organisation
// announces in a channel's configuration.
func ordererEndpointsIn(cfg *common.Config, orderingMSPID string) []string {
	group := cfg.GetChannelGroup().GetGroups()["Orderer"].GetGroups()[orderingMSPID] // groups are named by MSP ID
	v, ok := group.GetValues()["Endpoints"]
	if !ok {
		return nil
	}
	var addrs common.OrdererAddresses
	if err := proto.Unmarshal(v.GetValue(), &addrs); err != nil {
		return nil
	}
	return addrs.GetAddresses()
}

// osnChannelList is osnadmin's answer to `channel list`.
type osnChannelList struct {
	Channels []struct {
		Name string `json:"name"`
	} `json:"channels"`
}

// OrdererChannels lists the channels one of the agency's orderers has joined.
func (a *Agency) OrdererChannels(ctx context.Context, o *Orderer) ([]string, error) {
	out, err := a.osnadmin(ctx, o, "channel", "list")
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

// joinOrderers joins each of the agency's orderers to every channel it has
// not joined yet: an orderer operator orders every channel.
func (a *Agency) joinOrderers(ctx context.Context) (int, error) {
	if len(a.Orderers) == 0 {
		return 0, nil
	}
	channels, err := a.channelsWithBlocks(ctx, a.Spec.Channels)
	if err != nil {
		return 0, err
	}
	return forEach(a.Orderers, func(o *Orderer) (int, error) {
		joined, err := a.OrdererChannels(ctx, o)
		if err != nil {
			return 0, err
		}
		count := 0
		for _, ch := range channels {
			if slices.Contains(joined, ch.Name) {
				continue
			}
			block, done, err := a.joinBlock(ctx, o, ch.Name)
			if err != nil {
				return count, err
			}
			_, err = a.osnadmin(ctx, o, "channel", "join", "--channelID", ch.Name, "--config-block", block)
			done()
			if err != nil {
				return count, err
			}
			count++
		}
		return count, nil
	})
}

// joinPeers joins each of the agency's peers to each of its organisation's
// channels that it has not joined yet.
func (a *Agency) joinPeers(ctx context.Context) (int, error) {
	channels, err := a.channelsWithBlocks(ctx, a.Channels())
	if err != nil {
		return 0, err
	}
	return forEach(a.Peers, func(p *Peer) (int, error) {
		joined, err := a.PeerChannels(ctx, p)
		if err != nil {
			return 0, err
		}
		count := 0
		for _, ch := range channels {
			if slices.Contains(joined, ch.Name) {
				continue
			}
			if err := a.JoinPeer(ctx, p, ch.Name); err != nil {
				return count, err
			}
			count++
		}
		return count, nil
	})
}

// JoinPeer asks one of the agency's peers to join a channel from its
// genesis block. The orderers only serve blocks to channel members, so the
// peer of an organisation outside the channel learns nothing beyond the
// genesis block.
func (a *Agency) JoinPeer(ctx context.Context, p *Peer, channel string) error {
	block := a.GenesisBlock(channel)
	if !fileExists(block) {
		return fmt.Errorf("%s holds no genesis block of %s", a.Org.Name, channel)
	}
	// The orderers' Raft leader and the peer's deliver client take a moment
	// after a fresh start; joining is safe to repeat until it takes.
	return retry(ctx, 30*time.Second, func() error {
		_, err := a.peerCLI(ctx, p, "channel", "join", "-b", block)
		if err != nil && strings.Contains(err.Error(), "already exists") {
			return nil
		}
		return err
	})
}

// PeerChannels lists the channels one of the agency's peers has joined.
func (a *Agency) PeerChannels(ctx context.Context, p *Peer) ([]string, error) {
	out, err := a.peerCLI(ctx, p, "channel", "list")
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

// FetchBlock asks the orderers for a channel's newest block as the agency's
// administrator, writing it into dir. The orderers only deliver blocks to
// members of the channel.
func (a *Agency) FetchBlock(ctx context.Context, channel, dir string) ([]byte, error) {
	if len(a.Peers) == 0 {
		return nil, fmt.Errorf("%s runs no peer to fetch with", a.Org.Name)
	}
	var out []byte
	err := a.withOrderer(ctx, func(orderer []string) error {
		args := append([]string{"channel", "fetch", "newest", filepath.Join(dir, channel+".block"), "-c", channel}, orderer...)
		var err error
		out, err = a.peerCLI(ctx, a.Peers[0], args...)
		return err
	})
	return out, err
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
