package finance

import (
	"fmt"
	"math/big"
	"slices"
	"strings"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/govshare/govshare/chaincode/foundation"
)

// GetSpendingSummary returns a fiscal year's budget and spending in each
// currency, by agency and by classification code (administrative,
// functional and economic), computed from the running totals. Sums are
// exact integers of any size (Total): no number of amounts makes the
// summary fail.
//
// Access: any identity of the finance-ledger channel's members.
// Arguments: fiscalYear.
// Reads: fin.budget/fiscalYear/... (one key per appropriation),
// fin.spending/fiscalYear/... (one key per allocation) and
// fin.tranche/fiscalYear/... (one key per tranche of the split
// allocations): never a disbursement, so its cost does not grow with the
// number of payments.
// Reversed entries count with their net amounts (0).
func (c *Contract) GetSpendingSummary(ctx contractapi.TransactionContextInterface, fiscalYear int) (*SpendingSummary, error) {
	tx, err := foundation.Begin(ctx, foundation.Allow("GetSpendingSummary", channelMembers()))
	if err != nil {
		return nil, err
	}
	if err := foundation.Arguments(func(v *foundation.Fields) { validateFiscalYear(v, fiscalYear) }); err != nil {
		return nil, err
	}
	year := []string{yearAttribute(fiscalYear)}
	var totals, agencies, codes tally
	err = foundation.ScanEach(tx, budgetKeys, year, func(b *AppropriationBalance) {
		for _, line := range append(codeLines(&codes, b.Classification, b.Currency), totals.line(b.Currency)) {
			add(&line.appropriated, b.Appropriated)
			add(&line.allocated, b.Allocated)
		}
	})
	if err != nil {
		return nil, err
	}
	tranches, err := trancheSpending(tx, year)
	if err != nil {
		return nil, err
	}
	err = foundation.ScanEach(tx, spendingKeys, year, func(b *AllocationBalance) {
		spent := b.Spent + tranches[b.AllocationID]
		for _, line := range append(codeLines(&codes, b.Classification, b.Currency), totals.line(b.Currency)) {
			add(&line.spent, spent)
		}
		agency := agencies.line(b.Agency, b.Currency)
		add(&agency.allocated, b.Allocated)
		add(&agency.spent, spent)
	})
	if err != nil {
		return nil, err
	}
	return buildSummary(fiscalYear, &totals, &agencies, &codes)
}

// codeLines returns the lines of a classification's three codes.
func codeLines(codes *tally, c Classification, currency string) []*tallyLine {
	return []*tallyLine{
		codes.line(SchemeAdministrative, c.Administrative, currency),
		codes.line(SchemeFunctional, c.Functional, currency),
		codes.line(SchemeEconomic, c.Economic, currency),
	}
}

func buildSummary(fiscalYear int, totals, agencies, codes *tally) (*SpendingSummary, error) {
	s := &SpendingSummary{
		FiscalYear:       fiscalYear,
		Totals:           []CurrencyTotals{},
		ByAgency:         []AgencySpending{},
		ByClassification: []CodeSpending{},
	}
	for _, l := range totals.sorted() {
		executed, err := l.share(&l.appropriated)
		if err != nil {
			return nil, err
		}
		s.Totals = append(s.Totals, CurrencyTotals{
			Currency: l.group[0], Appropriated: total(&l.appropriated), Allocated: total(&l.allocated), Spent: total(&l.spent), Executed: executed,
		})
	}
	for _, l := range agencies.sorted() {
		executed, err := l.share(&l.allocated)
		if err != nil {
			return nil, err
		}
		s.ByAgency = append(s.ByAgency, AgencySpending{
			Agency: l.group[0], Currency: l.group[1], Allocated: total(&l.allocated), Spent: total(&l.spent),
			Remaining: total(new(big.Int).Sub(&l.allocated, &l.spent)), Executed: executed,
		})
	}
	for _, l := range codes.sorted() {
		executed, err := l.share(&l.appropriated)
		if err != nil {
			return nil, err
		}
		s.ByClassification = append(s.ByClassification, CodeSpending{
			Scheme: l.group[0], Code: l.group[1], Currency: l.group[2],
			Appropriated: total(&l.appropriated), Allocated: total(&l.allocated), Spent: total(&l.spent), Executed: executed,
		})
	}
	return s, nil
}

// tally accumulates amounts by group (such as agency and currency). It
// keeps its lines in a slice and returns them sorted, so that the order of
// a summary never depends on map iteration.
type tally struct {
	index map[string]int
	lines []*tallyLine
}

// tallyLine is one group's sums. They are exact integers of any size: a
// year may hold more maximal amounts than an int64 can add.
type tallyLine struct {
	group                          []string
	appropriated, allocated, spent big.Int
}

// line returns the line of group, adding it if it is new.
func (t *tally) line(group ...string) *tallyLine {
	id := strings.Join(group, "\x00")
	if i, ok := t.index[id]; ok {
		return t.lines[i]
	}
	if t.index == nil {
		t.index = map[string]int{}
	}
	t.index[id] = len(t.lines)
	l := &tallyLine{group: group}
	t.lines = append(t.lines, l)
	return l
}

// sorted returns the lines ordered by group.
func (t *tally) sorted() []*tallyLine {
	lines := slices.Clone(t.lines)
	slices.SortFunc(lines, func(a, b *tallyLine) int { return slices.Compare(a.group, b.group) })
	return lines
}

// add adds amount to sum.
func add(sum *big.Int, amount int64) { sum.Add(sum, big.NewInt(amount)) }

// total writes sum as a Total.
func total(sum *big.Int) Total { return Total(sum.String()) }

// share returns the line's spending out of whole (its appropriated or
// allocated sum), or an error if the spending lies outside [0, whole],
// which the contract's invariants exclude.
func (l *tallyLine) share(whole *big.Int) (TotalShare, error) {
	part := &l.spent
	if part.Sign() < 0 || part.Cmp(whole) > 0 {
		return TotalShare{}, fmt.Errorf("summary line %s: spent %s of %s: the part must lie between 0 and the whole",
			strings.Join(l.group, " "), part, whole)
	}
	s := TotalShare{Numerator: total(part), Denominator: total(whole)}
	if whole.Sign() > 0 {
		bp := new(big.Int).Mul(part, big.NewInt(basisPointsPerWhole))
		s.BasisPoints = bp.Quo(bp, whole).Int64() // at most basisPointsPerWhole
	}
	return s, nil
}
