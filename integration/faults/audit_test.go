//go:build integration

package faults

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/syndtr/goleveldb/leveldb"
	"google.golang.org/protobuf/proto"

	"github.com/govshare/govshare/chaincode/education"
	"github.com/govshare/govshare/integration/internal/load"
	"github.com/govshare/govshare/network"
	"github.com/govshare/govshare/network/audit"
)

// TestAuditFindsTamperingAndRepairsRestoreTheLedger changes UniversityB's
// peer behind Fabric's back, twice, while it is stopped: one byte of a
// credit in its block file, then the credit's grade in its state database.
// Each time the audit names the peer (a data hash that does not match, a
// world state unlike the other members'), and the documented repair
// (re-fetching the channel from the orderers; `peer node rebuild-dbs`)
// makes the audit pass again.
func TestAuditFindsTamperingAndRepairsRestoreTheLedger(t *testing.T) {
	requireHealthy(t)
	const channel = network.EducationChannel
	ctx := testContext(t, 15*time.Minute)
	victim := peerOf(t, "UniversityB")
	agency := victim.agency
	p := agency.Peers[0]

	creditID, creditBlock := recordGradedCredit(t, ctx)
	// Blocks after the credit's (a restarting peer rereads the last block
	// of its file), and enough of them to time the audit: 10 s of writes by
	// 8 submitters.
	writer := session(t, "EduMinistry", network.AdminRole)
	l := load.Start("audit", callTimeout, load.Target{Channel: channel, Session: writer, Workers: 8})
	time.Sleep(10 * time.Second)
	l.Stop()
	require.NotEmpty(t, l.Acked(channel))
	height := membersAtOneHeight(t, channel)

	began := time.Now()
	report, err := testNetwork.Audit(ctx, false, channel)
	require.NoError(t, err)
	require.Empty(t, report.Findings, "a clean network")
	chain := report.Channels[0]
	t.Logf("audit: %s: %d blocks, %d transactions read from each of %d nodes and checked in %.2fs: %.0fs per 10,000 blocks at this size",
		channel, chain.Blocks, chain.Transactions, len(chain.Sources), time.Since(began).Seconds(), time.Since(began).Seconds()/float64(chain.Blocks)*10000)
	began = time.Now()
	report = auditClean(t, ctx, channel, "a clean network")
	t.Logf("audit: the same with the world state of %d peers compared through snapshots: %.2fs", len(report.State[0].Peers), time.Since(began).Seconds())

	// One byte of the credit in the stopped peer's block file.
	require.NoError(t, agency.StopNode(ctx, p.Name))
	blockFile := filepath.Join(agency.PeerLedgerDir(p), "chains", "chains", channel, "blockfile_000000")
	data, err := os.ReadFile(blockFile)
	require.NoError(t, err)
	at := bytes.Index(data, []byte(creditID))
	require.GreaterOrEqual(t, at, 0, "the credit is in the block file")
	data[at+len(creditID)-1] ^= 0x01
	require.NoError(t, os.WriteFile(blockFile, data, 0o640))
	restart(t, victim)
	waitForHeight(t, victim, channel, height, time.Minute)

	report, err = testNetwork.Audit(ctx, false, channel)
	require.NoError(t, err)
	require.NotEmpty(t, report.Findings, "the edited block file is found")
	for _, f := range report.Findings {
		assert.Equal(t, p.ID(), f.Source, "only the edited peer is named: %s", f)
	}
	assert.Equal(t, audit.ProblemDataHash, report.Findings[0].Problem)
	assert.Equal(t, creditBlock, report.Findings[0].Block, "the first block that differs is the credit's")
	t.Logf("audit: found %s", report.Findings[0])

	// Repair: the peer drops its ledger of the channel and fetches it anew.
	began = time.Now()
	require.NoError(t, agency.RefetchChannel(ctx, p, channel))
	waitForHeight(t, victim, channel, height, 2*time.Minute)
	t.Logf("audit: %s re-fetched %s (%d blocks) from the orderers in %.1fs", p.ID(), channel, height, time.Since(began).Seconds())
	auditClean(t, ctx, channel, "after the peer re-fetched the channel")

	// The credit's grade in the stopped peer's state database.
	require.NoError(t, agency.StopNode(ctx, p.Name))
	changeGrade(t, filepath.Join(agency.PeerLedgerDir(p), "stateLeveldb"), creditID)
	restart(t, victim)
	waitForHeight(t, victim, channel, height, time.Minute)

	report, err = testNetwork.Audit(ctx, true, channel)
	require.NoError(t, err)
	require.Len(t, report.Findings, 1, "the changed state is found, and only it: %v", report.Findings)
	f := report.Findings[0]
	assert.Equal(t, audit.ProblemState, f.Problem)
	assert.Equal(t, p.ID(), f.Source, "the changed peer is named")
	assert.Contains(t, f.Detail, "public_state")
	t.Logf("audit: found %s", f)

	// Repair: the peer rebuilds its databases from its (intact) blocks.
	began = time.Now()
	require.NoError(t, agency.RebuildPeerDatabases(ctx, p))
	waitForHeight(t, victim, channel, height, 2*time.Minute)
	t.Logf("audit: %s rebuilt its databases in %.1fs", p.ID(), time.Since(began).Seconds())
	auditClean(t, ctx, channel, "after the peer rebuilt its databases")
	requireHealthy(t)
}

// recordGradedCredit records a credit with grade A as UniversityA's
// registrar and returns its ID and the number of its block.
func recordGradedCredit(t *testing.T, ctx context.Context) (string, uint64) {
	t.Helper()
	officer := session(t, "EduMinistry", "officer")
	if _, err := officer.Education().GetAccreditation(ctx, "UniversityAMSP"); err != nil {
		_, _, err := officer.Education().AccreditUniversity(ctx, education.AccreditRequest{MSPID: "UniversityAMSP", Name: "University A"})
		require.NoError(t, err)
	}
	registrar := session(t, "UniversityA", "registrar")
	number := fmt.Sprintf("AUDIT-%d", time.Now().UnixNano())
	salt := sha256.Sum256([]byte("salt of " + number))
	student := education.StudentDetails{StudentNumber: number, FullName: "Student " + number, BirthDate: "2003-04-05", Salt: hex.EncodeToString(salt[:16])}
	id := "CREDIT-" + number
	_, receipt, err := registrar.Education().RecordCredit(ctx, education.RecordCreditRequest{
		CreditID: id, StudentRef: education.StudentRef(student.Salt, student.StudentNumber), CourseCode: "AU101",
		CourseTitle: "Auditing", CreditTenths: 50, Grade: "A", Term: "2026-autumn",
	}, student)
	require.NoError(t, err)
	out, err := registrar.Evaluate(ctx, network.EducationChannel, "qscc", "GetBlockByTxID", network.EducationChannel, receipt.TransactionID)
	require.NoError(t, err)
	var block common.Block
	require.NoError(t, proto.Unmarshal(out, &block))
	return id, block.GetHeader().GetNumber()
}

// membersAtOneHeight waits until every member peer of channel has the
// same height, and returns it.
func membersAtOneHeight(t *testing.T, channel string) uint64 {
	t.Helper()
	ch, err := testNetwork.Spec.Channel(channel)
	require.NoError(t, err)
	var height uint64
	require.Eventually(t, func() bool {
		heights := map[uint64]bool{}
		for _, member := range ch.Members {
			h, err := peerOf(t, member).height(context.Background(), channel)
			if err != nil {
				return false
			}
			heights[h], height = true, h
		}
		return len(heights) == 1
	}, time.Minute, 200*time.Millisecond, "the members of %s reach one height", channel)
	return height
}

// auditClean audits channel, blocks and world state, and requires no
// finding and every node read.
func auditClean(t *testing.T, ctx context.Context, channel, when string) *audit.Report {
	t.Helper()
	report, err := testNetwork.Audit(ctx, true, channel)
	require.NoError(t, err)
	require.Empty(t, report.Findings, "%s", when)
	require.Empty(t, report.Unread(), "%s: every node is read", when)
	require.Len(t, report.State, 1)
	require.Empty(t, report.State[0].Differ)
	return report
}

// changeGrade changes the grade of a credit from A to B in a stopped
// peer's state database, where Fabric keeps it as JSON inside its
// versioned value, without changing anything else.
func changeGrade(t *testing.T, dir, creditID string) {
	t.Helper()
	// A peer that has just exited may hold the database's lock for a moment
	// after its process is gone.
	var db *leveldb.DB
	require.Eventually(t, func() bool {
		var err error
		db, err = leveldb.OpenFile(dir, nil)
		return err == nil
	}, 15*time.Second, 100*time.Millisecond, "open the stopped peer's state database")
	defer db.Close()
	it := db.NewIterator(nil, nil)
	var key, value []byte
	for it.Next() {
		if bytes.Contains(it.Value(), []byte(`"creditId":"`+creditID+`"`)) && bytes.Contains(it.Value(), []byte(`"grade":"A"`)) {
			key, value = bytes.Clone(it.Key()), bytes.Clone(it.Value())
		}
	}
	it.Release()
	require.NoError(t, it.Error())
	require.NotNil(t, key, "the credit is in the state database")
	changed := bytes.Replace(value, []byte(`"grade":"A"`), []byte(`"grade":"B"`), 1)
	require.NoError(t, db.Put(key, changed, nil))
}
