package audit

import (
	"bytes"
	"crypto/sha256"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"

	govclient "github.com/govshare/govshare/gateway-client"
)

// HeaderBytes returns a block header in the ASN.1 form that its hash and
// the orderers' signatures cover (the client library's encoding).
func HeaderBytes(h *common.BlockHeader) []byte { return govclient.BlockHeaderBytes(h) }

// HeaderHash returns a block's hash: the SHA-256 of its header's ASN.1
// form. The next block carries it as its previous hash.
func HeaderHash(h *common.BlockHeader) []byte { return govclient.BlockHeaderHash(h) }

// DataHash returns the SHA-256 of a block's transactions, concatenated as
// they are stored: what the block header's data hash must be.
func DataHash(d *common.BlockData) []byte {
	sum := sha256.Sum256(bytes.Join(d.GetData(), nil))
	return sum[:]
}
