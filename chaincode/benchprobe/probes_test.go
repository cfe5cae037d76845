package benchprobe_test

import (
	"strings"
	"testing"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/benchprobe"
	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/foundation"
	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

type ctxT = contractapi.TransactionContextInterface

const collection = "BaselinePrivate"

// newLedger is a ledger of the education-credit channel, whose members
// PutGuarded accepts.
func newLedger(t *testing.T) *ledgertest.Ledger {
	return ledgertest.New(t, ledgertest.WithChannel(consortium.EducationChannel),
		ledgertest.WithCollection(collection, consortium.UniversityAMSP, consortium.EduMinistryMSP))
}

func TestPutAndGet(t *testing.T) {
	l := newLedger(t)
	c := benchprobe.New()
	client := l.As(consortium.UniversityAMSP, consortium.RoleAdmin)
	require.NoError(t, client.Submit(func(ctx ctxT) error { return c.Put(ctx, "k1", "v1") }))
	got, err := ledgertest.Eval(client, func(ctx ctxT) (string, error) { return c.Get(ctx, "k1") })
	require.NoError(t, err)
	assert.Equal(t, "v1", got)

	_, err = ledgertest.Eval(client, func(ctx ctxT) (string, error) { return c.Get(ctx, "missing") })
	assert.ErrorContains(t, err, `no value under key "missing"`)
}

func TestPutGuardedSetsTheKeyLevelPolicy(t *testing.T) {
	l := newLedger(t)
	c := benchprobe.New()
	client := l.As(consortium.UniversityAMSP, consortium.RoleAdmin)
	require.NoError(t, client.Submit(func(ctx ctxT) error {
		return c.PutGuarded(ctx, "g1", "v1", consortium.UniversityAMSP+","+consortium.EduMinistryMSP)
	}))
	assert.Equal(t, []byte("v1"), l.State("baseline-guarded~g1"))
	assert.Nil(t, l.State("baseline~g1"), "guarded keys are apart from Put's")
	got, err := ledgertest.Eval(client, func(ctx ctxT) (string, error) { return c.GetGuarded(ctx, "g1") })
	require.NoError(t, err)
	assert.Equal(t, "v1", got)
	orgs, err := foundation.PolicyOrganizations(l.ValidationParameter("baseline-guarded~g1"))
	require.NoError(t, err)
	assert.Equal(t, []string{consortium.EduMinistryMSP, consortium.UniversityAMSP}, orgs)
}

func TestPutPrivateWritesTheTransientValueToTheCollection(t *testing.T) {
	l := newLedger(t)
	c := benchprobe.New()
	client := l.As(consortium.UniversityAMSP, consortium.RoleAdmin).WithTransient(benchprobe.TransientPrivate, []byte("secret"))
	require.NoError(t, client.Submit(func(ctx ctxT) error { return c.PutPrivate(ctx, "p1", "public", collection) }))
	assert.Equal(t, []byte("public"), l.State("baseline~p1"))
	assert.Equal(t, []byte("secret"), l.PrivateState(collection, "baseline~p1"))
}

func TestBadInputIsRefusedAndNothingIsWritten(t *testing.T) {
	c := benchprobe.New()
	long := strings.Repeat("x", benchprobe.MaxValueLength+1)
	tests := []struct {
		name      string
		transient []byte
		call      func(ctx ctxT) error
		wantErr   string
	}{
		{name: "empty key", call: func(ctx ctxT) error { return c.Put(ctx, "", "v") }, wantErr: "key is empty"},
		{name: "long key", call: func(ctx ctxT) error { return c.Put(ctx, strings.Repeat("k", benchprobe.MaxKeyLength+1), "v") }, wantErr: "longer than 256"},
		{name: "long value", call: func(ctx ctxT) error { return c.Put(ctx, "k", long) }, wantErr: "longer than 65536"},
		{name: "guarded without organisations", call: func(ctx ctxT) error { return c.PutGuarded(ctx, "k", "v", "") }, wantErr: `"" is not a member of channel education-credit`},
		{name: "guarded with an empty organisation", call: func(ctx ctxT) error { return c.PutGuarded(ctx, "k", "v", "UniversityAMSP,") }, wantErr: `"" is not a member`},
		{name: "guarded with a space", call: func(ctx ctxT) error { return c.PutGuarded(ctx, "k", "v", "UniversityAMSP, EduMinistryMSP") }, wantErr: `" EduMinistryMSP" is not a member`},
		{name: "guarded by a non-member", call: func(ctx ctxT) error { return c.PutGuarded(ctx, "k", "v", "NotaryOfficeMSP") }, wantErr: `"NotaryOfficeMSP" is not a member`},
		{name: "guarded with an empty key", call: func(ctx ctxT) error { return c.PutGuarded(ctx, "", "v", "UniversityAMSP") }, wantErr: "key is empty"},
		{name: "guarded value too long", call: func(ctx ctxT) error { return c.PutGuarded(ctx, "k", long, "UniversityAMSP") }, wantErr: "longer than 65536"},
		{name: "private without transient value", call: func(ctx ctxT) error { return c.PutPrivate(ctx, "k", "v", collection) }, wantErr: `transient "private" is required`},
		{name: "private value too long", transient: []byte(long), call: func(ctx ctxT) error { return c.PutPrivate(ctx, "k", "v", collection) }, wantErr: "longer than 65536"},
		{name: "private without collection", transient: []byte("s"), call: func(ctx ctxT) error { return c.PutPrivate(ctx, "k", "v", "") }, wantErr: "collection is empty"},
		{name: "private to an unknown collection", transient: []byte("s"), call: func(ctx ctxT) error { return c.PutPrivate(ctx, "k", "v", "Nope") }, wantErr: "Nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { requireRefused(t, tt.transient, tt.call, tt.wantErr) })
	}
}

// requireRefused submits call on a new ledger as UniversityA's administrator,
// with transient as the private value when not nil, and checks it is
// refused with wantErr and writes nothing.
func requireRefused(t *testing.T, transient []byte, call func(ctx ctxT) error, wantErr string) {
	t.Helper()
	l := newLedger(t)
	client := l.As(consortium.UniversityAMSP, consortium.RoleAdmin)
	if transient != nil {
		client = client.WithTransient(benchprobe.TransientPrivate, transient)
	}
	before := l.Snapshot()
	err := client.Submit(call)
	require.Error(t, err)
	assert.ErrorContains(t, err, wantErr)
	assert.Empty(t, l.Diff(before), "nothing written")
}
