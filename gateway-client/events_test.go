package govclient

import (
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset/kvrwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"
)

func marshal(t *testing.T, m proto.Message) []byte {
	t.Helper()
	b, err := proto.Marshal(m)
	require.NoError(t, err)
	return b
}

// endorserTx builds the envelope of a chaincode transaction as a peer
// would find it in a block.
func endorserTx(t *testing.T, txID, mspID, chaincode, function, event string) []byte {
	creator := marshal(t, &msp.SerializedIdentity{Mspid: mspID, IdBytes: []byte("cert")})
	header := &common.Header{
		ChannelHeader:   marshal(t, &common.ChannelHeader{Type: int32(common.HeaderType_ENDORSER_TRANSACTION), TxId: txID, Timestamp: timestamppb.Now()}),
		SignatureHeader: marshal(t, &common.SignatureHeader{Creator: creator}),
	}
	spec := &peer.ChaincodeInvocationSpec{ChaincodeSpec: &peer.ChaincodeSpec{
		ChaincodeId: &peer.ChaincodeID{Name: chaincode},
		Input:       &peer.ChaincodeInput{Args: [][]byte{[]byte(function), []byte(`{"a":1}`)}},
	}}
	written := &kvrwset.KVRWSet{Writes: []*kvrwset.KVWrite{{Key: "k-" + txID, Value: []byte(`{"v":1}`)}}}
	ccAction := &peer.ChaincodeAction{Results: marshal(t, &rwset.TxReadWriteSet{NsRwset: []*rwset.NsReadWriteSet{
		{Namespace: chaincode, Rwset: marshal(t, written)},
	}})}
	if event != "" {
		ccAction.Events = marshal(t, &peer.ChaincodeEvent{EventName: event, Payload: []byte(`{"e":1}`)})
	}
	action := &peer.ChaincodeActionPayload{
		ChaincodeProposalPayload: marshal(t, &peer.ChaincodeProposalPayload{Input: marshal(t, spec)}),
		Action: &peer.ChaincodeEndorsedAction{
			ProposalResponsePayload: marshal(t, &peer.ProposalResponsePayload{Extension: marshal(t, ccAction)}),
		},
	}
	tx := &peer.Transaction{Actions: []*peer.TransactionAction{{Payload: marshal(t, action)}}}
	payload := &common.Payload{Header: header, Data: marshal(t, tx)}
	return marshal(t, &common.Envelope{Payload: marshal(t, payload)})
}

func TestBlockChangesDecodesEveryTransaction(t *testing.T) {
	block := &common.Block{
		Header: &common.BlockHeader{Number: 7},
		Data: &common.BlockData{Data: [][]byte{
			endorserTx(t, "tx-a", "UniversityAMSP", "education", "RecordCredit", "CreditRecorded"),
			endorserTx(t, "tx-b", "EduMinistryMSP", "education", "AccreditUniversity", ""),
		}},
		Metadata: &common.BlockMetadata{Metadata: [][]byte{{}, {}, {byte(peer.TxValidationCode_VALID), byte(peer.TxValidationCode_MVCC_READ_CONFLICT)}}},
	}
	changes := BlockChanges("education-credit", block)
	require.Len(t, changes, 2)

	a, b := changes[0], changes[1]
	assert.Equal(t, "education-credit", a.Channel)
	assert.Equal(t, uint64(7), a.BlockNumber)
	assert.Equal(t, "tx-a", a.TransactionID)
	assert.Equal(t, "UniversityAMSP", a.Creator)
	assert.Equal(t, "transaction", a.Type)
	assert.Equal(t, "education", a.Chaincode)
	assert.Equal(t, "RecordCredit", a.Function)
	assert.True(t, a.Valid)
	assert.Equal(t, "CreditRecorded", a.Event)
	assert.JSONEq(t, `{"e":1}`, string(a.EventPayload))
	require.Len(t, a.Writes, 1, "the write set comes with the event")
	assert.Equal(t, "k-tx-a", a.Writes[0].Key)
	assert.JSONEq(t, `{"v":1}`, string(a.Writes[0].Value))
	assert.False(t, a.Time.IsZero())

	assert.False(t, b.Valid)
	assert.Equal(t, peer.TxValidationCode_MVCC_READ_CONFLICT, b.Code)
	assert.Empty(t, b.Event)
}

func TestBlockChangesReportsAnUndecodableTransactionAndGoesOn(t *testing.T) {
	block := &common.Block{Header: &common.BlockHeader{Number: 3}, Data: &common.BlockData{Data: [][]byte{
		{0xff, 0x01},
		endorserTx(t, "tx-b", "FinanceBureauMSP", "finance", "Appropriate", "AppropriationRecorded"),
	}}}
	changes := BlockChanges("finance-ledger", block)
	require.Len(t, changes, 2)
	assert.Contains(t, changes[0].Problem, "block 3 of finance-ledger, transaction 0: decode envelope")
	assert.Empty(t, changes[0].TransactionID)
	assert.Empty(t, changes[1].Problem)
	assert.Equal(t, "tx-b", changes[1].TransactionID, "the feed goes on after the transaction it could not read")
	assert.Equal(t, "AppropriationRecorded", changes[1].Event)
}

func TestResumeAfterSkipsWhatWasHandled(t *testing.T) {
	changes := []Change{{BlockNumber: 4, TransactionID: "a"}, {BlockNumber: 4, TransactionID: "b"}, {BlockNumber: 4, TransactionID: "c"}}
	ids := func(cs []Change) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.TransactionID)
		}
		return out
	}
	assert.Equal(t, []string{"c"}, ids(resumeAfter(changes, 4, "b")), "the checkpoint's block resumes after its last transaction")
	assert.Empty(t, resumeAfter(changes, 4, "c"))
	assert.Equal(t, []string{"a", "b", "c"}, ids(resumeAfter(changes, 4, "")), "a block checkpoint means nothing of it was handled")
	assert.Equal(t, []string{"a", "b", "c"}, ids(resumeAfter(changes, 3, "x")), "another block is handled whole")
}
