package network

import (
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"
)

// liveConfig is sampleConfig as a running channel has it: versions raised
// by earlier updates.
func liveConfig() *common.Config {
	c := sampleConfig()
	c.ChannelGroup.Groups["Application"].Version = 2
	c.ChannelGroup.Groups["Application"].Groups["UniversityAMSP"].Values["MSP"].Version = 1
	c.ChannelGroup.Groups["Orderer"].Values["BatchTimeout"].Version = 4
	return c
}

func TestComputeUpdateOfAnUnchangedConfigurationIsNoChange(t *testing.T) {
	_, err := computeUpdate("education-credit", liveConfig(), sampleConfig())
	assert.ErrorIs(t, err, ErrNoChange, "versions alone are no change")
}

func TestComputeUpdateAddingAMemberRewritesItsGroupAtTheNextVersion(t *testing.T) {
	wanted := sampleConfig()
	wanted.ChannelGroup.Groups["Application"].Groups["UniversityCMSP"] = &common.ConfigGroup{ModPolicy: "Admins",
		Values: map[string]*common.ConfigValue{"MSP": {Value: []byte("msp of C"), ModPolicy: "Admins"}}}

	u, err := computeUpdate("education-credit", liveConfig(), wanted)
	require.NoError(t, err)
	assert.Equal(t, "education-credit", u.ChannelId)
	app := u.WriteSet.Groups["Application"]
	require.NotNil(t, app)
	assert.Equal(t, uint64(3), app.Version, "the group's membership changes: its version rises")
	assert.Equal(t, "Admins", app.ModPolicy)
	assert.Equal(t, uint64(0), app.Groups["UniversityCMSP"].Version, "a new member starts at version 0")
	assert.Equal(t, []byte("msp of C"), app.Groups["UniversityCMSP"].Values["MSP"].Value)
	assert.Equal(t, &common.ConfigGroup{Version: 0}, app.Groups["EduMinistryMSP"], "unchanged members are named by version only")
	assert.Equal(t, uint64(2), u.ReadSet.Groups["Application"].Version, "the update reads the version it changes")
	assert.NotContains(t, u.WriteSet.Groups, "Orderer", "what does not change is not in the write set")
	assert.Equal(t, uint64(0), u.WriteSet.Version, "the channel group itself does not change")
}

func TestComputeUpdateChangingAValueRaisesOnlyItsVersion(t *testing.T) {
	wanted := sampleConfig()
	wanted.ChannelGroup.Groups["Orderer"].Values["BatchTimeout"].Value = []byte("2s")
	u, err := computeUpdate("finance-ledger", liveConfig(), wanted)
	require.NoError(t, err)
	orderer := u.WriteSet.Groups["Orderer"]
	assert.Equal(t, uint64(0), orderer.Version, "the group keeps its version: only a value in it changes")
	assert.Equal(t, &common.ConfigValue{Version: 5, ModPolicy: "Admins", Value: []byte("2s")}, orderer.Values["BatchTimeout"])
	assert.NotContains(t, u.WriteSet.Groups, "Application", "nothing of the Application group is written")
}

func TestComputeUpdateRemovingAMemberRewritesItsGroup(t *testing.T) {
	wanted := sampleConfig()
	delete(wanted.ChannelGroup.Groups["Application"].Groups, "UniversityAMSP")
	u, err := computeUpdate("education-credit", liveConfig(), wanted)
	require.NoError(t, err)
	app := u.WriteSet.Groups["Application"]
	assert.Equal(t, uint64(3), app.Version)
	assert.NotContains(t, app.Groups, "UniversityAMSP", "a removed member is left out of the rewritten group")
	assert.Contains(t, app.Groups, "EduMinistryMSP")
}

func TestRequiredPoliciesAreTheModificationPoliciesOfWhatRises(t *testing.T) {
	current := liveConfig()
	idx, err := indexConfig(current)
	require.NoError(t, err)

	wanted := proto.Clone(current).(*common.Config)
	wanted.ChannelGroup.Groups["Orderer"].Values["BatchTimeout"].Value = []byte("2s")
	wanted.ChannelGroup.Groups["Application"].Groups["UniversityCMSP"] = &common.ConfigGroup{ModPolicy: "Admins"}
	u, err := computeUpdate("c", current, wanted)
	require.NoError(t, err)
	assert.Equal(t, []string{"/Channel/Application/Admins", "/Channel/Orderer/Admins"}, requiredPolicies(idx, u))
}

func TestDescribeChangesListsWhatAnAdministratorSigns(t *testing.T) {
	wanted := sampleConfig()
	wanted.ChannelGroup.Groups["Application"].Groups["UniversityCMSP"] = &common.ConfigGroup{}
	delete(wanted.ChannelGroup.Groups["Application"].Groups, "UniversityAMSP")
	wanted.ChannelGroup.Groups["Orderer"].Values["BatchTimeout"].Value = []byte("2s")
	assert.Equal(t, []Change{
		{"Channel/Application/UniversityAMSP", "removed"},
		{"Channel/Application/UniversityCMSP", "added"},
		{"Channel/Orderer/values/BatchTimeout", "changed"},
	}, describeChanges(sampleConfig(), wanted))
}
