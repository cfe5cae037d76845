package load

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/proto"

	govclient "github.com/govshare/govshare/gateway-client"
)

// ValidOn checks that the peer of s's organisation holds a transaction,
// valid, asking it through qscc.
func ValidOn(ctx context.Context, s *govclient.Session, channel, txID string) error {
	out, err := s.Evaluate(ctx, channel, "qscc", "GetTransactionByID", channel, txID)
	if err != nil {
		return err
	}
	var tx peer.ProcessedTransaction
	if err := proto.Unmarshal(out, &tx); err != nil {
		return fmt.Errorf("decode: %w", err)
	}
	if code := peer.TxValidationCode(tx.GetValidationCode()); code != peer.TxValidationCode_VALID {
		return errors.New(code.String())
	}
	if len(bytes.TrimSpace(tx.GetTransactionEnvelope().GetPayload())) == 0 {
		return errors.New("empty transaction")
	}
	return nil
}

// Missing checks every transaction of ids on the peer of s's organisation
// and returns those it does not hold valid, each with the reason.
func Missing(ctx context.Context, s *govclient.Session, channel string, ids []string) map[string]error {
	missing := map[string]error{}
	for _, id := range ids {
		if err := ValidOn(ctx, s, channel, id); err != nil {
			missing[id] = err
		}
	}
	return missing
}

// Block asks the peer of s's organisation for a block of a channel.
func Block(ctx context.Context, s *govclient.Session, channel string, number uint64) (*common.Block, error) {
	out, err := s.Evaluate(ctx, channel, "qscc", "GetBlockByNumber", channel, strconv.FormatUint(number, 10))
	if err != nil {
		return nil, err
	}
	var block common.Block
	if err := proto.Unmarshal(out, &block); err != nil {
		return nil, fmt.Errorf("decode block: %w", err)
	}
	return &block, nil
}

// BlockHeader asks the peer of s's organisation for the header of a block:
// its number, previous hash and data hash, which chain it to every block
// before.
func BlockHeader(ctx context.Context, s *govclient.Session, channel string, number uint64) (*common.BlockHeader, error) {
	block, err := Block(ctx, s, channel, number)
	if err != nil {
		return nil, err
	}
	return block.GetHeader(), nil
}
