package finance

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestShareOf(t *testing.T) {
	for _, tt := range []struct {
		part, whole, bp int64
	}{
		{0, 0, 0},
		{0, 100, 0},
		{1, 3, 3333},
		{2, 3, 6666},
		{100, 100, 10_000},
		{MaxAmount - 1, MaxAmount, 9999},
		{math.MaxInt64 / 2, math.MaxInt64, 4999},
		{math.MaxInt64, math.MaxInt64, 10_000},
	} {
		s, err := shareOf(tt.part, tt.whole)
		require.NoError(t, err)
		assert.Equal(t, Share{Numerator: tt.part, Denominator: tt.whole, BasisPoints: tt.bp}, s, "%d of %d", tt.part, tt.whole)
	}
	for _, bad := range [][2]int64{{101, 100}, {-1, 100}, {1, 0}, {0, -1}} {
		_, err := shareOf(bad[0], bad[1])
		assert.Error(t, err, "%d of %d", bad[0], bad[1])
	}
}

func TestSumRefusesOverflow(t *testing.T) {
	var s sum
	s.add(math.MaxInt64 - 1)
	s.add(1)
	v, err := s.value("total")
	require.NoError(t, err)
	assert.Equal(t, int64(math.MaxInt64), v)
	s.add(1)
	_, err = s.value("total")
	assert.ErrorContains(t, err, "total: total overflows 64 bits")

	var negative sum
	negative.add(math.MinInt64)
	negative.add(-1)
	_, err = negative.value("negative")
	assert.Error(t, err)
}

func TestCodes(t *testing.T) {
	for _, code := range []string{"01", "09", "10", "01.1", "09.4", "09.4.1", "10.9.9"} {
		assert.True(t, isCOFOG(code), code)
	}
	for _, code := range []string{"", "1", "00", "11", "9", "09.", "09.0", "09.4.", "09.4.0", "09-4", "09.44", "0a", "09.4.1.1"} {
		assert.False(t, isCOFOG(code), code)
	}
	for _, code := range []string{"EUR", "USD", "JPY", "XAU"} {
		assert.True(t, isCurrencyCode(code), code)
	}
	for _, code := range []string{"", "eur", "EU", "EURO", "E1R", "ÉUR"} {
		assert.False(t, isCurrencyCode(code), code)
	}
	for name, code := range map[string]int{TransactionCommitment: 2, TransactionDisbursement: 3, TransactionExpenditure: 4} {
		got, err := iatiCode(name)
		require.NoError(t, err)
		assert.Equal(t, code, got)
	}
	_, err := iatiCode("loan")
	assert.Error(t, err)
}
