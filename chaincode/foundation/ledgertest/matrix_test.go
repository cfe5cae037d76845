package ledgertest_test

import (
	"testing"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/foundation"
	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

// registry is a contract with one declared rule per function: clerks of
// OrgAMSP register names, members of OrgAMSP and OrgBMSP look them up.
type registry struct {
	contractapi.Contract
}

var (
	mayRegister = foundation.Allow("Register", foundation.Role("clerk", "OrgAMSP"))
	mayLookUp   = foundation.Allow("Lookup", foundation.AnyRole("OrgAMSP", "OrgBMSP"))
)

// Register records name with the transient value "note", returns what it
// recorded and emits an event, except for the name "quiet".
func (*registry) Register(ctx ctxT, name string) (string, error) {
	if _, err := mayRegister.Check(ctx); err != nil {
		return "", err
	}
	transient, err := ctx.GetStub().GetTransient()
	if err != nil {
		return "", err
	}
	value := "registered " + string(transient["note"])
	if err := ctx.GetStub().PutState(name, []byte(value)); err != nil {
		return "", err
	}
	if name == "quiet" {
		return value, nil
	}
	return value, ctx.GetStub().SetEvent("Registered", []byte(`{"name":"Registered"}`))
}

func (*registry) Lookup(ctx ctxT, name string) (string, error) {
	if _, err := mayLookUp.Check(ctx); err != nil {
		return "", err
	}
	value, err := ctx.GetStub().GetState(name)
	return string(value), err
}

func clerkOfA(msp, role string) bool  { return msp == "OrgAMSP" && role == "clerk" }
func memberOfAOrB(msp, _ string) bool { return msp == "OrgAMSP" || msp == "OrgBMSP" }

var (
	byClerkOfA     = ledgertest.Rule{Allows: clerkOfA, Requires: `role "clerk" in OrgAMSP`}
	byMemberOfAOrB = ledgertest.Rule{Allows: memberOfAOrB, Requires: `any identity of OrgAMSP or OrgBMSP`}
)

// registryMatrix is the registry's matrix as the specification says; the
// cases of TestMatrix change one thing of it.
func registryMatrix(t *testing.T) ledgertest.Matrix[string] {
	cc, err := contractapi.NewChaincode(&registry{Contract: contractapi.Contract{Name: "registry"}})
	require.NoError(t, err)
	return ledgertest.Matrix[string]{
		Chaincode: cc,
		Contract:  "registry",
		World: func(tb testing.TB) (string, *ledgertest.Ledger) {
			l := ledgertest.New(tb)
			require.NoError(tb, l.As("OrgAMSP", "clerk").Submit(func(ctx ctxT) error {
				return ctx.GetStub().PutState("alice", []byte("registered"))
			}))
			return "a world with alice", l
		},
		Calls: map[string]ledgertest.MatrixCall[string]{
			"Register": {Write: true, Rule: byClerkOfA, Args: []string{"bob"}},
			"Lookup":   {Rule: byMemberOfAOrB, Args: []string{"alice"}},
		},
		Identities: []ledgertest.Identity{{MSPID: "OrgAMSP", Role: "clerk"}, {MSPID: "OrgAMSP"}, {MSPID: "OrgBMSP", Role: "clerk"}, {MSPID: "OrgCMSP", Role: "clerk"}},
	}
}

func TestMatrix(t *testing.T) {
	tests := []struct {
		name     string
		change   func(m *ledgertest.Matrix[string])
		function string
		// reported lists phrases of the errors the check must report, in order.
		reported []string
	}{
		{"a write as the specification says", nil, "Register", nil},
		{"a query as the specification says", nil, "Lookup", nil},
		{"an admitted caller is refused", func(m *ledgertest.Matrix[string]) {
			m.Calls["Register"] = ledgertest.MatrixCall[string]{Write: true, Rule: byMemberOfAOrB, Args: []string{"bob"}}
		}, "Register", []string{
			`OrgAMSP/"" must be allowed: chaincode response 500: access denied: Register called by OrgAMSP with no govshare.role attribute`,
			`OrgBMSP/"clerk" must be allowed`,
			`OrgCMSP/"clerk" must be refused by the declared rule: access denied: Register called by OrgCMSP with role "clerk"; requires role "clerk" in OrgAMSP`,
		}},
		{"a refused caller is admitted", func(m *ledgertest.Matrix[string]) {
			m.Calls["Lookup"] = ledgertest.MatrixCall[string]{Rule: byClerkOfA, Args: []string{"alice"}}
		}, "Lookup", []string{
			`OrgAMSP/"" must be refused with an error response, got <nil>`,
			`OrgBMSP/"clerk" must be refused with an error response, got <nil>`,
			`OrgCMSP/"clerk" must be refused by the declared rule: access denied: Lookup called by OrgCMSP with role "clerk"; requires any identity of OrgAMSP or OrgBMSP`,
		}},
		{"a refusal by another rule than the declared one", func(m *ledgertest.Matrix[string]) {
			m.Calls["Register"] = ledgertest.MatrixCall[string]{Write: true, Rule: ledgertest.Rule{Allows: clerkOfA, Requires: `role "clerk" in OrgBMSP`}, Args: []string{"bob"}}
		}, "Register", []string{
			`OrgAMSP/"" must be refused by the declared rule: access denied: Register called by OrgAMSP with no govshare.role attribute; requires role "clerk" in OrgAMSP`,
			`OrgBMSP/"clerk" must be refused by the declared rule`,
			`OrgCMSP/"clerk" must be refused by the declared rule`,
		}},
		{"an admitted write without an event", func(m *ledgertest.Matrix[string]) {
			m.Calls["Register"] = ledgertest.MatrixCall[string]{Write: true, Rule: byClerkOfA, Args: []string{"quiet"}}
		}, "Register", []string{`OrgAMSP/"clerk": an allowed write emits one event, not 0`}},
		{"a silent write as the specification says", func(m *ledgertest.Matrix[string]) {
			m.Calls["Register"] = ledgertest.MatrixCall[string]{Write: true, Silent: true, Rule: byClerkOfA, Args: []string{"quiet"}}
		}, "Register", nil},
		{"a silent write with an event", func(m *ledgertest.Matrix[string]) {
			m.Calls["Register"] = ledgertest.MatrixCall[string]{Write: true, Silent: true, Rule: byClerkOfA, Args: []string{"bob"}}
		}, "Register", []string{`OrgAMSP/"clerk": an allowed silent write emits no event, not 1`}},
		{"a row without a rule", func(m *ledgertest.Matrix[string]) {
			m.Calls["Lookup"] = ledgertest.MatrixCall[string]{Args: []string{"alice"}}
		}, "Lookup", []string{"the row of Lookup has no Rule.Allows"}},
		{"a function without a row", nil, "Unregister", []string{"the matrix has no row for Unregister"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := registryMatrix(t)
			if tc.change != nil {
				tc.change(&m)
			}
			reported := recorded(t, func(tb testing.TB) { m.CheckFunction(tb, tc.function) })
			require.Len(t, reported, len(tc.reported), "%q", reported)
			for i, phrase := range tc.reported {
				assert.Contains(t, reported[i], phrase)
			}
		})
	}
}

func TestMatrixCountsAndCells(t *testing.T) {
	m := registryMatrix(t)
	allowed, refused := m.CheckFunction(t, "Register")
	assert.Equal(t, [2]int{1, 3}, [2]int{allowed, refused}, "allowed and refused calls of Register")

	// Lookup of a key that ArgsFor writes as each admitted caller in the
	// cell's own world, its response checked by Check; Register with a
	// transient note.
	var checked []string
	m.Calls["Lookup"] = ledgertest.MatrixCall[string]{Rule: byMemberOfAOrB, OwnWorld: true,
		Transient: map[string][]byte{"note": []byte("ignored by Lookup")},
		ArgsFor: func(tb testing.TB, cell ledgertest.MatrixCell[string]) []string {
			assert.Equal(tb, "a world with alice", cell.World)
			if !cell.Allowed {
				return []string{"nobody"}
			}
			err := cell.Caller.Submit(func(ctx ctxT) error {
				earlier, err := ctx.GetStub().GetState(cell.MSPID)
				assert.Nil(tb, earlier, "%s: a world of its own", cell)
				if err != nil {
					return err
				}
				return ctx.GetStub().PutState(cell.MSPID, []byte("role "+cell.Role))
			})
			require.NoError(tb, err)
			return []string{cell.MSPID}
		},
		Check: func(tb testing.TB, cell ledgertest.MatrixCell[string], payload []byte) {
			checked = append(checked, cell.String()+" read "+string(payload))
		},
	}
	m.Calls["Register"] = ledgertest.MatrixCall[string]{Write: true, Rule: byClerkOfA, Args: []string{"bob"},
		Transient: map[string][]byte{"note": []byte("with a note")},
		Check: func(tb testing.TB, cell ledgertest.MatrixCell[string], payload []byte) {
			checked = append(checked, cell.String()+" wrote "+string(payload))
		},
	}
	allowed, refused = m.CheckFunction(t, "Lookup")
	assert.Equal(t, [2]int{3, 1}, [2]int{allowed, refused}, "allowed and refused calls of Lookup")
	m.CheckFunction(t, "Register")
	assert.Equal(t, []string{`OrgAMSP/"clerk" read role clerk`, `OrgAMSP/"" read role `, `OrgBMSP/"clerk" read role clerk`,
		`OrgAMSP/"clerk" wrote registered with a note`}, checked)
}

func TestMatrixCoverage(t *testing.T) {
	m := registryMatrix(t)
	assert.Empty(t, recorded(t, m.CheckCoverage))

	delete(m.Calls, "Lookup")
	m.Calls["Unregister"] = ledgertest.MatrixCall[string]{Rule: byClerkOfA}
	reported := recorded(t, m.CheckCoverage)
	require.Len(t, reported, 1)
	assert.Contains(t, reported[0], "no row for [Lookup]; rows for no function: [Unregister]")
}

func TestConsortiumIdentities(t *testing.T) {
	ids := ledgertest.ConsortiumIdentities()
	var want []ledgertest.Identity
	for _, org := range consortium.Organizations() {
		for _, role := range org.Roles {
			want = append(want, ledgertest.Identity{MSPID: org.MSPID, Role: role})
		}
		want = append(want, ledgertest.Identity{MSPID: org.MSPID})
	}
	assert.Equal(t, want, ids)
	assert.Equal(t, `OversightMSP/"inspector"`, ledgertest.Identity{MSPID: consortium.OversightMSP, Role: consortium.RoleInspector}.String())
}
