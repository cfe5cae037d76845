package baseline_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/baseline"
	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/foundation"
	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

type ctxT = contractapi.TransactionContextInterface

func put(c *ledgertest.Client, key, value string) error {
	return c.Submit(func(ctx ctxT) error { return baseline.New().Put(ctx, key, value) })
}

func get(c *ledgertest.Client, key string) (string, error) {
	return ledgertest.Eval(c, func(ctx ctxT) (string, error) { return baseline.New().Get(ctx, key) })
}

func TestHealthCheckWritesAndReads(t *testing.T) {
	l := ledgertest.New(t, ledgertest.WithChannel(consortium.EducationChannel), ledgertest.WithChaincode("baseline"))
	admin := l.As(consortium.EduMinistryMSP, consortium.RoleAdmin)
	require.NoError(t, put(admin, "network-up", "ok"))

	for _, reader := range []*ledgertest.Client{admin, l.As(consortium.OversightMSP, consortium.RoleInspector), l.As(consortium.UniversityBMSP, "")} {
		got, err := get(reader, "network-up")
		require.NoError(t, err)
		assert.Equal(t, "ok", got, "every member reads the health check")
	}
	name, ev := l.RequireLastEvent(t)
	assert.Equal(t, baseline.EventWritten, name)
	assert.Equal(t, "Put", ev.Function)
	assert.Equal(t, foundation.Caller{MSPID: consortium.EduMinistryMSP, Role: consortium.RoleAdmin, ID: ev.Caller.ID}, ev.Caller, "the event names the writer")
	require.Len(t, ev.Changes, 1)
	assert.Equal(t, foundation.Change{Op: foundation.OpPut, ObjectType: "baseline.check", Attributes: []string{"network-up"}}, ev.Changes[0], "a blind write")

	var stored baseline.Check
	require.NoError(t, json.Unmarshal(l.State("\x00baseline.check\x00network-up\x00"), &stored))
	assert.Equal(t, baseline.Check{Key: "network-up", Value: "ok"}, stored)

	_, err := get(admin, "missing")
	assert.ErrorIs(t, err, foundation.ErrNotFound)
	assert.ErrorContains(t, err, `baseline key "missing" not found`)
}

// TestOnlyWritingMembersAdministratorsWrite: the health check is the
// narrowest write there is. Oversight, even its administrator, writes
// nothing; nor does any other role, nor an organisation outside the
// channel; malformed arguments are refused; nothing is written.
func TestOnlyWritingMembersAdministratorsWrite(t *testing.T) {
	l := ledgertest.New(t, ledgertest.WithChannel(consortium.FinanceChannel), ledgertest.WithChaincode("baseline"))
	admin := l.As(consortium.AuditOfficeMSP, consortium.RoleAdmin)
	refusals := []struct {
		name   string
		client *ledgertest.Client
		key    string
		value  string
		want   ledgertest.Refusal
	}{
		{"oversight administrator", l.As(consortium.OversightMSP, consortium.RoleAdmin), "k", "v",
			ledgertest.Refused(foundation.ErrAccessDenied, `Put called by OversightMSP with role "admin"; requires role "admin" in FinanceBureauMSP, AuditOfficeMSP, EduMinistryMSP or InternetCourtMSP`)},
		{"oversight inspector", l.As(consortium.OversightMSP, consortium.RoleInspector), "k", "v", ledgertest.Refused(foundation.ErrAccessDenied, `OversightMSP with role "inspector"`)},
		{"a member's other role", l.As(consortium.AuditOfficeMSP, consortium.RoleAuditor), "k", "v", ledgertest.Refused(foundation.ErrAccessDenied, `AuditOfficeMSP with role "auditor"`)},
		{"a member without a role", l.As(consortium.FinanceBureauMSP, ""), "k", "v", ledgertest.Refused(foundation.ErrAccessDenied, "no govshare.role attribute")},
		{"an administrator of another channel's member", l.As(consortium.UniversityAMSP, consortium.RoleAdmin), "k", "v", ledgertest.Refused(foundation.ErrAccessDenied, "UniversityAMSP")},
		{"an empty key", admin, "", "v", ledgertest.Refused(foundation.ErrInvalidInput, "key: required")},
		{"a key with a space", admin, "a key", "v", ledgertest.Refused(foundation.ErrInvalidInput, "key: must be 1 to 64 characters")},
		{"a long key", admin, strings.Repeat("k", 65), "v", ledgertest.Refused(foundation.ErrInvalidInput, "key: must be 1 to 64 characters")},
		{"an empty value", admin, "k", "", ledgertest.Refused(foundation.ErrInvalidInput, "value: required")},
		{"a long value", admin, "k", strings.Repeat("v", baseline.MaxValueLength+1), ledgertest.Refused(foundation.ErrInvalidInput, "value: must be at most 256 characters")},
		{"a value with a control character", admin, "k", "o\x00k", ledgertest.Refused(foundation.ErrInvalidInput, "value: must not contain control characters")},
		{"a value with a bidirectional override", admin, "k", "o\u202ek", ledgertest.Refused(foundation.ErrInvalidInput, "value: must not contain invisible formatting")},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			l.RequireRefused(t, tt.want, func() error { return put(tt.client, tt.key, tt.value) })
		})
	}
	t.Run("an outsider cannot read", func(t *testing.T) {
		_, err := get(l.As(consortium.NotaryOfficeMSP, consortium.RoleAdmin), "k")
		assert.ErrorIs(t, err, foundation.ErrAccessDenied)
	})
	t.Run("on a channel the consortium does not have nobody writes", func(t *testing.T) {
		other := ledgertest.New(t, ledgertest.WithChannel("another-channel"))
		other.RequireRefused(t, ledgertest.Refused(foundation.ErrAccessDenied, "requires role \"admin\" in no organisation"),
			func() error { return put(other.As(consortium.FinanceBureauMSP, consortium.RoleAdmin), "k", "v") })
	})
}
