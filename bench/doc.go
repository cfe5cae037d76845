// Package bench measures the govshare network under load: how many
// transactions per second each department's main operations sustain and
// how long each takes, next to a blind write on the same channel in the
// same run (the benchprobe chaincode's, on a network made for benchmarks).
//
// A [Round] runs one operation from a fixed number of concurrent workers,
// for a fixed count of operations or a fixed duration, whichever comes
// first, and always within a hard time bound. Each operation is timed from
// the moment it starts to the moment the client has its answer: for a
// write, endorsement, ordering and the commit status from the gateway's
// peer; for a query, the evaluation on one peer. [Run] returns a
// [RoundResult]:
//
//   - successes per second of wall time (failures are excluded and
//     counted by cause: the validation code of a transaction that failed
//     to commit, such as MVCC_READ_CONFLICT, or the stage at which it was
//     refused; see [Classify]);
//   - latency percentiles p50, p95, p99 and the maximum, of successes only;
//   - the ratio of its throughput to the round it is compared with, set
//     by [Compare]: the baseline round of the same channel, run just
//     before it.
//
// A [Report] holds the rounds of one run with the settings they ran under
// (orderer batch settings, the gateway peer's concurrency limit, the load
// average of the machine); it is written as JSON and CSV, printed as a
// table and drawn as a PNG chart ([Report.WriteChart]).
//
// The workloads themselves, which build requests with the contracts' own
// types and submit them through package govclient, are in package
// bench/workload; the command is bench/cmd/govload. The tools of the
// measurement studies (paired rounds, twins, footprints, the peers' CPU
// profile, tuning and scaling runs) are in package bench/research.
package bench
