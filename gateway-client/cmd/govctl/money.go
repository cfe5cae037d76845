package main

import (
	"github.com/govshare/govshare/chaincode/finance"
	govclient "github.com/govshare/govshare/gateway-client"
)

// Amounts are typed and printed in major units of their currency; the
// ledger keeps integer minor units.

// money writes an amount in minor units as major units of its currency:
// 125000000 CNY is "1,250,000.00 CNY".
func money(amount int64, currency string) string { return govclient.FormatAmount(amount, currency) }

// sum writes a sum of the spending summary, exact at any size.
func sum(total finance.Total, currency string) string { return govclient.FormatTotal(total, currency) }

// amountArg reads an --amount in major units of currency.
func amountArg(text, currency string) (int64, error) {
	amount, err := govclient.ParseAmount(text, currency)
	if err != nil {
		return 0, usageError{err}
	}
	return amount, nil
}
