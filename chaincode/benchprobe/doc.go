// Package benchprobe is the measurement chaincode of networks made for
// benchmarks (network.WithBenchmarkProbes); the consortium a department
// runs never deploys it. It is the load tool's reference: a blind write
// and a read of one key (Put, Get), and probes that add one feature each
// to the blind write, so that the load tool can measure what a feature
// costs the network whatever contract uses it: PutGuarded sets a
// key-level endorsement policy on the key (and writes again under it),
// PutPrivate also writes a private value to the channel's probe
// collection (consortium.BaselineCollection).
//
// PutShaped is the twin of a domain write: it reads and writes what a
// Shape describes (the reads, new and updated keys, key-level policies,
// private data and event of a domain write, of about the same sizes) with
// no domain logic. Measured next to the domain write it twins, it
// separates what the network charges for a write's footprint from what
// the contract's own logic costs.
//
// Every function, reads included, admits only the administrators (role
// "admin") of the channel's members other than OversightMSP, which writes
// nothing anywhere; the channel's endorsement policy applies as to every
// chaincode. The probes keep the bare cost of the blind write: they check
// the caller's certificate, and write without an event unless a shape
// asks for one.
package benchprobe
