package workload

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"

	"github.com/govshare/govshare/bench"
	"github.com/govshare/govshare/chaincode/benchprobe"
	"github.com/govshare/govshare/chaincode/consortium"
	govclient "github.com/govshare/govshare/gateway-client"
)

// A twin is the baseline's PutShaped write with the footprint of one
// domain write (see benchprobe.Shape and Footprint): the same public reads,
// new and updated keys, key-level policies, private reads and writes and
// event, of about the same sizes. Measured next to its domain write, the
// twin's ratio to the blind write is what the network charges for the
// footprint; the domain write's ratio to its twin is what the contract's
// own logic costs.
type twin struct {
	// write names the domain write round the twin stands for.
	write string
	// shape returns the shape of the n-th operation of worker, whose new
	// keys are under key.
	shape func(key string, worker, n int) benchprobe.Shape
	// private is the private value written, nil for none.
	private []byte
}

// Names of the keys the twins read and update; prepareTwins writes them.
const (
	twinExisting = "twin-existing" // Put's key, read by every twin that reads an existing record
	twinOnFile   = "twin-on-file"  // PutShaped's private value, whose hash the on-file twin reads
)

// twinStudent is the private value of the credits' twins: a student's
// record in StudentPII is about this long.
var twinStudent = []byte(strings.Repeat("s", 230))

// twinNote is the note of the twin round of write.
func twinNote(write string) string {
	return "the baseline's write with the footprint of " + write + " and no domain logic"
}

// twinTotal names the worker's n-th running total, which the
// disbursement's twin reads and writes again as a disbursement does its
// allocation's spending.
func twinTotal(worker, n int) string { return fmt.Sprintf("twin-total-w%03d-%d", worker, n) }

// twinTotals is how many running totals a worker cycles over, as each
// worker of disburse-spread pays against 4 allocations of its own.
const twinTotals = 4

// missing names a key no one writes: the read of a record that does not
// exist yet, as a contract checks an ID is new.
func missing(key, what string) string { return key + "-no-" + what }

// twinsOf returns the twins of a channel's main writes, with the sizes of
// this commit's records (checked against the real transactions by
// CompareTwins).
func twinsOf(channel string) []twin {
	eduGuard := consortium.UniversityAMSP + "," + consortium.EduMinistryMSP
	switch channel {
	case consortium.EducationChannel:
		credit := func(key string, privateRead string, event int) benchprobe.Shape {
			return benchprobe.Shape{
				Reads:       []string{twinExisting, missing(key, "locator")}, // accreditation, credit locator
				PrivateRead: privateRead, Collection: consortium.BaselineCollection,
				Writes: []int{90, 420}, Guard: eduGuard, EventBytes: event, ResponseBytes: 440, // locator, transcript entry; the credit
			}
		}
		return []twin{
			{write: "record-credit-new-student", private: twinStudent,
				shape: func(key string, _, _ int) benchprobe.Shape { return credit(key, key, 850) }},
			{write: "record-credit",
				shape: func(key string, _, _ int) benchprobe.Shape { return credit(key, twinOnFile, 680) }},
			{write: "recognise-credit", shape: func(key string, _, _ int) benchprobe.Shape {
				return benchprobe.Shape{
					// accreditation and locator; then the credit and the
					// university's recognition, under the student the
					// locator names
					Reads:      []string{twinExisting, twinExisting + "-1"},
					LaterReads: []string{twinExisting + "-2", missing(key, "recognition")},
					Writes:     []int{400}, Guard: consortium.UniversityBMSP + "," + consortium.EduMinistryMSP, EventBytes: 580, ResponseBytes: 390,
				}
			}},
		}
	case consortium.FinanceChannel:
		return []twin{{write: "disburse-spread", shape: func(key string, worker, n int) benchprobe.Shape {
			return benchprobe.Shape{
				Reads:   []string{twinExisting, missing(key, "locator")},             // allocation, disbursement locator
				Updates: []string{twinTotal(worker, n%twinTotals)}, UpdateBytes: 300, // the allocation's spending
				Writes: []int{80, 700}, EventBytes: 655, ResponseBytes: 745, // locator, disbursement
			}
		}}}
	case consortium.EvidenceChannel:
		return []twin{{write: "submit-evidence", private: []byte(strings.Repeat("e", 300)), shape: func(key string, _, _ int) benchprobe.Shape {
			return benchprobe.Shape{
				Reads:       []string{twinExisting, missing(key, "locator"), missing(key, "hash")}, // case, locator, content digest
				PrivateRead: key, Collection: consortium.BaselineCollection,
				Writes: []int{700, 55, 58}, Guard: consortium.InternetCourtMSP + "," + consortium.NotaryOfficeMSP, EventBytes: 940, ResponseBytes: 750,
			}
		}}}
	}
	return nil
}

// prepareTwins writes what the twins of the channel read: the existing
// records, on education-credit a private value on file, and where a twin
// updates running totals, every worker's.
func (b *Baseline) prepareTwins(ctx context.Context, workers int) error {
	for _, key := range []string{twinExisting, twinExisting + "-1", twinExisting + "-2"} {
		if _, err := b.session.Submit(ctx, b.channel, ProbeChaincode, "Put", key, baselineValue); err != nil {
			return fmt.Errorf("prepare twins: %w", err)
		}
	}
	if b.channel == consortium.EducationChannel { // only the on-file credit's twin reads a private value
		onFile := benchprobe.Shape{Writes: []int{1}, Collection: consortium.BaselineCollection}
		if _, err := b.putShaped(ctx, twinOnFile, onFile, twinStudent); err != nil {
			return fmt.Errorf("prepare twins: %w", err)
		}
	}
	var totals []string
	for _, t := range twinsOf(b.channel) {
		if len(t.shape("k", 0, 0).Updates) == 0 {
			continue
		}
		for w := range workers {
			for n := range twinTotals {
				totals = append(totals, twinTotal(w, n))
			}
		}
		break
	}
	for len(totals) > 0 {
		batch := totals[:min(len(totals), benchprobe.MaxShapeKeys)]
		totals = totals[len(batch):]
		if _, err := b.putShaped(ctx, "twin-totals", benchprobe.Shape{Updates: batch, UpdateBytes: 300}, nil); err != nil {
			return fmt.Errorf("prepare twins: %w", err)
		}
	}
	return nil
}

// Twin returns the operation of t: a PutShaped under a key new to each
// operation; a twin that updates running totals takes the worker's next
// one in turn.
func (b *Baseline) Twin(t twin) bench.Op {
	var (
		mu   sync.Mutex
		next = make(map[int]int)
	)
	return func(ctx context.Context, worker, seq int) (int, error) {
		mu.Lock()
		n := next[worker]
		next[worker]++
		mu.Unlock()
		return attemptsOf(b.twinOnce(ctx, t, worker, n))
	}
}

// twinOnce submits the n-th operation of worker of twin t.
func (b *Baseline) twinOnce(ctx context.Context, t twin, worker, n int) (*govclient.Result, error) {
	key := fmt.Sprintf("%s-%s-t%07d", b.env.RunID, b.channel, b.ids.Add(1))
	return b.putShaped(ctx, key, t.shape(key, worker, n), t.private)
}

// putShaped submits a PutShaped of shape under key, with private as its
// private value when not nil.
func (b *Baseline) putShaped(ctx context.Context, key string, shape benchprobe.Shape, private []byte) (*govclient.Result, error) {
	data, err := json.Marshal(shape)
	if err != nil {
		return nil, fmt.Errorf("encode shape: %w", err)
	}
	var transient map[string][]byte
	if private != nil {
		transient = map[string][]byte{benchprobe.TransientPrivate: private}
	}
	return b.session.SubmitPrivate(ctx, b.channel, ProbeChaincode, "PutShaped", transient, key, string(data))
}

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
func CompareTwins(ctx context.Context, env *Env, channels []string) ([]TwinFootprints, error) {
	var out []TwinFootprints
	for _, ch := range Channels {
		if len(channels) > 0 && !slices.Contains(channels, ch) {
			continue
		}
		base, writes, err := oneOfEach(ctx, env, ch)
		if err != nil {
			return out, fmt.Errorf("%s: %w", ch, err)
		}
		if err := base.prepareTwins(ctx, 1); err != nil {
			return out, fmt.Errorf("%s: %w", ch, err)
		}
		for _, t := range twinsOf(ch) {
			write, ok := writes[t.write]
			if !ok {
				return out, fmt.Errorf("%s: no write %s to compare its twin with", ch, t.write)
			}
			twinResult, err := base.twinOnce(ctx, t, 0, 0)
			if err != nil {
				return out, fmt.Errorf("%s: %s: %w", ch, bench.TwinName(t.write), err)
			}
			tf := TwinFootprints{Write: t.write, Channel: ch}
			if tf.Domain, err = TransactionFootprint(ctx, base.session, ch, write.TransactionID); err != nil {
				return out, fmt.Errorf("%s: %s: %w", ch, t.write, err)
			}
			if tf.Twin, err = TransactionFootprint(ctx, base.session, ch, twinResult.TransactionID); err != nil {
				return out, fmt.Errorf("%s: %s: %w", ch, bench.TwinName(t.write), err)
			}
			out = append(out, tf)
		}
	}
	return out, nil
}

// oneOfEach prepares a channel's workload for one worker and commits one
// of each of its main writes, by round name, with the channel's baseline.
func oneOfEach(ctx context.Context, env *Env, channel string) (*Baseline, map[string]*govclient.Result, error) {
	writes := map[string]*govclient.Result{}
	var err error
	switch channel {
	case consortium.EducationChannel:
		edu, e := NewEducation(ctx, env, 1, 1)
		if e != nil {
			return nil, nil, e
		}
		if writes["record-credit-new-student"], err = edu.newStudentCredit(ctx, 0, 0); err != nil {
			return nil, nil, fmt.Errorf("record-credit-new-student: %w", err)
		}
		if writes["record-credit"], err = edu.onFileCredit(ctx, 0, 1); err != nil {
			return nil, nil, fmt.Errorf("record-credit: %w", err)
		}
		if writes["recognise-credit"], err = edu.recogniseCredit(ctx); err != nil {
			return nil, nil, fmt.Errorf("recognise-credit: %w", err)
		}
		base, err := NewBaseline(env, "UniversityA", channel)
		return base, writes, err
	case consortium.FinanceChannel:
		fin, e := NewFinance(ctx, env, 1, 1)
		if e != nil {
			return nil, nil, e
		}
		if writes["disburse-spread"], err = fin.disburseOnce(ctx, fin.accountant, fin.allocations[0][0], "DS"); err != nil {
			return nil, nil, fmt.Errorf("disburse-spread: %w", err)
		}
		base, err := NewBaseline(env, "EduMinistry", channel)
		return base, writes, err
	case consortium.EvidenceChannel:
		evd, e := NewEvidence(ctx, env)
		if e != nil {
			return nil, nil, e
		}
		id := fmt.Sprintf("%s-E%07d", env.RunID, evd.ids.Add(1))
		if writes["submit-evidence"], err = evd.submitContent(ctx, evd.caseID, id, []byte("govload evidence "+id+": chat export of the seller's final offer")); err != nil {
			return nil, nil, fmt.Errorf("submit-evidence: %w", err)
		}
		base, err := NewBaseline(env, "InternetCourt", channel)
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
