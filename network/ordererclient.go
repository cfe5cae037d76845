package network

import (
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/hyperledger/fabric-protos-go-apiv2/orderer"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// grpcConn is a connection to one orderer.
type grpcConn = *grpc.ClientConn

// mspSigner signs as one identity of an MSP folder (signcerts/cert.pem,
// keystore/key.pem): an administrator signing a config update, or asking
// the orderers for blocks.
type mspSigner struct {
	mspID string
	cert  []byte // PEM
	key   *ecdsa.PrivateKey
}

func loadSigner(mspID, mspDir string) (*mspSigner, error) {
	cert, err := os.ReadFile(filepath.Join(mspDir, "signcerts", "cert.pem"))
	if err != nil {
		return nil, fmt.Errorf("read signing certificate: %w", err)
	}
	keyPEM, err := os.ReadFile(filepath.Join(mspDir, "keystore", "key.pem"))
	if err != nil {
		return nil, fmt.Errorf("read signing key: %w", err)
	}
	block, _ := pem.Decode(keyPEM)
	if block == nil {
		return nil, fmt.Errorf("no PEM key in %s", filepath.Join(mspDir, "keystore", "key.pem"))
	}
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		if parsed, err = x509.ParseECPrivateKey(block.Bytes); err != nil {
			return nil, fmt.Errorf("parse signing key: %w", err)
		}
	}
	key, ok := parsed.(*ecdsa.PrivateKey)
	if !ok {
		return nil, errors.New("the signing key is not an ECDSA key")
	}
	return &mspSigner{mspID: mspID, cert: cert, key: key}, nil
}

// creator is the signer's serialized identity.
func (s *mspSigner) creator() []byte {
	data, _ := proto.Marshal(&msp.SerializedIdentity{Mspid: s.mspID, IdBytes: s.cert}) // plain bytes: cannot fail
	return data
}

// signatureHeader is a new signature header: the creator and a fresh nonce.
func (s *mspSigner) signatureHeader() (*common.SignatureHeader, error) {
	nonce := make([]byte, 24)
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("make a nonce: %w", err)
	}
	return &common.SignatureHeader{Creator: s.creator(), Nonce: nonce}, nil
}

// sign signs msg's SHA-256 with low S, as Fabric verifies signatures.
func (s *mspSigner) sign(msg []byte) ([]byte, error) {
	digest := sha256.Sum256(msg)
	der, err := ecdsa.SignASN1(rand.Reader, s.key, digest[:])
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	return lowS(s.key, der)
}

// signedEnvelope wraps data of a header type for a channel, signed by s.
func (s *mspSigner) signedEnvelope(channel string, typ common.HeaderType, data []byte) (*common.Envelope, error) {
	sh, err := s.signatureHeader()
	if err != nil {
		return nil, err
	}
	ch, err := proto.Marshal(&common.ChannelHeader{Type: int32(typ), ChannelId: channel, Timestamp: timestamppb.Now()})
	if err != nil {
		return nil, fmt.Errorf("encode channel header: %w", err)
	}
	shBytes, err := proto.Marshal(sh)
	if err != nil {
		return nil, fmt.Errorf("encode signature header: %w", err)
	}
	payload, err := proto.Marshal(&common.Payload{Header: &common.Header{ChannelHeader: ch, SignatureHeader: shBytes}, Data: data})
	if err != nil {
		return nil, fmt.Errorf("encode payload: %w", err)
	}
	sig, err := s.sign(payload)
	if err != nil {
		return nil, err
	}
	return &common.Envelope{Payload: payload, Signature: sig}, nil
}

// dialOrderer opens a TLS connection to an orderer, trusting its
// organisation's TLS root only.
func dialOrderer(e ordererEndpoint) (grpcConn, error) {
	root, err := os.ReadFile(e.TLSRoot)
	if err != nil {
		return nil, fmt.Errorf("read TLS root of %s: %w", e.Name, err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(root) {
		return nil, fmt.Errorf("no certificate in %s", e.TLSRoot)
	}
	conn, err := grpc.NewClient("dns:///"+e.Address, grpc.WithTransportCredentials(credentials.NewClientTLSFromCert(pool, e.Name)))
	if err != nil {
		return nil, fmt.Errorf("connect to orderer %s at %s: %w", e.Name, e.Address, err)
	}
	return conn, nil
}

// newestBlock is the seek position of a channel's newest block.
const newestBlock = ^uint64(0)

// deliverBlock asks an orderer for one block of a channel (newestBlock for
// the newest) as signer, who must be allowed to read the channel.
func deliverBlock(ctx context.Context, conn *grpc.ClientConn, channel string, number uint64, signer *mspSigner) (*common.Block, error) {
	pos := &orderer.SeekPosition{Type: &orderer.SeekPosition_Specified{Specified: &orderer.SeekSpecified{Number: number}}}
	if number == newestBlock {
		pos = &orderer.SeekPosition{Type: &orderer.SeekPosition_Newest{Newest: &orderer.SeekNewest{}}}
	}
	seek, err := proto.Marshal(&orderer.SeekInfo{Start: pos, Stop: pos, Behavior: orderer.SeekInfo_BLOCK_UNTIL_READY})
	if err != nil {
		return nil, fmt.Errorf("encode seek: %w", err)
	}
	env, err := signer.signedEnvelope(channel, common.HeaderType_DELIVER_SEEK_INFO, seek)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	stream, err := orderer.NewAtomicBroadcastClient(conn).Deliver(ctx)
	if err != nil {
		return nil, fmt.Errorf("deliver from the orderers: %w", err)
	}
	if err := stream.Send(env); err != nil {
		return nil, fmt.Errorf("deliver from the orderers: %w", err)
	}
	var block *common.Block
	for {
		resp, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("deliver from the orderers: %w", err)
		}
		switch t := resp.GetType().(type) {
		case *orderer.DeliverResponse_Block:
			block = t.Block
		case *orderer.DeliverResponse_Status:
			if t.Status != common.Status_SUCCESS {
				return nil, fmt.Errorf("the orderers refused to deliver block of %s to %s: %s", channel, signer.mspID, t.Status)
			}
			if block == nil {
				return nil, fmt.Errorf("the orderers delivered no block of %s", channel)
			}
			return block, nil
		}
	}
	if block == nil {
		return nil, fmt.Errorf("the orderers delivered no block of %s", channel)
	}
	return block, nil
}

// lastConfigIndex reads, from a block's metadata, the number of the
// channel's newest configuration block when the block was cut.
func lastConfigIndex(block *common.Block) (uint64, error) {
	md := block.GetMetadata().GetMetadata()
	if len(md) <= int(common.BlockMetadataIndex_SIGNATURES) {
		return 0, fmt.Errorf("block %d has no signatures metadata", block.GetHeader().GetNumber())
	}
	var meta common.Metadata
	if err := proto.Unmarshal(md[common.BlockMetadataIndex_SIGNATURES], &meta); err != nil {
		return 0, fmt.Errorf("decode metadata of block %d: %w", block.GetHeader().GetNumber(), err)
	}
	var obm common.OrdererBlockMetadata
	if err := proto.Unmarshal(meta.GetValue(), &obm); err != nil {
		return 0, fmt.Errorf("decode orderer metadata of block %d: %w", block.GetHeader().GetNumber(), err)
	}
	return obm.GetLastConfig().GetIndex(), nil
}

// broadcast sends a signed envelope to an orderer and waits for its
// answer.
func broadcast(ctx context.Context, conn *grpc.ClientConn, env *common.Envelope) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	stream, err := orderer.NewAtomicBroadcastClient(conn).Broadcast(ctx)
	if err != nil {
		return fmt.Errorf("broadcast to the orderers: %w", err)
	}
	if err := stream.Send(env); err != nil {
		return fmt.Errorf("broadcast to the orderers: %w", err)
	}
	resp, err := stream.Recv()
	if err != nil {
		return fmt.Errorf("broadcast to the orderers: %w", err)
	}
	if resp.GetStatus() != common.Status_SUCCESS {
		return fmt.Errorf("the orderers refused it: %s: %s", resp.GetStatus(), resp.GetInfo())
	}
	return nil
}
