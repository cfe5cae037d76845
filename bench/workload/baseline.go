package workload

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/govshare/govshare/bench"
	"github.com/govshare/govshare/chaincode/benchprobe"
	"github.com/govshare/govshare/chaincode/consortium"
	govclient "github.com/govshare/govshare/gateway-client"
	"github.com/govshare/govshare/network"
)

// ProbeChaincode is the name of the reference chaincode on every channel
// of a network made for benchmarks (network.WithBenchmarkProbes): its Put
// is the blind write every write is measured against.
const ProbeChaincode = network.BenchprobeChaincode

// baselineValue is what the baseline writes: about the size of a domain
// record.
var baselineValue = strings.Repeat("govshare baseline value ", 20)

// Baseline is the reference workload of one channel: blind writes (Put)
// and reads (Get) of the probe chaincode, and its probes, as an
// administrator of a writing member: the only identity the probes admit.
type Baseline struct {
	env     *Env
	session *govclient.Session
	channel string
	written list
	guarded list // keys PutGuarded wrote
	ids     atomic.Int64
}

// NewBaseline returns the baseline of channel through the gateway of org
// (e.g. "UniversityA"), signed by org's administrator.
func NewBaseline(env *Env, org, channel string) (*Baseline, error) {
	s, err := env.Session(org, consortium.RoleAdmin, NoRetry)
	if err != nil {
		return nil, err
	}
	return &Baseline{env: env, session: s, channel: channel}, nil
}

// Session returns the session the baseline submits through.
func (b *Baseline) Session() *govclient.Session { return b.session }

// Channel returns the baseline's channel.
func (b *Baseline) Channel() string { return b.channel }

// Put writes a new key; blind writes never conflict.
func (b *Baseline) Put(ctx context.Context, worker, seq int) (int, error) {
	key := fmt.Sprintf("%s-%s-%07d", b.env.RunID, b.channel, b.ids.Add(1))
	result, err := b.session.Submit(ctx, b.channel, ProbeChaincode, "Put", key, baselineValue)
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
	result, err := b.session.Submit(ctx, b.channel, ProbeChaincode, "PutGuarded", key, baselineValue, orgs)
	if err != nil {
		return attempts(err), err
	}
	return result.Attempts, nil
}

// PutPrivate writes a new key like Put and a private value of the same
// size under it in the channel's baseline collection.
func (b *Baseline) PutPrivate(ctx context.Context, worker, seq int) (int, error) {
	key := fmt.Sprintf("%s-%s-p%07d", b.env.RunID, b.channel, b.ids.Add(1))
	transient := map[string][]byte{benchprobe.TransientPrivate: []byte(baselineValue)}
	result, err := b.session.SubmitPrivate(ctx, b.channel, ProbeChaincode, "PutPrivate", transient, key, baselineValue, consortium.BaselineCollection)
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
	if _, err := b.session.Evaluate(ctx, b.channel, ProbeChaincode, "Get", key); err != nil {
		return 1, err
	}
	return 1, nil
}
