package evidence

import (
	"fmt"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/govshare/govshare/chaincode/foundation"
)

// NotariseEvidence records a notary's attestation of an evidence item.
//
// Access: role "notary" of NotaryOfficeMSP.
// Request: NotariseRequest {"evidenceId", "statement"}.
// Reads: evd.locator/evidenceId and the item.
// Rules: the item exists (ErrNotFound) and has fewer than MaxNotarisations
// attestations (ErrConflict). The case may be in any status: attesting
// evidence already on the ledger adds nothing to the case.
// Writes: evd.notarisation/evidenceId/<next sequence> (the digest attested,
// the statement, the notary from the certificate, the transaction time)
// with the evidence key-level endorsement policy; the item with its
// notarisation count.
// Event: EvidenceNotarised.
func (c *Contract) NotariseEvidence(ctx contractapi.TransactionContextInterface, request string) (*Notarisation, error) {
	var req NotariseRequest
	tx, err := foundation.BeginRequest(ctx, foundation.Allow("NotariseEvidence", notaries()), request, &req)
	if err != nil {
		return nil, err
	}
	e, key, err := findEvidence(tx, req.EvidenceID)
	if err != nil {
		return nil, err
	}
	n, err := appendEntry(tx, e, key, notarisationKeys, &e.Notarisations, MaxNotarisations, "notarisations", func(sequence int) *Notarisation {
		return &Notarisation{
			EvidenceID:    e.EvidenceID,
			Sequence:      sequence,
			ContentSHA256: e.ContentSHA256,
			Statement:     req.Statement,
			Notary:        tx.Caller,
			NotarisedAt:   tx.Time,
		}
	})
	if err != nil {
		return nil, err
	}
	return n, tx.Emit(EventEvidenceNotarised)
}

// RecordCustodyEvent appends a handling event to an evidence item's chain
// of custody: received, examined, transferred or returned, by whom (from
// the certificate) and when (the transaction time).
//
// Access: role "clerk" of InternetCourtMSP or role "notary" of
// NotaryOfficeMSP.
// Request: CustodyEventRequest {"evidenceId", "action", "counterparty",
// "note"}; counterparty is required for "transferred".
// Reads: evd.locator/evidenceId and the item.
// Rules: the item exists (ErrNotFound) and its chain has fewer than
// MaxCustodyEvents events (ErrConflict). Handling goes on after a case is
// closed (evidence is returned, for one).
// Writes: evd.custody/evidenceId/<next sequence> with the evidence
// key-level endorsement policy; the item with its chain length. Two
// concurrent events on one item conflict at validation and one must be
// resubmitted, so the chain has one order.
// Event: CustodyEventRecorded.
func (c *Contract) RecordCustodyEvent(ctx contractapi.TransactionContextInterface, request string) (*CustodyEvent, error) {
	var req CustodyEventRequest
	tx, err := foundation.BeginRequest(ctx, foundation.Allow("RecordCustodyEvent", clerks(), notaries()), request, &req)
	if err != nil {
		return nil, err
	}
	e, key, err := findEvidence(tx, req.EvidenceID)
	if err != nil {
		return nil, err
	}
	event, err := appendEntry(tx, e, key, custodyKeys, &e.CustodyEvents, MaxCustodyEvents, "custody events", func(sequence int) *CustodyEvent {
		return &CustodyEvent{
			EvidenceID:   e.EvidenceID,
			Sequence:     sequence,
			Action:       req.Action,
			Counterparty: req.Counterparty,
			Note:         req.Note,
			Actor:        tx.Caller,
			At:           tx.Time,
		}
	})
	if err != nil {
		return nil, err
	}
	return event, tx.Emit(EventCustodyEventRecorded)
}

// appendEntry appends an entry to one of an evidence item's ordered lists
// (notarisations, custody events, access log). It takes the next sequence
// number from *count, refusing with ErrConflict when the list has limit
// entries, writes the entry built for that number under
// kt/evidenceId/sequence with the evidence key-level endorsement policy,
// and writes the item with the new count.
func appendEntry[T any](tx *foundation.Tx, e *Evidence, evidenceKey foundation.Key, kt foundation.KeyType, count *int, limit int, list string, build func(sequence int) *T) (*T, error) {
	if *count >= limit {
		return nil, foundation.Conflict("evidence", e.EvidenceID, fmt.Sprintf("has %d %s, the limit", *count, list))
	}
	*count++
	entry := build(*count)
	key, err := kt.Key(e.EvidenceID, sequenceAttribute(*count))
	if err != nil {
		return nil, err
	}
	if err := create(tx, key, entry); err != nil {
		return nil, err
	}
	if err := tx.Put(evidenceKey, e); err != nil {
		return nil, err
	}
	return entry, nil
}

// GetNotarisations returns every attestation of an evidence item, in the
// order they were recorded.
//
// Access: any identity of the judicial-evidence channel's members.
// Reads: the item and the range evd.notarisation/evidenceId/... (at most
// MaxNotarisations entries).
func (c *Contract) GetNotarisations(ctx contractapi.TransactionContextInterface, evidenceID string) (*NotarisationList, error) {
	tx, err := foundation.Begin(ctx, foundation.Allow("GetNotarisations", channelMembers()))
	if err != nil {
		return nil, err
	}
	if err := evidenceArguments(evidenceID); err != nil {
		return nil, err
	}
	if _, _, err := findEvidence(tx, evidenceID); err != nil {
		return nil, err
	}
	list, err := foundation.ScanAll[Notarisation](tx, notarisationKeys, []string{evidenceID})
	if err != nil {
		return nil, err
	}
	return &NotarisationList{EvidenceID: evidenceID, Notarisations: list}, nil
}

// GetCustodyChain returns an evidence item's whole chain of custody, read
// from the ledger in order.
//
// Access: any identity of the judicial-evidence channel's members.
// Reads: the item and the range evd.custody/evidenceId/... (at most
// MaxCustodyEvents entries).
func (c *Contract) GetCustodyChain(ctx contractapi.TransactionContextInterface, evidenceID string) (*CustodyChain, error) {
	tx, err := foundation.Begin(ctx, foundation.Allow("GetCustodyChain", channelMembers()))
	if err != nil {
		return nil, err
	}
	if err := evidenceArguments(evidenceID); err != nil {
		return nil, err
	}
	if _, _, err := findEvidence(tx, evidenceID); err != nil {
		return nil, err
	}
	events, err := foundation.ScanAll[CustodyEvent](tx, custodyKeys, []string{evidenceID})
	if err != nil {
		return nil, err
	}
	return &CustodyChain{EvidenceID: evidenceID, Events: events}, nil
}
