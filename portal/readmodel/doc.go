// Package readmodel turns committed blocks into the rows of the portal's
// read model: what a store writes for a block, in one SQL transaction with
// the channel's checkpoint.
//
// [Project] takes a block decoded by govclient ([govclient.Block]) and
// returns a [Batch]: the block, each of its transactions (valid or not,
// with creator, endorsers and validation code), their chaincode events,
// every key they wrote (public values; for private data only the hashes the
// block holds) and, from the write sets of valid transactions only, the
// domain records they wrote, decoded with the contracts' own Go types
// (packages chaincode/education, chaincode/finance and chaincode/evidence).
//
// A domain record is the latest value of one ledger key: a store upserts it
// by the record's identity, keeping the position (block and transaction) of
// its first and of its latest write. Invalid transactions change no domain
// record; their writes are kept, marked by their transaction's validation
// code, as what the transaction would have written.
//
// Nothing private reaches a Batch: private collections appear in the block
// only as hashes of keys and values, and the contracts' public records hold
// a student only as a salted reference and a court case's parties only by
// reference and role.
package readmodel
