package network

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConsortiumIsValid(t *testing.T) {
	require.NoError(t, Consortium().Validate())
	require.NoError(t, Consortium(WithBenchmarkProbes()).Validate())
}

// The measurement probes and their collection are deployed only on
// networks made for benchmarks: the consortium a department runs has the
// health check and the domain contract on each channel, and nothing else.
func TestBenchmarkProbesOnlyOnBenchmarkNetworks(t *testing.T) {
	deployed := func(spec *Spec) map[string][]string {
		out := map[string][]string{}
		for _, ch := range spec.Channels {
			for _, cc := range ch.Chaincodes {
				entry := cc.Name
				for _, col := range cc.Collections {
					entry += "+" + col.Name
				}
				out[ch.Name] = append(out[ch.Name], entry)
			}
		}
		return out
	}
	assert.Equal(t, map[string][]string{
		EducationChannel: {"baseline", "education+StudentPII_UniversityAMSP+StudentPII_UniversityBMSP"},
		FinanceChannel:   {"baseline", "finance"},
		EvidenceChannel:  {"baseline", "evidence+SealedEvidence"},
	}, deployed(Consortium()))
	assert.Equal(t, map[string][]string{
		EducationChannel: {"baseline", "education+StudentPII_UniversityAMSP+StudentPII_UniversityBMSP", "benchprobe+BaselinePrivate"},
		FinanceChannel:   {"baseline", "finance", "benchprobe"},
		EvidenceChannel:  {"baseline", "evidence+SealedEvidence", "benchprobe+BaselinePrivate"},
	}, deployed(Consortium(WithBenchmarkProbes())))

	bench := Consortium(WithBenchmarkProbes())
	for _, ch := range bench.Channels {
		probe := ch.Chaincodes[2]
		assert.Equal(t, ch.Chaincodes[1].EndorsementPolicy, probe.EndorsementPolicy, "%s: the probes cost the domain contract's endorsements", ch.Name)
		if len(probe.Collections) > 0 {
			assert.Equal(t, ch.Chaincodes[1].Collections[0].Members, probe.Collections[0].Members, "%s: the probe collection has the contract's members", ch.Name)
		}
	}
}

func TestConsortiumPoliciesNeverLetOneOrganizationWriteAlone(t *testing.T) {
	for _, ch := range Consortium().Channels {
		for _, cc := range ch.Chaincodes {
			policy := cc.EndorsementPolicy
			assert.True(t, strings.HasPrefix(policy, "AND("), "%s/%s: the top of the policy must require two parties: %s", ch.Name, cc.Name, policy)
			assert.NotContains(t, policy, "OversightMSP", "%s/%s: Oversight is never required and never enough", ch.Name, cc.Name)
		}
	}
}

func TestValidateRefusesInconsistentSpecs(t *testing.T) {
	cases := []struct {
		name   string
		change func(*Spec)
		want   string
	}{
		{"duplicate organisation", func(s *Spec) { s.Organizations = append(s.Organizations, s.Organizations[1]) }, "declared twice"},
		{"unknown member", func(s *Spec) { s.Channels[0].Members = append(s.Channels[0].Members, "Nobody") }, `no organisation "Nobody"`},
		{"member without peers", func(s *Spec) {
			org, _ := s.Organization(s.Channels[0].Members[0])
			org.Peers = nil
		}, "runs no peer"},
		{"no orderer", func(s *Spec) {
			for _, o := range s.Organizations {
				o.Orderers = nil
			}
		}, "no orderer"},
		{"collection member outside channel", func(s *Spec) {
			s.Channels[0].Chaincodes[1].Collections[0].Members = []string{"FinanceBureauMSP"}
		}, "not a channel member"},
		{"chaincode without policy", func(s *Spec) { s.Channels[1].Chaincodes[0].EndorsementPolicy = "" }, "endorsement policy"},
		{"duplicate channel", func(s *Spec) { s.Channels = append(s.Channels, s.Channels[0]) }, "declared twice"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := Consortium()
			tc.change(s)
			assert.ErrorContains(t, s.Validate(), tc.want)
		})
	}
}

func TestNewAllocatesDistinctPortsDeterministically(t *testing.T) {
	opts := Options{StateDir: t.TempDir(), FabricDir: t.TempDir(), PortBase: 20000}
	a, err := New(Consortium(), opts)
	require.NoError(t, err)
	b, err := New(Consortium(), opts)
	require.NoError(t, err)

	seen := map[string]string{}
	var processes []*process
	for _, agency := range a.Agencies {
		processes = append(processes, agency.processes()...)
	}
	for _, p := range processes {
		for _, port := range p.Ports {
			_, _, err := net.SplitHostPort(port.Address)
			require.NoError(t, err)
			prev, dup := seen[port.Address]
			assert.False(t, dup, "%s %s and %s share %s", p.Name, port.Purpose, prev, port.Address)
			seen[port.Address] = p.Name + " " + port.Purpose
		}
	}
	assert.Len(t, seen, 8*2+3*3+8*3, "eight CAs, three orderers, eight peers")
	assert.Equal(t, 8*20, a.PortCount(), "a block of ports per agency, with room for nodes added later")
	assert.Equal(t, a.Peers[3].Address(), b.Peers[3].Address(), "the same spec and base give the same ports")
	assert.Equal(t, "127.0.0.1:20000", a.CAs[0].Address())
}

func TestANodeAddedToARunningAgencyMovesNoOtherNode(t *testing.T) {
	spec := Consortium()
	dir := t.TempDir()
	a, err := NewAgency(spec, AgencyOptions{Dir: dir, Organization: "Oversight", FabricDir: t.TempDir(), PortBase: 7000})
	require.NoError(t, err)
	require.NoError(t, a.saveAgencyFile())
	before := map[string]string{"ca": a.CA.Address(), "orderer0": a.Orderers[0].Address(), "peer0": a.Peers[0].Address()}

	// A new orderer for the same agency (say, on new hardware) and a second
	// peer: their ports come after every port in use.
	grown := spec.Clone()
	org, err := grown.Organization("Oversight")
	require.NoError(t, err)
	org.Orderers = append(org.Orderers, "orderer1")
	org.Peers = append(org.Peers, "peer1")
	b, err := OpenAgency(grown, dir, t.TempDir(), "", nil)
	require.NoError(t, err)
	assert.Equal(t, before, map[string]string{"ca": b.CA.Address(), "orderer0": b.Orderers[0].Address(), "peer0": b.Peers[0].Address()})
	assert.Equal(t, "127.0.0.1:7008", b.Orderers[1].Address())
	assert.Equal(t, "127.0.0.1:7011", b.Peers[1].Address())
}

func TestNewReusesTheSavedPortBase(t *testing.T) {
	opts := Options{StateDir: t.TempDir(), FabricDir: t.TempDir(), PortBase: 21000}
	first, err := New(Consortium(), opts)
	require.NoError(t, err)
	require.NoError(t, first.saveOptions())

	opts.PortBase = 22000
	again, err := New(Consortium(), opts)
	require.NoError(t, err)
	assert.Equal(t, first.Peers[0].Address(), again.Peers[0].Address(), "a restart must bring back the same nodes")
}

func TestCollectionsTemplateRendersValidJSON(t *testing.T) {
	ch, err := Consortium().Channel(EducationChannel)
	require.NoError(t, err)
	out, err := render("collections.json.tmpl", ch.Chaincodes[1].Collections)
	require.NoError(t, err)
	var got []struct {
		Name              string `json:"name"`
		Policy            string `json:"policy"`
		RequiredPeerCount int    `json:"requiredPeerCount"`
		MaxPeerCount      int    `json:"maxPeerCount"`
		MemberOnlyRead    bool   `json:"memberOnlyRead"`
	}
	require.NoError(t, json.Unmarshal(out, &got), string(out))
	require.Len(t, got, 2)
	assert.Equal(t, "StudentPII_UniversityAMSP", got[0].Name)
	assert.Equal(t, "OR('UniversityAMSP.member', 'EduMinistryMSP.member')", got[0].Policy)
	assert.True(t, got[0].MemberOnlyRead)
}

func TestCollectionsPushOnlyToMemberPeersThatDidNotEndorse(t *testing.T) {
	spec := Consortium()
	for _, ch := range spec.Channels {
		for _, cc := range ch.Chaincodes {
			for _, c := range cc.Collections {
				assert.Zero(t, c.MaxPeerCount, "%s: one peer per organisation, and each member's peer endorses", c.Name)
				assert.Zero(t, c.RequiredPeerCount, "%s: endorsement never waits for a push", c.Name)
			}
		}
	}
	for _, org := range spec.Organizations {
		switch org.MSPID {
		case "UniversityAMSP":
			org.Peers = []string{"peer0", "peer1", "peer2"}
		case "EduMinistryMSP":
			org.Peers = []string{"peer0", "peer1"}
		case "UniversityBMSP":
			org.Peers = []string{"peer0", "peer1"}
		}
	}
	assert.Equal(t, 3, otherMemberPeers(spec, []string{"UniversityAMSP", "EduMinistryMSP"}), "two more university peers and one more ministry peer")
	assert.Equal(t, 0, otherMemberPeers(spec, []string{"NotaryOfficeMSP"}))
}

func TestParseHeights(t *testing.T) {
	metrics := `# HELP ledger_blockchain_height Height of the chain in blocks.
# TYPE ledger_blockchain_height gauge
ledger_blockchain_height{channel="education-credit"} 12
ledger_blockchain_height{channel="finance-ledger"} 7
ledger_transaction_count{channel="x"} 3
`
	heights, err := parseHeights(strings.NewReader(metrics))
	require.NoError(t, err)
	assert.Equal(t, []Height{{"education-credit", 12}, {"finance-ledger", 7}}, heights)

	_, err = parseHeights(strings.NewReader(`ledger_blockchain_height{channel="a"} twelve`))
	assert.Error(t, err)
}

func TestEnrollmentIDsAreDistinctWithinEachOrganization(t *testing.T) {
	n, err := New(Consortium(), Options{StateDir: t.TempDir(), FabricDir: t.TempDir()})
	require.NoError(t, err)
	for _, a := range n.Agencies {
		seen := map[string]bool{registrarName: true}
		for _, id := range a.identities() {
			assert.False(t, seen[id.Name], "%s: enrollment ID %q is used twice (the CA's registrar counts)", a.Org.Name, id.Name)
			seen[id.Name] = true
		}
	}
}

func TestNewRefusesPortsInTheEphemeralRange(t *testing.T) {
	data, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err != nil {
		t.Skip("no ephemeral port range to check against")
	}
	var low, high int
	_, err = fmt.Sscan(string(data), &low, &high)
	require.NoError(t, err)
	_, err = New(Consortium(), Options{StateDir: t.TempDir(), FabricDir: t.TempDir(), PortBase: low + 10})
	assert.ErrorContains(t, err, "ephemeral port range")
}
