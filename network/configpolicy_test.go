package network

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"math/big"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"
)

// testOrg is an organisation of a test channel: its CA and an identity
// issued with an organisational unit.
type testOrg struct {
	mspID string
	ca    *testCA
}

func (o *testOrg) signer(t *testing.T, ou string) *mspSigner {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: ou + "@" + o.mspID, OrganizationalUnit: []string{ou}},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, o.ca.cert, &key.PublicKey, o.ca.key)
	require.NoError(t, err)
	return &mspSigner{mspID: o.mspID, cert: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), key: key}
}

// testChannel makes a channel configuration whose Application group has the
// orgs, each with an MSP (NodeOUs on) and Admins OR('X.admin'), under a
// MAJORITY Admins policy.
func testChannel(t *testing.T, orgs ...*testOrg) *common.Config {
	t.Helper()
	app := &common.ConfigGroup{ModPolicy: "Admins", Groups: map[string]*common.ConfigGroup{}, Policies: map[string]*common.ConfigPolicy{
		"Admins": {ModPolicy: "Admins", Policy: implicitMeta(t, "Admins", common.ImplicitMetaPolicy_MAJORITY)}}}
	for _, o := range orgs {
		ou := func(name string) *msp.FabricOUIdentifier {
			return &msp.FabricOUIdentifier{Certificate: []byte(o.ca.pem), OrganizationalUnitIdentifier: name}
		}
		fabric, err := proto.Marshal(&msp.FabricMSPConfig{Name: o.mspID, RootCerts: [][]byte{[]byte(o.ca.pem)}, FabricNodeOus: &msp.FabricNodeOUs{
			Enable: true, ClientOuIdentifier: ou("client"), PeerOuIdentifier: ou("peer"), AdminOuIdentifier: ou("admin"), OrdererOuIdentifier: ou("orderer")}})
		require.NoError(t, err)
		config, err := proto.Marshal(&msp.MSPConfig{Config: fabric})
		require.NoError(t, err)
		role, err := proto.Marshal(&msp.MSPRole{MspIdentifier: o.mspID, Role: msp.MSPRole_ADMIN})
		require.NoError(t, err)
		admins, err := proto.Marshal(&common.SignaturePolicyEnvelope{
			Rule:       &common.SignaturePolicy{Type: &common.SignaturePolicy_NOutOf_{NOutOf: &common.SignaturePolicy_NOutOf{N: 1, Rules: []*common.SignaturePolicy{{Type: &common.SignaturePolicy_SignedBy{SignedBy: 0}}}}}},
			Identities: []*msp.MSPPrincipal{{PrincipalClassification: msp.MSPPrincipal_ROLE, Principal: role}},
		})
		require.NoError(t, err)
		app.Groups[o.mspID] = &common.ConfigGroup{ModPolicy: "Admins",
			Values:   map[string]*common.ConfigValue{"MSP": {ModPolicy: "Admins", Value: config}},
			Policies: map[string]*common.ConfigPolicy{"Admins": {ModPolicy: "Admins", Policy: &common.Policy{Type: int32(common.Policy_SIGNATURE), Value: admins}}}}
	}
	return &common.Config{ChannelGroup: &common.ConfigGroup{Groups: map[string]*common.ConfigGroup{"Application": app}}}
}

func implicitMeta(t *testing.T, sub string, rule common.ImplicitMetaPolicy_Rule) *common.Policy {
	t.Helper()
	v, err := proto.Marshal(&common.ImplicitMetaPolicy{SubPolicy: sub, Rule: rule})
	require.NoError(t, err)
	return &common.Policy{Type: int32(common.Policy_IMPLICIT_META), Value: v}
}

// signUpdate signs an update's bytes as s.
func signUpdate(t *testing.T, s *mspSigner, update []byte) *common.ConfigSignature {
	t.Helper()
	sh, err := s.signatureHeader()
	require.NoError(t, err)
	shBytes, err := proto.Marshal(sh)
	require.NoError(t, err)
	sig, err := s.sign(append(append([]byte{}, shBytes...), update...))
	require.NoError(t, err)
	return &common.ConfigSignature{SignatureHeader: shBytes, Signature: sig}
}

func TestUpdateSignaturesAreCheckedAgainstTheChannelsPolicies(t *testing.T) {
	a := &testOrg{"UniversityAMSP", newTestCA(t, "ca-a")}
	b := &testOrg{"UniversityBMSP", newTestCA(t, "ca-b")}
	e := &testOrg{"EduMinistryMSP", newTestCA(t, "ca-e")}
	current := testChannel(t, a, b, e)
	wanted := proto.Clone(current).(*common.Config)
	wanted.ChannelGroup.Groups["Application"].Groups["UniversityCMSP"] = &common.ConfigGroup{ModPolicy: "Admins"}
	update, err := computeUpdate("education-credit", current, wanted)
	require.NoError(t, err)
	raw, err := proto.Marshal(update)
	require.NoError(t, err)
	other := proto.Clone(update).(*common.ConfigUpdate)
	other.WriteSet.Groups["Application"].Groups["StrangerMSP"] = &common.ConfigGroup{}
	otherRaw, err := proto.Marshal(other)
	require.NoError(t, err)

	cases := []struct {
		name      string
		sigs      []*common.ConfigSignature
		satisfied bool
		signedBy  []string
		invalid   []string
	}{
		{"no signature", nil, false, nil, nil},
		{"one administrator of three", []*common.ConfigSignature{signUpdate(t, a.signer(t, "admin"), raw)}, false, []string{"UniversityAMSP"}, nil},
		{"the same administrator twice", []*common.ConfigSignature{signUpdate(t, a.signer(t, "admin"), raw), signUpdate(t, a.signer(t, "admin"), raw)}, false, []string{"UniversityAMSP"}, nil},
		{"a client is no administrator", []*common.ConfigSignature{signUpdate(t, a.signer(t, "admin"), raw), signUpdate(t, b.signer(t, "client"), raw)}, false, []string{"UniversityAMSP"}, nil},
		{"a signature over another update", []*common.ConfigSignature{signUpdate(t, a.signer(t, "admin"), raw), signUpdate(t, b.signer(t, "admin"), otherRaw)},
			false, []string{"UniversityAMSP"}, []string{"it was made for another"}},
		{"an administrator of no member", []*common.ConfigSignature{signUpdate(t, a.signer(t, "admin"), raw),
			signUpdate(t, (&testOrg{"UniversityCMSP", newTestCA(t, "ca-c")}).signer(t, "admin"), raw)}, false, []string{"UniversityAMSP"}, []string{"is no MSP of the channel"}},
		{"a certificate of another CA under a member's name", []*common.ConfigSignature{signUpdate(t, a.signer(t, "admin"), raw),
			signUpdate(t, (&testOrg{"UniversityBMSP", newTestCA(t, "rogue")}).signer(t, "admin"), raw)}, false, []string{"UniversityAMSP"}, []string{"is not one of UniversityBMSP's"}},
		{"two administrators of three", []*common.ConfigSignature{signUpdate(t, a.signer(t, "admin"), raw), signUpdate(t, e.signer(t, "admin"), raw)}, true, []string{"EduMinistryMSP", "UniversityAMSP"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, err := updateStatus("education-credit", current, update, raw, tc.sigs)
			require.NoError(t, err)
			require.Len(t, status.Required, 1)
			r := status.Required[0]
			assert.Equal(t, "/Channel/Application/Admins", r.Path)
			assert.Equal(t, tc.satisfied, r.Satisfied)
			assert.Equal(t, tc.signedBy, r.SignedBy)
			assert.Contains(t, r.Rule, "MAJORITY of the Admins of EduMinistryMSP, UniversityAMSP, UniversityBMSP (2 of 3)")
			if !tc.satisfied {
				assert.Equal(t, 2-len(tc.signedBy), r.Needed)
				assert.NotEmpty(t, r.Missing)
				for _, s := range tc.signedBy {
					assert.NotContains(t, r.Missing, s)
				}
				assert.Contains(t, status.missing(), "needs")
			}
			require.Len(t, status.Invalid, len(tc.invalid))
			for i, want := range tc.invalid {
				assert.Contains(t, status.Invalid[i], want)
			}
		})
	}
}

func TestSignaturesHaveLowS(t *testing.T) {
	s := (&testOrg{"UniversityAMSP", newTestCA(t, "ca")}).signer(t, "admin")
	half := new(big.Int).Rsh(elliptic.P256().Params().N, 1)
	for i := 0; i < 20; i++ {
		sig, err := s.sign([]byte{byte(i)})
		require.NoError(t, err)
		var rs struct{ R, S *big.Int }
		_, err = asn1.Unmarshal(sig, &rs)
		require.NoError(t, err)
		assert.LessOrEqual(t, rs.S.Cmp(half), 0, "Fabric accepts only signatures with s in the lower half")
	}
}
