package govclient

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset/kvrwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"google.golang.org/protobuf/proto"
)

// Write is one entry of a transaction's write set, as the block holds it:
// what the endorsing peers agreed the transaction writes, and what the
// peers applied if it is valid. The chaincodes' events name the records a
// transaction changed; the write set is where their new values are.
type Write struct {
	// Namespace is the chaincode (or system namespace, such as
	// "_lifecycle") whose state is written.
	Namespace string `json:"namespace"`
	// Collection is the private data collection, empty for public state.
	// The block holds only hashes of private keys and values.
	Collection string `json:"collection,omitempty"`
	// ObjectType and Attributes are the parts of a composite key; Key is a
	// simple key. Both are empty for private writes (see KeyHash).
	ObjectType string   `json:"objectType,omitempty"`
	Attributes []string `json:"attributes,omitempty"`
	Key        string   `json:"key,omitempty"`
	// KeyHash and ValueHash are the SHA-256 digests (hex) of a private
	// key and value.
	KeyHash   string `json:"keyHash,omitempty"`
	ValueHash string `json:"valueHash,omitempty"`
	// Value is the public value written, nil for deletions and private
	// writes. In JSON it is the value itself when it is JSON, else a string.
	Value []byte `json:"-"`
	// Delete marks a deletion.
	Delete bool `json:"delete,omitempty"`
	// Endorsers is set for a write of the key's endorsement policy (its
	// validation parameter): the organisations of the policy's principals,
	// whose peers must endorse later changes of the key. A policy that is not
	// a signature policy of MSP roles gives an empty list.
	Endorsers []string `json:"endorsers,omitempty"`
	// PolicyWrite is true when this entry writes the key's endorsement
	// policy rather than its value.
	PolicyWrite bool `json:"policyWrite,omitempty"`
}

// MarshalJSON writes the value as JSON when it is JSON, as a string
// otherwise.
func (w Write) MarshalJSON() ([]byte, error) {
	type plain Write
	out := struct {
		plain
		Value json.RawMessage `json:"value,omitempty"`
	}{plain: plain(w)}
	switch {
	case w.Value == nil:
	case json.Valid(w.Value):
		out.Value = w.Value
	default:
		s, err := json.Marshal(string(w.Value))
		if err != nil {
			return nil, fmt.Errorf("encode value of %s: %w", w.describe(), err)
		}
		out.Value = s
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads what MarshalJSON wrote: a value that is a JSON
// string becomes the string's text, any other JSON value its bytes.
func (w *Write) UnmarshalJSON(data []byte) error {
	type plain Write
	var in struct {
		plain
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(data, &in); err != nil {
		return err
	}
	*w = Write(in.plain)
	if len(in.Value) == 0 {
		return nil
	}
	var text string
	if err := json.Unmarshal(in.Value, &text); err == nil {
		w.Value = []byte(text)
		return nil
	}
	w.Value = []byte(in.Value)
	return nil
}

// describe names the written key for messages.
func (w Write) describe() string {
	switch {
	case w.KeyHash != "":
		return w.Namespace + "/" + w.Collection + "/#" + w.KeyHash
	case w.ObjectType != "":
		return w.Namespace + "/" + w.ObjectType + "/" + strings.Join(w.Attributes, "/")
	default:
		return w.Namespace + "/" + w.Key
	}
}

// compositeKeySep begins a composite key and ends each of its parts
// (Fabric's CreateCompositeKey).
const compositeKeySep = "\x00"

// nameKey fills in Key, or ObjectType and Attributes for a composite key.
func (w *Write) nameKey(key string) {
	if !strings.HasPrefix(key, compositeKeySep) {
		w.Key = key
		return
	}
	parts := strings.Split(strings.TrimSuffix(strings.TrimPrefix(key, compositeKeySep), compositeKeySep), compositeKeySep)
	w.ObjectType, w.Attributes = parts[0], parts[1:]
}

// validationParameter is the name of the metadata entry that holds a key's
// endorsement policy.
const validationParameter = "VALIDATION_PARAMETER"

// decodeWrites decodes the write set of a chaincode action's results.
func decodeWrites(results []byte) ([]Write, error) {
	if len(results) == 0 {
		return nil, nil
	}
	var txRWSet rwset.TxReadWriteSet
	if err := proto.Unmarshal(results, &txRWSet); err != nil {
		return nil, fmt.Errorf("decode read-write set: %w", err)
	}
	var writes []Write
	for _, ns := range txRWSet.GetNsRwset() {
		var kv kvrwset.KVRWSet
		if err := proto.Unmarshal(ns.GetRwset(), &kv); err != nil {
			return nil, fmt.Errorf("decode read-write set of %s: %w", ns.GetNamespace(), err)
		}
		for _, kw := range kv.GetWrites() {
			w := Write{Namespace: ns.GetNamespace(), Delete: kw.GetIsDelete()}
			w.nameKey(kw.GetKey())
			if !w.Delete {
				w.Value = kw.GetValue()
			}
			writes = append(writes, w)
		}
		for _, mw := range kv.GetMetadataWrites() {
			w := Write{Namespace: ns.GetNamespace()}
			w.nameKey(mw.GetKey())
			if err := w.readPolicy(mw.GetEntries()); err != nil {
				return nil, err
			}
			writes = append(writes, w)
		}
		for _, coll := range ns.GetCollectionHashedRwset() {
			var hashed kvrwset.HashedRWSet
			if err := proto.Unmarshal(coll.GetHashedRwset(), &hashed); err != nil {
				return nil, fmt.Errorf("decode hashed read-write set of %s/%s: %w", ns.GetNamespace(), coll.GetCollectionName(), err)
			}
			for _, hw := range hashed.GetHashedWrites() {
				w := Write{Namespace: ns.GetNamespace(), Collection: coll.GetCollectionName(),
					KeyHash: hex.EncodeToString(hw.GetKeyHash()), Delete: hw.GetIsDelete() || hw.GetIsPurge()}
				if !w.Delete {
					w.ValueHash = hex.EncodeToString(hw.GetValueHash())
				}
				writes = append(writes, w)
			}
			for _, mw := range hashed.GetMetadataWrites() {
				w := Write{Namespace: ns.GetNamespace(), Collection: coll.GetCollectionName(), KeyHash: hex.EncodeToString(mw.GetKeyHash())}
				if err := w.readPolicy(mw.GetEntries()); err != nil {
					return nil, err
				}
				writes = append(writes, w)
			}
		}
	}
	return writes, nil
}

// readPolicy fills in a metadata write: the organisations of the key's new
// endorsement policy.
func (w *Write) readPolicy(entries []*kvrwset.KVMetadataEntry) error {
	w.PolicyWrite = true
	for _, e := range entries {
		if e.GetName() != validationParameter || len(e.GetValue()) == 0 {
			continue
		}
		var policy common.SignaturePolicyEnvelope
		if err := proto.Unmarshal(e.GetValue(), &policy); err != nil {
			return fmt.Errorf("decode endorsement policy of %s: %w", w.describe(), err)
		}
		for _, p := range policy.GetIdentities() {
			if p.GetPrincipalClassification() != msp.MSPPrincipal_ROLE {
				continue
			}
			var role msp.MSPRole
			if err := proto.Unmarshal(p.GetPrincipal(), &role); err != nil {
				return fmt.Errorf("decode endorsement policy of %s: %w", w.describe(), err)
			}
			if !slices.Contains(w.Endorsers, role.GetMspIdentifier()) {
				w.Endorsers = append(w.Endorsers, role.GetMspIdentifier())
			}
		}
	}
	return nil
}
