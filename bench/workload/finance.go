package workload

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/finance"
	govclient "github.com/govshare/govshare/gateway-client"
)

// Finance is the finance-ledger workload: the finance bureau appropriates
// and allocates (setup), EduMinistry's accountant disburses, and
// disbursements are traced.
type Finance struct {
	env          *Env
	accountant   *govclient.Session // one attempt per transaction
	retrying     *govclient.Session // the client's default conflict retries
	allocations  [][]string         // per worker
	next         []int
	hot          string // the allocation every worker pays against in the conflict round
	split        string // the allocation every worker pays against, split into tranches
	disbursement list
	ids          atomic.Int64
}

// SplitTranches is how many tranches the split allocation of the rounds
// against one allocation has: as many as the contract allows, so that
// with 32 payments in flight about one in eight draws on a tranche
// another one is drawing on.
const SplitTranches = finance.MaxTranches

// DisbursementAmount is one payment, in minor units; allocations are made
// large enough for any run.
const DisbursementAmount = 100

// NewFinance prepares the workload: one appropriation per worker with
// perWorker allocations to EduMinistry (allocations from one
// appropriation conflict with each other, so each worker makes its own),
// and one more appropriation with the single allocation of the conflict
// round. Setup runs workers in parallel and takes a few transactions'
// time.
func NewFinance(ctx context.Context, env *Env, workers, perWorker int) (*Finance, error) {
	officer, err := env.SetupSession("FinanceBureau", consortium.RoleBudgetOfficer)
	if err != nil {
		return nil, err
	}
	w := &Finance{env: env, allocations: make([][]string, workers), next: make([]int, workers)}
	if w.accountant, err = env.Session("EduMinistry", consortium.RoleAccountant, NoRetry); err != nil {
		return nil, err
	}
	if w.retrying, err = env.Session("EduMinistry", consortium.RoleAccountant, ClientRetry); err != nil {
		return nil, err
	}
	perWorker = max(1, perWorker)
	var mu sync.Mutex
	err = Parallel(ctx, workers+2, 16, func(ctx context.Context, i int) error {
		name := fmt.Sprintf("%s-P%03d", env.RunID, i)
		count := perWorker
		switch i {
		case workers:
			name, count = env.RunID+"-PHOT", 1
		case workers + 1:
			name, count = env.RunID+"-PSPLIT", 1
		}
		ids, err := AppropriateAndAllocate(ctx, officer, name, count)
		if err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		switch i {
		case workers:
			w.hot = ids[0]
		case workers + 1:
			w.split = ids[0]
		default:
			w.allocations[i] = ids
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("finance setup: %w", err)
	}
	agency, err := env.SetupSession("EduMinistry", consortium.RoleAccountant)
	if err != nil {
		return nil, err
	}
	if _, _, err := agency.Finance().SplitAllocation(ctx, finance.SplitAllocationRequest{AllocationID: w.split, Tranches: SplitTranches}); err != nil {
		return nil, fmt.Errorf("finance setup: split %s: %w", w.split, err)
	}
	return w, nil
}

// AppropriateAndAllocate records an appropriation and count allocations
// from it to EduMinistry, one after the other, and returns their IDs.
func AppropriateAndAllocate(ctx context.Context, officer *govclient.Session, appropriationID string, count int) ([]string, error) {
	const each = finance.MaxAmount / 1000
	if _, _, err := officer.Finance().Appropriate(ctx, finance.AppropriateRequest{
		AppropriationID: appropriationID, FiscalYear: 2026, Title: "Load test budget line",
		AdministrativeCode: "EDU-01", FunctionalCode: "09.1", EconomicCode: "2211",
		Amount: each * int64(count), Currency: "EUR",
	}); err != nil {
		return nil, fmt.Errorf("appropriate %s: %w", appropriationID, err)
	}
	ids := make([]string, count)
	for k := range ids {
		ids[k] = fmt.Sprintf("%s-A%03d", appropriationID, k)
		if _, _, err := officer.Finance().Allocate(ctx, finance.AllocateRequest{
			AllocationID: ids[k], AppropriationID: appropriationID, Agency: consortium.EduMinistryMSP,
			Purpose: "Load test allocation", Amount: each, Currency: "EUR",
		}); err != nil {
			return nil, fmt.Errorf("allocate %s: %w", ids[k], err)
		}
	}
	return ids, nil
}

// Retrying is the accountant's session with the client's default
// conflict retries.
func (w *Finance) Retrying() *govclient.Session { return w.retrying }

// SubmitDisbursement makes one payment as DisburseSpread does, against the
// worker's first allocation, and returns its commit.
func (w *Finance) SubmitDisbursement(ctx context.Context, worker int) (*govclient.Result, error) {
	return w.disburseOnce(ctx, w.accountant, w.allocations[worker][0], "DS")
}

// Accountant is the session that disburses, whose gateway the finance
// channel's baseline should use too.
func (w *Finance) Accountant() *govclient.Session { return w.accountant }

// disburse pays against allocationID; tag keeps the IDs of each round
// apart.
func (w *Finance) disburse(ctx context.Context, s *govclient.Session, allocationID, tag string) (int, error) {
	return attemptsOf(w.disburseOnce(ctx, s, allocationID, tag))
}

func (w *Finance) disburseOnce(ctx context.Context, s *govclient.Session, allocationID, tag string) (*govclient.Result, error) {
	req := w.payment(allocationID, tag)
	_, result, err := s.Finance().Disburse(ctx, req)
	if err != nil {
		return nil, err
	}
	w.disbursement.add(req.DisbursementID)
	return result, nil
}

// payment is a new payment of DisbursementAmount against allocationID;
// tag keeps the IDs of each round apart.
func (w *Finance) payment(allocationID, tag string) finance.DisburseRequest {
	id := fmt.Sprintf("%s-%s%07d", w.env.RunID, tag, w.ids.Add(1))
	return finance.DisburseRequest{
		DisbursementID: id, AllocationID: allocationID,
		Payee:   finance.Payee{Name: "Example Publishing Ltd", RegistrationNumber: "HRB-12345"},
		Purpose: "Load test payment", ProcurementReference: "TED-2026-000001",
		InvoiceHash: SHA256Hex([]byte(id)), Amount: DisbursementAmount, Currency: "EUR",
		TransactionType: finance.TransactionDisbursement,
	}
}

// DisburseSpread pays against the worker's own allocations in turn: no two
// concurrent payments share a key.
func (w *Finance) DisburseSpread(ctx context.Context, worker, seq int) (int, error) {
	own := w.allocations[worker]
	n := w.next[worker]
	w.next[worker]++
	return w.disburse(ctx, w.accountant, own[n%len(own)], "DS")
}

// DisburseOne pays against the one hot allocation, once: concurrent
// payments read and write its running total, so all but one of each block
// fail validation with MVCC_READ_CONFLICT.
func (w *Finance) DisburseOne(ctx context.Context, worker, seq int) (int, error) {
	return w.disburse(ctx, w.accountant, w.hot, "DO")
}

// DisburseOneRetried pays against the hot allocation with the client's
// default retries: conflicts are endorsed again, with growing pauses.
func (w *Finance) DisburseOneRetried(ctx context.Context, worker, seq int) (int, error) {
	return w.disburse(ctx, w.retrying, w.hot, "DR")
}

// DisburseOneSplit pays against the allocation split into SplitTranches
// tranches, once: concurrent payments conflict only when they draw on the
// same tranche.
func (w *Finance) DisburseOneSplit(ctx context.Context, worker, seq int) (int, error) {
	return w.disburse(ctx, w.accountant, w.split, "SO")
}

// DisburseOneSplitRetried pays against the split allocation with the
// client's default retries.
func (w *Finance) DisburseOneSplitRetried(ctx context.Context, worker, seq int) (int, error) {
	return w.disburse(ctx, w.retrying, w.split, "SR")
}

// DisburseRun returns the operation of a round of payment runs: a run of
// size payments against the split allocation, once.
func (w *Finance) DisburseRun(size int) func(ctx context.Context, worker, seq int) (int, error) {
	return func(ctx context.Context, worker, seq int) (int, error) {
		req := finance.DisburseRunRequest{Payments: make([]finance.DisburseRequest, size)}
		for i := range req.Payments {
			req.Payments[i] = w.payment(w.split, "RN")
		}
		_, result, err := w.accountant.Finance().DisburseRun(ctx, req)
		return attemptsOf(result, err)
	}
}

// TraceDisbursement traces one of the run's disbursements up to its
// appropriation.
func (w *Finance) TraceDisbursement(ctx context.Context, worker, seq int) (int, error) {
	id := w.disbursement.at(seq)
	if id == "" {
		return 1, errNothingToDo
	}
	if _, err := w.accountant.Finance().TraceDisbursement(ctx, id); err != nil {
		return 1, err
	}
	return 1, nil
}
