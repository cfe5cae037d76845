package finance

import (
	"fmt"
	"math"
	"math/bits"
	"strconv"
)

// basisPointsPerWhole is the number of basis points in a whole.
const basisPointsPerWhole = 10_000

// shareOf returns part out of whole as a Share. The basis points are
// rounded down and computed in 128 bits, so no amount overflows; a part
// outside [0, whole] (which the invariants exclude) gives an error rather
// than a meaningless ratio.
func shareOf(part, whole int64) (Share, error) {
	s := Share{Numerator: part, Denominator: whole}
	switch {
	case part < 0 || whole < 0 || part > whole:
		return Share{}, fmt.Errorf("share %d of %d: the part must lie between 0 and the whole", part, whole)
	case whole == 0:
		return s, nil
	}
	hi, lo := bits.Mul64(uint64(part), basisPointsPerWhole)
	q, _ := bits.Div64(hi, lo, uint64(whole)) // hi < whole because part <= whole
	s.BasisPoints = int64(q)
	return s, nil
}

// sum adds amounts, refusing an overflow instead of wrapping around.
type sum struct {
	total    int64
	overflow bool
}

func (s *sum) add(amount int64) {
	if (amount > 0 && s.total > math.MaxInt64-amount) || (amount < 0 && s.total < math.MinInt64-amount) {
		s.overflow = true
		return
	}
	s.total += amount
}

func (s *sum) value(what string) (int64, error) {
	if s.overflow {
		return 0, fmt.Errorf("%s: total overflows 64 bits", what)
	}
	return s.total, nil
}

// appropriationTotals computes an appropriation's totals from its balance
// and the sum of its allocations' spending.
func appropriationTotals(b *AppropriationBalance, spent int64) (AppropriationTotals, error) {
	executed, err := shareOf(spent, b.Appropriated)
	if err != nil {
		return AppropriationTotals{}, fmt.Errorf("appropriation %q: %w", b.AppropriationID, err)
	}
	return AppropriationTotals{
		Currency:     b.Currency,
		Appropriated: b.Appropriated,
		Allocated:    b.Allocated,
		Unallocated:  b.Appropriated - b.Allocated,
		Spent:        spent,
		Remaining:    b.Appropriated - spent,
		Executed:     executed,
	}, nil
}

// allocationTotals computes an allocation's totals from its balance and
// its whole spending (the balance's and its tranches', see spentOf).
func allocationTotals(b *AllocationBalance, spent int64) (AllocationTotals, error) {
	executed, err := shareOf(spent, b.Allocated)
	if err != nil {
		return AllocationTotals{}, fmt.Errorf("allocation %q: %w", b.AllocationID, err)
	}
	return AllocationTotals{
		Currency:  b.Currency,
		Allocated: b.Allocated,
		Spent:     spent,
		Remaining: b.Allocated - spent,
		Executed:  executed,
		Tranches:  b.Tranches,
	}, nil
}

// formatAmount writes minor units and currency for error messages.
func formatAmount(amount int64, currency string) string {
	return strconv.FormatInt(amount, 10) + " " + currency
}
