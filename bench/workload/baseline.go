package workload

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/govshare/govshare/bench"
	"github.com/govshare/govshare/chaincode/baseline"
	"github.com/govshare/govshare/chaincode/consortium"
	govclient "github.com/govshare/govshare/gateway-client"
)

// BaselineChaincode is the name of the reference chaincode on every
// channel.
const BaselineChaincode = "baseline"

// baselineValue is what the baseline writes: about the size of a domain
// record.
var baselineValue = strings.Repeat("govshare baseline value ", 20)

// Baseline is the reference workload of one channel: blind writes (Put)
// and reads (Get) of the baseline chaincode.
type Baseline struct {
	env     *Env
	session *govclient.Session
	channel string
	written list
	guarded list // keys PutGuarded wrote
	ids     atomic.Int64
}

// NewBaseline returns the baseline of channel through the session's
// gateway.
func NewBaseline(env *Env, s *govclient.Session, channel string) *Baseline {
	return &Baseline{env: env, session: s, channel: channel}
}

// Session returns the session the baseline submits through.
func (b *Baseline) Session() *govclient.Session { return b.session }

// Channel returns the baseline's channel.
func (b *Baseline) Channel() string { return b.channel }

// Put writes a new key; blind writes never conflict.
func (b *Baseline) Put(ctx context.Context, worker, seq int) (int, error) {
	key := fmt.Sprintf("%s-%s-%07d", b.env.RunID, b.channel, b.ids.Add(1))
	result, err := b.session.Submit(ctx, b.channel, BaselineChaincode, "Put", key, baselineValue)
	if err != nil {
		return attempts(err), err
	}
	b.written.add(key)
	return result.Attempts, nil
}

// PutGuarded writes a new key like Put and gives it a key-level endorsement
// policy requiring orgs (comma-separated MSP IDs). Setting the policy costs
// the network little: a new key has none yet, so the chaincode's policy
// validates the write.
func (b *Baseline) PutGuarded(orgs string) bench.Op {
	return func(ctx context.Context, worker, seq int) (int, error) {
		key := fmt.Sprintf("%s-%s-g%07d", b.env.RunID, b.channel, b.ids.Add(1))
		n, err := b.putGuarded(ctx, key, orgs)
		if err == nil {
			b.guarded.add(key)
		}
		return n, err
	}
}

// UpdateGuarded writes the seq-th key PutGuarded wrote again, with the same
// policy: every peer now validates the write against the key's own policy
// as well as the chaincode's. Run it with a Count of at most the keys
// written.
func (b *Baseline) UpdateGuarded(orgs string) bench.Op {
	return func(ctx context.Context, worker, seq int) (int, error) {
		key := b.guarded.at(seq)
		if key == "" {
			return 1, errNothingToDo
		}
		return b.putGuarded(ctx, key, orgs)
	}
}

// putGuarded writes key with PutGuarded.
func (b *Baseline) putGuarded(ctx context.Context, key, orgs string) (int, error) {
	result, err := b.session.Submit(ctx, b.channel, BaselineChaincode, "PutGuarded", key, baselineValue, orgs)
	if err != nil {
		return attempts(err), err
	}
	return result.Attempts, nil
}

// PutPrivate writes a new key like Put and a private value of the same
// size under it in the channel's baseline collection.
func (b *Baseline) PutPrivate(ctx context.Context, worker, seq int) (int, error) {
	key := fmt.Sprintf("%s-%s-p%07d", b.env.RunID, b.channel, b.ids.Add(1))
	transient := map[string][]byte{baseline.TransientPrivate: []byte(baselineValue)}
	result, err := b.session.SubmitPrivate(ctx, b.channel, BaselineChaincode, "PutPrivate", transient, key, baselineValue, consortium.BaselineCollection)
	if err != nil {
		return attempts(err), err
	}
	return result.Attempts, nil
}

// Get reads one of the keys Put wrote.
func (b *Baseline) Get(ctx context.Context, worker, seq int) (int, error) {
	key := b.written.at(seq)
	if key == "" {
		return 1, errNothingToDo
	}
	if _, err := b.session.Evaluate(ctx, b.channel, BaselineChaincode, "Get", key); err != nil {
		return 1, err
	}
	return 1, nil
}
