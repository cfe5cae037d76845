package main

import (
	"fmt"
	"time"
)

// How sizes and times read in govctl's text output. The printers of records
// are beside their command group; --json prints the contract's records
// instead.

// size writes a byte count in binary units: "1.5 MiB".
func size(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	default:
		return fmt.Sprintf("%d B", n)
	}
}

// shortTime writes a time in UTC to the second; the zero time is "-".
func shortTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}
