package network

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDescriptionRoundTripsThroughItsFile(t *testing.T) {
	spec := Consortium(WithBenchmarkProbes())
	data, err := EncodeSpec(spec)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "consortium.json")
	require.NoError(t, os.WriteFile(path, data, 0o644))

	loaded, err := LoadSpec(path)
	require.NoError(t, err)
	assert.Equal(t, spec, loaded)
}

func TestLoadSpecRefusesWhatItCannotTrust(t *testing.T) {
	valid, err := EncodeSpec(Consortium())
	require.NoError(t, err)
	cases := map[string]struct {
		data string
		want string
	}{
		"an unknown field":  {string(valid[:len(valid)-2]) + `,"extra":true}`, "unknown field"},
		"two descriptions":  {string(valid) + string(valid), "unexpected data"},
		"not JSON":          {"consortium: govshare", "invalid character"},
		"an invalid member": {`{"name":"X","organizations":[],"channels":[{"name":"c","members":["Nobody"]}]}`, "no orderer"},
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
