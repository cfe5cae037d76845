package govclient

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/finance"
)

// TestFinanceViewMatchesTheContract checks the view against the contract
// itself, so that a function added to or changed in the contract without
// the view fails here rather than on the network: every transaction
// function has a view method of the same name; a function the contract
// lists as a query is evaluated (it returns no Result), every other one is
// submitted (it returns one); a write takes the contract's request type of
// the function's name, a query takes the contract's own arguments in the
// same order and types; both return the contract's record type.
func TestFinanceViewMatchesTheContract(t *testing.T) {
	contract := reflect.TypeOf(finance.New())
	view := reflect.TypeOf(&Finance{})
	queries := finance.New().GetEvaluateTransactions()
	ctxType := reflect.TypeOf((*context.Context)(nil)).Elem()
	txCtxType := reflect.TypeOf((*contractapi.TransactionContextInterface)(nil)).Elem()
	resultType := reflect.TypeOf(&Result{})

	functions := 0
	for i := range contract.NumMethod() {
		fn := contract.Method(i)
		if fn.Type.NumIn() < 2 || fn.Type.In(1) != txCtxType {
			continue // not a transaction function
		}
		functions++
		m, ok := view.MethodByName(fn.Name)
		if !assert.True(t, ok, "the finance view has no method %s", fn.Name) {
			continue
		}
		require.Equal(t, 2, fn.Type.NumOut(), fn.Name)
		record := fn.Type.Out(0)
		assert.Equal(t, ctxType, m.Type.In(1), "%s takes a context first", fn.Name)
		viewArgs := make([]reflect.Type, 0, m.Type.NumIn()-2)
		for j := 2; j < m.Type.NumIn(); j++ {
			viewArgs = append(viewArgs, m.Type.In(j))
		}
		if slices.Contains(queries, fn.Name) {
			contractArgs := make([]reflect.Type, 0, fn.Type.NumIn()-2)
			for j := 2; j < fn.Type.NumIn(); j++ {
				contractArgs = append(contractArgs, fn.Type.In(j))
			}
			assert.Equal(t, contractArgs, viewArgs, "%s takes the contract's arguments", fn.Name)
			require.Equal(t, 2, m.Type.NumOut(), "%s is a query: it is evaluated and returns no Result", fn.Name)
			assert.Equal(t, record, m.Type.Out(0), fn.Name)
			continue
		}
		if assert.Len(t, viewArgs, 1, "%s takes one request", fn.Name) {
			assert.Equal(t, fn.Name+"Request", viewArgs[0].Name(), "%s takes the contract's request", fn.Name)
			assert.Equal(t, contract.Elem().PkgPath(), viewArgs[0].PkgPath(), fn.Name)
		}
		require.Equal(t, 3, m.Type.NumOut(), "%s is a write: it is submitted and returns a Result", fn.Name)
		assert.Equal(t, record, m.Type.Out(0), fn.Name)
		assert.Equal(t, resultType, m.Type.Out(1), fn.Name)
	}
	assert.Equal(t, functions, view.NumMethod(), "the view has one method per transaction function and no other")
}

func TestPagedPutsPageSizeAndBookmarkLast(t *testing.T) {
	assert.Equal(t, []string{"disbursement", "D-1", "25", "bm"}, paged(25, "bm", "disbursement", "D-1"))
	assert.Equal(t, []string{"0", ""}, paged(0, ""))
}
