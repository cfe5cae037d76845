package audit

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"slices"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/proto"
)

// Copy is one source's copy of a block.
type Copy struct {
	// Source names the peer or orderer, e.g. "peer0.university-a.govshare.test".
	Source string
	// Peer says the source is a peer: its copy carries the validation
	// results it computed, which the orderers' copies lack.
	Peer  bool
	Block *common.Block
}

// Checker checks one channel's blocks, in order from the genesis block, as
// several sources hold them. It keeps the configuration in force and the
// hash of the last block the sources agreed on.
type Checker struct {
	channel    string
	next       uint64
	prevHash   []byte
	cfg        *channelConfig
	lastConfig uint64
	failed     map[string]bool

	// Blocks and Transactions count what has been checked; Unchecked
	// counts transactions marked invalid by the peers, whose endorsements
	// are not checked (Fabric keeps them in the chain, marked).
	Blocks, Transactions, Invalid uint64
}

// NewChecker returns a checker of channel's chain from block 0.
func NewChecker(channel string) *Checker {
	return &Checker{channel: channel, failed: map[string]bool{}}
}

// Next returns the number of the block Check expects next.
func (c *Checker) Next() uint64 { return c.next }

// Failed reports whether a source has been found wrong: Check ignores its
// later blocks, since the first difference is what matters.
func (c *Checker) Failed(source string) bool { return c.failed[source] }

// Check checks every source's copy of the next block and returns what is
// wrong. Each copy must carry an intact block of the chain; the copies
// must agree; the block the majority holds must be signed by an orderer of
// the configuration in force, and its transactions by members of it. It
// returns false when no copy is left to go on with.
func (c *Checker) Check(copies []Copy) ([]Finding, bool) {
	n := c.next
	var findings []Finding
	type candidate struct {
		copy Copy
		hash string
	}
	var good []candidate
	sigChecked := map[string]error{} // header and signatures -> result
	for _, cp := range copies {
		if c.failed[cp.Source] {
			continue
		}
		problem, detail := c.checkCopy(n, cp.Block, sigChecked)
		if problem != "" {
			c.failed[cp.Source] = true
			findings = append(findings, Finding{Channel: c.channel, Block: n, Source: cp.Source, Problem: problem, Detail: detail})
			continue
		}
		good = append(good, candidate{cp, hex.EncodeToString(HeaderHash(cp.Block.GetHeader()))})
	}
	if len(good) == 0 {
		return findings, false
	}

	// The chain is the header most sources hold; the orderers' word breaks
	// a tie, then the first source listed.
	votes := map[string]int{}
	for _, g := range good {
		votes[g.hash] += 2
		if !g.copy.Peer {
			votes[g.hash]++ // ahead of an equal count of peers
		}
	}
	chain := good[0]
	for _, g := range good {
		if votes[g.hash] > votes[chain.hash] {
			chain = g
		}
	}
	// The peers' validation results: the majority's are the chain's.
	results := map[string]int{}
	for _, g := range good {
		if g.hash != chain.hash {
			c.failed[g.copy.Source] = true
			findings = append(findings, Finding{Channel: c.channel, Block: n, Source: g.copy.Source, Problem: ProblemDiffers,
				Detail: fmt.Sprintf("its block hash %.16s… is not the %.16s… the majority holds", g.hash, chain.hash)})
			continue
		}
		if g.copy.Peer {
			results[peerResults(g.copy.Block)]++
		}
	}
	var filter []byte
	if len(results) > 0 {
		majority, best := "", 0
		for _, g := range good {
			if k := peerResults(g.copy.Block); g.copy.Peer && g.hash == chain.hash && results[k] > best {
				majority, best, filter = k, results[k], txFilter(g.copy.Block)
			}
		}
		for _, g := range good {
			if g.copy.Peer && g.hash == chain.hash && peerResults(g.copy.Block) != majority {
				c.failed[g.copy.Source] = true
				findings = append(findings, Finding{Channel: c.channel, Block: n, Source: g.copy.Source, Problem: ProblemDiffers,
					Detail: fmt.Sprintf("its validation results are not those %d other peers hold", best)})
			}
		}
	}

	block := chain.copy.Block
	findings = append(findings, c.checkTransactions(block, filter)...)
	if n == 0 || isConfigBlock(block) {
		cfg, err := configOf(block)
		if err != nil {
			findings = append(findings, Finding{Channel: c.channel, Block: n, Problem: ProblemConfig, Detail: err.Error()})
			return findings, false
		}
		c.cfg, c.lastConfig = cfg, n
	}
	c.prevHash = HeaderHash(block.GetHeader())
	c.next++
	c.Blocks++
	return findings, true
}

// checkCopy checks one copy of block n on its own: its number, its link to
// the chain so far, its data hash, and the orderers' signatures.
func (c *Checker) checkCopy(n uint64, b *common.Block, sigChecked map[string]error) (Problem, string) {
	h := b.GetHeader()
	switch {
	case h == nil || b.GetData() == nil:
		return ProblemMalformed, "the block has no header or no data"
	case h.GetNumber() != n:
		return ProblemNumber, fmt.Sprintf("asked for block %d, got block %d", n, h.GetNumber())
	case n > 0 && !bytes.Equal(h.GetPreviousHash(), c.prevHash):
		return ProblemPreviousHash, fmt.Sprintf("previous hash %x is not the hash %x of block %d", h.GetPreviousHash(), c.prevHash, n-1)
	}
	if got := DataHash(b.GetData()); !bytes.Equal(got, h.GetDataHash()) {
		return ProblemDataHash, fmt.Sprintf("its %d transactions hash to %x, its header says %x", len(b.GetData().GetData()), got, h.GetDataHash())
	}
	if n == 0 {
		return "", "" // a genesis block is made by configtxgen, not signed by an orderer
	}
	md := b.GetMetadata().GetMetadata()
	if len(md) <= int(common.BlockMetadataIndex_SIGNATURES) {
		return ProblemOrdererSignature, "the block carries no signatures metadata"
	}
	key := string(HeaderBytes(h)) + string(md[common.BlockMetadataIndex_SIGNATURES])
	err, ok := sigChecked[key]
	if !ok {
		err = c.checkOrdererSignatures(h, md[common.BlockMetadataIndex_SIGNATURES])
		sigChecked[key] = err
	}
	if err != nil {
		return ProblemOrdererSignature, err.Error()
	}
	last, err := lastConfigIndex(md[common.BlockMetadataIndex_SIGNATURES])
	if err != nil {
		return ProblemMalformed, err.Error()
	}
	want := c.lastConfig
	if isConfigBlock(b) {
		want = n
	}
	if last != want {
		return ProblemLastConfig, fmt.Sprintf("its metadata names block %d as the last configuration, it is block %d", last, want)
	}
	return "", ""
}

// checkOrdererSignatures checks the signatures of a block's SIGNATURES
// metadata: each signs the metadata value, its signature header (or, BFT,
// its consenter identifier) and the header's ASN.1 form; every one must
// verify, and at least one be by an ordering organisation's identity.
func (c *Checker) checkOrdererSignatures(h *common.BlockHeader, raw []byte) error {
	var md common.Metadata
	if err := proto.Unmarshal(raw, &md); err != nil {
		return fmt.Errorf("decode the signatures: %w", err)
	}
	if len(md.GetSignatures()) == 0 {
		return fmt.Errorf("the block is not signed")
	}
	header := HeaderBytes(h)
	for i, s := range md.GetSignatures() {
		var creator, signed []byte
		if len(s.GetSignatureHeader()) == 0 && len(s.GetIdentifierHeader()) > 0 {
			var ih common.IdentifierHeader
			if err := proto.Unmarshal(s.GetIdentifierHeader(), &ih); err != nil {
				return fmt.Errorf("signature %d: decode its identifier: %w", i+1, err)
			}
			if creator = c.cfg.consenterID[ih.GetIdentifier()]; creator == nil {
				return fmt.Errorf("signature %d: consenter %d is not in the configuration in force", i+1, ih.GetIdentifier())
			}
			signed = concat(md.GetValue(), s.GetIdentifierHeader(), header)
		} else {
			var sh common.SignatureHeader
			if err := proto.Unmarshal(s.GetSignatureHeader(), &sh); err != nil {
				return fmt.Errorf("signature %d: decode its header: %w", i+1, err)
			}
			creator, signed = sh.GetCreator(), concat(md.GetValue(), s.GetSignatureHeader(), header)
		}
		if _, err := verifySigned(c.cfg.orderers, creator, signed, s.GetSignature()); err != nil {
			return fmt.Errorf("signature %d (configuration of block %d): %w", i+1, c.cfg.block, err)
		}
	}
	return nil
}

// lastConfigIndex reads the number of the last configuration block from
// the orderers' block metadata.
func lastConfigIndex(raw []byte) (uint64, error) {
	var md common.Metadata
	if err := proto.Unmarshal(raw, &md); err != nil {
		return 0, fmt.Errorf("decode the signatures metadata: %w", err)
	}
	var obm common.OrdererBlockMetadata
	if err := proto.Unmarshal(md.GetValue(), &obm); err != nil {
		return 0, fmt.Errorf("decode the orderers' metadata: %w", err)
	}
	if obm.GetLastConfig() == nil {
		return 0, fmt.Errorf("the orderers' metadata names no last configuration block")
	}
	return obm.GetLastConfig().GetIndex(), nil
}

// txFilter returns a block's validation results (one code a transaction),
// as a peer computed them; nil for an orderer's copy.
func txFilter(b *common.Block) []byte {
	md := b.GetMetadata().GetMetadata()
	if len(md) <= int(common.BlockMetadataIndex_TRANSACTIONS_FILTER) {
		return nil
	}
	return md[common.BlockMetadataIndex_TRANSACTIONS_FILTER]
}

// peerResults is what a peer adds to a block it commits, which the
// orderers' signatures do not cover: its validation results and, where
// enabled, its commit hash. Peers that agree hold the same.
func peerResults(b *common.Block) string {
	var commit []byte
	if md := b.GetMetadata().GetMetadata(); len(md) > int(common.BlockMetadataIndex_COMMIT_HASH) {
		commit = md[common.BlockMetadataIndex_COMMIT_HASH]
	}
	return hex.EncodeToString(txFilter(b)) + "/" + hex.EncodeToString(commit)
}

// isConfigBlock reports whether a block holds a configuration transaction.
func isConfigBlock(b *common.Block) bool {
	if len(b.GetData().GetData()) != 1 {
		return false
	}
	_, _, ch, err := decodeEnvelope(b.GetData().GetData()[0])
	return err == nil && common.HeaderType(ch.GetType()) == common.HeaderType_CONFIG
}

// decodeEnvelope decodes a transaction: its envelope, payload and channel
// header.
func decodeEnvelope(raw []byte) (*common.Envelope, *common.Payload, *common.ChannelHeader, error) {
	var env common.Envelope
	if err := proto.Unmarshal(raw, &env); err != nil {
		return nil, nil, nil, fmt.Errorf("decode the envelope: %w", err)
	}
	payload, ch, err := openEnvelope(&env)
	return &env, payload, ch, err
}

// openEnvelope decodes an envelope's payload and channel header.
func openEnvelope(env *common.Envelope) (*common.Payload, *common.ChannelHeader, error) {
	var payload common.Payload
	if err := proto.Unmarshal(env.GetPayload(), &payload); err != nil {
		return nil, nil, fmt.Errorf("decode the payload: %w", err)
	}
	var ch common.ChannelHeader
	if err := proto.Unmarshal(payload.GetHeader().GetChannelHeader(), &ch); err != nil {
		return nil, nil, fmt.Errorf("decode the channel header: %w", err)
	}
	return &payload, &ch, nil
}

func concat(parts ...[]byte) []byte { return slices.Concat(parts...) }

// validity returns a transaction's validation code from the filter, or
// VALID when there is none (an orderer's copy).
func validity(filter []byte, i int) peer.TxValidationCode {
	if i >= len(filter) {
		return peer.TxValidationCode_VALID
	}
	return peer.TxValidationCode(filter[i])
}
