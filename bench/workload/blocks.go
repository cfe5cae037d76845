package workload

import (
	"context"
	"fmt"
	"strconv"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"google.golang.org/protobuf/proto"

	"github.com/govshare/govshare/bench"
	govclient "github.com/govshare/govshare/gateway-client"
)

// chainHeight asks the session's peer, through the query system chaincode,
// how many blocks the channel has.
func chainHeight(ctx context.Context, s *govclient.Session, channel string) (uint64, error) {
	data, err := s.Evaluate(ctx, channel, "qscc", "GetChainInfo", channel)
	if err != nil {
		return 0, fmt.Errorf("chain info of %s: %w", channel, err)
	}
	var info common.BlockchainInfo
	if err := proto.Unmarshal(data, &info); err != nil {
		return 0, fmt.Errorf("chain info of %s: %w", channel, err)
	}
	return info.GetHeight(), nil
}

// blockSize returns the number of transactions and the encoded size of
// block number n of the channel.
func blockSize(ctx context.Context, s *govclient.Session, channel string, n uint64) (txs, size int, err error) {
	data, err := s.Evaluate(ctx, channel, "qscc", "GetBlockByNumber", channel, strconv.FormatUint(n, 10))
	if err != nil {
		return 0, 0, fmt.Errorf("block %d of %s: %w", n, channel, err)
	}
	var block common.Block
	if err := proto.Unmarshal(data, &block); err != nil {
		return 0, 0, fmt.Errorf("block %d of %s: %w", n, channel, err)
	}
	return len(block.GetData().GetData()), len(data), nil
}

// observeBlocks fills in how many blocks a write round cut and, from a
// sample of up to 5 of them, their mean number of transactions and size.
// Other users' transactions on the channel count too: the figures describe
// the channel while the round ran.
func observeBlocks(ctx context.Context, s *govclient.Session, channel string, before uint64, res *bench.RoundResult) error {
	after, err := chainHeight(ctx, s, channel)
	if err != nil {
		return err
	}
	res.Blocks = int(after - before)
	if res.Blocks <= 0 {
		return nil
	}
	step := max(1, uint64(res.Blocks)/5)
	samples, txs, size := 0, 0, 0
	for n := before; n < after && samples < 5; n += step {
		t, b, err := blockSize(ctx, s, channel, n)
		if err != nil {
			return err
		}
		samples, txs, size = samples+1, txs+t, size+b
	}
	res.BlockTxs = float64(txs) / float64(samples)
	res.BlockKiB = float64(size) / float64(samples) / 1024
	return nil
}
