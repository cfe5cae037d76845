package bench

import (
	"context"
	"errors"
	"strings"

	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	govclient "github.com/govshare/govshare/gateway-client"
)

// Failure classes other than validation codes.
const (
	FailEndorse      = "ENDORSE_REFUSED"      // a peer or the chaincode refused the proposal
	FailMismatch     = "ENDORSEMENT_MISMATCH" // the endorsing peers computed different results (they were at different heights)
	FailSubmit       = "SUBMIT_REFUSED"       // the orderers refused the transaction
	FailCommitStatus = "COMMIT_STATUS_ERROR"  // the commit status could not be had
	FailEvaluate     = "EVALUATE_REFUSED"     // a query was refused
	FailTimeout      = "TIMEOUT"              // the operation ran out of time
	FailOverloaded   = "GATEWAY_LIMIT"        // the peer's concurrency limit refused it (peer.limits.concurrency)
	FailClient       = "CLIENT_ERROR"         // anything else, such as an unreadable answer
)

// Classify names the cause of a failed operation: the validation code of a
// transaction that was ordered but failed validation (MVCC_READ_CONFLICT,
// PHANTOM_READ_CONFLICT, ENDORSEMENT_POLICY_FAILURE, ...), or one of the
// Fail classes for one that failed before. It reads the *govclient.TxError
// that every govclient call returns; anything else is FailClient.
func Classify(err error) string {
	if err == nil {
		return ""
	}
	if errors.Is(err, context.DeadlineExceeded) || status.Code(unwrapGRPC(err)) == codes.DeadlineExceeded {
		return FailTimeout
	}
	// the peer's limiter answers with a plain error, code Unknown
	if status.Code(unwrapGRPC(err)) == codes.ResourceExhausted || strings.Contains(Describe(err), "exceeding concurrency limit") {
		return FailOverloaded
	}
	if strings.Contains(Describe(err), "ProposalResponsePayloads do not match") {
		return FailMismatch
	}
	var txErr *govclient.TxError
	if errors.As(err, &txErr) {
		switch txErr.Stage {
		case govclient.StageCommit:
			if txErr.Code != peer.TxValidationCode_VALID {
				return txErr.Code.String()
			}
			return FailCommitStatus
		case govclient.StageEndorse:
			return FailEndorse
		case govclient.StageSubmit:
			return FailSubmit
		case govclient.StageEvaluate:
			return FailEvaluate
		}
	}
	return FailClient
}

// Describe returns err's message followed by each refusing peer's own
// message, which a TxError's one-line summary leaves out.
func Describe(err error) string {
	msg := err.Error()
	var txErr *govclient.TxError
	if errors.As(err, &txErr) {
		for _, p := range txErr.Peers {
			if p.Message != "" {
				msg += "; " + p.MSPID + ": " + p.Message
			}
		}
	}
	return msg
}

// unwrapGRPC returns the innermost error that carries a gRPC status, or
// err itself.
func unwrapGRPC(err error) error {
	var withStatus interface {
		error
		GRPCStatus() *status.Status
	}
	if errors.As(err, &withStatus) {
		return withStatus
	}
	return err
}
