// Package faults holds the fault tests of the network under load: a Raft
// leader killed, a peer killed, the ordering quorum lost, each then
// restarted. They run against one network brought up for the package on
// loopback (build tag "integration", part of `make test`), kill only that
// network's own processes, by PID, and check that no acknowledged
// transaction is lost or committed twice, that restarted nodes catch up
// with the same blocks, and how long submitters stall. Each test logs one
// line of figures beginning "faults:"; docs/performance.md ("Faults under
// load") explains them.
package faults
