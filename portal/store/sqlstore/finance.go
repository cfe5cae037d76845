package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"github.com/govshare/govshare/chaincode/finance"
	"github.com/govshare/govshare/portal/readmodel"
	"github.com/govshare/govshare/portal/store"
)

// FiscalYears lists the years with appropriations, newest first.
func (s *Store) FiscalYears(ctx context.Context) ([]int, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT DISTINCT fiscal_year FROM fin_budgets ORDER BY fiscal_year DESC")
	if err != nil {
		return nil, fmt.Errorf("list fiscal years: %w", err)
	}
	defer rows.Close()
	years := []int{}
	for rows.Next() {
		var y int
		if err := rows.Scan(&y); err != nil {
			return nil, fmt.Errorf("list fiscal years: %w", err)
		}
		years = append(years, y)
	}
	return years, rows.Err()
}

// SpendingSummary totals a year from the running totals, line for line as
// the finance contract's GetSpendingSummary does.
func (s *Store) SpendingSummary(ctx context.Context, year int) (*finance.SpendingSummary, error) {
	totals, agencies, codes := tally{}, tally{}, tally{}
	codeLines := func(adm, fn, eco, currency string) []*tallyLine {
		return []*tallyLine{codes.line(finance.SchemeAdministrative, adm, currency), codes.line(finance.SchemeFunctional, fn, currency),
			codes.line(finance.SchemeEconomic, eco, currency), totals.line(currency)}
	}
	rows, err := s.db.QueryContext(ctx, s.d.bind(`SELECT administrative, functional, economic, currency, appropriated, allocated
		FROM fin_budgets WHERE fiscal_year = ?`), year)
	if err != nil {
		return nil, fmt.Errorf("spending summary of %d: %w", year, err)
	}
	for rows.Next() {
		var adm, fn, eco, currency string
		var appropriated, allocated int64
		if err := rows.Scan(&adm, &fn, &eco, &currency, &appropriated, &allocated); err != nil {
			rows.Close()
			return nil, fmt.Errorf("spending summary of %d: %w", year, err)
		}
		for _, l := range codeLines(adm, fn, eco, currency) {
			l.appropriated.Add(l.appropriated, big.NewInt(appropriated))
			l.allocated.Add(l.allocated, big.NewInt(allocated))
		}
	}
	rows.Close()
	rows, err = s.db.QueryContext(ctx, s.d.bind(`SELECT b.administrative, b.functional, b.economic, s.agency, s.currency, s.allocated, s.spent
		FROM fin_spending s JOIN fin_budgets b ON b.appropriation_id = s.appropriation_id WHERE s.fiscal_year = ?`), year)
	if err != nil {
		return nil, fmt.Errorf("spending summary of %d: %w", year, err)
	}
	defer rows.Close()
	for rows.Next() {
		var adm, fn, eco, agency, currency string
		var allocated, spent int64
		if err := rows.Scan(&adm, &fn, &eco, &agency, &currency, &allocated, &spent); err != nil {
			return nil, fmt.Errorf("spending summary of %d: %w", year, err)
		}
		for _, l := range codeLines(adm, fn, eco, currency) {
			l.spent.Add(l.spent, big.NewInt(spent))
		}
		a := agencies.line(agency, currency)
		a.allocated.Add(a.allocated, big.NewInt(allocated))
		a.spent.Add(a.spent, big.NewInt(spent))
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("spending summary of %d: %w", year, err)
	}
	sum := &finance.SpendingSummary{FiscalYear: year, Totals: []finance.CurrencyTotals{}, ByAgency: []finance.AgencySpending{},
		ByClassification: []finance.CodeSpending{}}
	for _, l := range totals.sorted() {
		sum.Totals = append(sum.Totals, finance.CurrencyTotals{Currency: l.group[0], Appropriated: total(l.appropriated),
			Allocated: total(l.allocated), Spent: total(l.spent), Executed: share(l.spent, l.appropriated)})
	}
	for _, l := range agencies.sorted() {
		sum.ByAgency = append(sum.ByAgency, finance.AgencySpending{Agency: l.group[0], Currency: l.group[1], Allocated: total(l.allocated),
			Spent: total(l.spent), Remaining: total(new(big.Int).Sub(l.allocated, l.spent)), Executed: share(l.spent, l.allocated)})
	}
	for _, l := range codes.sorted() {
		sum.ByClassification = append(sum.ByClassification, finance.CodeSpending{Scheme: l.group[0], Code: l.group[1], Currency: l.group[2],
			Appropriated: total(l.appropriated), Allocated: total(l.allocated), Spent: total(l.spent), Executed: share(l.spent, l.appropriated)})
	}
	return sum, nil
}

// tally sums amounts by group, exactly (in big integers).
type tally map[string]*tallyLine

type tallyLine struct {
	group                          []string
	appropriated, allocated, spent *big.Int
}

func (t tally) line(group ...string) *tallyLine {
	id := strings.Join(group, "\x00")
	if l, ok := t[id]; ok {
		return l
	}
	l := &tallyLine{group: group, appropriated: new(big.Int), allocated: new(big.Int), spent: new(big.Int)}
	t[id] = l
	return l
}

func (t tally) sorted() []*tallyLine {
	lines := make([]*tallyLine, 0, len(t))
	for _, l := range t {
		lines = append(lines, l)
	}
	slices.SortFunc(lines, func(a, b *tallyLine) int { return slices.Compare(a.group, b.group) })
	return lines
}

// total writes an exact sum as the contract's Total.
func total(sum *big.Int) finance.Total { return finance.Total(sum.String()) }

// share is part of whole in basis points, rounded down, as the finance
// contract computes it.
func share(part, whole *big.Int) finance.TotalShare {
	s := finance.TotalShare{Numerator: total(part), Denominator: total(whole)}
	if whole.Sign() > 0 {
		bp := new(big.Int).Mul(part, big.NewInt(10_000))
		s.BasisPoints = bp.Quo(bp, whole).Int64()
	}
	return s
}

// appropriationSelect selects budget lines as scanAppropriation reads them.
const appropriationSelect = `SELECT a.record, a.channel, a.block, a.tx_id, a.tx_time, b.record,
	COALESCE((SELECT SUM(sp.spent) FROM fin_spending sp WHERE sp.appropriation_id = a.appropriation_id), 0)
	FROM fin_appropriations a JOIN fin_budgets b ON b.appropriation_id = a.appropriation_id`

func scanAppropriation(scan func(...any) error) (store.AppropriationLine, error) {
	var r recordRow
	var balance string
	var line store.AppropriationLine
	if err := scan(append(r.dest(), &balance, &line.Spent)...); err != nil {
		return line, err
	}
	rec, err := decodeRow[finance.Appropriation](&r)
	if err != nil {
		return line, err
	}
	line.Appropriation, line.At = rec.Value, rec.At
	if err := decodeJSON(balance, &line.Balance); err != nil {
		return line, err
	}
	return line, nil
}

// Appropriations lists a year's budget lines.
func (s *Store) Appropriations(ctx context.Context, f store.AppropriationFilter) ([]store.AppropriationLine, error) {
	rows, err := s.db.QueryContext(ctx, s.d.bind(appropriationSelect+` WHERE a.fiscal_year = ? AND a.functional LIKE ?
		ORDER BY a.appropriation_id`), f.Year, likePrefix(f.Functional))
	if err != nil {
		return nil, fmt.Errorf("list appropriations: %w", err)
	}
	defer rows.Close()
	lines := []store.AppropriationLine{}
	for rows.Next() {
		line, err := scanAppropriation(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("list appropriations: %w", err)
		}
		lines = append(lines, line)
	}
	return lines, rows.Err()
}

// likePrefix is a LIKE pattern for values starting with prefix, which
// holds no wildcard of its own.
func likePrefix(prefix string) string {
	prefix = strings.NewReplacer("%", "", "_", "").Replace(prefix)
	return prefix + "%"
}

func (s *Store) appropriationLine(ctx context.Context, id string) (store.AppropriationLine, error) {
	line, err := scanAppropriation(s.db.QueryRowContext(ctx, s.d.bind(appropriationSelect+" WHERE a.appropriation_id = ?"), id).Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return line, fmt.Errorf("appropriation %q: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return line, fmt.Errorf("read appropriation %q: %w", id, err)
	}
	return line, nil
}

// Appropriation is one budget line with its allocations.
func (s *Store) Appropriation(ctx context.Context, id string) (*store.AppropriationDetail, error) {
	line, err := s.appropriationLine(ctx, id)
	if err != nil {
		return nil, err
	}
	d := &store.AppropriationDetail{AppropriationLine: line}
	if d.Reversal, err = s.reversalEntry(ctx, finance.TypeAppropriation, id); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, s.d.bind(allocationSelect+" WHERE al.appropriation_id = ? ORDER BY al.allocation_id"), id)
	if err != nil {
		return nil, fmt.Errorf("list allocations of %q: %w", id, err)
	}
	defer rows.Close()
	d.Allocations = []store.AllocationLine{}
	for rows.Next() {
		a, err := scanAllocation(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("list allocations of %q: %w", id, err)
		}
		d.Allocations = append(d.Allocations, a)
	}
	return d, rows.Err()
}

const allocationSelect = `SELECT al.record, al.channel, al.block, al.tx_id, al.tx_time, sp.record
	FROM fin_allocations al JOIN fin_spending sp ON sp.allocation_id = al.allocation_id`

func scanAllocation(scan func(...any) error) (store.AllocationLine, error) {
	var r recordRow
	var balance string
	var line store.AllocationLine
	if err := scan(append(r.dest(), &balance)...); err != nil {
		return line, err
	}
	rec, err := decodeRow[finance.Allocation](&r)
	if err != nil {
		return line, err
	}
	line.Allocation, line.At = rec.Value, rec.At
	return line, decodeJSON(balance, &line.Balance)
}

func (s *Store) allocationLine(ctx context.Context, id string) (store.AllocationLine, error) {
	line, err := scanAllocation(s.db.QueryRowContext(ctx, s.d.bind(allocationSelect+" WHERE al.allocation_id = ?"), id).Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return line, fmt.Errorf("allocation %q: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return line, fmt.Errorf("read allocation %q: %w", id, err)
	}
	return line, nil
}

// Allocation is one allocation with its budget line and a page of its
// payments.
func (s *Store) Allocation(ctx context.Context, id string, page store.Page) (*store.AllocationDetail, error) {
	a, err := s.allocationLine(ctx, id)
	if err != nil {
		return nil, err
	}
	d := &store.AllocationDetail{Allocation: a}
	if d.Appropriation, err = s.appropriationLine(ctx, a.Allocation.AppropriationID); err != nil {
		return nil, err
	}
	if d.Reversal, err = s.reversalEntry(ctx, finance.TypeAllocation, id); err != nil {
		return nil, err
	}
	d.Disbursements, d.Next, err = s.Disbursements(ctx, store.DisbursementFilter{AllocationID: id}, page)
	return d, err
}

const disbursementSelect = `SELECT d.record, d.channel, d.block, d.tx_id, d.tx_time, re.record
	FROM fin_disbursements d LEFT JOIN fin_reversal_entries re ON re.record_type = 'disbursement' AND re.record_id = d.disbursement_id`

func scanDisbursement(scan func(...any) error) (store.DisbursementLine, error) {
	var r recordRow
	var reversal sql.NullString
	var line store.DisbursementLine
	if err := scan(append(r.dest(), &reversal)...); err != nil {
		return line, err
	}
	rec, err := decodeRow[finance.Disbursement](&r)
	if err != nil {
		return line, err
	}
	line.Disbursement, line.At = rec.Value, rec.At
	if reversal.Valid {
		line.Reversal = &finance.ReversalEntry{}
		if err := decodeJSON(reversal.String, line.Reversal); err != nil {
			return line, err
		}
	}
	return line, nil
}

// Disbursements lists payments in ID order.
func (s *Store) Disbursements(ctx context.Context, f store.DisbursementFilter, page store.Page) ([]store.DisbursementLine, string, error) {
	var where []string
	var args []any
	add := func(cond string, arg any) {
		where = append(where, cond)
		args = append(args, arg)
	}
	if f.AllocationID != "" {
		add("d.allocation_id = ?", f.AllocationID)
	}
	if f.PayeeReg != "" {
		add("d.payee_reg = ?", f.PayeeReg)
	}
	if f.Year != 0 {
		add("d.fiscal_year = ?", f.Year)
	}
	if f.Agency != "" {
		add("d.agency = ?", f.Agency)
	}
	if page.After != "" {
		add("d.disbursement_id > ?", page.After)
	}
	query := disbursementSelect
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	limit := page.Size()
	query += " ORDER BY d.disbursement_id LIMIT " + strconv.Itoa(limit)
	rows, err := s.db.QueryContext(ctx, s.d.bind(query), args...)
	if err != nil {
		return nil, "", fmt.Errorf("list disbursements: %w", err)
	}
	defer rows.Close()
	lines := []store.DisbursementLine{}
	for rows.Next() {
		line, err := scanDisbursement(rows.Scan)
		if err != nil {
			return nil, "", fmt.Errorf("list disbursements: %w", err)
		}
		lines = append(lines, line)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("list disbursements: %w", err)
	}
	next := ""
	if len(lines) == limit {
		next = lines[len(lines)-1].Disbursement.DisbursementID
	}
	return lines, next, nil
}

// Disbursement follows one payment up to its budget line.
func (s *Store) Disbursement(ctx context.Context, id string) (*store.DisbursementTrace, error) {
	line, err := scanDisbursement(s.db.QueryRowContext(ctx, s.d.bind(disbursementSelect+" WHERE d.disbursement_id = ?"), id).Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("disbursement %q: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read disbursement %q: %w", id, err)
	}
	t := &store.DisbursementTrace{Disbursement: line}
	if t.Allocation, err = s.allocationLine(ctx, line.Disbursement.AllocationID); err != nil {
		return nil, err
	}
	if t.Appropriation, err = s.appropriationLine(ctx, line.Disbursement.AppropriationID); err != nil {
		return nil, err
	}
	revs, err := records[finance.Reversal](ctx, s, "SELECT "+recordColumns+` FROM fin_reversals
		WHERE record_type = ? AND record_id = ? ORDER BY tx_time, reversal_id`, finance.TypeDisbursement, id)
	if err != nil {
		return nil, err
	}
	if t.Reversals, err = s.reversalStatuses(ctx, revs); err != nil {
		return nil, err
	}
	return t, nil
}

func (s *Store) reversalEntry(ctx context.Context, recordType, id string) (*finance.ReversalEntry, error) {
	return maybe[finance.ReversalEntry](ctx, s, "SELECT "+recordColumns+" FROM fin_reversal_entries WHERE record_type = ? AND record_id = ?", recordType, id)
}

// reversalStatuses adds their approvals and execution to reversals.
func (s *Store) reversalStatuses(ctx context.Context, revs []readmodel.Record[finance.Reversal]) ([]store.ReversalStatus, error) {
	out := []store.ReversalStatus{}
	for _, r := range revs {
		st := store.ReversalStatus{Reversal: r.Value, At: r.At, Approvals: []finance.Approval{}}
		approvals, err := records[finance.Approval](ctx, s, "SELECT "+recordColumns+" FROM fin_approvals WHERE reversal_id = ? ORDER BY tx_time, msp_id", r.Value.ReversalID)
		if err != nil {
			return nil, err
		}
		for _, a := range approvals {
			st.Approvals = append(st.Approvals, a.Value)
		}
		if st.Execution, err = maybe[finance.ReversalEntry](ctx, s, "SELECT "+recordColumns+" FROM fin_reversal_entries WHERE reversal_id = ?", r.Value.ReversalID); err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

// Reversals lists reversal proposals, newest first.
func (s *Store) Reversals(ctx context.Context, page store.Page) ([]store.ReversalStatus, string, error) {
	limit := page.Size()
	query := "SELECT " + recordColumns + " FROM fin_reversals"
	var args []any
	if page.After != "" {
		t, id := cursor(page.After)
		query += " WHERE (tx_time < ? OR (tx_time = ? AND reversal_id < ?))"
		args = append(args, t, t, id)
	}
	query += " ORDER BY tx_time DESC, reversal_id DESC LIMIT " + strconv.Itoa(limit)
	revs, err := records[finance.Reversal](ctx, s, query, args...)
	if err != nil {
		return nil, "", err
	}
	out, err := s.reversalStatuses(ctx, revs)
	if err != nil || len(revs) == 0 {
		return out, "", err
	}
	last := revs[len(revs)-1]
	return out, nextCursor(len(revs), limit, timeText(last.At.Time), last.Value.ReversalID), nil
}

// Payees lists payees by amount paid, largest first; the cursor is an
// offset.
func (s *Store) Payees(ctx context.Context, page store.Page) ([]store.Payee, string, error) {
	limit := page.Size()
	offset, _ := strconv.Atoi(page.After)
	rows, err := s.db.QueryContext(ctx, s.d.bind(`SELECT payee_reg, name, currency, disbursements, amount, reversed FROM fin_payees
		ORDER BY amount DESC, payee_reg DESC, currency DESC LIMIT ? OFFSET ?`), limit, max(0, offset))
	if err != nil {
		return nil, "", fmt.Errorf("list payees: %w", err)
	}
	defer rows.Close()
	payees := []store.Payee{}
	for rows.Next() {
		var p store.Payee
		if err := rows.Scan(&p.RegistrationNumber, &p.Name, &p.Currency, &p.Disbursements, &p.Amount, &p.Reversed); err != nil {
			return nil, "", fmt.Errorf("list payees: %w", err)
		}
		payees = append(payees, p)
	}
	next := ""
	if len(payees) == limit {
		next = strconv.Itoa(max(0, offset) + limit)
	}
	return payees, next, rows.Err()
}
