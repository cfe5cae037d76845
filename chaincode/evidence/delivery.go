package evidence

import (
	"fmt"
	"strconv"

	"github.com/govshare/govshare/chaincode/foundation"
)

// DeliveryAlgorithm is how ReadSealedContent encrypts the content it
// returns: AES-256-GCM under the reader's one-time key.
const DeliveryAlgorithm = foundation.DeliveryAlgorithm

// deliver encrypts a sealed record for the reader of an access log entry
// (foundation.SealFor): deterministic, as chaincode must be, with the
// reader's key, a nonce derived from the transaction ID, and additional
// data that binds the ciphertext to the entry and the digest.
func deliver(txID string, entry *AccessLogEntry, record *sealedRecord, readerKey []byte) (*SealedDelivery, error) {
	d := &SealedDelivery{
		EvidenceID:   entry.EvidenceID,
		Sequence:     entry.Sequence,
		SealedAs:     record.SealedAs,
		SealedSHA256: record.SealedSHA256,
	}
	sealed, err := foundation.SealFor(readerKey, txID, d.context(), record.Data)
	if err != nil {
		return nil, err
	}
	d.Algorithm, d.Nonce, d.Ciphertext = sealed.Algorithm, sealed.Nonce, sealed.Ciphertext
	return d, nil
}

// Open decrypts the delivery with the reader key sent to ReadSealedContent
// and checks that the result has the sealed digest. It is for clients; the
// contract never calls it.
func (d *SealedDelivery) Open(readerKey []byte) ([]byte, error) {
	sealed := foundation.Delivery{Algorithm: d.Algorithm, Nonce: d.Nonce, Ciphertext: d.Ciphertext}
	plain, err := sealed.Open(readerKey, d.context())
	if err != nil {
		return nil, fmt.Errorf("evidence %q: %w", d.EvidenceID, err)
	}
	if foundation.SHA256Hex(plain) != d.SealedSHA256 {
		return nil, fmt.Errorf("open delivery of evidence %q: content does not hash to %s", d.EvidenceID, d.SealedSHA256)
	}
	return plain, nil
}

// context names what the delivery holds, binding the ciphertext to it.
func (d *SealedDelivery) context() string {
	return "govshare/evidence/" + d.EvidenceID + "/" + strconv.Itoa(d.Sequence) + "/" + d.SealedAs + "/" + d.SealedSHA256
}
