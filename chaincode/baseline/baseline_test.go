package baseline_test

import (
	"strings"
	"testing"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/baseline"
	"github.com/govshare/govshare/chaincode/foundation"
	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

type ctxT = contractapi.TransactionContextInterface

const collection = "BaselinePrivate"

func newLedger(t *testing.T) *ledgertest.Ledger {
	return ledgertest.New(t, ledgertest.WithCollection(collection, "OrgAMSP", "OrgBMSP"))
}

func TestPutAndGet(t *testing.T) {
	l := newLedger(t)
	c := &baseline.Contract{}
	client := l.As("OrgAMSP", "clerk")
	require.NoError(t, client.Submit(func(ctx ctxT) error { return c.Put(ctx, "k1", "v1") }))
	got, err := ledgertest.Eval(client, func(ctx ctxT) (string, error) { return c.Get(ctx, "k1") })
	require.NoError(t, err)
	assert.Equal(t, "v1", got)

	_, err = ledgertest.Eval(client, func(ctx ctxT) (string, error) { return c.Get(ctx, "missing") })
	assert.ErrorContains(t, err, `no value under key "missing"`)
}

func TestPutGuardedSetsTheKeyLevelPolicy(t *testing.T) {
	l := newLedger(t)
	c := &baseline.Contract{}
	client := l.As("OrgAMSP", "clerk")
	require.NoError(t, client.Submit(func(ctx ctxT) error { return c.PutGuarded(ctx, "g1", "v1", "OrgBMSP,OrgAMSP") }))
	assert.Equal(t, []byte("v1"), l.State("baseline~g1"))
	orgs, err := foundation.PolicyOrganizations(l.ValidationParameter("baseline~g1"))
	require.NoError(t, err)
	assert.Equal(t, []string{"OrgAMSP", "OrgBMSP"}, orgs)
}

func TestPutPrivateWritesTheTransientValueToTheCollection(t *testing.T) {
	l := newLedger(t)
	c := &baseline.Contract{}
	client := l.As("OrgAMSP", "clerk").WithTransient(baseline.TransientPrivate, []byte("secret"))
	require.NoError(t, client.Submit(func(ctx ctxT) error { return c.PutPrivate(ctx, "p1", "public", collection) }))
	assert.Equal(t, []byte("public"), l.State("baseline~p1"))
	assert.Equal(t, []byte("secret"), l.PrivateState(collection, "baseline~p1"))
}

func TestBadInputIsRefusedAndNothingIsWritten(t *testing.T) {
	c := &baseline.Contract{}
	long := strings.Repeat("x", baseline.MaxValueLength+1)
	tests := []struct {
		name      string
		transient []byte
		call      func(ctx ctxT) error
		wantErr   string
	}{
		{name: "empty key", call: func(ctx ctxT) error { return c.Put(ctx, "", "v") }, wantErr: "key is empty"},
		{name: "long key", call: func(ctx ctxT) error { return c.Put(ctx, strings.Repeat("k", baseline.MaxKeyLength+1), "v") }, wantErr: "longer than 256"},
		{name: "long value", call: func(ctx ctxT) error { return c.Put(ctx, "k", long) }, wantErr: "longer than 65536"},
		{name: "guarded without organisations", call: func(ctx ctxT) error { return c.PutGuarded(ctx, "k", "v", "") }, wantErr: "needs comma-separated MSP IDs"},
		{name: "guarded with an empty organisation", call: func(ctx ctxT) error { return c.PutGuarded(ctx, "k", "v", "OrgAMSP,") }, wantErr: "needs comma-separated MSP IDs"},
		{name: "guarded with an empty key", call: func(ctx ctxT) error { return c.PutGuarded(ctx, "", "v", "OrgAMSP") }, wantErr: "key is empty"},
		{name: "private without transient value", call: func(ctx ctxT) error { return c.PutPrivate(ctx, "k", "v", collection) }, wantErr: `transient "private" is required`},
		{name: "private value too long", transient: []byte(long), call: func(ctx ctxT) error { return c.PutPrivate(ctx, "k", "v", collection) }, wantErr: "longer than 65536"},
		{name: "private without collection", transient: []byte("s"), call: func(ctx ctxT) error { return c.PutPrivate(ctx, "k", "v", "") }, wantErr: "collection is empty"},
		{name: "private to an unknown collection", transient: []byte("s"), call: func(ctx ctxT) error { return c.PutPrivate(ctx, "k", "v", "Nope") }, wantErr: "Nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLedger(t)
			client := l.As("OrgAMSP", "clerk")
			if tt.transient != nil {
				client = client.WithTransient(baseline.TransientPrivate, tt.transient)
			}
			before := l.Snapshot()
			err := client.Submit(tt.call)
			require.Error(t, err)
			assert.ErrorContains(t, err, tt.wantErr)
			assert.Empty(t, l.Diff(before), "nothing written")
		})
	}
}
