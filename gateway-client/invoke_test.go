package govclient

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/gateway-client/profile"
)

// scriptedTransport answers each endorsement with the next of its
// outcomes (the last one again when they run out) and each evaluation with
// what answer says; it records every call. An outcome that is a commit
// *TxError makes a transaction that commits with its validation code,
// nil one that commits valid as tx1 in block 7, any other error is the
// endorsement's.
type scriptedTransport struct {
	mu        sync.Mutex
	outcomes  []error
	endorsed  int
	answer    func(c call) error
	evaluated []call
}

func (t *scriptedTransport) endorse(ctx context.Context, c call) (transaction, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	err := t.outcomes[min(t.endorsed, len(t.outcomes)-1)]
	t.endorsed++
	var txErr *TxError
	switch {
	case err == nil:
		return &settledTransaction{id: "tx1", commitStatus: commitStatus{Code: peer.TxValidationCode_VALID, BlockNumber: 7}}, nil
	case errors.As(err, &txErr) && txErr.Stage == StageCommit:
		return &settledTransaction{id: txErr.TransactionID, commitStatus: commitStatus{Code: txErr.Code, BlockNumber: 7}}, nil
	}
	return nil, err
}

// settledTransaction commits as soon as it is submitted, with a status
// decided in advance.
type settledTransaction struct {
	id string
	commitStatus
}

func (t *settledTransaction) ID() string                   { return t.id }
func (t *settledTransaction) Result() []byte               { return nil }
func (t *settledTransaction) submit(context.Context) error { return nil }
func (t *settledTransaction) status(context.Context) (commitStatus, error) {
	return t.commitStatus, nil
}

func (t *scriptedTransport) evaluate(ctx context.Context, c call) ([]byte, error) {
	t.mu.Lock()
	t.evaluated = append(t.evaluated, c)
	t.mu.Unlock()
	if t.answer == nil {
		return nil, nil
	}
	if err := t.answer(c); err != nil {
		return nil, err
	}
	return []byte("ok"), nil
}

// sessionOn returns a session of mspID that sends its calls to net.
func sessionOn(mspID string, net transport, opts ...Option) *Session {
	c := &Client{profile: &profile.Profile{MSPID: mspID}, opts: newOptions(opts...)}
	return &Session{client: c, role: "registrar", net: net}
}

func conflict() error {
	return &TxError{Stage: StageCommit, Channel: consortium.FinanceChannel, Chaincode: "finance", Function: "Disburse",
		TransactionID: "tx0", Code: peer.TxValidationCode_MVCC_READ_CONFLICT}
}

func TestSubmitRetriesConflictsWithDoublingPauses(t *testing.T) {
	net := &scriptedTransport{outcomes: []error{conflict(), conflict(), nil}}
	s := sessionOn(consortium.EduMinistryMSP, net, WithRetries(5, 10*time.Millisecond))
	began := time.Now()
	result, err := s.Submit(context.Background(), consortium.FinanceChannel, "finance", "Disburse", "{}")
	require.NoError(t, err)
	assert.Equal(t, 3, result.Attempts)
	assert.Equal(t, 3, net.endorsed)
	assert.GreaterOrEqual(t, time.Since(began), 30*time.Millisecond, "pauses of 10 ms, then 20 ms")
}

func TestSubmitGivesUpAfterItsAttempts(t *testing.T) {
	net := &scriptedTransport{outcomes: []error{conflict()}}
	s := sessionOn(consortium.EduMinistryMSP, net, WithRetries(3, time.Millisecond))
	_, err := s.Submit(context.Background(), consortium.FinanceChannel, "finance", "Disburse", "{}")
	var txErr *TxError
	require.ErrorAs(t, err, &txErr)
	assert.True(t, txErr.Conflict())
	assert.Equal(t, 3, txErr.Attempts)
	assert.Equal(t, 3, net.endorsed)
	assert.Contains(t, err.Error(), "MVCC_READ_CONFLICT")
}

func TestSubmitRetriesEndorsementMismatchesOnly(t *testing.T) {
	mismatch := errors.New("rpc error: ProposalResponsePayloads do not match")
	net := &scriptedTransport{outcomes: []error{mismatch, nil}}
	s := sessionOn(consortium.EduMinistryMSP, net, WithRetries(5, time.Millisecond))
	result, err := s.Submit(context.Background(), consortium.FinanceChannel, "finance", "Disburse", "{}")
	require.NoError(t, err)
	assert.Equal(t, 2, result.Attempts)

	refused := errors.New("chaincode response 500, allocation A-1 has 0.00 EUR left")
	net = &scriptedTransport{outcomes: []error{refused, nil}}
	s = sessionOn(consortium.EduMinistryMSP, net, WithRetries(5, time.Millisecond))
	_, err = s.Submit(context.Background(), consortium.FinanceChannel, "finance", "Disburse", "{}")
	var txErr *TxError
	require.ErrorAs(t, err, &txErr)
	assert.Equal(t, StageEndorse, txErr.Stage)
	assert.Equal(t, 1, txErr.Attempts)
	assert.Equal(t, 1, net.endorsed, "a refusal is not retried")
	assert.ErrorIs(t, err, refused)
}

func TestSubmitStopsRetryingWhenTheContextEnds(t *testing.T) {
	net := &scriptedTransport{outcomes: []error{conflict()}}
	s := sessionOn(consortium.EduMinistryMSP, net, WithRetries(10, time.Hour))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := s.Submit(ctx, consortium.FinanceChannel, "finance", "Disburse", "{}")
	var txErr *TxError
	require.ErrorAs(t, err, &txErr)
	assert.Equal(t, 1, net.endorsed, "the hour's pause is cut short by the deadline")
	assert.True(t, txErr.Conflict())
}

func TestSubmitWaitsForEveryOtherMembersPeer(t *testing.T) {
	asked := map[string]int{}
	net := &scriptedTransport{outcomes: []error{nil}, answer: func(c call) error {
		asked[c.Endorsers[0]]++
		if c.Endorsers[0] == consortium.UniversityBMSP && asked[c.Endorsers[0]] < 3 {
			return errors.New("transaction tx1 not found") // not committed there yet
		}
		return nil
	}}
	s := sessionOn(consortium.UniversityAMSP, net, WithMemberSync(time.Second))
	_, err := s.Submit(context.Background(), consortium.EducationChannel, "education", "RecordCredit", "{}")
	require.NoError(t, err)

	var members []string
	for _, c := range net.evaluated {
		assert.Equal(t, call{Channel: consortium.EducationChannel, Chaincode: "qscc", Function: "GetTransactionByID",
			Args: []string{consortium.EducationChannel, "tx1"}, Endorsers: c.Endorsers}, c)
		if !slices.Contains(members, c.Endorsers[0]) {
			members = append(members, c.Endorsers[0])
		}
	}
	want := slices.DeleteFunc(consortium.ChannelMembers(consortium.EducationChannel), func(m string) bool { return m == consortium.UniversityAMSP })
	assert.ElementsMatch(t, want, members, "every member's peer but the session's own")
	assert.Equal(t, 3, asked[consortium.UniversityBMSP], "asked again until it has the transaction")
}

func TestMemberWaitIsBoundedAndOffByDefault(t *testing.T) {
	never := &scriptedTransport{outcomes: []error{nil}, answer: func(call) error { return errors.New("not found") }}
	s := sessionOn(consortium.UniversityAMSP, never, WithMemberSync(30*time.Millisecond))
	began := time.Now()
	result, err := s.Submit(context.Background(), consortium.EducationChannel, "education", "RecordCredit", "{}")
	require.NoError(t, err, "the transaction is committed, only not yet everywhere")
	assert.Equal(t, "tx1", result.TransactionID)
	assert.Less(t, time.Since(began), 2*time.Second)
	assert.NotEmpty(t, never.evaluated)

	quiet := &scriptedTransport{outcomes: []error{nil}}
	_, err = sessionOn(consortium.UniversityAMSP, quiet).Submit(context.Background(), consortium.EducationChannel, "education", "RecordCredit", "{}")
	require.NoError(t, err)
	assert.Empty(t, quiet.evaluated, "without WithMemberSync nothing is awaited")
}
