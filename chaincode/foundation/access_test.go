package foundation_test

import (
	"errors"
	"testing"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/foundation"
	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

type ctxT = contractapi.TransactionContextInterface

func TestRulePermits(t *testing.T) {
	rule := foundation.Allow("Approve",
		foundation.Role("officer", "MinistryMSP"),
		foundation.Role("registrar", "UniAMSP", "UniBMSP"),
		foundation.AnyRole("OversightMSP"))

	tests := []struct {
		msp, role string
		want      bool
	}{
		{"MinistryMSP", "officer", true},
		{"MinistryMSP", "registrar", false},
		{"MinistryMSP", "", false},
		{"UniAMSP", "registrar", true},
		{"UniBMSP", "registrar", true},
		{"UniBMSP", "officer", false},
		{"UniCMSP", "registrar", false},
		{"OversightMSP", "inspector", true},
		{"OversightMSP", "", true},
		{"", "officer", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, rule.Permits(tt.msp, tt.role), "%s/%q", tt.msp, tt.role)
	}
	assert.Equal(t, "Approve", rule.Function())
	assert.Equal(t, `role "officer" in MinistryMSP, or role "registrar" in UniAMSP or UniBMSP, or any identity of OversightMSP`, rule.Required())

	closed := foundation.Allow("Nobody")
	assert.False(t, closed.Permits("MinistryMSP", "officer"))
	assert.False(t, foundation.Allow("EmptyRole", foundation.Role("", "MinistryMSP")).Permits("MinistryMSP", ""),
		"a grant for the empty role must not admit callers without a role")
}

func TestCheckRefusesWithAClearError(t *testing.T) {
	l := ledgertest.New(t)
	rule := foundation.Allow("RecordCredit", foundation.Role("registrar", "UniAMSP", "UniBMSP"))

	tests := []struct {
		name    string
		client  *ledgertest.Client
		wantMsg string
	}{
		{"wrong organisation", l.As("MinistryMSP", "registrar"),
			`access denied: RecordCredit called by MinistryMSP with role "registrar"; requires role "registrar" in UniAMSP or UniBMSP`},
		{"wrong role", l.As("UniAMSP", "admin"),
			`access denied: RecordCredit called by UniAMSP with role "admin"; requires role "registrar" in UniAMSP or UniBMSP`},
		{"no role attribute", l.As("UniAMSP", ""),
			`access denied: RecordCredit called by UniAMSP with no govshare.role attribute; requires role "registrar" in UniAMSP or UniBMSP`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.client.Evaluate(func(ctx ctxT) error {
				_, err := rule.Check(ctx)
				return err
			})
			require.ErrorIs(t, err, foundation.ErrAccessDenied)
			var accessErr *foundation.AccessError
			require.ErrorAs(t, err, &accessErr)
			assert.Equal(t, "RecordCredit", accessErr.Function)
			assert.EqualError(t, err, tt.wantMsg)
		})
	}

	caller, err := ledgertest.Eval(l.As("UniBMSP", "registrar"), rule.Check)
	require.NoError(t, err)
	assert.Equal(t, "UniBMSP", caller.MSPID)
	assert.Equal(t, "registrar", caller.Role)
	assert.Contains(t, caller.ID, "x509::CN=registrar")
}

func TestCheckWithAnUnreadableIdentity(t *testing.T) {
	l := ledgertest.New(t)
	rule := foundation.Allow("Read", foundation.AnyRole("UniAMSP"))
	err := l.As("UniAMSP", "registrar").WithCreator([]byte{0xff, 0x01}).Evaluate(func(ctx ctxT) error {
		_, err := rule.Check(ctx)
		return err
	})
	require.Error(t, err)
	assert.False(t, errors.Is(err, foundation.ErrAccessDenied), "an unreadable identity is an error of its own")
	assert.Contains(t, err.Error(), "Read: read caller identity")

	_, err = foundation.CallerOf(nil)
	assert.Error(t, err)
}
