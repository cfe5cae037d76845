package finance_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/govshare/govshare/chaincode/finance"
	"github.com/govshare/govshare/chaincode/foundation"
	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

// fuzzTarget is one write function under fuzzing: its request type, the
// client allowed to call it, and the function.
type fuzzTarget struct {
	name    string
	request func() foundation.Request
	client  func(*fixture) *ledgertest.Client
	submit  func(f *fixture, c *ledgertest.Client, raw string) error
}

func target[T any, R any, PR interface {
	*R
	foundation.Request
}](name string, client func(*fixture) *ledgertest.Client, fn func(*finance.Contract, ctxT, string) (T, error)) fuzzTarget {
	return fuzzTarget{
		name:    name,
		request: func() foundation.Request { return PR(new(R)) },
		client:  client,
		submit: func(f *fixture, c *ledgertest.Client, raw string) error {
			_, err := call(f, c, fn, raw)
			return err
		},
	}
}

func fuzzTargets() []fuzzTarget {
	officer := func(f *fixture) *ledgertest.Client { return f.officer }
	accountant := func(f *fixture) *ledgertest.Client { return f.eduAcc }
	auditor := func(f *fixture) *ledgertest.Client { return f.auditor }
	return []fuzzTarget{
		target[*finance.Appropriation, finance.AppropriateRequest]("Appropriate", officer, (*finance.Contract).Appropriate),
		target[*finance.Allocation, finance.AllocateRequest]("Allocate", officer, (*finance.Contract).Allocate),
		target[*finance.Disbursement, finance.DisburseRequest]("Disburse", accountant, (*finance.Contract).Disburse),
		target[*finance.Reversal, finance.ProposeReversalRequest]("ProposeReversal", accountant, (*finance.Contract).ProposeReversal),
		target[*finance.Approval, finance.ApproveReversalRequest]("ApproveReversal", auditor, (*finance.Contract).ApproveReversal),
		target[*finance.ReversalEntry, finance.ExecuteReversalRequest]("ExecuteReversal", accountant, (*finance.Contract).ExecuteReversal),
		target[*finance.Finding, finance.RecordFindingRequest]("RecordFinding", auditor, (*finance.Contract).RecordFinding),
		target[*finance.PaymentRun, finance.DisburseRunRequest]("DisburseRun", accountant, (*finance.Contract).DisburseRun),
		target[*finance.AllocationSplit, finance.SplitAllocationRequest]("SplitAllocation", accountant, (*finance.Contract).SplitAllocation),
	}
}

var sentinels = []error{foundation.ErrAccessDenied, foundation.ErrInvalidInput, foundation.ErrNotFound, foundation.ErrAlreadyExists, foundation.ErrConflict}

// FuzzRequests feeds arbitrary bytes to every write function, chosen by
// the first input. Decoding must never panic and either refuse with an
// *InputError that says something, or accept a request that survives a
// JSON round trip. The same bytes are then submitted to the function on an
// in-memory budget as its allowed role: a refusal must wrap one of the
// foundation's sentinels and write nothing, and whatever was accepted, no
// allocation may be overspent and no appropriation over-allocated.
func FuzzRequests(f *testing.F) {
	targets := fuzzTargets()
	seeds := []any{
		appropriation("P-9", 500),
		allocation("A-9", "P-1", ministry, 500),
		disbursement("D-9", "A-EDU", 500),
		reversal("R-9", finance.TypeDisbursement, "D-1"),
		approval("R-1"),
		execution("R-1"),
		finding("F-9", finance.TypeAllocation, "A-EDU"),
		run(disbursement("D-10", "A-EDU", 500), disbursement("D-11", "A-EDU", 500)),
		split("A-EDU", 4),
	}
	for i, seed := range seeds {
		raw := toJSON(f, seed)
		f.Add(uint8(i), raw)
		f.Add(uint8(i), strings.Replace(raw, `"amount":500`, `"amount":-500`, 1))
		f.Add(uint8(i), strings.Replace(raw, `"amount":500`, `"amount":5e2`, 1))
		f.Add(uint8(i), strings.Replace(raw, `{`, `{"owner":"x",`, 1))
		f.Add(uint8(i), raw[:len(raw)/2])
	}
	for _, extra := range []string{
		`{}`, `null`, `[]`, ``, `"text"`,
		`{"disbursementId":"D-9","disbursementId":"D-8"}`,
		`{"payee":{"name":"a","name":"b"}}`,
		`{"amount":9223372036854775807}`,
		`{"amount":1e400}`,
		`{"currency":"\u0000UR"}`,
		`{"recordType":"reversal","recordId":"R-1","reversalId":"R-X","reason":"x"}`,
		`{"allocationId":"A-EDU","disbursementId":"D\u0000","amount":1}`,
		"{\"purpose\":\"\xff\"}",
	} {
		f.Add(uint8(2), extra)
	}
	for _, extra := range []string{
		`{"payments":[]}`, `{"payments":null}`, `{"payments":[{}]}`, `{"payments":[null]}`, `{"payments":[[]]}`,
		`{"payments":[{"amount":1}],"payments":[]}`,
		`{"payments":[{"payee":{"name":"a","name":"b"}}]}`,
	} {
		f.Add(uint8(7), extra)
	}
	f.Add(uint8(8), `{"allocationId":"A-EDU","tranches":-1}`)
	f.Add(uint8(8), `{"allocationId":"A-EDU","tranches":1e3}`)

	world := newBudget(f)
	world.must(call(world, world.eduAcc, (*finance.Contract).Disburse, disbursement("D-1", "A-EDU", 100)))
	world.must(call(world, world.eduAcc, (*finance.Contract).ProposeReversal, reversal("R-1", finance.TypeDisbursement, "D-1")))

	f.Fuzz(func(t *testing.T, which uint8, raw string) {
		tg := targets[int(which)%len(targets)]

		req := tg.request()
		if err := foundation.DecodeRequest(raw, req); err != nil {
			var inputErr *foundation.InputError
			if !errors.As(err, &inputErr) || !errors.Is(err, foundation.ErrInvalidInput) {
				t.Fatalf("%s: refusal is not an InputError wrapping ErrInvalidInput: %T %v", tg.name, err, err)
			}
			if inputErr.Cause == nil && len(inputErr.Fields) == 0 {
				t.Fatalf("%s: refusal says nothing: %v", tg.name, err)
			}
		} else {
			again, err := json.Marshal(req)
			if err != nil {
				t.Fatalf("%s: accepted request does not encode: %v", tg.name, err)
			}
			back := tg.request()
			if err := foundation.DecodeRequest(string(again), back); err != nil {
				t.Fatalf("%s: accepted request re-encoded as %s is refused: %v", tg.name, again, err)
			}
			if !reflect.DeepEqual(req, back) {
				t.Fatalf("%s: round trip changed the request: %+v vs %+v", tg.name, req, back)
			}
		}

		before := world.l.Snapshot()
		err := tg.submit(world, tg.client(world), raw)
		if err != nil {
			wrapsSentinel := false
			for _, s := range sentinels {
				wrapsSentinel = wrapsSentinel || errors.Is(err, s)
			}
			if !wrapsSentinel {
				t.Fatalf("%s: refusal wraps no sentinel: %v", tg.name, err)
			}
			if diff := world.l.Diff(before); len(diff) > 0 {
				t.Fatalf("%s: refused call wrote %v", tg.name, diff)
			}
			return
		}
		checkInvariants(t, world)
	})
}

// checkInvariants reads every appropriation and allocation of 2026 and
// checks the running totals' invariants.
func checkInvariants(t *testing.T, f *fixture) {
	t.Helper()
	page, err := ledgertest.Eval(f.inspector, func(ctx ctxT) (*finance.AppropriationPage, error) {
		return f.c.ListAppropriations(ctx, 2026, foundation.MaxPageSize, "")
	})
	if err != nil {
		t.Fatalf("list appropriations: %v", err)
	}
	for _, b := range page.Appropriations {
		trace, err := f.traceAppropriation(f.inspector, b.AppropriationID, foundation.MaxPageSize, "")
		if err != nil {
			t.Fatalf("trace %s: %v", b.AppropriationID, err)
		}
		tot := trace.Totals
		if tot.Allocated < 0 || tot.Allocated > tot.Appropriated || tot.Spent < 0 || tot.Spent > tot.Allocated {
			t.Fatalf("appropriation %s breaks its invariants: %+v", b.AppropriationID, tot)
		}
		for _, line := range trace.Allocations {
			if line.Totals.Spent < 0 || line.Totals.Spent > line.Totals.Allocated {
				t.Fatalf("allocation %s breaks its invariants: %+v", line.Balance.AllocationID, line.Totals)
			}
		}
	}
}
