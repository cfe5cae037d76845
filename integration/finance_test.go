//go:build integration

package integration

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/finance"
	"github.com/govshare/govshare/chaincode/foundation"
	"github.com/govshare/govshare/network"
)

// financeUser is one user of the finance-ledger channel: its gateway and
// the finance chaincode as seen through it.
type financeUser struct {
	gw       *client.Gateway
	contract *client.Contract
}

// financeChaincode returns the name under which the network declares the
// chaincode built from chaincode/cmd/finance.
func financeChaincode(t *testing.T) string {
	t.Helper()
	ch, err := testNetwork.Spec.Channel(network.FinanceChannel)
	require.NoError(t, err)
	for _, cc := range ch.Chaincodes {
		if cc.Package == "./chaincode/cmd/finance" {
			return cc.Name
		}
	}
	t.Fatalf("channel %s declares no chaincode built from chaincode/cmd/finance", network.FinanceChannel)
	return ""
}

func financeUserOf(t *testing.T, chaincode, org, role string) financeUser {
	gw := connect(t, org, role)
	return financeUser{gw: gw, contract: gw.GetNetwork(network.FinanceChannel).GetContract(chaincode)}
}

// financeMembers are gateways of every member organisation of the
// finance-ledger channel, one each. A commit status only says that the
// submitting organisation's peer committed; the next transaction may be
// endorsed by another organisation's peer, so the test waits for all.
type financeMembers []*client.Gateway

// awaitCommitted waits until the peer of every member has committed txID
// (see awaitEveryMember, which asks each organisation's peer in turn).
func (m financeMembers) awaitCommitted(t *testing.T, txID string) {
	t.Helper()
	awaitEveryMember(t, m[0], network.FinanceChannel, txID)
}

// submit submits fn with a JSON request, requires a valid transaction,
// waits until every member's peer has it and decodes the chaincode's
// response.
func submit[T any](t *testing.T, members financeMembers, u financeUser, fn string, req any) (T, string) {
	t.Helper()
	var out T
	raw, err := json.Marshal(req)
	require.NoError(t, err)
	result, commit, err := u.contract.SubmitAsync(fn, client.WithArguments(string(raw)))
	require.NoError(t, err, "%s: %s", fn, chaincodeMessage(err))
	status, err := commit.Status()
	require.NoError(t, err)
	require.True(t, status.Successful, "%s: validation code %s", fn, status.Code)
	members.awaitCommitted(t, status.TransactionID)
	require.NoError(t, json.Unmarshal(result, &out), fn)
	return out, status.TransactionID
}

func evaluate[T any](t *testing.T, u financeUser, fn string, args ...string) T {
	t.Helper()
	var out T
	result, err := u.contract.EvaluateTransaction(fn, args...)
	require.NoError(t, err, "%s: %s", fn, chaincodeMessage(err))
	require.NoError(t, json.Unmarshal(result, &out), fn)
	return out
}

// refusedSubmit submits fn and returns the endorsement error: the gateway
// carries the chaincode's error message in the error's details, one per
// endorsing peer that refused.
func refusedSubmit(t *testing.T, u financeUser, fn string, req any) string {
	t.Helper()
	raw, err := json.Marshal(req)
	require.NoError(t, err)
	_, err = u.contract.Submit(fn, client.WithArguments(string(raw)))
	var endorseErr *client.EndorseError
	require.ErrorAs(t, err, &endorseErr, "%s must be refused at endorsement", fn)
	return chaincodeMessage(err)
}

// chaincodeMessage joins the messages a gateway error carries.
func chaincodeMessage(err error) string {
	if err == nil {
		return ""
	}
	msgs := []string{err.Error()}
	var endorseErr *client.EndorseError
	if errors.As(err, &endorseErr) {
		for _, d := range endorseErr.Details() {
			msgs = append(msgs, d.GetMspId()+": "+d.GetMessage())
		}
	}
	return strings.Join(msgs, "\n")
}

// TestFinanceLedgerThroughTheGateway runs a budget line through the real
// network and its chaincode-level policy, AND('AuditOfficeMSP.peer',
// OR('FinanceBureauMSP.peer', 'EduMinistryMSP.peer',
// 'InternetCourtMSP.peer')): appropriation, allocations, disbursements
// (concurrent ones against different allocations commit together, against
// one allocation MVCC serialises them), refused writes, a reversal
// approved by a majority with the audit office, and traces and a summary
// read by the oversight body, with one chaincode event per write.
func TestFinanceLedgerThroughTheGateway(t *testing.T) {
	cc := financeChaincode(t)
	officer := financeUserOf(t, cc, "FinanceBureau", "budget-officer")
	auditor := financeUserOf(t, cc, "AuditOffice", "auditor")
	eduAcc := financeUserOf(t, cc, "EduMinistry", "accountant")
	courtAcc := financeUserOf(t, cc, "InternetCourt", "accountant")
	inspector := financeUserOf(t, cc, "Oversight", "inspector")
	members := financeMembers{officer.gw, auditor.gw, eduAcc.gw, courtAcc.gw, inspector.gw}

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	events, err := inspector.gw.GetNetwork(network.FinanceChannel).ChaincodeEvents(ctx, cc)
	require.NoError(t, err)

	id := func(prefix string) string {
		return fmt.Sprintf("IT-%s-%d", prefix, time.Now().UnixNano()%1_000_000_000)
	}
	p, a1, a2 := id("P"), id("A-EDU"), id("A-CT")
	emitted := map[string]string{} // transaction ID -> event it must emit

	// The finance bureau appropriates and allocates.
	appropriation, tx := submit[finance.Appropriation](t, members, officer, "Appropriate", finance.AppropriateRequest{
		AppropriationID: p, FiscalYear: 2026, Title: "Court and school digitisation",
		AdministrativeCode: "FIN-07", FunctionalCode: "01.3", EconomicCode: "2222", Amount: 100_000_000, Currency: "EUR",
	})
	assert.Equal(t, "FinanceBureauMSP", appropriation.Owner, "the owner comes from the certificate")
	emitted[tx] = finance.EventAppropriationRecorded
	_, tx = submit[finance.Allocation](t, members, officer, "Allocate", finance.AllocateRequest{
		AllocationID: a1, AppropriationID: p, Agency: "EduMinistryMSP", Purpose: "School tablets", Amount: 40_000_000, Currency: "EUR",
	})
	emitted[tx] = finance.EventAllocationRecorded
	_, tx = submit[finance.Allocation](t, members, officer, "Allocate", finance.AllocateRequest{
		AllocationID: a2, AppropriationID: p, Agency: "InternetCourtMSP", Purpose: "Hearing room video", Amount: 30_000_000, Currency: "EUR",
	})
	emitted[tx] = finance.EventAllocationRecorded

	// The ministry disburses; the audit office endorses.
	payment := func(disbursementID, allocationID string, amount int64) finance.DisburseRequest {
		return finance.DisburseRequest{
			DisbursementID: disbursementID, AllocationID: allocationID,
			Payee:   finance.Payee{Name: "Example Devices Ltd", RegistrationNumber: "HRB-4711"},
			Purpose: "Tablets, first delivery", ProcurementReference: "TED-2026-000042",
			InvoiceHash: foundation.SHA256Hex([]byte("invoice " + disbursementID)), Amount: amount, Currency: "EUR",
			TransactionType: finance.TransactionDisbursement,
		}
	}
	d1 := id("D-1")
	disbursed, tx := submit[finance.Disbursement](t, members, eduAcc, "Disburse", payment(d1, a1, 15_000_000))
	assert.Equal(t, "EduMinistryMSP", disbursed.Owner)
	emitted[tx] = finance.EventDisbursementRecorded
	code, msps := endorsers(t, eduAcc.gw, network.FinanceChannel, tx)
	assert.Equal(t, peer.TxValidationCode_VALID, code)
	assert.Contains(t, msps, "AuditOfficeMSP", "the audit office endorses every write")
	assert.True(t, slices.ContainsFunc(msps, func(m string) bool {
		return m == "FinanceBureauMSP" || m == "EduMinistryMSP" || m == "InternetCourtMSP"
	}), "and a writing organisation does: %v", msps)

	t.Run("concurrent disbursements against different allocations both commit", func(t *testing.T) {
		first := endorse(t, eduAcc, "Disburse", payment(id("D-PAR-EDU"), a1, 1_000_000))
		second := endorse(t, courtAcc, "Disburse", payment(id("D-PAR-CT"), a2, 1_000_000))
		for _, status := range commitAll(t, first, second) {
			assert.True(t, status.Successful, "validation code %s", status.Code)
			emitted[status.TransactionID] = finance.EventDisbursementRecorded
			members.awaitCommitted(t, status.TransactionID)
		}
	})
	t.Run("concurrent disbursements against one allocation are serialised", func(t *testing.T) {
		first := endorse(t, eduAcc, "Disburse", payment(id("D-SER-1"), a1, 1_000_000))
		second := endorse(t, eduAcc, "Disburse", payment(id("D-SER-2"), a1, 1_000_000))
		var codes []peer.TxValidationCode
		for _, status := range commitAll(t, first, second) {
			codes = append(codes, status.Code)
			if status.Successful {
				emitted[status.TransactionID] = finance.EventDisbursementRecorded
			}
			members.awaitCommitted(t, status.TransactionID)
		}
		assert.ElementsMatch(t, []peer.TxValidationCode{peer.TxValidationCode_VALID, peer.TxValidationCode_MVCC_READ_CONFLICT}, codes)
	})

	// Refused writes: nothing is written, and the chaincode says why.
	before := evaluate[finance.AllocationTrace](t, inspector, "TraceAllocation", a1, "0", "")
	require.Equal(t, int64(17_000_000), before.Totals.Spent)
	msg := refusedSubmit(t, eduAcc, "Disburse", payment(id("D-OVER"), a1, before.Totals.Remaining+1))
	assert.Contains(t, msg, fmt.Sprintf("allocation %q has %d EUR remaining; a disbursement of %d EUR would exceed it",
		a1, before.Totals.Remaining, before.Totals.Remaining+1))
	msg = refusedSubmit(t, officer, "Disburse", payment(id("D-ROLE"), a1, 1))
	assert.Contains(t, msg, `access denied: Disburse called by FinanceBureauMSP with role "budget-officer"; requires role "accountant" in EduMinistryMSP or InternetCourtMSP`)
	msg = refusedSubmit(t, courtAcc, "Disburse", payment(id("D-AGENCY"), a1, 1))
	assert.Contains(t, msg, "requires the agency of allocation "+a1+" (EduMinistryMSP)")
	after := evaluate[finance.AllocationTrace](t, inspector, "TraceAllocation", a1, "0", "")
	assert.Equal(t, before.Totals, after.Totals, "refused writes change nothing")

	// A reversal: proposed by the owner, approved by three organisations
	// with the audit office, executed by the owner.
	r := id("R")
	_, tx = submit[finance.Reversal](t, members, eduAcc, "ProposeReversal", finance.ProposeReversalRequest{
		ReversalID: r, RecordType: finance.TypeDisbursement, RecordID: d1, Reason: "invoice paid twice",
	})
	emitted[tx] = finance.EventReversalProposed
	for _, approver := range []financeUser{auditor, officer, courtAcc} {
		_, tx = submit[finance.Approval](t, members, approver, "ApproveReversal", finance.ApproveReversalRequest{ReversalID: r})
		emitted[tx] = finance.EventReversalApproved
	}
	msg = refusedSubmit(t, auditor, "ApproveReversal", finance.ApproveReversalRequest{ReversalID: r})
	assert.Contains(t, msg, fmt.Sprintf(`approval "%s by AuditOfficeMSP" already exists`, r))
	entry, tx := submit[finance.ReversalEntry](t, members, eduAcc, "ExecuteReversal", finance.ExecuteReversalRequest{ReversalID: r})
	emitted[tx] = finance.EventReversalExecuted
	assert.Equal(t, []string{"AuditOfficeMSP", "FinanceBureauMSP", "InternetCourtMSP"}, entry.ApprovedBy)
	assert.Equal(t, int64(15_000_000), entry.Amount)

	// The oversight body traces the money up and down.
	up := evaluate[finance.DisbursementTrace](t, inspector, "TraceDisbursement", d1)
	require.NotNil(t, up.Reversal)
	assert.Equal(t, r, up.Reversal.ReversalID)
	assert.Equal(t, a1, up.Allocation.AllocationID)
	assert.Equal(t, p, up.Appropriation.AppropriationID)
	assert.Equal(t, int64(2_000_000), up.AllocationTotals.Spent, "the reversed payment no longer counts")
	down := evaluate[finance.AppropriationTrace](t, inspector, "TraceAppropriation", p, "1", "")
	require.Len(t, down.Allocations, 1)
	require.NotEmpty(t, down.Bookmark)
	assert.Equal(t, finance.AppropriationTotals{Currency: "EUR", Appropriated: 100_000_000, Allocated: 70_000_000, Unallocated: 30_000_000,
		Spent: 3_000_000, Remaining: 97_000_000, Executed: finance.Share{Numerator: 3_000_000, Denominator: 100_000_000, BasisPoints: 300}}, down.Totals)
	summary := evaluate[finance.SpendingSummary](t, inspector, "GetSpendingSummary", "2026")
	assert.NotEmpty(t, summary.ByAgency)
	assert.NotEmpty(t, summary.ByClassification)

	// Every write emitted its event.
	seen := map[string]string{}
	for len(seen) < len(emitted) {
		select {
		case ev, open := <-events:
			require.True(t, open, "the event stream closed after %d of %d events", len(seen), len(emitted))
			if _, ok := emitted[ev.TransactionID]; ok {
				seen[ev.TransactionID] = ev.EventName
				var payload foundation.Event
				require.NoError(t, json.Unmarshal(ev.Payload, &payload))
				assert.Equal(t, ev.EventName, payload.Name)
				assert.NotEmpty(t, payload.Changes)
			}
		case <-ctx.Done():
			t.Fatalf("saw %d of %d events", len(seen), len(emitted))
		}
	}
	assert.Equal(t, emitted, seen)
}

// endorse builds and endorses a transaction without submitting it, so that
// several can be endorsed against the same state before any commits.
func endorse(t *testing.T, u financeUser, fn string, req any) *client.Transaction {
	t.Helper()
	raw, err := json.Marshal(req)
	require.NoError(t, err)
	proposal, err := u.contract.NewProposal(fn, client.WithArguments(string(raw)))
	require.NoError(t, err)
	tx, err := proposal.Endorse()
	require.NoError(t, err, "%s: %s", fn, chaincodeMessage(err))
	return tx
}

// commitAll submits endorsed transactions to the orderers, then waits for
// their commit statuses.
func commitAll(t *testing.T, txs ...*client.Transaction) []*client.Status {
	t.Helper()
	commits := make([]*client.Commit, len(txs))
	for i, tx := range txs {
		commit, err := tx.Submit()
		require.NoError(t, err)
		commits[i] = commit
	}
	statuses := make([]*client.Status, len(commits))
	for i, commit := range commits {
		status, err := commit.Status()
		require.NoError(t, err)
		statuses[i] = status
	}
	return statuses
}
