//go:build tools

// Package fabric records, for `go mod tidy`, the Fabric programs that
// `make fabric-bins` builds. It is never compiled.
package fabric

import (
	_ "github.com/hyperledger/fabric/cmd/configtxgen"
	_ "github.com/hyperledger/fabric/cmd/orderer"
	_ "github.com/hyperledger/fabric/cmd/osnadmin"
	_ "github.com/hyperledger/fabric/cmd/peer"
)
