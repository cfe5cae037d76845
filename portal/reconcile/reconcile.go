package reconcile

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"reflect"

	govclient "github.com/govshare/govshare/gateway-client"
	"github.com/govshare/govshare/portal/store"
)

// Check is one comparison and its outcome.
type Check struct {
	What string `json:"what"`
	OK   bool   `json:"ok"`
	// Detail says what differs, or what was compared.
	Detail string `json:"detail"`
}

// Report is every check of a reconciliation.
type Report struct {
	Checks []Check `json:"checks"`
}

// Differences counts the failed checks.
func (r *Report) Differences() int {
	n := 0
	for _, c := range r.Checks {
		if !c.OK {
			n++
		}
	}
	return n
}

// Print writes the report, one line a check.
func (r *Report) Print(w io.Writer) {
	for _, c := range r.Checks {
		mark := "ok  "
		if !c.OK {
			mark = "DIFF"
		}
		fmt.Fprintf(w, "%s %s: %s\n", mark, c.What, c.Detail)
	}
	fmt.Fprintf(w, "%d checks, %d differences\n", len(r.Checks), r.Differences())
}

func (r *Report) add(what string, ok bool, format string, args ...any) {
	r.Checks = append(r.Checks, Check{What: what, OK: ok, Detail: fmt.Sprintf(format, args...)})
}

// Run reconciles the read model q with the ledger as session reads it, on
// channels, checking up to sample records of each kind.
func Run(ctx context.Context, q store.Queries, session *govclient.Session, channels []string, sample int) (*Report, error) {
	r := &Report{}
	states, err := q.Channels(ctx)
	if err != nil {
		return nil, err
	}
	byName := map[string]store.ChannelState{}
	for _, st := range states {
		byName[st.Channel] = st
	}
	for _, ch := range channels {
		if err := r.channel(ctx, q, session, ch, byName[ch]); err != nil {
			return nil, err
		}
	}
	if err := r.finance(ctx, q, session, sample); err != nil {
		return nil, err
	}
	if err := r.education(ctx, q, session, sample); err != nil {
		return nil, err
	}
	if err := r.evidence(ctx, q, session, sample); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *Report) channel(ctx context.Context, q store.Queries, session *govclient.Session, ch string, st store.ChannelState) error {
	info, err := session.ChainInfo(ctx, ch, "")
	if err != nil {
		r.add(ch+" height", false, "the ledger cannot be read: %v", err)
		return nil
	}
	r.add(ch+" height", st.NextBlock <= info.Height, "read model at %d blocks, ledger at %d", st.NextBlock, info.Height)
	if st.NextBlock == 0 {
		r.add(ch+" last block", false, "the read model holds no block of %s", ch)
		return nil
	}
	last := st.NextBlock - 1
	block, err := session.Block(ctx, ch, last)
	if err != nil {
		r.add(ch+" last block", false, "read block %d from the ledger: %v", last, err)
		return nil
	}
	r.add(fmt.Sprintf("%s block %d hash", ch, last), block.Hash == st.LastHash, "read model %s, ledger %s", short(st.LastHash), short(block.Hash))
	detail, err := q.Block(ctx, ch, last)
	if err != nil {
		return err
	}
	r.add(fmt.Sprintf("%s block %d transactions", ch, last), len(detail.Transactions) == len(block.Transactions),
		"read model %d, ledger %d", len(detail.Transactions), len(block.Transactions))
	if st.NextBlock == info.Height {
		r.add(ch+" newest block hash", info.CurrentBlockHash == st.LastHash, "read model %s, ledger %s", short(st.LastHash), short(info.CurrentBlockHash))
	}
	return nil
}

func (r *Report) finance(ctx context.Context, q store.Queries, session *govclient.Session, sample int) error {
	years, err := q.FiscalYears(ctx)
	if err != nil {
		return err
	}
	for _, y := range years {
		ours, err := q.SpendingSummary(ctx, y)
		if err != nil {
			return err
		}
		theirs, err := session.Finance().GetSpendingSummary(ctx, y)
		if err != nil {
			r.add(fmt.Sprintf("spending summary %d", y), false, "the contract did not answer: %v", err)
			continue
		}
		r.same(fmt.Sprintf("spending summary %d", y), ours, theirs)
	}
	lines, _, err := q.Disbursements(ctx, store.DisbursementFilter{}, store.Page{Limit: sample})
	if err != nil {
		return err
	}
	for _, l := range lines {
		id := l.Disbursement.DisbursementID
		trace, err := session.Finance().TraceDisbursement(ctx, id)
		if err != nil {
			r.add("disbursement "+id, false, "the contract did not answer: %v", err)
			continue
		}
		r.same("disbursement "+id, l.Disbursement, trace.Disbursement)
		r.same("reversal of disbursement "+id, l.Reversal, trace.Reversal)
	}
	return nil
}

func (r *Report) education(ctx context.Context, q store.Queries, session *govclient.Session, sample int) error {
	page, err := session.Education().ListLearningResources(ctx, int32(sample), "")
	if err == nil {
		for _, res := range page.Resources {
			v, err := q.Verify(ctx, res.ContentHash)
			if err != nil {
				return err
			}
			ok := len(v.Resources) == 1
			if ok {
				r.same("learning resource "+short(res.ContentHash), v.Resources[0].Value, res)
			} else {
				r.add("learning resource "+short(res.ContentHash), false, "the read model does not have it")
			}
		}
	}
	acc, err := q.Accreditations(ctx)
	if err != nil {
		return err
	}
	for _, a := range acc {
		theirs, err := session.Education().GetAccreditation(ctx, a.Value.MSPID)
		if err != nil {
			r.add("accreditation "+a.Value.MSPID, false, "the contract did not answer: %v", err)
			continue
		}
		r.same("accreditation "+a.Value.MSPID, a.Value, *theirs)
	}
	return nil
}

func (r *Report) evidence(ctx context.Context, q store.Queries, session *govclient.Session, sample int) error {
	cases, _, err := q.Cases(ctx, store.Page{Limit: sample})
	if err != nil {
		return err
	}
	for _, c := range cases {
		id := c.Case.CaseID
		summary, err := session.Evidence().GetCaseSummary(ctx, id, 100, "")
		if err != nil {
			r.add("case "+id, false, "the contract did not answer: %v", err)
			continue
		}
		r.same("case "+id, c.Case, summary.Case)
		detail, err := q.Case(ctx, id)
		if err != nil {
			return err
		}
		r.add("evidence of case "+id, len(detail.Evidence) == len(summary.Evidence), "read model %d items, contract %d", len(detail.Evidence), len(summary.Evidence))
		for _, e := range detail.Evidence {
			theirs, err := session.Evidence().GetEvidence(ctx, e.Value.EvidenceID)
			if err != nil {
				r.add("evidence "+e.Value.EvidenceID, false, "the contract did not answer: %v", err)
				continue
			}
			r.same("evidence "+e.Value.EvidenceID, e.Value, *theirs)
		}
	}
	return nil
}

// same compares two records as JSON, which is how both were stored and
// answered.
func (r *Report) same(what string, ours, theirs any) {
	a, errA := json.Marshal(ours)
	b, errB := json.Marshal(theirs)
	var va, vb any
	if errA == nil && errB == nil && json.Unmarshal(a, &va) == nil && json.Unmarshal(b, &vb) == nil && reflect.DeepEqual(va, vb) {
		r.add(what, true, "same in the read model and through the contract")
		return
	}
	r.add(what, false, "read model %s, contract %s", a, b)
}

func short(h string) string {
	if len(h) > 16 {
		return h[:16]
	}
	return h
}
