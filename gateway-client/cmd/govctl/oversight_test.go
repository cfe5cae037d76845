package main

import (
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/assert"

	govclient "github.com/govshare/govshare/gateway-client"
)

func TestFormatChangeNamesTheCallEventWritesAndValidity(t *testing.T) {
	at := time.Date(2026, 11, 21, 22, 21, 10, 0, time.UTC)
	credit := govclient.Change{Channel: "education-credit", BlockNumber: 12, Time: at, Creator: "UniversityAMSP",
		Type: "transaction", Chaincode: "education", Function: "RecordCredit", Valid: true, Code: peer.TxValidationCode_VALID,
		Event: "CreditRecorded"}
	tests := []struct {
		name   string
		change func(c govclient.Change) govclient.Change
		want   []string
		absent []string
	}{
		{"three writes", func(c govclient.Change) govclient.Change { c.Writes = make([]govclient.Write, 3); return c },
			[]string{"22:21:10", "education-credit", "#12", "UniversityAMSP", "education.RecordCredit", "-> CreditRecorded", "(3 writes)"}, []string{"INVALID"}},
		{"one write", func(c govclient.Change) govclient.Change { c.Writes = make([]govclient.Write, 1); return c },
			[]string{"(1 write)"}, []string{"writes"}},
		{"no write", func(c govclient.Change) govclient.Change { return c }, nil, []string{"write"}},
		{"invalid", func(c govclient.Change) govclient.Change {
			c.Valid, c.Code = false, peer.TxValidationCode_MVCC_READ_CONFLICT
			return c
		}, []string{"INVALID (MVCC_READ_CONFLICT)"}, nil},
		{"undecodable", func(c govclient.Change) govclient.Change {
			return govclient.Change{Channel: "finance-ledger", BlockNumber: 3, Valid: false, Code: peer.TxValidationCode_BAD_PAYLOAD,
				Problem: "block 3 of finance-ledger, transaction 0: decode envelope"}
		}, []string{"INVALID (BAD_PAYLOAD)", "UNREADABLE (block 3 of finance-ledger, transaction 0: decode envelope)"}, nil},
		{"configuration", func(c govclient.Change) govclient.Change {
			return govclient.Change{Channel: "finance-ledger", BlockNumber: 3, Time: at, Creator: "OrdererMSP", Type: "config", Valid: true}
		}, []string{"config"}, []string{"->", "INVALID"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			line := formatChange(tt.change(credit))
			for _, w := range tt.want {
				assert.Contains(t, line, w)
			}
			for _, a := range tt.absent {
				assert.NotContains(t, line, a)
			}
		})
	}
}
