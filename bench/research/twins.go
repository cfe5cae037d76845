package research

import (
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"text/tabwriter"

	"github.com/govshare/govshare/bench"
	"github.com/govshare/govshare/bench/workload"
	"github.com/govshare/govshare/chaincode/consortium"
	govclient "github.com/govshare/govshare/gateway-client"
)

// TwinFootprints is a main write's footprint next to its twin's.
type TwinFootprints struct {
	Write   string    `json:"write"`
	Channel string    `json:"channel"`
	Domain  Footprint `json:"domain"`
	Twin    Footprint `json:"twin"`
}

// sizeTolerance is how far, as a fraction, a twin's written bytes and
// event may be from its domain write's: the domain records vary with their
// IDs and the time, and a few bytes make no difference to the peers.
const sizeTolerance = 0.25

// Mismatches lists how the twin's footprint differs from the domain
// write's: a count that is not the same, or a size further apart than
// sizeTolerance. None means the twin is right.
func (t TwinFootprints) Mismatches() []string {
	var out []string
	// tolerance 0: counts must be equal
	for _, c := range []struct {
		name         string
		domain, twin int
		tolerance    float64
	}{
		{"reads", t.Domain.Reads, t.Twin.Reads, 0},
		{"writes", t.Domain.Writes, t.Twin.Writes, 0},
		{"policy writes", t.Domain.PolicyWrites, t.Twin.PolicyWrites, 0},
		{"private reads", t.Domain.PrivateReads, t.Twin.PrivateReads, 0},
		{"private writes", t.Domain.PrivateWrites, t.Twin.PrivateWrites, 0},
		{"written bytes", t.Domain.WrittenBytes, t.Twin.WrittenBytes, sizeTolerance},
		{"event bytes", t.Domain.EventBytes, t.Twin.EventBytes, sizeTolerance},
		{"response bytes", t.Domain.ResponseBytes, t.Twin.ResponseBytes, sizeTolerance},
		{"transaction bytes", t.Domain.Bytes, t.Twin.Bytes, sizeTolerance},
	} {
		switch {
		case c.tolerance == 0 && c.domain != c.twin:
			out = append(out, fmt.Sprintf("%s: %s %d, twin %d", c.name, t.Write, c.domain, c.twin))
		case c.tolerance > 0 && math.Abs(float64(c.twin-c.domain)) > c.tolerance*float64(c.domain):
			out = append(out, fmt.Sprintf("%s: %s %d, twin %d (more than %.0f%% apart)", c.name, t.Write, c.domain, c.twin, 100*c.tolerance))
		}
	}
	return out
}

// CompareTwins submits one of each main write of the channels (all when
// channels is empty) and one of its twin, and reads both back from the
// ledger: the check that each twin asks of the peers what its write does.
func CompareTwins(ctx context.Context, env *workload.Env, channels []string) ([]TwinFootprints, error) {
	var out []TwinFootprints
	for _, ch := range workload.Channels {
		if len(channels) > 0 && !slices.Contains(channels, ch) {
			continue
		}
		base, writes, err := oneOfEach(ctx, env, ch)
		if err != nil {
			return out, fmt.Errorf("%s: %w", ch, err)
		}
		if err := base.PrepareTwins(ctx, 1); err != nil {
			return out, fmt.Errorf("%s: %w", ch, err)
		}
		for _, t := range workload.TwinsOf(ch) {
			write, ok := writes[t.Write]
			if !ok {
				return out, fmt.Errorf("%s: no write %s to compare its twin with", ch, t.Write)
			}
			twinResult, err := base.SubmitTwin(ctx, t, 0, 0)
			if err != nil {
				return out, fmt.Errorf("%s: %s: %w", ch, bench.TwinName(t.Write), err)
			}
			tf := TwinFootprints{Write: t.Write, Channel: ch}
			if tf.Domain, err = TransactionFootprint(ctx, base.Session(), ch, write.TransactionID); err != nil {
				return out, fmt.Errorf("%s: %s: %w", ch, t.Write, err)
			}
			if tf.Twin, err = TransactionFootprint(ctx, base.Session(), ch, twinResult.TransactionID); err != nil {
				return out, fmt.Errorf("%s: %s: %w", ch, bench.TwinName(t.Write), err)
			}
			out = append(out, tf)
		}
	}
	return out, nil
}

// oneOfEach prepares a channel's workload for one worker and commits one
// of each of its main writes, by round name, with the channel's baseline.
func oneOfEach(ctx context.Context, env *workload.Env, channel string) (*workload.Baseline, map[string]*govclient.Result, error) {
	writes := map[string]*govclient.Result{}
	var err error
	switch channel {
	case consortium.EducationChannel:
		edu, e := workload.NewEducation(ctx, env, 1, 1)
		if e != nil {
			return nil, nil, e
		}
		if writes["record-credit-new-student"], err = edu.SubmitNewStudentCredit(ctx, 0, 0); err != nil {
			return nil, nil, fmt.Errorf("record-credit-new-student: %w", err)
		}
		if writes["record-credit"], err = edu.SubmitOnFileCredit(ctx, 0, 1); err != nil {
			return nil, nil, fmt.Errorf("record-credit: %w", err)
		}
		if writes["recognise-credit"], err = edu.SubmitRecognition(ctx); err != nil {
			return nil, nil, fmt.Errorf("recognise-credit: %w", err)
		}
		base, err := workload.NewBaseline(env, "UniversityA", channel)
		return base, writes, err
	case consortium.FinanceChannel:
		fin, e := workload.NewFinance(ctx, env, 1, 1)
		if e != nil {
			return nil, nil, e
		}
		if writes["disburse-spread"], err = fin.SubmitDisbursement(ctx, 0); err != nil {
			return nil, nil, fmt.Errorf("disburse-spread: %w", err)
		}
		base, err := workload.NewBaseline(env, "EduMinistry", channel)
		return base, writes, err
	case consortium.EvidenceChannel:
		evd, e := workload.NewEvidence(ctx, env)
		if e != nil {
			return nil, nil, e
		}
		if writes["submit-evidence"], err = evd.SubmitNext(ctx); err != nil {
			return nil, nil, fmt.Errorf("submit-evidence: %w", err)
		}
		base, err := workload.NewBaseline(env, "InternetCourt", channel)
		return base, writes, err
	}
	return nil, nil, fmt.Errorf("no main writes on channel %q", channel)
}

// WriteTwins prints footprints side by side, with their mismatches.
func WriteTwins(w io.Writer, twins []TwinFootprints) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "write\t\treads\twrites\tbytes written\tpolicies\tprivate reads\tprivate writes\tevent bytes\tresponse bytes\ttransaction bytes\t")
	for _, t := range twins {
		for _, row := range []struct {
			who string
			f   Footprint
		}{{"contract", t.Domain}, {"twin", t.Twin}} {
			f := row.f
			fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t\n", t.Write, row.who,
				f.Reads, f.Writes, f.WrittenBytes, f.PolicyWrites, f.PrivateReads, f.PrivateWrites, f.EventBytes, f.ResponseBytes, f.Bytes)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, t := range twins {
		for _, m := range t.Mismatches() {
			if _, err := fmt.Fprintln(w, "MISMATCH", m); err != nil {
				return err
			}
		}
	}
	return nil
}
