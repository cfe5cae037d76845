package finance_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/finance"
	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

// recordingStub records the read set, range reads and write set of one
// simulated transaction, as an endorsing peer does.
type recordingStub struct {
	shim.ChaincodeStubInterface
	reads, writes, ranges []string
}

func (s *recordingStub) GetState(key string) ([]byte, error) {
	s.reads = append(s.reads, key)
	return s.ChaincodeStubInterface.GetState(key)
}

func (s *recordingStub) GetMultipleStates(keys ...string) ([][]byte, error) {
	s.reads = append(s.reads, keys...)
	return s.ChaincodeStubInterface.GetMultipleStates(keys...)
}

func (s *recordingStub) PutState(key string, value []byte) error {
	s.writes = append(s.writes, key)
	return s.ChaincodeStubInterface.PutState(key, value)
}

func (s *recordingStub) GetStateByPartialCompositeKey(objectType string, attributes []string) (shim.StateQueryIteratorInterface, error) {
	prefix, err := shim.CreateCompositeKey(objectType, attributes)
	if err != nil {
		return nil, err
	}
	s.ranges = append(s.ranges, prefix)
	return s.ChaincodeStubInterface.GetStateByPartialCompositeKey(objectType, attributes)
}

// simulate runs a write function against the committed state without
// committing it, and returns what it read and wrote.
func simulate[T any](t *testing.T, f *fixture, c *ledgertest.Client, fn func(*finance.Contract, ctxT, string) (T, error), req any) *recordingStub {
	t.Helper()
	var rec *recordingStub
	err := c.Evaluate(func(ctx ctxT) error {
		rec = &recordingStub{ChaincodeStubInterface: ctx.GetStub()}
		wrapped := new(contractapi.TransactionContext)
		wrapped.SetStub(rec)
		wrapped.SetClientIdentity(ctx.GetClientIdentity())
		_, err := fn(f.c, wrapped, toJSON(t, req))
		return err
	})
	require.NoError(t, err)
	require.NotEmpty(t, rec.writes, "a write function writes")
	return rec
}

// invalidates reports whether committing first before second, in the same
// block, makes second fail Fabric's MVCC check: second read a key that
// first wrote, or ran a range that a key first wrote falls in.
func invalidates(first, second *recordingStub) []string {
	var hits []string
	for _, w := range first.writes {
		if slices.Contains(second.reads, w) {
			hits = append(hits, "read "+readable(w))
		}
		for _, prefix := range second.ranges {
			if strings.HasPrefix(w, prefix) {
				hits = append(hits, "range over "+readable(w))
			}
		}
	}
	return hits
}

func readable(key string) string { return strings.ReplaceAll(strings.Trim(key, "\x00"), "\x00", "/") }

// TestConcurrentWritesAndMVCC simulates pairs of transactions endorsed
// against the same committed state and checks which pairs Fabric would
// serialise: disbursements against different allocations, and approvals
// by different organisations, must commit side by side; transactions that
// decide against the same running total must not.
func TestConcurrentWritesAndMVCC(t *testing.T) {
	f := newBudget(t)
	f.must(call(f, f.eduAcc, (*finance.Contract).Disburse, disbursement("D-0", "A-EDU", 1)))
	f.must(call(f, f.eduAcc, (*finance.Contract).ProposeReversal, reversal("R-1", finance.TypeDisbursement, "D-0")))

	disburseEdu := simulate(t, f, f.eduAcc, (*finance.Contract).Disburse, disbursement("D-1", "A-EDU", 100))
	disburseEdu2 := simulate(t, f, f.eduAcc, (*finance.Contract).Disburse, disbursement("D-2", "A-EDU", 100))
	disburseCourt := simulate(t, f, f.courtAcc, (*finance.Contract).Disburse, disbursement("D-3", "A-CT", 100))
	allocate := simulate(t, f, f.officer, (*finance.Contract).Allocate, allocation("A-NEW", "P-1", ministry, 100))
	allocate2 := simulate(t, f, f.officer, (*finance.Contract).Allocate, allocation("A-NEW2", "P-1", court, 100))
	approveAudit := simulate(t, f, f.auditor, (*finance.Contract).ApproveReversal, approval("R-1"))
	approveBureau := simulate(t, f, f.officer, (*finance.Contract).ApproveReversal, approval("R-1"))
	findingOnAllocation := simulate(t, f, f.auditor, (*finance.Contract).RecordFinding, finding("F-1", finance.TypeAllocation, "A-EDU"))

	independent := map[string][2]*recordingStub{
		"disbursements against different allocations":     {disburseEdu, disburseCourt},
		"an allocation and a disbursement":                {allocate, disburseEdu},
		"approvals of different organisations":            {approveAudit, approveBureau},
		"a finding and a disbursement on the same record": {findingOnAllocation, disburseEdu},
	}
	for _, name := range sortedNames(independent) {
		pair := independent[name]
		assert.Empty(t, invalidates(pair[0], pair[1]), "%s must not conflict", name)
		assert.Empty(t, invalidates(pair[1], pair[0]), "%s must not conflict, in either order", name)
	}

	assert.Equal(t, []string{"read fin.spending/2026/P-1/A-EDU"}, invalidates(disburseEdu, disburseEdu2),
		"two disbursements against one allocation are serialised by its running total")
	assert.Equal(t, []string{"read fin.budget/2026/P-1"}, invalidates(allocate, allocate2),
		"two allocations from one appropriation are serialised by its running total")

	t.Run("a disbursement reads and writes nothing above its allocation", func(t *testing.T) {
		for _, key := range append(disburseCourt.reads, disburseCourt.writes...) {
			assert.NotContains(t, key, "fin.budget", "never the appropriation's totals")
			assert.NotContains(t, key, "fin.appropriation")
		}
		assert.Empty(t, disburseCourt.ranges, "no range read")
		assert.Equal(t, []string{"fin.allocation/A-CT", "fin.payment/D-3", "fin.spending/2026/P-1/A-CT"}, mapKeys(disburseCourt.reads))
		assert.Equal(t, []string{"fin.payment/D-3", "fin.disbursement/A-CT/D-3", "fin.spending/2026/P-1/A-CT"}, mapKeys(disburseCourt.writes))
	})

	t.Run("an execution is invalidated by an approval committed meanwhile", func(t *testing.T) {
		f.approveBy("R-1", f.auditor, f.officer, f.eduAcc)
		execute := simulate(t, f, f.eduAcc, (*finance.Contract).ExecuteReversal, execution("R-1"))
		approveCourt := simulate(t, f, f.courtAcc, (*finance.Contract).ApproveReversal, approval("R-1"))
		assert.Equal(t, []string{"range over fin.approval/R-1/InternetCourtMSP"}, invalidates(approveCourt, execute),
			"the approval range is re-checked at validation")
	})
}

func mapKeys(keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = readable(k)
	}
	return out
}

func sortedNames[V any](m map[string]V) []string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	slices.Sort(names)
	return names
}
