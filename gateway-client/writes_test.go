package govclient

import (
	"crypto/sha256"
	"encoding/hex"
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
	creditValue := []byte(`{"creditId":"C1"}`)
	public := &kvrwset.KVRWSet{
		Reads: []*kvrwset.KVRead{{Key: "ignored"}},
		Writes: []*kvrwset.KVWrite{
			{Key: credit, Value: creditValue},
			{Key: "baseline~k1", Value: []byte("not json")},
			{Key: "\x00edu.credit\x00C0\x00", IsDelete: true},
			{Key: "\x00edu.marker\x00", Value: []byte("1")},
			{Key: "\x00", Value: []byte("2")},
		},
		MetadataWrites: []*kvrwset.KVMetadataWrite{{Key: credit, Entries: []*kvrwset.KVMetadataEntry{
			{Name: validationParameter, Value: policyOf(t, "UniversityAMSP", "EduMinistryMSP", "UniversityAMSP")},
		}}},
	}
	private := &kvrwset.HashedRWSet{
		HashedWrites: []*kvrwset.KVWriteHash{
			{KeyHash: []byte{0xab}, ValueHash: []byte{0xcd}},
			{KeyHash: []byte{0xef}, IsPurge: true},
		},
		MetadataWrites: []*kvrwset.KVMetadataWriteHash{{KeyHash: []byte{0xab}, Entries: []*kvrwset.KVMetadataEntry{
			{Name: validationParameter, Value: policyOf(t, "InternetCourtMSP")},
		}}},
	}
	results := marshal(t, &rwset.TxReadWriteSet{NsRwset: []*rwset.NsReadWriteSet{{
		Namespace: "education",
		Rwset:     marshal(t, public),
		CollectionHashedRwset: []*rwset.CollectionHashedReadWriteSet{{
			CollectionName: "StudentPII_UniversityAMSP", HashedRwset: marshal(t, private),
		}},
	}}})

	writes, err := decodeWrites(results)
	require.NoError(t, err)
	hash := func(b []byte) string { sum := sha256.Sum256(b); return hex.EncodeToString(sum[:]) }
	assert.Equal(t, []Write{
		{Namespace: "education", ObjectType: "edu.transcript", Attributes: []string{"ref1", "C1", ""}, Value: creditValue, ValueHash: hash(creditValue)},
		{Namespace: "education", Key: "baseline~k1", Value: []byte("not json"), ValueHash: hash([]byte("not json"))},
		{Namespace: "education", ObjectType: "edu.credit", Attributes: []string{"C0"}, Delete: true},
		{Namespace: "education", ObjectType: "edu.marker", Value: []byte("1"), ValueHash: hash([]byte("1"))},
		{Namespace: "education", Key: "\x00", Value: []byte("2"), ValueHash: hash([]byte("2"))},
		{Namespace: "education", ObjectType: "edu.transcript", Attributes: []string{"ref1", "C1", ""},
			PolicyWrite: true, Endorsers: []string{"UniversityAMSP", "EduMinistryMSP"}},
		{Namespace: "education", Collection: "StudentPII_UniversityAMSP", KeyHash: "ab", ValueHash: "cd"},
		{Namespace: "education", Collection: "StudentPII_UniversityAMSP", KeyHash: "ef", Delete: true},
		{Namespace: "education", Collection: "StudentPII_UniversityAMSP", KeyHash: "ab", PolicyWrite: true, Endorsers: []string{"InternetCourtMSP"}},
	}, writes)
}

func TestWriteJSONKeepsEveryValue(t *testing.T) {
	tests := []struct {
		name  string
		value []byte
		field string
	}{
		{"a JSON object", []byte(`{"creditId":"C1","n":2}`), `"value":{"creditId":"C1","n":2}`},
		{"a JSON string", []byte(`"quoted"`), `"value":"quoted"`},
		{"JSON null", []byte(`null`), `"value":null`},
		{"text", []byte("quoted"), `"valueText":"quoted"`},
		{"binary", []byte{0xff, 0x00, 0x80}, `"valueBase64":"/wCA"`},
		{"no value", nil, ``},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := Write{Namespace: "ns", Key: "k", Value: tt.value}
			encoded, err := json.Marshal(w)
			require.NoError(t, err)
			assert.Contains(t, string(encoded), tt.field)
			var decoded Write
			require.NoError(t, json.Unmarshal(encoded, &decoded))
			assert.Equal(t, w, decoded, "%s reads back byte for byte", encoded)
		})
	}

	var bad Write
	assert.ErrorContains(t, json.Unmarshal([]byte(`{"namespace":"ns","key":"k","valueBase64":"%%%"}`), &bad), "valueBase64 of ns/k")
}

func TestDecodeWritesRefusesMalformedSets(t *testing.T) {
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
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decodeWrites(tt.results)
			assert.ErrorContains(t, err, tt.want)
		})
	}
}

func TestDecodeWritesKeepsAWriteWhosePolicyDoesNotDecode(t *testing.T) {
	set := &kvrwset.KVRWSet{
		Writes: []*kvrwset.KVWrite{{Key: "k", Value: []byte(`1`)}},
		MetadataWrites: []*kvrwset.KVMetadataWrite{{Key: "k", Entries: []*kvrwset.KVMetadataEntry{
			{Name: validationParameter, Value: []byte{0xff, 0x01}},
		}}},
	}
	writes, err := decodeWrites(marshal(t, &rwset.TxReadWriteSet{NsRwset: []*rwset.NsReadWriteSet{{Namespace: "finance", Rwset: marshal(t, set)}}}))
	require.NoError(t, err, "the peers accept any bytes as a key's policy")
	require.Len(t, writes, 2)
	assert.Equal(t, []byte(`1`), writes[0].Value)
	assert.Equal(t, Write{Namespace: "finance", Key: "k", PolicyWrite: true}, writes[1], "an undecodable policy names no organisation")
}

func TestDecodeWritesOfNoResults(t *testing.T) {
	writes, err := decodeWrites(nil)
	require.NoError(t, err)
	assert.Empty(t, writes)
}
