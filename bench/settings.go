package bench

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/orderer"
	"google.golang.org/protobuf/proto"
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

// ReadNetworkSettings reads the orderer batch settings a channel was
// created with from its genesis block (channels/<channel>.block in the
// folder of an agency that holds it, stateDir: no configuration update
// changes them later), and the gateway concurrency limit from the rendered
// core.yaml of the agency's peer (nodes/<peer>/core.yaml), into s. The rendered configtx.yaml is not
// used: it follows the consortium declaration, which may have changed
// since the channel was created.
func ReadNetworkSettings(stateDir, channel, peer string, s *Settings) error {
	block, err := os.ReadFile(filepath.Join(stateDir, "channels", channel+".block"))
	if err != nil {
		return fmt.Errorf("read network settings: %w", err)
	}
	batch, err := BatchSettings(block)
	if err != nil {
		return fmt.Errorf("read network settings from the %s genesis block: %w", channel, err)
	}
	s.BatchTimeout = batch.Timeout
	s.MaxMessageCount = int(batch.MaxMessageCount)
	s.PreferredMaxBytes = fmt.Sprintf("%d KB", batch.PreferredMaxBytes/1024)
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

// Batch is a channel's block cutting configuration.
type Batch struct {
	Timeout           string
	MaxMessageCount   uint32
	PreferredMaxBytes uint32
}

// BatchSettings reads the orderer batch settings from a channel
// configuration block (a genesis block or a later config block).
func BatchSettings(block []byte) (*Batch, error) {
	var b common.Block
	if err := proto.Unmarshal(block, &b); err != nil {
		return nil, fmt.Errorf("decode block: %w", err)
	}
	if len(b.GetData().GetData()) != 1 {
		return nil, fmt.Errorf("a configuration block has one transaction, this one %d", len(b.GetData().GetData()))
	}
	var env common.Envelope
	if err := proto.Unmarshal(b.GetData().GetData()[0], &env); err != nil {
		return nil, fmt.Errorf("decode envelope: %w", err)
	}
	var payload common.Payload
	if err := proto.Unmarshal(env.GetPayload(), &payload); err != nil {
		return nil, fmt.Errorf("decode payload: %w", err)
	}
	var config common.ConfigEnvelope
	if err := proto.Unmarshal(payload.GetData(), &config); err != nil {
		return nil, fmt.Errorf("decode configuration: %w", err)
	}
	values := config.GetConfig().GetChannelGroup().GetGroups()["Orderer"].GetValues()
	if values["BatchSize"] == nil || values["BatchTimeout"] == nil {
		return nil, errors.New("the configuration has no orderer batch settings")
	}
	var size orderer.BatchSize
	if err := proto.Unmarshal(values["BatchSize"].GetValue(), &size); err != nil {
		return nil, fmt.Errorf("decode BatchSize: %w", err)
	}
	var timeout orderer.BatchTimeout
	if err := proto.Unmarshal(values["BatchTimeout"].GetValue(), &timeout); err != nil {
		return nil, fmt.Errorf("decode BatchTimeout: %w", err)
	}
	return &Batch{Timeout: timeout.GetTimeout(), MaxMessageCount: size.GetMaxMessageCount(), PreferredMaxBytes: size.GetPreferredMaxBytes()}, nil
}
