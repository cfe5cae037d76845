//go:build integration

package integration

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/education"
	"github.com/govshare/govshare/chaincode/evidence"
	"github.com/govshare/govshare/chaincode/finance"
	govclient "github.com/govshare/govshare/gateway-client"
	"github.com/govshare/govshare/portal/auth"
	"github.com/govshare/govshare/portal/ingest"
	"github.com/govshare/govshare/portal/readmodel"
	"github.com/govshare/govshare/portal/reconcile"
	"github.com/govshare/govshare/portal/store/sqlite"
	"github.com/govshare/govshare/portal/store/sqlstore"
	"github.com/govshare/govshare/portal/web"
)

// portalRun is a portal following the test network, served on 127.0.0.1.
type portalRun struct {
	url       string
	store     *sqlstore.Store
	inspector *govclient.Session
	channels  []string
}

// startPortal runs the portal's follower and web server in the test, as
// govportal serve does, reading the ledger as Oversight's inspector.
func startPortal(t *testing.T) *portalRun {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	o, err := testNetwork.Spec.Organization("Oversight")
	require.NoError(t, err)
	client, err := govclient.Open(testNetwork.OrgDir(o))
	require.NoError(t, err)
	t.Cleanup(func() { client.Close() })
	inspector, err := client.As(consortium.RoleInspector)
	require.NoError(t, err)
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "portal.db"))
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	hub := web.NewHub()
	srv, err := web.New(web.Config{Queries: s, Guard: auth.New(s), Ledger: inspector, Channels: client.Channels(), Feed: hub})
	require.NoError(t, err)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	follower := &ingest.Follower{Source: inspector, Store: s, Channels: client.Channels(), Recorded: func(*readmodel.Batch) { hub.Recorded() }}
	done := make(chan error, 1)
	go func() { done <- follower.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	return &portalRun{url: ts.URL, store: s, inspector: inspector, channels: client.Channels()}
}

// caughtUp waits until the read model holds every block the ledger has
// now on every channel.
func (p *portalRun) caughtUp(t *testing.T, ctx context.Context) {
	t.Helper()
	heights, err := p.inspector.ChainHeights(ctx, p.channels)
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		for ch, h := range heights {
			next, err := p.store.NextBlock(ctx, ch)
			if err != nil || next < h {
				return false
			}
		}
		return true
	}, 60*time.Second, 200*time.Millisecond, "the portal catches up with the ledger")
}

// browser starts a headless Chromium with a fresh profile.
func browser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat("/usr/bin/chromium"); err != nil {
		t.Skip("*** SKIPPED: no /usr/bin/chromium (apt-get install chromium; .ci/run installs it) ***")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath("/usr/bin/chromium"), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
	})
	require.NoError(t, chromedp.Do(ctx), "start chromium")
	t.Cleanup(func() {
		if t.Failed() {
			screenshot(t, ctx, "failed-"+strings.NewReplacer("/", "-", " ", "_").Replace(t.Name()))
		}
	})
	return ctx
}

// screenshot saves the page as test output, in results/portal (git
// ignored) or the test's temporary folder.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("GOVSHARE_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join("..", "results", "portal")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		dir = t.TempDir()
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	require.NoError(t, err)
	path := filepath.Join(dir, name+".png")
	require.NoError(t, os.WriteFile(path, png, 0o644))
	t.Logf("screenshot %s", path)
}

func TestPortalOnTheNetwork(t *testing.T) {
	ctx := testContext(t)
	p := startPortal(t)
	ensureAccredited(t, ctx)

	// The day's records: a diploma, a budget line down to a payment, a
	// case with sealed evidence.
	registrar := session(t, "UniversityA", consortium.RoleRegistrar)
	student := newStudent(unique("S"))
	student.FullName, student.BirthDate = "Portal Student "+student.StudentNumber, "1999-12-31"
	ref := education.StudentRef(student.Salt, student.StudentNumber)
	diploma := []byte("%PDF-1.7 Diploma of " + student.StudentNumber + ": BSc Physics, University A")
	diplomaFile := filepath.Join(t.TempDir(), "diploma.pdf")
	require.NoError(t, os.WriteFile(diplomaFile, diploma, 0o600))
	edited := append([]byte{}, diploma...)
	edited[len(edited)-1] = 'B'
	editedFile := filepath.Join(t.TempDir(), "diploma-edited.pdf")
	require.NoError(t, os.WriteFile(editedFile, edited, 0o600))
	digest, err := govclient.HashFile(ctx, diplomaFile, nil)
	require.NoError(t, err)
	_, _, err = registrar.Education().RegisterDiploma(ctx, education.RegisterDiplomaRequest{DocumentHash: digest, StudentRef: ref, Degree: "BSc Physics"}, student)
	require.NoError(t, err)

	officer := session(t, "FinanceBureau", consortium.RoleBudgetOfficer)
	accountant := session(t, "EduMinistry", consortium.RoleAccountant)
	budget, allocation, payment := unique("PB"), unique("PA"), unique("PP")
	_, _, err = officer.Finance().Appropriate(ctx, finance.AppropriateRequest{AppropriationID: budget, FiscalYear: 2026, Title: "Portal test: school meals " + budget,
		AdministrativeCode: "EDU-02", FunctionalCode: "09.1", EconomicCode: "2211", Amount: 900_000_00, Currency: "CNY"})
	require.NoError(t, err)
	_, _, err = officer.Finance().Allocate(ctx, finance.AllocateRequest{AllocationID: allocation, AppropriationID: budget, Agency: consortium.EduMinistryMSP,
		Purpose: "School meals, spring", Amount: 300_000_00, Currency: "CNY"})
	require.NoError(t, err)
	payeeReg := unique("REG")
	_, _, err = accountant.Finance().Disburse(ctx, finance.DisburseRequest{DisbursementID: payment, AllocationID: allocation,
		Payee: finance.Payee{Name: "Portal Catering Co.", RegistrationNumber: payeeReg}, Purpose: "Meals, March", ProcurementReference: "PR-1",
		InvoiceHash: strings.Repeat("ab", 32), Amount: 12_345_00, Currency: "CNY", TransactionType: finance.TransactionDisbursement})
	require.NoError(t, err)

	clerk := session(t, "InternetCourt", consortium.RoleClerk)
	caseID, evidenceID := unique("PC"), unique("PE")
	parties := evidence.PartyNames{Parties: []evidence.PartyName{{Ref: "P1", Name: "Plaintiff " + caseID}, {Ref: "P2", Name: "Defendant " + caseID}}}
	_, _, err = clerk.Evidence().OpenCase(ctx, evidence.OpenCaseRequest{CaseID: caseID, Court: "Internet Court", CaseType: "contract dispute",
		Parties: []evidence.Party{{Ref: "P1", Role: evidence.PartyPlaintiff}, {Ref: "P2", Role: evidence.PartyDefendant}}}, parties)
	require.NoError(t, err)
	sealed := []byte("sealed exhibit of " + caseID)
	_, _, err = clerk.Evidence().SubmitEvidence(ctx, evidence.SubmitEvidenceRequest{EvidenceID: evidenceID, CaseID: caseID, ContentSHA256: digestHex(sealed),
		MediaType: "text/plain", SizeBytes: int64(len(sealed)), Description: "exhibit",
		Provenance: evidence.ProvenanceInput{Tool: "capture", CapturedAt: time.Now().Add(-time.Hour).UTC().Format(time.RFC3339), Source: "https://example.test"},
		SealedAs:   evidence.SealedAsContent}, sealed)
	require.NoError(t, err)

	p.caughtUp(t, ctx)

	t.Run("the read model matches the ledger", func(t *testing.T) {
		report, err := reconcile.Run(ctx, p.store, p.inspector, p.channels, 20)
		require.NoError(t, err)
		var sb strings.Builder
		report.Print(&sb)
		assert.Zero(t, report.Differences(), sb.String())
		assert.Greater(t, len(report.Checks), 10)
	})

	t.Run("nothing private reaches the database", func(t *testing.T) {
		personal := []string{student.FullName, student.BirthDate, student.StudentNumber, parties.Parties[0].Name, parties.Parties[1].Name, string(sealed)}
		matches, cells, err := p.store.Find(ctx, personal)
		require.NoError(t, err)
		assert.Empty(t, matches, "private values in the read model")
		assert.Greater(t, cells, 1000)
	})

	t.Run("a citizen verifies the diploma and an edited copy", func(t *testing.T) {
		b := browser(t)
		require.NoError(t, chromedp.Do(b, chromedp.Navigate(p.url+"/verify"), chromedp.WaitReady(chromedp.ID("file")),
			chromedp.SetUploadFiles(chromedp.ID("file"), []string{diplomaFile}),
			chromedp.WaitVisible(chromedp.CSS(`[data-verdict="found"]`))))
		text, err := chromedp.Run(b, chromedp.Text(chromedp.ID("result")))
		require.NoError(t, err)
		assert.Contains(t, text, "BSc Physics")
		assert.Contains(t, text, digest)
		screenshot(t, b, "verify-found")

		require.NoError(t, chromedp.Do(b, chromedp.Navigate(p.url+"/verify?lang=zh-CN"), chromedp.WaitReady(chromedp.ID("file")),
			chromedp.SetUploadFiles(chromedp.ID("file"), []string{editedFile}),
			chromedp.WaitVisible(chromedp.CSS(`[data-verdict="not-found"]`))))
		text, err = chromedp.Run(b, chromedp.Text(chromedp.ID("result")))
		require.NoError(t, err)
		assert.Contains(t, text, "未登记", "the page speaks Chinese when asked")
		screenshot(t, b, "verify-not-found-zh")
	})

	t.Run("a citizen follows a payment up to its budget line", func(t *testing.T) {
		b := browser(t)
		require.NoError(t, chromedp.Do(b, chromedp.Navigate(p.url+"/spending?year=2026&lang=en"), chromedp.WaitVisible(chromedp.CSS("svg.chart"))))
		screenshot(t, b, "spending")
		require.NoError(t, chromedp.Do(b,
			chromedp.Navigate(p.url+"/spending/disbursements?payee="+payeeReg),
			chromedp.Click(chromedp.CSS(`a[href="/spending/disbursements/`+payment+`"]`)),
			chromedp.WaitVisible(chromedp.ID("budget-line"))))
		screenshot(t, b, "payment-trace")
		require.NoError(t, chromedp.Do(b,
			chromedp.Click(chromedp.CSS(`#budget-line a`)),
			chromedp.WaitVisible(chromedp.CSS("h1 small"))))
		heading, err := chromedp.Run(b, chromedp.Text(chromedp.CSS("h1")))
		require.NoError(t, err)
		assert.Contains(t, heading, budget, "the payment's budget line")

		// On a phone's screen the pages fit its width: tables scroll in
		// their own box, nothing pushes the page sideways.
		for _, path := range []string{"/spending?year=2026", "/spending/disbursements/" + payment, "/verify"} {
			require.NoError(t, chromedp.Do(b, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Navigate(p.url+path),
				chromedp.WaitVisible(chromedp.CSS("main"))))
			// Mobile emulation widens the layout viewport to the content, so
			// compare with the screen's width, not innerWidth.
			overflow, err := chromedp.Run(b, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > 391`))
			require.NoError(t, err)
			assert.False(t, overflow, "%s is wider than a phone's screen", path)
		}
		screenshot(t, b, "payment-phone")
	})

	t.Run("an inspector sees a new transaction in the live feed", func(t *testing.T) {
		guard := auth.New(p.store)
		require.NoError(t, guard.AddAccount(ctx, "inspector", "portal test password", consortium.OversightMSP, consortium.RoleAdmin))
		b := browser(t)
		require.NoError(t, chromedp.Do(b, chromedp.Navigate(p.url+"/oversight/feed"),
			chromedp.WaitVisible(chromedp.CSS(`input[name="account"]`)),
			chromedp.SendKeys(chromedp.CSS(`input[name="account"]`), "inspector"),
			chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), "portal test password"),
			chromedp.Submit(chromedp.CSS(`input[name="password"]`)),
			chromedp.WaitVisible(chromedp.ID("feed"))))
		require.Eventually(t, func() bool {
			state, err := chromedp.Run(b, chromedp.Text(chromedp.ID("feed-state")))
			return err == nil && state == "connected"
		}, 10*time.Second, 100*time.Millisecond, "the feed connects")

		second := unique("PP")
		_, receipt, err := accountant.Finance().Disburse(ctx, finance.DisburseRequest{DisbursementID: second, AllocationID: allocation,
			Payee: finance.Payee{Name: "Portal Catering Co.", RegistrationNumber: payeeReg}, Purpose: "Meals, April", ProcurementReference: "PR-2",
			InvoiceHash: strings.Repeat("cd", 32), Amount: 1_000_00, Currency: "CNY", TransactionType: finance.TransactionDisbursement})
		require.NoError(t, err)
		committed := time.Now()
		wctx, cancel := context.WithTimeout(b, 15*time.Second)
		defer cancel()
		require.NoError(t, chromedp.Do(wctx, chromedp.WaitVisible(chromedp.CSS(`#feed tr[data-tx="`+receipt.TransactionID+`"]`))),
			"the new transaction appears in the feed")
		t.Logf("the committed transaction reached the inspector's feed %s after its commit", time.Since(committed).Round(time.Millisecond))
		screenshot(t, b, "oversight-feed")

		require.NoError(t, chromedp.Do(b, chromedp.Navigate(p.url+"/oversight"), chromedp.WaitVisible(chromedp.CSS(".channel"))))
		explorer, err := chromedp.Run(b, chromedp.Text(chromedp.CSS("main")))
		require.NoError(t, err)
		assert.Contains(t, explorer, "AND(", "the chaincode definitions with their policies")
		assert.Contains(t, explorer, consortium.NotaryOfficeMSP, "the heights per peer")
		screenshot(t, b, "oversight-explorer")
	})

	t.Run("a public visitor cannot open oversight pages", func(t *testing.T) {
		b := browser(t)
		require.NoError(t, chromedp.Do(b, chromedp.Navigate(p.url+"/oversight/feed"), chromedp.WaitVisible(chromedp.ID("staff-only"))))
		location, err := chromedp.Run(b, chromedp.Location())
		require.NoError(t, err)
		text, err := chromedp.Run(b, chromedp.Text(chromedp.CSS("main")))
		require.NoError(t, err)
		assert.Contains(t, location, "/oversight/login")
		assert.NotContains(t, text, "Disburse")
		screenshot(t, b, "oversight-refused")
		resp, err := http.Get(p.url + "/api/v1/oversight/feed")
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	})

	t.Run("page weight", func(t *testing.T) {
		for _, path := range []string{"/", "/spending", "/spending/disbursements/" + payment, "/verify", "/cases"} {
			t.Logf("%s: %s", path, pageWeight(t, p.url+path))
		}
	})
}

// pageWeight fetches a page and the assets it links, as a browser with an
// empty cache would, and says how many bytes travelled (gzip).
func pageWeight(t *testing.T, url string) string {
	t.Helper()
	c := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	fetch := func(u string, gzip bool) []byte {
		req, err := http.NewRequest(http.MethodGet, u, nil)
		require.NoError(t, err)
		if gzip {
			req.Header.Set("Accept-Encoding", "gzip")
		}
		resp, err := c.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return body
	}
	html := len(fetch(url, true))
	total := html
	page := string(fetch(url, false))
	base := url[:strings.Index(url[len("http://"):], "/")+len("http://")]
	for _, part := range strings.Split(page, `"/assets/`)[1:] {
		total += len(fetch(base+"/assets/"+part[:strings.IndexByte(part, '"')], true))
	}
	return fmt.Sprintf("HTML %d B, with assets %d B (gzip)", html, total)
}

func digestHex(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// TestPortalResumesAfterAKill kills govportal (SIGKILL) while it is
// reading the ledger from block 0, starts it again, and checks that the
// read model then holds every block and every transaction of the ledger
// exactly once.
func TestPortalResumesAfterAKill(t *testing.T) {
	ctx := testContext(t)
	dir := t.TempDir()
	bin := filepath.Join(dir, "govportal")
	out, err := exec.Command("go", "build", "-o", bin, "../portal/cmd/govportal").CombinedOutput()
	require.NoError(t, err, string(out))
	o, err := testNetwork.Spec.Organization("Oversight")
	require.NoError(t, err)
	orgDir := testNetwork.OrgDir(o)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()
	db := filepath.Join(dir, "portal.db")
	serve := func() *exec.Cmd {
		cmd := exec.Command(bin, "serve", "--org", orgDir, "--db", db, "--listen", addr)
		logf, err := os.OpenFile(filepath.Join(dir, "portal.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
		require.NoError(t, err)
		cmd.Stdout, cmd.Stderr = logf, logf
		require.NoError(t, cmd.Start())
		t.Cleanup(func() {
			cmd.Process.Kill()
			cmd.Wait()
			logf.Close()
		})
		return cmd
	}
	reached := func() map[string]uint64 {
		resp, err := http.Get("http://" + addr + "/api/v1/overview")
		if err != nil {
			return nil
		}
		defer resp.Body.Close()
		var o struct {
			Channels []struct {
				Channel   string `json:"channel"`
				NextBlock uint64 `json:"nextBlock"`
			} `json:"channels"`
		}
		if json.NewDecoder(resp.Body).Decode(&o) != nil {
			return nil
		}
		m := map[string]uint64{}
		for _, c := range o.Channels {
			m[c.Channel] = c.NextBlock
		}
		return m
	}

	first := serve()
	var atKill map[string]uint64
	require.Eventually(t, func() bool {
		atKill = reached()
		for _, n := range atKill {
			if n > 0 {
				return true
			}
		}
		return false
	}, 60*time.Second, 20*time.Millisecond, "the portal starts reading")
	require.NoError(t, first.Process.Kill(), "kill -9 in the middle of the catch-up")
	first.Wait()
	t.Logf("killed with the read model at %v", atKill)

	inspector := session(t, "Oversight", consortium.RoleInspector)
	client, err := govclient.Open(orgDir)
	require.NoError(t, err)
	defer client.Close()
	channels := client.Channels()
	heights, err := inspector.ChainHeights(ctx, channels)
	require.NoError(t, err)

	second := serve()
	require.Eventually(t, func() bool {
		m := reached()
		for ch, h := range heights {
			if m[ch] < h {
				return false
			}
		}
		return true
	}, 90*time.Second, 100*time.Millisecond, "the restarted portal catches up")
	require.NoError(t, second.Process.Signal(os.Interrupt))
	second.Wait()

	s, err := sqlite.Open(ctx, db)
	require.NoError(t, err)
	defer s.Close()
	for _, ch := range channels {
		want := 0
		for n := uint64(0); n < heights[ch]; n++ {
			b, err := inspector.Block(ctx, ch, n)
			require.NoError(t, err)
			want += len(b.Transactions)
		}
		var blocks, txs int
		require.NoError(t, s.DB().QueryRow("SELECT COUNT(*) FROM blocks WHERE channel = ? AND number < ?", ch, heights[ch]).Scan(&blocks))
		require.NoError(t, s.DB().QueryRow("SELECT COUNT(*) FROM transactions WHERE channel = ? AND block < ?", ch, heights[ch]).Scan(&txs))
		assert.Equal(t, int(heights[ch]), blocks, "%s: every block once", ch)
		assert.Equal(t, want, txs, "%s: every transaction once", ch)
	}
	var seqs, distinct int
	require.NoError(t, s.DB().QueryRow("SELECT COUNT(*), COUNT(DISTINCT seq) FROM transactions").Scan(&seqs, &distinct))
	assert.Equal(t, seqs, distinct)
}
