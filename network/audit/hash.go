package audit

import (
	"bytes"
	"crypto/sha256"
	"encoding/asn1"
	"fmt"
	"math/big"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
)

// headerASN1 is the form in which Fabric hashes and signs a block header.
type headerASN1 struct {
	Number       *big.Int
	PreviousHash []byte
	DataHash     []byte
}

// HeaderBytes returns a block header in the ASN.1 form that its hash and
// the orderers' signatures cover.
func HeaderBytes(h *common.BlockHeader) []byte {
	der, err := asn1.Marshal(headerASN1{
		Number:       new(big.Int).SetUint64(h.GetNumber()),
		PreviousHash: h.GetPreviousHash(),
		DataHash:     h.GetDataHash(),
	})
	if err != nil { // a big integer and two byte strings always encode
		panic(fmt.Sprintf("encode block header: %v", err))
	}
	return der
}

// HeaderHash returns a block's hash: the SHA-256 of its header's ASN.1
// form. The next block carries it as its previous hash.
func HeaderHash(h *common.BlockHeader) []byte {
	sum := sha256.Sum256(HeaderBytes(h))
	return sum[:]
}

// DataHash returns the SHA-256 of a block's transactions, concatenated as
// they are stored: what the block header's data hash must be.
func DataHash(d *common.BlockData) []byte {
	sum := sha256.Sum256(bytes.Join(d.GetData(), nil))
	return sum[:]
}
