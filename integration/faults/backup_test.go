//go:build integration

package faults

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	govclient "github.com/govshare/govshare/gateway-client"
	"github.com/govshare/govshare/integration/internal/ledgercheck"
	"github.com/govshare/govshare/integration/internal/testnet"
	"github.com/govshare/govshare/network"
)

// backUp stops the agency and writes its backup to file.
func backUp(t *testing.T, a *network.Agency, file string) *network.BackupManifest {
	t.Helper()
	ctx := testContext(t, 3*time.Minute)
	_, err := a.Stop(ctx)
	require.NoError(t, err, "stop %s", a.Org.Name)
	out, err := os.Create(file)
	require.NoError(t, err)
	began := time.Now()
	m, err := a.Backup(ctx, out)
	require.NoError(t, err, "back up %s", a.Org.Name)
	require.NoError(t, out.Close())
	info, err := os.Stat(file)
	require.NoError(t, err)
	t.Logf("backup of %s: %d files, %.1f MB, %.1f MB compressed, in %.1fs", a.Org.Name, len(m.Files), float64(m.Bytes())/1e6, float64(info.Size())/1e6, time.Since(began).Seconds())
	return m
}

// restoreInto restores the backup in file into dir and opens the agency
// there.
func restoreInto(t *testing.T, file, dir string) *network.Agency {
	t.Helper()
	in, err := os.Open(file)
	require.NoError(t, err)
	defer in.Close()
	began := time.Now()
	m, err := network.RestoreAgency(testContext(t, 3*time.Minute), in, dir)
	require.NoError(t, err, "restore into %s", dir)
	t.Logf("restored %s's backup into %s: %d files checked, in %.1fs", m.Organization, dir, len(m.Files), time.Since(began).Seconds())
	a, err := network.OpenAgency(testNetwork.Spec, dir, testnet.FabricDir("../.."), "../..", nil)
	require.NoError(t, err)
	return a
}

// TestAgencyRestoredFromABackupRejoinsWithTheSameLedger backs up
// Oversight, which runs an orderer and a peer on every channel and
// endorses none of their writes: the agency is stopped, its folder backed
// up and then moved away (the disk is lost), and the finance bureau goes
// on writing. The backup is restored onto a fresh folder elsewhere and
// started: the orderer and the peer reach the others' height on every
// channel; the peer holds the same finance-ledger blocks as the finance
// bureau's, with what was written before the backup and while it was
// down. The restored agency is then backed up and restored onto its
// original folder the same way, which the rest of the suite uses.
func TestAgencyRestoredFromABackupRejoinsWithTheSameLedger(t *testing.T) {
	requireHealthy(t)
	const channel = network.FinanceChannel
	org, err := testNetwork.Spec.Organization("Oversight")
	require.NoError(t, err)
	original := testNetwork.AgencyOf(org)
	writer := session(t, "FinanceBureau", network.AdminRole)
	put := func(key string) string {
		res, err := writer.Submit(testContext(t, time.Minute), channel, network.BaselineChaincode, "Put", key, "value of "+key)
		require.NoError(t, err, "write %s", key)
		return res.TransactionID
	}
	put("restore-before")
	from := chainHeight(t, writer, channel)

	work := t.TempDir()
	archive := filepath.Join(work, "oversight.tar.gz")
	backUp(t, original, archive)
	lost := original.Dir() + ".lost"
	require.NoError(t, os.Rename(original.Dir(), lost), "the original folder is gone: a lost disk")
	t.Cleanup(func() { _ = os.RemoveAll(lost) })

	// Written while the agency is down: its nodes must catch up.
	var whileDown []string
	for i := range 20 {
		whileDown = append(whileDown, put("restore-down-"+strconv.Itoa(i)))
	}

	fresh := filepath.Join(work, "new-host", "Oversight")
	restored := restoreInto(t, archive, fresh)
	t.Cleanup(func() { _, _ = restored.Stop(context.Background()) })
	_, err = restored.Start(testContext(t, 3*time.Minute))
	require.NoError(t, err, "start the restored agency")
	checkRestored(t, restored, channel, from, whileDown)

	// Back onto the original folder, for the rest of the suite.
	archive2 := filepath.Join(work, "oversight-2.tar.gz")
	backUp(t, restored, archive2)
	restoreInto(t, archive2, original.Dir())
	_, err = original.Start(testContext(t, 3*time.Minute))
	require.NoError(t, err, "start the agency restored onto its original folder")
	checkRestored(t, original, channel, from, whileDown)
	requireHealthy(t)
	put("restore-after")
}

// checkRestored waits until the restored agency's peer and orderer have
// caught up with the others and checks the peer's blocks and state: the
// transactions written are valid on it.
func checkRestored(t *testing.T, a *network.Agency, channel string, from uint64, written []string) {
	t.Helper()
	writer := session(t, "FinanceBureau", network.AdminRole)
	c, err := govclient.Open(a.Dir())
	require.NoError(t, err, "the restored folder is a client folder too")
	t.Cleanup(func() { c.Close() })
	own, err := c.As(network.AdminRole)
	require.NoError(t, err)

	peer := peerOf(t, a.Org.Name)
	peer.pid = func() int { return a.PeerProcessID(a.Peers[0]) }
	height := chainHeight(t, writer, channel)
	took := waitForHeight(t, peer, channel, height, 2*time.Minute)
	var orderer node
	for _, o := range orderers() {
		if o.agency.Org.Name == a.Org.Name {
			orderer = o
		}
	}
	leader, _ := waitForLeader(t, orderers(), channel, time.Minute)
	for _, ch := range testNetwork.Spec.Channels {
		h, err := leader.height(testContext(t, 10*time.Second), ch.Name)
		require.NoError(t, err)
		waitForHeight(t, orderer, ch.Name, h, 2*time.Minute)
		waitForHeight(t, peer, ch.Name, h, 2*time.Minute)
	}

	ctx := testContext(t, 2*time.Minute)
	mine, err := ledgercheck.Read(ctx, own, channel, from-1, height)
	require.NoError(t, err)
	theirs, err := ledgercheck.Read(ctx, writer, channel, from-1, height)
	require.NoError(t, err)
	at, differ := ledgercheck.FirstDifference(mine, theirs)
	assert.False(t, differ, "block %d of %s differs between the restored peer and FinanceBureau's", at, channel)
	report := mine.Check(written)
	assert.Zero(t, report.Lost(), "transactions missing or invalid on the restored peer: %v %v", head(report.Missing), head(report.Invalid))
	top, err := ledgercheck.Header(ctx, own, channel, height-1)
	require.NoError(t, err)
	want, err := ledgercheck.Header(ctx, writer, channel, height-1)
	require.NoError(t, err)
	assert.True(t, proto.Equal(want, top), "the top block of %s, which chains every block before it, is the same", channel)

	for _, key := range []string{"restore-before", "restore-down-19"} {
		got, err := own.Evaluate(ctx, channel, network.BaselineChaincode, "Get", key)
		require.NoError(t, err, "read %s on the restored peer", key)
		assert.Equal(t, "value of "+key, string(got))
	}
	t.Logf("faults: %s restored from a backup into %s: its peer at height %d of %s %.1fs after its start (blocks %d-%d the same as FinanceBureau's, top block hash chain %x), its orderer and peer at the others' height on %d channels",
		a.Org.Name, a.Dir(), height, channel, took.Seconds(), from-1, height-1, top.GetPreviousHash()[:6], len(testNetwork.Spec.Channels))
}
