package education_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/education"
	"github.com/govshare/govshare/chaincode/foundation"
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

// How a refusal states each requirement. A refusal that states another
// requirement (an accreditation, the ownership of a record) means the
// declared rule let the caller through, which the matrix counts as a
// failure.
var (
	byMinistryOfficer     = ledgertest.Rule{Allows: ministryOfficer, Requires: `role "officer" in EduMinistryMSP`}
	byUniversityRegistrar = ledgertest.Rule{Allows: universityRegistrar, Requires: `role "registrar" in any member organisation`}
	byChannelMember       = ledgertest.Rule{Allows: educationChannelMember, Requires: `any identity of EduMinistryMSP, UniversityAMSP, UniversityBMSP or OversightMSP, or role "registrar" in any member organisation`}
	byStudentDataReader   = ledgertest.Rule{Allows: studentDataReader, Requires: `role "registrar" in any member organisation, or role "officer" in EduMinistryMSP`}
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

// matrixCell is one caller calling one function on its copy of the world.
type matrixCell = ledgertest.MatrixCell[*fixture]

// matrixCalls says how to call each function so that an admitted caller
// meets every other rule; functions that take the student's details get
// them as transient data.
func matrixCalls(t *testing.T, w matrixWorld) map[string]ledgertest.MatrixCall[*fixture] {
	js := func(v any) string { return toJSON(t, v) }
	foreign := func(msp string) string { return own(msp, "UB-2", "UA-2") } // the other university's unrecognised credit
	studentDetails := map[string][]byte{education.TransientStudent: []byte(js(w.student.details))}
	key, readerKeyJSON := readerKey(3)
	return map[string]ledgertest.MatrixCall[*fixture]{
		"AccreditUniversity": {Write: true, Rule: byMinistryOfficer,
			Args: []string{js(education.AccreditRequest{MSPID: "UniversityDMSP", Name: "University D"})}},
		"SuspendAccreditation": {Write: true, Rule: byMinistryOfficer,
			Args: []string{js(education.AccreditationDecisionRequest{MSPID: uniA, Reason: "audit"})}},
		"ReinstateAccreditation": {Write: true, Rule: byMinistryOfficer,
			Args: []string{js(education.AccreditationDecisionRequest{MSPID: "UniversityCMSP", Reason: "review closed"})}},
		"RecordCredit": {Write: true, Transient: studentDetails, Rule: byUniversityRegistrar,
			Args: []string{js(creditRequest("NEW-1", w.student, 40))}},
		"RecogniseCredit": {Write: true, Rule: byUniversityRegistrar, ArgsFor: func(_ testing.TB, c matrixCell) []string {
			return []string{js(education.RecogniseCreditRequest{CreditID: foreign(c.MSPID), AcceptedCreditTenths: 40})}
		}},
		"RevokeCredit": {Write: true, Rule: byUniversityRegistrar, ArgsFor: func(_ testing.TB, c matrixCell) []string {
			return []string{js(education.RevokeCreditRequest{CreditID: own(c.MSPID, "UA-1", "UB-1"), Reason: "error"})}
		}},
		"RevokeRecognition": {Write: true, Rule: byUniversityRegistrar, ArgsFor: func(_ testing.TB, c matrixCell) []string {
			return []string{js(education.RevokeCreditRequest{CreditID: own(c.MSPID, "UB-1", "UA-1"), Reason: "withdrawn"})}
		}},
		"RegisterDiploma": {Write: true, Transient: studentDetails, Rule: byUniversityRegistrar,
			Args: []string{js(education.RegisterDiplomaRequest{DocumentHash: digestOf("new diploma"), StudentRef: w.student.ref, Degree: "MSc"})}},
		"RevokeDiploma": {Write: true, Rule: byUniversityRegistrar, ArgsFor: func(_ testing.TB, c matrixCell) []string {
			return []string{js(education.RevokeDiplomaRequest{DocumentHash: w.diploma[own(c.MSPID, uniA, uniB)], Reason: "withdrawn"})}
		}},
		"RegisterLearningResource": {Write: true, Rule: byUniversityRegistrar,
			Args: []string{js(education.RegisterLearningResourceRequest{ContentHash: digestOf("new notes"), Title: "New", Author: "X", Licence: "CC0-1.0"})}},

		"GetAccreditation":      {Rule: byChannelMember, Args: []string{uniA}},
		"ListAccreditations":    {Rule: byChannelMember, Args: []string{"0", ""}},
		"GetCredit":             {Rule: byChannelMember, Args: []string{"UA-1"}},
		"GetCreditHistory":      {Rule: byChannelMember, Args: []string{"UA-1"}},
		"GetRecognition":        {Rule: byChannelMember, Args: []string{"UA-1", uniB}},
		"GetRecognitionHistory": {Rule: byChannelMember, Args: []string{"UA-1", uniB}},
		"GetTranscript":         {Rule: byChannelMember, Args: []string{w.student.ref, "0", ""}},
		"VerifyDiploma":         {Rule: byChannelMember, Args: []string{w.diploma[uniA]}},
		"GetDiplomaHistory":     {Rule: byChannelMember, Args: []string{w.diploma[uniA]}},
		"GetLearningResource":   {Rule: byChannelMember, Args: []string{digestOf("shared notes")}},
		"ListLearningResources": {Rule: byChannelMember, Args: []string{"0", ""}},
		"GetStudentRecord": {Rule: byStudentDataReader, ArgsFor: func(_ testing.TB, c matrixCell) []string {
			return []string{own(c.MSPID, uniA, uniB), w.student.ref}
		}, Transient: map[string][]byte{foundation.TransientReaderKey: []byte(readerKeyJSON)}, Check: func(tb testing.TB, c matrixCell, payload []byte) {
			var d foundation.Delivery
			require.NoError(tb, json.Unmarshal(payload, &d))
			var record education.StudentRecord
			require.NoError(tb, d.OpenRecord(key, education.StudentRecordContext(own(c.MSPID, uniA, uniB), w.student.ref), &record))
			assert.Equal(tb, w.student.details.StudentNumber, record.StudentNumber)
		}},
	}
}

// TestAuthorisationMatrix calls every transaction function of the
// chaincode as every organisation and role of the consortium, through the
// chaincode's Invoke, and checks the outcome against the table above: an
// allowed caller succeeds (the request is built so that every other rule
// holds) and a write emits one event; a refused caller gets an
// access-denied error naming the function, its identity and the declared
// rule; and nothing else is written (see ledgertest.Matrix). Every cell
// starts from a copy of one matrix world.
func TestAuthorisationMatrix(t *testing.T) {
	world, w := newMatrixWorld(t)
	ledgertest.Matrix[*fixture]{
		Chaincode: newChaincode(t),
		Contract:  "education",
		World:     func(tb testing.TB) (*fixture, *ledgertest.Ledger) { f := world.fork(tb); return f, f.l },
		Calls:     matrixCalls(t, w),
	}.Run(t)
}
