package network

import (
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"
)

func sampleConfig() *common.Config {
	org := func(mspID string) *common.ConfigGroup {
		fabric, _ := proto.Marshal(&msp.FabricMSPConfig{Name: mspID})
		config, _ := proto.Marshal(&msp.MSPConfig{Config: fabric})
		return &common.ConfigGroup{Version: 0, ModPolicy: "Admins",
			Values:   map[string]*common.ConfigValue{"MSP": {Value: config, ModPolicy: "Admins"}},
			Policies: map[string]*common.ConfigPolicy{"Admins": {ModPolicy: "Admins", Policy: &common.Policy{Type: 1, Value: []byte(mspID + ".admin")}}}}
	}
	return &common.Config{ChannelGroup: &common.ConfigGroup{Groups: map[string]*common.ConfigGroup{
		"Application": {ModPolicy: "Admins", Groups: map[string]*common.ConfigGroup{"UniversityAMSP": org("UniversityAMSP"), "EduMinistryMSP": org("EduMinistryMSP")}},
		"Orderer":     {ModPolicy: "Admins", Values: map[string]*common.ConfigValue{"BatchTimeout": {Value: []byte("50ms"), ModPolicy: "Admins"}}},
	}}}
}

func TestDiffConfigNamesTheFirstDifference(t *testing.T) {
	cases := []struct {
		name   string
		change func(c *common.Config)
		want   string
	}{
		{"same", func(*common.Config) {}, ""},
		{"another root certificate", func(c *common.Config) {
			c.ChannelGroup.Groups["Application"].Groups["UniversityAMSP"].Values["MSP"].Value = []byte("rogue")
		}, "Channel/Application/UniversityAMSP/values/MSP"},
		{"an extra member", func(c *common.Config) {
			c.ChannelGroup.Groups["Application"].Groups["StrangerMSP"] = &common.ConfigGroup{}
		}, "Channel/Application/groups/StrangerMSP (not expected)"},
		{"a missing member", func(c *common.Config) {
			delete(c.ChannelGroup.Groups["Application"].Groups, "EduMinistryMSP")
		}, "Channel/Application/groups/EduMinistryMSP (missing)"},
		{"a policy", func(c *common.Config) {
			c.ChannelGroup.Groups["Application"].Groups["EduMinistryMSP"].Policies["Admins"].Policy.Value = []byte("ANY")
		}, "Channel/Application/EduMinistryMSP/policies/Admins"},
		{"a batch setting", func(c *common.Config) {
			c.ChannelGroup.Groups["Orderer"].Values["BatchTimeout"].Value = []byte("2s")
		}, "Channel/Orderer/values/BatchTimeout"},
		{"the sequence", func(c *common.Config) { c.Sequence = 3 }, "sequence (3, want 0)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := proto.Clone(sampleConfig()).(*common.Config)
			tc.change(got)
			assert.Equal(t, tc.want, diffConfig(got, sampleConfig()))
		})
	}
}

func TestConfigOfBlockRefusesANonConfigurationBlock(t *testing.T) {
	header, err := proto.Marshal(&common.ChannelHeader{Type: int32(common.HeaderType_ENDORSER_TRANSACTION), ChannelId: "education-credit"})
	require.NoError(t, err)
	payload, err := proto.Marshal(&common.Payload{Header: &common.Header{ChannelHeader: header}})
	require.NoError(t, err)
	env, err := proto.Marshal(&common.Envelope{Payload: payload})
	require.NoError(t, err)
	block, err := proto.Marshal(&common.Block{Header: &common.BlockHeader{Number: 7}, Data: &common.BlockData{Data: [][]byte{env}}})
	require.NoError(t, err)
	_, _, err = ConfigOfBlock(block)
	assert.ErrorContains(t, err, "block 7 of education-credit is not a configuration block")

	_, _, err = ConfigOfBlock([]byte("not a block"))
	assert.Error(t, err)
}
