// Package pgtest runs a throwaway PostgreSQL server for tests, from the
// machine's PostgreSQL programs (Debian's postgresql package: initdb and
// pg_ctl under /usr/lib/postgresql/<version>/bin), in a temporary folder on
// a free port, and stops and removes it at the end. PostgreSQL refuses to
// run as root, so as root the server runs as the system's postgres user,
// which owns the folder.
package pgtest
