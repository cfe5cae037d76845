package govclient

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/govshare/govshare/chaincode/foundation"
)

// Queries that return private data (a student's record, a case's party
// names, sealed evidence) deliver it encrypted under a one-time key the
// reader draws and sends as transient data, so that a response that ends
// up in a block tells nobody anything. These helpers draw the key and open
// the delivery.

// newReaderKey draws a fresh random reader key from crypto/rand and
// returns it with its transient form. Wipe the key after use.
func newReaderKey() ([]byte, map[string][]byte, error) {
	key := make([]byte, foundation.ReaderKeyBytes)
	if _, err := rand.Read(key); err != nil {
		return nil, nil, fmt.Errorf("make a reader key: %w", err)
	}
	transient, err := readerKeyTransient(key)
	if err != nil {
		clear(key)
		return nil, nil, err
	}
	return key, transient, nil
}

// readerKeyTransient encodes a reader key as the transient input the
// contracts take (foundation.ReaderKey).
func readerKeyTransient(key []byte) (map[string][]byte, error) {
	if len(key) != foundation.ReaderKeyBytes {
		return nil, fmt.Errorf("the reader key is %d bytes, want %d", len(key), foundation.ReaderKeyBytes)
	}
	data, err := json.Marshal(foundation.ReaderKey{Key: hex.EncodeToString(key)})
	if err != nil {
		return nil, fmt.Errorf("encode reader key: %w", err)
	}
	return map[string][]byte{foundation.TransientReaderKey: data}, nil
}

// evaluateDelivered evaluates c, a query that delivers a record encrypted
// for the reader, with a fresh reader key, and opens the delivery, bound
// to deliveryContext, into a T.
func evaluateDelivered[T any](ctx context.Context, s *Session, c call, deliveryContext string) (*T, error) {
	key, transient, err := newReaderKey()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c.Function, err)
	}
	defer clear(key)
	c.Transient = transient
	delivery, err := evaluateCall[foundation.Delivery](ctx, s, c)
	if err != nil {
		return nil, err
	}
	var out T
	if err := delivery.OpenRecord(key, deliveryContext, &out); err != nil {
		return nil, fmt.Errorf("%s: %w", c.Function, err)
	}
	return &out, nil
}
