package govclient

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"testing"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/pkg/attrmgr"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/govshare/govshare/chaincode/consortium"
)

// serializedIdentity makes the creator bytes of a certificate named name in
// mspID, with the govshare.role attribute role unless it is empty.
func serializedIdentity(t *testing.T, mspID, name, role string) []byte {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	template := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: name, Organization: []string{mspID}},
		NotBefore:    time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:     time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	if role != "" {
		value, err := json.Marshal(attrmgr.Attributes{Attrs: map[string]string{consortium.RoleAttribute: role}})
		require.NoError(t, err)
		template.ExtraExtensions = []pkix.Extension{{Id: attrmgr.AttrOID, Value: value}}
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	require.NoError(t, err)
	return marshal(t, &msp.SerializedIdentity{Mspid: mspID, IdBytes: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})})
}

// withParties rewrites a transaction envelope made by endorserTx with a
// real certificate as creator, endorsements by the given peers and a
// chaincode version.
func withParties(t *testing.T, envelope, creator []byte, version string, endorsers ...[]byte) []byte {
	t.Helper()
	var env common.Envelope
	require.NoError(t, proto.Unmarshal(envelope, &env))
	var payload common.Payload
	require.NoError(t, proto.Unmarshal(env.GetPayload(), &payload))
	payload.Header.SignatureHeader = marshal(t, &common.SignatureHeader{Creator: creator})
	var tx peer.Transaction
	require.NoError(t, proto.Unmarshal(payload.GetData(), &tx))
	var action peer.ChaincodeActionPayload
	require.NoError(t, proto.Unmarshal(tx.Actions[0].Payload, &action))
	for _, e := range endorsers {
		action.Action.Endorsements = append(action.Action.Endorsements, &peer.Endorsement{Endorser: e, Signature: []byte("sig")})
	}
	var response peer.ProposalResponsePayload
	require.NoError(t, proto.Unmarshal(action.Action.ProposalResponsePayload, &response))
	var ccAction peer.ChaincodeAction
	require.NoError(t, proto.Unmarshal(response.Extension, &ccAction))
	ccAction.ChaincodeId = &peer.ChaincodeID{Name: "education", Version: version}
	response.Extension = marshal(t, &ccAction)
	action.Action.ProposalResponsePayload = marshal(t, &response)
	tx.Actions[0].Payload = marshal(t, &action)
	payload.Data = marshal(t, &tx)
	return marshal(t, &common.Envelope{Payload: marshal(t, &payload)})
}

func TestBlockHeaderHashIsTheSHA256OfTheHeadersDER(t *testing.T) {
	prev := []byte{0xaa, 0xbb}
	data := []byte{0xcc}
	header := &common.BlockHeader{Number: 7, PreviousHash: prev, DataHash: data}
	// SEQUENCE { INTEGER 7, OCTET STRING aabb, OCTET STRING cc }, written
	// out by hand as Fabric's protoutil encodes it.
	der := []byte{0x30, 0x0a, 0x02, 0x01, 0x07, 0x04, 0x02, 0xaa, 0xbb, 0x04, 0x01, 0xcc}
	want := sha256.Sum256(der)
	assert.Equal(t, want[:], BlockHeaderHash(header))

	big := &common.BlockHeader{Number: 200}
	// 200 needs a leading zero byte to stay positive in DER.
	derBig := []byte{0x30, 0x08, 0x02, 0x02, 0x00, 0xc8, 0x04, 0x00, 0x04, 0x00}
	wantBig := sha256.Sum256(derBig)
	assert.Equal(t, wantBig[:], BlockHeaderHash(big))
}

func TestDecodeBlockNamesCreatorEndorsersAndHashes(t *testing.T) {
	registrar := serializedIdentity(t, "UniversityAMSP", "registrar", "registrar")
	peerA := serializedIdentity(t, "UniversityAMSP", "peer0.university-a", "")
	peerM := serializedIdentity(t, "EduMinistryMSP", "peer0.edu-ministry", "")
	good := withParties(t, endorserTx(t, "tx-a", "UniversityAMSP", "education", "RecordCredit", "CreditRecorded"), registrar, "v1", peerA, peerM)
	conflicted := withParties(t, endorserTx(t, "tx-b", "UniversityAMSP", "education", "RecordCredit", ""), registrar, "v1", peerA)
	header := &common.BlockHeader{Number: 3, PreviousHash: []byte{1, 2, 3}, DataHash: []byte{4, 5}}
	block := &common.Block{
		Header:   header,
		Data:     &common.BlockData{Data: [][]byte{good, conflicted, []byte("not a transaction")}},
		Metadata: &common.BlockMetadata{Metadata: [][]byte{{}, {}, {byte(peer.TxValidationCode_VALID), byte(peer.TxValidationCode_MVCC_READ_CONFLICT), byte(peer.TxValidationCode_BAD_PAYLOAD)}}},
	}

	b := DecodeBlock("education-credit", block)
	assert.Equal(t, "education-credit", b.Channel)
	assert.Equal(t, uint64(3), b.Number)
	assert.Equal(t, hex.EncodeToString(BlockHeaderHash(header)), b.Hash)
	assert.Equal(t, "010203", b.PreviousHash)
	assert.Equal(t, "0405", b.DataHash)
	require.Len(t, b.Transactions, 3)

	a := b.Transactions[0]
	assert.Equal(t, 0, a.Index)
	assert.Equal(t, "tx-a", a.TransactionID)
	assert.True(t, a.Valid)
	assert.Equal(t, "UniversityAMSP", a.Creator)
	assert.Equal(t, "registrar", a.CreatorRole, "the role comes from the certificate's attribute")
	assert.Equal(t, "registrar", a.CreatorName)
	assert.Equal(t, []Endorser{{MSPID: "UniversityAMSP", Name: "peer0.university-a"}, {MSPID: "EduMinistryMSP", Name: "peer0.edu-ministry"}}, a.Endorsers)
	assert.Equal(t, "v1", a.ChaincodeVersion)
	assert.Equal(t, len(good), a.Size)
	assert.Equal(t, "CreditRecorded", a.Event)
	require.Len(t, a.Writes, 1)
	assert.Empty(t, a.Problem)

	c := b.Transactions[1]
	assert.False(t, c.Valid)
	assert.Equal(t, peer.TxValidationCode_MVCC_READ_CONFLICT, c.Code, "an invalid transaction keeps its validation code")
	assert.Len(t, c.Endorsers, 1)

	bad := b.Transactions[2]
	assert.Equal(t, 2, bad.Index)
	assert.NotEmpty(t, bad.Problem, "an undecodable transaction is reported, not dropped")
	assert.Equal(t, peer.TxValidationCode_BAD_PAYLOAD, bad.Code)
}

// memoryCheckpoint is a BlockCheckpointer kept in memory.
type memoryCheckpoint struct{ next uint64 }

func (m *memoryCheckpoint) BlockNumber() uint64 { return m.next }
func (m *memoryCheckpoint) CheckpointBlock(n uint64) error {
	m.next = n + 1
	return nil
}

func TestFileCheckpointerIsABlockCheckpointer(t *testing.T) {
	cp, err := openCheckpoint(t.TempDir() + "/c/blocks.checkpoint")
	require.NoError(t, err)
	defer cp.Close()
	var checkpoint BlockCheckpointer = cp
	assert.Equal(t, uint64(0), checkpoint.BlockNumber())
	require.NoError(t, checkpoint.CheckpointBlock(4))
	assert.Equal(t, uint64(5), checkpoint.BlockNumber(), "the next block to deliver follows the handled one")

	var mem BlockCheckpointer = &memoryCheckpoint{}
	require.NoError(t, mem.CheckpointBlock(0))
	assert.Equal(t, uint64(1), mem.BlockNumber())
}
