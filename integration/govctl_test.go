//go:build integration

package integration

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/education"
	govclient "github.com/govshare/govshare/gateway-client"
)

var (
	govctlOnce sync.Once
	govctlPath string
	govctlErr  error
)

// govctl builds the command once and runs it as a subprocess against the
// test network, returning stdout, stderr and the exit code.
func govctl(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	govctlOnce.Do(func() {
		dir, err := os.MkdirTemp("", "govctl-")
		if err != nil {
			govctlErr = err
			return
		}
		govctlPath = filepath.Join(dir, "govctl")
		out, err := exec.Command("go", "build", "-o", govctlPath, "../gateway-client/cmd/govctl").CombinedOutput()
		if err != nil {
			govctlErr = errors.New(string(out))
		}
	})
	require.NoError(t, govctlErr, "build govctl")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, govctlPath, append([]string{"--network", testNetwork.StateDir()}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		code = exitErr.ExitCode()
	} else {
		require.NoError(t, err)
	}
	return stdout.String(), stderr.String(), code
}

func TestGovctlEducationFlow(t *testing.T) {
	ensureAccredited(t, testContext(t))
	number := unique("S")
	creditID := unique("UA-GOVCTL")
	registrar := []string{"--org", "UniversityA", "--as", "registrar"}

	stdout, stderr, code := govctl(t, append(registrar, "credit", "record", "--id", creditID, "--student-number", number,
		"--name", "Zhang Wei", "--birth-date", "2003-09-09", "--course", "CS101", "--title", "Programming 1",
		"--credits", "7.5", "--grade", "A", "--term", "2026-autumn")...)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "credit "+creditID)
	assert.Contains(t, stdout, "7.5 credits")
	assert.Contains(t, stderr, "committed in block", "a person sees the write reach the ledger")

	stdout, stderr, code = govctl(t, append(registrar, "--json", "credit", "transcript", "--student-number", number)...)
	require.Equal(t, 0, code, stderr)
	var transcript education.Transcript
	require.NoError(t, json.Unmarshal([]byte(stdout), &transcript), stdout)
	assert.Equal(t, 75, transcript.ActiveCreditTenths)
	require.Len(t, transcript.Entries, 1)
	assert.Equal(t, creditID, transcript.Entries[0].Credit.CreditID)

	diploma := filepath.Join(t.TempDir(), "diploma.pdf")
	require.NoError(t, os.WriteFile(diploma, []byte("diploma of "+number), 0o600))
	_, stderr, code = govctl(t, append(registrar, "diploma", "register", diploma, "--student-number", number,
		"--name", "Zhang Wei", "--birth-date", "2003-09-09", "--degree", "BSc")...)
	require.Equal(t, 0, code, stderr)
	stdout, stderr, code = govctl(t, "--org", "Oversight", "--as", "inspector", "diploma", "verify", diploma)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "VALID: diploma")
	assert.Contains(t, stdout, "issued by UniversityAMSP")
}

func TestGovctlRefusedWriteExplainsItself(t *testing.T) {
	stdout, stderr, code := govctl(t, "--org", "Oversight", "--as", "inspector", "credit", "record", "--id", unique("OV"),
		"--student-number", "S1", "--name", "X", "--birth-date", "2000-01-01", "--course", "CS1", "--title", "T",
		"--credits", "1", "--grade", "A", "--term", "t1")
	assert.Equal(t, 1, code, "a refused write exits 1")
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "RecordCredit on education-credit/education was refused")
	assert.Contains(t, stderr, `called by OversightMSP with role "inspector"`)
	assert.Contains(t, stderr, `requires role "registrar"`)

	_, stderr, code = govctl(t, "credit", "show", "X")
	assert.Equal(t, 2, code, "a missing --org is a usage error")
	assert.Contains(t, stderr, "--org")

	_, stderr, code = govctl(t, "--org", "UniversityA", "--as", "registrar", "credit", "record", "--credits", "seven")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "write them like 7.5")
}

func TestGovctlWatchResumesAfterKill(t *testing.T) {
	ctx := testContext(t)
	ensureAccredited(t, ctx)
	registrar := session(t, "UniversityA", "registrar")
	record := func() string {
		student := newStudent(unique("S"))
		_, receipt, err := registrar.Education().RecordCredit(ctx, education.RecordCreditRequest{
			CreditID: unique("W"), StudentRef: education.StudentRef(student.Salt, student.StudentNumber),
			CourseCode: "W101", CourseTitle: "Watching", CreditTenths: 10, Grade: "A", Term: "2026-spring",
		}, student)
		require.NoError(t, err)
		return receipt.TransactionID
	}
	before := record()
	checkpoints := t.TempDir()
	args := []string{"--network", testNetwork.StateDir(), "--org", "Oversight", "--as", "inspector", "--json",
		"oversight", "watch", "--from-start", "--channels", "education-credit", "--checkpoint", checkpoints}
	govctl(t, "--help") // builds the command

	// First run: read the feed until it reaches the transaction above,
	// then kill the process while it waits for more.
	cmd := exec.Command(govctlPath, args...)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	var first []govclient.Change
	scanner := bufio.NewScanner(stdout)
	for scanner.Scan() {
		var c govclient.Change
		require.NoError(t, json.Unmarshal(scanner.Bytes(), &c))
		first = append(first, c)
		if c.TransactionID == before {
			break
		}
	}
	require.NotEmpty(t, first)
	require.Equal(t, before, first[len(first)-1].TransactionID)
	// The feed shows what the credit's transaction wrote, from its write
	// set: the credit itself in public, the student's details only as
	// hashes.
	var credit, student bool
	for _, w := range first[len(first)-1].Writes {
		switch {
		case w.ObjectType == "edu.transcript" && !w.PolicyWrite:
			var written education.Credit
			require.NoError(t, json.Unmarshal(w.Value, &written))
			assert.Equal(t, "UniversityAMSP", written.Issuer)
			assert.Equal(t, "W101", written.CourseCode)
			credit = true
		case w.Collection == "StudentPII_UniversityAMSP":
			assert.Empty(t, w.Value, "a private value never leaves the collection")
			assert.Len(t, w.ValueHash, 64)
			student = true
		}
	}
	assert.True(t, credit, "the credit is in the feed's writes: %+v", first[len(first)-1].Writes)
	assert.True(t, student, "the student's private write is in the feed's writes")
	time.Sleep(500 * time.Millisecond) // the checkpoint of the last line is written
	require.NoError(t, cmd.Process.Kill())
	_ = cmd.Wait()

	// While no one watches, three more credits are recorded.
	var missed []string
	for range 3 {
		missed = append(missed, record())
	}

	// The second run resumes from the checkpoints: exactly the three.
	out, stderr, code := govctl(t, append(args[2:], "--limit", "3")...)
	require.Equal(t, 0, code, stderr)
	var resumed []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var c govclient.Change
		require.NoError(t, json.Unmarshal([]byte(line), &c), line)
		resumed = append(resumed, c.TransactionID)
	}
	assert.Equal(t, missed, resumed, "after a kill the feed goes on with the next transaction: no gap, no repeat")
}
