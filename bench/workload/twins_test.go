package workload

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/benchprobe"
	"github.com/govshare/govshare/chaincode/foundation"
)

func TestEveryMainWriteHasATwin(t *testing.T) {
	var twinned []string
	for _, ch := range Channels {
		for _, tw := range TwinsOf(ch) {
			twinned = append(twinned, tw.Write)
			shape := tw.shape("k", 3, 5)
			data, err := json.Marshal(shape)
			require.NoError(t, err)
			var decoded benchprobe.Shape
			require.NoError(t, foundation.DecodeRequest(string(data), &decoded), "%s: PutShaped accepts the Twin's shape", tw.Write)
			assert.NoError(t, decoded.Check(ch, "k"), "%s: the guard's organisations are members of %s", tw.Write, ch)
			assert.NotEmpty(t, shape.Writes, tw.Write)
			assert.Positive(t, shape.EventBytes, "%s tells Oversight of the change, so its Twin sends an event", tw.Write)
			assert.Positive(t, shape.ResponseBytes, "%s returns its record", tw.Write)
			for _, u := range shape.Updates {
				assert.Equal(t, twinTotal(3, 5%twinTotals), u, "%s: a worker's running totals in turn", tw.Write)
			}
		}
	}
	assert.Equal(t, []string{"record-credit-new-student", "record-credit", "recognise-credit", "disburse-spread", "submit-evidence"}, twinned)
}
