package auth_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/portal/auth"
	"github.com/govshare/govshare/portal/store/sqlite"
)

func guard(t *testing.T) *auth.Guard {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "portal.db"))
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return auth.New(s)
}

func TestOnlyTheOversightAdministratorCreatesAccounts(t *testing.T) {
	g := guard(t)
	ctx := context.Background()
	for _, c := range []struct {
		name, password, msp, role string
		want                      error
	}{
		{"li", "a long enough password", consortium.FinanceBureauMSP, consortium.RoleAdmin, auth.ErrNotOversight},
		{"li", "a long enough password", consortium.OversightMSP, consortium.RoleInspector, auth.ErrNotOversight},
		{"li", "too short", consortium.OversightMSP, consortium.RoleAdmin, auth.ErrWeakPassword},
	} {
		assert.ErrorIs(t, g.AddAccount(ctx, c.name, c.password, c.msp, c.role), c.want)
		_, err := g.Login(ctx, c.name, c.password)
		assert.ErrorIs(t, err, auth.ErrBadLogin, "a refused account does not exist")
	}
	assert.Error(t, g.AddAccount(ctx, "two words", "a long enough password", consortium.OversightMSP, consortium.RoleAdmin))
}

func TestALoginGivesAStrictCookieUntilLogout(t *testing.T) {
	g := guard(t)
	g.Secure = true
	ctx := context.Background()
	require.NoError(t, g.AddAccount(ctx, "li", "a long enough password", consortium.OversightMSP, consortium.RoleAdmin))

	_, err := g.Login(ctx, "li", "a wrong password here")
	assert.ErrorIs(t, err, auth.ErrBadLogin)
	_, err = g.Login(ctx, "nobody", "a long enough password")
	assert.ErrorIs(t, err, auth.ErrBadLogin, "an unknown name gives the same answer")

	cookie, err := g.Login(ctx, "li", "a long enough password")
	require.NoError(t, err)
	assert.True(t, cookie.HttpOnly)
	assert.True(t, cookie.Secure)
	assert.Equal(t, http.SameSiteStrictMode, cookie.SameSite)
	assert.Len(t, cookie.Value, 64)

	req := httptest.NewRequest(http.MethodGet, "/oversight", nil)
	assert.Empty(t, g.Account(req), "no cookie, no account")
	req.AddCookie(cookie)
	assert.Equal(t, "li", g.Account(req))
	forged := httptest.NewRequest(http.MethodGet, "/oversight", nil)
	last := "0"
	if cookie.Value[63] == '0' {
		last = "1"
	}
	forged.AddCookie(&http.Cookie{Name: auth.CookieName, Value: cookie.Value[:63] + last})
	assert.Empty(t, g.Account(forged))

	cleared, err := g.Logout(req)
	require.NoError(t, err)
	assert.Equal(t, -1, cleared.MaxAge)
	assert.Empty(t, g.Account(req), "the session ended on the server too")
}
