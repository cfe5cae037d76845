package caliper

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/govshare/govshare/gateway-client/profile"
	"github.com/govshare/govshare/network"
)

// writeOrg writes an organisation folder as the network generates it.
func writeOrg(t *testing.T, orgsDir string, p *profile.Profile) {
	t.Helper()
	dir := filepath.Join(orgsDir, p.Organization)
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.NoError(t, p.Save(dir))
}

func TestBuildDerivesOrganisationsAndChannelsFromTheNetwork(t *testing.T) {
	state := t.TempDir()
	orgs := filepath.Join(state, "organizations")
	spec := network.Consortium(network.WithBenchmarkProbes()) // as govload caliper builds it
	for _, org := range spec.Organizations {
		if len(org.Peers) == 0 {
			continue
		}
		var channels []string
		for _, ch := range spec.Channels {
			for _, m := range ch.Members {
				if m == org.Name {
					channels = append(channels, ch.Name)
				}
			}
		}
		p := &profile.Profile{Organization: org.Name, MSPID: org.MSPID, Channels: channels,
			Gateway: profile.Endpoint{Name: "peer0." + org.Domain, Address: "127.0.0.1:1234", TLSRootCert: "peers/peer0/tls/ca.pem"}}
		for _, role := range org.Users() {
			p.Users = append(p.Users, profile.User{Role: role, Certificate: "users/" + role + "/msp/signcerts/cert.pem",
				PrivateKey: "users/" + role + "/msp/keystore/key.pem"})
		}
		writeOrg(t, orgs, p)
	}

	cfg, err := Build(state, spec)
	require.NoError(t, err)
	assert.Equal(t, "2.0.0", cfg.Version)
	assert.Equal(t, "fabric", cfg.Caliper.Blockchain)

	byName := map[string]Channel{}
	for _, ch := range cfg.Channels {
		byName[ch.ChannelName] = ch
	}
	require.Len(t, byName, len(spec.Channels))
	assert.Equal(t, []Contract{{ID: "baseline", ContractID: "education-credit/baseline"}, {ID: "education", ContractID: "education-credit/education"},
		{ID: "benchprobe", ContractID: "education-credit/benchprobe"}},
		byName["education-credit"].Contracts)
	assert.Equal(t, []Contract{{ID: "baseline", ContractID: "finance-ledger/baseline"}, {ID: "finance", ContractID: "finance-ledger/finance"},
		{ID: "benchprobe", ContractID: "finance-ledger/benchprobe"}},
		byName["finance-ledger"].Contracts)
	assert.Equal(t, []Contract{{ID: "baseline", ContractID: "judicial-evidence/baseline"}, {ID: "evidence", ContractID: "judicial-evidence/evidence"},
		{ID: "benchprobe", ContractID: "judicial-evidence/benchprobe"}},
		byName["judicial-evidence"].Contracts)

	var ua *Organization
	for i := range cfg.Organizations {
		if cfg.Organizations[i].MSPID == "UniversityAMSP" {
			ua = &cfg.Organizations[i]
		}
	}
	require.NotNil(t, ua, "UniversityAMSP is configured")
	require.Len(t, ua.Peers, 1)
	assert.Equal(t, "127.0.0.1:1234", ua.Peers[0].Endpoint)
	assert.Equal(t, "peer0.university-a.govshare.test", ua.Peers[0].GRPCOptions["ssl-target-name-override"])
	absOrg, err := filepath.Abs(filepath.Join(orgs, "UniversityA"))
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(absOrg, "peers/peer0/tls/ca.pem"), ua.Peers[0].TLSCACerts.Path)
	names := []string{}
	for _, c := range ua.Identities.Certificates {
		names = append(names, c.Name)
		assert.True(t, filepath.IsAbs(c.ClientPrivateKey.Path) && filepath.IsAbs(c.ClientSignedCert.Path))
	}
	assert.Equal(t, []string{"admin", "registrar"}, names)

	path := filepath.Join(state, "network.yaml")
	require.NoError(t, cfg.Write(path))
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	var back NetworkConfig
	require.NoError(t, yaml.Unmarshal(data, &back))
	assert.Equal(t, *cfg, back, "the file reads back as written")
}

func TestBuildSaysWhenTheNetworkHasNoClientFolders(t *testing.T) {
	_, err := Build(t.TempDir(), network.Consortium())
	assert.ErrorContains(t, err, "is the network up?")
}
