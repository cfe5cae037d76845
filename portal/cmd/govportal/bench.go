package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"runtime/pprof"
	"slices"
	"syscall"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/spf13/cobra"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/finance"
	govclient "github.com/govshare/govshare/gateway-client"
	"github.com/govshare/govshare/portal/ingest"
	"github.com/govshare/govshare/portal/readmodel"
	"github.com/govshare/govshare/portal/store"
	"github.com/govshare/govshare/portal/store/sqlstore"
)

func jsonDecode(r io.Reader, v any) error { return json.NewDecoder(r).Decode(v) }

// The synthetic finance ledger of the measurements: budget lines,
// allocations and payees in these numbers, payments spread over them.
const (
	benchAppropriations = 200
	benchAllocations    = 2000
	benchPayees         = 20000
	benchBlockSize      = 100
	benchChannel        = consortium.FinanceChannel
)

func (a *app) generateCommand() *cobra.Command {
	var n int
	var profile string
	cmd := &cobra.Command{
		Use:   "generate",
		Short: "Fill a read model with a synthetic finance ledger (budget lines, allocations, payments) through the ingest path, and report the ingest rate",
		Long: `generate makes protobuf blocks of 100 transactions as a peer delivers them
(envelopes with X.509 creators and endorsers, read-write sets of the finance
contract's own record types, running totals and locators, events) and ingests
them exactly as the follower does: decode (govclient.DecodeBlock), project,
then one SQL transaction per block with its checkpoint. It reports
transactions per second of that path. It continues a ledger it generated
before, so it can grow a store in steps.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if profile != "" {
				f, err := os.Create(profile)
				if err != nil {
					return err
				}
				defer f.Close()
				if err := pprof.StartCPUProfile(f); err != nil {
					return err
				}
				defer pprof.StopCPUProfile()
			}
			return a.withStore(cmd.Context(), func(ctx context.Context, s *sqlstore.Store) error {
				return (&generator{s: s}).run(ctx, n, a.stdout)
			})
		},
	}
	a.storeFlags(cmd.Flags())
	cmd.Flags().IntVar(&n, "disbursements", 100_000, "payments to add")
	cmd.Flags().StringVar(&profile, "cpuprofile", "", "write a CPU profile of the run to this file")
	return cmd
}

// generator writes the synthetic ledger.
type generator struct {
	s     store.Ingester
	next  uint64 // next block
	txn   int    // transactions made
	clock time.Time
	spent map[string]int64
	enc   *encoder
	prev  []byte        // hash of the previous block
	busy  time.Duration // time spent decoding, projecting and applying
}

func (g *generator) run(ctx context.Context, n int, w io.Writer) error {
	var err error
	if g.next, err = g.s.NextBlock(ctx, benchChannel); err != nil {
		return err
	}
	g.clock = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(g.next) * time.Second)
	g.spent = map[string]int64{}
	g.enc = newEncoder()
	start, cpuStart := time.Now(), cpuTime()
	var txs []govclient.BlockTransaction
	flush := func() error {
		if len(txs) == 0 {
			return nil
		}
		b, err := g.enc.block(g.block(txs))
		if err != nil {
			return err
		}
		txs = nil
		b.Header.PreviousHash = g.prev
		g.prev = govclient.BlockHeaderHash(b.Header)
		t0 := time.Now()
		err = g.s.Apply(ctx, readmodel.Project(govclient.DecodeBlock(benchChannel, b)))
		g.busy += time.Since(t0)
		return err
	}
	if g.next == 0 { // the budget first
		for i := range benchAppropriations {
			txs = append(txs, g.appropriation(i))
			if len(txs) == benchBlockSize {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		for i := range benchAllocations {
			txs = append(txs, g.allocation(i))
			if len(txs) == benchBlockSize {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		if err := flush(); err != nil {
			return err
		}
	}
	// Payments are numbered from 0, after the budget's blocks.
	base := (int(g.next) - (benchAppropriations+benchAllocations)/benchBlockSize) * benchBlockSize
	for i := range n {
		txs = append(txs, g.disbursement(base+i))
		if len(txs) == benchBlockSize {
			if err := flush(); err != nil {
				return err
			}
		}
		if (i+1)%100_000 == 0 {
			fmt.Fprintf(w, "%d payments: %.0f transactions/s ingested\n", i+1, float64(g.txn)/g.busy.Seconds())
		}
	}
	if err := flush(); err != nil {
		return err
	}
	cpu := cpuTime() - cpuStart
	fmt.Fprintf(w, "ingested %d transactions in %d blocks: %s decoding, projecting and applying (%.0f transactions/s), %s in all with making the blocks; CPU %s (%.0f µs a transaction)\n",
		g.txn, (g.txn+benchBlockSize-1)/benchBlockSize, g.busy.Round(time.Millisecond), float64(g.txn)/g.busy.Seconds(), time.Since(start).Round(time.Millisecond),
		cpu.Round(time.Millisecond), float64(cpu.Microseconds())/float64(g.txn))
	return nil
}

func digestHex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func (g *generator) block(txs []govclient.BlockTransaction) *govclient.Block {
	n := g.next
	g.next++
	b := &govclient.Block{Channel: benchChannel, Number: n, Hash: digestHex(fmt.Sprint("block", n)), PreviousHash: digestHex(fmt.Sprint("block", n-1)),
		DataHash: digestHex(fmt.Sprint("data", n))}
	for i, tx := range txs {
		tx.Index, tx.BlockNumber, tx.Channel = i, n, benchChannel
		b.Transactions = append(b.Transactions, tx)
	}
	return b
}

// tx wraps writes into a valid transaction of the finance contract.
func (g *generator) tx(function, event, creator, role string, writes ...govclient.Write) govclient.BlockTransaction {
	g.txn++
	g.clock = g.clock.Add(10 * time.Millisecond)
	id := digestHex(fmt.Sprint("tx", g.txn, g.next))
	payload, _ := json.Marshal(map[string]any{"name": event, "function": function, "txId": id, "timestamp": g.clock})
	return govclient.BlockTransaction{
		Change: govclient.Change{TransactionID: id, Time: g.clock, Creator: creator, Type: "transaction", Chaincode: readmodel.FinanceChaincode,
			Function: function, Valid: true, Code: peer.TxValidationCode_VALID, Event: event, EventPayload: payload, Writes: writes},
		CreatorRole: role, ChaincodeVersion: "1", Size: 3500,
		Endorsers: []govclient.Endorser{{MSPID: consortium.AuditOfficeMSP, Name: "peer0"}, {MSPID: creator, Name: "peer0"}},
	}
}

func write(objectType string, value any, attributes ...string) govclient.Write {
	data, _ := json.Marshal(value)
	sum := sha256.Sum256(data)
	return govclient.Write{Namespace: readmodel.FinanceChaincode, ObjectType: objectType, Attributes: attributes, Value: data, ValueHash: hex.EncodeToString(sum[:])}
}

var cofog = []string{"01.1", "02.1", "03.1", "04.1", "05.1", "06.1", "07.1", "08.1", "09.1", "09.2", "09.4", "10.1"}
var agencies = []string{consortium.EduMinistryMSP, consortium.InternetCourtMSP, consortium.FinanceBureauMSP}

func appropriationOf(i int) finance.Appropriation {
	return finance.Appropriation{AppropriationID: fmt.Sprintf("BL-%04d", i), FiscalYear: 2024 + i%3, Title: fmt.Sprintf("Budget line %d", i),
		Classification: finance.Classification{Administrative: fmt.Sprintf("ADM-%02d", i%20), Functional: cofog[i%len(cofog)], Economic: fmt.Sprintf("22%02d", i%30)},
		Amount:         1_000_000_000_00, Currency: "CNY", Owner: consortium.FinanceBureauMSP}
}

func (g *generator) appropriation(i int) govclient.BlockTransaction {
	a := appropriationOf(i)
	a.RecordedAt = g.clock
	bal := finance.AppropriationBalance{AppropriationID: a.AppropriationID, FiscalYear: a.FiscalYear, Classification: a.Classification,
		Currency: a.Currency, Appropriated: a.Amount, Allocated: int64(benchAllocations/benchAppropriations) * 50_000_000_00}
	return g.tx("Appropriate", finance.EventAppropriationRecorded, consortium.FinanceBureauMSP, consortium.RoleBudgetOfficer,
		write("fin.appropriation", a, a.AppropriationID), write("fin.budget", bal, fmt.Sprint(a.FiscalYear), a.AppropriationID))
}

func allocationOf(i int) finance.Allocation {
	a := appropriationOf(i % benchAppropriations)
	return finance.Allocation{AllocationID: fmt.Sprintf("AL-%05d", i), AppropriationID: a.AppropriationID, FiscalYear: a.FiscalYear,
		Agency: agencies[i%len(agencies)], Purpose: fmt.Sprintf("Allocation %d", i), Classification: a.Classification,
		Amount: 50_000_000_00, Currency: "CNY", Owner: consortium.FinanceBureauMSP}
}

func balanceOf(al finance.Allocation, spent int64) finance.AllocationBalance {
	return finance.AllocationBalance{AllocationID: al.AllocationID, AppropriationID: al.AppropriationID, FiscalYear: al.FiscalYear,
		Agency: al.Agency, Classification: al.Classification, Currency: al.Currency, Allocated: al.Amount, Spent: spent}
}

func (g *generator) allocation(i int) govclient.BlockTransaction {
	al := allocationOf(i)
	al.RecordedAt = g.clock
	return g.tx("Allocate", finance.EventAllocationRecorded, consortium.FinanceBureauMSP, consortium.RoleBudgetOfficer,
		write("fin.allocation", al, al.AllocationID),
		write("fin.spending", balanceOf(al, 0), fmt.Sprint(al.FiscalYear), al.AppropriationID, al.AllocationID))
}

func (g *generator) disbursement(i int) govclient.BlockTransaction {
	al := allocationOf(i % benchAllocations)
	payee := i * 7919 % benchPayees
	d := finance.Disbursement{DisbursementID: fmt.Sprintf("PAY-%08d", i), AllocationID: al.AllocationID, AppropriationID: al.AppropriationID,
		FiscalYear: al.FiscalYear, Agency: al.Agency, Classification: al.Classification,
		Payee:   finance.Payee{Name: fmt.Sprintf("Supplier %05d Co., Ltd.", payee), RegistrationNumber: fmt.Sprintf("9111%014d", payee)},
		Purpose: fmt.Sprintf("Delivery %d", i), ProcurementReference: fmt.Sprintf("PR-%06d", i/10), InvoiceHash: digestHex(fmt.Sprint("invoice", i)),
		Amount: int64(1000_00 + i%997*100), Currency: "CNY", TransactionType: finance.TransactionDisbursement, IATICode: 3,
		Owner: al.Agency, RecordedAt: g.clock}
	g.spent[al.AllocationID] += d.Amount
	return g.tx("Disburse", finance.EventDisbursementRecorded, al.Agency, consortium.RoleAccountant,
		write("fin.disbursement", d, d.AllocationID, d.DisbursementID),
		write("fin.payment", map[string]string{"allocationId": d.AllocationID}, d.DisbursementID),
		write("fin.spending", balanceOf(al, g.spent[al.AllocationID]), fmt.Sprint(al.FiscalYear), al.AppropriationID, al.AllocationID))
}

func (a *app) queryBenchCommand() *cobra.Command {
	var rounds int
	cmd := &cobra.Command{
		Use:   "querybench",
		Short: "Time the main public queries on a read model filled by generate: p50 and p99 of each",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withStore(cmd.Context(), func(ctx context.Context, s *sqlstore.Store) error { return a.queryBench(ctx, s, rounds) })
		},
	}
	a.storeFlags(cmd.Flags())
	cmd.Flags().IntVar(&rounds, "rounds", 200, "runs of each query")
	return cmd
}

// queryBench times the main public queries.
func (a *app) queryBench(ctx context.Context, s *sqlstore.Store, rounds int) error {
	counts, err := s.Counts(ctx)
	if err != nil {
		return err
	}
	var payments int64
	for _, c := range counts {
		if c.Kind == "disbursements" {
			payments = c.N
		}
	}
	if payments == 0 {
		return fmt.Errorf("the read model holds no payments: run govportal generate first")
	}
	fmt.Fprintf(a.stdout, "%s read model, %d payments, %d rounds a query\n", s.Dialect().Name, payments, rounds)
	rng := rand.New(rand.NewPCG(1, 2))
	queries := []struct {
		name string
		run  func() error
	}{
		{"spending summary of a year", func() error { _, err := s.SpendingSummary(ctx, 2024+rng.IntN(3)); return err }},
		{"budget lines of a year", func() error {
			_, err := s.Appropriations(ctx, store.AppropriationFilter{Year: 2024 + rng.IntN(3)})
			return err
		}},
		{"budget line with allocations", func() error {
			_, err := s.Appropriation(ctx, appropriationOf(rng.IntN(benchAppropriations)).AppropriationID)
			return err
		}},
		{"allocation with 50 payments", func() error {
			_, err := s.Allocation(ctx, allocationOf(rng.IntN(benchAllocations)).AllocationID, store.Page{})
			return err
		}},
		{"payment traced to its budget line", func() error {
			_, err := s.Disbursement(ctx, fmt.Sprintf("PAY-%08d", rng.Int64N(payments)))
			return err
		}},
		{"payments to a payee", func() error {
			p := rng.IntN(benchPayees)
			_, _, err := s.Disbursements(ctx, store.DisbursementFilter{PayeeReg: fmt.Sprintf("9111%014d", p)}, store.Page{})
			return err
		}},
		{"payees by amount, page 1", func() error { _, _, err := s.Payees(ctx, store.Page{}); return err }},
		{"verify a document by hash", func() error {
			_, err := s.Verify(ctx, digestHex(fmt.Sprint("invoice", rng.Int64N(payments))))
			return err
		}},
		{"overview (counts)", func() error { _, err := s.Overview(ctx); return err }},
	}
	fmt.Fprintf(a.stdout, "%-36s %10s %10s %10s\n", "query", "p50", "p99", "max")
	for _, q := range queries {
		var times []time.Duration
		for range rounds {
			t0 := time.Now()
			if err := q.run(); err != nil {
				return fmt.Errorf("%s: %w", q.name, err)
			}
			times = append(times, time.Since(t0))
		}
		slices.Sort(times)
		fmt.Fprintf(a.stdout, "%-36s %10s %10s %10s\n", q.name, pct(times, 50), pct(times, 99), times[len(times)-1].Round(time.Microsecond))
	}
	return nil
}

func pct(sorted []time.Duration, p int) time.Duration {
	i := (len(sorted)*p + 99) / 100
	i = min(max(i-1, 0), len(sorted)-1)
	return sorted[i].Round(time.Microsecond)
}

func (a *app) ingestBenchCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "ingestbench",
		Short: "Follow a ledger from block 0 into a fresh read model and report transactions per second",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withLedger(cmd.Context(), func(ctx context.Context, s *sqlstore.Store, client *govclient.Client, session *govclient.Session) error {
				return a.ingestBench(ctx, s, client, session)
			})
		},
	}
	a.storeFlags(cmd.Flags())
	a.ledgerFlags(cmd.Flags())
	return cmd
}

// ingestBench applies every channel's blocks from the store's checkpoint up
// to the ledger's height as the follower does, timing each channel.
func (a *app) ingestBench(ctx context.Context, s *sqlstore.Store, client *govclient.Client, session *govclient.Session) error {
	for _, ch := range client.Channels() {
		info, err := session.ChainInfo(ctx, ch, "")
		if err != nil {
			return err
		}
		next, err := s.NextBlock(ctx, ch)
		if err != nil {
			return err
		}
		start, txs := time.Now(), 0
		if next >= info.Height {
			continue
		}
		cp := &ingest.Checkpoint{Next: next}
		err = session.Blocks(ctx, ch, cp, func(b *govclient.Block) error {
			if err := s.Apply(ctx, readmodel.Project(b)); err != nil {
				return err
			}
			txs += len(b.Transactions)
			if b.Number+1 >= info.Height {
				return govclient.ErrStop
			}
			return nil
		})
		if err != nil {
			return err
		}
		el := time.Since(start)
		fmt.Fprintf(a.stdout, "%s: %d blocks, %d transactions in %s: %.0f transactions/s\n", ch, info.Height-next, txs, el.Round(time.Millisecond), float64(txs)/el.Seconds())
	}
	return nil
}

// cpuTime is the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
