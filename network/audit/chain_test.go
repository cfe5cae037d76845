package audit

import (
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fourBlocks is a channel of a genesis block and three blocks of
// transactions, all as they should be.
func fourBlocks(t *testing.T) *testNet {
	n := newTestNet(t)
	n.add(t, endorserTx(t, "tx1", n.client, n.peer))
	n.add(t, endorserTx(t, "tx2", n.client, n.peer), endorserTx(t, "tx3", n.client, n.peer))
	n.add(t, endorserTx(t, "tx4", n.client, n.peer))
	return n
}

func TestCleanChainHasNoFinding(t *testing.T) {
	n := fourBlocks(t)
	findings, c := audit(t, map[string][]*common.Block{"peer0": n.blocks, "peer1": clone(n.blocks), "orderer0": clone(n.blocks)}, "peer0", "peer1", "orderer0")
	assert.Empty(t, findings)
	assert.EqualValues(t, 4, c.Blocks)
	assert.EqualValues(t, 4, c.Transactions)
}

func TestTamperedCopyIsFoundAndItsSourceNamed(t *testing.T) {
	stranger := newCA(t, "MemberMSP") // same MSP ID, another root: not the member's CA
	tests := []struct {
		name    string
		tamper  func(t *testing.T, n *testNet, blocks []*common.Block)
		block   uint64
		problem Problem
		detail  string
	}{
		{
			name: "one byte of a transaction changed",
			tamper: func(t *testing.T, n *testNet, blocks []*common.Block) {
				tx := blocks[2].Data.Data[1]
				tx[len(tx)-40] ^= 0x01
			},
			block: 2, problem: ProblemDataHash, detail: "hash to",
		},
		{
			name: "a transaction removed and the data hash recomputed",
			tamper: func(t *testing.T, n *testNet, blocks []*common.Block) {
				blocks[2].Data.Data = blocks[2].Data.Data[:1]
				blocks[2].Header.DataHash = DataHash(blocks[2].Data)
			},
			block: 2, problem: ProblemOrdererSignature, detail: "does not verify",
		},
		{
			name: "previous hash broken",
			tamper: func(t *testing.T, n *testNet, blocks []*common.Block) {
				blocks[3].Header.PreviousHash[0] ^= 0xff
			},
			block: 3, problem: ProblemPreviousHash, detail: "is not the hash",
		},
		{
			name: "orderer signature replaced by garbage",
			tamper: func(t *testing.T, n *testNet, blocks []*common.Block) {
				n.sign(t, blocks[1], n.orderer, 0)
				md := blocks[1].Metadata.Metadata[common.BlockMetadataIndex_SIGNATURES]
				md[len(md)-5] ^= 0x01
			},
			block: 1, problem: ProblemOrdererSignature,
		},
		{
			name: "block re-signed by an identity of no ordering organisation",
			tamper: func(t *testing.T, n *testNet, blocks []*common.Block) {
				blocks[1].Data.Data[0] = endorserTx(t, "forged", n.client, n.peer)
				blocks[1].Header.DataHash = DataHash(blocks[1].Data)
				n.sign(t, blocks[1], n.peer, 0) // a member's peer, not an orderer
			},
			block: 1, problem: ProblemOrdererSignature, detail: "not an MSP of the configuration in force",
		},
		{
			name: "block re-signed by a certificate of another CA under the orderers' MSP ID",
			tamper: func(t *testing.T, n *testNet, blocks []*common.Block) {
				fake := issue(t, signer{mspID: "OrdererMSP", cert: stranger.cert, key: stranger.key}, "orderer0", false)
				n.sign(t, blocks[1], fake, 0)
			},
			block: 1, problem: ProblemOrdererSignature, detail: "is not one of OrdererMSP's",
		},
		{
			name: "last configuration index changed and re-signed",
			tamper: func(t *testing.T, n *testNet, blocks []*common.Block) {
				n.sign(t, blocks[3], n.orderer, 2)
			},
			block: 3, problem: ProblemLastConfig,
		},
		{
			name: "validation results changed",
			tamper: func(t *testing.T, n *testNet, blocks []*common.Block) {
				blocks[2].Metadata.Metadata[common.BlockMetadataIndex_TRANSACTIONS_FILTER][0] = byte(peer.TxValidationCode_MVCC_READ_CONFLICT)
			},
			block: 2, problem: ProblemDiffers, detail: "validation results",
		},
		{
			name: "another block signed by the orderer (a fork)",
			tamper: func(t *testing.T, n *testNet, blocks []*common.Block) {
				blocks[3].Data.Data[0] = endorserTx(t, "other", n.client, n.peer)
				blocks[3].Header.DataHash = DataHash(blocks[3].Data)
				n.sign(t, blocks[3], n.orderer, 0)
			},
			block: 3, problem: ProblemDiffers, detail: "block hash",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := fourBlocks(t)
			tampered := clone(n.blocks)
			tt.tamper(t, n, tampered)
			findings, c := audit(t, map[string][]*common.Block{
				"peer0": n.blocks, "peer1": tampered, "peer2": clone(n.blocks), "orderer0": clone(n.blocks),
			}, "peer0", "peer1", "peer2", "orderer0")
			require.Len(t, findings, 1, "findings: %v", findings)
			f := findings[0]
			assert.Equal(t, "peer1", f.Source)
			assert.Equal(t, tt.block, f.Block)
			assert.Equal(t, tt.problem, f.Problem)
			assert.Contains(t, f.Detail, tt.detail)
			assert.EqualValues(t, 4, c.Blocks, "the others' chain is checked to the end")
		})
	}
}

func TestTransactionSignaturesAreCheckedAgainstTheMembers(t *testing.T) {
	outsiderCA := newCA(t, "OutsiderMSP")
	outsider := issue(t, outsiderCA, "outsider", false)
	impostorCA := newCA(t, "MemberMSP")
	impostor := issue(t, impostorCA, "peer0", false)
	tests := []struct {
		name    string
		tx      func(t *testing.T, n *testNet) []byte
		invalid bool
		problem Problem
		detail  string
	}{
		{
			name:    "creator of an MSP the channel does not have",
			tx:      func(t *testing.T, n *testNet) []byte { return endorserTx(t, "t", outsider, n.peer) },
			problem: ProblemCreatorSignature, detail: "not an MSP of the configuration in force",
		},
		{
			name:    "endorser with a certificate of another CA",
			tx:      func(t *testing.T, n *testNet) []byte { return endorserTx(t, "t", n.client, impostor) },
			problem: ProblemEndorsement, detail: "is not one of MemberMSP's",
		},
		{
			name:    "endorsement signature over other bytes",
			tx:      endorserTxBadEndorsement,
			problem: ProblemEndorsement, detail: "does not verify",
		},
		{
			name: "creator signature over other bytes",
			tx: func(t *testing.T, n *testNet) []byte {
				raw := endorserTx(t, "t", n.client, n.peer)
				return resignEnvelope(t, raw, n.client, []byte("something else"))
			},
			problem: ProblemCreatorSignature, detail: "does not verify",
		},
		{
			name:    "endorsement by an impostor in a transaction the peers marked invalid",
			tx:      func(t *testing.T, n *testNet) []byte { return endorserTx(t, "t", n.client, impostor) },
			invalid: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := newTestNet(t)
			b := n.add(t, tt.tx(t, n))
			if tt.invalid {
				b.Metadata.Metadata[common.BlockMetadataIndex_TRANSACTIONS_FILTER][0] = byte(peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE)
			}
			findings, c := audit(t, map[string][]*common.Block{"peer0": n.blocks, "orderer0": clone(n.blocks)}, "peer0", "orderer0")
			if tt.invalid {
				assert.Empty(t, findings)
				assert.EqualValues(t, 1, c.Invalid)
				return
			}
			require.Len(t, findings, 1, "findings: %v", findings)
			assert.Empty(t, findings[0].Source, "the chain itself, not one copy")
			assert.Equal(t, "t", findings[0].Transaction)
			assert.Equal(t, tt.problem, findings[0].Problem)
			assert.Contains(t, findings[0].Detail, tt.detail)
		})
	}
}

func TestHeaderHashIsFabricsASN1Form(t *testing.T) {
	// The DER of SEQUENCE { INTEGER 1, OCTET STRING 0x01, OCTET STRING 0x02 }.
	h := &common.BlockHeader{Number: 1, PreviousHash: []byte{1}, DataHash: []byte{2}}
	assert.Equal(t, []byte{0x30, 0x09, 0x02, 0x01, 0x01, 0x04, 0x01, 0x01, 0x04, 0x01, 0x02}, HeaderBytes(h))
	assert.Len(t, HeaderHash(h), 32)
}

func TestSignaturesAreCheckedAgainstTheConfigurationInForce(t *testing.T) {
	n := newTestNet(t)
	n.add(t, endorserTx(t, "before", n.client, n.peer))
	newOrdererCA := newCA(t, "OrdererMSP")
	oldOrderer := n.orderer
	n.addConfig(t, newOrdererCA) // signed by the old orderer, still in force
	n.orderer = issue(t, newOrdererCA, "orderer1", false)
	after := n.cut(t, &n.orderer, [][]byte{endorserTx(t, "after", n.client, n.peer)}, 2)
	n.blocks = append(n.blocks, after)
	findings, c := audit(t, map[string][]*common.Block{"peer0": n.blocks, "orderer0": clone(n.blocks)}, "peer0", "orderer0")
	assert.Empty(t, findings)
	assert.EqualValues(t, 4, c.Blocks)

	stale := clone(n.blocks)
	n.sign(t, stale[3], oldOrderer, 2) // the old orderer, no longer of the channel
	findings, _ = audit(t, map[string][]*common.Block{"peer0": n.blocks, "peer1": stale, "orderer0": clone(n.blocks)}, "peer0", "peer1", "orderer0")
	require.Len(t, findings, 1, "findings: %v", findings)
	assert.Equal(t, "peer1", findings[0].Source)
	assert.Equal(t, ProblemOrdererSignature, findings[0].Problem)
	assert.Contains(t, findings[0].Detail, "configuration of block 2")
}
