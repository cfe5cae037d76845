package govclient

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/proto"
)

// ChaincodeEvent is an event a chaincode emitted in a committed transaction.
type ChaincodeEvent struct {
	Channel       string
	Chaincode     string
	BlockNumber   uint64
	TransactionID string
	Name          string
	Payload       []byte
}

// ErrStop is what an event handler returns to stop a listener after the
// event is checkpointed: the handler is done with it, and a later listener
// with the same checkpoint goes on with the next one. The listener then
// returns nil.
var ErrStop = errors.New("stop listening")

// ChaincodeEvents calls handle for each event of a chaincode on a channel,
// in ledger order, until ctx ends, handle fails or returns ErrStop, or the
// event stream breaks. After handle returns nil (or ErrStop) the event is
// recorded in the checkpoint file, so a later call with the same file
// resumes right after the last handled event, missing none. Delivery is at
// least once: an event whose handler finished but whose checkpoint was not
// yet written, when the process was killed, is delivered again. Without a
// checkpoint yet, it starts at block fromBlock.
func (s *Session) ChaincodeEvents(ctx context.Context, channel, chaincode, checkpointFile string, fromBlock uint64, handle func(ChaincodeEvent) error) error {
	checkpoint, err := openCheckpoint(checkpointFile)
	if err != nil {
		return err
	}
	defer checkpoint.Close()
	// Cancelled on return, so the gateway's reader stops too.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	events, err := s.gateway.GetNetwork(channel).ChaincodeEvents(ctx, chaincode,
		client.WithStartBlock(fromBlock), client.WithCheckpoint(checkpoint))
	if err != nil {
		return fmt.Errorf("listen to %s events on %s: %w", chaincode, channel, err)
	}
	for event := range events {
		err := handle(ChaincodeEvent{Channel: channel, Chaincode: event.ChaincodeName, BlockNumber: event.BlockNumber,
			TransactionID: event.TransactionID, Name: event.EventName, Payload: event.Payload})
		if err != nil && !errors.Is(err, ErrStop) {
			return err
		}
		if err := checkpoint.CheckpointChaincodeEvent(event); err != nil {
			return fmt.Errorf("save checkpoint: %w", err)
		}
		if err != nil {
			return nil // ErrStop
		}
	}
	return streamEnded(ctx, chaincode+" events of "+channel)
}

// openCheckpoint opens a checkpoint file, creating its folder.
func openCheckpoint(path string) (*client.FileCheckpointer, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create checkpoint folder: %w", err)
	}
	checkpoint, err := client.NewFileCheckpointer(path)
	if err != nil {
		return nil, fmt.Errorf("open checkpoint %s: %w", path, err)
	}
	return checkpoint, nil
}

// streamEnded says why an event stream closed: ctx ended, or the stream
// broke (the gateway peer went away) and the listener must be restarted,
// which its checkpoint makes safe.
func streamEnded(ctx context.Context, what string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return fmt.Errorf("the stream of %s ended (is the gateway peer up?); listen again to resume from the checkpoint", what)
}

// Change is one transaction committed on a channel, valid or not, as the
// oversight feed shows it.
type Change struct {
	Channel       string
	BlockNumber   uint64
	TransactionID string
	// Time is the time the submitting client put in the transaction.
	Time time.Time
	// Creator is the MSP ID of the organisation that submitted it.
	Creator string
	// Type is "transaction" for chaincode invocations and "config" for
	// channel configuration updates.
	Type      string
	Chaincode string
	Function  string
	// Valid is false for transactions that failed validation; Code says why.
	Valid bool
	Code  peer.TxValidationCode
	// Event is the chaincode event the transaction emitted, if any.
	Event        string
	EventPayload []byte
	// Writes is the transaction's write set: every key it writes, with the
	// public values. For an invalid transaction it is what the transaction
	// would have written; the peers applied none of it.
	Writes []Write
	// Problem says why the transaction, or part of it, could not be
	// decoded; the fields it did not reach are empty. Such a transaction
	// (a malformed one the peers marked invalid, say) is reported, never
	// a reason to stop the feed.
	Problem string
}

// Changes calls handle for every transaction committed on each of the
// channels, in ledger order per channel, until ctx ends, handle fails or
// returns ErrStop, or a stream breaks. handle is never called concurrently.
// Each channel has its own checkpoint file in checkpointDir, updated after
// every handled transaction, so that a listener that stops, or is killed,
// resumes right after the last transaction it handled (at least once, as
// for ChaincodeEvents). Without a checkpoint yet, a channel starts at the
// block start names for it, or at block 0; [Session.ChainHeights] gives the
// start that sees only what happens from now on.
func (s *Session) Changes(ctx context.Context, channels []string, checkpointDir string, start map[string]uint64, handle func(Change) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var mu sync.Mutex
	serialised := func(c Change) error {
		mu.Lock()
		defer mu.Unlock()
		return handle(c)
	}
	var first error // what stopped the feed, if a channel did
	var once sync.Once
	stop := func(err error) {
		once.Do(func() { first = err })
		cancel() // one channel stopping stops the feed
	}
	var wg sync.WaitGroup
	for _, channel := range channels {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := s.channelChanges(ctx, channel, filepath.Join(checkpointDir, channel+".checkpoint"), start[channel], serialised)
			if err != nil && ctx.Err() == nil || errors.Is(err, ErrStop) {
				stop(err)
			}
		}()
	}
	wg.Wait()
	switch {
	case errors.Is(first, ErrStop):
		return nil
	case first != nil:
		return first
	default:
		return ctx.Err()
	}
}

// channelChanges feeds one channel's transactions to handle. It returns
// ErrStop, after checkpointing, when handle asks to stop.
func (s *Session) channelChanges(ctx context.Context, channel, checkpointFile string, fromBlock uint64, handle func(Change) error) error {
	checkpoint, err := openCheckpoint(checkpointFile)
	if err != nil {
		return err
	}
	defer checkpoint.Close()
	blocks, err := s.gateway.GetNetwork(channel).BlockEvents(ctx, client.WithStartBlock(fromBlock), client.WithCheckpoint(checkpoint))
	if err != nil {
		return fmt.Errorf("listen to blocks of %s: %w", channel, err)
	}
	for block := range blocks {
		for _, c := range resumeAfter(BlockChanges(channel, block), checkpoint.BlockNumber(), checkpoint.TransactionID()) {
			handled := handle(c)
			if handled != nil && !errors.Is(handled, ErrStop) {
				return handled
			}
			if err := checkpoint.CheckpointTransaction(c.BlockNumber, c.TransactionID); err != nil {
				return fmt.Errorf("save checkpoint: %w", err)
			}
			if handled != nil {
				return handled // ErrStop
			}
		}
		if err := checkpoint.CheckpointBlock(block.GetHeader().GetNumber()); err != nil {
			return fmt.Errorf("save checkpoint: %w", err)
		}
	}
	return streamEnded(ctx, "blocks of "+channel)
}

// resumeAfter drops the changes of a block that a checkpoint says were
// handled already: those up to and including lastTxID, when the block is
// the checkpoint's block.
func resumeAfter(changes []Change, checkpointBlock uint64, lastTxID string) []Change {
	if lastTxID == "" || len(changes) == 0 || changes[0].BlockNumber != checkpointBlock {
		return changes
	}
	for i, c := range changes {
		if c.TransactionID == lastTxID {
			return changes[i+1:]
		}
	}
	return changes
}

// BlockChanges decodes the transactions of a block. A transaction that
// cannot be decoded is returned with its Problem set.
func BlockChanges(channel string, block *common.Block) []Change {
	number := block.GetHeader().GetNumber()
	var codes []byte
	if md := block.GetMetadata().GetMetadata(); len(md) > int(common.BlockMetadataIndex_TRANSACTIONS_FILTER) {
		codes = md[common.BlockMetadataIndex_TRANSACTIONS_FILTER]
	}
	var changes []Change
	for i, data := range block.GetData().GetData() {
		c, err := decodeTransaction(data)
		if err != nil {
			c.Problem = fmt.Sprintf("block %d of %s, transaction %d: %v", number, channel, i, err)
		}
		c.Channel, c.BlockNumber = channel, number
		c.Code = peer.TxValidationCode_VALID
		if i < len(codes) {
			c.Code = peer.TxValidationCode(codes[i])
		}
		c.Valid = c.Code == peer.TxValidationCode_VALID
		changes = append(changes, c)
	}
	return changes
}

func decodeTransaction(data []byte) (Change, error) {
	var c Change
	var env common.Envelope
	if err := proto.Unmarshal(data, &env); err != nil {
		return c, fmt.Errorf("decode envelope: %w", err)
	}
	var payload common.Payload
	if err := proto.Unmarshal(env.GetPayload(), &payload); err != nil {
		return c, fmt.Errorf("decode payload: %w", err)
	}
	var header common.ChannelHeader
	if err := proto.Unmarshal(payload.GetHeader().GetChannelHeader(), &header); err != nil {
		return c, fmt.Errorf("decode channel header: %w", err)
	}
	c.TransactionID = header.GetTxId()
	if ts := header.GetTimestamp(); ts != nil {
		c.Time = ts.AsTime()
	}
	var signature common.SignatureHeader
	if err := proto.Unmarshal(payload.GetHeader().GetSignatureHeader(), &signature); err != nil {
		return c, fmt.Errorf("decode signature header: %w", err)
	}
	var creator msp.SerializedIdentity
	if err := proto.Unmarshal(signature.GetCreator(), &creator); err != nil {
		return c, fmt.Errorf("decode creator: %w", err)
	}
	c.Creator = creator.GetMspid()

	switch common.HeaderType(header.GetType()) {
	case common.HeaderType_CONFIG:
		c.Type = "config"
		return c, nil
	case common.HeaderType_ENDORSER_TRANSACTION:
		c.Type = "transaction"
	default:
		c.Type = common.HeaderType(header.GetType()).String()
		return c, nil
	}
	var tx peer.Transaction
	if err := proto.Unmarshal(payload.GetData(), &tx); err != nil {
		return c, fmt.Errorf("decode transaction: %w", err)
	}
	if len(tx.GetActions()) == 0 {
		return c, nil
	}
	var action peer.ChaincodeActionPayload
	if err := proto.Unmarshal(tx.GetActions()[0].GetPayload(), &action); err != nil {
		return c, fmt.Errorf("decode action: %w", err)
	}
	var proposal peer.ChaincodeProposalPayload
	if err := proto.Unmarshal(action.GetChaincodeProposalPayload(), &proposal); err != nil {
		return c, fmt.Errorf("decode proposal: %w", err)
	}
	var spec peer.ChaincodeInvocationSpec
	if err := proto.Unmarshal(proposal.GetInput(), &spec); err != nil {
		return c, fmt.Errorf("decode invocation: %w", err)
	}
	c.Chaincode = spec.GetChaincodeSpec().GetChaincodeId().GetName()
	if args := spec.GetChaincodeSpec().GetInput().GetArgs(); len(args) > 0 {
		c.Function = string(args[0])
	}
	var response peer.ProposalResponsePayload
	if err := proto.Unmarshal(action.GetAction().GetProposalResponsePayload(), &response); err != nil {
		return c, fmt.Errorf("decode response: %w", err)
	}
	var ccAction peer.ChaincodeAction
	if err := proto.Unmarshal(response.GetExtension(), &ccAction); err != nil {
		return c, fmt.Errorf("decode chaincode action: %w", err)
	}
	writes, writesErr := decodeWrites(ccAction.GetResults())
	c.Writes = writes
	if len(ccAction.GetEvents()) > 0 {
		var event peer.ChaincodeEvent
		if err := proto.Unmarshal(ccAction.GetEvents(), &event); err != nil {
			return c, errors.Join(writesErr, fmt.Errorf("decode chaincode event: %w", err))
		}
		c.Event, c.EventPayload = event.GetEventName(), event.GetPayload()
	}
	return c, writesErr
}

// ChainHeights returns the height of each channel, as a start for Changes
// that sees only what happens from now on.
func (s *Session) ChainHeights(ctx context.Context, channels []string) (map[string]uint64, error) {
	heights := make(map[string]uint64, len(channels))
	for _, ch := range channels {
		h, err := s.ChainHeight(ctx, ch)
		if err != nil {
			return nil, err
		}
		heights[ch] = h
	}
	return heights, nil
}

// ChainHeight returns the number of blocks on a channel, as the session's
// gateway peer knows it.
func (s *Session) ChainHeight(ctx context.Context, channel string) (uint64, error) {
	data, err := s.evaluate(ctx, call{Channel: channel, Chaincode: "qscc", Function: "GetChainInfo", Args: []string{channel}})
	if err != nil {
		return 0, err
	}
	var info common.BlockchainInfo
	if err := proto.Unmarshal(data, &info); err != nil {
		return 0, fmt.Errorf("decode chain info of %s: %w", channel, err)
	}
	return info.GetHeight(), nil
}
