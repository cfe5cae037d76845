// Package networkconfig holds the Fabric-format configuration of the govshare
// network as templates: the Fabric CA server configuration, configtx.yaml,
// the overrides applied to the peer's core.yaml and the orderer's
// orderer.yaml, the private data collection configuration, and the external
// chaincode builder. The network package renders them from the consortium
// declaration; nothing here names an organisation or a port itself.
package networkconfig

import "embed"

// Files holds every template and the external builder's scripts.
//
//go:embed *.tmpl builders
var Files embed.FS
