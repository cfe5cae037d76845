package govclient

import (
	"reflect"
	"slices"
	"testing"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/assert"

	"github.com/govshare/govshare/chaincode/education"
	"github.com/govshare/govshare/chaincode/foundation"
)

// TestEducationViewMatchesTheContract checks the view against the contract:
// every transaction function has a view method of the same name and no
// other method exists; a function the contract lists as a query is
// evaluated (no Result), every other one is submitted (a Result), and both
// return the contract's own record type, or for a query that delivers a
// record encrypted for the reader, the record it opens to.
func TestEducationViewMatchesTheContract(t *testing.T) {
	contract := reflect.TypeOf(education.New())
	view := reflect.TypeOf(&Education{})
	queries := education.New().GetEvaluateTransactions()
	txCtxType := reflect.TypeOf((*contractapi.TransactionContextInterface)(nil)).Elem()
	delivered := map[string]reflect.Type{"GetStudentRecord": reflect.TypeOf(&education.StudentRecord{})}

	functions := 0
	for i := range contract.NumMethod() {
		fn := contract.Method(i)
		if fn.Type.NumIn() < 2 || fn.Type.In(1) != txCtxType {
			continue // not a transaction function
		}
		functions++
		m, ok := view.MethodByName(fn.Name)
		if !assert.True(t, ok, "the education view has no method %s", fn.Name) {
			continue
		}
		if slices.Contains(queries, fn.Name) {
			assert.Equal(t, 2, m.Type.NumOut(), "%s is a query: it is evaluated and returns no Result", fn.Name)
		} else {
			assert.Equal(t, 3, m.Type.NumOut(), "%s is a write: it is submitted and returns a Result", fn.Name)
		}
		assert.Equal(t, openedRecord(fn.Name, fn.Type.Out(0), delivered), m.Type.Out(0), "%s returns the contract's record", fn.Name)
	}
	assert.Equal(t, functions, view.NumMethod(), "the view has one method per transaction function and no other")
}

// openedRecord is what a view method returns for a contract function
// that returns out: the same type, or for a foundation.Delivery the
// record type delivered names for the function.
func openedRecord(function string, out reflect.Type, delivered map[string]reflect.Type) reflect.Type {
	if out == reflect.TypeOf(&foundation.Delivery{}) {
		return delivered[function]
	}
	return out
}
