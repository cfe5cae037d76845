// Package research holds the tools of govshare's measurement studies,
// kept apart from the load tool users run (package bench/workload's
// default profile, `govload run`). They answer questions about where the
// network's time goes rather than how fast it is, and the results they
// produced are told in docs/performance-history.md:
//
//   - [RunPairs] runs only the main writes and the private-write probes,
//     each right after a blind-write round of its own, several times over,
//     for medians; each main write runs right after its twin (see
//     workload.Twin). The twin's ratio to the blind write is what the
//     network charges for the footprint; the write's ratio to its twin is
//     what the contract's logic costs. `govload research pairs`.
//   - [CompareTwins] commits one of each main write and of its twin and
//     reads both back from the ledger ([TransactionFootprint] decodes a
//     committed transaction's read-write set), the check that each twin
//     asks of the peers what its write does. `govload research twins`.
//   - [Scale] preloads credits, disbursements and evidence and measures
//     the main queries' latency against the ledger's size.
//     `govload research scale`.
//   - [Tune] brings small temporary networks up under other orderer batch
//     settings and gateway limits and measures the baseline on each.
//     `govload research tune`.
//   - [ProfileRounds] attributes the peers' CPU per transaction to parts
//     of Fabric, from a perf recording made while a report's rounds ran
//     (bench/research/profile-peers). `govload research peers`.
//
// The package depends on bench and bench/workload; neither depends on it.
package research
