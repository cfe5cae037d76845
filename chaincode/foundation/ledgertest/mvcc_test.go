package ledgertest_test

import (
	"errors"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

// increment reads counter key and writes it back plus one: the simplest
// transaction whose decision depends on what it read.
func increment(key string) func(ctx ctxT) error {
	return func(ctx ctxT) error {
		raw, err := ctx.GetStub().GetState(key)
		if err != nil {
			return err
		}
		n := 0
		if raw != nil {
			if n, err = strconv.Atoi(string(raw)); err != nil {
				return err
			}
		}
		return ctx.GetStub().PutState(key, []byte(strconv.Itoa(n+1)))
	}
}

// validationCode returns the validation code of an invalid transaction,
// "" for a valid one.
func validationCode(t *testing.T, err error) string {
	t.Helper()
	if err == nil {
		return ""
	}
	var invalid *ledgertest.ValidationError
	require.ErrorAs(t, err, &invalid)
	return invalid.Code
}

func codes(t *testing.T, errs []error) []string {
	out := make([]string, len(errs))
	for i, err := range errs {
		out[i] = validationCode(t, err)
	}
	return out
}

func TestConcurrentTransactionsAreValidatedInBlockOrder(t *testing.T) {
	l := ledgertest.New(t)
	c := l.As("OrgAMSP", "clerk")
	put(t, c, "a", "0", "b", "0")

	t.Run("two read-modify-writes of one key: the second is an MVCC conflict", func(t *testing.T) {
		first, err := c.Endorse(increment("a"))
		require.NoError(t, err)
		second, err := c.Endorse(increment("a"))
		require.NoError(t, err)
		assert.Equal(t, []byte("0"), l.State("a"), "endorsing commits nothing")
		assert.Equal(t, []string{"", "MVCC_READ_CONFLICT"}, codes(t, l.CommitBlock(first, second)))
		assert.Equal(t, []byte("1"), l.State("a"), "only the first applied")
	})

	t.Run("a conflict across blocks is detected too", func(t *testing.T) {
		stale, err := c.Endorse(increment("a"))
		require.NoError(t, err)
		put(t, c, "a", "7")
		assert.Equal(t, []string{"MVCC_READ_CONFLICT"}, codes(t, l.CommitBlock(stale)))
		assert.Equal(t, []byte("7"), l.State("a"))
	})

	t.Run("transactions on different keys commit side by side", func(t *testing.T) {
		onA, err := c.Endorse(increment("a"))
		require.NoError(t, err)
		onB, err := c.Endorse(increment("b"))
		require.NoError(t, err)
		assert.Equal(t, []string{"", ""}, codes(t, l.CommitBlock(onB, onA)))
		assert.Equal(t, []byte("8"), l.State("a"))
		assert.Equal(t, []byte("1"), l.State("b"))
	})

	t.Run("a key read as absent conflicts with its creation", func(t *testing.T) {
		first, err := c.Endorse(increment("new"))
		require.NoError(t, err)
		second, err := c.Endorse(increment("new"))
		require.NoError(t, err)
		assert.Equal(t, []string{"", "MVCC_READ_CONFLICT"}, codes(t, l.CommitBlock(first, second)))
	})

	t.Run("a blind write never conflicts", func(t *testing.T) {
		blind := func(ctx ctxT) error { return ctx.GetStub().PutState("a", []byte("blind")) }
		first, err := c.Endorse(blind)
		require.NoError(t, err)
		second, err := c.Endorse(increment("a"))
		require.NoError(t, err)
		third, err := c.Endorse(blind)
		require.NoError(t, err)
		assert.Equal(t, []string{"", "MVCC_READ_CONFLICT", ""}, codes(t, l.CommitBlock(first, second, third)))
	})

	t.Run("an endorsement commits once", func(t *testing.T) {
		e, err := c.Endorse(increment("b"))
		require.NoError(t, err)
		assert.Equal(t, []string{""}, codes(t, l.CommitBlock(e)))
		assert.Equal(t, []string{"DUPLICATE_TXID"}, codes(t, l.CommitBlock(e)))
		assert.Equal(t, []byte("2"), l.State("b"))
	})

	t.Run("a refused endorsement returns the error and nothing to commit", func(t *testing.T) {
		refusal := errors.New("rule")
		e, err := c.Endorse(func(ctx ctxT) error {
			require.NoError(t, ctx.GetStub().PutState("b", []byte("x")))
			return refusal
		})
		assert.ErrorIs(t, err, refusal)
		assert.Nil(t, e)
	})
}

func TestRangeReadsAreValidatedForPhantoms(t *testing.T) {
	l := ledgertest.New(t)
	c := l.As("OrgAMSP", "clerk")
	put(t, c, "k1", "v", "k3", "v")
	count := func(ctx ctxT) error {
		iter, err := ctx.GetStub().GetStateByRange("k", "l")
		if err != nil {
			return err
		}
		defer iter.Close()
		n := 0
		for iter.HasNext() {
			if _, err := iter.Next(); err != nil {
				return err
			}
			n++
		}
		return ctx.GetStub().PutState("count", []byte(strconv.Itoa(n)))
	}
	for _, tc := range []struct {
		name  string
		meant func(ctx ctxT) error
		want  string
	}{
		{"a key created inside the range", func(ctx ctxT) error { return ctx.GetStub().PutState("k2", []byte("v")) }, "PHANTOM_READ_CONFLICT"},
		{"a key of the range updated", func(ctx ctxT) error { return ctx.GetStub().PutState("k1", []byte("w")) }, "PHANTOM_READ_CONFLICT"},
		{"a key of the range deleted", func(ctx ctxT) error { return ctx.GetStub().DelState("k3") }, "PHANTOM_READ_CONFLICT"},
		{"a key outside the range", func(ctx ctxT) error { return ctx.GetStub().PutState("z", []byte("v")) }, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fork := l.Fork(t)
			fc := fork.As("OrgAMSP", "clerk")
			counting, err := fc.Endorse(count)
			require.NoError(t, err)
			meanwhile, err := fc.Endorse(tc.meant)
			require.NoError(t, err)
			assert.Equal(t, []string{"", tc.want}, codes(t, fork.CommitBlock(meanwhile, counting)))
		})
	}
}

func TestPrivateReadsAreValidated(t *testing.T) {
	l := ledgertest.New(t, ledgertest.WithCollection("Secrets", "OrgAMSP"))
	c := l.As("OrgAMSP", "clerk")
	require.NoError(t, c.Submit(func(ctx ctxT) error { return ctx.GetStub().PutPrivateData("Secrets", "k", []byte("1")) }))
	readHash := func(ctx ctxT) error {
		if _, err := ctx.GetStub().GetPrivateDataHash("Secrets", "k"); err != nil {
			return err
		}
		return ctx.GetStub().PutState("seen", []byte("yes"))
	}
	reader, err := c.Endorse(readHash)
	require.NoError(t, err)
	writer, err := c.Endorse(func(ctx ctxT) error { return ctx.GetStub().PutPrivateData("Secrets", "k", []byte("2")) })
	require.NoError(t, err)
	assert.Equal(t, []string{"", "MVCC_READ_CONFLICT"}, codes(t, l.CommitBlock(writer, reader)))
	assert.Nil(t, l.State("seen"))
}

func TestCommitBlockChecksKeyLevelPolicies(t *testing.T) {
	l := ledgertest.New(t)
	c := l.As("OrgAMSP", "clerk")
	require.NoError(t, c.Submit(func(ctx ctxT) error {
		if err := ctx.GetStub().PutState("k", []byte("v1")); err != nil {
			return err
		}
		return ctx.GetStub().SetStateValidationParameter("k", policyOf(t, "OrgAMSP", "OrgCMSP"))
	}))
	write := func(ctx ctxT) error { return ctx.GetStub().PutState("k", []byte("v2")) }
	short, err := c.EndorsedBy("OrgAMSP").Endorse(write)
	require.NoError(t, err)
	enough, err := c.EndorsedBy("OrgAMSP", "OrgCMSP").Endorse(write)
	require.NoError(t, err)
	assert.Equal(t, []string{"ENDORSEMENT_POLICY_FAILURE", ""}, codes(t, l.CommitBlock(short, enough)))
	assert.Equal(t, []byte("v2"), l.State("k"))
}
