package workload

import (
	"encoding/json"
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset/kvrwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/govshare/govshare/chaincode/benchprobe"
	"github.com/govshare/govshare/chaincode/foundation"
)

func mustMarshal(t *testing.T, m proto.Message) []byte {
	t.Helper()
	data, err := proto.Marshal(m)
	require.NoError(t, err)
	return data
}

// endorserEnvelope builds an endorser transaction of chaincode cc whose
// action has the read-write sets rws, an event and a response.
func endorserEnvelope(t *testing.T, cc string, rws *rwset.TxReadWriteSet, event, response []byte) []byte {
	action := &peer.ChaincodeAction{
		ChaincodeId: &peer.ChaincodeID{Name: cc},
		Results:     mustMarshal(t, rws),
		Response:    &peer.Response{Status: 200, Payload: response},
	}
	if event != nil {
		action.Events = mustMarshal(t, &peer.ChaincodeEvent{EventName: "E", Payload: event})
	}
	payload := &peer.ChaincodeActionPayload{Action: &peer.ChaincodeEndorsedAction{
		ProposalResponsePayload: mustMarshal(t, &peer.ProposalResponsePayload{Extension: mustMarshal(t, action)}),
	}}
	tx := &peer.Transaction{Actions: []*peer.TransactionAction{{Payload: mustMarshal(t, payload)}}}
	return mustMarshal(t, &common.Envelope{Payload: mustMarshal(t, &common.Payload{Data: mustMarshal(t, tx)})})
}

func TestFootprintCountsTheInvokedChaincodesReadsAndWrites(t *testing.T) {
	hashed := &kvrwset.HashedRWSet{
		HashedReads:    []*kvrwset.KVReadHash{{KeyHash: []byte("h1")}},
		HashedWrites:   []*kvrwset.KVWriteHash{{KeyHash: []byte("h1"), ValueHash: []byte("v")}, {KeyHash: []byte("h2"), IsDelete: true}},
		MetadataWrites: []*kvrwset.KVMetadataWriteHash{{KeyHash: []byte("h1")}},
	}
	domain := &kvrwset.KVRWSet{
		Reads:          []*kvrwset.KVRead{{Key: "a"}, {Key: "b"}, {Key: "c"}},
		Writes:         []*kvrwset.KVWrite{{Key: "a", Value: []byte("12345")}, {Key: "d", Value: []byte("678")}},
		MetadataWrites: []*kvrwset.KVMetadataWrite{{Key: "a"}},
	}
	lifecycle := &kvrwset.KVRWSet{Reads: []*kvrwset.KVRead{{Key: "namespaces/fields/education/Sequence"}}}
	rws := &rwset.TxReadWriteSet{NsRwset: []*rwset.NsReadWriteSet{
		{Namespace: "_lifecycle", Rwset: mustMarshal(t, lifecycle)},
		{Namespace: "education", Rwset: mustMarshal(t, domain), CollectionHashedRwset: []*rwset.CollectionHashedReadWriteSet{
			{CollectionName: "StudentPII_UniversityAMSP", HashedRwset: mustMarshal(t, hashed)},
		}},
	}}
	envelope := endorserEnvelope(t, "education", rws, []byte("0123456789"), []byte("resp"))

	f, err := footprintOf(envelope)
	require.NoError(t, err)
	assert.Equal(t, Footprint{Reads: 3, Writes: 2, WrittenBytes: 8, PolicyWrites: 2, PrivateReads: 1, PrivateWrites: 2,
		EventBytes: 10, ResponseBytes: 4, Bytes: len(envelope)}, f, "the lifecycle read is not the chaincode's")

	noEvent, err := footprintOf(endorserEnvelope(t, "education", &rwset.TxReadWriteSet{}, nil, nil))
	require.NoError(t, err)
	assert.Zero(t, noEvent.EventBytes)
	assert.Zero(t, noEvent.Reads)
}

func TestFootprintRefusesWhatIsNotAnEndorserTransaction(t *testing.T) {
	config := mustMarshal(t, &common.Envelope{Payload: mustMarshal(t, &common.Payload{Data: mustMarshal(t, &peer.Transaction{})})})
	tests := []struct {
		name     string
		envelope []byte
		wantErr  string
	}{
		{"not protobuf", []byte{0xff, 0xff}, "decode envelope"},
		{"no action", config, "has 0 actions"},
		{"bad read-write set", endorserEnvelopeWithResults(t, []byte{0xff}), "decode read-write set"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := footprintOf(tt.envelope)
			assert.ErrorContains(t, err, tt.wantErr)
		})
	}
}

// endorserEnvelopeWithResults builds an endorser transaction whose read-write
// set is the raw results.
func endorserEnvelopeWithResults(t *testing.T, results []byte) []byte {
	action := &peer.ChaincodeAction{ChaincodeId: &peer.ChaincodeID{Name: "cc"}, Results: results}
	payload := &peer.ChaincodeActionPayload{Action: &peer.ChaincodeEndorsedAction{
		ProposalResponsePayload: mustMarshal(t, &peer.ProposalResponsePayload{Extension: mustMarshal(t, action)}),
	}}
	tx := &peer.Transaction{Actions: []*peer.TransactionAction{{Payload: mustMarshal(t, payload)}}}
	return mustMarshal(t, &common.Envelope{Payload: mustMarshal(t, &common.Payload{Data: mustMarshal(t, tx)})})
}

func TestTwinMismatchesNameEveryDifference(t *testing.T) {
	write := Footprint{Reads: 2, Writes: 2, WrittenBytes: 500, PolicyWrites: 2, PrivateReads: 1, PrivateWrites: 1,
		EventBytes: 800, ResponseBytes: 400, Bytes: 7500}
	tests := []struct {
		name string
		edit func(*Footprint)
		want []string
	}{
		{"the same", func(*Footprint) {}, nil},
		{"sizes within a quarter", func(f *Footprint) { f.WrittenBytes, f.EventBytes, f.Bytes = 620, 610, 9000 }, nil},
		{"one read less", func(f *Footprint) { f.Reads = 1 }, []string{"reads: w 2, twin 1"}},
		{"no policy, no private write", func(f *Footprint) { f.PolicyWrites, f.PrivateWrites = 0, 0 },
			[]string{"policy writes: w 2, twin 0", "private writes: w 1, twin 0"}},
		{"private read missing", func(f *Footprint) { f.PrivateReads = 0 }, []string{"private reads: w 1, twin 0"}},
		{"one write more", func(f *Footprint) { f.Writes = 3 }, []string{"writes: w 2, twin 3"}},
		{"no response", func(f *Footprint) { f.ResponseBytes = 0 }, []string{"response bytes: w 400, twin 0 (more than 25% apart)"}},
		{"event too large", func(f *Footprint) { f.EventBytes = 1100 }, []string{"event bytes: w 800, twin 1100 (more than 25% apart)"}},
		{"values too small", func(f *Footprint) { f.WrittenBytes = 300 }, []string{"written bytes: w 500, twin 300 (more than 25% apart)"}},
		{"transaction too small", func(f *Footprint) { f.Bytes = 5000 }, []string{"transaction bytes: w 7500, twin 5000 (more than 25% apart)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			twin := write
			tt.edit(&twin)
			assert.Equal(t, tt.want, TwinFootprints{Write: "w", Domain: write, Twin: twin}.Mismatches())
		})
	}
}

func TestEveryMainWriteHasATwin(t *testing.T) {
	var twinned []string
	for _, ch := range Channels {
		for _, tw := range twinsOf(ch) {
			twinned = append(twinned, tw.write)
			shape := tw.shape("k", 3, 5)
			data, err := json.Marshal(shape)
			require.NoError(t, err)
			var decoded benchprobe.Shape
			require.NoError(t, foundation.DecodeRequest(string(data), &decoded), "%s: PutShaped accepts the twin's shape", tw.write)
			assert.NoError(t, decoded.Check(ch, "k"), "%s: the guard's organisations are members of %s", tw.write, ch)
			assert.NotEmpty(t, shape.Writes, tw.write)
			assert.Positive(t, shape.EventBytes, "%s tells Oversight of the change, so its twin sends an event", tw.write)
			assert.Positive(t, shape.ResponseBytes, "%s returns its record", tw.write)
			for _, u := range shape.Updates {
				assert.Equal(t, twinTotal(3, 5%twinTotals), u, "%s: a worker's running totals in turn", tw.write)
			}
		}
	}
	assert.Equal(t, []string{"record-credit-new-student", "record-credit", "recognise-credit", "disburse-spread", "submit-evidence"}, twinned)
}
