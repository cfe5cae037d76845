package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/govshare/govshare/portal/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is the read model in a SQL database. It is safe for concurrent
// use: reads run in parallel, writes are serialised.
type Store struct {
	db *sql.DB
	d  Dialect

	writeMu sync.Mutex
	seq     int64 // the last feed sequence number written
}

var _ store.Store = (*Store)(nil)

// New returns a store on db, creating or upgrading its schema first. The
// store closes db when it is closed.
func New(ctx context.Context, db *sql.DB, d Dialect) (*Store, error) {
	s := &Store{db: db, d: d}
	if err := s.migrate(ctx); err != nil {
		return nil, err
	}
	if err := s.db.QueryRowContext(ctx, "SELECT COALESCE(MAX(seq), 0) FROM transactions").Scan(&s.seq); err != nil {
		return nil, fmt.Errorf("read the feed's last sequence number: %w", err)
	}
	return s, nil
}

// DB returns the store's database, for tools that inspect it whole (the
// test that no private value is stored, the generator's measurements).
func (s *Store) DB() *sql.DB { return s.db }

// Dialect returns the store's SQL dialect.
func (s *Store) Dialect() Dialect { return s.d }

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// migrate applies, in order and each in its own transaction, the embedded
// migrations the database has not had yet.
func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("create the migrations table: %w", err)
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("list migrations: %w", err)
	}
	sort.Strings(names)
	for _, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		version, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migration %s: its name does not start with a number", base)
		}
		var applied int
		if err := s.db.QueryRowContext(ctx, s.d.bind("SELECT COUNT(*) FROM schema_migrations WHERE version = ?"), version).Scan(&applied); err != nil {
			return fmt.Errorf("read applied migrations: %w", err)
		}
		if applied > 0 {
			continue
		}
		script, err := migrations.ReadFile(name)
		if err != nil {
			return fmt.Errorf("read migration %s: %w", base, err)
		}
		if err := s.inTx(ctx, func(tx *sql.Tx) error {
			for _, stmt := range statements(string(script)) {
				if _, err := tx.ExecContext(ctx, stmt); err != nil {
					return fmt.Errorf("%w\n%s", err, stmt)
				}
			}
			_, err := tx.ExecContext(ctx, s.d.bind("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)"),
				version, base, timeText(time.Now()))
			return err
		}); err != nil {
			return fmt.Errorf("migration %s: %w", base, err)
		}
	}
	return nil
}

// statements splits a migration into its statements: they end with a
// semicolon at the end of a line, and comment lines are dropped.
func statements(script string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(script, "\n") {
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "--") {
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		if strings.HasSuffix(trimmed, ";") {
			out = append(out, strings.TrimSpace(cur.String()))
			cur.Reset()
		}
	}
	if rest := strings.TrimSpace(cur.String()); rest != "" {
		out = append(out, rest)
	}
	return out
}

// inTx runs fn in a transaction, committed if fn returns nil.
func (s *Store) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		return errors.Join(err, tx.Rollback())
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// timeLayout writes times as fixed-width UTC text, which sorts in time
// order.
const timeLayout = "2006-01-02T15:04:05.000000Z"

func timeText(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) time.Time {
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// Match is a cell of the database that holds a searched value.
type Match struct {
	Table, Column, Value string
}

// Find reads every cell of every table and returns those that contain any
// of values, and the number of cells read: the check that no private value
// reached the read model.
func (s *Store) Find(ctx context.Context, values []string) ([]Match, int, error) {
	query := "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
	if s.d.Numbered {
		query = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name"
	}
	rows, err := s.db.QueryContext(ctx, query)
	if err != nil {
		return nil, 0, fmt.Errorf("list tables: %w", err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return nil, 0, fmt.Errorf("list tables: %w", err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	var matches []Match
	cells := 0
	for _, table := range tables {
		found, n, err := s.findIn(ctx, table, values)
		if err != nil {
			return nil, 0, err
		}
		matches, cells = append(matches, found...), cells+n
	}
	return matches, cells, nil
}

func (s *Store) findIn(ctx context.Context, table string, values []string) ([]Match, int, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT * FROM "+table)
	if err != nil {
		return nil, 0, fmt.Errorf("read %s: %w", table, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, 0, fmt.Errorf("read %s: %w", table, err)
	}
	cells := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range cells {
		ptrs[i] = &cells[i]
	}
	var matches []Match
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, 0, fmt.Errorf("read %s: %w", table, err)
		}
		for i, c := range cells {
			n++
			text, ok := c.(string)
			if b, isBytes := c.([]byte); isBytes {
				text, ok = string(b), true
			}
			if !ok {
				text = fmt.Sprint(c)
			}
			for _, v := range values {
				if strings.Contains(text, v) {
					matches = append(matches, Match{Table: table, Column: cols[i], Value: v})
				}
			}
		}
	}
	return matches, n, rows.Err()
}
