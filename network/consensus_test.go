package network

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

func TestWithBFTDeclaresFourOrderersOfFourAgencies(t *testing.T) {
	raft, bft := Consortium(), Consortium(WithBFT())
	require.NoError(t, bft.Validate())
	require.NoError(t, Consortium(WithBFT(), WithBenchmarkProbes()).Validate())

	orderers := func(spec *Spec) (msps []string) {
		for _, org := range spec.OrdererOrganizations() {
			require.Len(t, org.Orderers, 1, "%s runs one orderer", org.Name)
			msps = append(msps, org.MSPID)
		}
		return msps
	}
	assert.Equal(t, Raft, raft.Ordering.ConsensusType(), "the default stays Raft")
	assert.ElementsMatch(t, OrderingAgencies, orderers(raft))
	assert.Equal(t, BFT, bft.Ordering.ConsensusType())
	assert.ElementsMatch(t, BFTOrderingAgencies, orderers(bft))
	assert.Subset(t, BFTOrderingAgencies, OrderingAgencies, "BFT adds an agency to Raft's three")
	assert.Equal(t, 1, bft.Ordering.FaultsTolerated(len(orderers(bft))), "four BFT orderers tolerate one faulty")
	assert.Equal(t, 1, raft.Ordering.FaultsTolerated(len(orderers(raft))), "three Raft orderers tolerate one crashed")

	// Only the ordering changes: the same organisations, peers, channels
	// and chaincodes.
	assert.Equal(t, raft.Channels, bft.Channels)
	assert.Equal(t, raft.PortCount(), bft.PortCount(), "the fourth orderer fits in its agency's block of ports")
}

func TestValidateRefusesBFTBelowFourOrderers(t *testing.T) {
	spec := Consortium(WithBFT())
	for _, org := range spec.Organizations {
		if org.MSPID == "NotaryOfficeMSP" {
			org.Orderers = nil
		}
	}
	assert.ErrorContains(t, spec.Validate(), "BFT ordering needs at least 4 orderers (3f+1 to tolerate f faulty ones, f >= 1); the consortium declares 3")

	spec = Consortium()
	spec.Ordering.Consensus = "kafka"
	assert.ErrorContains(t, spec.Validate(), `unknown consensus type "kafka"`)
}

func TestParseConsensus(t *testing.T) {
	cases := []struct {
		in   string
		want Consensus
		err  string
	}{
		{"raft", Raft, ""},
		{"etcdraft", Raft, ""},
		{"bft", BFT, ""},
		{"BFT", BFT, ""},
		{"SmartBFT", BFT, ""},
		{"", "", `unknown consensus type ""`},
		{"solo", "", `unknown consensus type "solo": want raft or bft`},
	}
	for _, tc := range cases {
		got, err := ParseConsensus(tc.in)
		if tc.err != "" {
			assert.ErrorContains(t, err, tc.err, tc.in)
			continue
		}
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, got, tc.in)
	}
}

// configtxOrderer is the part of a rendered configtx.yaml that differs
// between the consensus types.
type configtxOrderer struct {
	Orderer struct {
		OrdererType      string `yaml:"OrdererType"`
		BatchTimeout     string `yaml:"BatchTimeout"`
		ConsenterMapping []struct {
			ID            int    `yaml:"ID"`
			Host          string `yaml:"Host"`
			Port          int    `yaml:"Port"`
			MSPID         string `yaml:"MSPID"`
			Identity      string `yaml:"Identity"`
			ClientTLSCert string `yaml:"ClientTLSCert"`
			ServerTLSCert string `yaml:"ServerTLSCert"`
		} `yaml:"ConsenterMapping"`
		SmartBFT map[string]any `yaml:"SmartBFT"`
		EtcdRaft *struct {
			Consenters []map[string]any `yaml:"Consenters"`
		} `yaml:"EtcdRaft"`
	} `yaml:"Orderer"`
}

func renderOrderer(t *testing.T, spec *Spec) configtxOrderer {
	t.Helper()
	var consenters []consenter
	for i, org := range spec.OrdererOrganizations() {
		consenters = append(consenters, consenter{ID: i + 1, MSPID: org.OrderingMSPID(), Host: "127.0.0.1", Port: 7050 + i,
			TLSCert: "/k/" + org.Name + "/tls-cert.pem", IdentityCert: "/k/" + org.Name + "/identity-cert.pem"})
	}
	out, err := render("configtx.yaml.tmpl", map[string]any{
		"Name": spec.Name, "Orgs": []configtxOrg{}, "Consenters": consenters, "Ordering": spec.Ordering,
		"Channels": spec.Channels, "OrderingOrgs": spec.OrdererOrganizations(),
	})
	require.NoError(t, err)
	// The profiles refer to organisations this test does not render.
	head, _, _ := strings.Cut(string(out), "\nProfiles:")
	var got configtxOrderer
	require.NoError(t, yaml.Unmarshal([]byte(head), &got), head)
	return got
}

func TestConfigtxTemplateRendersTheConsensusType(t *testing.T) {
	raft := renderOrderer(t, Consortium())
	assert.Equal(t, "etcdraft", raft.Orderer.OrdererType)
	require.NotNil(t, raft.Orderer.EtcdRaft)
	assert.Len(t, raft.Orderer.EtcdRaft.Consenters, 3)
	assert.Empty(t, raft.Orderer.ConsenterMapping)
	assert.Empty(t, raft.Orderer.SmartBFT)

	bft := renderOrderer(t, Consortium(WithBFT()))
	assert.Equal(t, "BFT", bft.Orderer.OrdererType)
	assert.Nil(t, bft.Orderer.EtcdRaft)
	require.Len(t, bft.Orderer.ConsenterMapping, 4)
	for i, c := range bft.Orderer.ConsenterMapping {
		assert.Equal(t, i+1, c.ID)
		assert.Equal(t, 7050+i, c.Port)
		assert.True(t, strings.HasSuffix(c.MSPID, "OrderingMSP"), "consenter %d is in its agency's ordering organisation: %s", c.ID, c.MSPID)
		assert.True(t, strings.HasSuffix(c.Identity, "identity-cert.pem"), "consenter %d signs with its identity certificate", c.ID)
		assert.Equal(t, c.ClientTLSCert, c.ServerTLSCert)
	}
	// configtxgen takes the SmartBFT section whole: a missing field would be
	// zero, which SmartBFT refuses or treats as "never".
	for _, field := range []string{"RequestBatchMaxCount", "RequestBatchMaxBytes", "RequestBatchMaxInterval", "RequestPoolSize",
		"IncomingMessageBufferSize", "RequestForwardTimeout", "RequestComplainTimeout", "RequestAutoRemoveTimeout",
		"LeaderHeartbeatTimeout", "LeaderHeartbeatCount", "ViewChangeResendInterval", "ViewChangeTimeout", "CollectTimeout"} {
		assert.NotEmpty(t, bft.Orderer.SmartBFT[field], "SmartBFT.%s", field)
	}
	assert.Equal(t, "50ms", bft.Orderer.SmartBFT["RequestBatchMaxInterval"], "blocks are cut after the description's batch timeout")
	assert.Equal(t, bft.Orderer.BatchTimeout, bft.Orderer.SmartBFT["RequestBatchMaxInterval"])
	assert.NotContains(t, bft.Orderer.SmartBFT, "LeaderRotation", "Fabric 3.1 refuses leader rotation; unset is off")
}

func TestSpecNumbersConsentersInItsOrder(t *testing.T) {
	n, err := New(Consortium(WithBFT()), Options{StateDir: t.TempDir(), FabricDir: t.TempDir(), PortBase: 20000})
	require.NoError(t, err)
	require.Len(t, n.Orderers, 4)
	for i, o := range n.Orderers {
		assert.Equal(t, i+1, n.Spec.ConsenterID(o), o.ID())
		assert.Same(t, o, n.consenter(i+1))
	}
	assert.Nil(t, n.consenter(5))
	assert.Zero(t, n.Spec.ConsenterID(&Orderer{Org: n.Orderers[0].Org, Name: "orderer9"}))
}

func TestNewRefusesAFolderMadeWithAnotherConsensus(t *testing.T) {
	opts := Options{StateDir: t.TempDir(), FabricDir: t.TempDir(), PortBase: 21000}
	raft, err := New(Consortium(), opts)
	require.NoError(t, err)
	require.NoError(t, raft.saveOptions())

	_, err = New(Consortium(WithBFT()), opts)
	assert.ErrorContains(t, err, "was made with Raft ordering, and this description orders with BFT")
	_, err = New(Consortium(), opts)
	assert.NoError(t, err, "the same consensus type opens it")
}

func TestParseChannelGauge(t *testing.T) {
	metrics := `# TYPE consensus_smartbft_view_leader_id gauge
consensus_smartbft_view_leader_id{channel="education-credit"} 2
consensus_smartbft_view_leader_id{channel="finance-ledger"} 3
consensus_etcdraft_is_leader{channel="finance-ledger"} 1
`
	v, found, err := parseChannelGauge(strings.NewReader(metrics), bftLeaderMetric, "finance-ledger")
	require.NoError(t, err)
	assert.True(t, found)
	assert.Equal(t, 3.0, v)
	_, found, err = parseChannelGauge(strings.NewReader(metrics), raftLeaderMetric, "education-credit")
	require.NoError(t, err)
	assert.False(t, found)
	_, _, err = parseChannelGauge(strings.NewReader(`consensus_etcdraft_is_leader{channel="a"} yes`), raftLeaderMetric, "a")
	assert.Error(t, err)
}
