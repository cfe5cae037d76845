// Package workload holds govshare's load workloads: the operations that
// the rounds of package bench run, built with the contracts' own request
// types and submitted through the client library (package govclient), and
// the default profile that runs them in order.
//
// Every workload creates its own records under a run identifier
// ([Env.RunID]), so runs never collide with each other or with other
// users of the network, and each worker writes its own records (its own
// students, its own allocations) so that concurrent transactions only
// conflict where a round means them to: "disburse-one-allocation" sends
// every worker's payment against one allocation, whose running total every
// disbursement reads and writes.
//
// The profiles run on a network made for benchmarks (make bench, govnet
// -bench): its benchprobe chaincode ([ProbeChaincode]) holds the blind write
// and the probes, which the consortium a department runs never deploys.
// The default profile, per channel: the blind write (benchprobe's Put, the
// "baseline" of the round names) under that channel's endorsement policy;
// on the channels with private data, the probes (the write with a key-level policy,
// the same keys written again under it, the write with a private value);
// then the channel's domain writes, each main write right after its twin
// ("twin:record-credit", see [RunPairs]). Every write round after the first
// blind write runs right after a blind-write round of its own
// ("baseline-put@edu:record-credit", not listed below) and is compared
// with it, so that each ratio is between adjacent rounds; the first one
// gives the channel's absolute figures. Then the baseline's read (Get) and
// the channel's main queries, compared with it:
//
//	education-credit   baseline-put, baseline-put-guarded, baseline-update-guarded, baseline-put-private,
//	                   record-credit-new-student (a student's first credit: private write),
//	                   record-credit (a student on file), recognise-credit, baseline-get, transcript
//	finance-ledger     baseline-put, disburse-spread, disburse-one-allocation (once without and once with
//	                   the client's retries), disburse-one-split (every worker against one allocation
//	                   split into tranches, once without and once with retries), disburse-run-50 and
//	                   disburse-run-200 (payment runs against that allocation), baseline-get,
//	                   trace-disbursement
//	judicial-evidence  baseline-put, baseline-put-guarded, baseline-update-guarded, baseline-put-private,
//	                   submit-evidence, baseline-get, verify-evidence-by-hash
//
// The rounds against the split allocation and of payment runs are compared
// with disburse-spread, payments against many allocations, in payments
// per second (a run's TPS times its size; see bench.Round.Batch), without
// a blind-write round of their own. RunLone times one write of each kind
// at a time instead, for the latency a lone user sees.
//
// Writes are signed by the role that makes them in the domain (a
// university registrar, an agency accountant, a court clerk), through
// that organisation's gateway peer; each channel's blind write and probes
// go through the same gateway, signed by the organisation's administrator
// (the only identity the probes admit), so the two differ only in the
// chaincode and the certificate.
//
// A twin ([Twin], [TwinsOf]) is the baseline's PutShaped with the same
// footprint as a main write (reads, writes, key-level policies, private
// data, event and response of the same sizes) and no domain logic. The
// tools that study the network with twins and paired rounds, and the
// scaling and tuning runs, are in package bench/research; [Rounds] is
// what they run rounds with.
package workload
