package research

import (
	"context"
	"fmt"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset/kvrwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/proto"

	govclient "github.com/govshare/govshare/gateway-client"
)

// Footprint is what a committed transaction asked of the ledger in its
// chaincode's namespace, counted from its read-write set in the block:
// what every peer validates and commits for it. The twin of a domain write
// (baseline's PutShaped) is right when the two footprints agree.
type Footprint struct {
	Reads         int `json:"reads"`         // public keys read
	Writes        int `json:"writes"`        // public keys written
	WrittenBytes  int `json:"writtenBytes"`  // the public values' bytes
	PolicyWrites  int `json:"policyWrites"`  // key-level endorsement policies set
	PrivateReads  int `json:"privateReads"`  // hashes of private keys read
	PrivateWrites int `json:"privateWrites"` // private keys written (their hashes)
	EventBytes    int `json:"eventBytes"`    // the chaincode event's payload
	ResponseBytes int `json:"responseBytes"` // what the chaincode returned
	Bytes         int `json:"bytes"`         // the whole transaction
}

// TransactionFootprint reads a committed transaction back from the
// session's peer (qscc GetTransactionByID) and returns its footprint.
func TransactionFootprint(ctx context.Context, s *govclient.Session, channel, txID string) (Footprint, error) {
	data, err := s.Evaluate(ctx, channel, "qscc", "GetTransactionByID", channel, txID)
	if err != nil {
		return Footprint{}, fmt.Errorf("transaction %s of %s: %w", txID, channel, err)
	}
	var processed peer.ProcessedTransaction
	if err := proto.Unmarshal(data, &processed); err != nil {
		return Footprint{}, fmt.Errorf("transaction %s of %s: %w", txID, channel, err)
	}
	envelope, err := proto.Marshal(processed.GetTransactionEnvelope())
	if err != nil {
		return Footprint{}, fmt.Errorf("transaction %s of %s: %w", txID, channel, err)
	}
	f, err := footprintOf(envelope)
	if err != nil {
		return Footprint{}, fmt.Errorf("transaction %s of %s: %w", txID, channel, err)
	}
	return f, nil
}

// footprintOf decodes an endorser transaction's envelope and counts its
// footprint in the namespace of the chaincode it invoked.
func footprintOf(envelope []byte) (Footprint, error) {
	f := Footprint{Bytes: len(envelope)}
	var env common.Envelope
	if err := proto.Unmarshal(envelope, &env); err != nil {
		return f, fmt.Errorf("decode envelope: %w", err)
	}
	var payload common.Payload
	if err := proto.Unmarshal(env.GetPayload(), &payload); err != nil {
		return f, fmt.Errorf("decode payload: %w", err)
	}
	var tx peer.Transaction
	if err := proto.Unmarshal(payload.GetData(), &tx); err != nil {
		return f, fmt.Errorf("decode transaction: %w", err)
	}
	if len(tx.GetActions()) != 1 {
		return f, fmt.Errorf("has %d actions, not 1: not an endorser transaction", len(tx.GetActions()))
	}
	var action peer.ChaincodeActionPayload
	if err := proto.Unmarshal(tx.GetActions()[0].GetPayload(), &action); err != nil {
		return f, fmt.Errorf("decode action: %w", err)
	}
	var response peer.ProposalResponsePayload
	if err := proto.Unmarshal(action.GetAction().GetProposalResponsePayload(), &response); err != nil {
		return f, fmt.Errorf("decode response: %w", err)
	}
	var ccAction peer.ChaincodeAction
	if err := proto.Unmarshal(response.GetExtension(), &ccAction); err != nil {
		return f, fmt.Errorf("decode chaincode action: %w", err)
	}
	f.ResponseBytes = len(ccAction.GetResponse().GetPayload())
	if len(ccAction.GetEvents()) > 0 {
		var event peer.ChaincodeEvent
		if err := proto.Unmarshal(ccAction.GetEvents(), &event); err != nil {
			return f, fmt.Errorf("decode event: %w", err)
		}
		f.EventBytes = len(event.GetPayload())
	}
	namespace := ccAction.GetChaincodeId().GetName()
	var rws rwset.TxReadWriteSet
	if err := proto.Unmarshal(ccAction.GetResults(), &rws); err != nil {
		return f, fmt.Errorf("decode read-write set: %w", err)
	}
	for _, ns := range rws.GetNsRwset() {
		if ns.GetNamespace() != namespace {
			continue
		}
		var kv kvrwset.KVRWSet
		if err := proto.Unmarshal(ns.GetRwset(), &kv); err != nil {
			return f, fmt.Errorf("decode read-write set of %s: %w", namespace, err)
		}
		f.Reads += len(kv.GetReads())
		f.Writes += len(kv.GetWrites())
		for _, w := range kv.GetWrites() {
			f.WrittenBytes += len(w.GetValue())
		}
		f.PolicyWrites += len(kv.GetMetadataWrites())
		for _, coll := range ns.GetCollectionHashedRwset() {
			var hashed kvrwset.HashedRWSet
			if err := proto.Unmarshal(coll.GetHashedRwset(), &hashed); err != nil {
				return f, fmt.Errorf("decode hashed read-write set of %s/%s: %w", namespace, coll.GetCollectionName(), err)
			}
			f.PrivateReads += len(hashed.GetHashedReads())
			f.PrivateWrites += len(hashed.GetHashedWrites())
			f.PolicyWrites += len(hashed.GetMetadataWrites())
		}
	}
	return f, nil
}
