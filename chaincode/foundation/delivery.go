package foundation

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
)

// Private data in a query's response travels encrypted for the one reader
// who asked for it. A client that submits a query instead of evaluating it
// puts the response in a block that every member of the channel and every
// orderer keeps; encrypted under a key only the reader knows, which
// travels as transient data and so never reaches a block, the response
// tells them nothing.
const (
	// TransientReaderKey is the transient data entry that carries the
	// reader's one-time key, as a JSON ReaderKey.
	TransientReaderKey = "readerKey"
	// ReaderKeyBytes is the size of a reader key: AES-256.
	ReaderKeyBytes = 32
	// DeliveryAlgorithm is how a Delivery is encrypted: AES-256-GCM under
	// the reader's key.
	DeliveryAlgorithm = "AES-256-GCM"
)

// ReaderKey is the transient input of a query that returns private data: a
// fresh random AES-256 key, drawn by the reader for this one read, that
// the response is encrypted with.
//
//	{"key": "<64 lower-case hex>"}
type ReaderKey struct {
	Key string `json:"key"`
}

// Validate implements Request. A key that is obviously not random (all
// zeros, say) is refused: anyone could decrypt a response under it.
func (k *ReaderKey) Validate(v *Fields) {
	v.Secret("key", k.Key, ReaderKeyBytes, ReaderKeyBytes)
}

// Delivery is data encrypted for one reader: AES-256-GCM under the
// reader's key, with a nonce derived from the transaction ID, and the
// delivery's context (what was delivered: a record's kind and key) as
// additional data, so that a ciphertext cannot pass for another record's.
type Delivery struct {
	// Algorithm is DeliveryAlgorithm.
	Algorithm string `json:"algorithm"`
	// Nonce is the GCM nonce, in lower-case hex.
	Nonce string `json:"nonce"`
	// Ciphertext is the sealed data with its tag, in standard base64.
	Ciphertext string `json:"ciphertext"`
}

// ReaderKey reads and checks the reader's one-time key from the transient
// entry TransientReaderKey. A missing or malformed key is an *InputError.
func (tx *Tx) ReaderKey() ([]byte, error) {
	var k ReaderKey
	if err := tx.Transient(TransientReaderKey, &k); err != nil {
		return nil, err
	}
	key, err := hex.DecodeString(k.Key)
	if err != nil {
		return nil, fmt.Errorf("decode reader key: %w", err)
	}
	return key, nil
}

// Deliver encrypts record, as JSON, for the reader of key (read with
// ReaderKey, before the query reads anything private). context names what
// is delivered; the reader opens the delivery with the same context
// (Delivery.OpenRecord).
func (tx *Tx) Deliver(key []byte, context string, record any) (*Delivery, error) {
	plain, err := json.Marshal(record)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", context, err)
	}
	defer clear(plain)
	return SealFor(key, tx.ID, context, plain)
}

// SealFor encrypts plaintext for the reader of key in the transaction txID.
// Encryption is deterministic, as chaincode must be: every endorser
// returns the same bytes. The nonce is derived from the transaction ID
// and the context, which are unique for each delivery under a one-time key.
func SealFor(key []byte, txID, context string, plaintext []byte) (*Delivery, error) {
	aead, err := newAEAD(key)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256([]byte("govshare/delivery\x00" + context + "\x00" + txID))
	nonce := sum[:aead.NonceSize()]
	return &Delivery{
		Algorithm:  DeliveryAlgorithm,
		Nonce:      hex.EncodeToString(nonce),
		Ciphertext: base64.StdEncoding.EncodeToString(aead.Seal(nil, nonce, plaintext, []byte(context))),
	}, nil
}

// Open decrypts the delivery with the reader's key; context must be the
// one it was sealed with. It is for clients; contracts never call it.
func (d *Delivery) Open(key []byte, context string) ([]byte, error) {
	if d.Algorithm != DeliveryAlgorithm {
		return nil, fmt.Errorf("open delivery: algorithm %q, want %q", d.Algorithm, DeliveryAlgorithm)
	}
	aead, err := newAEAD(key)
	if err != nil {
		return nil, fmt.Errorf("open delivery: %w", err)
	}
	nonce, err := hex.DecodeString(d.Nonce)
	if err != nil || len(nonce) != aead.NonceSize() {
		return nil, errors.New("open delivery: malformed nonce")
	}
	ciphertext, err := base64.StdEncoding.DecodeString(d.Ciphertext)
	if err != nil {
		return nil, fmt.Errorf("open delivery: malformed ciphertext: %w", err)
	}
	plain, err := aead.Open(nil, nonce, ciphertext, []byte(context))
	if err != nil {
		return nil, fmt.Errorf("open delivery of %s: wrong key or altered delivery, or the delivery of something else: %w", context, err)
	}
	return plain, nil
}

// OpenRecord decrypts the delivery like Open and decodes the JSON record
// in it into record.
func (d *Delivery) OpenRecord(key []byte, context string, record any) error {
	plain, err := d.Open(key, context)
	if err != nil {
		return err
	}
	defer clear(plain)
	if err := json.Unmarshal(plain, record); err != nil {
		return fmt.Errorf("open delivery of %s: %w", context, err)
	}
	return nil
}

func newAEAD(key []byte) (cipher.AEAD, error) {
	if len(key) != ReaderKeyBytes {
		return nil, fmt.Errorf("reader key is %d bytes, want %d", len(key), ReaderKeyBytes)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("reader key: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("reader key: %w", err)
	}
	return aead, nil
}
