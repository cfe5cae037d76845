// Package audit checks that a channel's ledger has not been changed behind
// Fabric's back, from what any member of the channel may read.
//
// A [Checker] takes the blocks of one channel as several sources hold them
// (every reachable member peer and every orderer) and checks, block by
// block:
//
//   - the hash chain: each block's number, its previous hash against the
//     hash of the header before it (the SHA-256 of the header's ASN.1
//     encoding, as Fabric computes it) and its data hash against the
//     SHA-256 of its transactions;
//   - the orderers' signatures in the block's SIGNATURES metadata, against
//     the ordering organisations' MSPs of the channel configuration in force
//     when the block was cut (configuration blocks are followed as they
//     come), and that the metadata names the last configuration block;
//   - every transaction's creator signature and every endorsement
//     signature: the certificate chains to a root of the MSP it names in
//     the configuration in force, and the signature is over the bytes Fabric
//     signs (the payload; the proposal response payload and the endorser);
//   - that the sources agree: the first block where a source's copy is not
//     the chain's (a broken hash, a header or a validation result unlike the
//     majority's) is reported, naming the source.
//
// [Fetch] streams the blocks from peers and orderers through their deliver
// services with a reader's identity; [Run] audits every channel and returns
// a [Report], printed for people by [Report.Describe] or encoded as JSON.
//
// World state is compared without reading it through the contracts: each
// member peer writes a ledger snapshot at the same block, and
// [CompareSnapshots] compares the hashes its _snapshot_signable_metadata.json
// carries (public state, private data hashes, transaction IDs), naming
// the peers whose hashes differ from the majority's.
package audit
