// Command benchprobe runs the benchmark probes chaincode, which only
// networks made for benchmarks deploy (see package benchprobe).
package main

import (
	"log"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/govshare/govshare/chaincode/benchprobe"
)

func main() {
	cc, err := contractapi.NewChaincode(benchprobe.New())
	if err != nil {
		log.Fatalf("create benchprobe chaincode: %v", err)
	}
	cc.Info.Title = "govshare benchmark probes"
	cc.Info.Version = "1"
	if err := cc.Start(); err != nil {
		log.Fatalf("run benchprobe chaincode: %v", err)
	}
}
