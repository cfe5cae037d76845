package govclient

import (
	"errors"
	"fmt"
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/protoadapt"
)

func TestChaincodeMessage(t *testing.T) {
	cases := []struct{ in, want string }{
		{"chaincode response 500, access denied: RecordCredit needs registrar", "access denied: RecordCredit needs registrar"},
		{"rpc error: chaincode response 500, credit UA-1 already exists", "credit UA-1 already exists"},
		{"failed to connect", ""},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, chaincodeMessage(tc.in), tc.in)
	}
}

func TestTxErrorNamesWhoRefusedAndWhy(t *testing.T) {
	st, err := status.New(codes.Aborted, "failed to endorse transaction").WithDetails(protoadapt.MessageV1Of(&gateway.ErrorDetail{
		Address: "127.0.0.1:27030", MspId: "UniversityAMSP",
		Message: "chaincode response 500, access denied: RecordCredit requires role registrar, caller has role inspector",
	}))
	require.NoError(t, err)
	e := newTxError(StageEndorse, "education-credit", "education", "RecordCredit", st.Err())

	require.Len(t, e.Peers, 1)
	assert.Equal(t, "UniversityAMSP", e.Peers[0].MSPID)
	assert.Equal(t, "access denied: RecordCredit requires role registrar, caller has role inspector", e.Message())
	assert.Contains(t, e.Error(), "RecordCredit on education-credit/education was refused: access denied")
	assert.Contains(t, e.Error(), "by UniversityAMSP at 127.0.0.1:27030")
	assert.False(t, e.Conflict())
	assert.ErrorIs(t, e, st.Err(), "the gateway's error stays reachable")
}

func TestTxErrorConflict(t *testing.T) {
	for code, conflict := range map[peer.TxValidationCode]bool{
		peer.TxValidationCode_MVCC_READ_CONFLICT:         true,
		peer.TxValidationCode_PHANTOM_READ_CONFLICT:      true,
		peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE: false,
	} {
		e := &TxError{Stage: StageCommit, Function: "Disburse", Channel: "finance-ledger", Chaincode: "finance", TransactionID: "tx1", Code: code, Attempts: 5}
		assert.Equal(t, conflict, e.Conflict(), code.String())
		assert.Equal(t, conflict, IsConflict(fmt.Errorf("wrapped: %w", e)), code.String())
		assert.Contains(t, e.Error(), "failed validation: "+code.String())
		assert.Contains(t, e.Error(), "[tx tx1, 5 attempts]")
	}
	assert.False(t, IsConflict(errors.New("plain")))
}

func TestTxErrorOfAnUnknownOutcomeSaysSo(t *testing.T) {
	e := &TxError{Stage: StageCommitStatus, Function: "Disburse", Channel: "finance-ledger", Chaincode: "finance", TransactionID: "tx9",
		err: status.Error(codes.DeadlineExceeded, "context deadline exceeded")}
	assert.Contains(t, e.Error(), "outcome is unknown")
	assert.NotContains(t, e.Error(), "VALID", "no validation code was ever learnt")
	assert.False(t, e.Conflict())
	assert.False(t, e.Unreachable())
}

func TestTxErrorUnreachable(t *testing.T) {
	e := newTxError(StageEvaluate, "education-credit", "education", "GetCredit", status.Error(codes.Unavailable, "connection refused"))
	assert.True(t, e.Unreachable())
	assert.Contains(t, e.Error(), "connection refused")
}

func TestEndorsementMismatchIsRetried(t *testing.T) {
	st := status.New(codes.Aborted, "failed to collect enough transaction endorsements, see attached details for more info: ProposalResponsePayloads do not match")
	mismatch := &TxError{Stage: StageEndorse, Function: "Disburse", err: st.Err()}
	assert.True(t, mismatch.EndorsementMismatch())
	assert.True(t, mismatch.retryable(), "peers at different heights agree when asked again")
	refused := &TxError{Stage: StageEndorse, Function: "Disburse", err: status.Error(codes.Aborted, "chaincode response 500, overspend")}
	assert.False(t, refused.EndorsementMismatch())
	assert.False(t, refused.retryable(), "a refusal by the contract is final")
}

func TestTxErrorOrderingUnavailable(t *testing.T) {
	st, err := status.New(codes.Unavailable, "no orderers could successfully process transaction").WithDetails(protoadapt.MessageV1Of(&gateway.ErrorDetail{
		Address: "127.0.0.1:21050", MspId: "OversightOrderingMSP", Message: "received unsuccessful response from orderer: status=SERVICE_UNAVAILABLE, info=no Raft leader",
	}))
	require.NoError(t, err)
	cases := []struct {
		name        string
		stage       Stage
		err         error
		unavailable bool
		unreachable bool
		says        string
	}{
		{name: "no Raft leader", stage: StageSubmit, err: st.Err(), unavailable: true,
			says: "Put on finance-ledger/baseline could not be ordered: the ordering service is unavailable: no orderers could successfully process transaction (Unavailable) [by OversightOrderingMSP at 127.0.0.1:21050]"},
		{name: "no orderer known to the gateway", stage: StageSubmit, err: status.Error(codes.Unavailable, "no orderer nodes available"), unavailable: true,
			says: "the ordering service is unavailable: no orderer nodes available"},
		{name: "after an orderer took a copy", stage: StageCommitStatus, err: st.Err(), unavailable: true, says: "which may still commit"},
		{name: "the gateway peer is down", stage: StageSubmit, err: status.Error(codes.Unavailable, "connection refused"), unreachable: true,
			says: "failed at submit: connection refused (Unavailable)"},
		{name: "refused by an orderer", stage: StageSubmit, err: status.Error(codes.Aborted, "received unsuccessful response from orderer: status=FORBIDDEN"),
			says: "failed at submit"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newTxError(tc.stage, "finance-ledger", "baseline", "Put", tc.err)
			e.Stage = tc.stage
			assert.Equal(t, tc.unavailable, e.OrderingUnavailable())
			assert.Equal(t, tc.unreachable, e.Unreachable())
			assert.Contains(t, e.Error(), tc.says)
		})
	}
}
