package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/pkg/attrmgr"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset/kvrwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/govshare/govshare/chaincode/consortium"
	govclient "github.com/govshare/govshare/gateway-client"
)

// encoder turns the generator's transactions into the protobuf blocks a
// peer delivers (envelopes, signature headers with X.509 creators carrying
// the role attribute, endorsements, read-write sets, events, the
// transaction filter), so that a measurement of ingest decodes them as the
// follower does.
type encoder struct {
	identities map[string][]byte // "msp/role" -> serialized identity
}

func newEncoder() *encoder { return &encoder{identities: map[string][]byte{}} }

// identity returns (making it once) the serialized identity of a user or
// peer of mspID; role "" makes a peer's, without the role attribute.
func (e *encoder) identity(mspID, role string) ([]byte, error) {
	if id, ok := e.identities[mspID+"/"+role]; ok {
		return id, nil
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	name := "peer0." + strings.ToLower(mspID)
	template := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	if role != "" {
		name = role
		attrs, _ := json.Marshal(attrmgr.Attributes{Attrs: map[string]string{consortium.RoleAttribute: role}})
		template.ExtraExtensions = []pkix.Extension{{Id: attrmgr.AttrOID, Value: attrs}}
	}
	template.Subject = pkix.Name{CommonName: name, Organization: []string{mspID}}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	id, err := proto.Marshal(&msp.SerializedIdentity{Mspid: mspID, IdBytes: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})})
	if err != nil {
		return nil, err
	}
	e.identities[mspID+"/"+role] = id
	return id, nil
}

// block encodes a decoded block back into a protobuf block.
func (e *encoder) block(b *govclient.Block) (*common.Block, error) {
	out := &common.Block{Header: &common.BlockHeader{Number: b.Number}, Data: &common.BlockData{}, Metadata: &common.BlockMetadata{Metadata: make([][]byte, 5)}}
	codes := make([]byte, len(b.Transactions))
	for i, tx := range b.Transactions {
		env, err := e.envelope(b.Channel, tx)
		if err != nil {
			return nil, err
		}
		out.Data.Data = append(out.Data.Data, env)
		codes[i] = byte(tx.Code)
	}
	out.Metadata.Metadata[common.BlockMetadataIndex_TRANSACTIONS_FILTER] = codes
	sum := sha256.Sum256([]byte(fmt.Sprint(b.Number)))
	out.Header.DataHash = sum[:]
	return out, nil
}

func (e *encoder) envelope(channel string, tx govclient.BlockTransaction) ([]byte, error) {
	creator, err := e.identity(tx.Creator, tx.CreatorRole)
	if err != nil {
		return nil, err
	}
	channelHeader, _ := proto.Marshal(&common.ChannelHeader{Type: int32(common.HeaderType_ENDORSER_TRANSACTION), ChannelId: channel,
		TxId: tx.TransactionID, Timestamp: timestamppb.New(tx.Time)})
	signatureHeader, _ := proto.Marshal(&common.SignatureHeader{Creator: creator, Nonce: []byte(tx.TransactionID[:24])})
	kv := &kvrwset.KVRWSet{}
	for _, w := range tx.Writes {
		key := w.Key
		if w.ObjectType != "" {
			key = "\x00" + w.ObjectType + "\x00" + strings.Join(w.Attributes, "\x00") + "\x00"
		}
		kv.Reads = append(kv.Reads, &kvrwset.KVRead{Key: key})
		kv.Writes = append(kv.Writes, &kvrwset.KVWrite{Key: key, Value: w.Value, IsDelete: w.Delete})
	}
	kvBytes, _ := proto.Marshal(kv)
	results, _ := proto.Marshal(&rwset.TxReadWriteSet{DataModel: rwset.TxReadWriteSet_KV, NsRwset: []*rwset.NsReadWriteSet{{Namespace: tx.Chaincode, Rwset: kvBytes}}})
	event, _ := proto.Marshal(&peer.ChaincodeEvent{ChaincodeId: tx.Chaincode, TxId: tx.TransactionID, EventName: tx.Event, Payload: tx.EventPayload})
	ccAction, _ := proto.Marshal(&peer.ChaincodeAction{Results: results, Events: event, Response: &peer.Response{Status: 200},
		ChaincodeId: &peer.ChaincodeID{Name: tx.Chaincode, Version: tx.ChaincodeVersion}})
	response, _ := proto.Marshal(&peer.ProposalResponsePayload{ProposalHash: []byte(tx.TransactionID), Extension: ccAction})
	var endorsements []*peer.Endorsement
	for _, en := range tx.Endorsers {
		id, err := e.identity(en.MSPID, "")
		if err != nil {
			return nil, err
		}
		endorsements = append(endorsements, &peer.Endorsement{Endorser: id, Signature: make([]byte, 71)})
	}
	spec, _ := proto.Marshal(&peer.ChaincodeInvocationSpec{ChaincodeSpec: &peer.ChaincodeSpec{ChaincodeId: &peer.ChaincodeID{Name: tx.Chaincode},
		Input: &peer.ChaincodeInput{Args: [][]byte{[]byte(tx.Function), []byte("{}")}}}})
	proposal, _ := proto.Marshal(&peer.ChaincodeProposalPayload{Input: spec})
	action, _ := proto.Marshal(&peer.ChaincodeActionPayload{ChaincodeProposalPayload: proposal,
		Action: &peer.ChaincodeEndorsedAction{ProposalResponsePayload: response, Endorsements: endorsements}})
	transaction, _ := proto.Marshal(&peer.Transaction{Actions: []*peer.TransactionAction{{Header: signatureHeader, Payload: action}}})
	payload, _ := proto.Marshal(&common.Payload{Header: &common.Header{ChannelHeader: channelHeader, SignatureHeader: signatureHeader}, Data: transaction})
	return proto.Marshal(&common.Envelope{Payload: payload, Signature: make([]byte, 71)})
}
