// Command baseline runs the baseline chaincode (see package baseline).
package main

import (
	"log"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/govshare/govshare/chaincode/baseline"
)

func main() {
	cc, err := contractapi.NewChaincode(&baseline.Contract{})
	if err != nil {
		log.Fatalf("create baseline chaincode: %v", err)
	}
	cc.Info.Title = "govshare baseline"
	cc.Info.Version = "1"
	if err := cc.Start(); err != nil {
		log.Fatalf("run baseline chaincode: %v", err)
	}
}
