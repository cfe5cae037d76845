package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/govshare/govshare/portal/store/sqlstore"
)

// Open opens (creating it if needed) the read model in the SQLite file at
// path, in WAL mode so that pages read while blocks are written.
func Open(ctx context.Context, path string) (*sqlstore.Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create the folder of %s: %w", path, err)
	}
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "busy_timeout(10000)", "synchronous(NORMAL)", "foreign_keys(ON)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	s, err := sqlstore.New(ctx, db, sqlstore.SQLite)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open the read model in %s: %w", path, err)
	}
	return s, nil
}
