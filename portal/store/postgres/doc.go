// Package postgres opens the portal's read model in a PostgreSQL database,
// through pgx's database/sql driver: the option for a real deployment,
// with the same schema, migrations and queries as the embedded SQLite
// store.
package postgres
