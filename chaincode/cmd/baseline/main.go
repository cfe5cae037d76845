// Command baseline runs the baseline chaincode, the network's health check
// (see package baseline).
package main

import (
	"log"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/govshare/govshare/chaincode/baseline"
)

func main() {
	cc, err := contractapi.NewChaincode(baseline.New())
	if err != nil {
		log.Fatalf("create baseline chaincode: %v", err)
	}
	cc.Info.Title = "govshare baseline"
	cc.Info.Version = "2"
	if err := cc.Start(); err != nil {
		log.Fatalf("run baseline chaincode: %v", err)
	}
}
