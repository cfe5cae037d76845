//go:build integration

package integration

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/education"
	govclient "github.com/govshare/govshare/gateway-client"
	"github.com/govshare/govshare/network"
)

// session opens a govclient session as org's user with role, on a client
// with opts, closed at the test's end.
//
// Its submits wait until every member's peer has the transaction, as a
// multi-organisation workflow needs (the next step may be endorsed by
// another organisation's peer); options given later take precedence.
func session(t *testing.T, org, role string, opts ...govclient.Option) *govclient.Session {
	t.Helper()
	o, err := testNetwork.Spec.Organization(org)
	require.NoError(t, err)
	opts = append([]govclient.Option{govclient.WithMemberSync(30 * time.Second)}, opts...)
	c, err := govclient.Open(testNetwork.OrgDir(o), opts...)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	s, err := c.As(role)
	require.NoError(t, err)
	return s
}

// unique makes an identifier no other test run uses.
func unique(prefix string) string {
	return fmt.Sprintf("%s-%d", prefix, time.Now().UnixNano())
}

// ensureAccredited accredits both universities unless an earlier test has.
func ensureAccredited(t *testing.T, ctx context.Context) {
	t.Helper()
	officer := session(t, "EduMinistry", "officer")
	for _, u := range []struct{ msp, name string }{{"UniversityAMSP", "University A"}, {"UniversityBMSP", "University B"}} {
		if _, err := officer.Education().GetAccreditation(ctx, u.msp); err == nil {
			continue
		}
		_, _, err := officer.Education().AccreditUniversity(ctx, education.AccreditRequest{MSPID: u.msp, Name: u.name})
		require.NoError(t, err)
	}
}

func newStudent(number string) education.StudentDetails {
	salt := sha256.Sum256([]byte("salt of " + number))
	return education.StudentDetails{StudentNumber: number, FullName: "Student " + number, BirthDate: "2003-04-05", Salt: hex.EncodeToString(salt[:16])}
}

func TestEducationThroughTheGateway(t *testing.T) {
	ctx := testContext(t)
	ensureAccredited(t, ctx)
	registrarA := session(t, "UniversityA", "registrar")
	registrarB := session(t, "UniversityB", "registrar")
	inspector := session(t, "Oversight", "inspector")

	student := newStudent(unique("S"))
	ref := education.StudentRef(student.Salt, student.StudentNumber)
	kept, revoked := unique("UA-CS101"), unique("UA-MA201")
	credit, receipt, err := registrarA.Education().RecordCredit(ctx, education.RecordCreditRequest{
		CreditID: kept, StudentRef: ref, CourseCode: "CS101", CourseTitle: "Programming 1", CreditTenths: 75, Grade: "A", Term: "2026-spring",
	}, student)
	require.NoError(t, err)
	assert.Equal(t, "UniversityAMSP", credit.Issuer, "the issuer comes from the registrar's certificate")
	assert.NotEmpty(t, receipt.TransactionID)
	_, _, err = registrarA.Education().RecordCredit(ctx, education.RecordCreditRequest{
		CreditID: revoked, StudentRef: ref, CourseCode: "MA201", CourseTitle: "Linear Algebra", CreditTenths: 50, Grade: "B", Term: "2026-spring",
	}, student)
	require.NoError(t, err)

	recognition, _, err := registrarB.Education().RecogniseCredit(ctx, education.RecogniseCreditRequest{CreditID: kept, AcceptedCreditTenths: 60})
	require.NoError(t, err)
	assert.Equal(t, "UniversityBMSP", recognition.RecognisedBy)

	revokedCredit, _, err := registrarA.Education().RevokeCredit(ctx, education.RevokeCreditRequest{CreditID: revoked, Reason: "recorded against the wrong course"})
	require.NoError(t, err)
	assert.Equal(t, education.StatusRevoked, revokedCredit.Status)

	// Everyone on the channel reads the transcript; only active credits count.
	transcript, err := inspector.Education().GetTranscript(ctx, ref, 10, "")
	require.NoError(t, err)
	assert.Equal(t, 75, transcript.ActiveCreditTenths)
	assert.Len(t, transcript.Entries, 3, "two credits and one recognition")

	// The personal data stays with the university and the ministry.
	record, err := registrarA.Education().GetStudentRecord(ctx, "UniversityAMSP", ref)
	require.NoError(t, err)
	assert.Equal(t, student.FullName, record.FullName)
	_, err = inspector.Education().GetStudentRecord(ctx, "UniversityAMSP", ref)
	assert.Error(t, err, "Oversight read a student's personal data")

	history, err := inspector.Education().GetCreditHistory(ctx, revoked)
	require.NoError(t, err)
	assert.Len(t, history.Revisions, 2, "recorded, then revoked")

	// A diploma is verified by the hash of its file, streamed from disk.
	diplomaFile := filepath.Join(t.TempDir(), "diploma.pdf")
	require.NoError(t, os.WriteFile(diplomaFile, []byte("%PDF diploma of "+student.StudentNumber), 0o600))
	hash, err := govclient.HashFile(ctx, diplomaFile, nil)
	require.NoError(t, err)
	_, _, err = registrarA.Education().RegisterDiploma(ctx, education.RegisterDiplomaRequest{DocumentHash: hash, StudentRef: ref, Degree: "BSc Computer Science"}, student)
	require.NoError(t, err)
	verification, err := inspector.Education().VerifyDiploma(ctx, hash)
	require.NoError(t, err)
	assert.True(t, verification.Valid)
	require.NotNil(t, verification.Diploma)
	assert.Equal(t, "UniversityAMSP", verification.Diploma.Issuer)
	forged := sha256.Sum256([]byte("a forged diploma"))
	verification, err = inspector.Education().VerifyDiploma(ctx, hex.EncodeToString(forged[:]))
	require.NoError(t, err)
	assert.False(t, verification.Found)
}

func TestRefusedWriteSaysWhoRefusedAndWritesNothing(t *testing.T) {
	ctx := testContext(t)
	inspector := session(t, "Oversight", "inspector")
	student := newStudent(unique("S"))
	creditID := unique("OV")
	_, _, err := inspector.Education().RecordCredit(ctx, education.RecordCreditRequest{
		CreditID: creditID, StudentRef: education.StudentRef(student.Salt, student.StudentNumber),
		CourseCode: "CS101", CourseTitle: "Programming 1", CreditTenths: 75, Grade: "A", Term: "2026-spring",
	}, student)
	var txErr *govclient.TxError
	require.ErrorAs(t, err, &txErr)
	assert.Equal(t, govclient.StageEndorse, txErr.Stage)
	require.NotEmpty(t, txErr.Peers)
	assert.Equal(t, "OversightMSP", txErr.Peers[0].MSPID, "the gateway's own peer refused it")
	assert.Contains(t, txErr.Message(), "RecordCredit")
	assert.Contains(t, txErr.Message(), "OversightMSP")
	assert.Contains(t, err.Error(), "was refused")

	_, err = inspector.Education().GetCredit(ctx, creditID)
	assert.Error(t, err, "the refused credit exists")
}

func TestConflictingSubmitsAreRetried(t *testing.T) {
	ctx := testContext(t)
	ensureAccredited(t, ctx)
	registrar := session(t, "UniversityA", "registrar")
	// Two credits of a new student, recorded at the same moment: both
	// transactions read the student's (absent) private record and write it,
	// so the one committed second fails MVCC validation. The client endorses
	// it again; the second time the record is there and it goes through.
	retried := false
	for round := 0; round < 3 && !retried; round++ {
		student := newStudent(unique("S"))
		ref := education.StudentRef(student.Salt, student.StudentNumber)
		var wg sync.WaitGroup
		results := make([]*govclient.Result, 2)
		errs := make([]error, 2)
		for i := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, results[i], errs[i] = registrar.Education().RecordCredit(ctx, education.RecordCreditRequest{
					CreditID: unique(fmt.Sprintf("UA-C%d", i)), StudentRef: ref, CourseCode: "CS10" + fmt.Sprint(i),
					CourseTitle: "Course", CreditTenths: 50, Grade: "A", Term: "2026-spring",
				}, student)
			}()
		}
		wg.Wait()
		for i := range 2 {
			require.NoError(t, errs[i], "round %d, submit %d", round, i)
			if results[i].Attempts > 1 {
				retried = true
			}
		}
		transcript, err := registrar.Education().GetTranscript(ctx, ref, 10, "")
		require.NoError(t, err)
		assert.Equal(t, 2, transcript.ActiveCreditCount, "both credits are on the ledger, each once")
	}
	assert.True(t, retried, "no submit needed a retry in three rounds of simultaneous writes")
}

func TestChaincodeEventListenerResumesWithoutGapsOrDuplicates(t *testing.T) {
	ctx := testContext(t)
	ensureAccredited(t, ctx)
	registrar := session(t, "UniversityA", "registrar")
	inspector := session(t, "Oversight", "inspector")
	student := newStudent(unique("S"))
	ref := education.StudentRef(student.Salt, student.StudentNumber)
	var last string
	for i := range 5 {
		_, receipt, err := registrar.Education().RecordCredit(ctx, education.RecordCreditRequest{
			CreditID: unique(fmt.Sprintf("EV%d", i)), StudentRef: ref, CourseCode: "EV101", CourseTitle: "Events",
			CreditTenths: 10, Grade: "A", Term: "2026-spring",
		}, student)
		require.NoError(t, err)
		last = receipt.TransactionID
	}
	errDone := errors.New("reached the last transaction")

	// listen reads events from the checkpoint until it has handled stopAfter
	// events or the last transaction, and returns the transaction IDs.
	listen := func(checkpoint string, stopAfter int) []string {
		var seen []string
		err := inspector.ChaincodeEvents(ctx, network.EducationChannel, govclient.EducationChaincode, checkpoint, 0,
			func(e govclient.ChaincodeEvent) error {
				seen = append(seen, e.TransactionID)
				if e.TransactionID == last || len(seen) == stopAfter {
					return errDone
				}
				return nil
			})
		require.ErrorIs(t, err, errDone)
		return seen
	}
	dir := t.TempDir()
	reference := listen(filepath.Join(dir, "reference"), -1)
	require.Equal(t, last, reference[len(reference)-1])

	// The same feed read in pieces: stopped after 3 events each time (the
	// last one not checkpointed, as if killed while handling it), resumed.
	var pieces []string
	checkpoint := filepath.Join(dir, "interrupted")
	for len(pieces) == 0 || pieces[len(pieces)-1] != last {
		piece := listen(checkpoint, 3)
		if piece[len(piece)-1] != last {
			piece = piece[:len(piece)-1] // handled, but its handler failed: it comes again
		}
		pieces = append(pieces, piece...)
		require.Less(t, len(pieces), 10*len(reference), "the listener does not advance")
	}
	assert.Equal(t, reference, pieces)
}

func TestEducationViewRemainingMethods(t *testing.T) {
	ctx := testContext(t)
	ensureAccredited(t, ctx)
	officer := session(t, "EduMinistry", "officer")
	registrarA := session(t, "UniversityA", "registrar")
	registrarB := session(t, "UniversityB", "registrar")
	inspector := session(t, "Oversight", "inspector")

	page, err := inspector.Education().ListAccreditations(ctx, 1, "")
	require.NoError(t, err)
	require.Len(t, page.Accreditations, 1, "page size 1")
	require.NotEmpty(t, page.Bookmark, "a second university is on the next page")
	next, err := inspector.Education().ListAccreditations(ctx, 1, page.Bookmark)
	require.NoError(t, err)
	require.Len(t, next.Accreditations, 1)
	assert.NotEqual(t, page.Accreditations[0].MSPID, next.Accreditations[0].MSPID)

	// A suspended university records nothing until it is reinstated.
	suspended, _, err := officer.Education().SuspendAccreditation(ctx, education.AccreditationDecisionRequest{MSPID: "UniversityBMSP", Reason: "integration test"})
	require.NoError(t, err)
	assert.Equal(t, education.StatusSuspended, suspended.Status)
	reinstated := false
	t.Cleanup(func() {
		if !reinstated {
			_, _, _ = officer.Education().ReinstateAccreditation(context.Background(), education.AccreditationDecisionRequest{MSPID: "UniversityBMSP", Reason: "cleanup"})
		}
	})
	student := newStudent(unique("S"))
	ref := education.StudentRef(student.Salt, student.StudentNumber)
	_, _, err = registrarB.Education().RecordCredit(ctx, education.RecordCreditRequest{
		CreditID: unique("UB"), StudentRef: ref, CourseCode: "X1", CourseTitle: "X", CreditTenths: 10, Grade: "A", Term: "t1",
	}, student)
	assert.ErrorContains(t, err, "UniversityBMSP", "a suspended university is refused")
	active, _, err := officer.Education().ReinstateAccreditation(ctx, education.AccreditationDecisionRequest{MSPID: "UniversityBMSP", Reason: "review done"})
	require.NoError(t, err)
	reinstated = true
	assert.Equal(t, education.StatusActive, active.Status)

	// A recognition withdrawn stays readable with its history.
	creditID := unique("UA")
	_, _, err = registrarA.Education().RecordCredit(ctx, education.RecordCreditRequest{
		CreditID: creditID, StudentRef: ref, CourseCode: "PH101", CourseTitle: "Physics", CreditTenths: 60, Grade: "B", Term: "2026-spring",
	}, student)
	require.NoError(t, err)
	_, _, err = registrarB.Education().RecogniseCredit(ctx, education.RecogniseCreditRequest{CreditID: creditID, AcceptedCreditTenths: 60})
	require.NoError(t, err)
	withdrawn, _, err := registrarB.Education().RevokeRecognition(ctx, education.RevokeCreditRequest{CreditID: creditID, Reason: "course not equivalent"})
	require.NoError(t, err)
	assert.Equal(t, education.StatusRevoked, withdrawn.Status)
	recognition, err := inspector.Education().GetRecognition(ctx, creditID, "UniversityBMSP")
	require.NoError(t, err)
	assert.Equal(t, education.StatusRevoked, recognition.Status)
	history, err := inspector.Education().GetRecognitionHistory(ctx, creditID, "UniversityBMSP")
	require.NoError(t, err)
	assert.Len(t, history.Revisions, 2, "recognised, then withdrawn")

	// The ministry reads the student's private record too.
	record, err := officer.Education().GetStudentRecord(ctx, "UniversityAMSP", ref)
	require.NoError(t, err)
	assert.Equal(t, student.StudentNumber, record.StudentNumber)

	// A diploma revoked is no longer valid, and its history shows both.
	hash := sha256.Sum256([]byte(unique("diploma")))
	documentHash := hex.EncodeToString(hash[:])
	_, _, err = registrarA.Education().RegisterDiploma(ctx, education.RegisterDiplomaRequest{DocumentHash: documentHash, StudentRef: ref, Degree: "BSc Physics"}, student)
	require.NoError(t, err)
	_, _, err = registrarA.Education().RevokeDiploma(ctx, education.RevokeDiplomaRequest{DocumentHash: documentHash, Reason: "issued in error"})
	require.NoError(t, err)
	verification, err := inspector.Education().VerifyDiploma(ctx, documentHash)
	require.NoError(t, err)
	assert.True(t, verification.Found)
	assert.False(t, verification.Valid)
	diplomaHistory, err := inspector.Education().GetDiplomaHistory(ctx, documentHash)
	require.NoError(t, err)
	assert.Len(t, diplomaHistory.Revisions, 2)

	// The same material registered twice: the second is refused, naming the first.
	material := sha256.Sum256([]byte(unique("lecture notes")))
	resource := education.RegisterLearningResourceRequest{ContentHash: hex.EncodeToString(material[:]), Title: "Mechanics notes", Author: "Prof. Wang", Licence: "CC-BY-4.0"}
	_, _, err = registrarA.Education().RegisterLearningResource(ctx, resource)
	require.NoError(t, err)
	_, _, err = registrarB.Education().RegisterLearningResource(ctx, resource)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "UniversityAMSP", "the refusal names the first registrant")
	got, err := inspector.Education().GetLearningResource(ctx, resource.ContentHash)
	require.NoError(t, err)
	assert.Equal(t, "UniversityAMSP", got.Institution)
	resources, err := inspector.Education().ListLearningResources(ctx, 100, "")
	require.NoError(t, err)
	assert.True(t, slices.ContainsFunc(resources.Resources, func(r education.LearningResource) bool { return r.ContentHash == resource.ContentHash }))
}
