// Package finance is the finance-ledger contract, deployed as chaincode
// "finance" on channel finance-ledger: budgets, allocations and spending
// that every member can follow from the budget line to the payee and
// nobody can quietly change.
//
// # Who does what
//
//   - The finance bureau (FinanceBureauMSP, role "budget-officer") records
//     appropriations, the budget lines of a fiscal year (Appropriate), and
//     allocates parts of them to spending agencies (Allocate).
//   - The spending agencies (EduMinistryMSP and InternetCourtMSP, role
//     "accountant") record payments against their own allocations, and
//     nobody else's: one at a time (Disburse) or as a payment run of up to
//     MaxRunPayments in one transaction, all or none (DisburseRun). An
//     agency that pays many at once from one allocation splits it into
//     tranches (SplitAllocation), so that concurrent payments against it
//     do not invalidate each other.
//   - The audit office (AuditOfficeMSP, role "auditor") attaches findings to
//     any record (RecordFinding) and must approve every reversal. Its peers
//     also endorse every write: the chaincode-level endorsement policy is
//     AND('AuditOfficeMSP.peer', OR('FinanceBureauMSP.peer',
//     'EduMinistryMSP.peer', 'InternetCourtMSP.peer')).
//   - Every identity of the channel's five members, OversightMSP included
//     (whose inspectors only read), reads everything: the Trace functions,
//     ListAppropriations, GetSpendingSummary, GetRecordHistory, GetReversal,
//     ListReversals and ListFindings.
//
// Each function's comment states its access rule, request, reads, rules,
// writes and event; its first statement declares the same access rule in
// code (foundation.Begin with foundation.Allow). The caller's organisation
// and role always come from its certificate.
//
// # Money
//
// Amounts are int64 counts of the currency's minor unit (cents for EUR,
// yen for JPY), positive and at most MaxAmount in requests, with an ISO
// 4217 currency code. No floating point is used anywhere: shares are
// ratios of integers with their value in basis points, rounded down. An
// allocation is in its appropriation's currency and a disbursement in its
// allocation's; totals of different currencies are never added.
//
// # Invariants
//
// Checked by the contract on every endorsing peer, each against the
// running totals it changes (see the key schema in keys.go):
//
//   - the allocations of an appropriation never exceed it;
//   - the disbursements against an allocation never exceed it, whether
//     recorded one by one, in runs, or drawn from its tranches (see
//     tranches.go for why the rule stays exact under concurrent payments);
//   - amounts are positive and currencies match;
//   - an agency spends only its own allocations.
//
// # Payment runs and tranches
//
// A payment run (DisburseRun) checks every rule of Disburse for each of
// its payments and the balance of each allocation once for the whole run,
// and records every payment as an ordinary disbursement (the same
// fin.disbursement entry and fin.payment locator Disburse writes), or
// refuses the run, naming the payment by its place and ID and the rule it
// breaks. A split allocation (SplitAllocation) keeps what is left of it in
// up to MaxTranches tranches, each a key of its own; a payment draws from
// the tranche its ID hashes to. Traces, summaries and histories add the
// tranches' spending to the allocation's: its totals are exact whatever
// its layout.
//
// # Corrections without editing
//
// Entries are written once and never updated or deleted. A wrong entry is
// corrected by a reversal, in three recorded steps:
//
//  1. ProposeReversal, by the entry's owner (the finance bureau for
//     appropriations and allocations, the agency for its disbursements),
//     writes the proposal.
//  2. ApproveReversal, once per organisation, writes an approval. A
//     reversal needs a majority of the channel's five organisations (three)
//     and the audit office among them. The owner's organisation may
//     approve too; proposing alone does not count.
//  3. ExecuteReversal, by the owner, writes the reversal entry
//     (ReversalEntry), which references the original and takes back its
//     whole amount, and adjusts the running totals. An allocation can be
//     reversed only after its disbursements, an appropriation only after
//     its allocations.
//
// A reversal is not itself reversible, and an entry is reversed at most
// once.
//
// # Requests
//
// Every write function takes one argument, a JSON object decoded strictly
// (unknown, duplicate or mistyped fields are refused): AppropriateRequest,
// AllocateRequest, DisburseRequest, DisburseRunRequest,
// SplitAllocationRequest, ProposeReversalRequest, ApproveReversalRequest,
// ExecuteReversalRequest, RecordFindingRequest.
// Errors wrap the foundation's sentinels (ErrAccessDenied,
// ErrInvalidInput, ErrNotFound, ErrAlreadyExists, ErrConflict) and never
// echo input values.
//
// # Events
//
// Each write emits one chaincode event (see the Event constants) whose
// payload is a foundation.Event naming every key written; the values are in
// the transaction's write set.
package finance
