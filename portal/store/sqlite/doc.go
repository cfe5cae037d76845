// Package sqlite opens the portal's read model in an embedded SQLite
// database, through the pure-Go driver modernc.org/sqlite: no server and
// no C compiler. It is the default store.
package sqlite
