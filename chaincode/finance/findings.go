package finance

import (
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/govshare/govshare/chaincode/foundation"
)

// RecordFinding attaches an auditor's finding to a record. The record and
// its amounts are not changed.
//
// Access: role "auditor" of AuditOfficeMSP.
// Request: RecordFindingRequest {"findingId", "recordType", "recordId",
// "severity", "note"}; recordType is appropriation, allocation,
// disbursement or reversal; severity is low, medium, high or critical.
// Reads: the record, fin.finding/recordType/recordId/findingId.
// Rules: the record exists (ErrNotFound); a finding ID is used once per
// record (ErrAlreadyExists).
// Writes: fin.finding/recordType/recordId/findingId.
// Event: FindingRecorded.
func (c *Contract) RecordFinding(ctx contractapi.TransactionContextInterface, request string) (*Finding, error) {
	var req RecordFindingRequest
	tx, err := foundation.BeginRequest(ctx, foundation.Allow("RecordFinding", auditors()), request, &req)
	if err != nil {
		return nil, err
	}
	record, err := findRecord(tx, req.RecordType, req.RecordID)
	if err != nil {
		return nil, err
	}
	key, err := findingKeys.Key(record.Type, record.ID, req.FindingID)
	if err != nil {
		return nil, err
	}
	if err := requireAbsent(tx, key, "finding", req.FindingID, func(f *Finding) string {
		return "about " + record.String()
	}); err != nil {
		return nil, err
	}
	f := &Finding{
		FindingID:  req.FindingID,
		RecordType: record.Type,
		RecordID:   record.ID,
		Severity:   req.Severity,
		Note:       req.Note,
		RecordedAt: tx.Time,
		RecordedBy: tx.Caller.ID,
	}
	if err := tx.Put(key, f); err != nil {
		return nil, err
	}
	return f, tx.Emit(EventFindingRecorded)
}

// ListFindings returns one page of the findings about a record, in finding
// ID order.
//
// Access: any identity of the finance-ledger channel's members.
// Arguments: recordType, recordId, pageSize (0 for the default, capped at
// 100), the bookmark of the previous page ("" for the first).
// Reads: the record, one page of fin.finding/recordType/recordId/....
// Errors: ErrNotFound for an unknown record.
func (c *Contract) ListFindings(ctx contractapi.TransactionContextInterface, recordType, recordID string, pageSize int32, bookmark string) (*FindingPage, error) {
	tx, err := beginRecordQuery(ctx, "ListFindings", recordType, recordID)
	if err != nil {
		return nil, err
	}
	findings, info, err := foundation.List[Finding](tx, findingKeys, []string{recordType, recordID}, pageSize, bookmark)
	if err != nil {
		return nil, err
	}
	return &FindingPage{Findings: findings, PageInfo: info}, nil
}
