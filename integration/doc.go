// Package integration holds the tests that run against a real govshare
// network: Fabric's own peer, orderer and CA binaries, started by the
// network package in a temporary folder on a port range of their own.
//
// The tests carry the build tag "integration" and are run by
// `make integration-test` (part of `make test`), which builds the Fabric
// binaries first. One network is brought up for the whole package and
// stopped at the end, when the test also checks that no process it started
// is left behind.
package integration
