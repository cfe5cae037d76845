package govclient

import (
	"context"
	"fmt"
	"strconv"
)

// view is one chaincode on one channel as a session sees it: the plumbing
// the typed contract views share. A view's methods only choose the function,
// its arguments and the Go types in and out; how a request is encoded, how
// a transaction is submitted or evaluated and how the answer is decoded is
// written here once.
type view struct {
	s         *Session
	channel   string
	chaincode string
}

// call names function of the view's chaincode with its arguments.
func (v view) call(function string, args ...string) call {
	return call{Channel: v.channel, Chaincode: v.chaincode, Function: function, Args: args}
}

// submitRecord submits a write function whose one argument is request as
// JSON, with optional transient data, waits for the commit, and decodes the
// record the function returned. On an error the record is nil; the Result
// is set when the transaction committed but its answer could not be read.
func submitRecord[T any](ctx context.Context, v view, function string, request any, transient map[string][]byte) (*T, *Result, error) {
	arg, err := requestJSON(request)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", function, err)
	}
	c := v.call(function, arg)
	c.Transient = transient
	var out T
	result, err := v.s.submitJSON(ctx, c, &out)
	if err != nil {
		return nil, result, err
	}
	return &out, result, nil
}

// evaluateRecord evaluates a query function with its arguments and decodes
// its answer. On an error the record is nil.
func evaluateRecord[T any](ctx context.Context, v view, function string, args ...string) (*T, error) {
	return evaluateCall[T](ctx, v.s, v.call(function, args...))
}

// evaluateCall evaluates c and decodes its answer, for queries that need
// more than a function and arguments (chosen endorsers).
func evaluateCall[T any](ctx context.Context, s *Session, c call) (*T, error) {
	var out T
	if err := s.evaluateJSON(ctx, c, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// paged returns the arguments of a paginated query: args, then the page
// size (0 for the contract's default) and the bookmark of the previous page
// ("" for the first), which every paginated function takes last.
func paged(pageSize int32, bookmark string, args ...string) []string {
	return append(args, strconv.FormatInt(int64(pageSize), 10), bookmark)
}
