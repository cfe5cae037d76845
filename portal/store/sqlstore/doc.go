// Package sqlstore is the read model in SQL: one implementation of
// store.Store over database/sql for SQLite and PostgreSQL, which differ only
// in their [Dialect] (how parameters are written and how a database is
// opened). The schema is created and upgraded by the migrations embedded
// from migrations/*.sql, the same files for both.
//
// Writes go through Apply only, serialised by the store: one block per SQL
// transaction, its checkpoint included. Domain records are upserted by
// their ledger identity, so the row of a record is always its latest
// version on the ledger, with the block and transaction of its first and
// of its latest write. Reads run concurrently with the writer (SQLite in
// WAL mode; PostgreSQL's MVCC).
package sqlstore
