package govclient

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Stage names the step of a transaction that failed.
type Stage string

// The stages of a transaction.
const (
	StageEvaluate Stage = "evaluate" // a query on one peer
	StageEndorse  Stage = "endorse"  // running the chaincode on the endorsing peers
	StageSubmit   Stage = "submit"   // handing the endorsed transaction to the orderers
	StageCommit   Stage = "commit"   // validation by the peers after ordering
	// StageCommitStatus: the transaction was handed to the orderers, but
	// its outcome could not be learnt (a timeout, the gateway going away).
	// It may well have committed: look it up before submitting it again.
	StageCommitStatus Stage = "commit status"
)

// TxError is a transaction that did not go through, with what a person
// needs to act on it.
type TxError struct {
	Stage     Stage
	Channel   string
	Chaincode string
	Function  string
	// TransactionID is empty for evaluations.
	TransactionID string
	// Code is the validation code of a transaction that failed at commit.
	Code peer.TxValidationCode
	// Peers lists each peer that refused, with its organisation and the
	// chaincode's or peer's message.
	Peers []PeerError
	// Attempts is how many times the transaction was endorsed and
	// submitted (more than one after MVCC or phantom read conflicts).
	Attempts int
	// Submissions is how many times the last transaction was handed to
	// the orderers (more than one when a copy was lost or the ordering
	// service was unavailable).
	Submissions int

	err error
}

// PeerError is one peer's refusal.
type PeerError struct {
	MSPID   string
	Address string
	Message string
}

// Error says what failed, where and why, in one line a clerk can read.
func (e *TxError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s on %s/%s", e.Function, e.Channel, e.Chaincode)
	switch {
	case e.OrderingUnavailable():
		fmt.Fprintf(&b, " could not be ordered: the ordering service is unavailable")
		if e.Stage == StageCommitStatus {
			fmt.Fprintf(&b, " (an orderer took an earlier copy, which may still commit; look the transaction up before submitting it again)")
		}
	case e.Stage == StageCommitStatus:
		fmt.Fprintf(&b, " was sent to the orderers but its outcome is unknown (it may have committed; check before submitting again)")
	case e.Stage == StageCommit:
		fmt.Fprintf(&b, " failed validation: %s", e.Code)
		if hint := validationHints[e.Code]; hint != "" {
			fmt.Fprintf(&b, " (%s)", hint)
		}
	case len(e.Peers) > 0:
		fmt.Fprintf(&b, " was refused")
	default:
		fmt.Fprintf(&b, " failed at %s", e.Stage)
	}
	if msg := e.Message(); msg != "" {
		fmt.Fprintf(&b, ": %s", msg)
	} else if e.err != nil && e.Stage != StageCommit {
		fmt.Fprintf(&b, ": %s", grpcMessage(e.err))
	}
	if len(e.Peers) > 0 {
		var who []string
		for _, p := range e.Peers {
			who = append(who, p.MSPID+" at "+p.Address)
		}
		fmt.Fprintf(&b, " [by %s]", strings.Join(who, ", "))
	}
	if e.TransactionID != "" {
		fmt.Fprintf(&b, " [tx %s", e.TransactionID)
		if e.Attempts > 1 {
			fmt.Fprintf(&b, ", %d attempts", e.Attempts)
		}
		if e.Submissions > 1 {
			fmt.Fprintf(&b, ", submitted %d times", e.Submissions)
		}
		b.WriteString("]")
	}
	return b.String()
}

// Message returns the chaincode's own message when a peer reported one,
// without Fabric's wrapping ("chaincode response 500, ...").
func (e *TxError) Message() string {
	for _, p := range e.Peers {
		if msg := chaincodeMessage(p.Message); msg != "" {
			return msg
		}
	}
	return ""
}

// Unwrap returns the Fabric Gateway error underneath.
func (e *TxError) Unwrap() error { return e.err }

// Conflict reports whether the transaction lost a read conflict with
// another transaction, so that endorsing it again may succeed.
func (e *TxError) Conflict() bool {
	return e.Stage == StageCommit &&
		(e.Code == peer.TxValidationCode_MVCC_READ_CONFLICT || e.Code == peer.TxValidationCode_PHANTOM_READ_CONFLICT)
}

var validationHints = map[peer.TxValidationCode]string{
	peer.TxValidationCode_MVCC_READ_CONFLICT:         "another transaction changed what this one read; retried until the attempts ran out",
	peer.TxValidationCode_PHANTOM_READ_CONFLICT:      "another transaction changed a range this one read; retried until the attempts ran out",
	peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE: "the endorsements do not satisfy the chaincode's or the key's endorsement policy",
	peer.TxValidationCode_DUPLICATE_TXID:             "this transaction was already submitted",
}

// Unreachable reports whether the transaction failed because the gateway
// peer could not be reached at all, rather than being refused.
func (e *TxError) Unreachable() bool {
	return len(e.Peers) == 0 && status.Code(e.err) == codes.Unavailable && !e.OrderingUnavailable()
}

// OrderingUnavailable reports whether the transaction was endorsed but the
// ordering service could not take it (no Raft leader: an election that
// outlasted the client's orderer wait, or a lost quorum). Submitting the
// same request again later may succeed.
func (e *TxError) OrderingUnavailable() bool {
	return (e.Stage == StageSubmit || e.Stage == StageCommitStatus) && unavailableOrdering(e.err)
}

// EndorsementMismatch reports whether the endorsing peers computed
// different results: under contention one peer may already have committed
// a block the other has not, so they read different versions. Endorsing
// again a moment later usually agrees.
func (e *TxError) EndorsementMismatch() bool {
	const mismatch = "ProposalResponsePayloads do not match"
	if e.Stage != StageEndorse {
		return false
	}
	if e.err != nil && strings.Contains(grpcMessage(e.err), mismatch) {
		return true
	}
	for _, p := range e.Peers {
		if strings.Contains(p.Message, mismatch) {
			return true
		}
	}
	return false
}

// retryable reports whether endorsing the transaction again may succeed.
func (e *TxError) retryable() bool { return e.Conflict() || e.EndorsementMismatch() }

// IsConflict reports whether err is a transaction that failed on an MVCC
// or phantom read conflict.
func IsConflict(err error) bool {
	var txErr *TxError
	return errors.As(err, &txErr) && txErr.Conflict()
}

// chaincodeMessage extracts the chaincode's message from a peer's error
// text, e.g. "chaincode response 500, access denied: ..." gives
// "access denied: ...".
func chaincodeMessage(peerMessage string) string {
	const marker = "chaincode response "
	i := strings.Index(peerMessage, marker)
	if i < 0 {
		return ""
	}
	rest := peerMessage[i+len(marker):]
	if _, msg, ok := strings.Cut(rest, ", "); ok {
		return strings.TrimSpace(msg)
	}
	return strings.TrimSpace(rest)
}

func grpcMessage(err error) string {
	if s, ok := status.FromError(err); ok && s.Code() != codes.Unknown {
		return fmt.Sprintf("%s (%s)", s.Message(), s.Code())
	}
	return err.Error()
}

// newTxError describes a Fabric Gateway error.
func newTxError(stage Stage, channel, chaincode, function string, err error) *TxError {
	e := &TxError{Stage: stage, Channel: channel, Chaincode: chaincode, Function: function, err: err}
	var commitErr *client.CommitError
	var endorseErr *client.EndorseError
	var submitErr *client.SubmitError
	var statusErr *client.CommitStatusError
	switch {
	case errors.As(err, &commitErr):
		e.Stage, e.TransactionID, e.Code = StageCommit, commitErr.TransactionID, commitErr.Code
	case errors.As(err, &endorseErr):
		e.Stage, e.TransactionID = StageEndorse, endorseErr.TransactionID
		e.Peers = peerErrors(endorseErr.Details())
	case errors.As(err, &submitErr):
		e.Stage, e.TransactionID = StageSubmit, submitErr.TransactionID
		e.Peers = peerErrors(submitErr.Details())
	case errors.As(err, &statusErr):
		e.Stage, e.TransactionID = StageCommitStatus, statusErr.TransactionID
		e.Peers = peerErrors(statusErr.Details())
	default:
		if s, ok := status.FromError(err); ok {
			var details []*gateway.ErrorDetail
			for _, d := range s.Details() {
				if detail, ok := d.(*gateway.ErrorDetail); ok {
					details = append(details, detail)
				}
			}
			e.Peers = peerErrors(details)
		}
	}
	return e
}

func peerErrors(details []*gateway.ErrorDetail) []PeerError {
	out := make([]PeerError, 0, len(details))
	for _, d := range details {
		out = append(out, PeerError{MSPID: d.GetMspId(), Address: d.GetAddress(), Message: d.GetMessage()})
	}
	return out
}
