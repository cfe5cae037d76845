package evidence_test

import (
	"encoding/json"
	"strconv"
	"testing"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/evidence"
	"github.com/govshare/govshare/chaincode/foundation"
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

// How a refusal states each requirement. A refusal that states another
// requirement (a grant, the reader of an entry) means the declared rule
// let the caller through, which the matrix counts as a failure.
var (
	byClerk            = ledgertest.Rule{Allows: courtClerk, Requires: `role "clerk" in InternetCourtMSP`}
	byJudge            = ledgertest.Rule{Allows: courtJudge, Requires: `role "judge" in InternetCourtMSP`}
	byNotary           = ledgertest.Rule{Allows: officeNotary, Requires: `role "notary" in NotaryOfficeMSP`}
	byClerkOrNotary    = ledgertest.Rule{Allows: clerkOrNotary, Requires: `role "clerk" in InternetCourtMSP, or role "notary" in NotaryOfficeMSP`}
	byPartyReader      = ledgertest.Rule{Allows: partyReader, Requires: `role "clerk" in InternetCourtMSP, or role "judge" in InternetCourtMSP, or role "notary" in NotaryOfficeMSP`}
	byCollectionMember = ledgertest.Rule{Allows: collectionMember, Requires: `any identity of InternetCourtMSP or NotaryOfficeMSP`}
	byChannelMember    = ledgertest.Rule{Allows: evidenceChannelMember, Requires: `any identity of InternetCourtMSP, NotaryOfficeMSP or OversightMSP`}
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

// matrixCell is one caller calling one function on its world. Where the
// table admits the caller, ArgsFor can set up what only an admitted caller
// needs (a grant naming it).
type matrixCell = ledgertest.MatrixCell[*fixture]

// matrixCalls says how to call each function so that an admitted caller
// meets every other rule.
func matrixCalls(t *testing.T) map[string]ledgertest.MatrixCall[*fixture] {
	js := func(v any) string { return toJSON(t, v) }
	newItem := newExhibit("EV-NEW", "C-OPEN", "new content")
	newCaseReq := newCase("C-NEW")
	_, readerTransient := readerKey(1)
	return map[string]ledgertest.MatrixCall[*fixture]{
		"OpenCase": {Write: true, Rule: byClerk, Args: []string{js(newCaseReq)},
			Transient: map[string][]byte{evidence.TransientParties: []byte(js(names(newCaseReq)))}},
		"CloseCase": {Write: true, Rule: byJudge, Args: []string{js(evidence.CaseDecisionRequest{CaseID: "C-OPEN", Reason: "decided"})}},
		"SealCase":  {Write: true, Rule: byJudge, Args: []string{js(evidence.CaseDecisionRequest{CaseID: "C-OPEN", Reason: "sealed"})}},
		"SubmitEvidence": {Write: true, Rule: byClerkOrNotary, Args: []string{js(newItem.req)},
			Transient: map[string][]byte{evidence.TransientContent: newItem.content}},
		"NotariseEvidence":   {Write: true, Rule: byNotary, Args: []string{js(evidence.NotariseRequest{EvidenceID: "EV-1", Statement: "attested"})}},
		"RecordCustodyEvent": {Write: true, Rule: byClerkOrNotary, Args: []string{js(evidence.CustodyEventRequest{EvidenceID: "EV-1", Action: evidence.CustodyExamined})}},
		"RequestAccess": {Write: true, Rule: byClerk, ArgsFor: func(_ testing.TB, c matrixCell) []string {
			return []string{js(c.World.accessRequest("AR-NEW", "EV-1", c.World.notary))}
		}},
		"GrantAccess":  {Write: true, Rule: byJudge, Args: []string{js(evidence.GrantAccessRequest{RequestID: "AR-PENDING", ExpiresAt: grantExpiry})}},
		"DenyAccess":   {Write: true, Rule: byJudge, Args: []string{js(evidence.AccessDecisionRequest{RequestID: "AR-PENDING", Reason: "no"})}},
		"RevokeAccess": {Write: true, Rule: byJudge, Args: []string{js(evidence.AccessDecisionRequest{RequestID: "AR-GRANTED", Reason: "over"})}},
		"OpenSealedContent": {Write: true, Rule: byCollectionMember,
			ArgsFor: func(_ testing.TB, c matrixCell) []string {
				if !c.Allowed {
					return []string{`{"requestId":"AR-GRANTED"}`}
				}
				c.World.grantedTo(c.Caller, "AR-CELL", "EV-1", grantExpiry)
				return []string{`{"requestId":"AR-CELL"}`}
			},
			Check: func(t testing.TB, c matrixCell, payload []byte) {
				var entry evidence.AccessLogEntry
				require.NoError(t, json.Unmarshal(payload, &entry))
				assert.Equal(t, c.World.whoAmI(c.Caller), entry.Reader, "the entry names the caller")
			},
		},

		"GetCaseSummary": {Rule: byChannelMember, Args: []string{"C-OPEN", "0", ""}},
		"GetCaseHistory": {Rule: byChannelMember, Args: []string{"C-OPEN"}},
		"GetCaseParties": {Rule: byPartyReader, Args: []string{"C-OPEN"},
			Transient: map[string][]byte{evidence.TransientReaderKey: []byte(readerTransient)},
			Check: func(t testing.TB, _ matrixCell, payload []byte) {
				var d foundation.Delivery
				require.NoError(t, json.Unmarshal(payload, &d))
				key, _ := readerKey(1)
				var parties evidence.CaseParties
				require.NoError(t, d.OpenRecord(key, evidence.PartiesContext("C-OPEN"), &parties))
				assert.Equal(t, "C-OPEN", parties.CaseID)
			},
		},
		"GetEvidence":             {Rule: byChannelMember, Args: []string{"EV-1"}},
		"GetEvidenceHistory":      {Rule: byChannelMember, Args: []string{"EV-1"}},
		"VerifyEvidenceByHash":    {Rule: byChannelMember, Args: []string{digestOf([]byte(matrixContent))}},
		"GetNotarisations":        {Rule: byChannelMember, Args: []string{"EV-1"}},
		"GetCustodyChain":         {Rule: byChannelMember, Args: []string{"EV-1"}},
		"GetAccessRequest":        {Rule: byChannelMember, Args: []string{"AR-GRANTED"}},
		"GetAccessRequestHistory": {Rule: byChannelMember, Args: []string{"AR-GRANTED"}},
		"GetAccessLog":            {Rule: byChannelMember, Args: []string{"EV-1", "0", ""}},
		"WhoAmI":                  {Rule: byChannelMember},
		"ReadSealedContent": {Rule: byCollectionMember, OwnWorld: true,
			Transient: map[string][]byte{evidence.TransientReaderKey: []byte(readerTransient)},
			ArgsFor: func(t testing.TB, c matrixCell) []string {
				sequence := 1
				if c.Allowed {
					c.World.grantedTo(c.Caller, "AR-CELL", "EV-1", grantExpiry)
					entry, err := c.World.open(c.Caller, "AR-CELL")
					require.NoError(t, err)
					sequence = entry.Sequence
				}
				return []string{"EV-1", strconv.Itoa(sequence)}
			},
			Check: func(t testing.TB, _ matrixCell, payload []byte) {
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
// needed), a write emits one event and a query writes nothing; a refused
// caller gets an access-denied error naming the function, its identity and
// the declared rule, and nothing is written (see ledgertest.Matrix).
func TestAuthorisationMatrix(t *testing.T) {
	ledgertest.Matrix[*fixture]{
		Chaincode: newChaincode(t),
		Contract:  "evidence",
		World:     func(tb testing.TB) (*fixture, *ledgertest.Ledger) { f := newMatrixWorld(tb); return f, f.l },
		Calls:     matrixCalls(t),
	}.Run(t)
}
