package govclient

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/finance"
)

func TestFormatAmountWritesMajorUnitsWithSeparators(t *testing.T) {
	cases := []struct {
		minor    int64
		currency string
		want     string
	}{
		{125_000_000, "CNY", "1,250,000.00 CNY"},
		{1, "EUR", "0.01 EUR"},
		{0, "EUR", "0.00 EUR"},
		{99, "USD", "0.99 USD"},
		{100_000, "EUR", "1,000.00 EUR"},
		{-250, "EUR", "-2.50 EUR"},
		{1500, "JPY", "1,500 JPY"},
		{999, "JPY", "999 JPY"},
		{1_234_567, "KWD", "1,234.567 KWD"},
		{math.MaxInt64, "EUR", "92,233,720,368,547,758.07 EUR"},
		{math.MinInt64, "EUR", "-92,233,720,368,547,758.08 EUR"},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, FormatAmount(tc.minor, tc.currency), "%d %s", tc.minor, tc.currency)
	}
}

func TestFormatTotalWritesSumsOfAnySize(t *testing.T) {
	cases := []struct {
		total    finance.Total
		currency string
		want     string
	}{
		{"9300000000000000000", "EUR", "93,000,000,000,000,000.00 EUR"},
		{"123456789012345678901234", "JPY", "123,456,789,012,345,678,901,234 JPY"},
		{"0", "EUR", "0.00 EUR"},
		{"5", "KWD", "0.005 KWD"},
		{"-250", "EUR", "-2.50 EUR"},
		{"12x", "EUR", `"12x" (not an amount) EUR`},
		{"", "EUR", `"" (not an amount) EUR`},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, FormatTotal(tc.total, tc.currency), "%s %s", tc.total, tc.currency)
	}
	for _, minor := range []int64{0, 1, 99, 125_000_000, -250, math.MaxInt64, math.MinInt64} {
		assert.Equal(t, FormatAmount(minor, "EUR"), FormatTotal(finance.Total(strconv.FormatInt(minor, 10)), "EUR"), "%d", minor)
	}
}

func TestParseAmountReadsMajorUnitsExactly(t *testing.T) {
	cases := []struct {
		text, currency string
		want           int64
	}{
		{"1250000", "CNY", 125_000_000},
		{"1,250,000.00", "CNY", 125_000_000},
		{"0.01", "EUR", 1},
		{"2.5", "EUR", 250},
		{" 12 ", "EUR", 1200},
		{"1,500", "JPY", 1500},
		{"1234.567", "KWD", 1_234_567},
		{"92233720368547758.07", "EUR", math.MaxInt64},
	}
	for _, tc := range cases {
		got, err := ParseAmount(tc.text, tc.currency)
		require.NoError(t, err, "%q %s", tc.text, tc.currency)
		assert.Equal(t, tc.want, got, "%q %s", tc.text, tc.currency)
	}
}

func TestParseAmountRefusesWhatIsNotAnExactAmount(t *testing.T) {
	cases := []struct{ text, currency, problem string }{
		{"", "EUR", "write it in EUR like"},
		{"1.005", "EUR", "EUR has 2 decimals"},
		{"1.5", "JPY", "JPY has no decimals"},
		{"-5", "EUR", "write it in EUR like"},
		{"+5", "EUR", "write it in EUR like"},
		{"1e6", "EUR", "write it in EUR like"},
		{"1.", "EUR", "write it in EUR like"},
		{".5", "EUR", "write it in EUR like"},
		{"12,50", "EUR", "groups of three"},
		{"1,2345", "EUR", "groups of three"},
		{"1,250,000.0x", "EUR", "write it in EUR like"},
		{"92233720368547758.08", "EUR", "too large"},
		{"99999999999999999999999", "EUR", "too large"},
		{"one hundred", "EUR", "write it in EUR like"},
	}
	for _, tc := range cases {
		_, err := ParseAmount(tc.text, tc.currency)
		if assert.Error(t, err, "%q %s", tc.text, tc.currency) {
			assert.Contains(t, err.Error(), tc.problem, "%q %s", tc.text, tc.currency)
		}
	}
}

func TestFormatShare(t *testing.T) {
	assert.Equal(t, "12.34%", FormatShare(1234))
	assert.Equal(t, "0.00%", FormatShare(0))
	assert.Equal(t, "100.00%", FormatShare(10_000))
	assert.Equal(t, "0.05%", FormatShare(5))
}

// FuzzAmountRoundTrip checks that what FormatAmount writes, ParseAmount
// reads back to the same number of minor units, in currencies with 0, 2, 3
// and 4 decimals.
func FuzzAmountRoundTrip(f *testing.F) {
	f.Add(int64(0), uint8(0))
	f.Add(int64(125_000_000), uint8(1))
	f.Add(int64(math.MaxInt64), uint8(3))
	currencies := []string{"JPY", "EUR", "KWD", "CLF"}
	f.Fuzz(func(t *testing.T, minor int64, pick uint8) {
		if minor < 0 {
			minor = -(minor + 1)
		}
		currency := currencies[int(pick)%len(currencies)]
		text := strings.TrimSuffix(FormatAmount(minor, currency), " "+currency)
		got, err := ParseAmount(text, currency)
		require.NoError(t, err, text)
		require.Equal(t, minor, got, text)
	})
}
