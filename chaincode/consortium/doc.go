// Package consortium names the organisations, roles and channels of the
// govshare consortium as the contracts see them.
//
// The names are fixed by docs/conventions.md; the network model declares the
// same names when it builds the network, and a test in this package checks
// that the constants here still match that document. Contracts use these
// constants in their access rules instead of spelling MSP IDs and role values
// out, so a typo is a compile error rather than a silently closed door.
//
// Nothing here is read from the ledger or from a transaction: who a caller is
// always comes from the caller's certificate (see package foundation).
package consortium
