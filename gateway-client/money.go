package govclient

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/govshare/govshare/chaincode/finance"
)

// The finance contract keeps every amount as an int64 count of the
// currency's minor unit (cents of EUR, fen of CNY, yen of JPY) and never
// uses floating point. People read and type amounts in major units. These
// functions convert between the two with integer arithmetic only.

// minorUnitExceptions are the ISO 4217 currencies whose minor unit is not
// a hundredth of the major unit: the number of decimal digits of each.
var minorUnitExceptions = map[string]int{
	"BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0,
	"RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
	"BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
	"CLF": 4, "UYW": 4,
}

// MinorUnitDigits returns how many decimal digits a currency's minor unit
// has: 2 for most (EUR, CNY, USD), 0 for JPY or KRW, 3 for KWD, after ISO
// 4217.
func MinorUnitDigits(currency string) int {
	if digits, ok := minorUnitExceptions[currency]; ok {
		return digits
	}
	return 2
}

// FormatAmount writes an amount of minor units in major units with
// thousands separators and the currency: 125000000 CNY is
// "1,250,000.00 CNY", 1500 JPY is "1,500 JPY", -250 EUR is "-2.50 EUR".
func FormatAmount(minor int64, currency string) string {
	magnitude := uint64(minor)
	sign := ""
	if minor < 0 {
		magnitude = -magnitude // two's complement: correct for math.MinInt64 too
		sign = "-"
	}
	return formatMinorDigits(sign, strconv.FormatUint(magnitude, 10), currency)
}

// FormatTotal writes a sum of the finance contract's summary (a
// finance.Total: minor units as decimal digits, of any size) like
// FormatAmount: "9300000000000000000" EUR is
// "93,000,000,000,000,000.00 EUR". Text that is not an integer is written
// as it is, marked.
func FormatTotal(total finance.Total, currency string) string {
	digits, sign := string(total), ""
	if rest, ok := strings.CutPrefix(digits, "-"); ok {
		digits, sign = rest, "-"
	}
	if !allDigits(digits) {
		return fmt.Sprintf("%q (not an amount) %s", string(total), currency)
	}
	return formatMinorDigits(sign, digits, currency)
}

// formatMinorDigits writes the decimal digits of a count of minor units in
// major units of currency, with sign in front.
func formatMinorDigits(sign, digits, currency string) string {
	decimals := MinorUnitDigits(currency)
	if len(digits) <= decimals {
		digits = strings.Repeat("0", decimals-len(digits)+1) + digits
	}
	whole, frac := digits[:len(digits)-decimals], digits[len(digits)-decimals:]
	whole = strings.TrimLeft(whole, "0")
	if whole == "" {
		whole = "0"
	}
	text := sign + group(whole)
	if decimals > 0 {
		text += "." + frac
	}
	return text + " " + currency
}

// ParseAmount reads an amount a person typed in major units of currency
// ("1250000", "1,250,000.00", "0.01") as a count of minor units. It accepts
// at most the currency's number of decimals and thousands separators only
// in groups of three; it refuses signs, exponents and anything that does
// not fit in an int64. Whether an amount is allowed (positive, within the
// contract's limit) is the contract's decision.
func ParseAmount(text, currency string) (int64, error) {
	digits := MinorUnitDigits(currency)
	s := strings.TrimSpace(text)
	whole, frac, hasPoint := strings.Cut(s, ".")
	if whole == "" {
		return 0, fmt.Errorf("amount %q: write it in %s like %s", text, currency, example(digits))
	}
	whole, err := ungroup(whole)
	if err != nil {
		return 0, fmt.Errorf("amount %q: %w", text, err)
	}
	if !allDigits(whole) {
		return 0, fmt.Errorf("amount %q: write it in %s like %s", text, currency, example(digits))
	}
	if hasPoint {
		switch {
		case digits == 0:
			return 0, fmt.Errorf("amount %q: %s has no decimals", text, currency)
		case frac == "" || !allDigits(frac):
			return 0, fmt.Errorf("amount %q: write it in %s like %s", text, currency, example(digits))
		case len(frac) > digits:
			return 0, fmt.Errorf("amount %q: %s has %d decimals; write at most %d after the point", text, currency, digits, digits)
		}
	}
	frac += strings.Repeat("0", digits-len(frac))
	w, err := strconv.ParseUint(whole, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("amount %q: too large", text)
	}
	var f uint64
	if digits > 0 {
		f, _ = strconv.ParseUint(frac, 10, 64) // at most 4 digits, checked above
	}
	unit := pow10(digits)
	if w > (math.MaxInt64-f)/unit {
		return 0, fmt.Errorf("amount %q: too large", text)
	}
	return int64(w*unit + f), nil
}

// FormatShare writes a share given in basis points (hundredths of a
// percent) as a percentage with two decimals: 1234 is "12.34%".
func FormatShare(basisPoints int64) string {
	sign := ""
	magnitude := uint64(basisPoints)
	if basisPoints < 0 {
		magnitude = -magnitude
		sign = "-"
	}
	return fmt.Sprintf("%s%d.%02d%%", sign, magnitude/100, magnitude%100)
}

func pow10(n int) uint64 {
	p := uint64(1)
	for range n {
		p *= 10
	}
	return p
}

// group puts a comma between every three digits from the right.
func group(digits string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	head := len(digits) % 3
	if head > 0 {
		b.WriteString(digits[:head])
	}
	for i := head; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

// ungroup removes thousands separators, which must stand between groups of
// three digits after a first group of one to three.
func ungroup(whole string) (string, error) {
	if !strings.Contains(whole, ",") {
		return whole, nil
	}
	groups := strings.Split(whole, ",")
	for i, g := range groups {
		if (i == 0 && (len(g) < 1 || len(g) > 3)) || (i > 0 && len(g) != 3) {
			return "", fmt.Errorf("thousands separators go between groups of three digits, like 1,250,000")
		}
	}
	return strings.Join(groups, ""), nil
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// example is how an amount of a currency with digits decimals is written.
func example(digits int) string {
	if digits == 0 {
		return "1250000 or 1,250,000"
	}
	return "1250000." + strings.Repeat("0", digits) + " or 1,250,000." + strings.Repeat("5", digits)
}
