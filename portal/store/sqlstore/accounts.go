package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/govshare/govshare/portal/auth"
	"github.com/govshare/govshare/portal/store"
)

var _ auth.Store = (*Store)(nil)

// PutAccount creates or replaces an account.
func (s *Store) PutAccount(ctx context.Context, a auth.Account) error {
	_, err := s.db.ExecContext(ctx, s.d.bind(`INSERT INTO accounts (name, password_hash, msp_id, created_by, created_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash, msp_id = excluded.msp_id,
		created_by = excluded.created_by, created_at = excluded.created_at`),
		a.Name, a.PasswordHash, a.MSPID, a.CreatedBy, timeText(a.CreatedAt))
	if err != nil {
		return fmt.Errorf("save account %q: %w", a.Name, err)
	}
	return nil
}

// Account reads an account; store.ErrNotFound if there is none.
func (s *Store) Account(ctx context.Context, name string) (*auth.Account, error) {
	var a auth.Account
	var created string
	err := s.db.QueryRowContext(ctx, s.d.bind("SELECT name, password_hash, msp_id, created_by, created_at FROM accounts WHERE name = ?"), name).
		Scan(&a.Name, &a.PasswordHash, &a.MSPID, &a.CreatedBy, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("account %q: %w", name, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read account %q: %w", name, err)
	}
	a.CreatedAt = parseTime(created)
	return &a, nil
}

// PutSession records a session until it expires, and forgets expired ones.
func (s *Store) PutSession(ctx context.Context, tokenHash, account string, expires time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.d.bind("DELETE FROM sessions WHERE expires_at < ?"), timeText(time.Now())); err != nil {
			return fmt.Errorf("forget expired sessions: %w", err)
		}
		if _, err := tx.ExecContext(ctx, s.d.bind("INSERT INTO sessions (token_hash, account, expires_at) VALUES (?, ?, ?)"),
			tokenHash, account, timeText(expires)); err != nil {
			return fmt.Errorf("save session: %w", err)
		}
		return nil
	})
}

// Session returns the account of a session that has not expired;
// store.ErrNotFound otherwise.
func (s *Store) Session(ctx context.Context, tokenHash string) (string, error) {
	var account string
	err := s.db.QueryRowContext(ctx, s.d.bind("SELECT account FROM sessions WHERE token_hash = ? AND expires_at > ?"),
		tokenHash, timeText(time.Now())).Scan(&account)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("session: %w", store.ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("read session: %w", err)
	}
	return account, nil
}

// DeleteSession ends a session.
func (s *Store) DeleteSession(ctx context.Context, tokenHash string) error {
	if _, err := s.db.ExecContext(ctx, s.d.bind("DELETE FROM sessions WHERE token_hash = ?"), tokenHash); err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	return nil
}
