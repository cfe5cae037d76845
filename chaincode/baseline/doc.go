// Package baseline is the network's health check: a write and a read of
// one key, deployed on every channel of the consortium under that
// channel's endorsement policy. Bringing the network up writes and reads a
// key on each channel through it, which proves that the chaincode runs
// and that the channel's endorsers answer.
//
// Put is as narrow as a write can be: only the administrators (role
// "admin") of the channel's members other than OversightMSP may write,
// short text under an identifier, and every write emits an event that
// names its writer, like every write of the domain contracts. Get is open
// to every member of the channel.
//
// The load tool measures against the probes of package benchprobe, which
// only networks made for benchmarks deploy.
package baseline
