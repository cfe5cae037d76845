package finance

import (
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/hyperledger/fabric-contract-api-go/v2/metadata"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/foundation"
)

// Contract is the finance-ledger contract. It keeps no state of its own:
// everything it knows is in the ledger.
type Contract struct {
	contractapi.Contract
}

// New returns the contract, named "finance" like its chaincode.
func New() *Contract {
	return &Contract{Contract: contractapi.Contract{
		Name: "finance",
		Info: metadata.InfoMetadata{
			Title:       "govshare finance ledger",
			Description: "Appropriations, allocations and disbursements traceable from the budget line to the payee, corrected only by approved reversals, with auditors' findings.",
			Version:     "1.0.0",
		},
	}}
}

// GetEvaluateTransactions lists the query functions, which clients evaluate
// rather than submit.
func (c *Contract) GetEvaluateTransactions() []string {
	return []string{
		"TraceDisbursement", "TraceAllocation", "TraceAppropriation", "ListAppropriations",
		"GetSpendingSummary", "GetRecordHistory",
		"GetReversal", "ListReversals", "ListFindings",
	}
}

// The grants the access rules are made of.

// budgetOfficers admits the finance bureau's budget officers, who record
// appropriations and allocations.
func budgetOfficers() foundation.Grant {
	return foundation.Role(consortium.RoleBudgetOfficer, consortium.FinanceBureauMSP)
}

// accountants admits the accountants of the spending agencies, who record
// disbursements against their own allocations.
func accountants() foundation.Grant {
	return foundation.Role(consortium.RoleAccountant, spendingAgencies()...)
}

// auditors admits the audit office's auditors.
func auditors() foundation.Grant {
	return foundation.Role(consortium.RoleAuditor, consortium.AuditOfficeMSP)
}

// channelMembers admits every identity of the finance-ledger channel's
// members, OversightMSP included: every record is public to them.
func channelMembers() foundation.Grant {
	return foundation.AnyRole(consortium.ChannelMembers(consortium.FinanceChannel)...)
}

// entryWriters are the roles that write entries: budget officers and
// accountants. Which of them may act on an entry is decided by the entry's
// owner.
func entryWriters() []foundation.Grant {
	return []foundation.Grant{budgetOfficers(), accountants()}
}

// reversalApprovers are the roles that approve reversals, one approval per
// organisation. OversightMSP is read only and never approves.
func reversalApprovers() []foundation.Grant {
	return []foundation.Grant{budgetOfficers(), auditors(), accountants()}
}

// approvalsNeeded is the majority of the finance-ledger channel's
// organisations: 3 of 5.
func approvalsNeeded() int {
	return len(consortium.ChannelMembers(consortium.FinanceChannel))/2 + 1
}
