package workload

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/govshare/govshare/bench"
	"github.com/govshare/govshare/chaincode/consortium"
	govclient "github.com/govshare/govshare/gateway-client"
)

// Config is the shape of a profile run.
type Config struct {
	// Workers is the number of concurrent submitters of every round.
	Workers int
	// RunWorkers is the number of concurrent submitters of the rounds of
	// payment runs; 0 means Workers.
	RunWorkers int
	// Duration and Count limit every round (see bench.Round); Count 0
	// leaves only Duration.
	Duration time.Duration
	Count    int
	// Channels selects the channels to run, all when empty.
	Channels []string
	// OpTimeout bounds one operation (bench.DefaultOpTimeout when 0).
	OpTimeout time.Duration
	// Progress receives one line per round; nil discards them.
	Progress io.Writer
}

// Channels lists the channels of the default profile in the order they
// run.
var Channels = []string{consortium.EducationChannel, consortium.FinanceChannel, consortium.EvidenceChannel}

// Rounds runs rounds one after another and keeps their results: the
// default profile is made of them, and so is any other sequence of rounds
// (package bench/research's paired rounds).
type Rounds struct {
	cfg     Config
	results []*bench.RoundResult
	// stateDir is the network's state folder, whose processes' CPU time
	// every round accounts for.
	stateDir string
	// base and put are the current channel's baseline and the name of its
	// first blind-write round (see pairWith).
	base *Baseline
	put  string
}

// NewRounds returns an empty sequence of rounds of the shape cfg on the
// network of env; Run adds rounds to it.
func NewRounds(env *Env, cfg Config) *Rounds {
	return &Rounds{cfg: cfg, stateDir: env.stateDir}
}

// Results returns every round's result so far, in the order they ran,
// with ratios set.
func (p *Rounds) Results() []*bench.RoundResult { return p.results }

// PairWith makes every later write round that refers to the baseline round
// put run right after a round of base's blind write of its own, and refer
// to that one instead: its ratio then compares two adjacent rounds, as the
// network's speed (and the host's) drifts from minute to minute, and what a
// round leaves the peers to do (compaction, private data bookkeeping)
// weighs on the next round whatever it is.
func (p *Rounds) PairWith(base *Baseline, put string) {
	p.base, p.put = base, put
}

// Run runs r; for a write round with an observer session, it also counts
// the blocks the channel grew by and samples their size.
func (p *Rounds) Run(ctx context.Context, r bench.Round, observer ...*govclient.Session) error {
	if r.Kind == bench.Write && p.base != nil && p.put != "" && r.Reference == p.put {
		ref := p.put + ":" + r.Name
		if err := p.Run(ctx, bench.Round{Name: ref, Channel: r.Channel, Kind: bench.Write, Op: p.base.Put,
			Note: "the baseline round just before " + r.Name}, p.base.session); err != nil {
			return err
		}
		r.Reference = ref
	}
	var before uint64
	var err error
	watch := r.Kind == bench.Write && len(observer) > 0
	if watch {
		if before, err = chainHeight(ctx, observer[0], r.Channel); err != nil {
			return err
		}
	}
	if r.Workers == 0 {
		r.Workers = p.cfg.Workers
	}
	if r.Count == 0 && r.Duration == 0 {
		r.Count, r.Duration = p.cfg.Count, p.cfg.Duration
	}
	if r.OpTimeout == 0 {
		r.OpTimeout = p.cfg.OpTimeout
	}
	cpuBefore, cpuErr := bench.SampleCPU(p.stateDir)
	began := time.Now()
	res, err := bench.Run(ctx, r)
	if err != nil {
		return err
	}
	if cpuErr == nil {
		if cpuAfter, err := bench.SampleCPU(p.stateDir); err == nil {
			res.CPUPerTx = bench.PerTransaction(cpuBefore, cpuAfter, res.Succeeded)
			res.CPUBusy = bench.Busy(cpuBefore, cpuAfter, time.Since(began))
		}
	}
	res.Load1 = bench.LoadAverage()
	if watch {
		if err := observeBlocks(ctx, observer[0], r.Channel, before, res); err != nil {
			return err
		}
	}
	p.results = append(p.results, res)
	bench.Compare(p.results)
	if p.cfg.Progress != nil {
		ratio := ""
		if res.Batch > 1 {
			ratio = fmt.Sprintf(" = %.1f records/s", res.RecordsPerSecond)
		}
		if res.Reference != "" {
			ratio += fmt.Sprintf(" (%.0f%% of %s)", 100*res.Ratio, res.Reference)
		}
		blocks := ""
		if res.Blocks > 0 {
			blocks = fmt.Sprintf("  %d blocks of ~%.0f tx, %.0f KiB", res.Blocks, res.BlockTxs, res.BlockKiB)
		}
		cpu := ""
		if c := res.CPUPerTx; c != nil {
			cpu = fmt.Sprintf("  CPU/tx peer %.1f orderer %.1f chaincode %.1f client %.1f ms (busy %.0f%%)",
				c[bench.CPUPeer], c[bench.CPUOrderer], c[bench.CPUChaincode], c[bench.CPUClient], 100*res.CPUBusy)
		}
		fmt.Fprintf(p.cfg.Progress, "  %-24s %5d ok in %5.1fs %7.1f tx/s%s  p50 %.0f ms  p99 %.0f ms  failures %s%s%s  load %.1f\n",
			res.Name, res.Succeeded, res.ElapsedSeconds, res.TPS, ratio, res.Latency.P50, res.Latency.P99, res.FailureSummary(), blocks, cpu, res.Load1)
	}
	if res.Interrupted {
		return fmt.Errorf("round %s: %w", r.Name, context.Cause(ctx))
	}
	return nil
}

// RunProfile runs the default profile (see the package documentation) and
// returns every round's result, with ratios set. On an error it returns
// the rounds that ran.
func RunProfile(ctx context.Context, env *Env, cfg Config) ([]*bench.RoundResult, error) {
	if cfg.Workers <= 0 {
		return nil, fmt.Errorf("profile: needs at least one worker, has %d", cfg.Workers)
	}
	p := NewRounds(env, cfg)
	wants := func(channel string) bool { return len(cfg.Channels) == 0 || slices.Contains(cfg.Channels, channel) }
	steps := []struct {
		channel string
		run     func(context.Context, *Rounds, *Env) error
	}{
		{consortium.EducationChannel, educationRounds},
		{consortium.FinanceChannel, financeRounds},
		{consortium.EvidenceChannel, evidenceRounds},
	}
	for _, step := range steps {
		if !wants(step.channel) {
			continue
		}
		if cfg.Progress != nil {
			fmt.Fprintf(cfg.Progress, "%s:\n", step.channel)
		}
		if err := step.run(ctx, p, env); err != nil {
			return p.results, fmt.Errorf("%s: %w", step.channel, err)
		}
	}
	return p.results, nil
}

// runCosts runs the baseline's probes after its Put round put: a blind
// write that also sets a key-level endorsement policy requiring orgs, the
// same keys written again under that policy, and a blind write that also
// writes a private value. Their ratios to Put are what those
// two features cost the network, whatever contract uses them.
func (p *Rounds) runCosts(ctx context.Context, base *Baseline, put, orgs string) error {
	short := strings.TrimPrefix(put, "baseline-put")
	if err := p.Run(ctx, bench.Round{Name: "baseline-put-guarded" + short, Channel: base.channel, Kind: bench.Write, Reference: put,
		Op: base.PutGuarded(orgs), Note: "Put plus a key-level endorsement policy requiring " + orgs}, base.session); err != nil {
		return err
	}
	if base.guarded.len() == 0 {
		return fmt.Errorf("round baseline-put-guarded%s wrote no key to write again", short)
	}
	if err := p.Run(ctx, bench.Round{Name: "baseline-update-guarded" + short, Channel: base.channel, Kind: bench.Write, Reference: put,
		Count: base.guarded.len(), Duration: p.cfg.Duration, Op: base.UpdateGuarded(orgs),
		Note: "the keys baseline-put-guarded wrote, written again: validated against their key-level policy"}, base.session); err != nil {
		return err
	}
	return p.Run(ctx, bench.Round{Name: "baseline-put-private" + short, Channel: base.channel, Kind: bench.Write, Reference: put,
		Op: base.PutPrivate, Note: "Put plus a private value of the same size in " + consortium.BaselineCollection}, base.session)
}

// runTwinned runs the twin of r (see twin), when its write has one, and
// then r; both refer to the round put and so each runs right after a
// blind-write round of its own.
func (p *Rounds) runTwinned(ctx context.Context, base *Baseline, r bench.Round, observer *govclient.Session) error {
	for _, t := range TwinsOf(base.channel) {
		if t.Write != r.Name {
			continue
		}
		if err := p.Run(ctx, bench.Round{Name: bench.TwinName(r.Name), Channel: r.Channel, Kind: bench.Write, Reference: r.Reference,
			Op: base.Twin(t), Note: TwinNote(r.Name)}, base.session); err != nil {
			return err
		}
	}
	return p.Run(ctx, r, observer)
}

// BaselineName names a channel's baseline round of function ("put",
// "get"): "baseline-put@edu".
func BaselineName(channel, function string) string {
	short := map[string]string{consortium.EducationChannel: "edu", consortium.FinanceChannel: "fin", consortium.EvidenceChannel: "evd"}[channel]
	return "baseline-" + function + "@" + short
}

func educationRounds(ctx context.Context, p *Rounds, env *Env) error {
	ch := consortium.EducationChannel
	edu, err := NewEducation(ctx, env, p.cfg.Workers, 20)
	if err != nil {
		return err
	}
	base, err := NewBaseline(env, "UniversityA", ch)
	if err != nil {
		return err
	}
	put, get := BaselineName(ch, "put"), BaselineName(ch, "get")
	if err := p.Run(ctx, bench.Round{Name: put, Channel: ch, Kind: bench.Write, Op: base.Put}, base.session); err != nil {
		return err
	}
	p.PairWith(base, put)
	if err := p.runCosts(ctx, base, put, consortium.UniversityAMSP+","+consortium.EduMinistryMSP); err != nil {
		return err
	}
	if err := base.PrepareTwins(ctx, p.cfg.Workers); err != nil {
		return err
	}
	if err := p.runTwinned(ctx, base, bench.Round{Name: "record-credit-new-student", Channel: ch, Kind: bench.Write, Reference: put, Op: edu.NewStudentCredit,
		Note: "UniversityA registrar; the first credit of a new student: its details are written to the private collection"}, edu.recorder); err != nil {
		return err
	}
	if err := p.runTwinned(ctx, base, bench.Round{Name: "record-credit", Channel: ch, Kind: bench.Write, Reference: put, Op: edu.OnFileCredit,
		Note: "UniversityA registrar; another credit of a student on file (each worker cycles over the students it enrolled): details match, nothing private written"}, edu.recorder); err != nil {
		return err
	}
	if edu.Unrecognised() == 0 {
		return fmt.Errorf("round recognise-credit: the credit rounds recorded no credit to recognise")
	}
	if err := p.runTwinned(ctx, base, bench.Round{Name: "recognise-credit", Channel: ch, Kind: bench.Write, Reference: put,
		Count: edu.Unrecognised(), Duration: p.cfg.Duration, Op: edu.RecogniseCredit,
		Note: "UniversityB registrar recognises the credits record-credit recorded (at most that many)"}, edu.recorder); err != nil {
		return err
	}
	if err := p.Run(ctx, bench.Round{Name: get, Channel: ch, Kind: bench.Query, Op: base.Get}); err != nil {
		return err
	}
	return p.Run(ctx, bench.Round{Name: "transcript", Channel: ch, Kind: bench.Query, Reference: get, Op: edu.Transcript,
		Note: "first page of a student's transcript"})
}

func financeRounds(ctx context.Context, p *Rounds, env *Env) error {
	ch := consortium.FinanceChannel
	fin, err := NewFinance(ctx, env, p.cfg.Workers, 4)
	if err != nil {
		return err
	}
	base, err := NewBaseline(env, "EduMinistry", ch)
	if err != nil {
		return err
	}
	put, get := BaselineName(ch, "put"), BaselineName(ch, "get")
	if err := p.Run(ctx, bench.Round{Name: put, Channel: ch, Kind: bench.Write, Op: base.Put}, base.session); err != nil {
		return err
	}
	p.PairWith(base, put)
	if err := base.PrepareTwins(ctx, p.cfg.Workers); err != nil {
		return err
	}
	if err := p.runTwinned(ctx, base, bench.Round{Name: "disburse-spread", Channel: ch, Kind: bench.Write, Reference: put, Op: fin.DisburseSpread,
		Note: "EduMinistry accountant; each worker pays against its own 4 allocations"}, fin.accountant); err != nil {
		return err
	}
	if err := p.Run(ctx, bench.Round{Name: "disburse-one-allocation", Channel: ch, Kind: bench.Write, Reference: put, Op: fin.DisburseOne,
		Note: "every worker against one allocation, one attempt each: conflicts are counted, not retried"}, fin.accountant); err != nil {
		return err
	}
	if err := p.Run(ctx, bench.Round{Name: "disburse-one-retried", Channel: ch, Kind: bench.Write, Reference: put, Op: fin.DisburseOneRetried,
		Note: "as disburse-one-allocation, with the client's default retries of conflicts (5 attempts, pauses from 200 ms doubling)"}, fin.accountant); err != nil {
		return err
	}
	if err := p.paymentRounds(ctx, fin, "disburse-spread"); err != nil {
		return err
	}
	if err := p.Run(ctx, bench.Round{Name: get, Channel: ch, Kind: bench.Query, Op: base.Get}); err != nil {
		return err
	}
	return p.Run(ctx, bench.Round{Name: "trace-disbursement", Channel: ch, Kind: bench.Query, Reference: get, Op: fin.TraceDisbursement,
		Note: "a disbursement traced up to its allocation and appropriation"})
}

// paymentRounds runs the rounds of payments against one allocation split
// into tranches, one by one and in runs of 50 and 200, each compared with
// the round reference (disburse-spread: payments against many
// allocations) in records per second.
func (p *Rounds) paymentRounds(ctx context.Context, fin *Finance, reference string) error {
	ch := consortium.FinanceChannel
	split := fmt.Sprintf("split into %d tranches", SplitTranches)
	rounds := []bench.Round{
		{Name: "disburse-one-split", Op: fin.DisburseOneSplit,
			Note: "every worker against one allocation " + split + ", one attempt each: conflicts (two payments on one tranche) are counted"},
		{Name: "disburse-one-split-retried", Op: fin.DisburseOneSplitRetried,
			Note: "as disburse-one-split, with the client's default retries of conflicts"},
		{Name: "disburse-run-50", Op: fin.DisburseRun(50), Batch: 50, Workers: p.cfg.RunWorkers,
			Note: "runs of 50 payments (one transaction each) against the one allocation " + split + ", one attempt each"},
		{Name: "disburse-run-200", Op: fin.DisburseRun(200), Batch: 200, Workers: p.cfg.RunWorkers,
			Note: "runs of 200 payments against the one allocation " + split + ", one attempt each"},
	}
	for _, r := range rounds {
		r.Channel, r.Kind, r.Reference = ch, bench.Write, reference
		if err := p.Run(ctx, r, fin.accountant); err != nil {
			return err
		}
	}
	return nil
}

// RunLone measures one write of each kind of the finance channel at a
// time, on an otherwise idle network: the blind write, a payment against
// an allocation never split, a payment against one split into tranches,
// a run of 50 and a run of 200 payments, each a round of one worker after
// a blind-write round of its own. Each round's p50 is the latency of a
// lone write of its kind (cfg.Count of them, 20 by default).
func RunLone(ctx context.Context, env *Env, cfg Config) ([]*bench.RoundResult, error) {
	cfg.Workers, cfg.RunWorkers = 1, 1
	if cfg.Count <= 0 {
		cfg.Count = 20
	}
	p := NewRounds(env, cfg)
	ch := consortium.FinanceChannel
	fin, err := NewFinance(ctx, env, 1, 1)
	if err != nil {
		return nil, err
	}
	base, err := NewBaseline(env, "EduMinistry", ch)
	if err != nil {
		return nil, err
	}
	put := BaselineName(ch, "put")
	if err := p.Run(ctx, bench.Round{Name: put, Channel: ch, Kind: bench.Write, Op: base.Put, Note: "the blind write"}, base.session); err != nil {
		return p.results, err
	}
	p.PairWith(base, put)
	for _, r := range []bench.Round{
		{Name: "disburse", Op: fin.DisburseSpread, Note: "one payment against an allocation never split"},
		{Name: "disburse-split", Op: fin.DisburseOneSplit, Note: fmt.Sprintf("one payment against an allocation split into %d tranches", SplitTranches)},
		{Name: "disburse-run-50", Op: fin.DisburseRun(50), Batch: 50, Note: "one run of 50 payments"},
		{Name: "disburse-run-200", Op: fin.DisburseRun(200), Batch: 200, Note: "one run of 200 payments"},
	} {
		r.Channel, r.Kind, r.Reference = ch, bench.Write, put
		if err := p.Run(ctx, r, fin.accountant); err != nil {
			return p.results, err
		}
	}
	return p.results, nil
}

func evidenceRounds(ctx context.Context, p *Rounds, env *Env) error {
	ch := consortium.EvidenceChannel
	evd, err := NewEvidence(ctx, env)
	if err != nil {
		return err
	}
	base, err := NewBaseline(env, "InternetCourt", ch)
	if err != nil {
		return err
	}
	put, get := BaselineName(ch, "put"), BaselineName(ch, "get")
	if err := p.Run(ctx, bench.Round{Name: put, Channel: ch, Kind: bench.Write, Op: base.Put}, base.session); err != nil {
		return err
	}
	p.PairWith(base, put)
	if err := p.runCosts(ctx, base, put, consortium.InternetCourtMSP+","+consortium.NotaryOfficeMSP); err != nil {
		return err
	}
	if err := base.PrepareTwins(ctx, p.cfg.Workers); err != nil {
		return err
	}
	if err := p.runTwinned(ctx, base, bench.Round{Name: "submit-evidence", Channel: ch, Kind: bench.Write, Reference: put, Op: evd.Submit,
		Note: "InternetCourt clerk; content sealed in the private collection"}, evd.clerk); err != nil {
		return err
	}
	if err := p.Run(ctx, bench.Round{Name: get, Channel: ch, Kind: bench.Query, Op: base.Get}); err != nil {
		return err
	}
	return p.Run(ctx, bench.Round{Name: "verify-evidence-by-hash", Channel: ch, Kind: bench.Query, Reference: get, Op: evd.Verify})
}
