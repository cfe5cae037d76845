package workload

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/govshare/govshare/bench"
	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/education"
	govclient "github.com/govshare/govshare/gateway-client"
)

// Education is the education-credit workload: UniversityA's registrar
// records credits, UniversityB's registrar recognises them, and
// transcripts are read back.
type Education struct {
	env        *Env
	recorder   *govclient.Session
	recogniser *govclient.Session
	// students are per worker: RecordCredit reads and writes the student's
	// private record, so two concurrent credits of one student conflict.
	studentsPerWorker int
	next              []int // per worker: the next student
	// tried counts, per worker, the new students NewStudentCredit tried,
	// so that every try has a student never seen before, even when an
	// earlier try failed after it committed; enrolled lists those whose
	// first credit was confirmed, and onFile is the next of them
	// OnFileCredit credits.
	tried    []int
	enrolled [][]int
	onFile   []int
	ids      atomic.Int64
	credits  list // credit IDs recorded
	// recognised counts the credits RecogniseCredit has taken, in order.
	recognised atomic.Int64
	students   list // student references with credits
}

// Student returns the details and reference of a load student: the salt
// is derived from the number, so every run knows every student.
func Student(number string) (education.StudentDetails, string) {
	d := education.StudentDetails{StudentNumber: number, FullName: "Load Student " + number,
		BirthDate: "2004-03-01", Salt: SHA256Hex([]byte("govload salt " + number))[:32]}
	return d, education.StudentRef(d.Salt, number)
}

// NewEducation prepares the workload for workers concurrent workers, each
// with studentsPerWorker students of its own: it makes sure both
// universities are accredited (as EduMinistry's officer).
func NewEducation(ctx context.Context, env *Env, workers, studentsPerWorker int) (*Education, error) {
	officer, err := env.SetupSession("EduMinistry", consortium.RoleOfficer)
	if err != nil {
		return nil, err
	}
	for _, u := range []struct{ msp, name string }{
		{consortium.UniversityAMSP, "University A"}, {consortium.UniversityBMSP, "University B"},
	} {
		if acc, err := officer.Education().GetAccreditation(ctx, u.msp); err == nil && acc.Status == education.StatusActive {
			continue
		}
		if _, _, err := officer.Education().AccreditUniversity(ctx, education.AccreditRequest{MSPID: u.msp, Name: u.name}); err != nil {
			return nil, fmt.Errorf("accredit %s: %w", u.msp, err)
		}
	}
	w := &Education{env: env, studentsPerWorker: max(1, studentsPerWorker), next: make([]int, workers),
		tried: make([]int, workers), enrolled: make([][]int, workers), onFile: make([]int, workers)}
	if w.recorder, err = env.Session("UniversityA", consortium.RoleRegistrar, NoRetry); err != nil {
		return nil, err
	}
	if w.recogniser, err = env.Session("UniversityB", consortium.RoleRegistrar, NoRetry); err != nil {
		return nil, err
	}
	return w, nil
}

// Recorder is the session that records credits, whose gateway the
// education channel's baseline should use too.
func (w *Education) Recorder() *govclient.Session { return w.recorder }

// Unrecognised returns how many recorded credits RecogniseCredit has not
// taken yet.
func (w *Education) Unrecognised() int { return max(0, w.credits.len()-int(w.recognised.Load())) }

// RecordCredit records a credit for the worker's next student (UniversityA
// registrar), cycling over the worker's studentsPerWorker students: the
// first pass writes each student's details to the private collection, later
// passes find them on file.
func (w *Education) RecordCredit(ctx context.Context, worker, seq int) (int, error) {
	n := w.next[worker]
	w.next[worker]++
	number := fmt.Sprintf("%s-W%03d-S%04d", w.env.RunID, worker, n%w.studentsPerWorker)
	return attemptsOf(w.record(ctx, number, n%500, n < w.studentsPerWorker))
}

// NewStudentCredit records the first credit of a new student (UniversityA
// registrar): the transaction writes the student's details to the
// university's private collection.
func (w *Education) NewStudentCredit(ctx context.Context, worker, seq int) (int, error) {
	return attemptsOf(w.SubmitNewStudentCredit(ctx, worker, seq))
}

// SubmitNewStudentCredit is one operation of NewStudentCredit; it returns
// the commit.
func (w *Education) SubmitNewStudentCredit(ctx context.Context, worker, seq int) (*govclient.Result, error) {
	n := w.tried[worker]
	w.tried[worker]++
	result, err := w.record(ctx, w.enrolledNumber(worker, n), seq%500, true)
	if err == nil {
		w.enrolled[worker] = append(w.enrolled[worker], n)
	}
	return result, err
}

// OnFileCredit records another credit of a student NewStudentCredit
// enrolled (UniversityA registrar), cycling over the worker's students: the
// student's details are sent again and match the private record, so
// nothing private is written — the common case, since a student earns
// dozens of credits.
func (w *Education) OnFileCredit(ctx context.Context, worker, seq int) (int, error) {
	return attemptsOf(w.SubmitOnFileCredit(ctx, worker, seq))
}

// SubmitOnFileCredit is one operation of OnFileCredit; it returns the
// commit.
func (w *Education) SubmitOnFileCredit(ctx context.Context, worker, seq int) (*govclient.Result, error) {
	students := w.enrolled[worker]
	if len(students) == 0 {
		return nil, errNothingToDo
	}
	n := students[w.onFile[worker]%len(students)]
	w.onFile[worker]++
	return w.record(ctx, w.enrolledNumber(worker, n), seq%500, false)
}

func (w *Education) enrolledNumber(worker, n int) string {
	return fmt.Sprintf("%s-W%03d-E%05d", w.env.RunID, worker, n)
}

// record records one credit of student number; first says whether it is
// the student's first, which makes the student one whose transcript the
// query rounds read.
func (w *Education) record(ctx context.Context, number string, course int, first bool) (*govclient.Result, error) {
	student, ref := Student(number)
	creditID := fmt.Sprintf("%s-C%07d", w.env.RunID, w.ids.Add(1))
	_, result, err := w.recorder.Education().RecordCredit(ctx, education.RecordCreditRequest{
		CreditID: creditID, StudentRef: ref, CourseCode: fmt.Sprintf("LOAD%03d", course), CourseTitle: "Load test course",
		CreditTenths: 60, Grade: "B", Term: "2026-autumn",
	}, student)
	if err != nil {
		return nil, err
	}
	w.credits.add(creditID)
	if first {
		w.students.add(ref)
	}
	return result, nil
}

// RecogniseCredit recognises the next recorded credit not yet taken
// (UniversityB registrar). Run it with a Count of at most Unrecognised().
func (w *Education) RecogniseCredit(ctx context.Context, worker, seq int) (int, error) {
	return attemptsOf(w.SubmitRecognition(ctx))
}

// SubmitRecognition is one operation of RecogniseCredit; it returns the
// commit.
func (w *Education) SubmitRecognition(ctx context.Context) (*govclient.Result, error) {
	next, ok := w.takeCredit()
	if !ok {
		return nil, errNothingToDo
	}
	_, result, err := w.recogniser.Education().RecogniseCredit(ctx, education.RecogniseCreditRequest{
		CreditID: w.credits.at(next), AcceptedCreditTenths: 50,
	})
	return result, err
}

// takeCredit returns the index of the next recorded credit no one has taken
// for recognition, and false when every recorded credit is taken. The
// count of taken credits never passes the count of recorded ones.
func (w *Education) takeCredit() (int, bool) {
	for {
		taken := w.recognised.Load()
		if int(taken) >= w.credits.len() {
			return 0, false
		}
		if w.recognised.CompareAndSwap(taken, taken+1) {
			return int(taken), true
		}
	}
}

// Transcript reads the first page (default size) of a student's transcript.
func (w *Education) Transcript(ctx context.Context, worker, seq int) (int, error) {
	ref := w.students.at(seq)
	if ref == "" {
		return 1, errNothingToDo
	}
	if _, err := w.recorder.Education().GetTranscript(ctx, ref, 0, ""); err != nil {
		return 1, err
	}
	return 1, nil
}

var _ bench.Op = (*Education)(nil).RecordCredit
