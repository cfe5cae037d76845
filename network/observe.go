package network

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// What the nodes' metrics tell about ordering: who leads each channel, and
// how far each node has got.

// The orderers' Prometheus metrics that name a channel's leader.
const (
	// raftLeaderMetric is 1 on the Raft leader of a channel, 0 elsewhere.
	raftLeaderMetric = "consensus_etcdraft_is_leader"
	// bftLeaderMetric is the consenter ID of the leader of the view an
	// orderer is in (SmartBFT's own metric, set when a view starts).
	bftLeaderMetric = "consensus_smartbft_view_leader_id"
)

// ErrNoLeader is returned by [Network.OrderingLeader] when the running
// orderers name no leader of a channel, or name different ones: during an
// election or a view change, or with too few orderers running.
var ErrNoLeader = errors.New("no agreed ordering leader")

// ConsenterID returns an orderer's ID among the consenters of a BFT
// channel: the orderers of the description numbered from 1 in its order,
// as configtx.yaml's ConsenterMapping numbers them. It is 0 for an orderer
// the description does not declare.
func (s *Spec) ConsenterID(o *Orderer) int {
	id := 0
	for _, org := range s.OrdererOrganizations() {
		for _, name := range org.Orderers {
			id++
			if org == o.Org && name == o.Name {
				return id
			}
		}
	}
	return 0
}

// OrderingLeader returns the orderer that leads ordering on a channel, as
// the running orderers report it in their metrics: for Raft the one whose
// consensus_etcdraft_is_leader is 1, for BFT the consenter that
// consensus_smartbft_view_leader_id names on every running orderer. A
// stopped orderer is not asked. It wraps ErrNoLeader when no leader is
// named or the orderers disagree; ask again a moment later.
func (n *Network) OrderingLeader(ctx context.Context, channel string) (*Orderer, error) {
	bft := n.Spec.Ordering.ConsensusType() == BFT
	metric := raftLeaderMetric
	if bft {
		metric = bftLeaderMetric
	}
	var leaders []*Orderer
	var reports []string
	for _, o := range n.Orderers {
		if n.AgencyOf(o.Org).OrdererProcessID(o) == 0 {
			continue
		}
		value, found, err := channelGauge(ctx, "http://"+joinHostPort(o.Host, o.OperationsPort)+"/metrics", metric, channel)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", o.ID(), err)
		}
		if !found {
			reports = append(reports, o.ID()+": none")
			continue
		}
		reports = append(reports, fmt.Sprintf("%s: %g", o.ID(), value))
		switch {
		case bft:
			leaders = append(leaders, n.consenter(int(value)))
		case value == 1:
			leaders = append(leaders, o)
		}
	}
	if len(leaders) == 0 || leaders[0] == nil {
		return nil, fmt.Errorf("%w on %s (%s: %s)", ErrNoLeader, channel, metric, strings.Join(reports, ", "))
	}
	for _, l := range leaders[1:] {
		if l != leaders[0] {
			return nil, fmt.Errorf("%w on %s: the orderers disagree (%s: %s)", ErrNoLeader, channel, metric, strings.Join(reports, ", "))
		}
	}
	return leaders[0], nil
}

// Heights reads every running orderer's and peer's block height per
// channel from its metrics, as Status does but without asking the peers for
// their chaincodes: node ID -> channel -> height. A node that does not
// answer is left out.
func (n *Network) Heights(ctx context.Context) map[string]map[string]int64 {
	type node struct {
		id, metrics string
	}
	var nodes []node
	for _, o := range n.Orderers {
		if n.AgencyOf(o.Org).OrdererProcessID(o) != 0 {
			nodes = append(nodes, node{o.ID(), "http://" + joinHostPort(o.Host, o.OperationsPort) + "/metrics"})
		}
	}
	for _, p := range n.Peers {
		if n.AgencyOf(p.Org).PeerProcessID(p) != 0 {
			nodes = append(nodes, node{p.ID(), "http://" + joinHostPort(p.Host, p.OperationsPort) + "/metrics"})
		}
	}
	found := make([]map[string]int64, len(nodes))
	_, _ = forEach(nodes, func(nd node) (int, error) {
		heights, err := blockHeights(ctx, nd.metrics)
		if err != nil {
			return 0, nil
		}
		byChannel := map[string]int64{}
		for _, h := range heights {
			byChannel[h.Channel] = h.Height
		}
		found[indexOf(nodes, nd)] = byChannel
		return 0, nil
	})
	out := map[string]map[string]int64{}
	for i, nd := range nodes {
		if found[i] != nil {
			out[nd.id] = found[i]
		}
	}
	return out
}

// consenter returns the orderer with a consenter ID, nil if none has it.
func (n *Network) consenter(id int) *Orderer {
	for _, o := range n.Orderers {
		if n.Spec.ConsenterID(o) == id {
			return o
		}
	}
	return nil
}

// channelGauge reads the value of one metric of one channel from a node's
// Prometheus metrics, and whether the node reports it.
func channelGauge(ctx context.Context, url, metric, channel string) (float64, bool, error) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, false, fmt.Errorf("metrics request: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, false, fmt.Errorf("read metrics: %w", err)
	}
	defer resp.Body.Close()
	return parseChannelGauge(resp.Body, metric, channel)
}

func parseChannelGauge(r io.Reader, metric, channel string) (float64, bool, error) {
	prefix := metric + `{channel="` + channel + `"} `
	scanner := bufio.NewScanner(r)
	scanner.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for scanner.Scan() {
		value, ok := strings.CutPrefix(scanner.Text(), prefix)
		if !ok {
			continue
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
		if err != nil {
			return 0, false, fmt.Errorf("metric %s of %s: %w", metric, channel, err)
		}
		return v, true, nil
	}
	if err := scanner.Err(); err != nil {
		return 0, false, fmt.Errorf("read metrics: %w", err)
	}
	return 0, false, nil
}
