// Package baseline is the smallest useful chaincode: a blind write and a read
// of one key. It is deployed on every govshare channel under that channel's
// endorsement policy, where it serves as the network's health check and as the
// reference against which the domain contracts' throughput is measured: any
// cost a domain transaction adds beyond baseline's is the contract's own.
package baseline
