package govclient

import (
	"encoding/json"
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset/kvrwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// policyOf encodes a signature policy requiring a peer of each MSP, as
// the chaincodes' key-level endorsement policies are.
func policyOf(t *testing.T, mspIDs ...string) []byte {
	t.Helper()
	env := &common.SignaturePolicyEnvelope{}
	for _, id := range mspIDs {
		env.Identities = append(env.Identities, &msp.MSPPrincipal{
			PrincipalClassification: msp.MSPPrincipal_ROLE,
			Principal:               marshal(t, &msp.MSPRole{MspIdentifier: id, Role: msp.MSPRole_PEER}),
		})
	}
	return marshal(t, env)
}

func TestDecodeWritesReadsEveryKindOfWrite(t *testing.T) {
	credit := "\x00edu.transcript\x00ref1\x00C1\x00\x00"
	public := &kvrwset.KVRWSet{
		Reads: []*kvrwset.KVRead{{Key: "ignored"}},
		Writes: []*kvrwset.KVWrite{
			{Key: credit, Value: []byte(`{"creditId":"C1"}`)},
			{Key: "baseline~k1", Value: []byte("not json")},
			{Key: "\x00edu.credit\x00C0\x00", IsDelete: true},
		},
		MetadataWrites: []*kvrwset.KVMetadataWrite{{Key: credit, Entries: []*kvrwset.KVMetadataEntry{
			{Name: validationParameter, Value: policyOf(t, "UniversityAMSP", "EduMinistryMSP", "UniversityAMSP")},
		}}},
	}
	private := &kvrwset.HashedRWSet{HashedWrites: []*kvrwset.KVWriteHash{{KeyHash: []byte{0xab}, ValueHash: []byte{0xcd}}}}
	results := marshal(t, &rwset.TxReadWriteSet{NsRwset: []*rwset.NsReadWriteSet{{
		Namespace: "education",
		Rwset:     marshal(t, public),
		CollectionHashedRwset: []*rwset.CollectionHashedReadWriteSet{{
			CollectionName: "StudentPII_UniversityAMSP", HashedRwset: marshal(t, private),
		}},
	}}})

	writes, err := decodeWrites(results)
	require.NoError(t, err)
	assert.Equal(t, []Write{
		{Namespace: "education", ObjectType: "edu.transcript", Attributes: []string{"ref1", "C1", ""}, Value: []byte(`{"creditId":"C1"}`)},
		{Namespace: "education", Key: "baseline~k1", Value: []byte("not json")},
		{Namespace: "education", ObjectType: "edu.credit", Attributes: []string{"C0"}, Delete: true},
		{Namespace: "education", ObjectType: "edu.transcript", Attributes: []string{"ref1", "C1", ""},
			PolicyWrite: true, Endorsers: []string{"UniversityAMSP", "EduMinistryMSP"}},
		{Namespace: "education", Collection: "StudentPII_UniversityAMSP", KeyHash: "ab", ValueHash: "cd"},
	}, writes)

	encoded, err := json.Marshal(writes[:2])
	require.NoError(t, err)
	assert.JSONEq(t, `[
		{"namespace":"education","objectType":"edu.transcript","attributes":["ref1","C1",""],"value":{"creditId":"C1"}},
		{"namespace":"education","key":"baseline~k1","value":"not json"}
	]`, string(encoded), "a JSON value stays JSON, another becomes a string")
	var decoded []Write
	require.NoError(t, json.Unmarshal(encoded, &decoded))
	assert.Equal(t, writes[:2], decoded, "what MarshalJSON writes reads back")
}

func TestDecodeWritesRefusesMalformedSets(t *testing.T) {
	badPolicy := &kvrwset.KVRWSet{MetadataWrites: []*kvrwset.KVMetadataWrite{{Key: "k", Entries: []*kvrwset.KVMetadataEntry{
		{Name: validationParameter, Value: []byte{0xff, 0x01}},
	}}}}
	tests := []struct {
		name    string
		results []byte
		want    string
	}{
		{"not a read-write set", []byte{0xff, 0x01}, "decode read-write set"},
		{"namespace set not decodable", marshal(t, &rwset.TxReadWriteSet{NsRwset: []*rwset.NsReadWriteSet{{Namespace: "finance", Rwset: []byte{0xff, 0x01}}}}), "read-write set of finance"},
		{"collection set not decodable", marshal(t, &rwset.TxReadWriteSet{NsRwset: []*rwset.NsReadWriteSet{{Namespace: "evidence",
			CollectionHashedRwset: []*rwset.CollectionHashedReadWriteSet{{CollectionName: "SealedEvidence", HashedRwset: []byte{0xff, 0x01}}}}}}),
			"hashed read-write set of evidence/SealedEvidence"},
		{"policy not decodable", marshal(t, &rwset.TxReadWriteSet{NsRwset: []*rwset.NsReadWriteSet{{Namespace: "finance", Rwset: marshal(t, badPolicy)}}}), "endorsement policy of finance/k"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decodeWrites(tt.results)
			assert.ErrorContains(t, err, tt.want)
		})
	}
}

func TestDecodeWritesOfNoResults(t *testing.T) {
	writes, err := decodeWrites(nil)
	require.NoError(t, err)
	assert.Empty(t, writes)
}
