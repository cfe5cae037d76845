package ledgertest

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"

	"github.com/govshare/govshare/chaincode/foundation"
)

// Refusal is how a transaction must be refused: its error wraps Sentinel
// and its message contains each of Phrases.
type Refusal struct {
	Sentinel error
	Phrases  []string
}

// Refused returns the Refusal of an error that wraps sentinel and whose
// message contains every phrase.
func Refused(sentinel error, phrases ...string) Refusal {
	return Refusal{Sentinel: sentinel, Phrases: phrases}
}

// RequireRefused runs call — transactions on l — and reports an error to tb
// unless call returns an error as want says and leaves l as it was: no
// state, private data, endorsement policy, history or event changed (see
// Diff). It returns call's error for further checks.
//
//	l.RequireRefused(t, ledgertest.Refused(foundation.ErrAccessDenied, "RecordCredit called by OversightMSP"), func() error {
//		_, err := inspector.Invoke(cc, "RecordCredit", request)
//		return err
//	})
func (l *Ledger) RequireRefused(tb testing.TB, want Refusal, call func() error) error {
	tb.Helper()
	before := l.Snapshot()
	err := call()
	switch {
	case err == nil:
		tb.Errorf("the call succeeded; want a refusal wrapping %v", want.Sentinel)
	default:
		if want.Sentinel != nil && !errors.Is(err, want.Sentinel) {
			tb.Errorf("refusal %q does not wrap %v", err, want.Sentinel)
		}
		for _, p := range want.Phrases {
			if !strings.Contains(err.Error(), p) {
				tb.Errorf("refusal %q does not say %q", err, p)
			}
		}
	}
	if diff := l.Diff(before); len(diff) > 0 {
		tb.Errorf("a refused call must write nothing, but: %s", strings.Join(diff, "; "))
	}
	return err
}

// RefusalCase is one row of a table of refused calls: what the row tests,
// the call (transactions on the ledger) and how it must be refused.
type RefusalCase struct {
	Name string
	Call func() error
	Want Refusal
}

// RunRefusals runs each case as a subtest of t named after it, and checks
// with RequireRefused that its call is refused as it wants and writes
// nothing.
//
//	f.l.RunRefusals(t, []ledgertest.RefusalCase{
//		{Name: "oversight inspector", Call: record(inspector), Want: ledgertest.Refused(foundation.ErrAccessDenied, "OversightMSP")},
//	})
func (l *Ledger) RunRefusals(t *testing.T, cases []RefusalCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) { l.RequireRefused(t, tc.Want, tc.Call) })
	}
}

// ChangeSummary lists the changes of a transaction's event, one line each:
// the operation, the collection of a private write, the object type, the
// key's attributes joined by "/" and the organisations of a new key-level
// endorsement policy joined by ",", each left out when empty:
// "create evd.case IC-1 InternetCourtMSP,NotaryOfficeMSP".
func ChangeSummary(ev foundation.Event) []string {
	var out []string
	for _, c := range ev.Changes {
		parts := []string{c.Op}
		for _, p := range []string{c.Collection, c.ObjectType, strings.Join(c.Attributes, "/"), strings.Join(c.Endorsers, ",")} {
			if p != "" {
				parts = append(parts, p)
			}
		}
		out = append(out, strings.Join(parts, " "))
	}
	return out
}

// TransactionNames returns the transaction functions that contract, a
// contract of the chaincode cc, exposes, sorted, as the chaincode's
// metadata (org.hyperledger.fabric:GetMetadata, queried as c) lists them.
// Tests that must cover every function compare their list with it.
func (c *Client) TransactionNames(cc shim.Chaincode, contract string) ([]string, error) {
	payload, err := c.Query(cc, "org.hyperledger.fabric:GetMetadata")
	if err != nil {
		return nil, fmt.Errorf("read chaincode metadata: %w", err)
	}
	var meta struct {
		Contracts map[string]struct {
			Transactions []struct {
				Name string `json:"name"`
			} `json:"transactions"`
		} `json:"contracts"`
	}
	if err := json.Unmarshal(payload, &meta); err != nil {
		return nil, fmt.Errorf("decode chaincode metadata: %w", err)
	}
	described, ok := meta.Contracts[contract]
	if !ok {
		return nil, fmt.Errorf("the chaincode has no contract %q", contract)
	}
	names := make([]string, 0, len(described.Transactions))
	for _, tx := range described.Transactions {
		names = append(names, tx.Name)
	}
	slices.Sort(names)
	return names, nil
}
