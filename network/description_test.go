package network

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDescriptionRoundTripsThroughItsFile(t *testing.T) {
	cases := map[string]struct {
		spec *Spec
		json string
	}{
		"raft": {Consortium(WithBenchmarkProbes()), `"consensus": "etcdraft"`},
		"bft":  {Consortium(WithBFT()), `"consensus": "BFT"`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			data, err := EncodeSpec(tc.spec)
			require.NoError(t, err)
			assert.Contains(t, string(data), tc.json, "the description names its consensus type")
			path := filepath.Join(t.TempDir(), "consortium.json")
			require.NoError(t, os.WriteFile(path, data, 0o644))

			loaded, err := LoadSpec(path)
			require.NoError(t, err)
			assert.Equal(t, tc.spec, loaded)
			assert.Equal(t, tc.spec.Ordering.ConsensusType(), loaded.Ordering.ConsensusType())
		})
	}
}

func TestLoadSpecReadsADescriptionWithoutConsensusAsRaft(t *testing.T) {
	data, err := EncodeSpec(Consortium())
	require.NoError(t, err)
	data = []byte(strings.Replace(string(data), `"consensus": "etcdraft",`, "", 1))
	path := filepath.Join(t.TempDir(), "consortium.json")
	require.NoError(t, os.WriteFile(path, data, 0o644))
	loaded, err := LoadSpec(path)
	require.NoError(t, err)
	assert.Equal(t, Raft, loaded.Ordering.ConsensusType())
}

func TestLoadSpecRefusesWhatItCannotTrust(t *testing.T) {
	valid, err := EncodeSpec(Consortium())
	require.NoError(t, err)
	cases := map[string]struct {
		data string
		want string
	}{
		"an unknown field":      {string(valid[:len(valid)-2]) + `,"extra":true}`, "unknown field"},
		"two descriptions":      {string(valid) + string(valid), "unexpected data"},
		"not JSON":              {"consortium: govshare", "invalid character"},
		"BFT on three orderers": {strings.Replace(string(valid), `"consensus": "etcdraft"`, `"consensus": "BFT"`, 1), "BFT ordering needs at least 4 orderers"},
		"an unknown consensus":  {strings.Replace(string(valid), `"consensus": "etcdraft"`, `"consensus": "solo"`, 1), `unknown consensus type "solo"`},
		"an invalid member":     {`{"name":"X","organizations":[],"channels":[{"name":"c","members":["Nobody"]}]}`, "no orderer"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "consortium.json")
			require.NoError(t, os.WriteFile(path, []byte(tc.data), 0o644))
			_, err := LoadSpec(path)
			assert.ErrorContains(t, err, tc.want)
		})
	}
}

func TestCloneSharesNothing(t *testing.T) {
	spec := Consortium()
	c := spec.Clone()
	require.Equal(t, spec, c)
	c.Organizations[0].Peers[0] = "peer9"
	c.Channels[0].Members[0] = "Someone"
	c.Channels[0].Chaincodes[1].Collections[0].Members[0] = "OtherMSP"
	c.Channels[0].Chaincodes[1].EndorsementPolicy = "OR('X.peer')"
	assert.Equal(t, Consortium(), spec, "changing the clone leaves the original as it was")
}
