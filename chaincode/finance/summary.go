package finance

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/govshare/govshare/chaincode/foundation"
)

// GetSpendingSummary returns a fiscal year's budget and spending in each
// currency, by agency and by classification code (administrative,
// functional and economic), computed from the running totals.
//
// Access: any identity of the finance-ledger channel's members.
// Arguments: fiscalYear.
// Reads: fin.budget/fiscalYear/... (one key per appropriation) and
// fin.spending/fiscalYear/... (one key per allocation): never a
// disbursement, so its cost does not grow with the number of payments.
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
			line.appropriated.add(b.Appropriated)
			line.allocated.add(b.Allocated)
		}
	})
	if err != nil {
		return nil, err
	}
	err = foundation.ScanEach(tx, spendingKeys, year, func(b *AllocationBalance) {
		for _, line := range append(codeLines(&codes, b.Classification, b.Currency), totals.line(b.Currency)) {
			line.spent.add(b.Spent)
		}
		agency := agencies.line(b.Agency, b.Currency)
		agency.allocated.add(b.Allocated)
		agency.spent.add(b.Spent)
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
		a, err := l.amounts(l.appropriated)
		if err != nil {
			return nil, err
		}
		s.Totals = append(s.Totals, CurrencyTotals{
			Currency: l.group[0], Appropriated: a.appropriated, Allocated: a.allocated, Spent: a.spent, Executed: a.executed,
		})
	}
	for _, l := range agencies.sorted() {
		a, err := l.amounts(l.allocated)
		if err != nil {
			return nil, err
		}
		s.ByAgency = append(s.ByAgency, AgencySpending{
			Agency: l.group[0], Currency: l.group[1], Allocated: a.allocated, Spent: a.spent,
			Remaining: a.allocated - a.spent, Executed: a.executed,
		})
	}
	for _, l := range codes.sorted() {
		a, err := l.amounts(l.appropriated)
		if err != nil {
			return nil, err
		}
		s.ByClassification = append(s.ByClassification, CodeSpending{
			Scheme: l.group[0], Code: l.group[1], Currency: l.group[2],
			Appropriated: a.appropriated, Allocated: a.allocated, Spent: a.spent, Executed: a.executed,
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

type tallyLine struct {
	group                          []string
	appropriated, allocated, spent sum
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

type lineAmounts struct {
	appropriated, allocated, spent int64
	// executed is spent out of the line's whole.
	executed Share
}

// amounts returns a line's sums and the share spent of whole (the line's
// appropriated or allocated sum), or an error if a sum overflowed.
func (l *tallyLine) amounts(whole sum) (lineAmounts, error) {
	what := "summary line " + strings.Join(l.group, " ")
	var a lineAmounts
	var err error
	if a.appropriated, err = l.appropriated.value(what); err != nil {
		return a, err
	}
	if a.allocated, err = l.allocated.value(what); err != nil {
		return a, err
	}
	if a.spent, err = l.spent.value(what); err != nil {
		return a, err
	}
	w, err := whole.value(what)
	if err != nil {
		return a, err
	}
	if a.executed, err = shareOf(a.spent, w); err != nil {
		return a, fmt.Errorf("%s: %w", what, err)
	}
	return a, nil
}
