//go:build integration

package integration

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/finance"
	"github.com/govshare/govshare/chaincode/foundation"
	govclient "github.com/govshare/govshare/gateway-client"
)

// amountsAdding returns n positive amounts of about total/n that add up
// to total exactly, from a fixed seed: each pair moves a random part of
// up to half the mean from one to the other, and the last takes what the
// division left over.
func amountsAdding(total int64, n int, seed uint64) []int64 {
	rng := rand.New(rand.NewPCG(seed, 19))
	mean := total / int64(n)
	amounts := make([]int64, n)
	for i := range amounts {
		amounts[i] = mean
	}
	for i := 0; i+1 < n; i += 2 {
		d := rng.Int64N(mean) - mean/2
		amounts[i] += d
		amounts[i+1] -= d
	}
	amounts[n-1] += total - mean*int64(n)
	return amounts
}

// TestConcurrentPaymentsNeverExceedTheAllocation sends payments adding up
// to an allocation plus one minor unit all at once, through one gateway,
// each endorsed once, against an allocation never split and against one
// split into tranches: whatever the peers endorse and the orderers cut
// into blocks, the payments committed never add up to more than the
// allocation, so they are never all committed, and the allocation reports
// exactly what was committed. Then the payments that lost a read conflict
// are sent again, one at a time, until each is committed or refused by the
// contract: a refusal then means the allocation as a whole had less left
// than the payment.
func TestConcurrentPaymentsNeverExceedTheAllocation(t *testing.T) {
	team := newFinanceTeam(t)
	once := session(t, "EduMinistry", consortium.RoleAccountant, govclient.WithRetries(1, 0))
	for _, tc := range []struct {
		name     string
		tranches int
		payments int
	}{{"never split", 0, 16}, {"split into 32 tranches", 32, 64}} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := testContext(t)
			const allocated = 640_000
			_, a := team.budgetLine(t, "EUR", allocated, allocated)
			if tc.tranches > 0 {
				_, _, err := team.eduAccountant.Finance().SplitAllocation(ctx, finance.SplitAllocationRequest{AllocationID: a, Tranches: tc.tranches})
				require.NoError(t, err)
			}
			amounts := amountsAdding(allocated+1, tc.payments, uint64(tc.payments))
			ids := make([]string, len(amounts))
			errs := make([]error, len(amounts))
			var wg sync.WaitGroup
			for i := range amounts {
				ids[i] = unique(fmt.Sprintf("CP-%02d", i))
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, _, errs[i] = once.Finance().Disburse(ctx, payment(ids[i], a, amounts[i], "EUR"))
				}()
			}
			wg.Wait()

			var committed, conflicts, refused int
			var sum int64
			var again []int
			var otherwise []string
			for i, err := range errs {
				var txErr *govclient.TxError
				switch {
				case err == nil:
					committed++
					sum += amounts[i]
				case errors.As(err, &txErr) && txErr.Conflict():
					conflicts++
					again = append(again, i)
				case errors.As(err, &txErr) && txErr.Stage == govclient.StageEndorse && strings.Contains(txErr.Message(), "would exceed it"):
					refused++
					again = append(again, i)
				default:
					// an endorsement that found the peers at different heights
					// is retried too; anything else is a failure of the test
					require.True(t, errors.As(err, &txErr) && txErr.Stage == govclient.StageEndorse, "payment %d: %v", i, err)
					again = append(again, i)
					otherwise = append(otherwise, err.Error())
				}
			}
			t.Logf("%s: %d payments at once: %d committed (%d of %d), %d lost a read conflict, %d refused, %d failed otherwise %q",
				tc.name, len(amounts), committed, sum, allocated, conflicts, refused, len(otherwise), otherwise)
			require.LessOrEqual(t, sum, int64(allocated), "the committed payments never exceed the allocation")
			require.Less(t, committed, len(amounts), "payments adding up to the allocation plus one are never all committed")
			requireSpent(t, team, a, sum, ids, errs)
			if tc.tranches > 0 {
				assert.Greater(t, committed, 1, "payments drawing on different tranches committed side by side")
			}

			// again, one at a time, through a client that endorses again what
			// lost a conflict or met peers at different heights: each is
			// committed or refused for want of money
			var refusedAmounts []int64
			for _, i := range again {
				_, _, err := team.eduAccountant.Finance().Disburse(ctx, payment(ids[i], a, amounts[i], "EUR"))
				var txErr *govclient.TxError
				switch {
				case err == nil:
					errs[i] = nil
					sum += amounts[i]
				case errors.As(err, &txErr) && txErr.Stage == govclient.StageEndorse && strings.Contains(txErr.Message(), "would exceed it"):
					refusedAmounts = append(refusedAmounts, amounts[i])
				default:
					require.NoError(t, err, "payment %d", i)
				}
			}
			require.LessOrEqual(t, sum, int64(allocated))
			requireSpent(t, team, a, sum, ids, errs)
			require.NotEmpty(t, refusedAmounts, "one payment at least cannot be paid")
			assert.Greater(t, slices.Min(refusedAmounts), int64(allocated)-sum, "a payment is refused only when the allocation as a whole has less left")
		})
	}
}

// requireSpent checks that the allocation reports spent as its spending,
// and lists exactly the payments whose error is nil.
func requireSpent(t *testing.T, team financeTeam, allocationID string, spent int64, ids []string, errs []error) {
	t.Helper()
	ctx := testContext(t)
	trace, err := team.inspector.Finance().TraceAllocation(ctx, allocationID, foundation.MaxPageSize, "")
	require.NoError(t, err)
	require.Equal(t, spent, trace.Totals.Spent, "the allocation reports what was committed")
	require.Equal(t, trace.Totals.Allocated-spent, trace.Totals.Remaining)
	var listed, want []string
	for _, line := range trace.Disbursements {
		listed = append(listed, line.Disbursement.DisbursementID)
	}
	for i, id := range ids {
		if errs[i] == nil {
			want = append(want, id)
		}
	}
	slices.Sort(listed)
	slices.Sort(want)
	require.Equal(t, want, listed, "the allocation lists exactly the committed payments")
}

// TestPaymentRunThroughTheGateway records a payment run against two of the
// ministry's allocations, one of them split into tranches, and follows its
// payments: each is an ordinary disbursement to the traces, the spending
// summary, a reader of blocks and a reversal. A run that overspends by one
// minor unit is refused, naming the payment, and records nothing. The
// budget lines are in XBB, an ISO 4217 code no other test uses, so that
// the year's XBB totals are this test's.
func TestPaymentRunThroughTheGateway(t *testing.T) {
	ctx := testContext(t)
	team := newFinanceTeam(t)
	const currency = "XBB"
	p, a1 := team.budgetLine(t, currency, 2_000_000, 1_000_000)
	a2 := unique("IT-A2")
	_, _, err := team.officer.Finance().Allocate(ctx, finance.AllocateRequest{AllocationID: a2, AppropriationID: p,
		Agency: consortium.EduMinistryMSP, Purpose: "Tablets for grade 6", Amount: 500_000, Currency: currency})
	require.NoError(t, err)
	_, _, err = team.eduAccountant.Finance().SplitAllocation(ctx, finance.SplitAllocationRequest{AllocationID: a2, Tranches: 8})
	require.NoError(t, err)

	var payments []finance.DisburseRequest
	for i := range 40 {
		a := a1
		if i%2 == 1 {
			a = a2
		}
		payments = append(payments, payment(unique(fmt.Sprintf("RUN-%02d", i)), a, 10_000+int64(i), currency))
	}
	run, result, err := team.eduAccountant.Finance().DisburseRun(ctx, finance.DisburseRunRequest{Payments: payments})
	require.NoError(t, err)
	assert.Equal(t, 40, run.Payments)
	require.Len(t, run.Allocations, 2)
	assert.Equal(t, finance.RunAllocation{AllocationID: a1, Currency: currency, Payments: 20, Amount: 200_000 + 380}, run.Allocations[0])
	assert.Equal(t, finance.RunAllocation{AllocationID: a2, Currency: currency, Payments: 20, Amount: 200_000 + 400}, run.Allocations[1])

	t.Run("the traces and the summary see run payments like single ones", func(t *testing.T) {
		for _, req := range []finance.DisburseRequest{payments[0], payments[39]} {
			trace, err := team.inspector.Finance().TraceDisbursement(ctx, req.DisbursementID)
			require.NoError(t, err)
			assert.Equal(t, req.Amount, trace.Disbursement.Amount)
			assert.Equal(t, req.Payee, trace.Disbursement.Payee)
			assert.Equal(t, int64(400_780), trace.AppropriationTotals.Spent, "both allocations, tranches included")
		}
		for _, a := range []struct {
			id     string
			spent  int64
			splits int
		}{{a1, 200_380, 0}, {a2, 200_400, 8}} {
			trace, err := team.inspector.Finance().TraceAllocation(ctx, a.id, 0, "")
			require.NoError(t, err)
			assert.Equal(t, a.spent, trace.Totals.Spent, a.id)
			assert.Equal(t, a.splits, trace.Totals.Tranches, a.id)
			assert.Len(t, trace.Disbursements, 20, a.id)
		}
		summary, err := team.inspector.Finance().GetSpendingSummary(ctx, financeYear)
		require.NoError(t, err)
		i := slices.IndexFunc(summary.Totals, func(c finance.CurrencyTotals) bool { return c.Currency == currency })
		require.GreaterOrEqual(t, i, 0)
		assert.Equal(t, finance.Total("400780"), summary.Totals[i].Spent)
	})

	t.Run("a reader of blocks finds ordinary disbursement records", func(t *testing.T) {
		raw, err := team.inspector.Evaluate(ctx, consortium.FinanceChannel, "qscc", "GetBlockByNumber", consortium.FinanceChannel,
			strconv.FormatUint(result.BlockNumber, 10))
		require.NoError(t, err)
		var block common.Block
		require.NoError(t, proto.Unmarshal(raw, &block))
		changes := govclient.BlockChanges(consortium.FinanceChannel, &block)
		i := slices.IndexFunc(changes, func(c govclient.Change) bool { return c.TransactionID == result.TransactionID })
		require.GreaterOrEqual(t, i, 0, "the run's transaction is in its block")
		c := changes[i]
		assert.True(t, c.Valid)
		assert.Equal(t, "DisburseRun", c.Function)
		assert.Equal(t, finance.EventPaymentRunRecorded, c.Event)
		var event foundation.Event
		require.NoError(t, json.Unmarshal(c.EventPayload, &event))
		assert.Len(t, event.Changes, len(c.Writes), "the event names every key written, once")
		disbursements := 0
		for _, w := range c.Writes {
			if w.ObjectType != "fin.disbursement" {
				continue
			}
			disbursements++
			var d finance.Disbursement
			dec := json.NewDecoder(bytes.NewReader(w.Value))
			dec.DisallowUnknownFields()
			require.NoError(t, dec.Decode(&d), "a run's payment decodes strictly as a Disbursement")
			assert.Equal(t, []string{d.AllocationID, d.DisbursementID}, w.Attributes)
		}
		assert.Equal(t, 40, disbursements)
	})

	t.Run("a run that overspends by one minor unit is refused and records nothing", func(t *testing.T) {
		trace, err := team.inspector.Finance().TraceAllocation(ctx, a2, 1, "")
		require.NoError(t, err)
		left := trace.Totals.Remaining
		over := []finance.DisburseRequest{
			payment(unique("OVER-0"), a1, 1, currency),
			payment(unique("OVER-1"), a2, left/2, currency),
			payment(unique("OVER-2"), a2, left-left/2+1, currency),
		}
		_, _, err = team.eduAccountant.Finance().DisburseRun(ctx, finance.DisburseRunRequest{Payments: over})
		var txErr *govclient.TxError
		require.ErrorAs(t, err, &txErr)
		assert.Equal(t, govclient.StageEndorse, txErr.Stage)
		assert.Contains(t, txErr.Message(), fmt.Sprintf(`payments[2] (%s): allocation "%s" has %d XBB remaining after the run's earlier payment against it; a disbursement of %d XBB would exceed it`,
			over[2].DisbursementID, a2, left-left/2, left-left/2+1))
		for _, req := range over {
			_, err := team.inspector.Finance().TraceDisbursement(ctx, req.DisbursementID)
			assert.Error(t, err, "%s is not recorded", req.DisbursementID)
		}
		after, err := team.inspector.Finance().TraceAllocation(ctx, a1, 1, "")
		require.NoError(t, err)
		assert.Equal(t, int64(200_380), after.Totals.Spent, "not even the payment against the other allocation")
	})

	t.Run("a run payment is reversed like a single one", func(t *testing.T) {
		r := unique("RUN-REV")
		_, _, err := team.eduAccountant.Finance().ProposeReversal(ctx, finance.ProposeReversalRequest{ReversalID: r,
			RecordType: finance.TypeDisbursement, RecordID: payments[1].DisbursementID, Reason: "paid twice"})
		require.NoError(t, err)
		for _, s := range []*govclient.Session{team.auditor, team.officer, team.eduAccountant} {
			_, _, err := s.Finance().ApproveReversal(ctx, finance.ApproveReversalRequest{ReversalID: r})
			require.NoError(t, err)
		}
		_, _, err = team.eduAccountant.Finance().ExecuteReversal(ctx, finance.ExecuteReversalRequest{ReversalID: r})
		require.NoError(t, err)
		trace, err := team.inspector.Finance().TraceAllocation(ctx, a2, 1, "")
		require.NoError(t, err)
		assert.Equal(t, int64(200_400-payments[1].Amount), trace.Totals.Spent, "given back to its tranche")
	})
}

// TestGovctlPaymentRun records a payment file of 250 payments through
// govctl, as two runs, and checks what it says and what the ledger holds;
// then a file that overspends, a file with a mistake and a check that
// records nothing.
func TestGovctlPaymentRun(t *testing.T) {
	ctx := testContext(t)
	team := newFinanceTeam(t)
	_, a := team.budgetLine(t, "CNY", 10_000_000, 5_000_000)
	ministry := []string{"--org", "EduMinistry", "--as", "accountant"}
	dir := t.TempDir()
	invoice := filepath.Join(dir, "invoice-0.pdf")
	require.NoError(t, os.WriteFile(invoice, []byte("%PDF invoice 0"), 0o600))

	file := func(name string, n int, amount string, idPrefix string) string {
		var b strings.Builder
		b.WriteString("disbursement_id,payee_name,payee_registration,purpose,procurement_reference,invoice_sha256,invoice_file,amount\n")
		for i := range n {
			hash, inv := foundation.SHA256Hex([]byte(fmt.Sprint("invoice ", i))), ""
			if i == 0 {
				hash, inv = "", "invoice-0.pdf"
			}
			fmt.Fprintf(&b, "%s-%03d,Example Supplier %d Ltd,HRB-%d,\"Textbooks, delivery %d\",TED-2026-%d,%s,%s,\"%s\"\n",
				idPrefix, i, i, 1000+i, i, i, hash, inv, amount)
		}
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o600))
		return path
	}
	prefix := unique("GC")
	payments := file("march.csv", 250, "100.00", prefix)

	stdout, stderr, code := govctl(t, append(ministry, "spend", "run", "--allocation", a, "--check", payments)...)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "all 250 payments of "+payments+" pass every rule of the ledger now, in 2 runs; nothing was recorded")
	trace, err := team.inspector.Finance().TraceAllocation(ctx, a, 1, "")
	require.NoError(t, err)
	assert.Equal(t, int64(0), trace.Totals.Spent, "--check records nothing")

	stdout, stderr, code = govctl(t, append(ministry, "spend", "run", "--allocation", a, payments)...)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, "run 1 of 2 (200 payments, line 2 to 201): committed in block", "progress, run by run")
	assert.Contains(t, stderr, "run 2 of 2 (50 payments, line 202 to 251): committed in block")
	assert.Contains(t, stdout, "recorded 250 of the 250 payments of "+payments+" in 2 runs")
	assert.Contains(t, stdout, "disbursement "+prefix+"-249  100.00 CNY to Example Supplier 249 Ltd (HRB-1249) from "+a+", line 251")
	assert.Contains(t, stdout, "allocated 50,000.00 CNY, spent 25,000.00 CNY (50.00% executed), remaining 25,000.00 CNY")
	first, err := team.inspector.Finance().TraceDisbursement(ctx, prefix+"-000")
	require.NoError(t, err)
	assert.Equal(t, foundation.SHA256Hex([]byte("%PDF invoice 0")), first.Disbursement.InvoiceHash, "the invoice file is hashed")

	over := file("april.csv", 26, "1,000.00", unique("GO"))
	stdout, stderr, code = govctl(t, append(ministry, "spend", "run", "--allocation", a, over)...)
	assert.Equal(t, 1, code, "a run refused by the rules exits 1")
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "line 27 (")
	assert.Contains(t, stderr, "has 0.00 CNY remaining after the file's 25 earlier payments against it; a payment of 1,000.00 CNY would exceed it; nothing was recorded")

	dup := file("dup.csv", 2, "5.00", prefix)
	_, stderr, code = govctl(t, append(ministry, "spend", "run", "--allocation", a, dup)...)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, fmt.Sprintf(`payments[0] (%s-000): disbursement "%s-000" already exists`, prefix, prefix))
	assert.Contains(t, stderr, "payments[0] is "+prefix+"-000, line 2 of "+dup, "the refusal is traced to the file's line")

	bad := file("bad.csv", 2, "5.001", unique("GB"))
	_, stderr, code = govctl(t, append(ministry, "spend", "run", "--allocation", a, bad)...)
	assert.Equal(t, 2, code, "a file govctl cannot read is a usage error")
	assert.Contains(t, stderr, "line 2: amount")

	trace, err = team.inspector.Finance().TraceAllocation(ctx, a, 1, "")
	require.NoError(t, err)
	assert.Equal(t, int64(2_500_000), trace.Totals.Spent, "the refused files recorded nothing")

	stdout, stderr, code = govctl(t, append(ministry, "spend", "split", a, "--tranches", "4")...)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "25,000.00 CNY left, spread over 4 tranches of 6,250.00 CNY")
}
