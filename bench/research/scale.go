package research

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/govshare/govshare/bench"
	"github.com/govshare/govshare/bench/workload"
	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/education"
	"github.com/govshare/govshare/chaincode/finance"
)

// ScaleConfig shapes a scaling run: records are preloaded in steps up to
// each of Sizes (records of the domain written by this run), and after
// each step every probe query is timed Reps times, one at a time.
type ScaleConfig struct {
	Sizes   []int
	Domains []string // "education", "finance", "evidence"; all when empty
	Workers int
	Reps    int
	// StepTimeout bounds the preload of one step; a step that runs out of
	// time is measured at the size it reached, and the larger sizes are
	// skipped.
	StepTimeout time.Duration
	Progress    io.Writer
}

// ScaleDomains are the domains of a scaling run.
var ScaleDomains = []string{"education", "finance", "evidence"}

// Preload is one preload step of one domain.
type Preload struct {
	Domain  string  `json:"domain"`
	Target  int     `json:"target"`
	Reached int     `json:"reached"`
	Seconds float64 `json:"seconds"`
	TPS     float64 `json:"tps"`
	Failed  int     `json:"failed"`
	Load1   float64 `json:"loadAverage1m"`
}

// ScalePoint is one probe query's latency at one ledger size.
type ScalePoint struct {
	Domain string `json:"domain"`
	Query  string `json:"query"`
	// Total is how many records of the domain the run had written.
	Total int `json:"total"`
	// Probe describes the record queried and its own size: "student with
	// 100 credits", ProbeRecords 100.
	Probe        string        `json:"probe"`
	ProbeRecords int           `json:"probeRecords"`
	PageSize     int32         `json:"pageSize,omitempty"`
	Latency      bench.Latency `json:"latency"`
	// BaselineGetP50 is the p50 of the channel's baseline Get, timed in
	// the same way just before: the unit the probe's cost is read in when
	// the machine's load varies between steps.
	BaselineGetP50 float64 `json:"baselineGetP50Ms"`
	Load1          float64 `json:"loadAverage1m"`
}

// ScaleReport is the result of a scaling run.
type ScaleReport struct {
	Started  time.Time    `json:"started"`
	Finished time.Time    `json:"finished"`
	RunID    string       `json:"runId"`
	Preloads []Preload    `json:"preloads"`
	Points   []ScalePoint `json:"points"`
	Notes    []string     `json:"notes,omitempty"`
}

// probeQuery is one query to time at every size.
type probeQuery struct {
	query        string
	probe        string
	probeRecords int
	pageSize     int32
	call         func(ctx context.Context) error
}

// scaleDomain is a domain's part of a scaling run.
type scaleDomain struct {
	name     string
	channel  string
	preload  bench.Op
	baseline *workload.Baseline
	probes   []probeQuery
}

// Scale runs a scaling experiment; it returns what it measured even when
// it stops on an error.
func Scale(ctx context.Context, env *workload.Env, cfg ScaleConfig) (*ScaleReport, error) {
	rep := &ScaleReport{Started: time.Now().UTC(), RunID: env.RunID}
	logf := func(format string, args ...any) {
		if cfg.Progress != nil {
			fmt.Fprintf(cfg.Progress, format+"\n", args...)
		}
	}
	sizes := slices.Clone(cfg.Sizes)
	slices.Sort(sizes)
	for _, name := range ScaleDomains {
		if len(cfg.Domains) > 0 && !slices.Contains(cfg.Domains, name) {
			continue
		}
		logf("%s: preparing probes", name)
		d, err := newScaleDomain(ctx, env, name, cfg.Workers)
		if err != nil {
			return rep, err
		}
		if _, err := d.baseline.Put(ctx, 0, 0); err != nil {
			return rep, fmt.Errorf("%s: baseline key: %w", name, err)
		}
		total := 0
		for _, size := range sizes {
			if size > total {
				p, err := preloadTo(ctx, d, cfg, total, size)
				rep.Preloads = append(rep.Preloads, p)
				total = p.Reached
				logf("%s: preloaded %d records (target %d) at %.0f tx/s, %d failed, load %.1f",
					name, total, size, p.TPS, p.Failed, p.Load1)
				if err != nil {
					return rep, err
				}
			}
			baseP50, err := timeQueryLatency(ctx, cfg.Reps, func(ctx context.Context) error { _, err := d.baseline.Get(ctx, 0, 0); return err })
			if err != nil {
				return rep, fmt.Errorf("%s: baseline get: %w", name, err)
			}
			for _, q := range d.probes {
				lat, err := timeQueryLatency(ctx, cfg.Reps, q.call)
				if err != nil {
					return rep, fmt.Errorf("%s: %s of %s: %w", name, q.query, q.probe, err)
				}
				pt := ScalePoint{Domain: name, Query: q.query, Total: total, Probe: q.probe, ProbeRecords: q.probeRecords,
					PageSize: q.pageSize, Latency: lat, BaselineGetP50: baseP50.P50, Load1: bench.LoadAverage()}
				rep.Points = append(rep.Points, pt)
				logf("  total %7d  %-20s %-28s page %3d  p50 %6.1f ms  p95 %6.1f ms  (baseline get p50 %.1f ms)",
					total, q.query, q.probe, q.pageSize, lat.P50, lat.P95, baseP50.P50)
			}
			if total < size {
				rep.Notes = append(rep.Notes, fmt.Sprintf("%s: the preload reached %d of %d records within %s; larger sizes were skipped",
					name, total, size, cfg.StepTimeout))
				break
			}
		}
	}
	rep.Finished = time.Now().UTC()
	return rep, nil
}

// preloadTo writes records until the domain has size of them or the
// step's time is up: a round for what is missing, then another for what
// failed, and so on.
func preloadTo(ctx context.Context, d *scaleDomain, cfg ScaleConfig, total, size int) (p Preload, err error) {
	p = Preload{Domain: d.name, Target: size, Reached: total}
	began := time.Now()
	deadline := began.Add(cfg.StepTimeout)
	defer func() {
		p.Seconds = time.Since(began).Seconds()
		p.TPS = float64(p.Reached-total) / max(p.Seconds, 1e-9)
		p.Load1 = bench.LoadAverage()
	}()
	for p.Reached < size && time.Until(deadline) > 0 {
		res, err := bench.Run(ctx, bench.Round{Name: "preload-" + d.name, Workers: cfg.Workers,
			Count: size - p.Reached, Duration: time.Until(deadline), Op: d.preload})
		if err != nil {
			return p, err
		}
		p.Reached += res.Succeeded
		p.Failed += res.Failed
		if res.Interrupted {
			return p, fmt.Errorf("%s preload: %w", d.name, context.Cause(ctx))
		}
		if res.Succeeded == 0 {
			return p, fmt.Errorf("%s preload: nothing succeeded (%s)", d.name, res.FailureSummary())
		}
	}
	return p, nil
}

// timeQueryLatency runs call reps times, one after the other, after one
// untimed warm-up call, and summarises the latencies.
func timeQueryLatency(ctx context.Context, reps int, call func(ctx context.Context) error) (bench.Latency, error) {
	if err := call(ctx); err != nil {
		return bench.Latency{}, err
	}
	latencies := make([]time.Duration, 0, reps)
	for range max(1, reps) {
		began := time.Now()
		if err := call(ctx); err != nil {
			return bench.Latency{}, err
		}
		latencies = append(latencies, time.Since(began))
	}
	return bench.Summarise(latencies), nil
}

func newScaleDomain(ctx context.Context, env *workload.Env, name string, workers int) (*scaleDomain, error) {
	switch name {
	case "education":
		return educationScale(ctx, env, workers)
	case "finance":
		return financeScale(ctx, env, workers)
	case "evidence":
		return evidenceScale(ctx, env)
	}
	return nil, fmt.Errorf("unknown scaling domain %q (have %v)", name, ScaleDomains)
}

// educationScale: filler credits for many students (200 per worker), and
// probe students with 1, 10 and 100 credits whose first transcript page is
// read with page sizes 10 and 100. A transcript whose first page does not
// hold it all is scanned in full for its totals, so its cost follows the
// student's credit count.
func educationScale(ctx context.Context, env *workload.Env, workers int) (*scaleDomain, error) {
	edu, err := workload.NewEducation(ctx, env, workers, 200)
	if err != nil {
		return nil, err
	}
	base, err := workload.NewBaseline(env, "UniversityA", consortium.EducationChannel)
	if err != nil {
		return nil, err
	}
	d := &scaleDomain{name: "education", channel: consortium.EducationChannel, preload: edu.RecordCredit,
		baseline: base}
	counts := []int{1, 10, 100}
	refs := make([]string, len(counts))
	err = workload.Parallel(ctx, len(counts), len(counts), func(ctx context.Context, i int) error {
		number := fmt.Sprintf("%s-PROBE%03d", env.RunID, counts[i])
		student, ref := workload.Student(number)
		refs[i] = ref
		for k := range counts[i] {
			if _, _, err := edu.Recorder().Education().RecordCredit(ctx, education.RecordCreditRequest{
				CreditID: fmt.Sprintf("%s-PC%03d-%03d", env.RunID, counts[i], k), StudentRef: ref, CourseCode: fmt.Sprintf("PROBE%03d", k),
				CourseTitle: "Probe course", CreditTenths: 30, Grade: "A", Term: "2026-autumn",
			}, student); err != nil {
				return fmt.Errorf("probe student with %d credits: %w", counts[i], err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i, n := range counts {
		for _, page := range []int32{10, 100} {
			ref, page := refs[i], page
			d.probes = append(d.probes, probeQuery{query: "GetTranscript", probe: fmt.Sprintf("student with %d credits", n),
				probeRecords: n, pageSize: page, call: func(ctx context.Context) error {
					_, err := edu.Recorder().Education().GetTranscript(ctx, ref, page, "")
					return err
				}})
		}
	}
	return d, nil
}

// financeScale: filler disbursements spread over 4 allocations per
// worker, and a probe appropriation with allocations of 10 and 100
// disbursements, traced with page sizes 10 and 100, plus one of their
// disbursements traced up.
func financeScale(ctx context.Context, env *workload.Env, workers int) (*scaleDomain, error) {
	fin, err := workload.NewFinance(ctx, env, workers, 4)
	if err != nil {
		return nil, err
	}
	base, err := workload.NewBaseline(env, "EduMinistry", consortium.FinanceChannel)
	if err != nil {
		return nil, err
	}
	d := &scaleDomain{name: "finance", channel: consortium.FinanceChannel, preload: fin.DisburseSpread,
		baseline: base}
	officer, err := env.SetupSession("FinanceBureau", consortium.RoleBudgetOfficer)
	if err != nil {
		return nil, err
	}
	counts := []int{10, 100}
	allocations, err := workload.AppropriateAndAllocate(ctx, officer, env.RunID+"-PPROBE", len(counts))
	if err != nil {
		return nil, err
	}
	lastPayment := make([]string, len(counts))
	err = workload.Parallel(ctx, len(counts), len(counts), func(ctx context.Context, i int) error {
		for k := range counts[i] {
			id := fmt.Sprintf("%s-PD%03d-%03d", env.RunID, counts[i], k)
			if _, _, err := fin.Retrying().Finance().Disburse(ctx, finance.DisburseRequest{
				DisbursementID: id, AllocationID: allocations[i],
				Payee:   finance.Payee{Name: "Example Publishing Ltd", RegistrationNumber: "HRB-12345"},
				Purpose: "Probe payment", ProcurementReference: "TED-2026-000002", InvoiceHash: workload.SHA256Hex([]byte(id)),
				Amount: workload.DisbursementAmount, Currency: "EUR", TransactionType: finance.TransactionDisbursement,
			}); err != nil {
				return fmt.Errorf("probe allocation with %d disbursements: %w", counts[i], err)
			}
			lastPayment[i] = id
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i, n := range counts {
		for _, page := range []int32{10, 100} {
			id, page := allocations[i], page
			d.probes = append(d.probes, probeQuery{query: "TraceAllocation", probe: fmt.Sprintf("allocation with %d payments", n),
				probeRecords: n, pageSize: page, call: func(ctx context.Context) error {
					_, err := fin.Accountant().Finance().TraceAllocation(ctx, id, page, "")
					return err
				}})
		}
	}
	payment := lastPayment[len(lastPayment)-1]
	d.probes = append(d.probes, probeQuery{query: "TraceDisbursement", probe: "payment of a 2-allocation budget line",
		probeRecords: 1, call: func(ctx context.Context) error {
			_, err := fin.Accountant().Finance().TraceDisbursement(ctx, payment)
			return err
		}})
	return d, nil
}

// evidenceScale: filler evidence in the run's case, and probe content
// submitted to 1 and to 10 cases, verified by hash.
func evidenceScale(ctx context.Context, env *workload.Env) (*scaleDomain, error) {
	evd, err := workload.NewEvidence(ctx, env)
	if err != nil {
		return nil, err
	}
	base, err := workload.NewBaseline(env, "InternetCourt", consortium.EvidenceChannel)
	if err != nil {
		return nil, err
	}
	d := &scaleDomain{name: "evidence", channel: consortium.EvidenceChannel, preload: evd.Submit,
		baseline: base}
	counts := []int{1, 10}
	for _, n := range counts {
		evidenceID := fmt.Sprintf("%s-PROBE%02d", env.RunID, n)
		err := workload.Parallel(ctx, n, n, func(ctx context.Context, i int) error {
			caseID := fmt.Sprintf("%s-PCASE%02d-%02d", env.RunID, n, i)
			if err := evd.OpenCase(ctx, caseID); err != nil {
				return err
			}
			// the same content in every case: one evidence ID per case
			_, err := evd.SubmitContent(ctx, caseID, fmt.Sprintf("%s-%02d", evidenceID, i), []byte("govload probe content "+evidenceID))
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("probe content in %d cases: %w", n, err)
		}
		digest := workload.SHA256Hex([]byte("govload probe content " + evidenceID))
		d.probes = append(d.probes, probeQuery{query: "VerifyEvidenceByHash", probe: fmt.Sprintf("content in %d cases", n),
			probeRecords: n, call: func(ctx context.Context) error { return evd.VerifyDigest(ctx, digest) }})
	}
	return d, nil
}

// errScaleUsage is returned for a scaling configuration without sizes.
var errScaleUsage = errors.New("a scaling run needs at least one size")

// Validate checks the configuration.
func (c ScaleConfig) Validate() error {
	if len(c.Sizes) == 0 {
		return errScaleUsage
	}
	for _, s := range c.Sizes {
		if s <= 0 {
			return fmt.Errorf("size %d: sizes are positive", s)
		}
	}
	for _, d := range c.Domains {
		if !slices.Contains(ScaleDomains, d) {
			return fmt.Errorf("unknown domain %q (have %v)", d, ScaleDomains)
		}
	}
	if c.Workers <= 0 || c.Reps <= 0 || c.StepTimeout <= 0 {
		return errors.New("workers, reps and the step timeout must be positive")
	}
	return nil
}
