//go:build integration

package bft

import (
	"os"
	"slices"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/orderer"
	"github.com/hyperledger/fabric-protos-go-apiv2/orderer/smartbft"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/govshare/govshare/integration/internal/ledgercheck"
	"github.com/govshare/govshare/network"
)

// Every channel's configuration, as every agency checked it before joining,
// orders with BFT on the four consenters of the four ordering agencies,
// each in its agency's ordering organisation with its identity and TLS
// certificates, and with the SmartBFT options the description renders.
func TestChannelsAreOrderedByFourConsenters(t *testing.T) {
	if !bft() {
		t.Skip("the network under test orders with Raft")
	}
	var wantMSPs []string
	for _, org := range testNetwork.Spec.OrdererOrganizations() {
		wantMSPs = append(wantMSPs, org.OrderingMSPID())
	}
	require.Len(t, wantMSPs, network.MinBFTOrderers)
	for _, a := range testNetwork.Agencies {
		for _, ch := range a.Channels() {
			data, err := os.ReadFile(a.GenesisBlock(ch.Name))
			require.NoError(t, err)
			_, cfg, err := network.ConfigOfBlock(data)
			require.NoError(t, err)
			group := cfg.GetChannelGroup().GetGroups()["Orderer"]
			require.NotNil(t, group, "%s's %s block has an Orderer group", a.Org.Name, ch.Name)

			var consensus orderer.ConsensusType
			require.NoError(t, proto.Unmarshal(group.GetValues()["ConsensusType"].GetValue(), &consensus))
			assert.Equal(t, "BFT", consensus.GetType(), "%s on %s", ch.Name, a.Org.Name)
			var options smartbft.Options
			require.NoError(t, proto.Unmarshal(consensus.GetMetadata(), &options))
			assert.Equal(t, "50ms", options.GetRequestBatchMaxInterval())
			assert.Equal(t, "20s", options.GetLeaderHeartbeatTimeout())
			assert.NotEqual(t, smartbft.Options_ROTATION_ON, options.GetLeaderRotation())

			var consenters common.Orderers
			require.NoError(t, proto.Unmarshal(group.GetValues()["Orderers"].GetValue(), &consenters))
			var msps []string
			for i, c := range consenters.GetConsenterMapping() {
				assert.Equal(t, uint32(i+1), c.GetId())
				assert.NotEmpty(t, c.GetIdentity(), "consenter %d's identity certificate", c.GetId())
				assert.NotEmpty(t, c.GetClientTlsCert(), "consenter %d's TLS certificate", c.GetId())
				msps = append(msps, c.GetMspId())
			}
			assert.Equal(t, wantMSPs, msps, "%s: one consenter per ordering agency", ch.Name)
			assert.Empty(t, cfg.GetChannelGroup().GetValues()["OrdererAddresses"], "BFT channels have no global orderer addresses")
		}
	}
}

// A block is valid on a BFT channel with the signatures of a quorum of
// consenters: three of four. The peers committed blocks that carry them.
func TestBlocksCarryAQuorumOfConsenterSignatures(t *testing.T) {
	if !bft() {
		t.Skip("the network under test orders with Raft")
	}
	ctx := testContext(t, time.Minute)
	writers := map[string]string{network.EducationChannel: "EduMinistry", network.FinanceChannel: "FinanceBureau", network.EvidenceChannel: "InternetCourt"}
	for channel, org := range writers {
		s := session(t, org, network.AdminRole)
		res, err := s.Submit(ctx, channel, network.BaselineChaincode, "Put", unique("signed"), "x")
		require.NoError(t, err, channel)
		block, err := ledgercheck.Block(ctx, s, channel, res.BlockNumber)
		require.NoError(t, err)
		var metadata common.Metadata
		require.NoError(t, proto.Unmarshal(block.GetMetadata().GetMetadata()[common.BlockMetadataIndex_SIGNATURES], &metadata))
		var signers []uint32
		for _, sig := range metadata.GetSignatures() {
			var id common.IdentifierHeader
			require.NoError(t, proto.Unmarshal(sig.GetIdentifierHeader(), &id))
			assert.NotEmpty(t, sig.GetSignature())
			if !slices.Contains(signers, id.GetIdentifier()) {
				signers = append(signers, id.GetIdentifier())
			}
		}
		assert.GreaterOrEqual(t, len(signers), 3, "block %d of %s is signed by consenters %v", res.BlockNumber, channel, signers)
		t.Logf("block %d of %s: signed by consenters %v", res.BlockNumber, channel, signers)
	}
}
