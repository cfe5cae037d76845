//go:build integration

package integration

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/integration/internal/keyscan"
	"github.com/govshare/govshare/network"
)

// TestNoAgencyHoldsAnotherAgencysKeysOrSecrets reads every file of every
// agency's folder: each private key there belongs to a certificate of the
// agency's own CAs, and no agency's enrollment secret appears in another's
// folder, although every agency holds the others' definitions.
func TestNoAgencyHoldsAnotherAgencysKeysOrSecrets(t *testing.T) {
	dirs := map[string]string{}
	for _, a := range testNetwork.Agencies {
		dirs[a.Org.Name] = a.Dir()
		assert.Len(t, a.Known(), len(testNetwork.Agencies)-1, "%s accepted every other agency's definition", a.Org.Name)
	}
	res, err := keyscan.Scan(dirs)
	require.NoError(t, err)
	assert.Empty(t, res.Findings)
	// Every user and node has an identity key, and nodes and admins a TLS
	// key; each CA server has two root keys.
	assert.Greater(t, res.PrivateKeys, 2*len(dirs)+19+11, "the scan read the keys")
	assert.Greater(t, res.Secrets, 19+11)
	t.Logf("read %d private keys and looked for %d enrollment secrets in %d agency folders", res.PrivateKeys, res.Secrets, len(dirs))
}

// TestGenesisBlockOfAnotherDescriptionIsRefused makes, as the agency that
// made the real genesis blocks, a block of the education channel from a
// description with one parameter changed (as a careless or dishonest
// convener might): another agency refuses to take it, naming what differs,
// and keeps the block it joined.
func TestGenesisBlockOfAnotherDescriptionIsRefused(t *testing.T) {
	ctx := testContext(t)
	convener := testNetwork.Agencies[0]
	for _, a := range testNetwork.Agencies {
		if len(a.Orderers) > 0 {
			convener = a
			break
		}
	}
	rogueSpec := network.Consortium()
	rogueSpec.Ordering.BatchTimeoutMillis *= 40
	rogue, err := network.NewAgency(rogueSpec, network.AgencyOptions{Dir: convener.Dir(), FabricDir: fabricDir()})
	require.NoError(t, err)
	blocks, err := rogue.MakeGenesisIn(ctx, t.TempDir(), network.EducationChannel)
	require.NoError(t, err)

	university, err := testNetwork.Agency("UniversityA")
	require.NoError(t, err)
	joined, err := os.ReadFile(university.GenesisBlock(network.EducationChannel))
	require.NoError(t, err)
	_, err = university.ImportGenesis(ctx, blocks[0])
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Channel/Orderer/values/BatchTimeout")
	kept, err := os.ReadFile(university.GenesisBlock(network.EducationChannel))
	require.NoError(t, err)
	assert.Equal(t, joined, kept, "the refused block replaced nothing")

	// The real block passes the same check.
	_, err = university.ImportGenesis(ctx, convener.GenesisBlock(network.EducationChannel))
	assert.NoError(t, err)
}

// fabricDir is the Fabric binaries folder the tests run with.
func fabricDir() string {
	if dir := os.Getenv("GOVSHARE_FABRIC_DIR"); dir != "" {
		return dir
	}
	return filepath.Join("..", ".cache", "fabric")
}

// TestNewDefinitionIsCommittedOnlyOnceAMajorityApproved changes the
// baseline's policy on judicial-evidence (the same two organisations,
// written the other way round: a new definition as far as the channel is
// concerned) and takes it through the lifecycle one agency at a time: with
// one approval of three the commit is refused, naming who approved and who
// is missing, and the old definition stays in force; with two it commits,
// and the state written before is kept.
func TestNewDefinitionIsCommittedOnlyOnceAMajorityApproved(t *testing.T) {
	ctx := testContext(t)
	ch, err := testNetwork.Spec.Channel(network.EvidenceChannel)
	require.NoError(t, err)
	cc := ch.Chaincodes[0]
	require.Equal(t, network.BaselineChaincode, cc.Name)
	before, err := testNetwork.Committed(ctx, ch, cc.Name)
	require.NoError(t, err)

	court, err := testNetwork.Agency("InternetCourt")
	require.NoError(t, err)
	notary, err := testNetwork.Agency("NotaryOffice")
	require.NoError(t, err)
	admin := session(t, "InternetCourt", network.AdminRole)
	_, err = admin.Submit(ctx, ch.Name, cc.Name, "Put", "kept-across-upgrade", "still here")
	require.NoError(t, err)

	original := cc.EndorsementPolicy
	cc.EndorsementPolicy = "AND('NotaryOfficeMSP.peer', 'InternetCourtMSP.peer')"
	t.Cleanup(func() {
		cc.EndorsementPolicy = original
		assert.NoError(t, testNetwork.Up(context.Background()), "restoring the declared policy")
	})

	approved, err := court.ApproveChaincode(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, approved, "the court approves the one changed definition")
	r, err := court.Readiness(ctx, ch.Name, cc.Name)
	require.NoError(t, err)
	assert.Equal(t, before.Sequence+1, r.Sequence)
	assert.Equal(t, []string{"InternetCourtMSP"}, r.Approved)
	assert.Equal(t, []string{"NotaryOfficeMSP", "OversightMSP"}, r.Missing)
	assert.Equal(t, 2, r.Required)

	_, err = court.CommitChaincode(ctx, ch.Name, cc.Name)
	require.ErrorIs(t, err, network.ErrNotApproved)
	assert.Contains(t, err.Error(), "missing NotaryOfficeMSP, OversightMSP")
	still, err := testNetwork.Committed(ctx, ch, cc.Name)
	require.NoError(t, err)
	assert.Equal(t, before, still, "a refused commit leaves the definition in force")

	_, err = notary.ApproveChaincode(ctx)
	require.NoError(t, err)
	committed, err := court.CommitChaincode(ctx, ch.Name, cc.Name)
	require.NoError(t, err)
	assert.True(t, committed)

	after, err := testNetwork.Committed(ctx, ch, cc.Name)
	require.NoError(t, err)
	assert.Equal(t, before.Sequence+1, after.Sequence)
	assert.NotEqual(t, before.Version, after.Version)
	assert.Equal(t, cc.EndorsementPolicy, after.EndorsementPolicy)
	got, err := admin.Evaluate(ctx, ch.Name, cc.Name, "Get", "kept-across-upgrade")
	require.NoError(t, err)
	assert.Equal(t, "still here", string(got))
}
