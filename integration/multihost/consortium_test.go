//go:build integration

package multihost

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/integration/internal/keyscan"
)

func testContext(t *testing.T, timeout time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	t.Cleanup(cancel)
	return ctx
}

// TestEachAgencyRunsOnItsOwnHostWithItsOwnKeys checks where each agency's
// nodes listen (its own host's address, which its definition publishes)
// and that its folder holds only its own keys and secrets.
func TestEachAgencyRunsOnItsOwnHostWithItsOwnKeys(t *testing.T) {
	dirs := map[string]string{}
	for _, ah := range consortium.agencies {
		dirs[ah.org.Name] = ah.dir
		def, err := ah.agency.Definition()
		require.NoError(t, err)
		for _, p := range def.Peers {
			assert.True(t, strings.HasPrefix(p.Address, ah.host.Address+":"), "%s's peer is at %s, on its host %s", ah.org.Name, p.Address, ah.host.Address)
		}
		for _, o := range def.Orderers() {
			assert.True(t, strings.HasPrefix(o.Address, ah.host.Address+":"), "%s's orderer is at %s", ah.org.Name, o.Address)
		}
		status, err := ah.agency.Status(testContext(t, time.Minute))
		require.NoError(t, err)
		assert.True(t, status.Running(), "%s's nodes run", ah.org.Name)
	}
	res, err := keyscan.Scan(dirs)
	require.NoError(t, err)
	assert.Empty(t, res.Findings)
	assert.Greater(t, res.PrivateKeys, 40)
	t.Logf("read %d private keys, looked for %d enrollment secrets", res.PrivateKeys, res.Secrets)
	for _, line := range consortium.timings {
		t.Log("bring-up:", line)
	}
}

// govctl runs govctl on an agency's host, pointed at the agency's own
// folder, as one of its roles.
func govctl(t *testing.T, ctx context.Context, org, role string, args ...string) string {
	t.Helper()
	ah := consortium.byName[org]
	require.NotNil(t, ah, org)
	full := append([]string{"--org-dir", ah.dir, "--as", role}, args...)
	cmd := ah.host.Command(ctx, consortium.govctl, full...)
	cmd.Dir = t.TempDir()
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "govctl %s on %s's host:\n%s", strings.Join(args, " "), org, out)
	return string(out)
}

// TestDomainFlowsAcrossHosts plays each domain's main flow with govctl, each
// step on the host of the agency that takes it, under the real endorsement
// policies: every write is endorsed by peers on other hosts and ordered by
// orderers of three agencies.
func TestDomainFlowsAcrossHosts(t *testing.T) {
	ctx := testContext(t, 5*time.Minute)
	t.Run("education", func(t *testing.T) {
		govctl(t, ctx, "EduMinistry", "officer", "accreditation", "grant", "UniversityAMSP", "--name", "University A")
		govctl(t, ctx, "EduMinistry", "officer", "accreditation", "grant", "UniversityBMSP", "--name", "University B")
		govctl(t, ctx, "UniversityA", "registrar", "credit", "record", "--id", "MH-UA-1", "--student-number", "S-MH-1",
			"--name", "Wang Fang", "--birth-date", "2003-05-04", "--course", "CS201", "--title", "Networks", "--credits", "6",
			"--grade", "A", "--term", "2026-spring")
		govctl(t, ctx, "UniversityB", "registrar", "credit", "recognise", "MH-UA-1", "--credits", "5")
		out := govctl(t, ctx, "UniversityA", "registrar", "credit", "transcript", "--student-number", "S-MH-1")
		assert.Contains(t, out, "MH-UA-1")
		assert.Contains(t, out, "UniversityBMSP", "the recognition shows on the transcript")
	})
	t.Run("finance", func(t *testing.T) {
		govctl(t, ctx, "FinanceBureau", "budget-officer", "budget", "appropriate", "--id", "MH-2026-1", "--year", "2026",
			"--title", "School meals", "--admin-code", "EDU-02", "--cofog", "09.1", "--economic-code", "2211",
			"--amount", "500,000.00", "--currency", "CNY")
		govctl(t, ctx, "FinanceBureau", "budget-officer", "budget", "allocate", "--id", "MH-2026-1-A1", "--appropriation", "MH-2026-1",
			"--agency", "EduMinistry", "--purpose", "Meals, term 1", "--amount", "200,000.00")
		invoice := filepath.Join(t.TempDir(), "invoice.pdf")
		require.NoError(t, os.WriteFile(invoice, []byte("invoice MH-1: 1,000 meals"), 0o644))
		govctl(t, ctx, "EduMinistry", "accountant", "spend", "disburse", "--id", "MH-PAY-1", "--allocation", "MH-2026-1-A1",
			"--payee", "Example Catering Ltd", "--payee-reg", "HRB-999", "--purpose", "September meals", "--procurement-ref", "TED-MH-1",
			"--invoice", invoice, "--amount", "12,500.00")
		out := govctl(t, ctx, "Oversight", "inspector", "spend", "trace", "MH-PAY-1")
		assert.Contains(t, out, "MH-2026-1-A1")
		assert.Contains(t, out, "MH-2026-1")
	})
	t.Run("evidence", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "chat.txt")
		require.NoError(t, os.WriteFile(file, []byte("a chat log captured across hosts"), 0o644))
		govctl(t, ctx, "InternetCourt", "clerk", "case", "open", "--id", "MH-IC-1", "--court", "Internet Court", "--type", "contract dispute",
			"--party", "P1:plaintiff:Example Ltd", "--party", "P2:defendant:Zhang Wei")
		govctl(t, ctx, "InternetCourt", "clerk", "evidence", "submit", "--case", "MH-IC-1", "--id", "MH-EV-1", "--description", "chat log",
			"--tool", "WebCapture 3.2", "--captured-at", "2026-03-01T14:05:00Z", "--source", "https://chat.example/17", file)
		govctl(t, ctx, "NotaryOffice", "notary", "evidence", "notarise", "MH-EV-1", "--statement", "captured in my presence")
		out := govctl(t, ctx, "Oversight", "inspector", "evidence", "verify", file)
		assert.Contains(t, out, "MH-EV-1")
	})
}
