// Package network describes a Hyperledger Fabric consortium as a Go value and
// runs it as native processes on one or more hosts, without Docker.
//
// A [Spec] declares the organisations, their nodes and users, the channels and
// the chaincodes with their endorsement policies and private data
// collections. [Consortium] is the govshare consortium itself: eight
// organisations on three channels, plus an orderer organisation running three
// Raft orderers. Everything else is derived from the Spec:
//
//   - each organisation's Fabric CA configuration, including the users it
//     issues certificates to and the govshare.role attribute each carries;
//   - every peer's core.yaml and every orderer's orderer.yaml, rendered as
//     overrides on top of the sample configuration of the pinned Fabric
//     release;
//   - configtx.yaml, from which each channel's genesis block is made;
//   - the collection configuration of each chaincode;
//   - the per-organisation client folder that the gateway client reads.
//
// [New] binds a Spec to a state folder, a port range and the Fabric binaries.
// [Network.Up] brings the network from nothing, or from stopped, to every
// channel joined and every chaincode committed, and is idempotent;
// [Network.Down] stops every process it started by PID and keeps the data;
// [Network.Clean] also removes the state folder; [Network.Status] reports
// every node's health, block heights and committed chaincodes.
//
// Node processes outlive the program that started them: each has a pidfile
// and a log file in the state folder, and a later Down finds them there.
package network
