package audit

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"math/big"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"
)

// The tests build a small channel by hand, as Fabric would: a CA per
// organisation, a genesis block carrying their MSPs, and blocks of
// endorser transactions signed by an orderer.

const testChannel = "audit-test"

// signer is a test identity: an MSP ID, a certificate and its key.
type signer struct {
	mspID string
	cert  *x509.Certificate
	key   *ecdsa.PrivateKey
}

func (s signer) pem() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.cert.Raw})
}

func (s signer) serialized() []byte {
	data, _ := proto.Marshal(&msp.SerializedIdentity{Mspid: s.mspID, IdBytes: s.pem()})
	return data
}

// sign signs msg's SHA-256 with low S.
func (s signer) sign(t *testing.T, msg []byte) []byte {
	t.Helper()
	digest := sha256.Sum256(msg)
	r, ss, err := ecdsa.Sign(rand.Reader, s.key, digest[:])
	require.NoError(t, err)
	n := s.key.Curve.Params().N
	if ss.Cmp(new(big.Int).Rsh(n, 1)) > 0 {
		ss.Sub(n, ss)
	}
	der, err := asn1Sig(r, ss)
	require.NoError(t, err)
	return der
}

var serial int64

// newCA returns a self-signed CA of an MSP.
func newCA(t *testing.T, mspID string) signer {
	t.Helper()
	return issue(t, signer{mspID: mspID}, "ca."+mspID, true)
}

// issue makes a certificate under ca (self-signed when ca has none).
func issue(t *testing.T, ca signer, cn string, isCA bool) signer {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	serial++
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: cn, Organization: []string{ca.mspID}},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, BasicConstraintsValid: true, IsCA: isCA,
	}
	parent, parentKey := tmpl, key
	if ca.cert != nil {
		parent, parentKey = ca.cert, ca.key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return signer{mspID: ca.mspID, cert: cert, key: key}
}

func mspGroup(t *testing.T, ca signer) *common.ConfigGroup {
	t.Helper()
	fc, err := proto.Marshal(&msp.FabricMSPConfig{Name: ca.mspID, RootCerts: [][]byte{ca.pem()}})
	require.NoError(t, err)
	mc, err := proto.Marshal(&msp.MSPConfig{Config: fc})
	require.NoError(t, err)
	return &common.ConfigGroup{Values: map[string]*common.ConfigValue{"MSP": {Value: mc}}}
}

// testNet is a channel's organisations: an ordering organisation with one
// orderer, a member with a peer and a client.
type testNet struct {
	ordererCA, memberCA   signer
	orderer, peer, client signer
	blocks                []*common.Block
}

func newTestNet(t *testing.T) *testNet {
	n := &testNet{ordererCA: newCA(t, "OrdererMSP"), memberCA: newCA(t, "MemberMSP")}
	n.orderer = issue(t, n.ordererCA, "orderer0", false)
	n.peer = issue(t, n.memberCA, "peer0", false)
	n.client = issue(t, n.memberCA, "client", false)
	n.blocks = []*common.Block{n.genesis(t)}
	return n
}

func (n *testNet) genesis(t *testing.T) *common.Block {
	cfg := &common.Config{ChannelGroup: &common.ConfigGroup{Groups: map[string]*common.ConfigGroup{
		"Orderer":     {Groups: map[string]*common.ConfigGroup{"Ordering": mspGroup(t, n.ordererCA)}},
		"Application": {Groups: map[string]*common.ConfigGroup{"Member": mspGroup(t, n.memberCA)}},
	}}}
	data, err := proto.Marshal(&common.ConfigEnvelope{Config: cfg})
	require.NoError(t, err)
	env := envelope(t, common.HeaderType_CONFIG, "", data, nil)
	return n.cut(t, nil, [][]byte{env}, 0)
}

// envelope makes a transaction of a type with data, signed by s (unsigned
// when s is nil).
func envelope(t *testing.T, typ common.HeaderType, txID string, data []byte, s *signer) []byte {
	t.Helper()
	ch, err := proto.Marshal(&common.ChannelHeader{Type: int32(typ), ChannelId: testChannel, TxId: txID})
	require.NoError(t, err)
	var creator []byte
	if s != nil {
		creator = s.serialized()
	}
	sh, err := proto.Marshal(&common.SignatureHeader{Creator: creator, Nonce: []byte("nonce")})
	require.NoError(t, err)
	payload, err := proto.Marshal(&common.Payload{Header: &common.Header{ChannelHeader: ch, SignatureHeader: sh}, Data: data})
	require.NoError(t, err)
	env := &common.Envelope{Payload: payload}
	if s != nil {
		env.Signature = s.sign(t, payload)
	}
	raw, err := proto.Marshal(env)
	require.NoError(t, err)
	return raw
}

// endorserTx is a transaction by client, endorsed by endorsers.
func endorserTx(t *testing.T, txID string, client signer, endorsers ...signer) []byte {
	t.Helper()
	prp := []byte("proposal response payload of " + txID)
	action := &peer.ChaincodeEndorsedAction{ProposalResponsePayload: prp}
	for _, e := range endorsers {
		action.Endorsements = append(action.Endorsements, &peer.Endorsement{Endorser: e.serialized(), Signature: e.sign(t, append(append([]byte{}, prp...), e.serialized()...))})
	}
	cap, err := proto.Marshal(&peer.ChaincodeActionPayload{Action: action})
	require.NoError(t, err)
	tx, err := proto.Marshal(&peer.Transaction{Actions: []*peer.TransactionAction{{Payload: cap}}})
	require.NoError(t, err)
	return envelope(t, common.HeaderType_ENDORSER_TRANSACTION, txID, tx, &client)
}

// cut makes the next block of txs, signed by orderer (unsigned when nil),
// with every transaction marked valid.
func (n *testNet) cut(t *testing.T, orderer *signer, txs [][]byte, lastConfig uint64) *common.Block {
	t.Helper()
	var number uint64
	var prev []byte
	if len(n.blocks) > 0 {
		last := n.blocks[len(n.blocks)-1]
		number, prev = last.GetHeader().GetNumber()+1, HeaderHash(last.GetHeader())
	}
	b := &common.Block{
		Header:   &common.BlockHeader{Number: number, PreviousHash: prev},
		Data:     &common.BlockData{Data: txs},
		Metadata: &common.BlockMetadata{Metadata: make([][]byte, 5)},
	}
	b.Header.DataHash = DataHash(b.Data)
	b.Metadata.Metadata[common.BlockMetadataIndex_TRANSACTIONS_FILTER] = make([]byte, len(txs)) // 0 is VALID
	if orderer != nil {
		n.sign(t, b, *orderer, lastConfig)
	}
	return b
}

// sign (re)signs a block as orderer.
func (n *testNet) sign(t *testing.T, b *common.Block, orderer signer, lastConfig uint64) {
	t.Helper()
	value, err := proto.Marshal(&common.OrdererBlockMetadata{LastConfig: &common.LastConfig{Index: lastConfig}})
	require.NoError(t, err)
	sh, err := proto.Marshal(&common.SignatureHeader{Creator: orderer.serialized(), Nonce: []byte("n")})
	require.NoError(t, err)
	sig := orderer.sign(t, append(append(append([]byte{}, value...), sh...), HeaderBytes(b.Header)...))
	md, err := proto.Marshal(&common.Metadata{Value: value, Signatures: []*common.MetadataSignature{{SignatureHeader: sh, Signature: sig}}})
	require.NoError(t, err)
	b.Metadata.Metadata[common.BlockMetadataIndex_SIGNATURES] = md
}

// add cuts and appends a block of txs signed by the channel's orderer.
func (n *testNet) add(t *testing.T, txs ...[]byte) *common.Block {
	b := n.cut(t, &n.orderer, txs, 0)
	n.blocks = append(n.blocks, b)
	return b
}

// clone returns a deep copy of the chain, to tamper with one source's.
func clone(blocks []*common.Block) []*common.Block {
	out := make([]*common.Block, len(blocks))
	for i, b := range blocks {
		out[i] = proto.Clone(b).(*common.Block)
	}
	return out
}

// audit checks the sources' chains (source name -> blocks; names starting
// with "orderer" are orderers) block by block, as Run does.
func audit(t *testing.T, chains map[string][]*common.Block, order ...string) ([]Finding, *Checker) {
	t.Helper()
	c := NewChecker(testChannel)
	var findings []Finding
	for {
		var copies []Copy
		for _, name := range order {
			blocks := chains[name]
			if n := c.Next(); n < uint64(len(blocks)) && !c.Failed(name) {
				copies = append(copies, Copy{Source: name, Peer: name[:4] == "peer", Block: blocks[n]})
			}
		}
		if len(copies) == 0 {
			return findings, c
		}
		f, ok := c.Check(copies)
		findings = append(findings, f...)
		if !ok {
			return findings, c
		}
	}
}

func asn1Sig(r, s *big.Int) ([]byte, error) {
	return asn1.Marshal(struct{ R, S *big.Int }{r, s})
}

// endorserTxBadEndorsement is a transaction whose endorsement was made
// over another proposal response.
func endorserTxBadEndorsement(t *testing.T, n *testNet) []byte {
	t.Helper()
	prp := []byte("the response the client got")
	wrong := n.peer.sign(t, append([]byte("another response"), n.peer.serialized()...))
	cap, err := proto.Marshal(&peer.ChaincodeActionPayload{Action: &peer.ChaincodeEndorsedAction{
		ProposalResponsePayload: prp, Endorsements: []*peer.Endorsement{{Endorser: n.peer.serialized(), Signature: wrong}},
	}})
	require.NoError(t, err)
	tx, err := proto.Marshal(&peer.Transaction{Actions: []*peer.TransactionAction{{Payload: cap}}})
	require.NoError(t, err)
	return envelope(t, common.HeaderType_ENDORSER_TRANSACTION, "t", tx, &n.client)
}

// resignEnvelope replaces a transaction's signature by s's over msg.
func resignEnvelope(t *testing.T, raw []byte, s signer, msg []byte) []byte {
	t.Helper()
	var env common.Envelope
	require.NoError(t, proto.Unmarshal(raw, &env))
	env.Signature = s.sign(t, msg)
	out, err := proto.Marshal(&env)
	require.NoError(t, err)
	return out
}

// addConfig appends a configuration block, signed by the orderer in force,
// that replaces the ordering organisation's root with newCA's.
func (n *testNet) addConfig(t *testing.T, newCA signer) *common.Block {
	t.Helper()
	cfg := &common.Config{ChannelGroup: &common.ConfigGroup{Groups: map[string]*common.ConfigGroup{
		"Orderer":     {Groups: map[string]*common.ConfigGroup{"Ordering": mspGroup(t, newCA)}},
		"Application": {Groups: map[string]*common.ConfigGroup{"Member": mspGroup(t, n.memberCA)}},
	}}}
	data, err := proto.Marshal(&common.ConfigEnvelope{Config: cfg})
	require.NoError(t, err)
	b := n.cut(t, &n.orderer, [][]byte{envelope(t, common.HeaderType_CONFIG, "", data, &n.orderer)}, uint64(len(n.blocks)))
	n.blocks = append(n.blocks, b)
	return b
}
