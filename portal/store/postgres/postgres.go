package postgres

import (
	"context"
	"database/sql"
	"fmt"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver

	"github.com/govshare/govshare/portal/store/sqlstore"
)

// Open connects to the database at dsn (a URL such as
// postgres://user@host:5432/db or key=value pairs) and creates or upgrades
// the read model's schema.
func Open(ctx context.Context, dsn string) (*sqlstore.Store, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open PostgreSQL: %w", err)
	}
	db.SetMaxOpenConns(16)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	s, err := sqlstore.New(ctx, db, sqlstore.Postgres)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open the read model in PostgreSQL: %w", err)
	}
	return s, nil
}
