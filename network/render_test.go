package network

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

func TestMergeYAML(t *testing.T) {
	base := []byte(`
peer:
  id: sample
  gossip:
    bootstrap: 127.0.0.1:7051
    reconnectInterval: 25s
chaincode:
  externalBuilders:
    - name: ccaas_builder
      path: /opt/x
vm:
  endpoint: unix:///var/run/docker.sock
`)
	overrides := []byte(`
peer:
  id: peer0
  gossip:
    reconnectInterval: 3s
chaincode:
  externalBuilders:
    - name: govshare
      path: /state/builders/govshare
vm:
  endpoint: ""
`)
	merged, err := mergeYAML(base, overrides)
	require.NoError(t, err)

	var got struct {
		Peer struct {
			ID     string `yaml:"id"`
			Gossip struct {
				Bootstrap         string `yaml:"bootstrap"`
				ReconnectInterval string `yaml:"reconnectInterval"`
			} `yaml:"gossip"`
		} `yaml:"peer"`
		Chaincode struct {
			ExternalBuilders []struct {
				Name string `yaml:"name"`
			} `yaml:"externalBuilders"`
		} `yaml:"chaincode"`
		VM struct {
			Endpoint string `yaml:"endpoint"`
		} `yaml:"vm"`
	}
	require.NoError(t, yaml.Unmarshal(merged, &got))
	assert.Equal(t, "peer0", got.Peer.ID, "an override replaces a value")
	assert.Equal(t, "127.0.0.1:7051", got.Peer.Gossip.Bootstrap, "a value the overrides leave alone is kept")
	assert.Equal(t, "3s", got.Peer.Gossip.ReconnectInterval, "nested maps merge")
	require.Len(t, got.Chaincode.ExternalBuilders, 1, "a list is replaced, not appended to")
	assert.Equal(t, "govshare", got.Chaincode.ExternalBuilders[0].Name)
	assert.Equal(t, "", got.VM.Endpoint)
}

func TestMergeYAMLRejectsMalformed(t *testing.T) {
	_, err := mergeYAML([]byte("a: [1"), []byte("b: 2"))
	assert.ErrorContains(t, err, "parse base")
	_, err = mergeYAML([]byte("a: 1"), []byte("b: [2"))
	assert.ErrorContains(t, err, "parse overrides")
}
