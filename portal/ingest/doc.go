// Package ingest follows the ledger into the read model: for each channel,
// the client library's block listener ([govclient.Session.Blocks]) from
// the store's checkpoint, each block projected ([readmodel.Project]) and
// applied ([store.Ingester.Apply]) in one SQL transaction with the
// channel's next checkpoint. A follower killed at any moment resumes at the
// store's checkpoint: no block is missed and none applied twice. A broken
// block stream (a peer restarting) is retried with growing pauses.
package ingest
