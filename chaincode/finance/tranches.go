package finance

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/govshare/govshare/chaincode/foundation"
)

// Tranches: payments against one allocation that do not conflict.
//
// Every disbursement against an allocation reads the allocation's running
// total and writes it back, so that no allocation is ever overspent; under
// Fabric's MVCC two payments endorsed against the same version of that key
// cannot both commit, and payments against one allocation go one at a
// time. An agency that pays many at once from one allocation splits it
// (SplitAllocation) into up to MaxTranches tranches: what is left of the
// allocation (Spread) is shared between them, and each tranche has a key
// of its own holding what it has paid. A payment draws from the tranche
// its disbursement ID hashes to (homeTranche), reads the allocation's
// fin.spending only to learn the layout (no payment writes it while the
// tranches can pay), and reads and writes only that tranche. Two payments
// conflict only when they draw on the same tranche.
//
// Why the overspend rule stays exact. Let S be the balance's Spent, P its
// Spread and A its Allocated. A split sets S to everything spent and P to
// A - S, so S + P = A, and gives tranche k the share s_k with sum s_k = P.
// A payment draws d_k <= s_k - spent_k from tranches it has read, and
// draws on the balance itself (S += d) only up to A - S - P, which it has
// read too. Each transaction checks its draws against the versions of the
// keys it read, and MVCC validation refuses it at commit if any of those
// keys changed since: every committed draw was checked against the state
// it changed. So at every commit spent_k <= s_k for every k and
// S + P <= A, and the allocation's spending, S + sum spent_k, is at most
// S + P <= A. A payment is refused at endorsement only after reading every
// tranche and the balance, that is when the allocation as a whole has less
// left than the payment: the tranches never refuse a payment the
// allocation could pay. A split reads every tranche key of the allocation
// as one range, so a payment committed meanwhile (even into a tranche key
// it creates) invalidates the split rather than being lost from the sum.
//
// A payment whose home tranche cannot pay it all goes on to the next
// tranches, and at the end to what the balance itself has left (reversed
// payments of an earlier layout); it then reads and writes more keys and
// conflicts with more concurrent payments, as it must. When tranches run
// dry unevenly, a new SplitAllocation spreads what is left evenly again.

// homeTranche is the tranche a payment against an allocation split into
// count tranches draws from first: its disbursement ID hashed with SHA-256,
// the first eight bytes as an integer, modulo count. Every endorser
// computes the same.
func homeTranche(disbursementID string, count int) int {
	sum := sha256.Sum256([]byte(disbursementID))
	return int(binary.BigEndian.Uint64(sum[:8]) % uint64(count))
}

// trancheShare is tranche n's share of spread over count tranches: spread
// / count, one more for the first spread % count tranches; 0 when there
// are fewer than 2 tranches or n is not one of them.
func trancheShare(spread int64, count, n int) int64 {
	if count < 2 || n < 0 || n >= count {
		return 0
	}
	share := spread / int64(count)
	if int64(n) < spread%int64(count) {
		share++
	}
	return share
}

func trancheKey(b *AllocationBalance, n int) (foundation.Key, error) {
	return trancheKeys.Key(yearAttribute(b.FiscalYear), b.AppropriationID, b.AllocationID, trancheAttribute(n))
}

// tranchePrefix is the fin.tranche prefix of an allocation's tranches.
func tranchePrefix(b *AllocationBalance) []string {
	return []string{yearAttribute(b.FiscalYear), b.AppropriationID, b.AllocationID}
}

// shortfall is the refusal of a draw larger than what the allocation has
// left; left is what it has (every tranche read).
type shortfall struct{ left int64 }

func (s *shortfall) Error() string { return fmt.Sprintf("%d left", s.left) }

// purse is an allocation's remaining balance as the payments of one
// transaction draw on it: the balance, and for a split allocation the
// tranches read so far. Draws change the purse; flush writes what changed.
type purse struct {
	tx         *foundation.Tx
	balance    *AllocationBalance
	balanceKey foundation.Key
	// tranches holds the tranches read, by number (nil until read), and
	// changed which of them a draw changed.
	tranches       []*Tranche
	changed        []bool
	balanceChanged bool
	// cursor is the tranche the next draw starts at.
	cursor int
}

func newPurse(tx *foundation.Tx, balance *AllocationBalance, key foundation.Key) *purse {
	p := &purse{tx: tx, balance: balance, balanceKey: key}
	if p.split() {
		p.tranches = make([]*Tranche, balance.Tranches)
		p.changed = make([]bool, balance.Tranches)
	}
	return p
}

// split reports whether the allocation's payments draw on tranches.
func (p *purse) split() bool { return p.balance.Tranches > 1 }

// startAt makes the next draw start at the home tranche of disbursementID.
func (p *purse) startAt(disbursementID string) {
	if p.split() {
		p.cursor = homeTranche(disbursementID, p.balance.Tranches)
	}
}

// expect reads, in one request, the tranches from the cursor on that draws
// of amount in all will likely need, judged by the average share.
func (p *purse) expect(amount int64) error {
	if !p.split() {
		return nil
	}
	return p.read(p.cursor, p.chunk(amount))
}

// chunk is how many tranches a draw of amount likely needs.
func (p *purse) chunk(amount int64) int {
	average := max(1, p.balance.Spread/int64(p.balance.Tranches))
	return int(min(int64(p.balance.Tranches), max(1, (amount+average-1)/average)))
}

// read reads the tranches among the count from tranche from on (wrapping
// around) that are not read yet, in one request. A tranche never drawn on
// has no key yet: it starts with nothing spent.
func (p *purse) read(from, count int) error {
	var (
		keys    []foundation.Key
		records []any
		numbers []int
	)
	for i := range count {
		n := (from + i) % len(p.tranches)
		if p.tranches[n] != nil {
			continue
		}
		key, err := trancheKey(p.balance, n)
		if err != nil {
			return err
		}
		keys, records, numbers = append(keys, key), append(records, new(Tranche)), append(numbers, n)
	}
	found, err := p.tx.GetAll(keys, records...)
	if err != nil {
		return err
	}
	for i, n := range numbers {
		t := records[i].(*Tranche)
		share := trancheShare(p.balance.Spread, p.balance.Tranches, n)
		if !found[i] {
			*t = Tranche{AllocationID: p.balance.AllocationID, Layout: p.balance.Layout, Tranche: n, Share: share}
		} else if t.AllocationID != p.balance.AllocationID || t.Layout != p.balance.Layout || t.Tranche != n || t.Share != share || t.Spent < 0 || t.Spent > t.Share {
			return fmt.Errorf("allocation %q: tranche %d (%+v) does not belong to layout %d with share %d", p.balance.AllocationID, n, *t, p.balance.Layout, share)
		}
		p.tranches[n] = t
	}
	return nil
}

// take draws amount from the purse: from the tranches starting at the
// cursor, then from what the balance itself has left, and returns the
// tranches' parts. If the allocation has less than amount left it changes
// nothing and returns a *shortfall, having read every tranche.
func (p *purse) take(amount int64) ([]trancheDraw, error) {
	b := p.balance
	if !p.split() {
		if left := b.Allocated - b.Spent - b.Spread; amount > left {
			return nil, &shortfall{left: left}
		}
		b.Spent += amount
		p.balanceChanged = true
		return nil, nil
	}
	count := len(p.tranches)
	need := amount
	var draws []trancheDraw
	for i := 0; i < count && need > 0; i++ {
		n := (p.cursor + i) % count
		if p.tranches[n] == nil {
			if err := p.read(n, min(count-i, p.chunk(need))); err != nil {
				return nil, err
			}
		}
		if left := p.tranches[n].Share - p.tranches[n].Spent; left > 0 {
			d := min(left, need)
			draws = append(draws, trancheDraw{Tranche: n, Amount: d})
			need -= d
		}
	}
	fromBalance := max(0, min(need, b.Allocated-b.Spent-b.Spread))
	if need -= fromBalance; need > 0 {
		return nil, &shortfall{left: amount - need}
	}
	for _, d := range draws {
		p.tranches[d.Tranche].Spent += d.Amount
		p.changed[d.Tranche] = true
	}
	if fromBalance > 0 {
		b.Spent += fromBalance
		p.balanceChanged = true
	}
	if len(draws) > 0 {
		last := draws[len(draws)-1].Tranche
		p.cursor = last
		if t := p.tranches[last]; t.Spent == t.Share {
			p.cursor = (last + 1) % count
		}
	}
	return draws, nil
}

// locator is the fin.payment value of a payment that drew draws from the
// purse.
func (p *purse) locator(draws []trancheDraw) paymentLocator {
	loc := paymentLocator{AllocationID: p.balance.AllocationID}
	if p.split() {
		loc.Layout, loc.Draws = p.balance.Layout, draws
	}
	return loc
}

// flush writes the balance, if a draw changed it, and every tranche a draw
// changed, in tranche order.
func (p *purse) flush() error {
	if p.balanceChanged {
		if err := p.tx.Put(p.balanceKey, p.balance); err != nil {
			return err
		}
	}
	for n, t := range p.tranches {
		if !p.changed[n] {
			continue
		}
		key, err := trancheKey(p.balance, n)
		if err != nil {
			return err
		}
		if err := p.tx.Put(key, t); err != nil {
			return err
		}
	}
	return nil
}

// giveBack returns a reversed payment's amount to where loc says it came
// from: each tranche its share, when the allocation still has the layout
// the payment was drawn in, and the rest to the balance (where a new
// layout moved every tranche's spending).
func giveBack(tx *foundation.Tx, b *AllocationBalance, key foundation.Key, loc *paymentLocator, d *Disbursement) error {
	toBalance := d.Amount
	if loc.Layout == b.Layout && len(loc.Draws) > 0 {
		p := newPurse(tx, b, key)
		if !p.split() {
			return fmt.Errorf("disbursement %q: drawn from tranches of layout %d, which allocation %q does not have", d.DisbursementID, loc.Layout, b.AllocationID)
		}
		for _, draw := range loc.Draws {
			if draw.Tranche < 0 || draw.Tranche >= len(p.tranches) {
				return fmt.Errorf("disbursement %q: drawn from tranche %d of %d", d.DisbursementID, draw.Tranche, len(p.tranches))
			}
			if err := p.read(draw.Tranche, 1); err != nil {
				return err
			}
			t := p.tranches[draw.Tranche]
			if t.Spent < draw.Amount {
				return fmt.Errorf("allocation %q: tranche %d spent %d is less than disbursement %q's draw of %d", b.AllocationID, t.Tranche, t.Spent, d.DisbursementID, draw.Amount)
			}
			t.Spent -= draw.Amount
			p.changed[draw.Tranche] = true
			toBalance -= draw.Amount
		}
		if err := p.flush(); err != nil {
			return err
		}
	}
	if toBalance == 0 {
		return nil
	}
	if b.Spent < toBalance {
		return fmt.Errorf("allocation %q: spent %d is less than disbursement %q's %d", b.AllocationID, b.Spent, d.DisbursementID, toBalance)
	}
	b.Spent -= toBalance
	return tx.Put(key, b)
}

// respread starts a new layout of an allocation: every tranche's spending
// moves into the balance's Spent, what is left is spread over count
// tranches (nothing is spread for fewer than 2), and every tranche key the
// allocation has is reset to its new share with nothing spent. It writes
// those keys; the caller writes the balance. The tranche keys are read as one range,
// which validation checks again at commit: a payment committed meanwhile,
// even into a tranche key it creates, invalidates the new layout instead
// of slipping past it.
func respread(tx *foundation.Tx, b *AllocationBalance, count int) error {
	existing, err := foundation.ScanAll[Tranche](tx, trancheKeys, tranchePrefix(b))
	if err != nil {
		return err
	}
	spent := b.Spent
	for _, t := range existing {
		if t.Layout != b.Layout || t.Spent < 0 || t.Spent > t.Share {
			return fmt.Errorf("allocation %q: tranche %d (%+v) does not belong to layout %d", b.AllocationID, t.Tranche, t, b.Layout)
		}
		spent += t.Spent
	}
	if spent > b.Allocated && b.ReversedBy == "" {
		return fmt.Errorf("allocation %q: spent %d is more than allocated %d", b.AllocationID, spent, b.Allocated)
	}
	b.Spent, b.Layout, b.Tranches, b.Spread = spent, b.Layout+1, count, 0
	if count > 1 {
		b.Spread = b.Allocated - spent
	}
	for _, t := range existing {
		t.Layout, t.Share, t.Spent = b.Layout, trancheShare(b.Spread, count, t.Tranche), 0
		key, err := trancheKey(b, t.Tranche)
		if err != nil {
			return err
		}
		if err := tx.Put(key, &t); err != nil {
			return err
		}
	}
	return nil
}

// spentOf returns an allocation's whole spending: its balance's Spent and,
// for an allocation that was ever split, its tranches'.
func spentOf(tx *foundation.Tx, b *AllocationBalance) (int64, error) {
	if b.Layout == 0 {
		return b.Spent, nil
	}
	byAllocation, err := trancheSpending(tx, tranchePrefix(b))
	if err != nil {
		return 0, err
	}
	return b.Spent + byAllocation[b.AllocationID], nil
}

// trancheSpending sums what the tranches under prefix (a fiscal year, an
// appropriation, an allocation) have spent, by allocation ID: one range,
// as many keys as the allocations under it have tranches. Allocations
// never split have none.
func trancheSpending(tx *foundation.Tx, prefix []string) (map[string]int64, error) {
	spent := map[string]int64{}
	err := foundation.ScanEach(tx, trancheKeys, prefix, func(t *Tranche) { spent[t.AllocationID] += t.Spent })
	if err != nil {
		return nil, err
	}
	return spent, nil
}

// SplitAllocation spreads what is left of one of the caller's agency's
// allocations over tranches, so that concurrent payments against it
// conflict only when they draw on the same tranche (see tranches.go); with
// 1 tranche it merges them back. Calling it again on a split allocation
// spreads what is left evenly again: the way headroom moves between
// tranches.
//
// Access: role "accountant" of EduMinistryMSP or InternetCourtMSP, whose
// organisation is the allocation's agency (ErrAccessDenied otherwise).
// Request: SplitAllocationRequest {"allocationId", "tranches"}, tranches
// from 1 to MaxTranches.
// Reads: fin.allocation/allocationId, its fin.spending and every
// fin.tranche key of the allocation (one range).
// Rules: the allocation exists (ErrNotFound) and is not reversed
// (ErrConflict).
// Writes: the allocation's fin.spending (spent = everything spent so far,
// a new layout, the number of tranches, spread = what is left when there
// are 2 or more) and every fin.tranche key the allocation has, reset to
// its share of the new layout with nothing spent. Payments endorsed before
// the split and committed after it are invalid (they read the old
// fin.spending) and must be endorsed again.
// Event: AllocationSplit.
func (c *Contract) SplitAllocation(ctx contractapi.TransactionContextInterface, request string) (*AllocationSplit, error) {
	var req SplitAllocationRequest
	tx, err := foundation.BeginRequest(ctx, foundation.Allow("SplitAllocation", accountants()), request, &req)
	if err != nil {
		return nil, err
	}
	allocation, err := getAllocation(tx, req.AllocationID)
	if err != nil {
		return nil, err
	}
	if allocation.Agency != tx.Caller.MSPID {
		return nil, tx.Deny(fmt.Sprintf("the agency of allocation %s (%s)", allocation.AllocationID, allocation.Agency))
	}
	spending, key, err := getSpending(tx, allocation)
	if err != nil {
		return nil, err
	}
	if spending.ReversedBy != "" {
		return nil, foundation.Conflict(TypeAllocation, spending.AllocationID, "was reversed by "+spending.ReversedBy+"; it has nothing left to split")
	}
	if err := respread(tx, spending, req.Tranches); err != nil {
		return nil, err
	}
	if err := tx.Put(key, spending); err != nil {
		return nil, err
	}
	return &AllocationSplit{
		AllocationID: spending.AllocationID,
		Currency:     spending.Currency,
		Layout:       spending.Layout,
		Tranches:     spending.Tranches,
		Spent:        spending.Spent,
		Spread:       spending.Spread,
	}, tx.Emit(EventAllocationSplit)
}
