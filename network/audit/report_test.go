package audit

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReportSaysWhichNodeIsWrongAndWhichWasNotRead(t *testing.T) {
	r := &Report{
		Channels: []ChannelReport{{Channel: "education-credit", Blocks: 20, Transactions: 40, Sources: []SourceReport{
			{Name: "peer0.a", Peer: true, Height: 20},
			{Name: "peer0.b", Peer: true, Height: 12, Wrong: true},
			{Name: "orderer0.o", Unreadable: "connection refused"},
		}}},
		Findings: []Finding{{Channel: "education-credit", Block: 12, Source: "peer0.b", Problem: ProblemDataHash, Detail: "its 1 transactions hash to 21, its header says 8f"}},
	}
	var text bytes.Buffer
	r.Describe(&text)
	assert.Contains(t, text.String(), "peer0.b")
	assert.Contains(t, text.String(), "WRONG")
	assert.Contains(t, text.String(), "NOT AUDITED: connection refused")
	assert.Contains(t, text.String(), "education-credit block 12 on peer0.b: data-hash: its 1 transactions")
	assert.False(t, r.Clean())
	assert.Equal(t, []string{"education-credit@orderer0.o"}, r.Unread())

	data, err := json.Marshal(r)
	require.NoError(t, err)
	var back Report
	require.NoError(t, json.Unmarshal(data, &back))
	assert.Equal(t, r.Findings, back.Findings)
	assert.Equal(t, r.Channels, back.Channels)

	clean := &Report{Channels: r.Channels[:1], Findings: []Finding{}}
	text.Reset()
	clean.Describe(&text)
	assert.Contains(t, text.String(), "no finding")
	assert.True(t, clean.Clean())
}
