// Package caliper writes the network configuration with which Hyperledger
// Caliper 0.6.0, bound to fabric:fabric-gateway, drives the govshare
// network: one organisation entry per organisation folder of the network
// (its MSP ID, every role's certificate and key, its gateway peer with
// TLS root and host name, all read from the folder's connection.json) and
// one channel entry per channel with the chaincodes the consortium
// declaration deploys there.
//
// The workload modules (workloads/*.js), the benchmark configuration
// (benchmark.yaml) and the script that installs Caliper and runs it (run,
// behind `make bench-caliper`) are in this folder too. The contracts are
// called exactly as any client calls them: with the request JSON the
// contracts document, and private input as transient data.
package caliper
