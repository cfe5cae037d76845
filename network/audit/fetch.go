package audit

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"io"

	"github.com/hyperledger/fabric-gateway/pkg/identity"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/hyperledger/fabric-protos-go-apiv2/orderer"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// Source is a peer or an orderer that holds a channel's blocks.
type Source struct {
	// Name is the node's host name, which its TLS certificate carries,
	// e.g. "peer0.university-a.govshare.test".
	Name string `json:"name"`
	// Address is the host:port to dial.
	Address string `json:"address"`
	// Peer says the node is a peer (it serves blocks through the peer's
	// deliver service, with its validation results); else an orderer.
	Peer bool `json:"peer"`
	// TLSRoot is the PEM root certificate of the node's TLS certificate.
	TLSRoot []byte `json:"-"`
}

// Reader is the identity that asks the sources for blocks: any member of
// the channel may read it from the peers and the orderers.
type Reader struct {
	MSPID string
	// Certificate is the reader's signing certificate, PEM.
	Certificate []byte
	// Sign signs a SHA-256 digest, as fabric-gateway's identity.Sign.
	Sign identity.Sign
}

// blockStream is one source's blocks of a channel, in order, from block 0
// to the newest block it had when the stream opened.
type blockStream struct {
	source Source
	conn   *grpc.ClientConn
	cancel context.CancelFunc
	recv   func() (*common.Block, error)
}

// errEnd ends a stream after its newest block.
var errEnd = errors.New("end of the source's blocks")

// openStream asks src for every block of channel, from block 0 to its
// newest, as reader.
func openStream(ctx context.Context, src Source, channel string, reader Reader) (*blockStream, error) {
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(src.TLSRoot) {
		return nil, fmt.Errorf("%s: no TLS root certificate", src.Name)
	}
	conn, err := grpc.NewClient("dns:///"+src.Address, grpc.WithTransportCredentials(credentials.NewClientTLSFromCert(pool, src.Name)),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(256<<20)))
	if err != nil {
		return nil, fmt.Errorf("connect to %s at %s: %w", src.Name, src.Address, err)
	}
	env, err := seekEnvelope(channel, reader)
	if err != nil {
		conn.Close()
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	s := &blockStream{source: src, conn: conn, cancel: cancel}
	fail := func(err error) (*blockStream, error) {
		s.close()
		return nil, fmt.Errorf("ask %s at %s for the blocks of %s: %w", src.Name, src.Address, channel, err)
	}
	if src.Peer {
		stream, err := peer.NewDeliverClient(conn).Deliver(ctx)
		if err != nil {
			return fail(err)
		}
		s.recv, err = startDeliver(stream, env)
		if err != nil {
			return fail(err)
		}
	} else {
		stream, err := orderer.NewAtomicBroadcastClient(conn).Deliver(ctx)
		if err != nil {
			return fail(err)
		}
		s.recv, err = startDeliver(stream, env)
		if err != nil {
			return fail(err)
		}
	}
	return s, nil
}

// deliverResponse is a peer's or an orderer's deliver response: a block,
// or the status that ends the stream.
type deliverResponse interface {
	GetBlock() *common.Block
	GetStatus() common.Status
}

// startDeliver sends the request on a deliver stream and returns the
// function that reads its next block: errEnd after the last one, or the
// source's refusal.
func startDeliver[R deliverResponse](stream interface {
	Send(*common.Envelope) error
	Recv() (R, error)
}, env *common.Envelope) (func() (*common.Block, error), error) {
	if err := stream.Send(env); err != nil {
		return nil, err
	}
	return func() (*common.Block, error) {
		resp, err := stream.Recv()
		switch {
		case err != nil:
			return nil, err
		case resp.GetBlock() != nil:
			return resp.GetBlock(), nil
		case resp.GetStatus() == common.Status_SUCCESS:
			return nil, errEnd
		default:
			return nil, fmt.Errorf("refused: %s", resp.GetStatus())
		}
	}, nil
}

// next returns the source's next block, errEnd after its last.
func (s *blockStream) next() (*common.Block, error) {
	b, err := s.recv()
	if errors.Is(err, io.EOF) {
		return nil, errEnd
	}
	return b, err
}

func (s *blockStream) close() {
	s.cancel()
	s.conn.Close()
}

// seekEnvelope is a signed request for every block of channel from the
// genesis block to the newest.
func seekEnvelope(channel string, reader Reader) (*common.Envelope, error) {
	seek, err := proto.Marshal(&orderer.SeekInfo{
		Start:    &orderer.SeekPosition{Type: &orderer.SeekPosition_Specified{Specified: &orderer.SeekSpecified{Number: 0}}},
		Stop:     &orderer.SeekPosition{Type: &orderer.SeekPosition_Newest{Newest: &orderer.SeekNewest{}}},
		Behavior: orderer.SeekInfo_BLOCK_UNTIL_READY,
	})
	if err != nil {
		return nil, fmt.Errorf("encode the request: %w", err)
	}
	creator, err := proto.Marshal(&msp.SerializedIdentity{Mspid: reader.MSPID, IdBytes: reader.Certificate})
	if err != nil {
		return nil, fmt.Errorf("encode the reader: %w", err)
	}
	nonce := make([]byte, 24)
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("make a nonce: %w", err)
	}
	ch, err := proto.Marshal(&common.ChannelHeader{Type: int32(common.HeaderType_DELIVER_SEEK_INFO), ChannelId: channel, Timestamp: timestamppb.Now()})
	if err != nil {
		return nil, fmt.Errorf("encode the request: %w", err)
	}
	sh, err := proto.Marshal(&common.SignatureHeader{Creator: creator, Nonce: nonce})
	if err != nil {
		return nil, fmt.Errorf("encode the request: %w", err)
	}
	payload, err := proto.Marshal(&common.Payload{Header: &common.Header{ChannelHeader: ch, SignatureHeader: sh}, Data: seek})
	if err != nil {
		return nil, fmt.Errorf("encode the request: %w", err)
	}
	digest := sha256.Sum256(payload)
	sig, err := reader.Sign(digest[:])
	if err != nil {
		return nil, fmt.Errorf("sign the request as %s: %w", reader.MSPID, err)
	}
	return &common.Envelope{Payload: payload, Signature: sig}, nil
}
