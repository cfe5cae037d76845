package store

import (
	"context"
	"errors"
	"time"

	"github.com/govshare/govshare/chaincode/education"
	"github.com/govshare/govshare/chaincode/evidence"
	"github.com/govshare/govshare/chaincode/finance"
	"github.com/govshare/govshare/portal/readmodel"
)

// ErrNotFound is returned (wrapped) for a record the read model does not
// hold.
var ErrNotFound = errors.New("not found")

// ErrOutOfOrder is returned (wrapped) by Apply for a block that is not the
// next one of its channel: applying it would leave a gap or repeat a block.
var ErrOutOfOrder = errors.New("block out of order")

// Ingester writes the read model. Apply writes a block's batch and moves
// its channel's checkpoint to the next block in one transaction, so that a
// portal killed at any moment resumes at NextBlock with no gap and no
// duplicate.
type Ingester interface {
	// NextBlock returns the number of the next block to apply on channel,
	// 0 for a channel never seen.
	NextBlock(ctx context.Context, channel string) (uint64, error)
	// Apply records a batch. It refuses, with ErrOutOfOrder and nothing
	// written, a block other than its channel's next one.
	Apply(ctx context.Context, batch *readmodel.Batch) error
}

// Store is a read model: written by one ingester, read by many handlers.
type Store interface {
	Ingester
	Queries
	Close() error
}

// Queries are the questions the portal's pages and APIs ask.
type Queries interface {
	PublicQueries
	OversightQueries
}

// PublicQueries answer the public pages: nothing in their answers is
// private, and nothing names the certificates of the civil servants who
// signed.
type PublicQueries interface {
	// Overview is the channels' checkpoints and counts of the main kinds
	// of record.
	Overview(ctx context.Context) (*Overview, error)

	// FiscalYears lists the years with appropriations, newest first.
	FiscalYears(ctx context.Context) ([]int, error)
	// SpendingSummary totals a fiscal year by currency, agency and
	// classification code, as the finance contract's GetSpendingSummary.
	SpendingSummary(ctx context.Context, year int) (*finance.SpendingSummary, error)
	// Appropriations lists a year's budget lines, optionally of one
	// functional (COFOG) code prefix, in ID order.
	Appropriations(ctx context.Context, f AppropriationFilter) ([]AppropriationLine, error)
	// Appropriation is one budget line with its allocations.
	Appropriation(ctx context.Context, id string) (*AppropriationDetail, error)
	// Allocation is one allocation with its budget line above it and one
	// page of its payments.
	Allocation(ctx context.Context, id string, page Page) (*AllocationDetail, error)
	// Disbursement follows one payment up to its budget line.
	Disbursement(ctx context.Context, id string) (*DisbursementTrace, error)
	// Disbursements lists payments by filter, in ID order.
	Disbursements(ctx context.Context, f DisbursementFilter, page Page) ([]DisbursementLine, string, error)
	// Payees lists payees by the amount paid to them, largest first.
	Payees(ctx context.Context, page Page) ([]Payee, string, error)
	// Reversals lists reversal proposals with their approvals, newest
	// first.
	Reversals(ctx context.Context, page Page) ([]ReversalStatus, string, error)

	// Verify finds everything the ledger registered under a SHA-256
	// digest: diplomas, invoices, evidence and learning resources.
	Verify(ctx context.Context, sha256Hex string) (*Verification, error)

	// Cases lists court cases, newest first.
	Cases(ctx context.Context, page Page) ([]CaseLine, string, error)
	// Case is one case with its evidence.
	Case(ctx context.Context, id string) (*CaseDetail, error)
	// Evidence is one evidence item with its notarisations and custody
	// chain.
	Evidence(ctx context.Context, id string) (*EvidenceDetail, error)
	// Resources lists learning resources, newest first.
	Resources(ctx context.Context, page Page) ([]readmodel.Record[education.LearningResource], string, error)
	// Accreditations lists the universities' accreditations.
	Accreditations(ctx context.Context) ([]readmodel.Record[education.Accreditation], error)
}

// OversightQueries answer the oversight explorer.
type OversightQueries interface {
	// Channels returns every channel's checkpoint and counts.
	Channels(ctx context.Context) ([]ChannelState, error)
	// Blocks lists a channel's blocks, newest first, from before (exclusive;
	// 0 for the newest).
	Blocks(ctx context.Context, channel string, before uint64, limit int) ([]readmodel.Block, error)
	// Block is one block with its transactions.
	Block(ctx context.Context, channel string, number uint64) (*BlockDetail, error)
	// Transaction is one transaction with its write set and event.
	Transaction(ctx context.Context, channel, txID string) (*TransactionDetail, error)
	// Feed lists transactions across channels in the order the read model
	// recorded them: those after seq, oldest first, or with after < 0 the
	// newest limit ones, oldest first.
	Feed(ctx context.Context, after int64, limit int) ([]FeedItem, error)
	// KeyPolicies lists the key-level endorsement policies set, newest
	// first.
	KeyPolicies(ctx context.Context, page Page) ([]readmodel.Write, string, error)
	// Transcript is every credit and recognition of a student reference.
	Transcript(ctx context.Context, studentRef string) (*Transcript, error)
	// AccessLog lists openings of sealed evidence, newest first.
	AccessLog(ctx context.Context, page Page) ([]readmodel.Record[evidence.AccessLogEntry], string, error)
	// AccessRequests lists access requests, newest first.
	AccessRequests(ctx context.Context, page Page) ([]readmodel.Record[evidence.AccessRequest], string, error)
	// Counts returns the number of rows of each kind, for reconciliation.
	Counts(ctx context.Context) ([]Count, error)
}

// Page asks for one page of a listing: at most Limit rows after the cursor
// After, which the previous page returned ("" for the first page).
type Page struct {
	Limit int
	After string
}

// DefaultLimit and MaxLimit bound a page.
const (
	DefaultLimit = 50
	MaxLimit     = 1000
)

// Size returns the page's limit within bounds.
func (p Page) Size() int {
	switch {
	case p.Limit <= 0:
		return DefaultLimit
	case p.Limit > MaxLimit:
		return MaxLimit
	default:
		return p.Limit
	}
}

// ChannelState is how far the read model has followed a channel.
type ChannelState struct {
	Channel string `json:"channel"`
	// NextBlock is the checkpoint: the height the read model has reached.
	NextBlock    uint64    `json:"nextBlock"`
	LastHash     string    `json:"lastBlockHash"`
	Transactions int64     `json:"transactions"`
	Valid        int64     `json:"validTransactions"`
	UpdatedAt    time.Time `json:"updatedAt"`
}

// Count is the number of rows of one kind.
type Count struct {
	Kind string `json:"kind"`
	N    int64  `json:"n"`
}

// Overview is what the read model holds.
type Overview struct {
	Channels []ChannelState `json:"channels"`
	Counts   []Count        `json:"counts"`
	Years    []int          `json:"fiscalYears"`
}

// AppropriationFilter selects budget lines.
type AppropriationFilter struct {
	Year int
	// Functional is a COFOG code or prefix ("09", "09.1").
	Functional string
}

// AppropriationLine is a budget line, its running totals and what its
// allocations spent.
type AppropriationLine struct {
	Appropriation finance.Appropriation        `json:"appropriation"`
	Balance       finance.AppropriationBalance `json:"balance"`
	Spent         int64                        `json:"spent"`
	At            readmodel.Position           `json:"recorded"`
}

// AllocationLine is an allocation and its running totals.
type AllocationLine struct {
	Allocation finance.Allocation        `json:"allocation"`
	Balance    finance.AllocationBalance `json:"balance"`
	At         readmodel.Position        `json:"recorded"`
}

// DisbursementLine is a payment and its reversal, if reversed.
type DisbursementLine struct {
	Disbursement finance.Disbursement   `json:"disbursement"`
	Reversal     *finance.ReversalEntry `json:"reversal,omitempty"`
	At           readmodel.Position     `json:"recorded"`
}

// AppropriationDetail is a budget line with its allocations.
type AppropriationDetail struct {
	AppropriationLine
	Reversal    *finance.ReversalEntry `json:"reversal,omitempty"`
	Allocations []AllocationLine       `json:"allocations"`
}

// AllocationDetail is an allocation, its budget line and a page of its
// payments.
type AllocationDetail struct {
	Appropriation AppropriationLine      `json:"appropriation"`
	Allocation    AllocationLine         `json:"allocation"`
	Reversal      *finance.ReversalEntry `json:"reversal,omitempty"`
	Disbursements []DisbursementLine     `json:"disbursements"`
	Next          string                 `json:"next,omitempty"`
}

// DisbursementTrace follows a payment up to its budget line, with the
// reversals proposed for it.
type DisbursementTrace struct {
	Disbursement  DisbursementLine  `json:"disbursement"`
	Allocation    AllocationLine    `json:"allocation"`
	Appropriation AppropriationLine `json:"appropriation"`
	Reversals     []ReversalStatus  `json:"reversals"`
}

// ReversalStatus is a reversal proposal, its approvals and its execution.
type ReversalStatus struct {
	Reversal  finance.Reversal       `json:"reversal"`
	Approvals []finance.Approval     `json:"approvals"`
	Execution *finance.ReversalEntry `json:"execution,omitempty"`
	At        readmodel.Position     `json:"proposed"`
}

// Payee is what was paid to one payee in one currency.
type Payee struct {
	RegistrationNumber string `json:"registrationNumber"`
	Name               string `json:"name"`
	Currency           string `json:"currency"`
	Disbursements      int64  `json:"disbursements"`
	// Amount is the sum of the payments, Reversed the part of it taken
	// back by executed reversals.
	Amount   int64 `json:"amount"`
	Reversed int64 `json:"reversed"`
}

// DisbursementFilter selects payments; zero fields select all.
type DisbursementFilter struct {
	Year         int
	Agency       string
	PayeeReg     string
	AllocationID string
}

// Verification is what the ledger registered under one digest.
type Verification struct {
	SHA256    string                                         `json:"sha256"`
	Diplomas  []readmodel.Record[education.Diploma]          `json:"diplomas"`
	Invoices  []DisbursementLine                             `json:"invoices"`
	Evidence  []readmodel.Record[evidence.Evidence]          `json:"evidence"`
	Resources []readmodel.Record[education.LearningResource] `json:"resources"`
	Revoked   []readmodel.Record[readmodel.Revocation]       `json:"revocations"`
}

// Found reports whether anything is registered under the digest.
func (v *Verification) Found() bool {
	return len(v.Diplomas)+len(v.Invoices)+len(v.Evidence)+len(v.Resources) > 0
}

// CaseLine is a case in a listing.
type CaseLine struct {
	Case     evidence.Case      `json:"case"`
	Evidence int                `json:"evidence"`
	At       readmodel.Position `json:"opened"`
}

// CaseDetail is a case with its evidence.
type CaseDetail struct {
	Case     readmodel.Record[evidence.Case]       `json:"case"`
	Evidence []readmodel.Record[evidence.Evidence] `json:"evidence"`
}

// EvidenceDetail is an evidence item with its attestations and custody
// chain, oldest first.
type EvidenceDetail struct {
	Evidence      readmodel.Record[evidence.Evidence]       `json:"evidence"`
	Case          evidence.Case                             `json:"case"`
	Notarisations []readmodel.Record[evidence.Notarisation] `json:"notarisations"`
	Custody       []readmodel.Record[evidence.CustodyEvent] `json:"custody"`
}

// BlockDetail is a block with its transactions.
type BlockDetail struct {
	Block        readmodel.Block         `json:"block"`
	Transactions []readmodel.Transaction `json:"transactions"`
}

// TransactionDetail is a transaction with its write set and event.
type TransactionDetail struct {
	Transaction readmodel.Transaction `json:"transaction"`
	Writes      []readmodel.Write     `json:"writes"`
	Event       *readmodel.Event      `json:"event,omitempty"`
}

// FeedItem is a transaction as the live feed shows it.
type FeedItem struct {
	Seq int64 `json:"seq"`
	readmodel.Transaction
}

// Transcript is a student reference's credits and recognitions.
type Transcript struct {
	StudentRef   string                                    `json:"studentRef"`
	Credits      []readmodel.Record[education.Credit]      `json:"credits"`
	Recognitions []readmodel.Record[education.Recognition] `json:"recognitions"`
	Diplomas     []readmodel.Record[education.Diploma]     `json:"diplomas"`
}
