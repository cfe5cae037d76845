package evidence_test

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/evidence"
	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

// Who may call what, written out here from the specification (issue 5 and
// docs/conventions.md), independently of the rules declared in the
// contract. The matrix test checks the contract against this table.
func courtClerk(msp, role string) bool { return msp == "InternetCourtMSP" && role == "clerk" }
func courtJudge(msp, role string) bool { return msp == "InternetCourtMSP" && role == "judge" }
func officeNotary(msp, role string) bool {
	return msp == "NotaryOfficeMSP" && role == "notary"
}

func clerkOrNotary(msp, role string) bool { return courtClerk(msp, role) || officeNotary(msp, role) }

func partyReader(msp, role string) bool {
	return courtClerk(msp, role) || courtJudge(msp, role) || officeNotary(msp, role)
}

// collectionMember: any identity of the organisations that hold sealed
// content; a grant then decides.
func collectionMember(msp, _ string) bool {
	return msp == "InternetCourtMSP" || msp == "NotaryOfficeMSP"
}

func evidenceChannelMember(msp, _ string) bool {
	return msp == "InternetCourtMSP" || msp == "NotaryOfficeMSP" || msp == "OversightMSP"
}

// expectedRule pairs who may call a function with how a refusal must state
// the requirement. A refusal that states another requirement (a grant, the
// reader of an entry) means the declared rule let the caller through,
// which the matrix counts as a failure.
type expectedRule struct {
	allows   func(msp, role string) bool
	requires string
}

var (
	byClerk            = expectedRule{courtClerk, `role "clerk" in InternetCourtMSP`}
	byJudge            = expectedRule{courtJudge, `role "judge" in InternetCourtMSP`}
	byNotary           = expectedRule{officeNotary, `role "notary" in NotaryOfficeMSP`}
	byClerkOrNotary    = expectedRule{clerkOrNotary, `role "clerk" in InternetCourtMSP, or role "notary" in NotaryOfficeMSP`}
	byPartyReader      = expectedRule{partyReader, `role "clerk" in InternetCourtMSP, or role "judge" in InternetCourtMSP, or role "notary" in NotaryOfficeMSP`}
	byCollectionMember = expectedRule{collectionMember, `any identity of InternetCourtMSP or NotaryOfficeMSP`}
	byChannelMember    = expectedRule{evidenceChannelMember, `any identity of InternetCourtMSP, NotaryOfficeMSP or OversightMSP`}
)

// The matrix world: case C-OPEN with EV-1 (notarised, with a custody
// event) and EV-2; access request AR-PENDING and AR-GRANTED, both for the
// notary.
const matrixContent = "content of EV-1"

func newMatrixWorld(t testing.TB) *fixture {
	f := newFixture(t)
	f.openCaseWithExhibit("C-OPEN", newExhibit("EV-1", "C-OPEN", matrixContent))
	_, err := f.submit(f.notary, newExhibit("EV-2", "C-OPEN", "content of EV-2"))
	require.NoError(t, err)
	_, err = f.notarise(f.notary, "EV-1", "attested")
	require.NoError(t, err)
	_, err = f.custody(f.clerk, evidence.CustodyEventRequest{EvidenceID: "EV-1", Action: evidence.CustodyReceived})
	require.NoError(t, err)
	_, err = f.requestAccess(f.clerk, f.accessRequest("AR-PENDING", "EV-1", f.notary))
	require.NoError(t, err)
	f.grantedTo(f.notary, "AR-GRANTED", "EV-1", grantExpiry)
	return f
}

// matrixCall is how the matrix calls one function. prepare runs before the
// call, as other callers, and returns the arguments and transient data for
// caller; allowed says whether the table admits caller, so that prepare
// can set up what only an admitted caller needs (a grant naming it).
type matrixCall struct {
	rule  expectedRule
	write bool
	// setsUp is true for a query whose prepare writes: its cells need a
	// world of their own, like writes.
	setsUp  bool
	prepare func(t *testing.T, f *fixture, caller *ledgertest.Client, allowed bool) ([]string, map[string][]byte)
	// check, if set, inspects an admitted caller's response.
	check func(t *testing.T, f *fixture, caller *ledgertest.Client, payload []byte)
}

func fixed(args ...string) func(*testing.T, *fixture, *ledgertest.Client, bool) ([]string, map[string][]byte) {
	return func(*testing.T, *fixture, *ledgertest.Client, bool) ([]string, map[string][]byte) { return args, nil }
}

func matrixCalls(t *testing.T) map[string]matrixCall {
	js := func(v any) string { return toJSON(t, v) }
	newItem := newExhibit("EV-NEW", "C-OPEN", "new content")
	_, readerTransient := readerKey(1)
	return map[string]matrixCall{
		"OpenCase": {write: true, rule: byClerk, prepare: func(*testing.T, *fixture, *ledgertest.Client, bool) ([]string, map[string][]byte) {
			req := newCase("C-NEW")
			return []string{js(req)}, map[string][]byte{evidence.TransientParties: []byte(js(names(req)))}
		}},
		"CloseCase": {write: true, rule: byJudge, prepare: fixed(js(evidence.CaseDecisionRequest{CaseID: "C-OPEN", Reason: "decided"}))},
		"SealCase":  {write: true, rule: byJudge, prepare: fixed(js(evidence.CaseDecisionRequest{CaseID: "C-OPEN", Reason: "sealed"}))},
		"SubmitEvidence": {write: true, rule: byClerkOrNotary, prepare: func(*testing.T, *fixture, *ledgertest.Client, bool) ([]string, map[string][]byte) {
			return []string{js(newItem.req)}, map[string][]byte{evidence.TransientContent: newItem.content}
		}},
		"NotariseEvidence":   {write: true, rule: byNotary, prepare: fixed(js(evidence.NotariseRequest{EvidenceID: "EV-1", Statement: "attested"}))},
		"RecordCustodyEvent": {write: true, rule: byClerkOrNotary, prepare: fixed(js(evidence.CustodyEventRequest{EvidenceID: "EV-1", Action: evidence.CustodyExamined}))},
		"RequestAccess": {write: true, rule: byClerk, prepare: func(t *testing.T, f *fixture, _ *ledgertest.Client, _ bool) ([]string, map[string][]byte) {
			return []string{js(f.accessRequest("AR-NEW", "EV-1", f.notary))}, nil
		}},
		"GrantAccess":  {write: true, rule: byJudge, prepare: fixed(js(evidence.GrantAccessRequest{RequestID: "AR-PENDING", ExpiresAt: grantExpiry}))},
		"DenyAccess":   {write: true, rule: byJudge, prepare: fixed(js(evidence.AccessDecisionRequest{RequestID: "AR-PENDING", Reason: "no"}))},
		"RevokeAccess": {write: true, rule: byJudge, prepare: fixed(js(evidence.AccessDecisionRequest{RequestID: "AR-GRANTED", Reason: "over"}))},
		"OpenSealedContent": {write: true, rule: byCollectionMember,
			prepare: func(t *testing.T, f *fixture, caller *ledgertest.Client, allowed bool) ([]string, map[string][]byte) {
				if !allowed {
					return []string{`{"requestId":"AR-GRANTED"}`}, nil
				}
				f.grantedTo(caller, "AR-CELL", "EV-1", grantExpiry)
				return []string{`{"requestId":"AR-CELL"}`}, nil
			},
			check: func(t *testing.T, f *fixture, caller *ledgertest.Client, payload []byte) {
				var entry evidence.AccessLogEntry
				require.NoError(t, json.Unmarshal(payload, &entry))
				assert.Equal(t, f.whoAmI(caller), entry.Reader, "the entry names the caller")
			},
		},

		"GetCaseSummary":          {rule: byChannelMember, prepare: fixed("C-OPEN", "0", "")},
		"GetCaseHistory":          {rule: byChannelMember, prepare: fixed("C-OPEN")},
		"GetCaseParties":          {rule: byPartyReader, prepare: fixed("C-OPEN")},
		"GetEvidence":             {rule: byChannelMember, prepare: fixed("EV-1")},
		"GetEvidenceHistory":      {rule: byChannelMember, prepare: fixed("EV-1")},
		"VerifyEvidenceByHash":    {rule: byChannelMember, prepare: fixed(digestOf([]byte(matrixContent)))},
		"GetNotarisations":        {rule: byChannelMember, prepare: fixed("EV-1")},
		"GetCustodyChain":         {rule: byChannelMember, prepare: fixed("EV-1")},
		"GetAccessRequest":        {rule: byChannelMember, prepare: fixed("AR-GRANTED")},
		"GetAccessRequestHistory": {rule: byChannelMember, prepare: fixed("AR-GRANTED")},
		"GetAccessLog":            {rule: byChannelMember, prepare: fixed("EV-1", "0", "")},
		"WhoAmI":                  {rule: byChannelMember, prepare: fixed()},
		"ReadSealedContent": {rule: byCollectionMember, setsUp: true,
			prepare: func(t *testing.T, f *fixture, caller *ledgertest.Client, allowed bool) ([]string, map[string][]byte) {
				sequence := 1
				if allowed {
					f.grantedTo(caller, "AR-CELL", "EV-1", grantExpiry)
					entry, err := f.open(caller, "AR-CELL")
					require.NoError(t, err)
					sequence = entry.Sequence
				}
				return []string{"EV-1", strconv.Itoa(sequence)}, map[string][]byte{evidence.TransientReaderKey: []byte(readerTransient)}
			},
			check: func(t *testing.T, _ *fixture, _ *ledgertest.Client, payload []byte) {
				var d evidence.SealedDelivery
				require.NoError(t, json.Unmarshal(payload, &d))
				key, _ := readerKey(1)
				content, err := d.Open(key)
				require.NoError(t, err)
				assert.Equal(t, matrixContent, string(content))
			},
		},
	}
}

// identities returns every organisation × role of the consortium, plus a
// user without a role attribute in each organisation.
func identities() [][2]string {
	var ids [][2]string
	for _, org := range consortium.Organizations() {
		for _, role := range append(org.Roles, "") {
			ids = append(ids, [2]string{org.MSPID, role})
		}
	}
	return ids
}

func newChaincode(t testing.TB) *contractapi.ContractChaincode {
	t.Helper()
	cc, err := contractapi.NewChaincode(evidence.New())
	require.NoError(t, err, "contract metadata must build")
	return cc
}

// TestAuthorisationMatrix calls every transaction function of the
// chaincode as every organisation and role of the consortium, through the
// chaincode's Invoke as a peer would, and checks the outcome against the
// table above: an admitted caller succeeds (the world is set up so that
// every other rule holds, including a grant naming the caller where one is
// needed), a refused caller gets an access-denied error naming the
// function, its identity and the declared rule, and nothing is written.
func TestAuthorisationMatrix(t *testing.T) {
	cc := newChaincode(t)
	calls := matrixCalls(t)

	t.Run("the matrix covers every transaction function", func(t *testing.T) {
		exposed, err := newLedger(t).As(oversight, consortium.RoleInspector).TransactionNames(cc, "evidence")
		require.NoError(t, err)
		assert.Equal(t, exposed, sortedNames(calls))
	})

	ids := identities()
	allowedCount, deniedCount := 0, 0
	for _, name := range sortedNames(calls) {
		call := calls[name]
		t.Run(name, func(t *testing.T) {
			// Queries write nothing, so their cells share one world.
			var shared *fixture
			if !call.write && !call.setsUp {
				shared = newMatrixWorld(t)
			}
			for _, id := range ids {
				msp, role := id[0], id[1]
				f := shared
				if f == nil {
					f = newMatrixWorld(t)
				}
				caller := f.l.As(msp, role)
				want := call.rule.allows(msp, role)
				args, transient := call.prepare(t, f, caller, want)
				for _, k := range sortedNames(transient) {
					caller = caller.WithTransient(k, transient[k])
				}
				before := f.l.Snapshot()
				events := len(f.l.Events())

				var payload []byte
				var err error
				if call.write {
					payload, err = caller.Invoke(cc, name, args...)
				} else {
					payload, err = caller.Query(cc, name, args...)
				}

				if want {
					allowedCount++
					if !assert.NoError(t, err, "%s/%q must be allowed", msp, role) {
						continue
					}
					if call.write {
						assert.Len(t, f.l.Events(), events+1, "%s/%q: an allowed write emits one event", msp, role)
					} else {
						assert.Empty(t, f.l.Diff(before), "%s/%q: a query writes nothing", msp, role)
					}
					if call.check != nil {
						call.check(t, f, f.l.As(msp, role), payload)
					}
					continue
				}
				deniedCount++
				var ccErr *ledgertest.ChaincodeError
				if assert.ErrorAs(t, err, &ccErr, "%s/%q must be refused", msp, role) {
					assert.True(t, strings.HasPrefix(ccErr.Message, "access denied: "+name+" called by "+msp+" with "),
						"%s/%q: %s", msp, role, ccErr.Message)
					assert.True(t, strings.HasSuffix(ccErr.Message, "; requires "+call.rule.requires),
						"%s/%q must be refused by the declared rule: %s", msp, role, ccErr.Message)
				}
				assert.Empty(t, f.l.Diff(before), "%s/%q: a refused call writes nothing", msp, role)
			}
		})
	}
	t.Logf("%d identities x %d functions: %d allowed, %d refused", len(ids), len(calls), allowedCount, deniedCount)
}

func sortedNames[V any](m map[string]V) []string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	slices.Sort(names)
	return names
}
