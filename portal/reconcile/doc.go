// Package reconcile compares the read model with the ledger it was made
// from: per channel, the read model's last block against the same block
// read from the peer (hash and transaction count) and its height against
// the peer's; then a sample of records read again through the contracts
// (spending summaries, payments, credits, diplomas, evidence, cases),
// compared field for field. Any difference is reported.
package reconcile
