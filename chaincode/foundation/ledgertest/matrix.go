package ledgertest

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"

	"github.com/govshare/govshare/chaincode/consortium"
)

// Identity is a caller: an organisation and the govshare.role attribute of
// its certificate, "" for a certificate without one.
type Identity struct {
	MSPID string
	Role  string
}

// String reads like `UniversityAMSP/"registrar"`.
func (id Identity) String() string { return fmt.Sprintf("%s/%q", id.MSPID, id.Role) }

// ConsortiumIdentities returns every organisation × role of the consortium
// (consortium.Organizations), each organisation followed by a user of it
// without a role attribute: every kind of caller a contract can meet.
func ConsortiumIdentities() []Identity {
	var ids []Identity
	for _, org := range consortium.Organizations() {
		for _, role := range append(slices.Clone(org.Roles), "") {
			ids = append(ids, Identity{MSPID: org.MSPID, Role: role})
		}
	}
	return ids
}

// Rule is who may call a transaction function, as a test writes it down
// from the specification, independently of the rule the contract
// declares, and how the contract's refusal must state the requirement.
type Rule struct {
	// Allows reports whether the specification admits a caller of
	// organisation mspID with role role ("" for none).
	Allows func(mspID, role string) bool
	// Requires is what a refusal must say the function requires: the
	// refusal's message ends with "; requires " and Requires, as a
	// foundation.AccessError of the declared rule does. A refusal that
	// states another requirement (a record's owner, a grant) means the
	// declared rule let the caller through.
	Requires string
}

// MatrixCall is how an authorisation matrix calls one transaction
// function, and who may call it.
type MatrixCall[W any] struct {
	Rule Rule
	// Write submits the call through the chaincode's Invoke, and an
	// admitted write must emit one event. Otherwise the call is evaluated
	// through Query, and an admitted query must change nothing.
	Write bool
	// Silent says that an admitted write emits no event: a measurement
	// probe that keeps the bare cost of a blind write.
	Silent bool
	// Args are the call's string arguments.
	Args []string
	// ArgsFor, when set instead of Args, returns the arguments of one
	// cell. It runs before the call and may set up the cell's world with
	// transactions of other callers, for example a grant naming
	// cell.Caller where the specification admits it; a query whose ArgsFor
	// writes needs OwnWorld.
	ArgsFor func(tb testing.TB, cell MatrixCell[W]) []string
	// OwnWorld gives each cell of a query a world of its own, as each cell
	// of a write has; the cells of other queries share one.
	OwnWorld bool
	// Transient is sent as transient data with every call.
	Transient map[string][]byte
	// Check, when set, inspects the response of an admitted call.
	Check func(tb testing.TB, cell MatrixCell[W], payload []byte)
}

// MatrixCell is one identity calling one function.
type MatrixCell[W any] struct {
	Identity
	// Allowed is what the Rule says of the identity.
	Allowed bool
	// World is the world the call runs on.
	World W
	// Caller is the identity's client on the world's ledger, without the
	// call's transient data.
	Caller *Client
}

// Matrix is the authorisation matrix of one contract of a chaincode: for
// every transaction function the contract exposes, who may call it and how
// to call it so that an admitted caller meets every other rule of the
// function. Run checks the chaincode against it.
//
//	ledgertest.Matrix[*fixture]{
//		Chaincode: cc,
//		Contract:  "education",
//		World:     func(tb testing.TB) (*fixture, *ledgertest.Ledger) { f := newMatrixWorld(tb); return f, f.l },
//		Calls: map[string]ledgertest.MatrixCall[*fixture]{
//			"RevokeCredit": {Write: true, Rule: byUniversityRegistrar, Args: []string{`{"creditId":"UA-1","reason":"error"}`}},
//			"GetCredit":    {Rule: byChannelMember, Args: []string{"UA-1"}},
//		},
//	}.Run(t)
type Matrix[W any] struct {
	// Chaincode is called through its Invoke, as a peer would.
	Chaincode shim.Chaincode
	// Contract names the contract in the chaincode's metadata.
	Contract string
	// World returns a new world for a cell to start from, reporting to tb,
	// and its ledger.
	World func(tb testing.TB) (W, *Ledger)
	// Calls holds one row per transaction function, by name.
	Calls map[string]MatrixCall[W]
	// Identities are the callers tried; nil means ConsortiumIdentities().
	Identities []Identity
}

// Run checks the chaincode against the matrix in subtests: that the matrix
// has a row for every transaction function of the contract and no other
// (CheckCoverage), and then, for each function, every identity
// (CheckFunction). It logs how many calls were admitted and refused.
func (m Matrix[W]) Run(t *testing.T) {
	t.Helper()
	t.Run("the matrix covers every transaction function", func(t *testing.T) { m.CheckCoverage(t) })
	allowed, refused := 0, 0
	for _, name := range slices.Sorted(maps.Keys(m.Calls)) {
		t.Run(name, func(t *testing.T) {
			a, r := m.CheckFunction(t, name)
			allowed, refused = allowed+a, refused+r
		})
	}
	t.Logf("%d identities x %d functions: %d allowed, %d refused", len(m.identities()), len(m.Calls), allowed, refused)
}

// CheckCoverage reports an error to tb unless the matrix has a row for
// every transaction function the contract exposes (Client.TransactionNames)
// and for no other.
func (m Matrix[W]) CheckCoverage(tb testing.TB) {
	tb.Helper()
	someone := m.identities()[0]
	exposed, err := New(tb).As(someone.MSPID, someone.Role).TransactionNames(m.Chaincode, m.Contract)
	if err != nil {
		tb.Fatalf("list the transaction functions: %v", err)
	}
	covered := slices.Sorted(maps.Keys(m.Calls))
	if slices.Equal(exposed, covered) {
		return
	}
	var missing, extra []string
	for _, name := range exposed {
		if _, ok := m.Calls[name]; !ok {
			missing = append(missing, name)
		}
	}
	for _, name := range covered {
		if !slices.Contains(exposed, name) {
			extra = append(extra, name)
		}
	}
	tb.Errorf("the matrix must cover the transaction functions of %s exactly: no row for [%s]; rows for no function: [%s]",
		m.Contract, strings.Join(missing, " "), strings.Join(extra, " "))
}

// CheckFunction calls function name as every identity and reports an
// error to tb for each cell whose outcome differs from the Rule:
//
//   - an identity the Rule allows must succeed; a write must emit one
//     event (none if Silent) and a query must change nothing; then Check
//     runs;
//   - any other identity must get an error response reading "access
//     denied: <name> called by <MSPID> with ...; requires <Rule.Requires>",
//     and the call must change nothing (see Ledger.Diff).
//
// It returns how many calls the Rule allows and refuses.
func (m Matrix[W]) CheckFunction(tb testing.TB, name string) (allowed, refused int) {
	tb.Helper()
	call, ok := m.Calls[name]
	switch {
	case !ok:
		tb.Fatalf("the matrix has no row for %s", name)
	case call.Rule.Allows == nil:
		tb.Fatalf("the row of %s has no Rule.Allows", name)
	case call.Args != nil && call.ArgsFor != nil:
		tb.Fatalf("the row of %s sets both Args and ArgsFor", name)
	}
	ownWorld := call.Write || call.OwnWorld
	var shared W
	var sharedLedger *Ledger
	if !ownWorld {
		shared, sharedLedger = m.World(tb)
	}
	for _, id := range m.identities() {
		world, l := shared, sharedLedger
		if ownWorld {
			world, l = m.World(tb)
		}
		cell := MatrixCell[W]{Identity: id, Allowed: call.Rule.Allows(id.MSPID, id.Role), World: world, Caller: l.As(id.MSPID, id.Role)}
		args := call.Args
		if call.ArgsFor != nil {
			args = call.ArgsFor(tb, cell)
		}
		caller := cell.Caller
		for _, k := range slices.Sorted(maps.Keys(call.Transient)) {
			caller = caller.WithTransient(k, call.Transient[k])
		}
		before, events := l.Snapshot(), len(l.Events())

		var payload []byte
		var err error
		if call.Write {
			payload, err = caller.Invoke(m.Chaincode, name, args...)
		} else {
			payload, err = caller.Query(m.Chaincode, name, args...)
		}

		if cell.Allowed {
			allowed++
			switch {
			case err != nil:
				tb.Errorf("%s must be allowed: %v", id, err)
				continue
			case call.Write && call.Silent:
				if got := len(l.Events()) - events; got != 0 {
					tb.Errorf("%s: an allowed silent write emits no event, not %d", id, got)
				}
			case call.Write:
				if got := len(l.Events()) - events; got != 1 {
					tb.Errorf("%s: an allowed write emits one event, not %d", id, got)
				}
			default:
				if diff := l.Diff(before); len(diff) > 0 {
					tb.Errorf("%s: a query writes nothing, but: %s", id, strings.Join(diff, "; "))
				}
			}
			if call.Check != nil {
				call.Check(tb, cell, payload)
			}
			continue
		}
		refused++
		var ccErr *ChaincodeError
		if errors.As(err, &ccErr) {
			if !strings.HasPrefix(ccErr.Message, "access denied: "+name+" called by "+id.MSPID+" with ") {
				tb.Errorf("%s: the refusal must name the function and the caller: %s", id, ccErr.Message)
			}
			if !strings.HasSuffix(ccErr.Message, "; requires "+call.Rule.Requires) {
				tb.Errorf("%s must be refused by the declared rule: %s", id, ccErr.Message)
			}
		} else {
			tb.Errorf("%s must be refused with an error response, got %v", id, err)
		}
		if diff := l.Diff(before); len(diff) > 0 {
			tb.Errorf("%s: a refused call writes nothing, but: %s", id, strings.Join(diff, "; "))
		}
	}
	return allowed, refused
}

func (m Matrix[W]) identities() []Identity {
	if m.Identities != nil {
		return m.Identities
	}
	return ConsortiumIdentities()
}
