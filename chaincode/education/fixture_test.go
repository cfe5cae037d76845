package education_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"testing"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/education"
	"github.com/govshare/govshare/chaincode/foundation"
	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

type ctxT = contractapi.TransactionContextInterface

const (
	ministry  = consortium.EduMinistryMSP
	uniA      = consortium.UniversityAMSP
	uniB      = consortium.UniversityBMSP
	oversight = consortium.OversightMSP
)

// fixture is an education-credit channel with both universities accredited.
type fixture struct {
	t         testing.TB
	l         *ledgertest.Ledger
	c         *education.Contract
	officer   *ledgertest.Client
	regA      *ledgertest.Client
	regB      *ledgertest.Client
	inspector *ledgertest.Client
}

func newLedger(t testing.TB) *ledgertest.Ledger {
	return ledgertest.New(t,
		ledgertest.WithChannel(consortium.EducationChannel),
		ledgertest.WithChaincode("education"),
		ledgertest.WithCollection(consortium.StudentCollection(uniA), uniA, ministry),
		ledgertest.WithCollection(consortium.StudentCollection(uniB), uniB, ministry))
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	l := newLedger(t)
	f := &fixture{
		t:         t,
		l:         l,
		c:         education.New(),
		officer:   l.As(ministry, consortium.RoleOfficer),
		regA:      l.As(uniA, consortium.RoleRegistrar),
		regB:      l.As(uniB, consortium.RoleRegistrar),
		inspector: l.As(oversight, consortium.RoleInspector),
	}
	_, err := f.accredit(f.officer, education.AccreditRequest{MSPID: uniA, Name: "University A"})
	require.NoError(t, err)
	_, err = f.accredit(f.officer, education.AccreditRequest{MSPID: uniB, Name: "University B"})
	require.NoError(t, err)
	return f
}

// newFixtureWithCredit returns a fixture in which UniversityAMSP recorded
// credit "UA-1" of 7.5 credits for student 1.
func newFixtureWithCredit(t testing.TB) (*fixture, student, *education.Credit) {
	t.Helper()
	f := newFixture(t)
	s := newStudent(1)
	credit, err := f.recordCredit(f.regA, s, creditRequest("UA-1", s, 75))
	require.NoError(t, err)
	return f, s, credit
}

// fork returns a fixture on an independent copy of f's ledger, reporting to t.
func (f *fixture) fork(t testing.TB) *fixture {
	l := f.l.Fork(t)
	return &fixture{
		t:         t,
		l:         l,
		c:         f.c,
		officer:   l.As(ministry, consortium.RoleOfficer),
		regA:      l.As(uniA, consortium.RoleRegistrar),
		regB:      l.As(uniB, consortium.RoleRegistrar),
		inspector: l.As(oversight, consortium.RoleInspector),
	}
}

// toJSON encodes a request (ledgertest.JSON).
var toJSON = ledgertest.JSON

// student is a student as a university knows them.
type student struct {
	ref     string
	details education.StudentDetails
}

// newStudent returns student n. The reference is computed here from the
// documented formula, independently of education.StudentRef.
func newStudent(n int) student {
	saltSum := sha256.Sum256(fmt.Appendf(nil, "salt of student %d", n))
	salt := hex.EncodeToString(saltSum[:])
	number := fmt.Sprintf("S%06d", n)
	ref := sha256.Sum256([]byte(salt + ":" + number))
	return student{
		ref: hex.EncodeToString(ref[:]),
		details: education.StudentDetails{
			StudentNumber: number,
			FullName:      fmt.Sprintf("Student Number%d Example", n),
			BirthDate:     "2001-04-30",
			Salt:          salt,
		},
	}
}

// readerKey returns reader key n and its transient form.
func readerKey(n byte) ([]byte, string) {
	sum := sha256.Sum256([]byte{'k', n})
	return sum[:], `{"key":"` + hex.EncodeToString(sum[:]) + `"}`
}

// withStudent returns c sending s's details as transient data.
func (s student) with(t testing.TB, c *ledgertest.Client) *ledgertest.Client {
	return c.WithTransient(education.TransientStudent, []byte(toJSON(t, s.details)))
}

func creditRequest(id string, s student, tenths int) education.RecordCreditRequest {
	return education.RecordCreditRequest{
		CreditID: id, StudentRef: s.ref, CourseCode: "CS101", CourseTitle: "Programming 1",
		CreditTenths: tenths, Grade: "A", Term: "2025-spring",
	}
}

func digestOf(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}

// Typed calls of the contract's write functions as transactions.

// submit encodes req as the request of fn and submits fn as c.
func submit[T any](f *fixture, c *ledgertest.Client, req any, fn func(*education.Contract, ctxT, string) (T, error)) (T, error) {
	raw, ok := req.(string)
	if !ok {
		raw = toJSON(f.t, req)
	}
	return ledgertest.Call(c, func(ctx ctxT) (T, error) { return fn(f.c, ctx, raw) })
}

func (f *fixture) accredit(c *ledgertest.Client, req education.AccreditRequest) (*education.Accreditation, error) {
	return submit(f, c, req, (*education.Contract).AccreditUniversity)
}

func (f *fixture) accreditRaw(c *ledgertest.Client, raw string) (*education.Accreditation, error) {
	return submit(f, c, raw, (*education.Contract).AccreditUniversity)
}

func (f *fixture) suspend(c *ledgertest.Client, msp, reason string) (*education.Accreditation, error) {
	return submit(f, c, education.AccreditationDecisionRequest{MSPID: msp, Reason: reason}, (*education.Contract).SuspendAccreditation)
}

func (f *fixture) reinstate(c *ledgertest.Client, msp, reason string) (*education.Accreditation, error) {
	return submit(f, c, education.AccreditationDecisionRequest{MSPID: msp, Reason: reason}, (*education.Contract).ReinstateAccreditation)
}

func (f *fixture) recordCredit(c *ledgertest.Client, s student, req education.RecordCreditRequest) (*education.Credit, error) {
	return submit(f, s.with(f.t, c), req, (*education.Contract).RecordCredit)
}

func (f *fixture) recordCreditRaw(c *ledgertest.Client, raw string) (*education.Credit, error) {
	return submit(f, c, raw, (*education.Contract).RecordCredit)
}

func (f *fixture) recognise(c *ledgertest.Client, creditID string, tenths int) (*education.Recognition, error) {
	return submit(f, c, education.RecogniseCreditRequest{CreditID: creditID, AcceptedCreditTenths: tenths}, (*education.Contract).RecogniseCredit)
}

func (f *fixture) revokeCredit(c *ledgertest.Client, creditID, reason string) (*education.Credit, error) {
	return submit(f, c, education.RevokeCreditRequest{CreditID: creditID, Reason: reason}, (*education.Contract).RevokeCredit)
}

func (f *fixture) revokeRecognition(c *ledgertest.Client, creditID, reason string) (*education.Recognition, error) {
	return submit(f, c, education.RevokeCreditRequest{CreditID: creditID, Reason: reason}, (*education.Contract).RevokeRecognition)
}

func (f *fixture) registerDiploma(c *ledgertest.Client, s student, req education.RegisterDiplomaRequest) (*education.Diploma, error) {
	return submit(f, s.with(f.t, c), req, (*education.Contract).RegisterDiploma)
}

func (f *fixture) revokeDiploma(c *ledgertest.Client, hash, reason string) (*education.Diploma, error) {
	return submit(f, c, education.RevokeDiplomaRequest{DocumentHash: hash, Reason: reason}, (*education.Contract).RevokeDiploma)
}

func (f *fixture) registerResource(c *ledgertest.Client, req education.RegisterLearningResourceRequest) (*education.LearningResource, error) {
	return submit(f, c, req, (*education.Contract).RegisterLearningResource)
}

func (f *fixture) getCredit(c *ledgertest.Client, id string) (*education.Credit, error) {
	return ledgertest.Eval(c, func(ctx ctxT) (*education.Credit, error) { return f.c.GetCredit(ctx, id) })
}

func (f *fixture) transcript(c *ledgertest.Client, ref string, pageSize int32, bookmark string) (*education.Transcript, error) {
	return ledgertest.Eval(c, func(ctx ctxT) (*education.Transcript, error) {
		return f.c.GetTranscript(ctx, ref, pageSize, bookmark)
	})
}

func (f *fixture) verify(c *ledgertest.Client, hash string) (*education.DiplomaVerification, error) {
	return ledgertest.Eval(c, func(ctx ctxT) (*education.DiplomaVerification, error) { return f.c.VerifyDiploma(ctx, hash) })
}

// lastEvent returns the name and decoded payload of the last committed event.
func (f *fixture) lastEvent() (string, foundation.Event) {
	f.t.Helper()
	return f.l.RequireLastEvent(f.t)
}
