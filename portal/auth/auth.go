package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"github.com/govshare/govshare/chaincode/consortium"
)

// Account is a member of the oversight organisation's staff.
type Account struct {
	Name         string
	PasswordHash string
	// MSPID is the organisation the account acts for: OversightMSP.
	MSPID     string
	CreatedBy string
	CreatedAt time.Time
}

// Store keeps accounts and sessions.
type Store interface {
	PutAccount(ctx context.Context, a Account) error
	Account(ctx context.Context, name string) (*Account, error)
	PutSession(ctx context.Context, tokenHash, account string, expires time.Time) error
	Session(ctx context.Context, tokenHash string) (string, error)
	DeleteSession(ctx context.Context, tokenHash string) error
}

// Errors of logins and account creation.
var (
	ErrBadLogin     = errors.New("unknown account or wrong password")
	ErrNotOversight = errors.New("only the oversight organisation's administrator creates accounts")
	ErrWeakPassword = errors.New("a password needs at least 12 characters")
)

// CookieName is the session cookie's name.
const CookieName = "govportal_session"

// SessionLifetime is how long a login lasts.
const SessionLifetime = 8 * time.Hour

// Guard checks logins and sessions.
type Guard struct {
	store Store
	// Secure marks cookies Secure, for a portal served over TLS.
	Secure bool
}

// New returns a guard over store.
func New(store Store) *Guard { return &Guard{store: store} }

// AddAccount creates (or resets the password of) an account of the
// oversight body. creatorMSP and creatorRole are the organisation and role
// of the credentials that ask for it: only an OversightMSP admin may.
func (g *Guard) AddAccount(ctx context.Context, name, password, creatorMSP, creatorRole string) error {
	if creatorMSP != consortium.OversightMSP || creatorRole != consortium.RoleAdmin {
		return fmt.Errorf("%w (asked by %s %s)", ErrNotOversight, creatorMSP, creatorRole)
	}
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 64 || strings.ContainsAny(name, " \t\r\n") {
		return fmt.Errorf("an account name is 1 to 64 characters without spaces, not %q", name)
	}
	if utf8.RuneCountInString(password) < 12 {
		return ErrWeakPassword
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return fmt.Errorf("hash the password: %w", err)
	}
	return g.store.PutAccount(ctx, Account{Name: name, PasswordHash: string(hash), MSPID: consortium.OversightMSP,
		CreatedBy: creatorMSP + " " + creatorRole, CreatedAt: time.Now().UTC()})
}

// Login checks a name and password and starts a session, returning its
// cookie.
func (g *Guard) Login(ctx context.Context, name, password string) (*http.Cookie, error) {
	a, err := g.store.Account(ctx, name)
	if err != nil {
		// Spend the time a check would, so that a name's existence does
		// not show in the answer's delay.
		_ = bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
		return nil, ErrBadLogin
	}
	if bcrypt.CompareHashAndPassword([]byte(a.PasswordHash), []byte(password)) != nil || a.MSPID != consortium.OversightMSP {
		return nil, ErrBadLogin
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, fmt.Errorf("make a session token: %w", err)
	}
	token := hex.EncodeToString(raw)
	expires := time.Now().Add(SessionLifetime)
	if err := g.store.PutSession(ctx, tokenHash(token), a.Name, expires); err != nil {
		return nil, err
	}
	return &http.Cookie{Name: CookieName, Value: token, Path: "/", Expires: expires, HttpOnly: true,
		Secure: g.Secure, SameSite: http.SameSiteStrictMode}, nil
}

// dummyHash is checked against for unknown accounts.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("not a password of anyone"), bcrypt.DefaultCost)

// Account returns the account of the request's session, "" without a
// valid one.
func (g *Guard) Account(r *http.Request) string {
	c, err := r.Cookie(CookieName)
	if err != nil || len(c.Value) != 64 {
		return ""
	}
	name, err := g.store.Session(r.Context(), tokenHash(c.Value))
	if err != nil {
		return ""
	}
	return name
}

// Logout ends the request's session and returns a cookie that clears it.
func (g *Guard) Logout(r *http.Request) (*http.Cookie, error) {
	clear := &http.Cookie{Name: CookieName, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: g.Secure, SameSite: http.SameSiteStrictMode}
	c, err := r.Cookie(CookieName)
	if err != nil {
		return clear, nil
	}
	return clear, g.store.DeleteSession(r.Context(), tokenHash(c.Value))
}

func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
