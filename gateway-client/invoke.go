package govclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"

	"github.com/govshare/govshare/chaincode/consortium"
)

// call names one chaincode function with its arguments.
type call struct {
	Channel   string
	Chaincode string
	Function  string
	Args      []string
	// Transient is private input that is not recorded in the transaction:
	// personal data bound for a private data collection.
	Transient map[string][]byte
	// Endorsers, if set, names the organisations that must endorse, for
	// reads that only certain organisations' peers can answer.
	Endorsers []string
}

func (c call) proposalOptions() []client.ProposalOption {
	opts := []client.ProposalOption{client.WithArguments(c.Args...)}
	if len(c.Transient) > 0 {
		opts = append(opts, client.WithTransient(c.Transient))
	}
	if len(c.Endorsers) > 0 {
		opts = append(opts, client.WithEndorsingOrganizations(c.Endorsers...))
	}
	return opts
}

// Result is what a committed transaction returned.
type Result struct {
	TransactionID string
	// BlockNumber is the block of the transaction's first copy, the one
	// that counts when it was submitted more than once.
	BlockNumber uint64
	Payload     []byte
	// Attempts is how many transactions were endorsed in all: more than
	// one after read conflicts, each with its own ID.
	Attempts int
	// Submissions is how many times the committed transaction was handed
	// to the orderers: more than one when a copy was lost with a Raft
	// leader, or the ordering service was unavailable for a while.
	Submissions int
}

// Submit endorses, orders and waits for the commit of a transaction. A
// transaction whose endorsing peers disagreed (they were at different
// heights) or that fails validation on an MVCC or phantom read conflict is
// endorsed again, with a new transaction ID, up to the client's attempt
// limit with doubling pauses; any other failure returns at once. A
// transaction the orderers accepted but did not commit within the commit
// wait (WithCommitWait), or that they refused as unavailable, is submitted
// again as the same signed transaction, which commits at most once (see
// WithOrdererWait). Without a deadline in ctx, DefaultSubmitTimeout
// applies to the whole call.
//
// Submit is for chaincode functions the typed views do not cover; prefer
// those.
func (s *Session) Submit(ctx context.Context, channel, chaincode, function string, args ...string) (*Result, error) {
	return s.submit(ctx, call{Channel: channel, Chaincode: chaincode, Function: function, Args: args})
}

// SubmitPrivate is Submit with transient data: private input (personal
// data, sealed content) that goes to the endorsing peers only, never into
// the transaction the orderers and every peer see.
func (s *Session) SubmitPrivate(ctx context.Context, channel, chaincode, function string, transient map[string][]byte, args ...string) (*Result, error) {
	return s.submit(ctx, call{Channel: channel, Chaincode: chaincode, Function: function, Args: args, Transient: transient})
}

// Evaluate runs a query on a peer and returns its answer without creating
// a transaction. Without a deadline in ctx, DefaultEvaluateTimeout applies.
func (s *Session) Evaluate(ctx context.Context, channel, chaincode, function string, args ...string) ([]byte, error) {
	return s.evaluate(ctx, call{Channel: channel, Chaincode: chaincode, Function: function, Args: args})
}

// transport sends calls to the network: the seam between what the session
// decides (retrying conflicts, submitting a lost transaction again,
// waiting for the members' peers) and the Fabric Gateway that carries the
// calls.
type transport interface {
	// endorse runs c on the endorsing peers and returns the endorsed,
	// signed transaction, not yet submitted.
	endorse(ctx context.Context, c call) (transaction, error)
	// evaluate runs c as a query on a peer; a refusal is a *TxError.
	evaluate(ctx context.Context, c call) ([]byte, error)
}

// gatewayTransport is the transport of a session: its Fabric Gateway.
type gatewayTransport struct{ gateway *client.Gateway }

func (g gatewayTransport) contract(c call) *client.Contract {
	return g.gateway.GetNetwork(c.Channel).GetContract(c.Chaincode)
}

func (s *Session) submit(ctx context.Context, c call) (*Result, error) {
	ctx, cancel := withDefaultTimeout(ctx, DefaultSubmitTimeout)
	defer cancel()
	pause := s.client.opts.retryPause
	for attempt := 1; ; attempt++ {
		result, err := s.submitOnce(ctx, c)
		if err == nil {
			result.Attempts = attempt
			s.awaitMembers(ctx, c.Channel, result.TransactionID)
			return result, nil
		}
		var txErr *TxError
		if !errors.As(err, &txErr) {
			txErr = newTxError(StageEndorse, c.Channel, c.Chaincode, c.Function, err)
		}
		txErr.Attempts = attempt
		if !txErr.retryable() || attempt >= s.client.opts.maxAttempts {
			return nil, txErr
		}
		select {
		case <-ctx.Done():
			return nil, txErr
		case <-time.After(pause):
		}
		pause *= 2
	}
}

// submitOnce endorses c and orders the endorsed transaction.
func (s *Session) submitOnce(ctx context.Context, c call) (*Result, error) {
	tx, err := s.net.endorse(ctx, c)
	if err != nil {
		return nil, err
	}
	return s.order(ctx, c, tx)
}

func (g gatewayTransport) endorse(ctx context.Context, c call) (transaction, error) {
	proposal, err := g.contract(c).NewProposal(c.Function, c.proposalOptions()...)
	if err != nil {
		return nil, fmt.Errorf("make proposal: %w", err)
	}
	tx, err := proposal.EndorseWithContext(ctx)
	if err != nil {
		return nil, err
	}
	return &gatewayTransaction{tx: tx}, nil
}

// gatewayTransaction is an endorsed transaction of the Fabric Gateway,
// signed at its first submission; later submissions send the same
// signed envelope.
type gatewayTransaction struct {
	tx     *client.Transaction
	commit *client.Commit // of the last accepted submission
}

func (t *gatewayTransaction) ID() string     { return t.tx.TransactionID() }
func (t *gatewayTransaction) Result() []byte { return t.tx.Result() }

func (t *gatewayTransaction) submit(ctx context.Context) error {
	commit, err := t.tx.SubmitWithContext(ctx)
	if err != nil {
		return err
	}
	t.commit = commit
	return nil
}

func (t *gatewayTransaction) status(ctx context.Context) (commitStatus, error) {
	if t.commit == nil {
		return commitStatus{}, errors.New("no submission was accepted")
	}
	st, err := t.commit.StatusWithContext(ctx)
	if err != nil {
		return commitStatus{}, err
	}
	return commitStatus{Code: st.Code, BlockNumber: st.BlockNumber}, nil
}

func (g gatewayTransport) evaluate(ctx context.Context, c call) ([]byte, error) {
	proposal, err := g.contract(c).NewProposal(c.Function, c.proposalOptions()...)
	if err != nil {
		return nil, fmt.Errorf("make proposal for %s: %w", c.Function, err)
	}
	out, err := proposal.EvaluateWithContext(ctx)
	if err != nil {
		return nil, newTxError(StageEvaluate, c.Channel, c.Chaincode, c.Function, err)
	}
	return out, nil
}

func (s *Session) evaluate(ctx context.Context, c call) ([]byte, error) {
	ctx, cancel := withDefaultTimeout(ctx, DefaultEvaluateTimeout)
	defer cancel()
	return s.net.evaluate(ctx, c)
}

// submitJSON submits and decodes the transaction's JSON answer into out.
func (s *Session) submitJSON(ctx context.Context, c call, out any) (*Result, error) {
	result, err := s.submit(ctx, c)
	if err != nil {
		return nil, err
	}
	if out != nil {
		if err := json.Unmarshal(result.Payload, out); err != nil {
			return result, fmt.Errorf("%s committed in transaction %s, but its answer is unreadable: %w", c.Function, result.TransactionID, err)
		}
	}
	return result, nil
}

// evaluateJSON evaluates and decodes the JSON answer into out.
func (s *Session) evaluateJSON(ctx context.Context, c call, out any) error {
	data, err := s.evaluate(ctx, c)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("%s answered unreadable JSON: %w", c.Function, err)
	}
	return nil
}

// requestJSON encodes a request struct as a write function's argument.
func requestJSON(request any) (string, error) {
	data, err := json.Marshal(request)
	if err != nil {
		return "", fmt.Errorf("encode request: %w", err)
	}
	return string(data), nil
}

func withDefaultTimeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, d)
}

// awaitMembers waits, when the client asks for it, until every member
// organisation's peer of the channel has committed txID: it asks each
// organisation's peer for the transaction through qscc. A peer that does
// not answer within the client's bound is not waited for longer: the
// transaction is committed, only not yet everywhere.
func (s *Session) awaitMembers(ctx context.Context, channel, txID string) {
	bound := s.client.opts.memberSync
	if bound <= 0 {
		return
	}
	for _, msp := range consortium.ChannelMembers(channel) {
		if msp == s.MSPID() {
			continue // the commit status came from this organisation's peer
		}
		peerCtx, cancel := context.WithTimeout(ctx, bound)
		for {
			_, err := s.evaluate(peerCtx, call{Channel: channel, Chaincode: "qscc", Function: "GetTransactionByID",
				Args: []string{channel, txID}, Endorsers: []string{msp}})
			if err == nil || peerCtx.Err() != nil {
				break
			}
			select {
			case <-peerCtx.Done():
			case <-time.After(50 * time.Millisecond):
			}
		}
		cancel()
	}
}
