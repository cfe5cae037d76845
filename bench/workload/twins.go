package workload

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/govshare/govshare/bench"
	"github.com/govshare/govshare/chaincode/benchprobe"
	"github.com/govshare/govshare/chaincode/consortium"
	govclient "github.com/govshare/govshare/gateway-client"
)

// A Twin is the baseline's PutShaped write with the footprint of one
// domain write (see benchprobe.Shape, and research.Footprint for the check): the same public reads,
// new and updated keys, key-level policies, private reads and writes and
// event, of about the same sizes. Measured next to its domain write, the
// twin's ratio to the blind write is what the network charges for the
// footprint; the domain write's ratio to its twin is what the contract's
// own logic costs.
type Twin struct {
	// Write names the domain write round the twin stands for.
	Write string
	// shape returns the shape of the n-th operation of worker, whose new
	// keys are under key.
	shape func(key string, worker, n int) benchprobe.Shape
	// private is the private value written, nil for none.
	private []byte
}

// Names of the keys the twins read and update; PrepareTwins writes them.
const (
	twinExisting = "twin-existing" // Put's key, read by every twin that reads an existing record
	twinOnFile   = "twin-on-file"  // PutShaped's private value, whose hash the on-file twin reads
)

// twinStudent is the private value of the credits' twins: a student's
// record in StudentPII is about this long.
var twinStudent = []byte(strings.Repeat("s", 230))

// TwinNote is the note of the twin round of write.
func TwinNote(write string) string {
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

// TwinsOf returns the twins of a channel's main writes, with the sizes of
// this commit's records (checked against the real transactions by
// research.CompareTwins).
func TwinsOf(channel string) []Twin {
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
		return []Twin{
			{Write: "record-credit-new-student", private: twinStudent,
				shape: func(key string, _, _ int) benchprobe.Shape { return credit(key, key, 850) }},
			{Write: "record-credit",
				shape: func(key string, _, _ int) benchprobe.Shape { return credit(key, twinOnFile, 680) }},
			{Write: "recognise-credit", shape: func(key string, _, _ int) benchprobe.Shape {
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
		return []Twin{{Write: "disburse-spread", shape: func(key string, worker, n int) benchprobe.Shape {
			return benchprobe.Shape{
				Reads:   []string{twinExisting, missing(key, "locator")},             // allocation, disbursement locator
				Updates: []string{twinTotal(worker, n%twinTotals)}, UpdateBytes: 300, // the allocation's spending
				Writes: []int{80, 700}, EventBytes: 655, ResponseBytes: 745, // locator, disbursement
			}
		}}}
	case consortium.EvidenceChannel:
		return []Twin{{Write: "submit-evidence", private: []byte(strings.Repeat("e", 300)), shape: func(key string, _, _ int) benchprobe.Shape {
			return benchprobe.Shape{
				Reads:       []string{twinExisting, missing(key, "locator"), missing(key, "hash")}, // case, locator, content digest
				PrivateRead: key, Collection: consortium.BaselineCollection,
				Writes: []int{700, 55, 58}, Guard: consortium.InternetCourtMSP + "," + consortium.NotaryOfficeMSP, EventBytes: 940, ResponseBytes: 750,
			}
		}}}
	}
	return nil
}

// PrepareTwins writes what the twins of the channel read: the existing
// records, on education-credit a private value on file, and where a twin
// updates running totals, every worker's.
func (b *Baseline) PrepareTwins(ctx context.Context, workers int) error {
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
	for _, t := range TwinsOf(b.channel) {
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
func (b *Baseline) Twin(t Twin) bench.Op {
	var (
		mu   sync.Mutex
		next = make(map[int]int)
	)
	return func(ctx context.Context, worker, seq int) (int, error) {
		mu.Lock()
		n := next[worker]
		next[worker]++
		mu.Unlock()
		return attemptsOf(b.SubmitTwin(ctx, t, worker, n))
	}
}

// SubmitTwin submits the n-th operation of worker of twin t and returns
// its commit.
func (b *Baseline) SubmitTwin(ctx context.Context, t Twin, worker, n int) (*govclient.Result, error) {
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
