package education_test

import (
	"testing"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/education"
	"github.com/govshare/govshare/chaincode/foundation"
	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

func newChaincode(t testing.TB) *contractapi.ContractChaincode {
	t.Helper()
	cc, err := contractapi.NewChaincode(education.New())
	require.NoError(t, err, "contract metadata must build")
	return cc
}

// TestThroughTheChaincode runs the contract behind contractapi's Invoke with
// string arguments, so that argument conversion and the JSON schema checks
// contractapi applies to every response are exercised for each function.
func TestThroughTheChaincode(t *testing.T) {
	cc := newChaincode(t)
	l := newLedger(t)
	officer := l.As(ministry, "officer")
	regA, regB := l.As(uniA, "registrar"), l.As(uniB, "registrar")
	inspector := l.As(oversight, "inspector")
	s := newStudent(1)

	officer.RequireInvoke(t, cc, nil, "AccreditUniversity", toJSON(t, education.AccreditRequest{MSPID: uniA, Name: "University A"}))
	officer.RequireInvoke(t, cc, nil, "AccreditUniversity", toJSON(t, education.AccreditRequest{MSPID: uniB, Name: "University B"}))
	var acc education.Accreditation
	officer.RequireInvoke(t, cc, &acc, "SuspendAccreditation", toJSON(t, education.AccreditationDecisionRequest{MSPID: uniB, Reason: "check"}))
	officer.RequireInvoke(t, cc, &acc, "ReinstateAccreditation", toJSON(t, education.AccreditationDecisionRequest{MSPID: uniB, Reason: "ok"}))
	assert.Equal(t, education.StatusActive, acc.Status)

	var credit education.Credit
	s.with(t, regA).RequireInvoke(t, cc, &credit, "RecordCredit", toJSON(t, creditRequest("UA-1", s, 75)))
	assert.Equal(t, uniA, credit.Issuer)
	s.with(t, regA).RequireInvoke(t, cc, nil, "RecordCredit", toJSON(t, creditRequest("UA-2", s, 20)))
	var rec education.Recognition
	regB.RequireInvoke(t, cc, &rec, "RecogniseCredit", toJSON(t, education.RecogniseCreditRequest{CreditID: "UA-1", AcceptedCreditTenths: 70}))
	regB.RequireInvoke(t, cc, &rec, "RevokeRecognition", toJSON(t, education.RevokeCreditRequest{CreditID: "UA-1", Reason: "closed"}))
	regA.RequireInvoke(t, cc, &credit, "RevokeCredit", toJSON(t, education.RevokeCreditRequest{CreditID: "UA-2", Reason: "error"}))
	require.NotNil(t, credit.Revocation)

	doc := digestOf("diploma")
	var diploma education.Diploma
	s.with(t, regA).RequireInvoke(t, cc, &diploma, "RegisterDiploma", toJSON(t, education.RegisterDiplomaRequest{DocumentHash: doc, StudentRef: s.ref, Degree: "BSc"}))
	regA.RequireInvoke(t, cc, &diploma, "RevokeDiploma", toJSON(t, education.RevokeDiplomaRequest{DocumentHash: doc, Reason: "withdrawn"}))
	var res education.LearningResource
	regB.RequireInvoke(t, cc, &res, "RegisterLearningResource", toJSON(t, education.RegisterLearningResourceRequest{ContentHash: digestOf("notes"), Title: "Notes", Author: "B", Licence: "CC0-1.0"}))

	var transcript education.Transcript
	inspector.RequireQuery(t, cc, &transcript, "GetTranscript", s.ref, "1", "")
	assert.Equal(t, 75, transcript.ActiveCreditTenths)
	assert.Len(t, transcript.Entries, 1)
	require.NotEmpty(t, transcript.Bookmark)
	inspector.RequireQuery(t, cc, &transcript, "GetTranscript", s.ref, "10", transcript.Bookmark)
	assert.Len(t, transcript.Entries, 2, "the recognition and the revoked credit")

	var v education.DiplomaVerification
	inspector.RequireQuery(t, cc, &v, "VerifyDiploma", doc)
	assert.True(t, v.Found)
	assert.False(t, v.Valid)
	inspector.RequireQuery(t, cc, &v, "VerifyDiploma", digestOf("unknown"))
	assert.False(t, v.Found)

	var hist education.History
	inspector.RequireQuery(t, cc, &hist, "GetCreditHistory", "UA-2")
	assert.Len(t, hist.Revisions, 2)
	inspector.RequireQuery(t, cc, &hist, "GetRecognitionHistory", "UA-1", uniB)
	assert.Len(t, hist.Revisions, 2)
	inspector.RequireQuery(t, cc, &hist, "GetDiplomaHistory", doc)
	assert.Len(t, hist.Revisions, 2)
	inspector.RequireQuery(t, cc, &credit, "GetCredit", "UA-1")
	inspector.RequireQuery(t, cc, &rec, "GetRecognition", "UA-1", uniB)
	inspector.RequireQuery(t, cc, &acc, "GetAccreditation", uniA)
	var accs education.AccreditationPage
	inspector.RequireQuery(t, cc, &accs, "ListAccreditations", "0", "")
	assert.Len(t, accs.Accreditations, 2)
	var resources education.LearningResourcePage
	inspector.RequireQuery(t, cc, &resources, "ListLearningResources", "0", "")
	assert.Len(t, resources.Resources, 1)
	inspector.RequireQuery(t, cc, &res, "GetLearningResource", digestOf("notes"))
	var delivery foundation.Delivery
	key, transient := readerKey(2)
	officer.WithTransient(foundation.TransientReaderKey, []byte(transient)).RequireQuery(t, cc, &delivery, "GetStudentRecord", uniA, s.ref)
	var student education.StudentRecord
	require.NoError(t, delivery.OpenRecord(key, education.StudentRecordContext(uniA, s.ref), &student))
	assert.Equal(t, s.details.FullName, student.FullName)

	t.Run("a refused write answers with an error response and writes nothing", func(t *testing.T) {
		before := l.Snapshot()
		_, err := inspector.Invoke(cc, "RecordCredit", toJSON(t, creditRequest("X-1", s, 10)))
		var ccErr *ledgertest.ChaincodeError
		require.ErrorAs(t, err, &ccErr)
		assert.Contains(t, ccErr.Message, `access denied: RecordCredit called by OversightMSP with role "inspector"`)
		assert.Empty(t, l.Diff(before))
	})
	t.Run("contractapi rejects a page size that is not a number", func(t *testing.T) {
		_, err := inspector.Query(cc, "GetTranscript", s.ref, "ten", "")
		assert.Error(t, err)
	})
}
