package readmodel_test

import (
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/education"
	"github.com/govshare/govshare/chaincode/finance"
	govclient "github.com/govshare/govshare/gateway-client"
	"github.com/govshare/govshare/portal/internal/fixture"
	"github.com/govshare/govshare/portal/readmodel"
)

// projectAll projects every block of a channel and merges the batches.
func projectAll(blocks []*govclient.Block) []*readmodel.Batch {
	var out []*readmodel.Batch
	for _, b := range blocks {
		out = append(out, readmodel.Project(b))
	}
	return out
}

func TestProjectionDecodesEveryDomainRecordOfTheContracts(t *testing.T) {
	s := fixture.New(t)
	var total readmodel.Batch
	for _, b := range projectAll(s.All()) {
		for _, tx := range b.Transactions {
			assert.Empty(t, tx.Problem, "every record of the contracts decodes: %s %s", tx.Channel, tx.Function)
		}
		total.Accreditations = append(total.Accreditations, b.Accreditations...)
		total.Credits = append(total.Credits, b.Credits...)
		total.Recognitions = append(total.Recognitions, b.Recognitions...)
		total.Revocations = append(total.Revocations, b.Revocations...)
		total.Diplomas = append(total.Diplomas, b.Diplomas...)
		total.Resources = append(total.Resources, b.Resources...)
		total.Appropriations = append(total.Appropriations, b.Appropriations...)
		total.Allocations = append(total.Allocations, b.Allocations...)
		total.Disbursements = append(total.Disbursements, b.Disbursements...)
		total.Budgets = append(total.Budgets, b.Budgets...)
		total.Spending = append(total.Spending, b.Spending...)
		total.Reversals = append(total.Reversals, b.Reversals...)
		total.Approvals = append(total.Approvals, b.Approvals...)
		total.ReversalEntries = append(total.ReversalEntries, b.ReversalEntries...)
		total.Findings = append(total.Findings, b.Findings...)
		total.Cases = append(total.Cases, b.Cases...)
		total.Evidence = append(total.Evidence, b.Evidence...)
		total.Notarisations = append(total.Notarisations, b.Notarisations...)
		total.Custody = append(total.Custody, b.Custody...)
		total.AccessRequests = append(total.AccessRequests, b.AccessRequests...)
		total.AccessLog = append(total.AccessLog, b.AccessLog...)
	}
	for _, c := range []struct {
		kind string
		n    int
		want int
	}{
		{"accreditations", len(total.Accreditations), 2},
		{"credit versions (two recorded, one of them revoked)", len(total.Credits), 3},
		{"recognitions", len(total.Recognitions), 1},
		{"revocations", len(total.Revocations), 1},
		{"diplomas", len(total.Diplomas), 1},
		{"resources", len(total.Resources), 1},
		{"appropriations", len(total.Appropriations), 1},
		{"allocations", len(total.Allocations), 1},
		{"disbursements (the invalid one left out)", len(total.Disbursements), 2},
		{"reversals", len(total.Reversals), 1},
		{"approvals", len(total.Approvals), 3},
		{"reversal entries", len(total.ReversalEntries), 1},
		{"findings", len(total.Findings), 1},
		{"cases", len(total.Cases), 1},
		{"evidence versions (submitted, notarised, handled, opened)", len(total.Evidence), 4},
		{"notarisations", len(total.Notarisations), 1},
		{"custody events", len(total.Custody), 1},
		{"access request versions (requested, granted)", len(total.AccessRequests), 2},
		{"access log entries", len(total.AccessLog), 1},
	} {
		assert.Equal(t, c.want, c.n, c.kind)
	}
	assert.NotEmpty(t, total.Budgets, "the running totals of the budget line")
	assert.NotEmpty(t, total.Spending, "the running totals of the allocation")

	revoked := total.Credits[len(total.Credits)-1].Value
	assert.Equal(t, "UA-MA201", revoked.CreditID)
	assert.Equal(t, education.StatusRevoked, revoked.Status)
	assert.Equal(t, readmodel.Revocation{RecordType: readmodel.RevokedCredit, RecordID: "UA-MA201", Issuer: consortium.UniversityAMSP,
		Revocation: *revoked.Revocation}, total.Revocations[0].Value)
	assert.Equal(t, s.DiplomaHash, total.Diplomas[0].Value.DocumentHash)
	assert.Equal(t, finance.TypeDisbursement, total.ReversalEntries[0].Value.RecordType)
	assert.Len(t, total.ReversalEntries[0].Value.ApprovedBy, 3)
	for _, d := range total.Disbursements {
		assert.NotEqual(t, s.Invalid, d.Value.DisbursementID, "an invalid transaction changes no domain record")
	}
}

func TestProjectionKeepsInvalidTransactionsAndTheirWritesAsSuch(t *testing.T) {
	s := fixture.New(t)
	var invalid *readmodel.Batch
	for _, b := range projectAll(s.Blocks[consortium.FinanceChannel]) {
		if !b.Transactions[0].Valid {
			invalid = b
		}
	}
	require.NotNil(t, invalid, "the scenario has an invalid transaction")
	tx := invalid.Transactions[0]
	assert.Equal(t, peer.TxValidationCode_MVCC_READ_CONFLICT.String(), tx.ValidationCode)
	assert.Equal(t, "Disburse", tx.Function)
	assert.NotEmpty(t, invalid.Writes, "what it would have written is kept")
	for _, w := range invalid.Writes {
		assert.False(t, w.Valid)
	}
	assert.Len(t, invalid.Events, 1)
	assert.Zero(t, invalid.Records(), "and nothing of it reaches the domain records")
}

func TestProjectionRecordsBlocksTransactionsAndPositions(t *testing.T) {
	s := fixture.New(t)
	blocks := s.Blocks[consortium.EducationChannel]
	b := readmodel.Project(blocks[2]) // the first credit
	assert.Equal(t, readmodel.Block{Channel: consortium.EducationChannel, Number: 2, Hash: blocks[2].Hash, PreviousHash: blocks[1].Hash,
		DataHash: blocks[2].DataHash, Transactions: 1, Time: blocks[2].Transactions[0].Time.UTC()}, b.Block)
	tx := b.Transactions[0]
	assert.Equal(t, "RecordCredit", tx.Function)
	assert.Equal(t, consortium.UniversityAMSP, tx.CreatorMSP)
	assert.Equal(t, consortium.RoleRegistrar, tx.CreatorRole)
	assert.True(t, tx.Valid)
	assert.Equal(t, "VALID", tx.ValidationCode)
	assert.Len(t, tx.Endorsers, 2)
	assert.Equal(t, len(b.Writes), tx.Writes)

	require.Len(t, b.Credits, 1)
	assert.Equal(t, readmodel.Position{Channel: consortium.EducationChannel, Block: 2, TxID: tx.TxID, Time: tx.Time}, b.Credits[0].At)

	var private, policies int
	for _, w := range b.Writes {
		if w.Collection != "" {
			private++
			assert.Nil(t, w.Value, "a private write carries no value")
			assert.Len(t, w.KeyHash, 64)
			assert.Empty(t, w.ObjectType, "nor its key")
		}
		if w.PolicyWrite {
			policies++
			assert.ElementsMatch(t, []string{consortium.EduMinistryMSP, consortium.UniversityAMSP}, w.Endorsers)
		}
	}
	assert.Equal(t, 1, private, "the student record went to the private collection")
	assert.Positive(t, policies, "the credit's key-level policy")
}

func TestProjectionReportsARecordThatDoesNotDecode(t *testing.T) {
	block := &govclient.Block{Channel: consortium.FinanceChannel, Number: 0, Transactions: []govclient.BlockTransaction{{
		Change: govclient.Change{TransactionID: "t1", Type: "transaction", Chaincode: readmodel.FinanceChaincode, Valid: true,
			Code: peer.TxValidationCode_VALID, Writes: []govclient.Write{
				{Namespace: readmodel.FinanceChaincode, ObjectType: "fin.disbursement", Attributes: []string{"A", "D"}, Value: []byte(`{"surprise":1}`)},
				{Namespace: readmodel.FinanceChaincode, ObjectType: "fin.payment", Attributes: []string{"D"}, Value: []byte(`{"allocationId":"A"}`)},
			}},
	}}}
	b := readmodel.Project(block)
	assert.Contains(t, b.Transactions[0].Problem, "fin.disbursement/A/D", "the problem names the key")
	assert.Empty(t, b.Disbursements)
	assert.Len(t, b.Writes, 2, "the writes are kept all the same")
}
