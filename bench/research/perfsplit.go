package research

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/govshare/govshare/bench"
)

// A PeerCost is one part of what a transaction costs the peers, named by
// the Fabric functions whose call stacks make it up. Parts overlap: a
// sample counts towards every part one of whose functions is on its stack
// (ECDSA verification, for example, is also part of validation).
type PeerCost struct {
	Name string
	// Frames are substrings of function names; a sample whose stack holds
	// one of them counts.
	Frames []string
	// leafOnly counts samples whose stack is a single frame matching
	// Frames: perf loses the callers of Go's P-256 assembly, which uses
	// the frame pointer register for arithmetic.
	leafOnly bool
}

// PeerCosts are the parts PeerProfile reports, for Fabric 3.1's peer.
var PeerCosts = []PeerCost{
	{Name: "endorsement: proposal checks, ACL, signing", Frames: []string{"endorser.(*Endorser).preProcess", "EndorseWithPlugin"}},
	{Name: "endorsement: simulation with the chaincode", Frames: []string{"endorser.(*Endorser).simulateProposal"}},
	{Name: "  private data dissemination plan and push", Frames: []string{"GossipService).DistributePrivateData"}},
	{Name: "  transient store (own simulation and pushed data)", Frames: []string{"transientstore.(*Store).Persist"}},
	{Name: "gateway: endorsement plan from discovery", Frames: []string{"gateway.(*registry).endorsementPlan"}},
	{Name: "validation (signatures, policies, read sets)", Frames: []string{"txvalidator/v20.(*TxValidator).validateTx"}},
	{Name: "  key-level validation parameter lookups", Frames: []string{"GetValidationParameterForKey"}},
	{Name: "commit (blocks, state, private data store)", Frames: []string{"kvLedger).commit"}},
	{Name: "receiving pushed private data", Frames: []string{"GossipStateProviderImpl).privateDataMessage"}},
	{Name: "chaincode definition reads (collection configs)", Frames: []string{"lifecycle.(*Resources).ChaincodeDefinitionIfDefined"}},
	{Name: "state database lookups (LevelDB Get)", Frames: []string{"goleveldb/leveldb.(*DB).Get"}},
	{Name: "LevelDB compaction (background)", Frames: []string{"goleveldb/leveldb.(*DB).tCompaction", "goleveldb/leveldb.(*DB).mCompaction"}},
	{Name: "ECDSA verification (attributed)", Frames: []string{"crypto/ecdsa.Verify"}},
	{Name: "P-256 assembly, caller lost", Frames: []string{"p256", "nistec."}, leafOnly: true},
}

// PerfSample is one sample of `perf script -F time,ip,sym`: when it was
// taken and the functions on its stack, innermost first.
type PerfSample struct {
	Time   time.Time
	Frames []string
}

// ReadPerfScript reads the output of `perf script -F time,ip,sym` of a
// recording made with `-k CLOCK_REALTIME` (sample times are then Unix
// times) and calls visit for each sample.
func ReadPerfScript(r io.Reader, visit func(PerfSample)) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1024*1024), 1024*1024)
	var cur *PerfSample
	flush := func() {
		if cur != nil {
			visit(*cur)
			cur = nil
		}
	}
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		switch {
		case text == "":
			flush()
		case strings.HasSuffix(text, ":") && !strings.Contains(text, " "):
			flush()
			at, err := parseSampleTime(strings.TrimSuffix(text, ":"))
			if err != nil {
				return fmt.Errorf("perf script line %d: sample time %q: %w", line, text, err)
			}
			cur = &PerfSample{Time: at}
		case cur != nil:
			// "<address> <symbol>"; the symbol may hold spaces
			if _, sym, ok := strings.Cut(text, " "); ok {
				cur.Frames = append(cur.Frames, sym)
			}
		default:
			return fmt.Errorf("perf script line %d: %q is not in a sample (record with -g, print with -F time,ip,sym)", line, text)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read perf script: %w", err)
	}
	flush()
	return nil
}

// parseSampleTime parses "seconds.fraction" exactly (a float would round
// the nanoseconds).
func parseSampleTime(text string) (time.Time, error) {
	whole, frac, _ := strings.Cut(text, ".")
	secs, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return time.Time{}, err
	}
	if len(frac) > 9 {
		frac = frac[:9]
	}
	var nanos int64
	if frac != "" {
		if nanos, err = strconv.ParseInt(frac+strings.Repeat("0", 9-len(frac)), 10, 64); err != nil {
			return time.Time{}, err
		}
	}
	return time.Unix(secs, nanos), nil
}

// matches reports whether sample s counts towards c.
func (c PeerCost) matches(s PerfSample) bool {
	if c.leafOnly {
		if len(s.Frames) != 1 {
			return false
		}
		return containsAny(s.Frames[0], c.Frames)
	}
	for _, f := range s.Frames {
		if containsAny(f, c.Frames) {
			return true
		}
	}
	return false
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// PeerProfile is what the peers spent per transaction during one round.
type PeerProfile struct {
	Round string
	// Samples is how many samples fell in the round's window.
	Samples int
	// TotalMs and PartsMs are peer CPU milliseconds per successful
	// transaction, in all and for each of PeerCosts.
	TotalMs float64
	PartsMs []float64
}

// ProfileRounds reads `perf script -F time,ip,sym` output from script
// (see ReadPerfScript), samples taken at hz per second of CPU, and
// attributes them to the write rounds of rep they fall in, leaving out
// margin at each end of a round (its ramp-up and tail). It divides by the
// transactions the round committed in that window: its throughput times
// the window.
func ProfileRounds(rep *bench.Report, script io.Reader, hz float64, margin time.Duration) ([]PeerProfile, error) {
	type window struct {
		from, to time.Time
		txs      float64
		profile  PeerProfile
	}
	var windows []*window
	for _, r := range rep.Rounds {
		if r.Kind != bench.Write || r.Succeeded == 0 || r.Started.IsZero() {
			continue
		}
		from, to := r.Started.Add(margin), r.Finished.Add(-margin)
		if !to.After(from) {
			continue
		}
		windows = append(windows, &window{from: from, to: to, txs: r.TPS * to.Sub(from).Seconds(),
			profile: PeerProfile{Round: r.Name, PartsMs: make([]float64, len(PeerCosts))}})
	}
	err := ReadPerfScript(script, func(s PerfSample) {
		for _, w := range windows {
			if s.Time.Before(w.from) || !s.Time.Before(w.to) {
				continue
			}
			w.profile.Samples++
			for i, c := range PeerCosts {
				if c.matches(s) {
					w.profile.PartsMs[i]++
				}
			}
		}
	})
	if err != nil {
		return nil, err
	}
	var out []PeerProfile
	for _, w := range windows {
		if w.txs <= 0 || w.profile.Samples == 0 {
			continue
		}
		perSample := 1000 / hz / w.txs
		w.profile.TotalMs = float64(w.profile.Samples) * perSample
		for i := range w.profile.PartsMs {
			w.profile.PartsMs[i] *= perSample
		}
		out = append(out, w.profile)
	}
	return out, nil
}

// WriteProfiles prints profiles as a table: one row per part of PeerCosts,
// one column per round.
func WriteProfiles(w io.Writer, profiles []PeerProfile) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "peer CPU ms per transaction\t")
	for _, p := range profiles {
		fmt.Fprintf(tw, "%s\t", p.Round)
	}
	fmt.Fprint(tw, "\nall samples\t")
	for _, p := range profiles {
		fmt.Fprintf(tw, "%.2f\t", p.TotalMs)
	}
	fmt.Fprintln(tw)
	for i, c := range PeerCosts {
		fmt.Fprintf(tw, "%s\t", c.Name)
		for _, p := range profiles {
			fmt.Fprintf(tw, "%.2f\t", p.PartsMs[i])
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}
