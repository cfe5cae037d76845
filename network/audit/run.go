package audit

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// Channel is a channel to audit and the sources that hold it.
type Channel struct {
	Name    string
	Sources []Source
}

// Report is what an audit found.
type Report struct {
	Channels []ChannelReport `json:"channels"`
	// Findings lists everything found wrong, channel by channel, block by
	// block; none means every source that could be read holds the chain,
	// intact and correctly signed.
	Findings []Finding `json:"findings"`
	// State is the world state comparison, when one was made.
	State []StateComparison `json:"state,omitempty"`
}

// ChannelReport is one channel's audit.
type ChannelReport struct {
	Channel string `json:"channel"`
	// Blocks is how many blocks the chain has that the sources agree on
	// (the highest source's height, when none is wrong).
	Blocks uint64 `json:"blocks"`
	// Transactions counts the transactions checked; Invalid those the
	// peers marked invalid (kept in the chain, endorsements not checked).
	Transactions uint64         `json:"transactions"`
	Invalid      uint64         `json:"invalid"`
	Sources      []SourceReport `json:"sources"`
	Seconds      float64        `json:"seconds"`
}

// SourceReport is how far one source's blocks were read and checked.
type SourceReport struct {
	Name string `json:"name"`
	Peer bool   `json:"peer"`
	// Height is how many blocks it holds (read from it).
	Height uint64 `json:"height"`
	// Unreadable says why its blocks could not be read; it is not counted
	// as a finding (the node may be down), but it was not audited.
	Unreadable string `json:"unreadable,omitempty"`
	// Wrong says its copy was found wrong (see the findings).
	Wrong bool `json:"wrong,omitempty"`
}

// Clean reports whether the audit found nothing wrong.
func (r *Report) Clean() bool { return len(r.Findings) == 0 }

// Unread lists the sources that could not be read.
func (r *Report) Unread() []string {
	var out []string
	for _, ch := range r.Channels {
		for _, s := range ch.Sources {
			if s.Unreadable != "" {
				out = append(out, ch.Channel+"@"+s.Name)
			}
		}
	}
	return out
}

// Run audits each channel from every one of its sources, as reader.
func Run(ctx context.Context, channels []Channel, reader Reader) (*Report, error) {
	r := &Report{Findings: []Finding{}}
	for _, ch := range channels {
		cr, findings, err := auditChannel(ctx, ch, reader)
		if err != nil {
			return nil, err
		}
		r.Channels = append(r.Channels, *cr)
		r.Findings = append(r.Findings, findings...)
	}
	return r, nil
}

// auditChannel reads every source's blocks of a channel in step, one block
// number at a time, and checks them.
func auditChannel(ctx context.Context, ch Channel, reader Reader) (*ChannelReport, []Finding, error) {
	began := time.Now()
	cr := &ChannelReport{Channel: ch.Name}
	var streams []*blockStream
	reports := map[string]*SourceReport{}
	for _, src := range ch.Sources {
		cr.Sources = append(cr.Sources, SourceReport{Name: src.Name, Peer: src.Peer})
	}
	for i, src := range ch.Sources {
		reports[src.Name] = &cr.Sources[i]
		s, err := openStream(ctx, src, ch.Name, reader)
		if err != nil {
			cr.Sources[i].Unreadable = err.Error()
			continue
		}
		streams = append(streams, s)
	}
	defer func() {
		for _, s := range streams {
			s.close()
		}
	}()
	checker := NewChecker(ch.Name)
	var findings []Finding
	live := streams
	for len(live) > 0 {
		if err := ctx.Err(); err != nil {
			return nil, nil, fmt.Errorf("audit of %s: %w", ch.Name, err)
		}
		var copies []Copy
		var still []*blockStream
		for _, s := range live {
			b, err := s.next()
			switch {
			case errors.Is(err, errEnd):
				continue
			case err != nil:
				reports[s.source.Name].Unreadable = fmt.Sprintf("after block %d: %v", checker.Next(), err)
				continue
			}
			reports[s.source.Name].Height = checker.Next() + 1
			copies = append(copies, Copy{Source: s.source.Name, Peer: s.source.Peer, Block: b})
			still = append(still, s)
		}
		if len(copies) == 0 {
			break
		}
		found, ok := checker.Check(copies)
		findings = append(findings, found...)
		live = live[:0]
		for _, s := range still {
			if checker.Failed(s.source.Name) {
				reports[s.source.Name].Wrong = true
				s.cancel() // the first difference is what matters
				continue
			}
			live = append(live, s)
		}
		if !ok {
			break
		}
	}
	cr.Blocks, cr.Transactions, cr.Invalid = checker.Blocks, checker.Transactions, checker.Invalid
	cr.Seconds = time.Since(began).Seconds()
	return cr, findings, nil
}

// Describe writes the report for people: one paragraph a channel, then the
// findings.
func (r *Report) Describe(w io.Writer) {
	for _, ch := range r.Channels {
		fmt.Fprintf(w, "%s: %d blocks, %d transactions (%d marked invalid by the peers) checked in %.1fs\n",
			ch.Channel, ch.Blocks, ch.Transactions, ch.Invalid, ch.Seconds)
		for _, s := range ch.Sources {
			kind := "orderer"
			if s.Peer {
				kind = "peer"
			}
			switch {
			case s.Unreadable != "":
				fmt.Fprintf(w, "  %-7s %-40s NOT AUDITED: %s\n", kind, s.Name, s.Unreadable)
			case s.Wrong:
				fmt.Fprintf(w, "  %-7s %-40s WRONG (see below)\n", kind, s.Name)
			default:
				fmt.Fprintf(w, "  %-7s %-40s %d blocks, intact and as the others\n", kind, s.Name, s.Height)
			}
		}
	}
	for _, s := range r.State {
		s.Describe(w)
	}
	if r.Clean() {
		fmt.Fprintln(w, "no finding: every block read is intact, chained, signed by the ordering service and its transactions by members of the configuration in force")
		return
	}
	fmt.Fprintf(w, "%d finding(s):\n", len(r.Findings))
	for _, f := range r.Findings {
		fmt.Fprintln(w, "  "+strings.TrimSpace(f.String()))
	}
}
