// Package store declares what the portal asks of its read model: the
// ingest side ([Ingester]: a block's rows and the channel's checkpoint in
// one transaction) and the questions its pages and APIs ask ([Queries]),
// with the types of the answers.
//
// Handlers depend on these interfaces, never on SQL. The one
// implementation, package store/sqlstore, speaks SQL to an embedded SQLite
// database (store/sqlite, the default) or to PostgreSQL (store/postgres),
// with the same schema and migrations.
package store
