//go:build integration

package multihost

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/govshare/govshare/integration/internal/ledgercheck"
	"github.com/govshare/govshare/network"
)

// joiningUniversity is the university that joins the running consortium.
const joiningUniversity = "UniversityC"

// The consortium's descriptions as the agencies agree on them, one change
// after another. Each agency runs govnet with its own copy
// (-description).
type descriptions struct {
	dir string
}

// write saves a description under name and returns its file.
func (ds descriptions) write(t *testing.T, name string, spec *network.Spec) string {
	t.Helper()
	require.NoError(t, spec.Validate(), name)
	data, err := network.EncodeSpec(spec)
	require.NoError(t, err)
	path := filepath.Join(ds.dir, name+".json")
	require.NoError(t, os.WriteFile(path, data, 0o644))
	return path
}

// withUniversityC is the description with a third university, a member of
// education-credit with a student collection of its own, its peers among
// those that may endorse the channel's writes.
func withUniversityC(base *network.Spec, peers ...string) *network.Spec {
	spec := base.Clone()
	spec.Organizations = append(spec.Organizations, &network.Organization{Name: joiningUniversity, MSPID: "UniversityCMSP",
		Domain: "university-c.govshare.test", Peers: peers, Roles: []string{"admin", "registrar"}})
	ch, _ := spec.Channel(network.EducationChannel)
	ch.Members = append(ch.Members, joiningUniversity)
	for _, cc := range ch.Chaincodes {
		cc.EndorsementPolicy = "AND('EduMinistryMSP.peer', OR('UniversityAMSP.peer', 'UniversityBMSP.peer', 'UniversityCMSP.peer'))"
		if cc.Name == "education" {
			cc.Collections = append(cc.Collections, &network.Collection{Name: "StudentPII_UniversityCMSP",
				Members: []string{"UniversityCMSP", "EduMinistryMSP"}, MaxPeerCount: len(peers) - 1})
		}
	}
	return spec
}

// withoutUniversityC removes the university from the channel again: its
// collection, which Fabric never drops from a definition, stays with the
// ministry alone, and the policies name the other universities.
func withoutUniversityC(spec *network.Spec) *network.Spec {
	spec = spec.Clone()
	ch, _ := spec.Channel(network.EducationChannel)
	ch.Members = ch.Members[:len(ch.Members)-1]
	for _, cc := range ch.Chaincodes {
		cc.EndorsementPolicy = "AND('EduMinistryMSP.peer', OR('UniversityAMSP.peer', 'UniversityBMSP.peer'))"
		for _, col := range cc.Collections {
			if col.Name == "StudentPII_UniversityCMSP" {
				col.Members, col.MaxPeerCount = []string{"EduMinistryMSP"}, 0
			}
		}
	}
	return spec
}

// withOversightOrderers gives Oversight the named orderers.
func withOversightOrderers(spec *network.Spec, names ...string) *network.Spec {
	spec = spec.Clone()
	org, _ := spec.Organization("Oversight")
	org.Orderers = names
	return spec
}

// govnetWith runs govnet on an agency's host with a description.
func govnetWith(t *testing.T, ctx context.Context, ah *agencyHost, description string, args ...string) string {
	t.Helper()
	out, err := consortium.govnetOn(ctx, ah, append([]string{"-description", description}, args...)...)
	require.NoError(t, err)
	return out
}

// govnetRefused runs govnet on an agency's host and requires it to fail.
func govnetRefused(t *testing.T, ctx context.Context, ah *agencyHost, description string, args ...string) string {
	t.Helper()
	out, err := consortium.govnetOn(ctx, ah, append([]string{"-description", description}, args...)...)
	require.Error(t, err, "govnet %s on %s's host should have been refused:\n%s", strings.Join(args, " "), ah.org.Name, out)
	return out
}

// configSequence reads a channel's configuration sequence from the
// orderers, as an agency.
func configSequence(t *testing.T, ctx context.Context, ah *agencyHost, channel string) uint64 {
	t.Helper()
	_, cfg, err := ah.agency.CurrentConfig(ctx, channel)
	require.NoError(t, err)
	return cfg.GetSequence()
}

// updateAll takes a config update of every named channel through the
// whole procedure: proposed by the first agency, signed by each signer on
// its own host, submitted by the proposer.
func updateAll(t *testing.T, ctx context.Context, description string, proposer *agencyHost, signers []*agencyHost, channels ...string) {
	t.Helper()
	for _, ch := range channels {
		file := filepath.Join(t.TempDir(), ch+".update")
		govnetWith(t, ctx, proposer, description, "channel", "propose", "-dir", proposer.dir, "-channel", ch, "-out", file)
		for _, s := range signers {
			arrived, err := send(file, s)
			require.NoError(t, err)
			govnetWith(t, ctx, s, description, "channel", "sign", "-dir", s.dir, arrived)
			require.NoError(t, copyBack(arrived, file))
		}
		govnetWith(t, ctx, proposer, description, "channel", "submit", "-dir", proposer.dir, file)
	}
}

// copyBack returns a signed file to the proposer, as a signer sends it back.
func copyBack(from, to string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, data, 0o644)
}

// TestGoverningTheConsortium changes the running consortium by signed
// agreement, agency by agency, each on its own host: a third university
// joins education-credit (a configuration update, a new chaincode
// definition with its student collection, a peer that joins from the
// genesis block and another from a snapshot), records a credit that another
// university recognises, and leaves again; then Oversight's orderer moves
// to a new node while writes go on. Every refused step leaves the network
// as it was.
func TestGoverningTheConsortium(t *testing.T) {
	ctx := testContext(t, 20*time.Minute)
	// The descriptions outlive the test: the consortium is taken down with
	// the last of them.
	ds := descriptions{dir: filepath.Join(consortium.root, "descriptions")}
	require.NoError(t, os.MkdirAll(ds.dir, 0o755))
	v1 := ds.write(t, "v1", consortium.spec)
	v2 := ds.write(t, "v2-university-c", withUniversityC(consortium.spec, "peer0"))
	ministry, uniA, uniB, oversight, audit := consortium.byName["EduMinistry"], consortium.byName["UniversityA"],
		consortium.byName["UniversityB"], consortium.byName["Oversight"], consortium.byName["AuditOffice"]
	host, err := consortium.lan.Host(joiningUniversity)
	require.NoError(t, err)
	uniC := &agencyHost{host: host, dir: filepath.Join(consortium.root, "organizations", joiningUniversity), mail: filepath.Join(consortium.root, "mail", joiningUniversity)}

	proposed := time.Now()
	t.Run("the new university sets itself up and the definitions are exchanged", func(t *testing.T) {
		govnetWith(t, ctx, uniC, v2, "org", "init", "-dir", uniC.dir, "-org", joiningUniversity, "-host", host.Address, "-port-base", fmt.Sprint(agencyPortBase))
		spec, err := network.LoadSpec(v2)
		require.NoError(t, err)
		uniC.org, _ = spec.Organization(joiningUniversity)
		consortium.byName[joiningUniversity] = uniC
		definition := filepath.Join(uniC.dir, "definition.json")
		var received []string
		for _, ah := range consortium.agencies {
			arrived, err := send(definition, ah)
			require.NoError(t, err)
			govnetWith(t, ctx, ah, v2, "org", "accept", "-dir", ah.dir, arrived)
			renamed := filepath.Join(t.TempDir(), ah.org.Name+".json")
			require.NoError(t, copyBack(filepath.Join(ah.dir, "definition.json"), renamed))
			got, err := send(renamed, uniC)
			require.NoError(t, err)
			received = append(received, got)
		}
		govnetWith(t, ctx, uniC, v2, append([]string{"org", "accept", "-dir", uniC.dir}, received...)...)
		uniC.agency, err = network.OpenAgency(spec, uniC.dir, consortium.fabric, consortium.source, nil)
		require.NoError(t, err)
		// From now on the consortium is taken down with the description in
		// force, which knows the new agency and its nodes.
		consortium.agencies = append(consortium.agencies, uniC)
		consortium.description = v2
	})

	channel := network.EducationChannel
	update := filepath.Join(t.TempDir(), "add-university-c.update")
	t.Run("too few signatures, or a signature over another update, are refused and change nothing", func(t *testing.T) {
		before := configSequence(t, ctx, ministry, channel)
		out := govnetWith(t, ctx, ministry, v2, "channel", "propose", "-dir", ministry.dir, "-channel", channel, "-out", update)
		assert.Contains(t, out, "added    Channel/Application/UniversityCMSP")
		for _, s := range []*agencyHost{ministry, uniA} {
			arrived, err := send(update, s)
			require.NoError(t, err)
			govnetWith(t, ctx, s, v2, "channel", "sign", "-dir", s.dir, arrived)
			require.NoError(t, copyBack(arrived, update))
		}
		out = govnetRefused(t, ctx, ministry, v2, "channel", "submit", "-dir", ministry.dir, update)
		assert.Contains(t, out, "not signed by enough administrators")
		assert.Contains(t, out, "MAJORITY of the Admins of EduMinistryMSP, OversightMSP, UniversityAMSP, UniversityBMSP (3 of 4)) needs 1 more signature(s) of OversightMSP, UniversityBMSP; signed by EduMinistryMSP, UniversityAMSP")

		// An administrator with the old description does not sign: the
		// update is not what its description makes.
		arrived, err := send(update, uniB)
		require.NoError(t, err)
		out = govnetRefused(t, ctx, uniB, v1, "channel", "sign", "-dir", uniB.dir, arrived)
		assert.Contains(t, out, "UniversityB will not sign")

		// A signature made over another update (the same change with
		// another batch timeout) and grafted onto this one counts for
		// nothing.
		other := withUniversityC(consortium.spec, "peer0")
		other.Ordering.BatchTimeoutMillis *= 2
		v2other := ds.write(t, "v2-other", other)
		otherUpdate := filepath.Join(t.TempDir(), "other.update")
		govnetWith(t, ctx, ministry, v2other, "channel", "propose", "-dir", ministry.dir, "-channel", channel, "-out", otherUpdate)
		arrived, err = send(otherUpdate, uniB)
		require.NoError(t, err)
		govnetWith(t, ctx, uniB, v2other, "channel", "sign", "-dir", uniB.dir, arrived)
		grafted := filepath.Join(t.TempDir(), "grafted.update")
		graftSignatures(t, update, arrived, grafted)
		out = govnetRefused(t, ctx, ministry, v2, "channel", "submit", "-dir", ministry.dir, grafted)
		assert.Contains(t, out, "refused signatures")
		assert.Contains(t, out, "UniversityBMSP): the signature is not over this update (it was made for another)")

		assert.Equal(t, before, configSequence(t, ctx, ministry, channel), "refused updates changed nothing")
	})

	t.Run("a majority of the members admits the university", func(t *testing.T) {
		arrived, err := send(update, oversight)
		require.NoError(t, err)
		govnetWith(t, ctx, oversight, v2, "channel", "sign", "-dir", oversight.dir, arrived)
		require.NoError(t, copyBack(arrived, update))
		before := configSequence(t, ctx, ministry, channel)
		out := govnetWith(t, ctx, ministry, v2, "channel", "submit", "-dir", ministry.dir, update)
		assert.Contains(t, out, "the configuration of education-credit has changed")
		assert.Equal(t, before+1, configSequence(t, ctx, ministry, channel))
	})

	t.Run("its peer joins from the genesis block it fetches, and catches up", func(t *testing.T) {
		govnetWith(t, ctx, uniC, v2, "org", "start", "-dir", uniC.dir)
		govnetWith(t, ctx, uniC, v2, "channel", "join", "-dir", uniC.dir)
		head, err := peerHeight(ctx, ministry, channel)
		require.NoError(t, err)
		took := waitForHeight(t, uniC, channel, head, 2*time.Minute)
		t.Logf("UniversityC's peer0 replayed %d blocks from the genesis block in %.1fs", head, took.Seconds())
	})

	t.Run("a new chaincode definition commits only with a majority of approvals", func(t *testing.T) {
		convener := consortium.convener()
		args := []string{"chaincode", "deploy", "-dir", uniC.dir}
		for _, name := range []string{"baseline", "education"} {
			arrived, err := send(filepath.Join(convener.dir, "chaincode", "packages", name+".tar.gz"), uniC)
			require.NoError(t, err)
			args = append(args, arrived)
		}
		govnetWith(t, ctx, uniC, v2, args...)
		govnetWith(t, ctx, ministry, v2, "chaincode", "deploy", "-dir", ministry.dir)
		before, err := ministry.agency.Committed(ctx, mustChannel(t, channel), "education")
		require.NoError(t, err)
		out := govnetRefused(t, ctx, ministry, v2, "chaincode", "commit", "-dir", ministry.dir, "-channel", channel)
		assert.Contains(t, out, "the channel's lifecycle policy is not met")
		assert.Contains(t, out, "approved by EduMinistryMSP, UniversityCMSP")
		still, err := ministry.agency.Committed(ctx, mustChannel(t, channel), "education")
		require.NoError(t, err)
		assert.Equal(t, before, still, "the definition in force stays")

		govnetWith(t, ctx, uniA, v2, "chaincode", "deploy", "-dir", uniA.dir)
		govnetWith(t, ctx, ministry, v2, "chaincode", "commit", "-dir", ministry.dir, "-channel", channel)
		after, err := ministry.agency.Committed(ctx, mustChannel(t, channel), "education")
		require.NoError(t, err)
		assert.Equal(t, before.Sequence+1, after.Sequence)
		assert.Contains(t, after.Collections, "StudentPII_UniversityCMSP")
	})

	t.Run("accredited by the ministry, its registrar records a credit and University A recognises it", func(t *testing.T) {
		govctl(t, ctx, "EduMinistry", "officer", "accreditation", "grant", "UniversityCMSP", "--name", "University C")
		govctl(t, ctx, joiningUniversity, "registrar", "credit", "record", "--id", "MH-UC-1", "--student-number", "S-UC-1",
			"--name", "Zhao Lei", "--birth-date", "2004-05-05", "--course", "MA101", "--title", "Calculus", "--credits", "5",
			"--grade", "B", "--term", "2026-autumn")
		t.Logf("from proposing UniversityC to its first recorded credit: %.1fs", time.Since(proposed).Seconds())
		govctl(t, ctx, "UniversityA", "registrar", "credit", "recognise", "MH-UC-1", "--credits", "5")
		out := govctl(t, ctx, joiningUniversity, "registrar", "credit", "transcript", "--student-number", "S-UC-1")
		assert.Contains(t, out, "MH-UC-1")
		assert.Contains(t, out, "recognised by UniversityAMSP")
	})

	t.Run("a second peer of the university joins from a snapshot of the first", func(t *testing.T) {
		v2b := ds.write(t, "v2-university-c-two-peers", withUniversityC(consortium.spec, "peer0", "peer1"))
		govnetWith(t, ctx, uniC, v2b, "org", "init", "-dir", uniC.dir, "-org", joiningUniversity)
		govnetWith(t, ctx, uniC, v2b, "org", "start", "-dir", uniC.dir)
		consortium.description = v2b
		out := govnetWith(t, ctx, uniC, v2b, "channel", "snapshot-join", "-dir", uniC.dir, "-channel", channel, "-peer", "peer1", "-from", "peer0")
		assert.Contains(t, out, "joined education-credit from peer0.university-c.govshare.test's snapshot at block")
		spec, err := network.LoadSpec(v2b)
		require.NoError(t, err)
		two, err := network.OpenAgency(spec, uniC.dir, consortium.fabric, consortium.source, nil)
		require.NoError(t, err)
		head, err := peerHeight(ctx, ministry, channel)
		require.NoError(t, err)
		require.Eventually(t, func() bool {
			status, err := two.Status(ctx)
			if err != nil {
				return false
			}
			for _, n := range status.Nodes {
				if n.Name == "peer1.university-c.govshare.test" {
					for _, h := range n.Heights {
						if h.Channel == channel && uint64(h.Height) >= head {
							return true
						}
					}
				}
			}
			return false
		}, time.Minute, 500*time.Millisecond, "peer1 reaches the channel's height from the snapshot")
	})

	t.Run("the university leaves: it reads and writes no more, its records stay verifiable", func(t *testing.T) {
		v3 := ds.write(t, "v3-without-university-c", withoutUniversityC(withUniversityC(consortium.spec, "peer0", "peer1")))
		for _, ah := range []*agencyHost{ministry, uniA, uniB} {
			govnetWith(t, ctx, ah, v3, "chaincode", "deploy", "-dir", ah.dir)
		}
		govnetWith(t, ctx, ministry, v3, "chaincode", "commit", "-dir", ministry.dir, "-channel", channel)
		updateAll(t, ctx, v3, ministry, []*agencyHost{ministry, uniA, uniB}, channel)
		consortium.description = v3

		left, err := peerHeight(ctx, uniC, channel)
		require.NoError(t, err)
		cmd := uniC.host.Command(ctx, consortium.govctl, "--org-dir", uniC.dir, "--as", "registrar", "credit", "record", "--id", "MH-UC-2",
			"--student-number", "S-UC-1", "--name", "Zhao Lei", "--birth-date", "2004-05-05", "--course", "MA102", "--title", "Calculus 2",
			"--credits", "5", "--grade", "A", "--term", "2026-autumn")
		out, err := cmd.CombinedOutput()
		assert.Error(t, err, "a university that left still wrote:\n%s", out)
		govctl(t, ctx, "UniversityA", "registrar", "credit", "record", "--id", "MH-UA-9", "--student-number", "S-MH-9",
			"--name", "Sun Mei", "--birth-date", "2003-01-02", "--course", "CS300", "--title", "Databases", "--credits", "6", "--grade", "A", "--term", "2026-autumn")
		time.Sleep(3 * time.Second)
		now, err := peerHeight(ctx, ministry, channel)
		require.NoError(t, err)
		stuck, err := peerHeight(ctx, uniC, channel)
		require.NoError(t, err)
		assert.Greater(t, now, stuck, "the channel moved on")
		assert.LessOrEqual(t, stuck, left+1, "the university's peer gets no block after the one that removed it")
		out2 := govctl(t, ctx, "UniversityA", "registrar", "credit", "show", "MH-UC-1")
		assert.Contains(t, out2, "issued by UniversityCMSP", "its credit stays on the ledger, verifiable")
	})

	t.Run("Oversight's orderer moves to a new node while writes go on", func(t *testing.T) {
		base := withoutUniversityC(withUniversityC(consortium.spec, "peer0", "peer1"))
		both := ds.write(t, "v4-oversight-two-orderers", withOversightOrderers(base, "orderer0", "orderer1"))
		moved := ds.write(t, "v5-oversight-orderer1", withOversightOrderers(base, "orderer1"))
		l := startLoad(t, 1)
		defer l.Stop()
		orderingSigners := []*agencyHost{oversight, audit}
		accept := func(description string) {
			govnetWith(t, ctx, oversight, description, "org", "init", "-dir", oversight.dir, "-org", "Oversight")
			for _, ah := range append(slicesWithout(consortium.agencies, oversight), uniC) {
				arrived, err := send(filepath.Join(oversight.dir, "definition.json"), ah)
				require.NoError(t, err)
				govnetWith(t, ctx, ah, description, "org", "accept", "-replace", "-dir", ah.dir, arrived)
			}
		}
		accept(both)
		govnetWith(t, ctx, oversight, both, "org", "start", "-dir", oversight.dir)
		consortium.description = both
		channels := []string{network.EducationChannel, network.FinanceChannel, network.EvidenceChannel}
		updateAll(t, ctx, both, oversight, orderingSigners, channels...)
		govnetWith(t, ctx, oversight, both, "channel", "join", "-dir", oversight.dir)
		for _, ch := range channels {
			require.True(t, l.GrowsWithin(ch, time.Minute), "writes on %s with four consenters", ch)
		}

		accept(moved)
		updateAll(t, ctx, moved, oversight, orderingSigners, channels...)
		govnetWith(t, ctx, oversight, both, "org", "stop", "-dir", oversight.dir, "-node", "orderer0")
		consortium.description = moved
		for _, ch := range channels {
			require.True(t, l.GrowsWithin(ch, time.Minute), "writes on %s after orderer0 left", ch)
		}
		l.Stop()
		for _, ch := range channels {
			s := session(t, loadChannels[ch], network.AdminRole)
			for _, id := range l.Acked(ch) {
				require.NoError(t, ledgercheck.ValidOn(ctx, s, ch, id), "acknowledged %s on %s", id, ch)
			}
		}
		t.Logf("acknowledged during the move: %d, %d, %d; failed: %d, %d, %d", l.Count(channels[0]), l.Count(channels[1]), l.Count(channels[2]),
			len(l.Failures(channels[0])), len(l.Failures(channels[1])), len(l.Failures(channels[2])))
	})
}

func mustChannel(t *testing.T, name string) *network.Channel {
	t.Helper()
	ch, err := consortium.spec.Channel(name)
	require.NoError(t, err)
	return ch
}

func slicesWithout(all []*agencyHost, out *agencyHost) []*agencyHost {
	var rest []*agencyHost
	for _, ah := range all {
		if ah != out {
			rest = append(rest, ah)
		}
	}
	return rest
}

// graftSignatures writes to out the update of base with the signatures of
// from appended: what a careless or dishonest proposer would send on.
func graftSignatures(t *testing.T, base, from, out string) {
	t.Helper()
	read := func(path string) (*common.Envelope, *common.Payload, *common.ConfigUpdateEnvelope) {
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		var env common.Envelope
		require.NoError(t, proto.Unmarshal(data, &env))
		var payload common.Payload
		require.NoError(t, proto.Unmarshal(env.Payload, &payload))
		var cue common.ConfigUpdateEnvelope
		require.NoError(t, proto.Unmarshal(payload.Data, &cue))
		return &env, &payload, &cue
	}
	env, payload, cue := read(base)
	_, _, other := read(from)
	cue.Signatures = append(cue.Signatures, other.Signatures...)
	var err error
	payload.Data, err = proto.Marshal(cue)
	require.NoError(t, err)
	env.Payload, err = proto.Marshal(payload)
	require.NoError(t, err)
	data, err := proto.Marshal(env)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(out, data, 0o644))
}
