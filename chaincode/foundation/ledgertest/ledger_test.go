package ledgertest_test

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/pkg/statebased"
	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

type ctxT = contractapi.TransactionContextInterface

func put(t *testing.T, c *ledgertest.Client, kv ...string) {
	t.Helper()
	require.NoError(t, c.Submit(func(ctx ctxT) error {
		for i := 0; i+1 < len(kv); i += 2 {
			if err := ctx.GetStub().PutState(kv[i], []byte(kv[i+1])); err != nil {
				return err
			}
		}
		return nil
	}))
}

func TestWritesAreInvisibleUntilCommit(t *testing.T) {
	l := ledgertest.New(t)
	c := l.As("OrgAMSP", "clerk")

	require.NoError(t, c.Submit(func(ctx ctxT) error {
		require.NoError(t, ctx.GetStub().PutState("k", []byte("v1")))
		got, err := ctx.GetStub().GetState("k")
		require.NoError(t, err)
		assert.Nil(t, got, "GetState must not see the transaction's own write")
		return nil
	}))
	assert.Equal(t, []byte("v1"), l.State("k"), "a nil return commits")

	before := l.Snapshot()
	failure := errors.New("rule violated")
	err := c.Submit(func(ctx ctxT) error {
		require.NoError(t, ctx.GetStub().PutState("k", []byte("v2")))
		require.NoError(t, ctx.GetStub().PutState("other", []byte("x")))
		require.NoError(t, ctx.GetStub().SetEvent("Changed", []byte("{}")))
		return failure
	})
	require.ErrorIs(t, err, failure)
	assert.Empty(t, l.Diff(before), "an error return discards every write and the event")
	assert.Equal(t, []byte("v1"), l.State("k"))
}

func TestEvaluateNeverCommits(t *testing.T) {
	l := ledgertest.New(t)
	before := l.Snapshot()
	require.NoError(t, l.As("OrgAMSP", "clerk").Evaluate(func(ctx ctxT) error {
		return ctx.GetStub().PutState("k", []byte("v"))
	}))
	assert.Empty(t, l.Diff(before))
}

func TestWriteValidation(t *testing.T) {
	l := ledgertest.New(t)
	c := l.As("OrgAMSP", "clerk")
	tests := []struct {
		name  string
		write func(shim.ChaincodeStubInterface) error
		want  string
	}{
		{"empty key", func(s shim.ChaincodeStubInterface) error { return s.PutState("", []byte("v")) }, "empty string"},
		{"invalid utf-8 key", func(s shim.ChaincodeStubInterface) error { return s.PutState("\xff", []byte("v")) }, "UTF-8"},
		{"empty value", func(s shim.ChaincodeStubInterface) error { return s.PutState("k", nil) }, "DelState"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := c.Submit(func(ctx ctxT) error { return tt.write(ctx.GetStub()) })
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestRangeQueriesInKeyOrderWithBookmarks(t *testing.T) {
	l := ledgertest.New(t)
	c := l.As("OrgAMSP", "clerk")
	var kv []string
	// written out of order, in two transactions
	for _, i := range []int{4, 0, 3, 6, 1} {
		k, err := shim.CreateCompositeKey("item", []string{"shelf1", fmt.Sprintf("%02d", i)})
		require.NoError(t, err)
		kv = append(kv, k, fmt.Sprint(i))
	}
	put(t, c, kv...)
	other, err := shim.CreateCompositeKey("item", []string{"shelf2", "00"})
	require.NoError(t, err)
	put(t, c, other, "x", "simple-b", "b", "simple-a", "a")

	type page struct {
		values   []string
		bookmark string
	}
	readPage := func(pageSize int32, bookmark string) page {
		var p page
		require.NoError(t, c.Evaluate(func(ctx ctxT) error {
			iter, meta, err := ctx.GetStub().GetStateByPartialCompositeKeyWithPagination("item", []string{"shelf1"}, pageSize, bookmark)
			require.NoError(t, err)
			defer iter.Close()
			for iter.HasNext() {
				kv, err := iter.Next()
				require.NoError(t, err)
				p.values = append(p.values, string(kv.GetValue()))
			}
			assert.Equal(t, int32(len(p.values)), meta.GetFetchedRecordsCount())
			p.bookmark = meta.GetBookmark()
			return nil
		}))
		return p
	}

	first := readPage(2, "")
	assert.Equal(t, []string{"0", "1"}, first.values)
	require.NotEmpty(t, first.bookmark)
	second := readPage(2, first.bookmark)
	assert.Equal(t, []string{"3", "4"}, second.values)
	third := readPage(2, second.bookmark)
	assert.Equal(t, []string{"6"}, third.values, "shelf2 is outside the partial key")
	assert.Empty(t, third.bookmark, "no bookmark after the last page")

	exact := readPage(5, "")
	assert.Equal(t, []string{"0", "1", "3", "4", "6"}, exact.values)
	assert.Empty(t, exact.bookmark, "a page that ends exactly at the last key has no bookmark")

	require.NoError(t, c.Evaluate(func(ctx ctxT) error {
		iter, err := ctx.GetStub().GetStateByRange("", "")
		require.NoError(t, err)
		assert.Equal(t, []string{"simple-a", "simple-b"}, keysOf(t, iter), "unbounded simple range skips composite keys")
		_, err = ctx.GetStub().GetStateByRange(other, "")
		assert.Error(t, err, "composite keys are not valid range bounds")
		return nil
	}))
}

// keysOf drains iter and returns its keys.
func keysOf(t *testing.T, iter shim.StateQueryIteratorInterface) []string {
	t.Helper()
	defer iter.Close()
	var keys []string
	for iter.HasNext() {
		kv, err := iter.Next()
		require.NoError(t, err)
		keys = append(keys, kv.GetKey())
	}
	return keys
}

func TestPaginationAndWritesDoNotMix(t *testing.T) {
	l := ledgertest.New(t)
	c := l.As("OrgAMSP", "clerk")
	err := c.Submit(func(ctx ctxT) error {
		if err := ctx.GetStub().PutState("a", []byte("1")); err != nil {
			return err
		}
		_, _, err := ctx.GetStub().GetStateByRangeWithPagination("a", "z", 10, "")
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "read-only")

	err = c.Submit(func(ctx ctxT) error {
		if _, _, err := ctx.GetStub().GetStateByRangeWithPagination("a", "z", 10, ""); err != nil {
			return err
		}
		return ctx.GetStub().PutState("a", []byte("1"))
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Writes are not allowed")
	assert.Nil(t, l.State("a"))
}

func TestHistoryNewestFirst(t *testing.T) {
	start := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	l := ledgertest.New(t, ledgertest.WithClock(start, time.Minute))
	c := l.As("OrgAMSP", "clerk")
	var txIDs []string
	for _, op := range []string{"v1", "v2", "delete", "v3"} {
		require.NoError(t, c.Submit(func(ctx ctxT) error {
			txIDs = append(txIDs, ctx.GetStub().GetTxID())
			if op == "delete" {
				return ctx.GetStub().DelState("k")
			}
			return ctx.GetStub().PutState("k", []byte(op))
		}))
	}
	require.NoError(t, c.Evaluate(func(ctx ctxT) error {
		iter, err := ctx.GetStub().GetHistoryForKey("k")
		require.NoError(t, err)
		defer iter.Close()
		var got []string
		for iter.HasNext() {
			m, err := iter.Next()
			require.NoError(t, err)
			got = append(got, fmt.Sprintf("%s %s %v %s", m.GetTxId(), m.GetTimestamp().AsTime().Format(time.TimeOnly), m.GetIsDelete(), m.GetValue()))
		}
		assert.Equal(t, []string{
			txIDs[3] + " 03:07:05 false v3",
			txIDs[2] + " 03:06:05 true ",
			txIDs[1] + " 03:05:05 false v2",
			txIDs[0] + " 03:04:05 false v1",
		}, got)
		return nil
	}))
}

func TestTransactionIDsAndTimestampsAdvance(t *testing.T) {
	l := ledgertest.New(t)
	c := l.As("OrgAMSP", "clerk")
	seen := map[string]bool{}
	var last time.Time
	for range 3 {
		require.NoError(t, c.Evaluate(func(ctx ctxT) error {
			id := ctx.GetStub().GetTxID()
			assert.Len(t, id, 64)
			assert.False(t, seen[id], "transaction IDs are unique")
			seen[id] = true
			ts, err := ctx.GetStub().GetTxTimestamp()
			require.NoError(t, err)
			assert.True(t, ts.AsTime().After(last), "timestamps advance")
			last = ts.AsTime()
			return nil
		}))
	}
}

func TestCreatorIsARealCertificateWithRole(t *testing.T) {
	l := ledgertest.New(t)
	tests := []struct {
		name     string
		client   *ledgertest.Client
		wantMSP  string
		wantRole string
		hasRole  bool
	}{
		{"with role", l.As("UniversityAMSP", "registrar"), "UniversityAMSP", "registrar", true},
		{"other org same role", l.As("UniversityBMSP", "registrar"), "UniversityBMSP", "registrar", true},
		{"without attribute", l.As("OversightMSP", ""), "OversightMSP", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.NoError(t, tt.client.Evaluate(func(ctx ctxT) error {
				id := ctx.GetClientIdentity()
				require.NotNil(t, id)
				msp, err := id.GetMSPID()
				require.NoError(t, err)
				assert.Equal(t, tt.wantMSP, msp)
				role, found, err := id.GetAttributeValue("govshare.role")
				require.NoError(t, err)
				assert.Equal(t, tt.hasRole, found)
				assert.Equal(t, tt.wantRole, role)
				cert, err := id.GetX509Certificate()
				require.NoError(t, err)
				assert.Equal(t, []string{tt.wantMSP}, cert.Subject.Organization)
				return nil
			}))
		})
	}

	require.NoError(t, l.As("X", "y").WithCreator([]byte("not a serialized identity")).Evaluate(func(ctx ctxT) error {
		_, err := ctx.GetStub().GetCreator()
		require.NoError(t, err)
		// contractapi leaves a nil *cid.ClientID in the context; so does ledgertest
		assert.Nil(t, ctx.GetClientIdentity())
		return nil
	}))
}

func TestPrivateDataAndTransient(t *testing.T) {
	l := ledgertest.New(t, ledgertest.WithCollection("Secrets", "OrgAMSP", "OrgCMSP"))
	member := l.As("OrgAMSP", "clerk").WithTransient("secret", []byte("s3cret"))
	outsider := l.As("OrgBMSP", "clerk")

	require.NoError(t, member.Submit(func(ctx ctxT) error {
		tm, err := ctx.GetStub().GetTransient()
		require.NoError(t, err)
		assert.Equal(t, map[string][]byte{"secret": []byte("s3cret")}, tm)
		require.NoError(t, ctx.GetStub().PutPrivateData("Secrets", "k", tm["secret"]))
		got, err := ctx.GetStub().GetPrivateData("Secrets", "k")
		require.NoError(t, err)
		assert.Nil(t, got, "private writes are invisible until commit too")
		return nil
	}))
	assert.Equal(t, []byte("s3cret"), l.PrivateState("Secrets", "k"))
	assert.Nil(t, l.State("k"), "private data never reaches world state")

	require.NoError(t, outsider.Evaluate(func(ctx ctxT) error {
		tm, err := ctx.GetStub().GetTransient()
		require.NoError(t, err)
		assert.Empty(t, tm, "transient data belongs to one proposal")
		_, err = ctx.GetStub().GetPrivateData("Secrets", "k")
		assert.ErrorContains(t, err, "does not have read access")
		assert.ErrorContains(t, ctx.GetStub().PutPrivateData("Secrets", "k2", []byte("v")), "does not have write access")
		hash, err := ctx.GetStub().GetPrivateDataHash("Secrets", "k")
		require.NoError(t, err)
		sum := sha256.Sum256([]byte("s3cret"))
		assert.Equal(t, sum[:], hash, "every organisation can read the hash")
		_, err = ctx.GetStub().GetPrivateData("Undeclared", "k")
		assert.ErrorContains(t, err, "not defined")
		return nil
	}))
}

// policyOf returns a key-level endorsement policy requiring the peers of
// every organisation in mspIDs.
func policyOf(t *testing.T, mspIDs ...string) []byte {
	t.Helper()
	ep, err := statebased.NewStateEP(nil)
	require.NoError(t, err)
	require.NoError(t, ep.AddOrgs(statebased.RoleTypePeer, mspIDs...))
	policy, err := ep.Policy()
	require.NoError(t, err)
	return policy
}

func TestKeyLevelEndorsementIsEnforcedAtCommit(t *testing.T) {
	l := ledgertest.New(t)
	policy := policyOf(t, "OrgAMSP", "OrgCMSP")

	c := l.As("OrgAMSP", "clerk")
	require.NoError(t, c.Submit(func(ctx ctxT) error {
		if err := ctx.GetStub().PutState("k", []byte("v1")); err != nil {
			return err
		}
		got, err := ctx.GetStub().GetStateValidationParameter("k")
		require.NoError(t, err)
		assert.Nil(t, got, "the policy is not in force before commit")
		return ctx.GetStub().SetStateValidationParameter("k", policy)
	}))
	assert.Equal(t, policy, l.ValidationParameter("k"))

	write := func(ctx ctxT) error { return ctx.GetStub().PutState("k", []byte("v2")) }
	before := l.Snapshot()
	err := c.EndorsedBy("OrgAMSP", "OrgBMSP").Submit(write)
	var invalid *ledgertest.ValidationError
	require.ErrorAs(t, err, &invalid)
	assert.Equal(t, "ENDORSEMENT_POLICY_FAILURE", invalid.Code)
	assert.Empty(t, l.Diff(before))

	require.NoError(t, c.EndorsedBy("OrgCMSP", "OrgAMSP").Submit(write))
	assert.Equal(t, []byte("v2"), l.State("k"))
}

func TestEventsOfCommittedTransactions(t *testing.T) {
	l := ledgertest.New(t)
	c := l.As("OrgAMSP", "clerk")
	var txID string
	require.NoError(t, c.Submit(func(ctx ctxT) error {
		txID = ctx.GetStub().GetTxID()
		require.NoError(t, ctx.GetStub().SetEvent("First", []byte("1")))
		return ctx.GetStub().SetEvent("Second", []byte("2")) // replaces, as in Fabric
	}))
	require.Error(t, c.Submit(func(ctx ctxT) error {
		require.NoError(t, ctx.GetStub().SetEvent("Lost", nil))
		return errors.New("refused")
	}))
	assert.Equal(t, []ledgertest.Event{{TxID: txID, Name: "Second", Payload: []byte("2")}}, l.Events())
}

func TestUnsupportedMethodsReturnErrors(t *testing.T) {
	l := ledgertest.New(t)
	require.NoError(t, l.As("OrgAMSP", "clerk").Evaluate(func(ctx ctxT) error {
		s := ctx.GetStub()
		_, err := s.GetQueryResult(`{"selector":{}}`)
		assert.Error(t, err)
		_, _, err = s.GetQueryResultWithPagination(`{}`, 10, "")
		assert.Error(t, err)
		_, err = s.GetPrivateDataQueryResult("c", `{}`)
		assert.Error(t, err)
		_, err = s.GetSignedProposal()
		assert.Error(t, err)
		_, err = s.GetBinding()
		assert.Error(t, err)
		assert.Equal(t, int32(shim.ERROR), s.InvokeChaincode("other", nil, "").GetStatus())
		for _, bad := range []string{"", "x", "\x00", "\x00a"} {
			_, _, err := s.SplitCompositeKey(bad)
			assert.Error(t, err, "malformed composite key %q", bad)
		}
		return nil
	}))
}

func TestContextCannotOutliveItsTransaction(t *testing.T) {
	l := ledgertest.New(t)
	var kept ctxT
	require.NoError(t, l.As("OrgAMSP", "clerk").Submit(func(ctx ctxT) error {
		kept = ctx
		return nil
	}))
	assert.ErrorContains(t, kept.GetStub().PutState("k", []byte("v")), "finished")
}

// echo is a minimal chaincode: "put k v" writes, "fail" errors.
type echo struct{}

func (echo) Init(shim.ChaincodeStubInterface) *peer.Response { return shim.Success(nil) }

func (echo) Invoke(stub shim.ChaincodeStubInterface) *peer.Response {
	fn, args := stub.GetFunctionAndParameters()
	if fn == "put" && len(args) == 2 {
		if err := stub.PutState(args[0], []byte(args[1])); err != nil {
			return shim.Error(err.Error())
		}
		return shim.Success([]byte("ok"))
	}
	_ = stub.PutState("should-not-commit", []byte("x"))
	return shim.Error("unknown function " + fn)
}

func TestInvokeRunsAChaincode(t *testing.T) {
	l := ledgertest.New(t)
	c := l.As("OrgAMSP", "clerk")
	payload, err := c.Invoke(echo{}, "put", "k", "v")
	require.NoError(t, err)
	assert.Equal(t, []byte("ok"), payload)
	assert.Equal(t, []byte("v"), l.State("k"))

	_, err = c.Invoke(echo{}, "fail")
	var ccErr *ledgertest.ChaincodeError
	require.ErrorAs(t, err, &ccErr)
	assert.Equal(t, "unknown function fail", ccErr.Message)
	assert.Nil(t, l.State("should-not-commit"))

	_, err = c.Query(echo{}, "put", "q", "v")
	require.NoError(t, err)
	assert.Nil(t, l.State("q"), "queries are not committed")
}

func TestDiffReportsChanges(t *testing.T) {
	l := ledgertest.New(t, ledgertest.WithCollection("C", "OrgAMSP"))
	c := l.As("OrgAMSP", "clerk")
	put(t, c, "a", "1", "b", "2")
	before := l.Snapshot()
	require.NoError(t, c.Submit(func(ctx ctxT) error {
		s := ctx.GetStub()
		require.NoError(t, s.PutState("a", []byte("changed")))
		require.NoError(t, s.DelState("b"))
		return s.PutPrivateData("C", "p", []byte("x"))
	}))
	assert.Equal(t, []string{
		`history of "a" changed`,
		`history of "b" changed`,
		`private C "p" added`,
		`state "a" changed`,
		`state "b" removed`,
	}, l.Diff(before))
}

func TestForkIsIndependent(t *testing.T) {
	l := ledgertest.New(t, ledgertest.WithCollection("C", "OrgAMSP"))
	c := l.As("OrgAMSP", "clerk")
	require.NoError(t, c.Submit(func(ctx ctxT) error {
		require.NoError(t, ctx.GetStub().PutPrivateData("C", "p", []byte("1")))
		require.NoError(t, ctx.GetStub().SetEvent("E", nil))
		return ctx.GetStub().PutState("k", []byte("1"))
	}))

	fork := l.Fork(t)
	assert.Empty(t, fork.Diff(l.Snapshot()), "a fork starts equal")
	require.NoError(t, fork.As("OrgAMSP", "clerk").Submit(func(ctx ctxT) error {
		assert.Equal(t, uint64(2), fork.Height(), "the transaction counter continues")
		require.NoError(t, ctx.GetStub().PutPrivateData("C", "p", []byte("2")))
		return ctx.GetStub().PutState("k", []byte("2"))
	}))
	assert.Equal(t, []byte("1"), l.State("k"), "writes to the fork do not reach the original")
	assert.Equal(t, []byte("1"), l.PrivateState("C", "p"))
	assert.Equal(t, []byte("2"), fork.State("k"))

	put(t, c, "only-in-original", "x")
	assert.Nil(t, fork.State("only-in-original"))
}

func TestMultipleReads(t *testing.T) {
	l := ledgertest.New(t, ledgertest.WithCollection("C", "OrgAMSP"))
	c := l.As("OrgAMSP", "clerk")
	require.NoError(t, c.Submit(func(ctx ctxT) error {
		require.NoError(t, ctx.GetStub().PutPrivateData("C", "p1", []byte("x")))
		return ctx.GetStub().PutState("a", []byte("1"))
	}))
	require.NoError(t, c.Evaluate(func(ctx ctxT) error {
		values, err := ctx.GetStub().GetMultipleStates("a", "missing")
		require.NoError(t, err)
		assert.Equal(t, [][]byte{[]byte("1"), nil}, values)
		values, err = ctx.GetStub().GetMultiplePrivateData("C", "missing", "p1")
		require.NoError(t, err)
		assert.Equal(t, [][]byte{nil, []byte("x")}, values)
		values, err = ctx.GetStub().GetMultipleStates()
		assert.NoError(t, err)
		assert.Nil(t, values)
		return nil
	}))
}

func TestPrivateRangeQueriesAndPolicies(t *testing.T) {
	l := ledgertest.New(t, ledgertest.WithCollection("C", "OrgAMSP", "OrgBMSP"))
	c := l.As("OrgAMSP", "clerk")
	policy := policyOf(t, "OrgAMSP")

	require.NoError(t, c.Submit(func(ctx ctxT) error {
		s := ctx.GetStub()
		for _, k := range []string{"b", "a", "c"} {
			require.NoError(t, s.PutPrivateData("C", k, []byte(k)))
		}
		return s.SetPrivateDataValidationParameter("C", "a", policy)
	}))

	require.NoError(t, c.Evaluate(func(ctx ctxT) error {
		got, err := ctx.GetStub().GetPrivateDataValidationParameter("C", "a")
		require.NoError(t, err)
		assert.Equal(t, policy, got)
		iter, err := ctx.GetStub().GetPrivateDataByRange("C", "a", "c")
		require.NoError(t, err)
		assert.Equal(t, []string{"a", "b"}, keysOf(t, iter), "private range in key order, end exclusive")
		assert.ErrorContains(t, ctx.GetStub().PutPrivateData("C", "d", []byte("d")), "Writes are not allowed",
			"a transaction that queried private data may not write")
		return nil
	}))

	write := func(ctx ctxT) error { return ctx.GetStub().PutPrivateData("C", "a", []byte("new")) }
	var invalid *ledgertest.ValidationError
	require.ErrorAs(t, l.As("OrgBMSP", "clerk").EndorsedBy("OrgBMSP").Submit(write), &invalid)
	assert.Equal(t, []byte("a"), l.PrivateState("C", "a"))
	require.NoError(t, l.As("OrgBMSP", "clerk").EndorsedBy("OrgAMSP").Submit(write))
	assert.Equal(t, []byte("new"), l.PrivateState("C", "a"))
}
