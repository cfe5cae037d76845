// Package baseline is the smallest useful chaincode: a blind write and a read
// of one key. It is deployed on every govshare channel under that channel's
// endorsement policy, where it serves as the network's health check and as the
// reference against which the domain contracts' throughput is measured.
//
// Two probes add one feature each to the blind write, so that the load tool
// can measure what a feature costs the network whatever contract uses it:
// PutGuarded sets a key-level endorsement policy on the key (and writes
// again under it), PutPrivate also writes a private value to the channel's
// baseline collection.
//
// PutShaped is the baseline's twin of a domain write: it reads and writes
// what a Shape describes (the reads, new and updated keys, key-level
// policies, private data and event of a domain write, of about the same
// sizes) with no domain logic. Measured next to the domain write it twins,
// it separates what the network charges for a write's footprint from what
// the contract's own logic costs.
package baseline
