// Package bft tests the consortium ordered by SmartBFT (network.WithBFT):
// four orderers run by four agencies, tolerating one that crashes or lies.
//
// The tests carry the build tag "integration". TestMain brings one BFT
// network up on this machine, on a port range it claims, and tears it down
// at the end, checking that no process it started is left. The tests check
// the channels' consensus configuration and the quorum of signatures on
// blocks, run the three domains' main flows through govctl, and stop
// orderers under a bounded load: one (ordering goes on with three of four),
// the leader (a view change; the pause is measured), two (no quorum: a
// clear error, no hang), then restart them; with GOVSHARE_BFT_FREEZE set
// also the leader frozen (SIGSTOP: connected but ordering nothing, as a
// leader that withholds transactions looks to the others), which does not
// pass yet on this machine (docs/performance.md, "BFT ordering"); every member peer must then
// hold the same blocks, with every acknowledged transaction valid once.
//
// For comparison the same tests run on a Raft network with
// GOVSHARE_CONSENSUS=raft (the BFT-only checks are skipped), and against a
// network already running with GOVSHARE_STATE=<state folder>, which is
// left running; docs/performance.md ("BFT ordering") uses both.
package bft
