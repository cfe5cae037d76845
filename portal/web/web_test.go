package web_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/portal/auth"
	"github.com/govshare/govshare/portal/internal/fixture"
	"github.com/govshare/govshare/portal/readmodel"
	"github.com/govshare/govshare/portal/store/sqlite"
	"github.com/govshare/govshare/portal/web"
)

// portal serves the scenario's read model and returns its address and
// the scenario.
func portal(t *testing.T) (*httptest.Server, *fixture.Scenario, *auth.Guard) {
	t.Helper()
	sc := fixture.New(t)
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "portal.db"))
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	for _, b := range sc.All() {
		require.NoError(t, s.Apply(ctx, readmodel.Project(b)))
	}
	guard := auth.New(s)
	srv, err := web.New(web.Config{Queries: s, Guard: guard, Channels: fixture.Channels})
	require.NoError(t, err)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts, sc, guard
}

func get(t *testing.T, c *http.Client, u string, header ...string) (int, string, http.Header) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	require.NoError(t, err)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(body), resp.Header
}

func TestEveryPublicPageRendersTheLedgersRecords(t *testing.T) {
	ts, sc, _ := portal(t)
	c := ts.Client()
	for _, p := range []struct{ path, want string }{
		{"/", "finance-ledger"},
		{"/spending", "Primary school textbooks"},
		{"/spending?year=2026&functional=09", sc.Budget},
		{"/spending/appropriations/" + sc.Budget, sc.Allocation},
		{"/spending/allocations/" + sc.Allocation, sc.Kept},
		{"/spending/disbursements/" + sc.Disbursement, "REV-0001"},
		{"/spending/disbursements?payee=91110108MA01HX2026", sc.Kept},
		{"/spending/payees", "Huaxia Textbook Publishing Co."},
		{"/spending/reversals", "paid twice"},
		{"/verify", "/assets/sha256."},
		{"/verify?sha256=" + sc.DiplomaHash, `data-verdict="found"`},
		{"/cases", sc.CaseID},
		{"/cases/" + sc.CaseID, sc.EvidenceID},
		{"/evidence/" + sc.EvidenceID, "captured in my presence"},
		{"/resources", "Programming 1 lecture notes"},
	} {
		status, body, h := get(t, c, ts.URL+p.path)
		assert.Equal(t, http.StatusOK, status, p.path)
		assert.Contains(t, body, p.want, p.path)
		assert.Contains(t, h.Get("Content-Security-Policy"), "default-src 'self'", p.path)
		for _, personal := range sc.Personal {
			assert.NotContains(t, body, personal, "%s shows a private value", p.path)
		}
	}
	status, body, _ := get(t, c, ts.URL+"/verify?sha256="+strings.Repeat("0", 64))
	assert.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, `data-verdict="not-found"`)
	status, _, _ = get(t, c, ts.URL+"/spending/disbursements/NO-SUCH")
	assert.Equal(t, http.StatusNotFound, status)
	status, _, _ = get(t, c, ts.URL+"/spending?year=twenty")
	assert.Equal(t, http.StatusBadRequest, status)
}

func TestTheVisitorChoosesTheLanguage(t *testing.T) {
	ts, _, _ := portal(t)
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	c := &http.Client{Jar: jar}
	_, body, _ := get(t, c, ts.URL+"/spending", "Accept-Language", "zh-CN,zh;q=0.9,en;q=0.8")
	assert.Contains(t, body, "财政支出", "Accept-Language chooses Chinese")
	assert.Contains(t, body, `lang="zh-CN"`)
	_, body, _ = get(t, c, ts.URL+"/spending?lang=en", "Accept-Language", "zh-CN")
	assert.Contains(t, body, "Spending")
	_, body, _ = get(t, c, ts.URL+"/cases", "Accept-Language", "zh-CN")
	assert.Contains(t, body, `lang="en"`, "the switch is remembered over the browser's preference")
}

func TestAPublicVisitorCannotOpenOversightPages(t *testing.T) {
	ts, _, guard := portal(t)
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, p := range []string{"/oversight", "/oversight/feed", "/oversight/channels/finance-ledger", "/oversight/access", "/oversight/transcripts?ref=x"} {
		status, _, h := get(t, noRedirect, ts.URL+p)
		assert.Equal(t, http.StatusSeeOther, status, p)
		assert.True(t, strings.HasPrefix(h.Get("Location"), "/oversight/login"), p)
	}
	for _, p := range []string{"/api/v1/oversight/channels", "/api/v1/oversight/feed", "/oversight/feed/events"} {
		status, body, _ := get(t, noRedirect, ts.URL+p)
		assert.Equal(t, http.StatusUnauthorized, status, p)
		assert.NotContains(t, body, "RecordCredit")
	}

	ctx := context.Background()
	assert.ErrorIs(t, guard.AddAccount(ctx, "mallory", "a long enough password", consortium.FinanceBureauMSP, consortium.RoleAdmin), auth.ErrNotOversight)
	assert.ErrorIs(t, guard.AddAccount(ctx, "mallory", "a long enough password", consortium.OversightMSP, consortium.RoleInspector), auth.ErrNotOversight)
	assert.ErrorIs(t, guard.AddAccount(ctx, "li", "short", consortium.OversightMSP, consortium.RoleAdmin), auth.ErrWeakPassword)
	require.NoError(t, guard.AddAccount(ctx, "li", "correct horse battery", consortium.OversightMSP, consortium.RoleAdmin))

	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	c := &http.Client{Jar: jar}
	login := func(password string) (int, string) {
		req, err := http.NewRequest(http.MethodPost, ts.URL+"/oversight/login", strings.NewReader(url.Values{"account": {"li"}, "password": {password}, "next": {"/oversight/feed"}}.Encode()))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", ts.URL)
		resp, err := c.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	status, body := login("wrong password here")
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.Contains(t, body, "wrong password")
	status, body = login("correct horse battery")
	assert.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, "RecordCredit", "the feed after the login")
	for _, p := range []string{"/oversight", "/oversight/channels/finance-ledger", "/oversight/channels/finance-ledger/blocks/3",
		"/oversight/policies", "/oversight/access", "/api/v1/oversight/channels"} {
		status, _, _ := get(t, c, ts.URL+p)
		assert.Equal(t, http.StatusOK, status, p)
	}

	req, err := http.NewRequest(http.MethodPost, ts.URL+"/oversight/login", strings.NewReader("account=li&password=correct+horse+battery"))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://elsewhere.example")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, "a cross-site post is refused")
}

func TestTheAPIAnswersInJSONAndTheOpenAPIDocumentDescribesIt(t *testing.T) {
	ts, sc, _ := portal(t)
	c := ts.Client()
	status, body, _ := get(t, c, ts.URL+"/api/v1/openapi.json")
	require.Equal(t, http.StatusOK, status)
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
		Comps   struct {
			Schemas map[string]any `json:"schemas"`
		} `json:"components"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &doc))
	assert.Equal(t, "3.1.0", doc.OpenAPI)
	for _, p := range []string{"/api/v1/spending", "/api/v1/disbursements/{id}", "/api/v1/verify/{sha256}", "/api/v1/cases/{id}", "/api/v1/oversight/feed"} {
		assert.Contains(t, doc.Paths, p)
	}
	assert.Contains(t, doc.Comps.Schemas, "finance.Disbursement")

	for path := range doc.Paths {
		if strings.Contains(path, "{") || strings.Contains(path, "oversight") {
			continue
		}
		status, body, h := get(t, c, ts.URL+path)
		assert.Equal(t, http.StatusOK, status, path)
		assert.True(t, json.Valid([]byte(body)), path)
		assert.Contains(t, h.Get("Content-Type"), "application/json", path)
	}
	status, body, _ = get(t, c, ts.URL+"/api/v1/verify/"+sc.DiplomaHash)
	assert.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, `"documentHash":"`+sc.DiplomaHash)
	status, _, _ = get(t, c, ts.URL+"/api/v1/verify/not-a-digest")
	assert.Equal(t, http.StatusBadRequest, status)

	status, body, h := get(t, c, ts.URL+"/spending/disbursements.csv?year=2026")
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, h.Get("Content-Type"), "text/csv")
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 3, "a header and the two payments")
	assert.Equal(t, "150000.00", rows[1][13])
}

func TestPagesAreLightAndAssetsCached(t *testing.T) {
	ts, _, _ := portal(t)
	c := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	status, body, h := get(t, c, ts.URL+"/spending", "Accept-Encoding", "gzip")
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, "gzip", h.Get("Content-Encoding"))
	assert.Less(t, len(body), 8<<10, "the spending page with its charts is under 8 KiB on the wire")
	_, page, _ := get(t, ts.Client(), ts.URL+"/spending")
	i := strings.Index(page, "/assets/style.")
	require.Positive(t, i)
	href := page[i : i+strings.IndexByte(page[i:], '"')]
	status, _, h = get(t, c, ts.URL+href, "Accept-Encoding", "gzip")
	assert.Equal(t, http.StatusOK, status)
	assert.Contains(t, h.Get("Cache-Control"), "immutable")
}

// TestTheBrowsersSHA256MatchesGo checks sha256.js, the verify page's
// fallback where WebCrypto is missing, against Go's crypto/sha256, in
// Node when the machine has it.
func TestTheBrowsersSHA256MatchesGo(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("*** SKIPPED: no node on this machine to run sha256.js ***")
	}
	script := filepath.Join(t.TempDir(), "check.js")
	require.NoError(t, os.WriteFile(script, []byte(`
global.window = global;
require(process.argv[2]);
const crypto = require('crypto');
for (const n of [0, 1, 55, 56, 63, 64, 65, 1000, 100000, 1 << 20]) {
  const data = crypto.randomBytes(n);
  const h = new Sha256();
  for (let i = 0; i < n; i += 7777) h.update(new Uint8Array(data.subarray(i, i + 7777)));
  const want = crypto.createHash('sha256').update(data).digest('hex');
  if (h.hex() !== want) { console.log('mismatch at', n); process.exit(1); }
}
console.log('ok');
`), 0o600))
	abs, err := filepath.Abs("assets/sha256.js")
	require.NoError(t, err)
	out, err := exec.Command(node, script, abs).CombinedOutput()
	require.NoError(t, err, string(out))
	assert.Equal(t, "ok\n", string(out))
}
