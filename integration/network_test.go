//go:build integration

package integration

import (
	"context"
	"crypto/x509"
	"encoding/asn1"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/govshare/govshare/chaincode/benchprobe"
	"github.com/govshare/govshare/chaincode/consortium"
	govclient "github.com/govshare/govshare/gateway-client"
	"github.com/govshare/govshare/gateway-client/profile"
	"github.com/govshare/govshare/network"
)

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// connect opens a gateway as org's user with role, closed at the test's end.
func connect(t *testing.T, org, role string) *client.Gateway {
	t.Helper()
	return session(t, org, role).Gateway()
}

func TestEveryNodeIsHealthy(t *testing.T) {
	status, err := testNetwork.Status(testContext(t))
	require.NoError(t, err)

	kinds := map[string]int{}
	for _, node := range status.Nodes {
		kinds[node.Kind]++
		assert.NotZero(t, node.PID, "%s has no PID", node.Name)
		assert.Equal(t, "OK", node.Health, "%s health", node.Name)
	}
	assert.Equal(t, map[string]int{"ca": 8, "orderer": 3, "peer": 8}, kinds, "one CA server and one peer per organisation, three orderers run by three agencies")
	assert.True(t, status.Running())
}

func TestEveryChannelIsOnEveryMemberPeerAndOrderer(t *testing.T) {
	ctx := testContext(t)
	spec := testNetwork.Spec
	var all []string
	for _, ch := range spec.Channels {
		all = append(all, ch.Name)
	}
	for _, o := range testNetwork.Orderers {
		channels, err := testNetwork.OrdererChannels(ctx, o)
		require.NoError(t, err)
		assert.ElementsMatch(t, all, channels, "channels of %s", o.ID())
	}
	for _, p := range testNetwork.Peers {
		channels, err := testNetwork.PeerChannels(ctx, p)
		require.NoError(t, err)
		var want []string
		for _, ch := range spec.ChannelsOf(p.Org) {
			want = append(want, ch.Name)
		}
		assert.ElementsMatch(t, want, channels, "channels of %s", p.ID())
	}

	status, err := testNetwork.Status(ctx)
	require.NoError(t, err)
	for _, node := range status.Nodes {
		if node.Kind != "peer" {
			continue
		}
		for _, h := range node.Heights {
			// Each channel has its genesis block, the chaincode definitions
			// and the health check's write.
			assert.Greater(t, h.Height, int64(3), "height of %s on %s", node.Name, h.Channel)
		}
	}
}

func TestChaincodesAreCommittedWithTheDeclaredPolicy(t *testing.T) {
	ctx := testContext(t)
	for _, ch := range testNetwork.Spec.Channels {
		for _, cc := range ch.Chaincodes {
			t.Run(ch.Name+"/"+cc.Name, func(t *testing.T) {
				committed, err := testNetwork.Committed(ctx, ch, cc.Name)
				require.NoError(t, err)
				if cc.Name != network.BaselineChaincode && committed == nil {
					t.Skipf("%s is not written yet, so not deployed", cc.Package)
				}
				require.NotNil(t, committed, "baseline is deployed on every channel")
				assert.Equal(t, cc.EndorsementPolicy, committed.EndorsementPolicy)
				var want []string
				for _, col := range cc.Collections {
					want = append(want, col.Name)
				}
				assert.ElementsMatch(t, want, committed.Collections)
				assert.GreaterOrEqual(t, committed.Sequence, int64(1))
			})
		}
	}
}

// endorsers reads a committed transaction back from the ledger through qscc
// and returns its validation code and the MSP IDs of its endorsers.
func endorsers(t *testing.T, gw *client.Gateway, channel, txID string) (peer.TxValidationCode, []string) {
	t.Helper()
	data, err := gw.GetNetwork(channel).GetContract("qscc").EvaluateTransaction("GetTransactionByID", channel, txID)
	require.NoError(t, err)
	var processed peer.ProcessedTransaction
	require.NoError(t, proto.Unmarshal(data, &processed))
	var payload common.Payload
	require.NoError(t, proto.Unmarshal(processed.GetTransactionEnvelope().GetPayload(), &payload))
	var tx peer.Transaction
	require.NoError(t, proto.Unmarshal(payload.GetData(), &tx))
	require.Len(t, tx.GetActions(), 1)
	var action peer.ChaincodeActionPayload
	require.NoError(t, proto.Unmarshal(tx.GetActions()[0].GetPayload(), &action))
	var msps []string
	for _, e := range action.GetAction().GetEndorsements() {
		var id msp.SerializedIdentity
		require.NoError(t, proto.Unmarshal(e.GetEndorser(), &id))
		msps = append(msps, id.GetMspid())
	}
	slices.Sort(msps)
	return peer.TxValidationCode(processed.GetValidationCode()), msps
}

func TestBaselineWriteIsEndorsedByTheRequiredOrganizations(t *testing.T) {
	cases := []struct {
		channel, org, role string
		// required lists MSP IDs that must all endorse; oneOf lists MSP IDs
		// of which at least one must.
		required, oneOf []string
	}{
		{network.EducationChannel, "UniversityA", "admin", []string{"EduMinistryMSP"}, []string{"UniversityAMSP", "UniversityBMSP"}},
		{network.FinanceChannel, "FinanceBureau", "admin", []string{"AuditOfficeMSP"}, []string{"FinanceBureauMSP", "EduMinistryMSP", "InternetCourtMSP"}},
		{network.EvidenceChannel, "InternetCourt", "admin", []string{"InternetCourtMSP", "NotaryOfficeMSP"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.channel, func(t *testing.T) {
			gw := connect(t, tc.org, tc.role)
			contract := gw.GetNetwork(tc.channel).GetContract(network.BaselineChaincode)
			key := "endorsed-" + tc.org
			_, commit, err := contract.SubmitAsync("Put", client.WithArguments(key, "v1"))
			require.NoError(t, err)
			status, err := commit.Status()
			require.NoError(t, err)
			require.True(t, status.Successful, "validation code %s", status.Code)

			code, msps := endorsers(t, gw, tc.channel, status.TransactionID)
			assert.Equal(t, peer.TxValidationCode_VALID, code)
			for _, m := range tc.required {
				assert.Contains(t, msps, m, "endorsers %v", msps)
			}
			if tc.oneOf != nil {
				assert.True(t, slices.ContainsFunc(msps, func(m string) bool { return slices.Contains(tc.oneOf, m) }),
					"endorsers %v include none of %v", msps, tc.oneOf)
			}
			assert.NotContains(t, msps, "OversightMSP", "Oversight is never required, so the gateway needs not ask it")

			got, err := contract.EvaluateTransaction("Get", key)
			require.NoError(t, err)
			assert.Equal(t, "v1", string(got))
		})
	}
}

// TestNoSingleOrganizationCanWriteAlone has a write that the chaincode
// admits (an administrator's health check) endorsed by one organisation's
// peer alone, Oversight's included: validation refuses it on every peer.
// (Oversight's own identities are refused by the chaincode before any
// endorsement: see TestOversightWritesNothingAnywhere.)
func TestNoSingleOrganizationCanWriteAlone(t *testing.T) {
	cases := []struct{ channel, org, endorser string }{
		{network.EducationChannel, "UniversityA", "UniversityAMSP"},
		{network.EducationChannel, "EduMinistry", "EduMinistryMSP"},
		{network.EducationChannel, "UniversityB", "OversightMSP"},
		{network.FinanceChannel, "AuditOffice", "AuditOfficeMSP"},
		{network.FinanceChannel, "FinanceBureau", "OversightMSP"},
		{network.EvidenceChannel, "InternetCourt", "InternetCourtMSP"},
		{network.EvidenceChannel, "NotaryOffice", "OversightMSP"},
	}
	for _, tc := range cases {
		t.Run(tc.channel+"/"+tc.endorser, func(t *testing.T) {
			gw := connect(t, tc.org, "admin")
			contract := gw.GetNetwork(tc.channel).GetContract(network.BaselineChaincode)
			key := "alone-" + tc.endorser
			_, err := contract.Submit("Put", client.WithArguments(key, "forged"), client.WithEndorsingOrganizations(tc.endorser))
			var commitErr *client.CommitError
			require.ErrorAs(t, err, &commitErr, "a write endorsed by %s alone must fail validation", tc.endorser)
			assert.Equal(t, peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE, commitErr.Code)

			_, err = contract.EvaluateTransaction("Get", key)
			assert.ErrorContains(t, err, `baseline key "`+key+`" not found`, "the refused write left nothing behind")
		})
	}
}

func TestNonMemberCannotReadAChannel(t *testing.T) {
	// FinanceBureau is not a member of education-credit: its own peer has
	// not joined the channel, and a member's peer refuses its requests.
	gw := connect(t, "FinanceBureau", "budget-officer")
	_, err := gw.GetNetwork(network.EducationChannel).GetContract(network.BaselineChaincode).EvaluateTransaction("Get", "network-up")
	require.Error(t, err, "FinanceBureau read education-credit through its own gateway")

	// Through a member's gateway peer, with its own certificate: refused.
	fb, err := testNetwork.Spec.Organization("FinanceBureau")
	require.NoError(t, err)
	ua, err := testNetwork.Spec.Organization("UniversityA")
	require.NoError(t, err)
	outsider, err := profile.Load(testNetwork.OrgDir(fb))
	require.NoError(t, err)
	member, err := profile.Load(testNetwork.OrgDir(ua))
	require.NoError(t, err)
	outsider.Gateway = member.Gateway
	outsider.Gateway.TLSRootCert = member.Path(member.Gateway.TLSRootCert)
	c, err := govclient.OpenProfile(outsider)
	require.NoError(t, err)
	defer c.Close()
	budgetOfficer, err := c.As("budget-officer")
	require.NoError(t, err)
	_, err = budgetOfficer.Evaluate(testContext(t), network.EducationChannel, network.BaselineChaincode, "Get", "network-up")
	require.Error(t, err, "UniversityA's peer answered FinanceBureau on education-credit")
	t.Logf("refused by a member's peer: %v", err)
	assert.Contains(t, strings.ToLower(err.Error()), "access denied")

	// The orderers refuse to deliver the channel's blocks to it.
	_, err = fetchBlock(t, "FinanceBureau", network.EducationChannel)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "FORBIDDEN")

	// A member can fetch the same block: the refusal is about membership.
	_, err = fetchBlock(t, "UniversityA", network.EducationChannel)
	require.NoError(t, err)
}

// fetchBlock asks an orderer for a channel's newest block as org's admin.
func fetchBlock(t *testing.T, org, channel string) (string, error) {
	o, err := testNetwork.Spec.Organization(org)
	require.NoError(t, err)
	p := testNetwork.PeersOf(o)[0]
	out, err := testNetwork.FetchBlock(testContext(t), p, channel, t.TempDir())
	return string(out), err
}

// peerHeights returns every peer's block height per channel.
func peerHeights(t *testing.T) map[string]int64 {
	t.Helper()
	status, err := testNetwork.Status(testContext(t))
	require.NoError(t, err)
	heights := map[string]int64{}
	for _, node := range status.Nodes {
		for _, h := range node.Heights {
			heights[node.Name+" "+h.Channel] = h.Height
		}
	}
	return heights
}

func nodePIDs(t *testing.T) map[string]int {
	t.Helper()
	status, err := testNetwork.Status(testContext(t))
	require.NoError(t, err)
	pids := map[string]int{}
	for _, node := range status.Nodes {
		pids[node.Name] = node.PID
	}
	return pids
}

func TestUpWhileRunningChangesNothing(t *testing.T) {
	before, heights := nodePIDs(t), peerHeights(t)
	require.NoError(t, testNetwork.Up(testContext(t)))
	assert.Equal(t, before, nodePIDs(t), "up on a running network restarted a node")
	assert.Equal(t, heights, peerHeights(t), "up on a running network added a block")

	ch, err := testNetwork.Spec.Channel(network.EducationChannel)
	require.NoError(t, err)
	committed, err := testNetwork.Committed(testContext(t), ch, network.BaselineChaincode)
	require.NoError(t, err)
	assert.Equal(t, int64(1), committed.Sequence, "up on an unchanged network committed a new definition")
}

func TestRestartKeepsLedgers(t *testing.T) {
	ctx := testContext(t)
	gw := connect(t, "UniversityB", "admin")
	contract := gw.GetNetwork(network.EducationChannel).GetContract(network.BaselineChaincode)
	_, err := contract.SubmitTransaction("Put", "kept-across-restart", "still here")
	require.NoError(t, err)
	before := peerHeights(t)
	// A peer whose ledger was lost would rebuild it from the orderers and
	// reach the same height: the block file itself must survive.
	ua, err := testNetwork.Spec.Organization("UniversityA")
	require.NoError(t, err)
	blockFile := filepath.Join(testNetwork.OrgDir(ua), "nodes", testNetwork.PeersOf(ua)[0].ID(), "data", "ledger",
		"ledgersData", "chains", "chains", network.EducationChannel, "blockfile_000000")
	fileBefore, err := os.Stat(blockFile)
	require.NoError(t, err)

	require.NoError(t, testNetwork.Down(ctx))
	for name, pid := range nodePIDs(t) {
		assert.Zero(t, pid, "%s still runs after down", name)
	}
	status, err := testNetwork.Status(ctx)
	require.NoError(t, err)
	assert.False(t, status.Running())

	require.NoError(t, testNetwork.Up(ctx))
	after := peerHeights(t)
	for key, h := range before {
		assert.GreaterOrEqual(t, after[key], h, "height of %s went back after a restart", key)
	}
	fileAfter, err := os.Stat(blockFile)
	require.NoError(t, err)
	assert.True(t, os.SameFile(fileBefore, fileAfter), "the peer's block file was recreated")
	got, err := contract.EvaluateTransaction("Get", "kept-across-restart")
	require.NoError(t, err, "the gateway connection made before the restart reconnects")
	assert.Equal(t, "still here", string(got))
}

func TestEveryUserCertificateCarriesItsRole(t *testing.T) {
	// Fabric CA puts ecert attributes in this extension as JSON.
	attrOID := asn1.ObjectIdentifier{1, 2, 3, 4, 5, 6, 7, 8, 1}
	for _, org := range testNetwork.Spec.Organizations {
		for _, role := range org.Users() {
			data, err := os.ReadFile(filepath.Join(testNetwork.UserMSPDir(org, role), "signcerts", "cert.pem"))
			require.NoError(t, err)
			block, _ := pem.Decode(data)
			require.NotNil(t, block)
			cert, err := x509.ParseCertificate(block.Bytes)
			require.NoError(t, err)
			var attrs struct {
				Attrs map[string]string `json:"attrs"`
			}
			for _, ext := range cert.Extensions {
				if ext.Id.Equal(attrOID) {
					require.NoError(t, json.Unmarshal(ext.Value, &attrs))
				}
			}
			assert.Equal(t, role, attrs.Attrs[network.RoleAttribute], "%s %s", org.Name, role)
			assert.Equal(t, []string{org.Name}, cert.Subject.Organization, "%s %s", org.Name, role)
			wantOU := "client"
			if role == network.AdminRole {
				wantOU = "admin"
			}
			assert.Contains(t, cert.Subject.OrganizationalUnit, wantOU, "%s %s: the NodeOU of a %s", org.Name, role, role)
		}
	}
}

// This test runs last: it leaves NotaryOffice's peer joined to a channel it
// is no member of.
func TestNonMemberPeerCannotJoinAChannel(t *testing.T) {
	ctx := testContext(t)
	o, err := testNetwork.Spec.Organization("NotaryOffice")
	require.NoError(t, err)
	outsider := testNetwork.PeersOf(o)[0]

	// Fabric lets an organisation's administrator make its own peer accept
	// any genesis block, but the orderers deliver the channel's blocks only
	// to members: the outsider never gets past the genesis block, while the
	// members hold the chaincode definitions and transactions.
	require.NoError(t, testNetwork.JoinPeer(ctx, outsider, network.FinanceChannel))
	time.Sleep(3 * time.Second) // time enough for a deliver client to fetch blocks, were it allowed to

	heights := map[string]int64{}
	status, err := testNetwork.Status(ctx)
	require.NoError(t, err)
	for _, node := range status.Nodes {
		for _, h := range node.Heights {
			if h.Channel == network.FinanceChannel {
				heights[node.Name] = h.Height
			}
		}
	}
	require.Contains(t, heights, outsider.ID(), "the outsider's peer reports the channel it was made to join")
	assert.Equal(t, int64(1), heights[outsider.ID()], "the outsider got blocks beyond the genesis block")
	fb, err := testNetwork.Spec.Organization("FinanceBureau")
	require.NoError(t, err)
	assert.Greater(t, heights[testNetwork.PeersOf(fb)[0].ID()], int64(1), "a member peer has the channel's blocks")

	gw := connect(t, "NotaryOffice", "notary")
	_, err = gw.GetNetwork(network.FinanceChannel).GetContract(network.BaselineChaincode).EvaluateTransaction("Get", "network-up")
	assert.Error(t, err, "the outsider read the finance ledger")
}

// TestBenchmarkProbesOnTheNetwork checks the probes the load tool
// measures features with, on the network made for benchmarks: a private
// write through transient data commits, and a key-level policy set by
// PutGuarded binds later writes of the key — endorsements that satisfy
// the chaincode's policy but not the key's are refused at validation and
// change nothing.
func TestBenchmarkProbesOnTheNetwork(t *testing.T) {
	ctx := testContext(t)
	admin := session(t, "UniversityA", "admin")
	ch := network.EducationChannel
	privateKey, guardedKey := unique("probe-private"), unique("probe-guarded")

	private := map[string][]byte{benchprobe.TransientPrivate: []byte("private probe value")}
	_, err := admin.SubmitPrivate(ctx, ch, network.BenchprobeChaincode, "PutPrivate", private, privateKey, "public", consortium.BaselineCollection)
	require.NoError(t, err)
	got, err := admin.Evaluate(ctx, ch, network.BenchprobeChaincode, "Get", privateKey)
	require.NoError(t, err)
	assert.Equal(t, "public", string(got))

	_, err = admin.Submit(ctx, ch, network.BenchprobeChaincode, "PutGuarded", guardedKey, "v1", "UniversityAMSP,EduMinistryMSP")
	require.NoError(t, err)

	// UniversityB and the ministry satisfy AND(EduMinistry, OR(UniversityA,
	// UniversityB)), but not the key's AND(UniversityA, EduMinistry)
	other := connect(t, "UniversityB", "admin").GetNetwork(ch).GetContract(network.BenchprobeChaincode)
	orgs := "UniversityAMSP,EduMinistryMSP"
	_, err = other.Submit("PutGuarded", client.WithArguments(guardedKey, "overwritten", orgs),
		client.WithEndorsingOrganizations("UniversityBMSP", "EduMinistryMSP"))
	var commitErr *client.CommitError
	require.ErrorAs(t, err, &commitErr, "a write of a guarded key without its required endorser must fail validation")
	assert.Equal(t, peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE, commitErr.Code)
	got, err = admin.Evaluate(ctx, ch, network.BenchprobeChaincode, "GetGuarded", guardedKey)
	require.NoError(t, err)
	assert.Equal(t, "v1", string(got), "the refused write changed nothing")

	// with the key's required endorsers the same write commits (read back
	// through the gateway that waited for its commit)
	_, err = other.Submit("PutGuarded", client.WithArguments(guardedKey, "v2", orgs),
		client.WithEndorsingOrganizations("UniversityAMSP", "EduMinistryMSP"))
	require.NoError(t, err)
	got, err = other.EvaluateTransaction("GetGuarded", guardedKey)
	require.NoError(t, err)
	assert.Equal(t, "v2", string(got))

	// a registrar, who writes credits, is no administrator: the probes
	// refuse it
	_, err = session(t, "UniversityA", "registrar").Submit(ctx, ch, network.BenchprobeChaincode, "Put", unique("probe-registrar"), "v")
	requireRefused(t, err, `access denied: Put called by UniversityAMSP with role "registrar"`)
}
