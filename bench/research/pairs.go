package research

import (
	"context"
	"fmt"
	"slices"

	"github.com/govshare/govshare/bench"
	"github.com/govshare/govshare/bench/workload"
	"github.com/govshare/govshare/chaincode/consortium"
	govclient "github.com/govshare/govshare/gateway-client"
)

// pairedWrite is a write round of the paired profile.
type pairedWrite struct {
	name    string
	op      bench.Op
	session *govclient.Session // observer of the channel's blocks
	// count, when set, bounds the round to the operations left to do.
	count func() int
	note  string
}

// RunPairs runs the paired profile: on each channel, repeat times, every
// main write round right after a round of the channel's baseline blind
// write, so that each ratio compares two adjacent rounds. Its rounds are
// named with bench.PairName; bench.SummarisePairs sums them up. On an
// error it returns the rounds that ran.
func RunPairs(ctx context.Context, env *workload.Env, cfg workload.Config, repeat int) ([]*bench.RoundResult, error) {
	if cfg.Workers <= 0 || repeat <= 0 {
		return nil, fmt.Errorf("pairs: needs at least one worker and one repetition, has %d and %d", cfg.Workers, repeat)
	}
	p := workload.NewRounds(env, cfg)
	for _, ch := range workload.Channels {
		if len(cfg.Channels) > 0 && !slices.Contains(cfg.Channels, ch) {
			continue
		}
		if cfg.Progress != nil {
			fmt.Fprintf(cfg.Progress, "%s:\n", ch)
		}
		base, writes, err := pairedWrites(ctx, env, cfg.Workers, ch)
		if err != nil {
			return p.Results(), fmt.Errorf("%s: %w", ch, err)
		}
		if writes, err = withTwins(ctx, base, cfg.Workers, writes); err != nil {
			return p.Results(), fmt.Errorf("%s: %w", ch, err)
		}
		put := workload.BaselineName(ch, "put")
		p.PairWith(base, put)
		for rep := 1; rep <= repeat; rep++ {
			for _, w := range writes {
				r := bench.Round{Name: bench.PairName(w.name, rep), Channel: ch, Kind: bench.Write, Reference: put, Op: w.op, Note: w.note}
				if w.count != nil {
					if r.Count = w.count(); r.Count == 0 {
						return p.Results(), fmt.Errorf("%s: round %s has nothing left to do", ch, r.Name)
					}
					r.Duration = cfg.Duration
				}
				if err := p.Run(ctx, r, w.session); err != nil {
					return p.Results(), fmt.Errorf("%s: %w", ch, err)
				}
			}
		}
	}
	return p.Results(), nil
}

// withTwins puts the twin of every write that has one (see twin) right
// before it, after preparing what the twins read.
func withTwins(ctx context.Context, base *workload.Baseline, workers int, writes []pairedWrite) ([]pairedWrite, error) {
	twins := workload.TwinsOf(base.Channel())
	if len(twins) == 0 {
		return writes, nil
	}
	if err := base.PrepareTwins(ctx, workers); err != nil {
		return nil, err
	}
	var out []pairedWrite
	for _, w := range writes {
		for _, t := range twins {
			if t.Write == w.name {
				out = append(out, pairedWrite{name: bench.TwinName(w.name), op: base.Twin(t), session: base.Session(),
					note: workload.TwinNote(w.name)})
			}
		}
		out = append(out, w)
	}
	return out, nil
}

// pairedWrites prepares a channel's workloads and returns its baseline and
// the writes the paired profile runs on it: the domain writes of the
// default profile, and the private-write probe that explains the cost of
// the writes with private data.
func pairedWrites(ctx context.Context, env *workload.Env, workers int, channel string) (*workload.Baseline, []pairedWrite, error) {
	switch channel {
	case consortium.EducationChannel:
		edu, err := workload.NewEducation(ctx, env, workers, 20)
		if err != nil {
			return nil, nil, err
		}
		base, err := workload.NewBaseline(env, "UniversityA", channel)
		if err != nil {
			return nil, nil, err
		}
		return base, []pairedWrite{
			{name: "baseline-put-private@edu", op: base.PutPrivate, session: base.Session(), note: "Put plus a private value of the same size"},
			{name: "record-credit-new-student", op: edu.NewStudentCredit, session: edu.Recorder(), note: "the first credit of a new student"},
			{name: "record-credit", op: edu.OnFileCredit, session: edu.Recorder(), note: "another credit of a student on file"},
			{name: "recognise-credit", op: edu.RecogniseCredit, session: edu.Recorder(), count: edu.Unrecognised, note: "UniversityB recognises recorded credits"},
		}, nil
	case consortium.FinanceChannel:
		fin, err := workload.NewFinance(ctx, env, workers, 4)
		if err != nil {
			return nil, nil, err
		}
		base, err := workload.NewBaseline(env, "EduMinistry", channel)
		if err != nil {
			return nil, nil, err
		}
		return base, []pairedWrite{
			{name: "disburse-spread", op: fin.DisburseSpread, session: fin.Accountant(), note: "each worker pays against its own 4 allocations"},
		}, nil
	case consortium.EvidenceChannel:
		evd, err := workload.NewEvidence(ctx, env)
		if err != nil {
			return nil, nil, err
		}
		base, err := workload.NewBaseline(env, "InternetCourt", channel)
		if err != nil {
			return nil, nil, err
		}
		return base, []pairedWrite{
			{name: "baseline-put-private@evd", op: base.PutPrivate, session: base.Session(), note: "Put plus a private value of the same size"},
			{name: "submit-evidence", op: evd.Submit, session: evd.Clerk(), note: "1 KiB sealed evidence to the run's case"},
		}, nil
	}
	return nil, nil, fmt.Errorf("no paired writes for channel %q", channel)
}
