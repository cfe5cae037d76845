//go:build tools

// Package fabricca records, for `go mod tidy`, the Fabric CA programs that
// `make fabric-bins` builds. It is never compiled.
package fabricca

import (
	_ "github.com/hyperledger/fabric-ca/cmd/fabric-ca-client"
	_ "github.com/hyperledger/fabric-ca/cmd/fabric-ca-server"
)
