package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/evidence"
	"github.com/govshare/govshare/chaincode/foundation"
)

// run runs govctl's command line in-process, without a network, and
// returns its exit code and what it wrote.
func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	a := newApp(&out, &errOut)
	root := a.root()
	root.SetArgs(append([]string{"--network", t.TempDir()}, args...))
	return a.exitCode(root.ExecuteContext(context.Background())), out.String(), errOut.String()
}

func TestEveryEvidenceCommandHasHelpAndAnExample(t *testing.T) {
	a := newApp(nil, nil)
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		assert.NotEmpty(t, c.Short, c.CommandPath())
		if c.Runnable() {
			assert.Contains(t, c.Example, "govctl --org ", "%s has an example a clerk can copy", c.CommandPath())
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	for _, c := range a.evidenceCommands() {
		walk(c)
	}
}

func TestPartiesArePublicReferencesAndPrivateNames(t *testing.T) {
	parties, names, err := partyFlags([]string{"P1:plaintiff:Example Trading Ltd", "P2:defendant: Jane Example: the elder "})
	require.NoError(t, err)
	assert.Equal(t, []evidence.Party{{Ref: "P1", Role: "plaintiff"}, {Ref: "P2", Role: "defendant"}}, parties)
	assert.Equal(t, []evidence.PartyName{{Ref: "P1", Name: "Example Trading Ltd"}, {Ref: "P2", Name: "Jane Example: the elder"}}, names.Parties)

	for _, bad := range []string{"P1:plaintiff", "P1::Name", ":plaintiff:Name", "P1:plaintiff: "} {
		_, _, err := partyFlags([]string{bad})
		assert.ErrorContains(t, err, "REF:ROLE:NAME", bad)
		assert.Equal(t, exitUsage, newApp(nil, &bytes.Buffer{}).exitCode(err))
	}

	var out bytes.Buffer
	printCase(&out, &evidence.Case{CaseID: "IC-1", Court: "Internet Court", CaseType: "contract", Parties: parties, Status: evidence.CaseOpen,
		OpenedBy: foundation.Caller{MSPID: "InternetCourtMSP", Role: "clerk", ID: "x509::CN=clerk::CN=ca"}})
	assert.Contains(t, out.String(), "P1 (plaintiff), P2 (defendant)")
	assert.NotContains(t, out.String(), "x509::", "a case names its clerk by organisation and role")
}

func TestGrantExpiry(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.FixedZone("CST", 8*3600))
	got, err := expiry("", 72*time.Hour, now)
	require.NoError(t, err)
	assert.Equal(t, "2026-03-04T04:00:00Z", got, "--for counts from now, in UTC")
	got, err = expiry("2026-03-15T17:00:00+08:00", 0, now)
	require.NoError(t, err)
	assert.Equal(t, "2026-03-15T09:00:00Z", got)

	for _, c := range []struct {
		until string
		d     time.Duration
		want  string
	}{
		{"", 0, "one of the two"},
		{"2026-03-15T17:00:00Z", time.Hour, "one of the two"},
		{"", -time.Hour, "in the past"},
		{"15 March", 0, "RFC 3339"},
	} {
		_, err := expiry(c.until, c.d, now)
		assert.ErrorContains(t, err, c.want, "%q %s", c.until, c.d)
	}
}

func TestMediaTypeFromTheFileName(t *testing.T) {
	assert.Equal(t, "text/plain", mediaType("chat.txt"), "without the charset parameter the contract refuses")
	assert.Equal(t, "image/png", mediaType("shot.PNG"))
	assert.Equal(t, "application/octet-stream", mediaType("capture.unknownext"))
	assert.Equal(t, "application/octet-stream", mediaType("noextension"))
}

func TestSealedKeyFiles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ev.key")
	key, err := loadKey(path, true)
	require.NoError(t, err)
	assert.Len(t, key, 32)
	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "a key file is readable by its owner only")

	again, err := loadKey(path, false)
	require.NoError(t, err)
	assert.Equal(t, key, again, "the key written is the key read")

	_, err = loadKey(path, true)
	assert.ErrorContains(t, err, "exists", "--new-key never overwrites a key")
	read, err := loadKey(path, false)
	require.NoError(t, err)
	assert.Equal(t, key, read, "the refused --new-key left the key alone")

	short := filepath.Join(t.TempDir(), "short.key")
	require.NoError(t, os.WriteFile(short, []byte(hex.EncodeToString(make([]byte, 8))), 0o600))
	_, err = loadKey(short, false)
	assert.ErrorContains(t, err, "16 to 64 bytes")
}

func TestSealedContentGoesOnlyWhereItIsSent(t *testing.T) {
	a := newApp(&bytes.Buffer{}, &bytes.Buffer{})
	_, err := a.openOut("")
	assert.ErrorContains(t, err, "never printed to the terminal")

	dir := t.TempDir()
	existing := filepath.Join(dir, "existing.txt")
	require.NoError(t, os.WriteFile(existing, []byte("keep me"), 0o600))
	_, err = a.openOut(existing)
	assert.ErrorContains(t, err, "nothing is overwritten")
	kept, err := os.ReadFile(existing)
	require.NoError(t, err)
	assert.Equal(t, "keep me", string(kept))

	path := filepath.Join(dir, "content.txt")
	out, err := a.openOut(path)
	require.NoError(t, err)
	require.NoError(t, out.write([]byte("sealed")))
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "sealed", string(got))
	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())

	abandoned := filepath.Join(dir, "abandoned.txt")
	out, err = a.openOut(abandoned)
	require.NoError(t, err)
	out.abandon()
	assert.NoFileExists(t, abandoned, "a read that failed leaves no empty file behind")

	// Standard output that is not a terminal takes the content; the report
	// goes to stderr so that the two never mix.
	var stdout, stderr bytes.Buffer
	b := newApp(&stdout, &stderr)
	out, err = b.openOut("-")
	require.NoError(t, err)
	require.NoError(t, out.write([]byte("sealed")))
	require.NoError(t, out.report.print(nil, func(w io.Writer) { io.WriteString(w, "the report") }))
	assert.Equal(t, "sealed", stdout.String())
	assert.Equal(t, "the report", stderr.String())
}

func TestEvidenceCommandLineMistakesAreUsageErrors(t *testing.T) {
	large := filepath.Join(t.TempDir(), "recording.mp4")
	require.NoError(t, os.WriteFile(large, make([]byte, evidence.MaxContentBytes+1), 0o600))
	submit := []string{"--org", "InternetCourt", "--as", "clerk", "evidence", "submit", "--case", "IC-1", "--id", "EV-1",
		"--description", "d", "--tool", "t", "--source", "s", "--captured-at", "2026-03-01T14:05:00Z", large}

	code, stdout, stderr := run(t, submit...)
	assert.Equal(t, exitUsage, code)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "is 1048577 bytes, over the 1048576 bytes (1 MiB) the ledger seals")
	assert.Contains(t, stderr, "--key-file")

	code, _, stderr = run(t, append(submit[:len(submit)-1], "--new-key", large)...)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, "--new-key writes the new key to --key-file")

	code, _, stderr = run(t, "--org", "InternetCourt", "--as", "clerk", "evidence", "submit", "--case", "IC-1", large)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, "submit needs --id, --description, --tool, --captured-at, --source")

	code, _, stderr = run(t, "--org", "NotaryOffice", "--as", "notary", "access", "open", "AR-1")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, "--out FILE")

	code, _, stderr = run(t, "--org", "InternetCourt", "--as", "judge", "access", "grant", "AR-1")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, "--until TIME or --for DURATION")

	code, _, stderr = run(t, "--org", "InternetCourt", "--as", "clerk", "case", "open", "--id", "IC-1", "--court", "c", "--type", "t", "--party", "P1")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, "REF:ROLE:NAME")
}
