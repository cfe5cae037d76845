package research

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/govshare/govshare/bench"
	"github.com/govshare/govshare/bench/workload"
	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/network"
)

// TuneConfig shapes a tuning run: for each orderer batch setting, a small
// temporary network (the judicial-evidence channel with only the court's
// and the notary office's peers, three Raft orderers, baseline only) is
// brought up, the baseline's blind write is measured one transaction at a
// time (what an interactive user sees) and at each concurrency, and the
// network is removed.
type TuneConfig struct {
	Settings    []network.Ordering
	Concurrency []int
	// Sequential is the number of one-at-a-time writes timed per setting.
	Sequential int
	Duration   time.Duration
	FabricDir  string
	SourceDir  string
	// GatewayLimit, when positive, overrides the peers' gateway
	// concurrency limit (peer.limits.concurrency.gatewayService) through
	// the environment the temporary network's peers inherit.
	GatewayLimit int
	// KeepState leaves the temporary state folders in place.
	KeepState bool
	Progress  io.Writer
}

// TunePoint is the baseline measured under one setting at one
// concurrency.
type TunePoint struct {
	Ordering network.Ordering `json:"ordering"`
	// GatewayLimit is the peers' gateway concurrency limit, 0 for the
	// rendered core.yaml's.
	GatewayLimit int            `json:"gatewayLimit,omitempty"`
	Concurrency  int            `json:"concurrency"`
	TPS          float64        `json:"tps"`
	Latency      bench.Latency  `json:"latency"`
	Failed       int            `json:"failed"`
	Failures     map[string]int `json:"failures,omitempty"`
	Load1        float64        `json:"loadAverage1m"`
}

// TuneReport is the result of a tuning run.
type TuneReport struct {
	Started  time.Time   `json:"started"`
	Finished time.Time   `json:"finished"`
	Points   []TunePoint `json:"points"`
	UpTimes  []float64   `json:"networkUpSeconds"`
	Notes    []string    `json:"notes,omitempty"`
}

// gatewayLimitEnv overrides peer.limits.concurrency.gatewayService of a
// peer's core.yaml.
const gatewayLimitEnv = "CORE_PEER_LIMITS_CONCURRENCY_GATEWAYSERVICE"

// ParseOrdering reads a batch setting written as
// "TIMEOUT/COUNT[/KIB]": "250ms/100/2048" is a 250 ms batch timeout,
// at most 100 transactions and 2048 KiB preferred per block. KiB defaults
// to 2048.
func ParseOrdering(s string) (network.Ordering, error) {
	parts := strings.Split(strings.TrimSpace(s), "/")
	if len(parts) < 2 || len(parts) > 3 {
		return network.Ordering{}, fmt.Errorf("batch setting %q: want TIMEOUT/COUNT[/KIB], e.g. 250ms/100/2048", s)
	}
	timeout, err := time.ParseDuration(parts[0])
	if err != nil || timeout < time.Millisecond || timeout > time.Minute {
		return network.Ordering{}, fmt.Errorf("batch setting %q: timeout must be a duration from 1ms to 1m", s)
	}
	count, err := strconv.Atoi(parts[1])
	if err != nil || count < 1 || count > 10000 {
		return network.Ordering{}, fmt.Errorf("batch setting %q: count must be 1 to 10000", s)
	}
	kib := 2048
	if len(parts) == 3 {
		if kib, err = strconv.Atoi(parts[2]); err != nil || kib < 1 || kib > 10*1024 {
			return network.Ordering{}, fmt.Errorf("batch setting %q: preferred size must be 1 to 10240 KiB", s)
		}
	}
	return network.Ordering{BatchTimeoutMillis: int(timeout / time.Millisecond), MaxMessageCount: count, PreferredMaxBytesKiB: kib}, nil
}

// FormatOrdering writes a setting as ParseOrdering reads it.
func FormatOrdering(o network.Ordering) string {
	return fmt.Sprintf("%s/%d/%d", time.Duration(o.BatchTimeoutMillis)*time.Millisecond, o.MaxMessageCount, o.PreferredMaxBytesKiB)
}

// TuneSpec is the consortium of a tuning network: govshare's own
// declaration for benchmarks cut down to the judicial-evidence channel's
// court and notary office (the smallest channel whose policy still needs
// two organisations), with only the baseline chaincode (the health check
// every network runs) and the probes, under ordering, and the three
// orderers of the ordering agencies (those outside the channel without
// their peers).
func TuneSpec(ordering network.Ordering) *network.Spec {
	full := network.Consortium(network.WithBenchmarkProbes())
	spec := &network.Spec{Name: full.Name, Ordering: ordering}
	channelMembers := []string{consortium.InternetCourtMSP, consortium.NotaryOfficeMSP}
	var members []string
	for _, o := range full.Organizations {
		switch {
		case slices.Contains(channelMembers, o.MSPID):
			spec.Organizations = append(spec.Organizations, o)
			members = append(members, o.Name)
		case len(o.Orderers) > 0:
			orderersOnly := *o
			orderersOnly.Peers = nil
			spec.Organizations = append(spec.Organizations, &orderersOnly)
		}
	}
	for _, ch := range full.Channels {
		if ch.Name != consortium.EvidenceChannel {
			continue
		}
		kept := &network.Channel{Name: ch.Name, Members: members}
		for _, cc := range ch.Chaincodes {
			if cc.Name == network.BaselineChaincode || cc.Name == workload.ProbeChaincode {
				kept.Chaincodes = append(kept.Chaincodes, cc)
			}
		}
		spec.Channels = append(spec.Channels, kept)
	}
	return spec
}

// Tune runs a tuning experiment; it returns what it measured even when it
// stops on an error.
func Tune(ctx context.Context, cfg TuneConfig) (*TuneReport, error) {
	rep := &TuneReport{Started: time.Now().UTC()}
	for _, ordering := range cfg.Settings {
		if err := tuneOne(ctx, cfg, ordering, rep); err != nil {
			return rep, fmt.Errorf("batch setting %s: %w", FormatOrdering(ordering), err)
		}
	}
	rep.Finished = time.Now().UTC()
	return rep, nil
}

func tuneOne(ctx context.Context, cfg TuneConfig, ordering network.Ordering, rep *TuneReport) (err error) {
	logf := func(format string, args ...any) {
		if cfg.Progress != nil {
			fmt.Fprintf(cfg.Progress, format+"\n", args...)
		}
	}
	state, err := os.MkdirTemp("", "govshare-tune-")
	if err != nil {
		return fmt.Errorf("create state folder: %w", err)
	}
	spec := TuneSpec(ordering)
	base, release, err := network.ClaimPortRange(24000, spec.PortCount())
	if err != nil {
		return err
	}
	defer release()
	n, err := network.New(spec, network.Options{StateDir: state, FabricDir: cfg.FabricDir, SourceDir: cfg.SourceDir, PortBase: base})
	if err != nil {
		return err
	}
	defer func() {
		// the network goes down even when the run was interrupted
		downCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
		defer cancel()
		stop := n.Down
		if !cfg.KeepState {
			stop = n.Clean
		}
		err = errors.Join(err, stop(downCtx))
	}()
	logf("%s: bringing a temporary network up in %s on ports %d-%d", FormatOrdering(ordering), state, base, base+39)
	began := time.Now()
	upCtx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	if cfg.GatewayLimit > 0 {
		// the peers started by Up inherit it; nothing else reads it
		if err := os.Setenv(gatewayLimitEnv, strconv.Itoa(cfg.GatewayLimit)); err != nil {
			return fmt.Errorf("set %s: %w", gatewayLimitEnv, err)
		}
		defer os.Unsetenv(gatewayLimitEnv)
		logf("  peers' gateway concurrency limit: %d", cfg.GatewayLimit)
	}
	if err := n.Up(upCtx); err != nil {
		return fmt.Errorf("network up: %w", err)
	}
	rep.UpTimes = append(rep.UpTimes, time.Since(began).Seconds())

	env := workload.NewEnv(state)
	defer env.Close()
	b, err := workload.NewBaseline(env, "InternetCourt", consortium.EvidenceChannel)
	if err != nil {
		return err
	}
	// the first transactions wait for the Raft leader and the peers to
	// find each other: not measured
	warm := bench.Round{Name: "warm-up", Workers: 1, Count: 5, Duration: time.Minute, Op: func(ctx context.Context, w, seq int) (int, error) {
		for {
			a, err := b.Put(ctx, w, seq)
			if err == nil || ctx.Err() != nil {
				return a, err
			}
			time.Sleep(time.Second)
		}
	}}
	if res, err := bench.Run(ctx, warm); err != nil || res.Succeeded == 0 {
		return fmt.Errorf("warm-up: %w (%s)", err, failureText(res))
	}
	rounds := []bench.Round{{Name: "sequential", Workers: 1, Count: cfg.Sequential, Duration: cfg.Duration, Op: b.Put}}
	for _, c := range cfg.Concurrency {
		rounds = append(rounds, bench.Round{Name: fmt.Sprintf("c%d", c), Workers: c, Duration: cfg.Duration, Op: b.Put})
	}
	for _, r := range rounds {
		res, err := bench.Run(ctx, r)
		if err != nil {
			return err
		}
		p := TunePoint{Ordering: ordering, GatewayLimit: cfg.GatewayLimit, Concurrency: r.Workers, TPS: res.TPS, Latency: res.Latency, Failed: res.Failed, Failures: res.Failures, Load1: bench.LoadAverage()}
		rep.Points = append(rep.Points, p)
		logf("  %-10s concurrency %3d  %7.1f tx/s  p50 %6.0f ms  p99 %6.0f ms  failures %s  load %.1f",
			FormatOrdering(ordering), r.Workers, p.TPS, p.Latency.P50, p.Latency.P99, res.FailureSummary(), p.Load1)
		if res.Interrupted {
			return context.Cause(ctx)
		}
	}
	return nil
}

func failureText(res *bench.RoundResult) string {
	if res == nil {
		return "no result"
	}
	for class, example := range res.FailureExamples {
		return class + ": " + example
	}
	return "no failure recorded"
}
