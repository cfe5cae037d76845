package education_test

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/education"
	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

// Who may call what, written out here from the specification (issue 3 and
// docs/conventions.md), independently of the rules declared in the
// contract. The matrix test checks the contract against this table.
func ministryOfficer(msp, role string) bool { return msp == "EduMinistryMSP" && role == "officer" }

func universityRegistrar(msp, role string) bool {
	return (msp == "UniversityAMSP" || msp == "UniversityBMSP") && role == "registrar"
}

func educationChannelMember(msp, _ string) bool {
	return msp == "EduMinistryMSP" || msp == "UniversityAMSP" || msp == "UniversityBMSP" || msp == "OversightMSP"
}

func studentDataReader(msp, role string) bool {
	return ministryOfficer(msp, role) || universityRegistrar(msp, role)
}

// expectedRule pairs who may call a function with how a refusal must state
// the requirement. A refusal that states another requirement (an
// accreditation, the ownership of a record) means the declared rule let
// the caller through, which the matrix counts as a failure.
type expectedRule struct {
	allows   func(msp, role string) bool
	requires string
}

var (
	byMinistryOfficer     = expectedRule{ministryOfficer, `role "officer" in EduMinistryMSP`}
	byUniversityRegistrar = expectedRule{universityRegistrar, `role "registrar" in UniversityAMSP or UniversityBMSP`}
	byChannelMember       = expectedRule{educationChannelMember, `any identity of EduMinistryMSP, UniversityAMSP, UniversityBMSP or OversightMSP`}
	byStudentDataReader   = expectedRule{studentDataReader, `role "registrar" in UniversityAMSP or UniversityBMSP, or role "officer" in EduMinistryMSP`}
)

// matrixWorld is the ledger state every matrix cell starts from: both
// universities accredited, a suspended third one, and for each university
// a recognised credit, an unrecognised credit, a diploma and a resource.
type matrixWorld struct {
	student student
	diploma map[string]string // issuer -> document hash
}

func newMatrixWorld(t *testing.T) (*fixture, matrixWorld) {
	f := newFixture(t)
	w := matrixWorld{student: newStudent(1), diploma: map[string]string{}}
	s := w.student
	_, err := f.accredit(f.officer, education.AccreditRequest{MSPID: "UniversityCMSP", Name: "University C"})
	require.NoError(t, err)
	_, err = f.suspend(f.officer, "UniversityCMSP", "pending review")
	require.NoError(t, err)
	for _, u := range []struct {
		reg, other *ledgertest.Client
		msp        string
		prefix     string
	}{{f.regA, f.regB, uniA, "UA"}, {f.regB, f.regA, uniB, "UB"}} {
		for _, id := range []string{u.prefix + "-1", u.prefix + "-2"} {
			_, err := f.recordCredit(u.reg, s, creditRequest(id, s, 50))
			require.NoError(t, err)
		}
		_, err := f.recognise(u.other, u.prefix+"-1", 50)
		require.NoError(t, err)
		w.diploma[u.msp] = digestOf("diploma by " + u.msp)
		_, err = f.registerDiploma(u.reg, s, education.RegisterDiplomaRequest{DocumentHash: w.diploma[u.msp], StudentRef: s.ref, Degree: "BSc"})
		require.NoError(t, err)
	}
	_, err = f.registerResource(f.regA, education.RegisterLearningResourceRequest{ContentHash: digestOf("shared notes"), Title: "Notes", Author: "A", Licence: "CC-BY-4.0"})
	require.NoError(t, err)
	return f, w
}

// own returns what the caller would act on as its own record: UniversityB
// acts on B's records, everybody else on A's, so that an allowed caller
// meets every other rule of the function.
func own(msp, a, b string) string {
	if msp == uniB {
		return b
	}
	return a
}

type matrixCall struct {
	args      func(msp string, w matrixWorld) []string
	transient bool
	rule      expectedRule
	write     bool
}

func matrixCalls(t *testing.T) map[string]matrixCall {
	js := func(v any) string { return toJSON(t, v) }
	foreign := func(msp string) string { return own(msp, "UB-2", "UA-2") } // the other university's unrecognised credit
	return map[string]matrixCall{
		"AccreditUniversity": {write: true, rule: byMinistryOfficer, args: func(string, matrixWorld) []string {
			return []string{js(education.AccreditRequest{MSPID: "UniversityDMSP", Name: "University D"})}
		}},
		"SuspendAccreditation": {write: true, rule: byMinistryOfficer, args: func(string, matrixWorld) []string {
			return []string{js(education.AccreditationDecisionRequest{MSPID: uniA, Reason: "audit"})}
		}},
		"ReinstateAccreditation": {write: true, rule: byMinistryOfficer, args: func(string, matrixWorld) []string {
			return []string{js(education.AccreditationDecisionRequest{MSPID: "UniversityCMSP", Reason: "review closed"})}
		}},
		"RecordCredit": {write: true, transient: true, rule: byUniversityRegistrar, args: func(_ string, w matrixWorld) []string {
			return []string{js(creditRequest("NEW-1", w.student, 40))}
		}},
		"RecogniseCredit": {write: true, rule: byUniversityRegistrar, args: func(msp string, _ matrixWorld) []string {
			return []string{js(education.RecogniseCreditRequest{CreditID: foreign(msp), AcceptedCreditTenths: 40})}
		}},
		"RevokeCredit": {write: true, rule: byUniversityRegistrar, args: func(msp string, _ matrixWorld) []string {
			return []string{js(education.RevokeCreditRequest{CreditID: own(msp, "UA-1", "UB-1"), Reason: "error"})}
		}},
		"RevokeRecognition": {write: true, rule: byUniversityRegistrar, args: func(msp string, _ matrixWorld) []string {
			return []string{js(education.RevokeCreditRequest{CreditID: own(msp, "UB-1", "UA-1"), Reason: "withdrawn"})}
		}},
		"RegisterDiploma": {write: true, transient: true, rule: byUniversityRegistrar, args: func(_ string, w matrixWorld) []string {
			return []string{js(education.RegisterDiplomaRequest{DocumentHash: digestOf("new diploma"), StudentRef: w.student.ref, Degree: "MSc"})}
		}},
		"RevokeDiploma": {write: true, rule: byUniversityRegistrar, args: func(msp string, w matrixWorld) []string {
			return []string{js(education.RevokeDiplomaRequest{DocumentHash: w.diploma[own(msp, uniA, uniB)], Reason: "withdrawn"})}
		}},
		"RegisterLearningResource": {write: true, rule: byUniversityRegistrar, args: func(string, matrixWorld) []string {
			return []string{js(education.RegisterLearningResourceRequest{ContentHash: digestOf("new notes"), Title: "New", Author: "X", Licence: "CC0-1.0"})}
		}},

		"GetAccreditation":   {rule: byChannelMember, args: func(string, matrixWorld) []string { return []string{uniA} }},
		"ListAccreditations": {rule: byChannelMember, args: func(string, matrixWorld) []string { return []string{"0", ""} }},
		"GetCredit":          {rule: byChannelMember, args: func(string, matrixWorld) []string { return []string{"UA-1"} }},
		"GetCreditHistory":   {rule: byChannelMember, args: func(string, matrixWorld) []string { return []string{"UA-1"} }},
		"GetRecognition":     {rule: byChannelMember, args: func(string, matrixWorld) []string { return []string{"UA-1", uniB} }},
		"GetRecognitionHistory": {rule: byChannelMember, args: func(string, matrixWorld) []string {
			return []string{"UA-1", uniB}
		}},
		"GetTranscript": {rule: byChannelMember, args: func(_ string, w matrixWorld) []string {
			return []string{w.student.ref, "0", ""}
		}},
		"VerifyDiploma":     {rule: byChannelMember, args: func(_ string, w matrixWorld) []string { return []string{w.diploma[uniA]} }},
		"GetDiplomaHistory": {rule: byChannelMember, args: func(_ string, w matrixWorld) []string { return []string{w.diploma[uniA]} }},
		"GetLearningResource": {rule: byChannelMember, args: func(string, matrixWorld) []string {
			return []string{digestOf("shared notes")}
		}},
		"ListLearningResources": {rule: byChannelMember, args: func(string, matrixWorld) []string { return []string{"0", ""} }},
		"GetStudentRecord": {rule: byStudentDataReader, args: func(msp string, w matrixWorld) []string {
			return []string{own(msp, uniA, uniB), w.student.ref}
		}},
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

// TestAuthorisationMatrix calls every transaction function of the
// chaincode as every organisation and role of the consortium, through the
// chaincode's Invoke, and checks the outcome against the table above: an
// allowed caller succeeds (the request is built so that every other rule
// holds), a refused caller gets an access-denied error naming the function
// and its identity, and nothing is written.
func TestAuthorisationMatrix(t *testing.T) {
	cc := newChaincode(t)
	calls := matrixCalls(t)

	t.Run("the matrix covers every transaction function", func(t *testing.T) {
		l := newLedger(t)
		payload, err := l.As(oversight, "inspector").Query(cc, "org.hyperledger.fabric:GetMetadata")
		require.NoError(t, err)
		var meta struct {
			Contracts map[string]struct {
				Transactions []struct {
					Name string `json:"name"`
				} `json:"transactions"`
			} `json:"contracts"`
		}
		require.NoError(t, json.Unmarshal(payload, &meta))
		var exposed, covered []string
		for _, tx := range meta.Contracts["education"].Transactions {
			exposed = append(exposed, tx.Name)
		}
		for name := range calls {
			covered = append(covered, name)
		}
		slices.Sort(exposed)
		slices.Sort(covered)
		assert.Equal(t, exposed, covered)
	})

	ids := identities()
	world, w := newMatrixWorld(t)
	allowedCount, deniedCount := 0, 0
	for _, name := range slices.Sorted(maps.Keys(calls)) {
		call := calls[name]
		t.Run(name, func(t *testing.T) {
			// Queries write nothing, so their cells share one copy of the
			// world; each write cell gets its own.
			f := world.fork(t)
			for _, id := range ids {
				msp, role := id[0], id[1]
				if call.write {
					f = world.fork(t)
				}
				client := f.l.As(msp, role)
				if call.transient {
					client = w.student.with(t, client)
				}
				want := call.rule.allows(msp, role)
				before := f.l.Snapshot()
				events := len(f.l.Events())

				var err error
				if call.write {
					_, err = client.Invoke(cc, name, call.args(msp, w)...)
				} else {
					_, err = client.Query(cc, name, call.args(msp, w)...)
				}

				if want {
					allowedCount++
					if assert.NoError(t, err, "%s/%q must be allowed", msp, role) && call.write {
						assert.Len(t, f.l.Events(), events+1, "%s/%q: an allowed write emits one event", msp, role)
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
