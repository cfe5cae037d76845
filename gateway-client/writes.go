package govclient

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset/kvrwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"google.golang.org/protobuf/proto"

	"github.com/govshare/govshare/chaincode/foundation"
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
	// ObjectType and Attributes are the parts of a composite key; Key is
	// any other key. All are empty for private writes (see KeyHash).
	ObjectType string   `json:"objectType,omitempty"`
	Attributes []string `json:"attributes,omitempty"`
	Key        string   `json:"key,omitempty"`
	// KeyHash is the SHA-256 digest (hex) of a private key: the block holds
	// no private key.
	KeyHash string `json:"keyHash,omitempty"`
	// ValueHash is the SHA-256 digest (hex) of the value written: for a
	// private write all the block holds, for a public one a check of Value
	// that survives JSON's re-encoding.
	ValueHash string `json:"valueHash,omitempty"`
	// Value is the public value written, byte for byte; nil for deletions
	// and private writes. In JSON a value that is JSON is "value" (equal as
	// JSON, not necessarily byte for byte), other UTF-8 text "valueText",
	// anything else "valueBase64".
	Value []byte `json:"-"`
	// Delete marks a deletion, or for private data a deletion or purge.
	Delete bool `json:"delete,omitempty"`
	// Endorsers is set for a write of the key's endorsement policy (its
	// validation parameter): the organisations of the policy's principals,
	// whose peers must endorse later changes of the key. A policy that is not
	// a signature policy of MSP roles, or that cannot be decoded, gives an
	// empty list.
	Endorsers []string `json:"endorsers,omitempty"`
	// PolicyWrite is true when this entry writes the key's endorsement
	// policy rather than its value.
	PolicyWrite bool `json:"policyWrite,omitempty"`
}

// writeJSON is the JSON form of a Write, with its value in the one field
// that fits it.
type writeJSON struct {
	plainWrite
	Value       json.RawMessage `json:"value,omitempty"`
	ValueText   string          `json:"valueText,omitempty"`
	ValueBase64 string          `json:"valueBase64,omitempty"`
}

// plainWrite is Write without its JSON methods.
type plainWrite Write

// MarshalJSON writes the value as JSON when it is JSON, as text when it is
// UTF-8, in base64 otherwise.
func (w Write) MarshalJSON() ([]byte, error) {
	out := writeJSON{plainWrite: plainWrite(w)}
	switch {
	case w.Value == nil:
	case json.Valid(w.Value):
		out.Value = w.Value
	case utf8.Valid(w.Value):
		out.ValueText = string(w.Value)
	default:
		out.ValueBase64 = base64.StdEncoding.EncodeToString(w.Value)
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads what MarshalJSON wrote. A JSON value comes back as
// its compact encoding.
func (w *Write) UnmarshalJSON(data []byte) error {
	var in writeJSON
	if err := json.Unmarshal(data, &in); err != nil {
		return err
	}
	*w = Write(in.plainWrite)
	switch {
	case len(in.Value) > 0:
		w.Value = []byte(in.Value)
	case in.ValueText != "":
		w.Value = []byte(in.ValueText)
	case in.ValueBase64 != "":
		value, err := base64.StdEncoding.DecodeString(in.ValueBase64)
		if err != nil {
			return fmt.Errorf("valueBase64 of %s: %w", w.describe(), err)
		}
		w.Value = value
	}
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

// nameKey fills in ObjectType and Attributes for a composite key, Key for
// any other (including a composite key without an object type).
func (w *Write) nameKey(key string) {
	objectType, attributes, ok := foundation.SplitCompositeKey(key)
	if !ok || objectType == "" {
		w.Key = key
		return
	}
	w.ObjectType = objectType
	if len(attributes) > 0 {
		w.Attributes = attributes
	}
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
				sum := sha256.Sum256(w.Value)
				w.ValueHash = hex.EncodeToString(sum[:])
			}
			writes = append(writes, w)
		}
		for _, mw := range kv.GetMetadataWrites() {
			w := Write{Namespace: ns.GetNamespace()}
			w.nameKey(mw.GetKey())
			w.readPolicy(mw.GetEntries())
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
				w.readPolicy(mw.GetEntries())
				writes = append(writes, w)
			}
		}
	}
	return writes, nil
}

// readPolicy fills in a metadata write: the organisations of the key's new
// endorsement policy. The peers accept any bytes as a key's policy (an
// undecodable one just fails every later endorsement), so a policy that
// does not decode leaves Endorsers empty rather than failing the feed.
func (w *Write) readPolicy(entries []*kvrwset.KVMetadataEntry) {
	w.PolicyWrite = true
	for _, e := range entries {
		if e.GetName() != validationParameter || len(e.GetValue()) == 0 {
			continue
		}
		var policy common.SignaturePolicyEnvelope
		if err := proto.Unmarshal(e.GetValue(), &policy); err != nil {
			return
		}
		for _, p := range policy.GetIdentities() {
			var role msp.MSPRole
			if p.GetPrincipalClassification() != msp.MSPPrincipal_ROLE || proto.Unmarshal(p.GetPrincipal(), &role) != nil {
				continue
			}
			if !slices.Contains(w.Endorsers, role.GetMspIdentifier()) {
				w.Endorsers = append(w.Endorsers, role.GetMspIdentifier())
			}
		}
	}
}
