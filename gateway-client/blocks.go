package govclient

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"

	"github.com/hyperledger/fabric-chaincode-go/v2/pkg/attrmgr"
	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer/lifecycle"
	"google.golang.org/protobuf/proto"

	"github.com/govshare/govshare/chaincode/consortium"
)

// Block is one committed block of a channel, decoded: its place in the
// chain and every transaction with what the block says about it. It holds
// nothing private: private data appears only as the hashes the block
// carries.
type Block struct {
	Channel string
	Number  uint64
	// Hash is the SHA-256 of the block header (hex): what the next block
	// names as its PreviousHash and qscc's GetChainInfo reports for the
	// newest block.
	Hash         string
	PreviousHash string
	// DataHash is the header's hash of the block's transactions (hex).
	DataHash     string
	Transactions []BlockTransaction
}

// BlockTransaction is one transaction of a block: the Change the oversight
// feed shows, and who submitted and endorsed it.
type BlockTransaction struct {
	Change
	// Index is the transaction's position in its block, from 0.
	Index int
	// CreatorRole is the govshare.role attribute of the submitter's
	// certificate, empty when it has none; CreatorName is the
	// certificate's common name.
	CreatorRole string
	CreatorName string
	// Endorsers are the peers whose endorsements the transaction carries,
	// in the order the transaction lists them.
	Endorsers []Endorser
	// ChaincodeVersion is the version of the chaincode that endorsed it.
	ChaincodeVersion string
	// Size is the transaction's envelope in bytes.
	Size int
}

// Endorser is one endorsing peer, by organisation and the common name of
// its certificate.
type Endorser struct {
	MSPID string `json:"mspId"`
	Name  string `json:"name"`
}

// DecodeBlock decodes a block of channel. It never fails: a transaction it
// cannot read has its Problem set (see BlockChanges), and the block's own
// fields come from its header.
func DecodeBlock(channel string, block *common.Block) *Block {
	header := block.GetHeader()
	b := &Block{
		Channel:      channel,
		Number:       header.GetNumber(),
		Hash:         hex.EncodeToString(BlockHeaderHash(header)),
		PreviousHash: hex.EncodeToString(header.GetPreviousHash()),
		DataHash:     hex.EncodeToString(header.GetDataHash()),
	}
	data := block.GetData().GetData()
	for i, c := range BlockChanges(channel, block) {
		tx := BlockTransaction{Change: c, Index: i, Size: len(data[i])}
		if err := tx.readParties(data[i]); err != nil && tx.Problem == "" {
			tx.Problem = fmt.Sprintf("block %d of %s, transaction %d: %v", b.Number, channel, i, err)
		}
		b.Transactions = append(b.Transactions, tx)
	}
	return b
}

// blockHeaderASN1 is the ASN.1 form of a block header whose SHA-256 is the
// block's hash, as Fabric computes it.
type blockHeaderASN1 struct {
	Number       *big.Int
	PreviousHash []byte
	DataHash     []byte
}

// BlockHeaderBytes returns a block header in the ASN.1 form that Fabric
// hashes into the block's hash and that the orderers' signatures cover.
func BlockHeaderBytes(header *common.BlockHeader) []byte {
	der, err := asn1.Marshal(blockHeaderASN1{
		Number:       new(big.Int).SetUint64(header.GetNumber()),
		PreviousHash: header.GetPreviousHash(),
		DataHash:     header.GetDataHash(),
	})
	if err != nil { // only for values asn1 cannot encode, which these are not
		return nil
	}
	return der
}

// BlockHeaderHash returns the hash of a block header, the value the next
// block's header carries as its previous hash.
func BlockHeaderHash(header *common.BlockHeader) []byte {
	sum := sha256.Sum256(BlockHeaderBytes(header))
	return sum[:]
}

// readParties fills in the creator's role and name, the endorsers and the
// chaincode version from a transaction envelope.
func (tx *BlockTransaction) readParties(envelope []byte) error {
	var env common.Envelope
	if err := proto.Unmarshal(envelope, &env); err != nil {
		return fmt.Errorf("decode envelope: %w", err)
	}
	var payload common.Payload
	if err := proto.Unmarshal(env.GetPayload(), &payload); err != nil {
		return fmt.Errorf("decode payload: %w", err)
	}
	var signature common.SignatureHeader
	if err := proto.Unmarshal(payload.GetHeader().GetSignatureHeader(), &signature); err != nil {
		return fmt.Errorf("decode signature header: %w", err)
	}
	_, tx.CreatorName, tx.CreatorRole = identityOf(signature.GetCreator())
	if tx.Type != "transaction" {
		return nil
	}
	var t peer.Transaction
	if err := proto.Unmarshal(payload.GetData(), &t); err != nil {
		return fmt.Errorf("decode transaction: %w", err)
	}
	if len(t.GetActions()) == 0 {
		return nil
	}
	var action peer.ChaincodeActionPayload
	if err := proto.Unmarshal(t.GetActions()[0].GetPayload(), &action); err != nil {
		return fmt.Errorf("decode action: %w", err)
	}
	for _, e := range action.GetAction().GetEndorsements() {
		mspID, name, _ := identityOf(e.GetEndorser())
		tx.Endorsers = append(tx.Endorsers, Endorser{MSPID: mspID, Name: name})
	}
	var response peer.ProposalResponsePayload
	if err := proto.Unmarshal(action.GetAction().GetProposalResponsePayload(), &response); err != nil {
		return fmt.Errorf("decode response: %w", err)
	}
	var ccAction peer.ChaincodeAction
	if err := proto.Unmarshal(response.GetExtension(), &ccAction); err != nil {
		return fmt.Errorf("decode chaincode action: %w", err)
	}
	tx.ChaincodeVersion = ccAction.GetChaincodeId().GetVersion()
	return nil
}

// identityOf reads a serialized identity: its MSP ID, the common name of
// its certificate and the certificate's govshare.role attribute. Parts it
// cannot read are empty: an identity is described, never refused, here.
func identityOf(serialized []byte) (mspID, name, role string) {
	var id msp.SerializedIdentity
	if err := proto.Unmarshal(serialized, &id); err != nil {
		return "", "", ""
	}
	block, _ := pem.Decode(id.GetIdBytes())
	if block == nil {
		return id.GetMspid(), "", ""
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return id.GetMspid(), "", ""
	}
	if attrs, err := attrmgr.New().GetAttributesFromCert(cert); err == nil {
		role, _, _ = attrs.Value(consortium.RoleAttribute)
	}
	return id.GetMspid(), cert.Subject.CommonName, role
}

// BlockCheckpointer remembers how far a block listener got on a channel.
// The fabric-gateway client's FileCheckpointer is one (open it with
// client.NewFileCheckpointer). A store that writes a block's data and its
// number in one transaction of its own is another: its CheckpointBlock
// then has nothing left to write, and a listener on it neither misses nor
// repeats a block, even when killed.
type BlockCheckpointer interface {
	// BlockNumber returns the number of the next block to deliver.
	BlockNumber() uint64
	// CheckpointBlock records that the block numbered number is handled,
	// so that the next one to deliver is number+1.
	CheckpointBlock(number uint64) error
}

// Blocks calls handle for every block committed on channel, in order,
// starting at checkpoint.BlockNumber(), until ctx ends, handle fails or
// returns ErrStop, or the block stream breaks. After handle returns nil
// (or ErrStop) the block is recorded with checkpoint.CheckpointBlock, so a
// later call with the same checkpoint resumes with the next block. Blocks
// are delivered whole, valid and invalid transactions alike, with their
// validation codes; private data appears only as hashes.
func (s *Session) Blocks(ctx context.Context, channel string, checkpoint BlockCheckpointer, handle func(*Block) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := checkpoint.BlockNumber()
	blocks, err := s.gateway.GetNetwork(channel).BlockEvents(ctx, client.WithStartBlock(next))
	if err != nil {
		return fmt.Errorf("listen to blocks of %s: %w", channel, err)
	}
	for block := range blocks {
		number := block.GetHeader().GetNumber()
		if number < next {
			continue // delivered again after a reconnection: handled already
		}
		if number > next {
			return fmt.Errorf("blocks of %s: got block %d while waiting for %d", channel, number, next)
		}
		handled := handle(DecodeBlock(channel, block))
		if handled != nil && !errors.Is(handled, ErrStop) {
			return handled
		}
		if err := checkpoint.CheckpointBlock(number); err != nil {
			return fmt.Errorf("save checkpoint of %s at block %d: %w", channel, number, err)
		}
		if handled != nil {
			return nil // ErrStop
		}
		next = number + 1
	}
	return streamEnded(ctx, "blocks of "+channel)
}

// ChainInfo is a peer's view of a channel's chain.
type ChainInfo struct {
	// Height is the number of blocks.
	Height uint64 `json:"height"`
	// CurrentBlockHash is the hash of the newest block (hex), and
	// PreviousBlockHash that of the block before it.
	CurrentBlockHash  string `json:"currentBlockHash"`
	PreviousBlockHash string `json:"previousBlockHash"`
}

// ChainInfo asks a peer of organisation mspID for its height and newest
// block hash on channel; mspID "" asks the session's gateway peer. Any
// member of the channel may ask any member's peer.
func (s *Session) ChainInfo(ctx context.Context, channel, mspID string) (*ChainInfo, error) {
	c := call{Channel: channel, Chaincode: "qscc", Function: "GetChainInfo", Args: []string{channel}}
	if mspID != "" {
		c.Endorsers = []string{mspID}
	}
	data, err := s.evaluate(ctx, c)
	if err != nil {
		return nil, err
	}
	var info common.BlockchainInfo
	if err := proto.Unmarshal(data, &info); err != nil {
		return nil, fmt.Errorf("decode chain info of %s: %w", channel, err)
	}
	return &ChainInfo{Height: info.GetHeight(), CurrentBlockHash: hex.EncodeToString(info.GetCurrentBlockHash()),
		PreviousBlockHash: hex.EncodeToString(info.GetPreviousBlockHash())}, nil
}

// PeerHeights returns the height of channel on the peer of each member
// organisation, by MSP ID. A peer that does not answer is left out and its
// error joined into the returned error, with the heights of the others.
func (s *Session) PeerHeights(ctx context.Context, channel string) (map[string]uint64, error) {
	heights := map[string]uint64{}
	var errs []error
	for _, mspID := range consortium.ChannelMembers(channel) {
		info, err := s.ChainInfo(ctx, channel, mspID)
		if err != nil {
			errs = append(errs, fmt.Errorf("peer of %s: %w", mspID, err))
			continue
		}
		heights[mspID] = info.Height
	}
	return heights, errors.Join(errs...)
}

// ChaincodeDefinition is a chaincode as committed on a channel by the
// lifecycle: its version, sequence, endorsement policy and collections.
type ChaincodeDefinition struct {
	Name     string `json:"name"`
	Version  string `json:"version"`
	Sequence int64  `json:"sequence"`
	// ValidationParameter is the chaincode's endorsement policy, a
	// serialized peer.ApplicationPolicy.
	ValidationParameter []byte   `json:"validationParameter"`
	Collections         []string `json:"collections,omitempty"`
	InitRequired        bool     `json:"initRequired,omitempty"`
}

// ChaincodeDefinitions returns every chaincode committed on channel, as the
// session's gateway peer knows them.
func (s *Session) ChaincodeDefinitions(ctx context.Context, channel string) ([]ChaincodeDefinition, error) {
	arg, err := proto.Marshal(&lifecycle.QueryChaincodeDefinitionsArgs{})
	if err != nil {
		return nil, fmt.Errorf("encode chaincode definitions query: %w", err)
	}
	data, err := s.evaluate(ctx, call{Channel: channel, Chaincode: "_lifecycle", Function: "QueryChaincodeDefinitions", Args: []string{string(arg)}})
	if err != nil {
		return nil, err
	}
	var result lifecycle.QueryChaincodeDefinitionsResult
	if err := proto.Unmarshal(data, &result); err != nil {
		return nil, fmt.Errorf("decode chaincode definitions of %s: %w", channel, err)
	}
	var defs []ChaincodeDefinition
	for _, d := range result.GetChaincodeDefinitions() {
		def := ChaincodeDefinition{Name: d.GetName(), Version: d.GetVersion(), Sequence: d.GetSequence(),
			ValidationParameter: d.GetValidationParameter(), InitRequired: d.GetInitRequired()}
		for _, c := range d.GetCollections().GetConfig() {
			def.Collections = append(def.Collections, c.GetStaticCollectionConfig().GetName())
		}
		defs = append(defs, def)
	}
	return defs, nil
}

// Block reads block number of channel from the session's gateway peer
// (qscc GetBlockByNumber) and decodes it.
func (s *Session) Block(ctx context.Context, channel string, number uint64) (*Block, error) {
	data, err := s.evaluate(ctx, call{Channel: channel, Chaincode: "qscc", Function: "GetBlockByNumber",
		Args: []string{channel, fmt.Sprint(number)}})
	if err != nil {
		return nil, err
	}
	var block common.Block
	if err := proto.Unmarshal(data, &block); err != nil {
		return nil, fmt.Errorf("decode block %d of %s: %w", number, channel, err)
	}
	return DecodeBlock(channel, &block), nil
}
