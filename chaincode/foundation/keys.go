package foundation

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
)

// KeyType declares one kind of composite key: its object type and the names
// of its attributes, in key order. A contract declares all its key types in
// one file (its key schema); every key it reads or writes is built from one
// of them, so that file is the complete list of what the contract stores.
//
// The order of the attributes is the order of range queries: a listing by a
// leading subset of attributes (a partial key) is a contiguous key range, so
// design the attribute order around the listings the contract needs.
//
// A KeyType is immutable; declaring key types as package-level variables is
// therefore safe.
type KeyType struct {
	objectType string
	attributes []string
}

// NewKeyType declares a key type. objectType should be namespaced by the
// contract ("edu.credit") and attributes names the key's parts ("creditId").
func NewKeyType(objectType string, attributes ...string) KeyType {
	return KeyType{objectType: objectType, attributes: slices.Clone(attributes)}
}

// ObjectType returns the object type of the key type.
func (k KeyType) ObjectType() string { return k.objectType }

// Attributes returns the names of the key's attributes, in key order.
func (k KeyType) Attributes() []string { return slices.Clone(k.attributes) }

// Key builds the full key with the given attribute values, one per declared
// attribute. A value that cannot be part of a composite key (invalid UTF-8,
// U+0000 or U+10FFFF) gives an error wrapping ErrInvalidInput.
func (k KeyType) Key(values ...string) (Key, error) {
	if len(values) != len(k.attributes) {
		return Key{}, fmt.Errorf("key %s needs %d attributes (%s), got %d",
			k.objectType, len(k.attributes), strings.Join(k.attributes, ", "), len(values))
	}
	composite, err := shim.CreateCompositeKey(k.objectType, values)
	if err != nil {
		return Key{}, fmt.Errorf("%w: key %s: %w", ErrInvalidInput, k.objectType, err)
	}
	return Key{ObjectType: k.objectType, Attributes: slices.Clone(values), composite: composite}, nil
}

// partial checks that values is a proper prefix of the key's attributes and
// returns the composite key prefix that every matching key starts with.
func (k KeyType) partial(values []string) (string, error) {
	if len(values) >= len(k.attributes) {
		return "", fmt.Errorf("partial key %s takes fewer than %d attributes, got %d",
			k.objectType, len(k.attributes), len(values))
	}
	prefix, err := shim.CreateCompositeKey(k.objectType, values)
	if err != nil {
		return "", fmt.Errorf("%w: partial key %s: %w", ErrInvalidInput, k.objectType, err)
	}
	return prefix, nil
}

// Parse splits a composite key read from the ledger into a Key of this type.
// It returns an error, never panics, for keys of another type or shape.
func (k KeyType) Parse(composite string) (Key, error) {
	objectType, values, ok := SplitCompositeKey(composite)
	if !ok || objectType != k.objectType || len(values) != len(k.attributes) {
		return Key{}, fmt.Errorf("key %q is not a %s key", composite, k.objectType)
	}
	return Key{ObjectType: objectType, Attributes: values, composite: composite}, nil
}

// Key is a full composite key of some KeyType.
type Key struct {
	ObjectType string
	Attributes []string
	composite  string
}

// String returns the key as stored in the ledger.
func (k Key) String() string { return k.composite }

// SplitCompositeKey splits a composite key into object type and attributes.
// Unlike the shim's SplitCompositeKey it reports malformed input (ok false)
// instead of panicking on it.
func SplitCompositeKey(key string) (objectType string, attributes []string, ok bool) {
	const sep = "\x00"
	if !strings.HasPrefix(key, sep) || !strings.HasSuffix(key, sep) || len(key) < 2 {
		return "", nil, false
	}
	parts := strings.Split(key[1:len(key)-1], sep)
	return parts[0], parts[1:], true
}
