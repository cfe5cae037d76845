package network

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Status is a snapshot of the network: every node and every channel.
type Status struct {
	StateDir string          `json:"stateDir"`
	Nodes    []NodeStatus    `json:"nodes"`
	Channels []ChannelStatus `json:"channels"`
}

// NodeStatus is one node's process and health.
type NodeStatus struct {
	Name         string     `json:"name"`
	Kind         string     `json:"kind"` // ca, orderer or peer
	Organization string     `json:"organization"`
	PID          int        `json:"pid"` // 0 when not running
	Ports        []NodePort `json:"ports"`
	Health       string     `json:"health"` // "OK", "stopped" or the health check's error
	Log          string     `json:"log"`
	Heights      []Height   `json:"heights,omitempty"`
}

// NodePort is one port a node listens on.
type NodePort struct {
	Purpose string `json:"purpose"`
	Address string `json:"address"`
}

// Height is a node's block height on one channel.
type Height struct {
	Channel string `json:"channel"`
	Height  int64  `json:"height"`
}

// ChannelStatus is one channel's members and committed chaincodes.
type ChannelStatus struct {
	Name       string               `json:"name"`
	Members    []string             `json:"members"`
	Chaincodes []CommittedChaincode `json:"chaincodes"`
	Error      string               `json:"error,omitempty"`
}

// Running reports whether every node is running and healthy.
func (s *Status) Running() bool {
	for _, node := range s.Nodes {
		if node.Health != "OK" {
			return false
		}
	}
	return true
}

// Status reports every node's PID, ports and health (from its operations
// endpoint), each peer's and orderer's block height per channel (from its
// Prometheus metrics), and each channel's committed chaincodes with their
// version, sequence and endorsement policy. Committed chaincodes are only
// read when the network is running.
func (n *Network) Status(ctx context.Context) (*Status, error) {
	s := &Status{StateDir: n.opts.StateDir}
	for _, a := range n.Agencies {
		s.Nodes = append(s.Nodes, a.nodeStatus(ctx)...)
	}
	running := s.Running()
	for _, ch := range n.Spec.Channels {
		s.Channels = append(s.Channels, n.agencyOfMember(ch).channelStatus(ctx, ch, running))
	}
	return s, nil
}

// Status reports the agency's own nodes, as Network.Status does, and the
// chaincodes committed on its channels.
func (a *Agency) Status(ctx context.Context) (*Status, error) {
	s := &Status{StateDir: a.opts.Dir, Nodes: a.nodeStatus(ctx)}
	running := s.Running()
	for _, ch := range a.Channels() {
		s.Channels = append(s.Channels, a.channelStatus(ctx, ch, running))
	}
	return s, nil
}

func (a *Agency) nodeStatus(ctx context.Context) []NodeStatus {
	kinds := map[string]string{a.bin("fabric-ca-server"): "ca", a.bin("orderer"): "orderer", a.bin("peer"): "peer"}
	nodes := a.processes()
	out := make([]NodeStatus, len(nodes))
	_, _ = forEach(nodes, func(p *process) (int, error) {
		node := NodeStatus{Name: p.Name, Kind: kinds[p.Binary], Organization: a.Org.Name, PID: p.PID(), Health: "stopped", Log: p.LogFile()}
		for _, port := range p.Ports {
			node.Ports = append(node.Ports, NodePort(port))
		}
		if node.PID != 0 {
			node.Health = "OK"
			if err := healthy(ctx, p.HealthURL); err != nil {
				node.Health = err.Error()
			} else if node.Kind != "ca" {
				metrics := strings.TrimSuffix(p.HealthURL, "/healthz") + "/metrics"
				node.Heights, _ = blockHeights(ctx, metrics)
			}
		}
		out[indexOf(nodes, p)] = node
		return 0, nil
	})
	return out
}

func (a *Agency) channelStatus(ctx context.Context, ch *Channel, running bool) ChannelStatus {
	cs := ChannelStatus{Name: ch.Name, Members: ch.Members}
	if !running {
		return cs
	}
	for _, cc := range ch.Chaincodes {
		c, err := a.Committed(ctx, ch, cc.Name)
		if err != nil {
			cs.Error = err.Error()
			break
		}
		if c != nil {
			cs.Chaincodes = append(cs.Chaincodes, *c)
		}
	}
	return cs
}

// blockHeights reads ledger_blockchain_height per channel from a node's
// Prometheus metrics.
func blockHeights(ctx context.Context, url string) ([]Height, error) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("metrics request: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("read metrics: %w", err)
	}
	defer resp.Body.Close()
	return parseHeights(resp.Body)
}

func parseHeights(r io.Reader) ([]Height, error) {
	var heights []Height
	scanner := bufio.NewScanner(r)
	scanner.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for scanner.Scan() {
		line := scanner.Text()
		rest, ok := strings.CutPrefix(line, `ledger_blockchain_height{channel="`)
		if !ok {
			continue
		}
		channel, value, ok := strings.Cut(rest, `"} `)
		if !ok {
			continue
		}
		h, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
		if err != nil {
			return nil, fmt.Errorf("metric line %q: %w", line, err)
		}
		heights = append(heights, Height{Channel: channel, Height: int64(h)})
	}
	if err := scanner.Err(); err != nil {
		return nil, fmt.Errorf("read metrics: %w", err)
	}
	return heights, nil
}

// WriteText writes the status as tables a person reads.
func (s *Status) WriteText(w io.Writer) {
	fmt.Fprintf(w, "state: %s\n\n", s.StateDir)
	fmt.Fprintf(w, "%-38s %-8s %-8s %-7s %-32s %s\n", "NODE", "KIND", "PID", "HEALTH", "PORTS", "BLOCK HEIGHTS")
	for _, node := range s.Nodes {
		pid := "-"
		if node.PID != 0 {
			pid = strconv.Itoa(node.PID)
		}
		var ports, heights []string
		for _, p := range node.Ports {
			_, port, _ := strings.Cut(p.Address, ":")
			ports = append(ports, p.Purpose+"="+port)
		}
		for _, h := range node.Heights {
			heights = append(heights, fmt.Sprintf("%s=%d", h.Channel, h.Height))
		}
		health := node.Health
		if len(health) > 7 && health != "stopped" {
			health = "FAILING"
		}
		fmt.Fprintf(w, "%-38s %-8s %-8s %-7s %-32s %s\n", node.Name, node.Kind, pid, health, strings.Join(ports, ","), strings.Join(heights, " "))
		if health == "FAILING" {
			fmt.Fprintf(w, "    %s (log: %s)\n", node.Health, node.Log)
		}
	}
	fmt.Fprintln(w)
	for _, ch := range s.Channels {
		fmt.Fprintf(w, "channel %s: members %s\n", ch.Name, strings.Join(ch.Members, ", "))
		if ch.Error != "" {
			fmt.Fprintf(w, "  error: %s\n", ch.Error)
		}
		for _, cc := range ch.Chaincodes {
			fmt.Fprintf(w, "  %-10s version %s sequence %d policy %s", cc.Name, cc.Version, cc.Sequence, cc.EndorsementPolicy)
			if len(cc.Collections) > 0 {
				fmt.Fprintf(w, " collections %s", strings.Join(cc.Collections, ","))
			}
			fmt.Fprintln(w)
		}
	}
}
