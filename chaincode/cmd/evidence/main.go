// Command evidence runs the judicial-evidence contract as chaincode.
//
// Run by a peer it dials the peer given by -peer.address. Run as a service
// (chaincode-as-a-service) it listens on CHAINCODE_SERVER_ADDRESS when that
// and CORE_CHAINCODE_ID_NAME are set; TLS settings come from the
// CORE_PEER_TLS_* and CORE_TLS_CLIENT_* variables read by contractapi.
package main

import (
	"log"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/govshare/govshare/chaincode/evidence"
)

func main() {
	cc, err := contractapi.NewChaincode(evidence.New())
	if err != nil {
		log.Fatalf("evidence: build chaincode: %v", err)
	}
	cc.Info.Title = "evidence"
	cc.Info.Version = "1.0.0"
	if err := cc.Start(); err != nil {
		log.Fatalf("evidence: start chaincode: %v", err)
	}
}
