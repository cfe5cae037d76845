package sqlstore_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/education"
	"github.com/govshare/govshare/chaincode/evidence"
	"github.com/govshare/govshare/chaincode/finance"
	"github.com/govshare/govshare/portal/internal/fixture"
	"github.com/govshare/govshare/portal/readmodel"
	"github.com/govshare/govshare/portal/store"
	"github.com/govshare/govshare/portal/store/postgres"
	"github.com/govshare/govshare/portal/store/postgres/pgtest"
	"github.com/govshare/govshare/portal/store/sqlite"
	"github.com/govshare/govshare/portal/store/sqlstore"
)

// pg is the PostgreSQL server of this package's tests, nil when the
// machine has no PostgreSQL programs.
var pg *pgtest.Server

func TestMain(m *testing.M) {
	var err error
	pg, err = pgtest.Start(context.Background())
	if err != nil {
		fmt.Fprintf(os.Stderr, "\n*** PostgreSQL TESTS WILL BE SKIPPED: %v ***\n\n", err)
		pg = nil
	}
	code := m.Run()
	if pg != nil {
		if err := pg.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "stop PostgreSQL:", err)
			code = 1
		}
	}
	os.Exit(code)
}

// dialect opens stores of one database kind; reopen opens the same
// database again, as a restarted portal does.
type dialect struct {
	name string
	open func(t *testing.T) (s *sqlstore.Store, reopen func() *sqlstore.Store)
}

func dialects() []dialect {
	return []dialect{
		{"sqlite", func(t *testing.T) (*sqlstore.Store, func() *sqlstore.Store) {
			path := filepath.Join(t.TempDir(), "portal.db")
			open := func() *sqlstore.Store {
				s, err := sqlite.Open(context.Background(), path)
				require.NoError(t, err)
				t.Cleanup(func() { s.Close() })
				return s
			}
			return open(), open
		}},
		{"postgres", func(t *testing.T) (*sqlstore.Store, func() *sqlstore.Store) {
			if pg == nil {
				t.Skip("*** SKIPPED: no PostgreSQL programs on this machine (apt-get install postgresql) ***")
			}
			dsn, err := pg.NewDatabase(context.Background())
			require.NoError(t, err)
			open := func() *sqlstore.Store {
				s, err := postgres.Open(context.Background(), dsn)
				require.NoError(t, err)
				t.Cleanup(func() { s.Close() })
				return s
			}
			return open(), open
		}},
	}
}

// forEach runs test against a new store of every dialect.
func forEach(t *testing.T, test func(t *testing.T, s *sqlstore.Store, reopen func() *sqlstore.Store)) {
	for _, d := range dialects() {
		t.Run(d.name, func(t *testing.T) {
			s, reopen := d.open(t)
			test(t, s, reopen)
		})
	}
}

// ingest applies every block of the scenario.
func ingest(t *testing.T, s store.Ingester, sc *fixture.Scenario) {
	t.Helper()
	for _, b := range sc.All() {
		require.NoError(t, s.Apply(context.Background(), readmodel.Project(b)))
	}
}

func TestTheStoreAnswersEveryPublicQuestion(t *testing.T) {
	sc := fixture.New(t)
	forEach(t, func(t *testing.T, s *sqlstore.Store, _ func() *sqlstore.Store) {
		ctx := context.Background()
		ingest(t, s, sc)

		years, err := s.FiscalYears(ctx)
		require.NoError(t, err)
		assert.Equal(t, []int{2026}, years)

		sum, err := s.SpendingSummary(ctx, 2026)
		require.NoError(t, err)
		require.Len(t, sum.Totals, 1)
		assert.Equal(t, finance.CurrencyTotals{Currency: "CNY", Appropriated: "125000000", Allocated: "40000000", Spent: "15000000",
			Executed: finance.TotalShare{Numerator: "15000000", Denominator: "125000000", BasisPoints: 1200}}, sum.Totals[0],
			"one of the two payments was reversed")
		assert.Equal(t, []finance.AgencySpending{{Agency: consortium.EduMinistryMSP, Currency: "CNY", Allocated: "40000000", Spent: "15000000",
			Remaining: "25000000", Executed: finance.TotalShare{Numerator: "15000000", Denominator: "40000000", BasisPoints: 3750}}}, sum.ByAgency)
		assert.Len(t, sum.ByClassification, 3, "one code in each scheme")

		lines, err := s.Appropriations(ctx, store.AppropriationFilter{Year: 2026, Functional: "09"})
		require.NoError(t, err)
		require.Len(t, lines, 1)
		assert.Equal(t, sc.Budget, lines[0].Appropriation.AppropriationID)
		assert.Equal(t, int64(150_000_00), lines[0].Spent)
		none, err := s.Appropriations(ctx, store.AppropriationFilter{Year: 2026, Functional: "07"})
		require.NoError(t, err)
		assert.Empty(t, none)

		approp, err := s.Appropriation(ctx, sc.Budget)
		require.NoError(t, err)
		require.Len(t, approp.Allocations, 1)
		assert.Equal(t, int64(150_000_00), approp.Allocations[0].Balance.Spent)

		alloc, err := s.Allocation(ctx, sc.Allocation, store.Page{Limit: 1})
		require.NoError(t, err)
		require.Len(t, alloc.Disbursements, 1)
		assert.Equal(t, sc.Kept, alloc.Disbursements[0].Disbursement.DisbursementID)
		assert.Equal(t, sc.Kept, alloc.Next, "a full page has a next one")
		alloc, err = s.Allocation(ctx, sc.Allocation, store.Page{Limit: 1, After: alloc.Next})
		require.NoError(t, err)
		require.Len(t, alloc.Disbursements, 1)
		assert.Equal(t, sc.Disbursement, alloc.Disbursements[0].Disbursement.DisbursementID)
		assert.NotNil(t, alloc.Disbursements[0].Reversal, "the reversed payment shows its reversal")

		trace, err := s.Disbursement(ctx, sc.Disbursement)
		require.NoError(t, err)
		assert.Equal(t, sc.Allocation, trace.Allocation.Allocation.AllocationID)
		assert.Equal(t, sc.Budget, trace.Appropriation.Appropriation.AppropriationID, "a payment leads up to its budget line")
		require.Len(t, trace.Reversals, 1)
		assert.Len(t, trace.Reversals[0].Approvals, 3)
		require.NotNil(t, trace.Reversals[0].Execution)
		assert.Len(t, trace.Reversals[0].Execution.ApprovedBy, 3)
		_, err = s.Disbursement(ctx, sc.Invalid)
		assert.ErrorIs(t, err, store.ErrNotFound, "the invalid transaction's payment is not a payment")

		payees, next, err := s.Payees(ctx, store.Page{})
		require.NoError(t, err)
		assert.Empty(t, next)
		assert.Equal(t, []store.Payee{{RegistrationNumber: "91110108MA01HX2026", Name: "Huaxia Textbook Publishing Co.", Currency: "CNY",
			Disbursements: 2, Amount: 300_000_00, Reversed: 150_000_00}}, payees)

		byPayee, _, err := s.Disbursements(ctx, store.DisbursementFilter{PayeeReg: "91110108MA01HX2026", Year: 2026}, store.Page{})
		require.NoError(t, err)
		assert.Len(t, byPayee, 2)

		revs, _, err := s.Reversals(ctx, store.Page{})
		require.NoError(t, err)
		require.Len(t, revs, 1)
		assert.Equal(t, "paid twice", revs[0].Reversal.Reason)

		v, err := s.Verify(ctx, sc.DiplomaHash)
		require.NoError(t, err)
		assert.True(t, v.Found())
		require.Len(t, v.Diplomas, 1)
		assert.Equal(t, education.StatusActive, v.Diplomas[0].Value.Status)
		assert.Positive(t, v.Diplomas[0].At.Block, "with its block")
		assert.NotEmpty(t, v.Diplomas[0].At.TxID, "and transaction")
		edited := append([]byte{}, sc.Diploma...)
		edited[len(edited)-1] ^= 1
		v, err = s.Verify(ctx, digestOf(edited))
		require.NoError(t, err)
		assert.False(t, v.Found(), "an edited copy is not registered")
		v, err = s.Verify(ctx, sc.Invoice)
		require.NoError(t, err)
		assert.Len(t, v.Invoices, 1)
		v, err = s.Verify(ctx, digestOf(sc.Exhibit))
		require.NoError(t, err)
		assert.Len(t, v.Evidence, 1)

		cases, _, err := s.Cases(ctx, store.Page{})
		require.NoError(t, err)
		require.Len(t, cases, 1)
		assert.Equal(t, 1, cases[0].Evidence)
		c, err := s.Case(ctx, sc.CaseID)
		require.NoError(t, err)
		assert.Len(t, c.Evidence, 1)
		ev, err := s.Evidence(ctx, sc.EvidenceID)
		require.NoError(t, err)
		assert.Len(t, ev.Notarisations, 1)
		require.Len(t, ev.Custody, 1)
		assert.Equal(t, evidence.CustodyReceived, ev.Custody[0].Value.Action)
		assert.Equal(t, 1, ev.Evidence.Value.AccessLogEntries, "the latest version of the record")

		resources, _, err := s.Resources(ctx, store.Page{})
		require.NoError(t, err)
		assert.Len(t, resources, 1)
		accreditations, err := s.Accreditations(ctx)
		require.NoError(t, err)
		assert.Len(t, accreditations, 2)

		_, err = s.Case(ctx, "no such case")
		assert.ErrorIs(t, err, store.ErrNotFound)

		overview, err := s.Overview(ctx)
		require.NoError(t, err)
		assert.Contains(t, overview.Counts, store.Count{Kind: "disbursements", N: 2}, "the kept count of payments")
		all, err := s.Counts(ctx)
		require.NoError(t, err)
		assert.Contains(t, all, store.Count{Kind: "disbursements", N: 2}, "the counted one agrees")
	})
}

func TestTheStoreAnswersTheExplorer(t *testing.T) {
	sc := fixture.New(t)
	forEach(t, func(t *testing.T, s *sqlstore.Store, _ func() *sqlstore.Store) {
		ctx := context.Background()
		ingest(t, s, sc)

		channels, err := s.Channels(ctx)
		require.NoError(t, err)
		require.Len(t, channels, 3)
		for _, ch := range channels {
			blocks := sc.Blocks[ch.Channel]
			assert.Equal(t, uint64(len(blocks)), ch.NextBlock, "the checkpoint of %s", ch.Channel)
			assert.Equal(t, blocks[len(blocks)-1].Hash, ch.LastHash)
		}

		fin := sc.Blocks[consortium.FinanceChannel]
		listed, err := s.Blocks(ctx, consortium.FinanceChannel, 0, 3)
		require.NoError(t, err)
		require.Len(t, listed, 3)
		assert.Equal(t, uint64(len(fin)-1), listed[0].Number, "newest first")
		older, err := s.Blocks(ctx, consortium.FinanceChannel, listed[2].Number, 100)
		require.NoError(t, err)
		assert.Len(t, older, len(fin)-3)

		var invalid *store.BlockDetail
		for _, b := range fin {
			if !b.Transactions[0].Valid {
				invalid, err = s.Block(ctx, consortium.FinanceChannel, b.Number)
				require.NoError(t, err)
			}
		}
		require.NotNil(t, invalid)
		require.Len(t, invalid.Transactions, 1)
		assert.Equal(t, "MVCC_READ_CONFLICT", invalid.Transactions[0].ValidationCode)

		edu := sc.Blocks[consortium.EducationChannel][2].Transactions[0]
		tx, err := s.Transaction(ctx, consortium.EducationChannel, edu.TransactionID)
		require.NoError(t, err)
		assert.Equal(t, "RecordCredit", tx.Transaction.Function)
		assert.Equal(t, consortium.RoleRegistrar, tx.Transaction.CreatorRole)
		assert.Len(t, tx.Transaction.Endorsers, 2)
		require.Len(t, tx.Writes, len(edu.Writes))
		for i, w := range tx.Writes {
			assert.Equal(t, edu.Writes[i].Value, w.Value, "write %d keeps its value byte for byte", i)
			assert.Equal(t, edu.Writes[i].Attributes, w.Attributes)
			assert.Equal(t, edu.Writes[i].KeyHash, w.KeyHash)
		}
		require.NotNil(t, tx.Event)
		assert.Equal(t, education.EventCreditRecorded, tx.Event.Name)

		feed, err := s.Feed(ctx, -1, 5)
		require.NoError(t, err)
		require.Len(t, feed, 5)
		assert.Equal(t, int64(sc.Transactions()), feed[4].Seq, "the newest last")
		after, err := s.Feed(ctx, feed[2].Seq, 100)
		require.NoError(t, err)
		assert.Equal(t, feed[3:], after)

		policies, _, err := s.KeyPolicies(ctx, store.Page{})
		require.NoError(t, err)
		assert.NotEmpty(t, policies)
		for _, p := range policies {
			assert.True(t, p.PolicyWrite)
			assert.NotEmpty(t, p.Endorsers)
		}

		transcript, err := s.Transcript(ctx, sc.StudentRef)
		require.NoError(t, err)
		assert.Len(t, transcript.Credits, 2)
		assert.Len(t, transcript.Recognitions, 1)
		assert.Len(t, transcript.Diplomas, 1)

		log, _, err := s.AccessLog(ctx, store.Page{})
		require.NoError(t, err)
		assert.Len(t, log, 1)
		requests, _, err := s.AccessRequests(ctx, store.Page{})
		require.NoError(t, err)
		require.Len(t, requests, 1)
		assert.Equal(t, evidence.AccessGranted, requests[0].Value.Status)
	})
}

func TestApplyRefusesGapsAndRepeatsAndResumesAfterAReopen(t *testing.T) {
	sc := fixture.New(t)
	forEach(t, func(t *testing.T, s *sqlstore.Store, reopen func() *sqlstore.Store) {
		ctx := context.Background()
		blocks := sc.Blocks[consortium.FinanceChannel]
		half := len(blocks) / 2
		for _, b := range blocks[:half] {
			require.NoError(t, s.Apply(ctx, readmodel.Project(b)))
		}
		before, err := s.Counts(ctx)
		require.NoError(t, err)

		err = s.Apply(ctx, readmodel.Project(blocks[half-1]))
		assert.ErrorIs(t, err, store.ErrOutOfOrder, "a block applied again")
		err = s.Apply(ctx, readmodel.Project(blocks[half+1]))
		assert.ErrorIs(t, err, store.ErrOutOfOrder, "a block after a gap")
		after, err := s.Counts(ctx)
		require.NoError(t, err)
		assert.Equal(t, before, after, "a refused block writes nothing")

		s.Close()
		s = reopen()
		next, err := s.NextBlock(ctx, consortium.FinanceChannel)
		require.NoError(t, err)
		assert.Equal(t, uint64(half), next, "the checkpoint survives a restart")
		for _, b := range blocks[next:] {
			require.NoError(t, s.Apply(ctx, readmodel.Project(b)))
		}
		feed, err := s.Feed(ctx, 0, 1000)
		require.NoError(t, err)
		assert.Len(t, feed, len(blocks), "every transaction once, none twice")
		for i, f := range feed {
			assert.Equal(t, int64(i+1), f.Seq)
		}
	})
}

func TestNothingPrivateReachesTheDatabase(t *testing.T) {
	sc := fixture.New(t)
	require.NotEmpty(t, sc.Personal)
	forEach(t, func(t *testing.T, s *sqlstore.Store, _ func() *sqlstore.Store) {
		ingest(t, s, sc)
		matches, cells, err := s.Find(context.Background(), sc.Personal)
		require.NoError(t, err)
		assert.Empty(t, matches, "private values in the database")
		assert.Greater(t, cells, 1000, "the scan read the whole database")

		found, _, err := s.Find(context.Background(), []string{sc.DiplomaHash, "Huaxia Textbook Publishing Co."})
		require.NoError(t, err)
		assert.NotEmpty(t, found, "the scan finds what is there")
	})
}

func digestOf(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}
