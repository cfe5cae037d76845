package ledgertest_test

import (
	"errors"
	"fmt"
	"runtime"
	"testing"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/foundation"
	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

// recorder is a testing.TB that keeps the errors reported to it.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

// Fatalf records the error and ends the goroutine, as testing.T does; run
// the check with recorded so that it ends the check only.
func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	runtime.Goexit()
}

// recorded runs check with a recorder reporting to t and returns the
// errors check reported, fatal or not.
func recorded(t *testing.T, check func(tb testing.TB)) []string {
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		check(r)
	}()
	<-done
	return r.errors
}

var errRefused = errors.New("refused")

func TestRequireRefused(t *testing.T) {
	l := ledgertest.New(t)
	c := l.As("OrgAMSP", "clerk")
	put(t, c, "k", "v")
	refuse := func(ctx ctxT) error { return fmt.Errorf("put k: %w", errRefused) }
	writeThenRefuse := func(ctx ctxT) error {
		if err := ctx.GetStub().PutState("k", []byte("changed")); err != nil {
			return err
		}
		return fmt.Errorf("put k: %w", errRefused)
	}

	tests := []struct {
		name string
		want ledgertest.Refusal
		call func() error
		// reported lists phrases of the errors the check must report.
		reported []string
	}{
		{"a refusal as wanted", ledgertest.Refused(errRefused, "put k"), func() error { return c.Submit(refuse) }, nil},
		{"a transaction that writes and fails is rolled back", ledgertest.Refused(errRefused), func() error { return c.Submit(writeThenRefuse) }, nil},
		{"success", ledgertest.Refused(errRefused), func() error { return nil }, []string{"the call succeeded"}},
		{"another error", ledgertest.Refused(errRefused), func() error { return errors.New("other") }, []string{`"other" does not wrap refused`}},
		{"a missing phrase", ledgertest.Refused(errRefused, "put k", "because"), func() error { return c.Submit(refuse) }, []string{`does not say "because"`}},
		{"a refusal after a committed write", ledgertest.Refused(errRefused), func() error {
			put(t, c, "k", "changed by an earlier transaction")
			return c.Submit(refuse)
		}, []string{`must write nothing, but: history of "k" changed; state "k" changed`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := &recorder{TB: t}
			err := l.RequireRefused(r, tc.want, tc.call)
			require.Len(t, r.errors, len(tc.reported), "%q", r.errors)
			for i, phrase := range tc.reported {
				assert.Contains(t, r.errors[i], phrase)
			}
			if tc.reported == nil {
				assert.ErrorIs(t, err, errRefused, "the refusal is returned")
			}
		})
	}
}

type greeter struct {
	contractapi.Contract
}

func (g *greeter) Hello(ctx ctxT, name string) (string, error) { return "hello " + name, nil }
func (g *greeter) Bye(ctx ctxT) error                          { return nil }

func TestTransactionNames(t *testing.T) {
	cc, err := contractapi.NewChaincode(&greeter{Contract: contractapi.Contract{Name: "greeter"}})
	require.NoError(t, err)
	c := ledgertest.New(t).As("OrgAMSP", "")

	names, err := c.TransactionNames(cc, "greeter")
	require.NoError(t, err)
	assert.Equal(t, []string{"Bye", "Hello"}, names)

	_, err = c.TransactionNames(cc, "other")
	assert.ErrorContains(t, err, `the chaincode has no contract "other"`)
}

func TestRunRefusalsRunsEveryCaseAsASubtest(t *testing.T) {
	l := ledgertest.New(t)
	c := l.As("OrgAMSP", "clerk")
	var ran []string
	refusal := func(name string) func() error {
		return func() error {
			ran = append(ran, name)
			return c.Submit(func(ctxT) error { return fmt.Errorf("%s: %w", name, errRefused) })
		}
	}
	l.RunRefusals(t, []ledgertest.RefusalCase{
		{Name: "first", Call: refusal("first"), Want: ledgertest.Refused(errRefused, "first")},
		{Name: "second", Call: refusal("second"), Want: ledgertest.Refused(errRefused, "second")},
	})
	assert.Equal(t, []string{"first", "second"}, ran)
}

func TestChangeSummaryLeavesOutWhatIsEmpty(t *testing.T) {
	ev := foundation.Event{Changes: []foundation.Change{
		{Op: foundation.OpCreate, ObjectType: "evd.case", Attributes: []string{"IC-1"}, Endorsers: []string{"AMSP", "BMSP"}},
		{Op: foundation.OpCreate, Collection: "Sealed", ObjectType: "evd.parties", Attributes: []string{"IC-1"}},
		{Op: foundation.OpUpdate, ObjectType: "fin.spending", Attributes: []string{"2026", "P-1", "A-1"}},
	}}
	assert.Equal(t, []string{
		"create evd.case IC-1 AMSP,BMSP",
		"create Sealed evd.parties IC-1",
		"update fin.spending 2026/P-1/A-1",
	}, ledgertest.ChangeSummary(ev))
	assert.Empty(t, ledgertest.ChangeSummary(foundation.Event{}))
}
