// Package ledgercheck reads a channel's blocks from one organisation's
// peer (through qscc, as any member may) and checks what a fault must not
// have changed: that every acknowledged transaction is there and valid,
// that no transaction ID is valid twice, and that two peers hold the same
// blocks.
package ledgercheck

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/proto"

	govclient "github.com/govshare/govshare/gateway-client"
)

// Block returns a block of channel as the session's organisation's peer
// holds it.
func Block(ctx context.Context, s *govclient.Session, channel string, number uint64) (*common.Block, error) {
	out, err := s.Evaluate(ctx, channel, "qscc", "GetBlockByNumber", channel, strconv.FormatUint(number, 10))
	if err != nil {
		return nil, err
	}
	var block common.Block
	if err := proto.Unmarshal(out, &block); err != nil {
		return nil, fmt.Errorf("decode block %d of %s: %w", number, channel, err)
	}
	return &block, nil
}

// Header returns the header of a block: its number, previous hash and data
// hash, which chain it to every block before.
func Header(ctx context.Context, s *govclient.Session, channel string, number uint64) (*common.BlockHeader, error) {
	block, err := Block(ctx, s, channel, number)
	if err != nil {
		return nil, err
	}
	return block.GetHeader(), nil
}

// ValidOn checks that the session's organisation's peer holds a
// transaction, valid.
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

// Copy is one copy of a transaction in a block.
type Copy struct {
	Block uint64
	Code  peer.TxValidationCode
}

// Chain is a stretch of a channel's blocks as one peer holds them.
type Chain struct {
	Channel string
	From    uint64
	Headers []*common.BlockHeader // of blocks From, From+1, ...
	// Copies lists, for each transaction ID, every copy in ledger order.
	Copies map[string][]Copy
}

// Read reads blocks [from, to) of channel from the session's organisation's
// peer.
func Read(ctx context.Context, s *govclient.Session, channel string, from, to uint64) (*Chain, error) {
	c := &Chain{Channel: channel, From: from, Copies: map[string][]Copy{}}
	for n := from; n < to; n++ {
		block, err := Block(ctx, s, channel, n)
		if err != nil {
			return nil, fmt.Errorf("%s of %s: %w", s.MSPID(), channel, err)
		}
		c.Headers = append(c.Headers, block.GetHeader())
		for _, tx := range govclient.BlockChanges(channel, block) {
			if tx.TransactionID != "" {
				c.Copies[tx.TransactionID] = append(c.Copies[tx.TransactionID], Copy{Block: n, Code: tx.Code})
			}
		}
	}
	return c, nil
}

// Report is what Check found.
type Report struct {
	// Transactions counts the transaction IDs in the chain.
	Transactions int
	// Missing are acknowledged transactions with no copy in the chain;
	// Invalid those whose first copy is not valid.
	Missing, Invalid []string
	// Duplicates counts the copies after a transaction's first, which
	// Fabric marks DUPLICATE_TXID; TwiceValid lists the transactions with
	// more than one valid copy (committed twice).
	Duplicates int
	TwiceValid []string
}

// Lost counts the acknowledged transactions that are missing or invalid.
func (r Report) Lost() int { return len(r.Missing) + len(r.Invalid) }

// Check checks the acknowledged transactions against the chain, and every
// transaction in it for copies.
func (c *Chain) Check(acked []string) Report {
	r := Report{Transactions: len(c.Copies)}
	for _, id := range acked {
		copies := c.Copies[id]
		switch {
		case len(copies) == 0:
			r.Missing = append(r.Missing, id)
		case copies[0].Code != peer.TxValidationCode_VALID:
			r.Invalid = append(r.Invalid, id)
		}
	}
	for id, copies := range c.Copies {
		r.Duplicates += len(copies) - 1
		valid := 0
		for _, cp := range copies {
			if cp.Code == peer.TxValidationCode_VALID {
				valid++
			}
		}
		if valid > 1 {
			r.TwiceValid = append(r.TwiceValid, id)
		}
	}
	slices.Sort(r.TwiceValid)
	return r
}

// FirstDifference returns the number of the first block whose header
// differs between two peers' reads of the same stretch, or whose header
// only one has; false when they hold the same blocks.
func FirstDifference(a, b *Chain) (uint64, bool) {
	for i := range max(len(a.Headers), len(b.Headers)) {
		if i >= len(a.Headers) || i >= len(b.Headers) || !proto.Equal(a.Headers[i], b.Headers[i]) {
			return a.From + uint64(i), true
		}
	}
	return 0, false
}
