package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// LoadAverage returns the machine's 1-minute load average from
// /proc/loadavg, or -1 where there is none.
func LoadAverage() float64 {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return -1
	}
	return parseLoadAverage(string(data))
}

func parseLoadAverage(s string) float64 {
	fields := strings.Fields(s)
	if len(fields) == 0 {
		return -1
	}
	v, err := strconv.ParseFloat(fields[0], 64)
	if err != nil {
		return -1
	}
	return v
}

// ReadNetworkSettings reads the orderer batch settings from the network's
// rendered configtx.yaml (channels/configtx.yaml in the state folder) and
// the gateway concurrency limit from the rendered core.yaml of peer
// (nodes/<peer>/core.yaml), into s.
func ReadNetworkSettings(stateDir, peer string, s *Settings) error {
	var configtx struct {
		Orderer struct {
			BatchTimeout string `yaml:"BatchTimeout"`
			BatchSize    struct {
				MaxMessageCount   int    `yaml:"MaxMessageCount"`
				PreferredMaxBytes string `yaml:"PreferredMaxBytes"`
			} `yaml:"BatchSize"`
		} `yaml:"Orderer"`
	}
	if err := readYAML(filepath.Join(stateDir, "channels", "configtx.yaml"), &configtx); err != nil {
		return err
	}
	s.BatchTimeout = configtx.Orderer.BatchTimeout
	s.MaxMessageCount = configtx.Orderer.BatchSize.MaxMessageCount
	s.PreferredMaxBytes = configtx.Orderer.BatchSize.PreferredMaxBytes
	var core struct {
		Peer struct {
			Limits struct {
				Concurrency struct {
					GatewayService int `yaml:"gatewayService"`
				} `yaml:"concurrency"`
			} `yaml:"limits"`
		} `yaml:"peer"`
	}
	if err := readYAML(filepath.Join(stateDir, "nodes", peer, "core.yaml"), &core); err != nil {
		return err
	}
	s.GatewayConcurrency = core.Peer.Limits.Concurrency.GatewayService
	return nil
}

func readYAML(path string, out any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read network settings: %w", err)
	}
	if err := yaml.Unmarshal(data, out); err != nil {
		return fmt.Errorf("read network settings from %s: %w", path, err)
	}
	return nil
}
