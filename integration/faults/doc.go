// Package faults holds the fault and recovery tests of the network under
// load: a Raft leader killed, a peer killed, the ordering quorum lost, each
// then restarted; an agency backed up, lost and restored onto a fresh
// folder; and the disk each kind of node takes per transaction. They run
// against one network brought up for the package on loopback (build tag
// "integration", part of `make test`), kill only that network's own
// processes, by PID, and check that no acknowledged transaction is lost or
// committed twice, that restarted and restored nodes catch up with the
// same blocks, and how long submitters stall. Each test logs lines of
// figures beginning "faults:"; docs/performance.md ("Faults under load")
// explains them. GOVSHARE_SOAK_TX sets the number of transactions of the
// disk run (1,000 by default).
package faults
