package evidence

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"

	"github.com/govshare/govshare/chaincode/foundation"
)

// DeliveryAlgorithm is how ReadSealedContent encrypts the content it
// returns: AES-256-GCM under the reader's one-time key.
const DeliveryAlgorithm = "AES-256-GCM"

// deliver encrypts a sealed record for the reader of an access log entry.
// Encryption is deterministic, as chaincode must be: the key is the
// reader's, the nonce is derived from the transaction ID (unique per
// proposal, so a key is never used twice with one nonce), and the
// additional data binds the ciphertext to the entry and the digest.
func deliver(txID string, entry *AccessLogEntry, record *sealedRecord, readerKey []byte) (*SealedDelivery, error) {
	aead, err := newAEAD(readerKey)
	if err != nil {
		return nil, err
	}
	nonce := deliveryNonce(txID, aead.NonceSize())
	d := &SealedDelivery{
		EvidenceID:   entry.EvidenceID,
		Sequence:     entry.Sequence,
		SealedAs:     record.SealedAs,
		SealedSHA256: record.SealedSHA256,
		Algorithm:    DeliveryAlgorithm,
		Nonce:        hex.EncodeToString(nonce),
	}
	d.Ciphertext = base64.StdEncoding.EncodeToString(aead.Seal(nil, nonce, record.Data, d.additionalData()))
	return d, nil
}

// Open decrypts the delivery with the reader key sent to ReadSealedContent
// and checks that the result has the sealed digest. It is for clients; the
// contract never calls it.
func (d *SealedDelivery) Open(readerKey []byte) ([]byte, error) {
	if d.Algorithm != DeliveryAlgorithm {
		return nil, fmt.Errorf("open delivery: algorithm %q, want %q", d.Algorithm, DeliveryAlgorithm)
	}
	aead, err := newAEAD(readerKey)
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
	plain, err := aead.Open(nil, nonce, ciphertext, d.additionalData())
	if err != nil {
		return nil, fmt.Errorf("open delivery of evidence %q: wrong key or altered delivery: %w", d.EvidenceID, err)
	}
	if foundation.SHA256Hex(plain) != d.SealedSHA256 {
		return nil, fmt.Errorf("open delivery of evidence %q: content does not hash to %s", d.EvidenceID, d.SealedSHA256)
	}
	return plain, nil
}

func (d *SealedDelivery) additionalData() []byte {
	return []byte("govshare/evidence/" + d.EvidenceID + "/" + strconv.Itoa(d.Sequence) + "/" + d.SealedAs + "/" + d.SealedSHA256)
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

func deliveryNonce(txID string, size int) []byte {
	sum := sha256.Sum256([]byte("govshare/evidence/delivery\x00" + txID))
	return sum[:size]
}
