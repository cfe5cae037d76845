package workload

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"

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
	ids     atomic.Int64
}

// NewBaseline returns the baseline of channel through the session's
// gateway.
func NewBaseline(env *Env, s *govclient.Session, channel string) *Baseline {
	return &Baseline{env: env, session: s, channel: channel}
}

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
