package sqlstore

import (
	"strconv"
	"strings"
)

// Dialect is what differs between the SQL databases the store runs on.
// Queries are written with ? placeholders; a dialect rewrites them.
type Dialect struct {
	// Name is "sqlite" or "postgres".
	Name string
	// Numbered is true for databases that number their parameters ($1,
	// $2, ...) rather than taking ? in order.
	Numbered bool
}

// SQLite and Postgres are the two dialects.
var (
	SQLite   = Dialect{Name: "sqlite"}
	Postgres = Dialect{Name: "postgres", Numbered: true}
)

// bind rewrites the ? placeholders of query for the dialect. Queries here
// never hold a ? inside a string literal.
func (d Dialect) bind(query string) string {
	if !d.Numbered || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
