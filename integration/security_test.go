//go:build integration

package integration

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	govclient "github.com/govshare/govshare/gateway-client"
	"github.com/govshare/govshare/network"
)

// contractMetadata is the part of a chaincode's contract metadata
// (org.hyperledger.fabric:GetMetadata) that names its functions.
type contractMetadata struct {
	Contracts map[string]struct {
		Transactions []struct {
			Name       string   `json:"name"`
			Tag        []string `json:"tag"`
			Parameters []struct {
				Schema struct {
					Type string `json:"type"`
				} `json:"schema"`
			} `json:"parameters"`
		} `json:"transactions"`
	} `json:"contracts"`
}

// systemContract is contractapi's own contract of every chaincode: the
// metadata query.
const systemContract = "org.hyperledger.fabric"

// TestOversightWritesNothingAnywhere: Oversight reads every channel and
// writes on none. Every transaction function of every chaincode deployed on
// every channel, as listed by the chaincode's own contract metadata, is
// proposed by Oversight's inspector and by its administrator with
// plausible arguments:
//
//   - a function the contract submits (tagged SUBMIT) is submitted, and
//     its endorsement must be refused with the contract's access error
//     naming the function and OversightMSP: nothing reaches the orderers;
//   - a query (tagged EVALUATE) may admit Oversight, which reads; when a
//     peer endorses it, its read-write set must hold no write, and it is
//     not submitted.
//
// Afterwards every peer's height on every channel is what it was, and the
// keys the health check and the probes were asked to write do not exist.
func TestOversightWritesNothingAnywhere(t *testing.T) {
	ctx := testContext(t)
	before := peerHeights(t)
	probe := fmt.Sprintf("oversight-probe-%d", time.Now().UnixNano())
	refused := 0
	for _, role := range []string{"inspector", network.AdminRole} {
		gw := connect(t, "Oversight", role)
		for _, ch := range testNetwork.Spec.Channels {
			for _, cc := range ch.Chaincodes {
				t.Run(role+"/"+ch.Name+"/"+cc.Name, func(t *testing.T) {
					contract := gw.GetNetwork(ch.Name).GetContract(cc.Name)
					raw, err := contract.EvaluateTransaction(systemContract + ":GetMetadata")
					require.NoError(t, err, "Oversight reads the contract metadata")
					var meta contractMetadata
					require.NoError(t, json.Unmarshal(raw, &meta))
					require.NotEmpty(t, meta.Contracts)
					for _, name := range slices.Sorted(maps.Keys(meta.Contracts)) {
						if name == systemContract {
							continue
						}
						require.NotEmpty(t, meta.Contracts[name].Transactions, "contract %s lists its functions", name)
						for _, fn := range meta.Contracts[name].Transactions {
							args := make([]string, len(fn.Parameters))
							for i, p := range fn.Parameters {
								args[i] = plausibleArgument(p.Schema.Type, probe)
							}
							qualified := name + ":" + fn.Name
							if !slices.Contains(fn.Tag, "EVALUATE") {
								_, err := contract.Submit(qualified, client.WithArguments(args...))
								var endorseErr *client.EndorseError
								require.ErrorAs(t, err, &endorseErr, "%s as Oversight's %s must be refused at endorsement", qualified, role)
								assert.Contains(t, gatewayMessages(err), fmt.Sprintf("access denied: %s called by OversightMSP with role %q; requires ", fn.Name, role),
									"%s is refused by its access rule", qualified)
								refused++
								continue
							}
							proposal, err := contract.NewProposal(qualified, client.WithArguments(args...))
							require.NoError(t, err)
							endorsed, err := proposal.Endorse()
							if err != nil {
								continue // a refused query writes nothing either
							}
							assert.Empty(t, endorsedWrites(t, ch.Name, endorsed), "%s as Oversight's %s is a query: it writes nothing", qualified, role)
						}
					}
				})
			}
		}
	}
	t.Logf("%d writes refused to Oversight's inspector and administrator", refused)
	assert.Equal(t, before, peerHeights(t), "no block was added on any channel")

	admin := session(t, "InternetCourt", network.AdminRole)
	missing := map[string]string{
		network.BaselineChaincode:   fmt.Sprintf("baseline key %q not found", probe),
		network.BenchprobeChaincode: fmt.Sprintf("no value under key %q", probe),
	}
	for _, ch := range testNetwork.Spec.Channels {
		if !slices.Contains(ch.Members, "InternetCourt") {
			continue
		}
		for _, cc := range ch.Chaincodes {
			want, ok := missing[cc.Name]
			if !ok {
				continue
			}
			_, err := admin.Evaluate(ctx, ch.Name, cc.Name, "Get", probe)
			var txErr *govclient.TxError
			require.ErrorAs(t, err, &txErr, "%s on %s holds nothing under %s", cc.Name, ch.Name, probe)
			assert.Contains(t, txErr.Message(), want, "%s on %s", cc.Name, ch.Name)
		}
	}
}

// plausibleArgument is an argument of a contract function's parameter of
// JSON type typ: an identifier for a string (every key, ID, request and
// value of the probes), a year for an integer.
func plausibleArgument(typ, probe string) string {
	switch typ {
	case "integer", "number":
		return strconv.Itoa(time.Now().Year())
	default:
		return probe
	}
}

// endorsedWrites decodes the write set of an endorsed, unsubmitted
// transaction.
func endorsedWrites(t *testing.T, channel string, tx *client.Transaction) []govclient.Write {
	t.Helper()
	data, err := tx.Bytes()
	require.NoError(t, err)
	var prepared gateway.PreparedTransaction
	require.NoError(t, proto.Unmarshal(data, &prepared))
	envelope, err := proto.Marshal(prepared.GetEnvelope())
	require.NoError(t, err)
	changes := govclient.BlockChanges(channel, &common.Block{Header: &common.BlockHeader{}, Data: &common.BlockData{Data: [][]byte{envelope}}})
	require.Len(t, changes, 1)
	if changes[0].Problem != "" {
		require.NoError(t, errors.New(changes[0].Problem))
	}
	return changes[0].Writes
}
