package finance_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govshare/govshare/chaincode/consortium"
	"github.com/govshare/govshare/chaincode/finance"
	"github.com/govshare/govshare/chaincode/foundation"
	"github.com/govshare/govshare/chaincode/foundation/ledgertest"
)

func compositeKey(objectType string, attrs ...string) string {
	return "\x00" + objectType + "\x00" + strings.Join(attrs, "\x00") + "\x00"
}

// stored decodes the committed value of a key into a new T.
func stored[T any](t *testing.T, f *fixture, key string) *T {
	t.Helper()
	raw := f.l.State(key)
	require.NotNil(t, raw, "key %q is stored", key)
	v := new(T)
	require.NoError(t, json.Unmarshal(raw, v))
	return v
}

func TestAppropriate(t *testing.T) {
	f := newFixture(t)
	a, err := call(f, f.officer, (*finance.Contract).Appropriate, appropriation("P-1", 1_000_000_00))
	require.NoError(t, err)
	assert.Equal(t, finance.Appropriation{
		AppropriationID: "P-1", FiscalYear: 2026, Title: "Primary school textbooks",
		Classification: finance.Classification{Administrative: "EDU-01", Functional: "09.1", Economic: "2211"},
		Amount:         1_000_000_00, Currency: "EUR", Owner: bureau,
		RecordedAt: a.RecordedAt, RecordedBy: a.RecordedBy,
	}, *a)
	assert.Contains(t, a.RecordedBy, "CN=budget-officer", "the recorder is named by certificate")
	assert.False(t, a.RecordedAt.IsZero())

	assert.Equal(t, a, stored[finance.Appropriation](t, f, compositeKey("fin.appropriation", "P-1")))
	assert.Equal(t, &finance.AppropriationBalance{
		AppropriationID: "P-1", FiscalYear: 2026, Classification: a.Classification, Currency: "EUR",
		Appropriated: 1_000_000_00, Allocated: 0,
	}, stored[finance.AppropriationBalance](t, f, compositeKey("fin.budget", "2026", "P-1")))

	name, ev := f.lastEvent()
	assert.Equal(t, finance.EventAppropriationRecorded, name)
	assert.Equal(t, "Appropriate", ev.Function)
	assert.Equal(t, bureau, ev.Caller.MSPID)
	assert.Equal(t, consortium.RoleBudgetOfficer, ev.Caller.Role)
	assert.Equal(t, []string{"create fin.appropriation P-1", "put fin.budget 2026/P-1"}, ledgertest.ChangeSummary(ev))

	valid := appropriation("P-2", 500)
	modified := func(change func(*finance.AppropriateRequest)) finance.AppropriateRequest {
		r := valid
		change(&r)
		return r
	}
	appropriate := func(req any) func() error { return refuse(f, f.officer, (*finance.Contract).Appropriate, req) }
	f.l.RunRefusals(t, []ledgertest.RefusalCase{
		{Name: "auditor (wrong organisation and role)", Call: refuse(f, f.auditor, (*finance.Contract).Appropriate, valid),
			Want: ledgertest.Refused(foundation.ErrAccessDenied, `Appropriate called by AuditOfficeMSP with role "auditor"`, `requires role "budget-officer" in FinanceBureauMSP`)},
		{Name: "agency accountant (wrong organisation)", Call: refuse(f, f.eduAcc, (*finance.Contract).Appropriate, valid),
			Want: ledgertest.Refused(foundation.ErrAccessDenied, "EduMinistryMSP")},
		{Name: "finance bureau admin (wrong role)", Call: refuse(f, f.l.As(bureau, consortium.RoleAdmin), (*finance.Contract).Appropriate, valid),
			Want: ledgertest.Refused(foundation.ErrAccessDenied, `FinanceBureauMSP with role "admin"`)},
		{Name: "finance bureau user without role", Call: refuse(f, f.l.As(bureau, ""), (*finance.Contract).Appropriate, valid),
			Want: ledgertest.Refused(foundation.ErrAccessDenied, "no govshare.role attribute")},
		{Name: "duplicate ID", Call: appropriate(appropriation("P-1", 500)), Want: ledgertest.Refused(foundation.ErrAlreadyExists, `appropriation "P-1" already exists`, "recorded by FinanceBureauMSP")},
		{Name: "zero amount", Call: appropriate(modified(func(r *finance.AppropriateRequest) { r.Amount = 0 })), Want: ledgertest.Refused(foundation.ErrInvalidInput, "amount: must be between 1 and")},
		{Name: "negative amount", Call: appropriate(modified(func(r *finance.AppropriateRequest) { r.Amount = -5 })), Want: ledgertest.Refused(foundation.ErrInvalidInput, "amount")},
		{Name: "amount over the maximum", Call: appropriate(modified(func(r *finance.AppropriateRequest) { r.Amount = finance.MaxAmount + 1 })), Want: ledgertest.Refused(foundation.ErrInvalidInput, "amount")},
		{Name: "fractional amount", Call: appropriate(replaceJSON(t, valid, `"amount":500`, `"amount":5.5`)), Want: ledgertest.Refused(foundation.ErrInvalidInput, "amount: must be an integer")},
		{Name: "amount as string", Call: appropriate(replaceJSON(t, valid, `"amount":500`, `"amount":"500"`)), Want: ledgertest.Refused(foundation.ErrInvalidInput, "amount")},
		{Name: "lower-case currency", Call: appropriate(modified(func(r *finance.AppropriateRequest) { r.Currency = "eur" })), Want: ledgertest.Refused(foundation.ErrInvalidInput, "currency: must be an ISO 4217 code")},
		{Name: "missing currency", Call: appropriate(modified(func(r *finance.AppropriateRequest) { r.Currency = "" })), Want: ledgertest.Refused(foundation.ErrInvalidInput, "currency: required")},
		{Name: "not a COFOG code", Call: appropriate(modified(func(r *finance.AppropriateRequest) { r.FunctionalCode = "11.1" })), Want: ledgertest.Refused(foundation.ErrInvalidInput, "functionalCode: must be a COFOG code")},
		{Name: "fiscal year too early", Call: appropriate(modified(func(r *finance.AppropriateRequest) { r.FiscalYear = 1999 })), Want: ledgertest.Refused(foundation.ErrInvalidInput, "fiscalYear: must be between 2000 and 2100")},
		{Name: "owner in request", Call: appropriate(replaceJSON(t, valid, `{`, `{"owner":"EduMinistryMSP",`)), Want: ledgertest.Refused(foundation.ErrInvalidInput, "owner: unknown field")},
		{Name: "duplicate field", Call: appropriate(replaceJSON(t, valid, `{`, `{"amount":1,`)), Want: ledgertest.Refused(foundation.ErrInvalidInput, "amount: appears more than once")},
		{Name: "not JSON", Call: appropriate(`appropriate 500 EUR`), Want: ledgertest.Refused(foundation.ErrInvalidInput, "must be a JSON object")},
		{Name: "empty object", Call: appropriate(`{}`), Want: ledgertest.Refused(foundation.ErrInvalidInput, "appropriationId: required", "title: required", "currency: required")},
	})

	t.Run("COFOG codes at every level", func(t *testing.T) {
		for i, code := range []string{"01", "10", "09.4", "09.4.1"} {
			req := modified(func(r *finance.AppropriateRequest) {
				r.AppropriationID = "COFOG-" + string(rune('A'+i))
				r.FunctionalCode = code
			})
			_, err := call(f, f.officer, (*finance.Contract).Appropriate, req)
			assert.NoError(t, err, code)
		}
	})
}

func TestAllocate(t *testing.T) {
	f := newFixture(t)
	f.must(call(f, f.officer, (*finance.Contract).Appropriate, appropriation("P-1", 1000)))

	a, err := call(f, f.officer, (*finance.Contract).Allocate, allocation("A-1", "P-1", ministry, 600))
	require.NoError(t, err)
	assert.Equal(t, finance.Allocation{
		AllocationID: "A-1", AppropriationID: "P-1", FiscalYear: 2026, Agency: ministry,
		Purpose:        "Textbooks, first grade",
		Classification: finance.Classification{Administrative: "EDU-01", Functional: "09.1", Economic: "2211"},
		Amount:         600, Currency: "EUR", Owner: bureau, RecordedAt: a.RecordedAt, RecordedBy: a.RecordedBy,
	}, *a)
	assert.Equal(t, &finance.AllocationBalance{
		AllocationID: "A-1", AppropriationID: "P-1", FiscalYear: 2026, Agency: ministry,
		Classification: a.Classification, Currency: "EUR", Allocated: 600,
	}, stored[finance.AllocationBalance](t, f, compositeKey("fin.spending", "2026", "P-1", "A-1")))
	assert.Equal(t, int64(600), stored[finance.AppropriationBalance](t, f, compositeKey("fin.budget", "2026", "P-1")).Allocated)
	name, ev := f.lastEvent()
	assert.Equal(t, finance.EventAllocationRecorded, name)
	assert.Equal(t, []string{"create fin.allocation A-1", "put fin.spending 2026/P-1/A-1", "update fin.budget 2026/P-1"}, ledgertest.ChangeSummary(ev))

	f.must(call(f, f.officer, (*finance.Contract).Appropriate, finance.AppropriateRequest{
		AppropriationID: "P-USD", FiscalYear: 2026, Title: "Court IT", AdministrativeCode: "CT-1",
		FunctionalCode: "03.3", EconomicCode: "2222", Amount: 1000, Currency: "USD",
	}))

	valid := allocation("A-2", "P-1", court, 400)
	modified := func(change func(*finance.AllocateRequest)) finance.AllocateRequest {
		r := valid
		change(&r)
		return r
	}
	allocate := func(req any) func() error { return refuse(f, f.officer, (*finance.Contract).Allocate, req) }
	f.l.RunRefusals(t, []ledgertest.RefusalCase{
		{Name: "over the appropriation by one minor unit", Call: allocate(modified(func(r *finance.AllocateRequest) { r.Amount = 401 })),
			Want: ledgertest.Refused(foundation.ErrConflict, `appropriation "P-1" has 400 EUR unallocated; an allocation of 401 EUR would exceed it`)},
		{Name: "wrong currency", Call: allocate(modified(func(r *finance.AllocateRequest) { r.Currency = "USD" })),
			Want: ledgertest.Refused(foundation.ErrInvalidInput, `currency: must be EUR, the currency of appropriation "P-1"`)},
		{Name: "zero amount", Call: allocate(modified(func(r *finance.AllocateRequest) { r.Amount = 0 })), Want: ledgertest.Refused(foundation.ErrInvalidInput, "amount: must be between 1")},
		{Name: "negative amount", Call: allocate(modified(func(r *finance.AllocateRequest) { r.Amount = -400 })), Want: ledgertest.Refused(foundation.ErrInvalidInput, "amount: must be between 1")},
		{Name: "agency that does not spend", Call: allocate(modified(func(r *finance.AllocateRequest) { r.Agency = audit })),
			Want: ledgertest.Refused(foundation.ErrInvalidInput, "agency: must be one of EduMinistryMSP, InternetCourtMSP")},
		{Name: "agency outside the channel", Call: allocate(modified(func(r *finance.AllocateRequest) { r.Agency = consortium.UniversityAMSP })),
			Want: ledgertest.Refused(foundation.ErrInvalidInput, "agency")},
		{Name: "unknown appropriation", Call: allocate(modified(func(r *finance.AllocateRequest) { r.AppropriationID = "P-404" })),
			Want: ledgertest.Refused(foundation.ErrNotFound, `appropriation "P-404" not found`)},
		{Name: "duplicate ID", Call: allocate(modified(func(r *finance.AllocateRequest) { r.AllocationID = "A-1" })),
			Want: ledgertest.Refused(foundation.ErrAlreadyExists, `allocation "A-1" already exists`)},
		{Name: "agency accountant (wrong organisation)", Call: refuse(f, f.eduAcc, (*finance.Contract).Allocate, valid),
			Want: ledgertest.Refused(foundation.ErrAccessDenied, `Allocate called by EduMinistryMSP with role "accountant"`, `requires role "budget-officer" in FinanceBureauMSP`)},
		{Name: "oversight inspector", Call: refuse(f, f.inspector, (*finance.Contract).Allocate, valid), Want: ledgertest.Refused(foundation.ErrAccessDenied, "OversightMSP")},
		{Name: "finance bureau admin (wrong role)", Call: refuse(f, f.l.As(bureau, consortium.RoleAdmin), (*finance.Contract).Allocate, valid),
			Want: ledgertest.Refused(foundation.ErrAccessDenied, `role "admin"`)},
		{Name: "malformed JSON", Call: allocate(`{"allocationId":"A-2",`), Want: ledgertest.Refused(foundation.ErrInvalidInput, "malformed JSON")},
		{Name: "unknown field", Call: allocate(replaceJSON(t, valid, `{`, `{"spent":0,`)), Want: ledgertest.Refused(foundation.ErrInvalidInput, "spent: unknown field")},
		{Name: "identifier with spaces", Call: allocate(modified(func(r *finance.AllocateRequest) { r.AllocationID = "A 2" })), Want: ledgertest.Refused(foundation.ErrInvalidInput, "allocationId: must be 1 to 64 characters")},
	})

	t.Run("exactly the unallocated remainder", func(t *testing.T) {
		_, err := call(f, f.officer, (*finance.Contract).Allocate, valid)
		require.NoError(t, err)
		assert.Equal(t, finance.AppropriationTotals{Currency: "EUR", Appropriated: 1000, Allocated: 1000, Unallocated: 0, Spent: 0, Remaining: 1000,
			Executed: finance.Share{Numerator: 0, Denominator: 1000}}, f.appropriationTotals("P-1"))
		f.l.RequireRefused(t, ledgertest.Refused(foundation.ErrConflict, "has 0 EUR unallocated; an allocation of 1 EUR would exceed it"),
			allocate(modified(func(r *finance.AllocateRequest) { r.AllocationID = "A-3"; r.Amount = 1 })))
	})
}

func TestDisburse(t *testing.T) {
	f := newBudget(t)
	req := disbursement("D-1", "A-EDU", 150_000_00)
	d, err := call(f, f.eduAcc, (*finance.Contract).Disburse, req)
	require.NoError(t, err)
	assert.Equal(t, finance.Disbursement{
		DisbursementID: "D-1", AllocationID: "A-EDU", AppropriationID: "P-1", FiscalYear: 2026, Agency: ministry,
		Classification: finance.Classification{Administrative: "EDU-01", Functional: "09.1", Economic: "2211"},
		Payee:          req.Payee, Purpose: req.Purpose, ProcurementReference: req.ProcurementReference, InvoiceHash: req.InvoiceHash,
		Amount: 150_000_00, Currency: "EUR", TransactionType: "disbursement", IATICode: 3,
		Owner: ministry, RecordedAt: d.RecordedAt, RecordedBy: d.RecordedBy,
	}, *d)
	assert.Contains(t, d.RecordedBy, "CN=accountant")
	assert.Equal(t, d, stored[finance.Disbursement](t, f, compositeKey("fin.disbursement", "A-EDU", "D-1")))
	assert.JSONEq(t, `{"allocationId":"A-EDU"}`, string(f.l.State(compositeKey("fin.payment", "D-1"))))
	assert.Equal(t, finance.AllocationTotals{Currency: "EUR", Allocated: eduAllocated, Spent: 150_000_00, Remaining: 250_000_00,
		Executed: finance.Share{Numerator: 150_000_00, Denominator: eduAllocated, BasisPoints: 3750}}, f.allocationTotals("A-EDU"))

	name, ev := f.lastEvent()
	assert.Equal(t, finance.EventDisbursementRecorded, name)
	assert.Equal(t, []string{"create fin.payment D-1", "put fin.disbursement A-EDU/D-1", "update fin.spending 2026/P-1/A-EDU"}, ledgertest.ChangeSummary(ev))
	assert.NotContains(t, ledgertest.ChangeSummary(ev), "update fin.budget 2026/P-1", "a disbursement never writes the appropriation's totals")

	t.Run("IATI codes of the transaction types", func(t *testing.T) {
		for i, tt := range []struct {
			kind string
			code int
		}{{finance.TransactionCommitment, 2}, {finance.TransactionExpenditure, 4}} {
			r := disbursement("D-CODE-"+tt.kind, "A-CT", 1)
			r.TransactionType = tt.kind
			d, err := call(f, f.courtAcc, (*finance.Contract).Disburse, r)
			require.NoError(t, err, i)
			assert.Equal(t, tt.code, d.IATICode)
		}
	})

	valid := disbursement("D-2", "A-EDU", 250_000_00)
	modified := func(change func(*finance.DisburseRequest)) finance.DisburseRequest {
		r := valid
		change(&r)
		return r
	}
	disburse := func(req any) func() error { return refuse(f, f.eduAcc, (*finance.Contract).Disburse, req) }
	f.l.RunRefusals(t, []ledgertest.RefusalCase{
		{Name: "overspend by one minor unit", Call: disburse(modified(func(r *finance.DisburseRequest) { r.Amount = 250_000_01 })),
			Want: ledgertest.Refused(foundation.ErrConflict, `allocation "A-EDU" has 25000000 EUR remaining; a disbursement of 25000001 EUR would exceed it`)},
		{Name: "another agency's allocation", Call: refuse(f, f.courtAcc, (*finance.Contract).Disburse, valid),
			Want: ledgertest.Refused(foundation.ErrAccessDenied, `Disburse called by InternetCourtMSP with role "accountant"`, "requires the agency of allocation A-EDU (EduMinistryMSP)")},
		{Name: "budget officer (wrong organisation and role)", Call: refuse(f, f.officer, (*finance.Contract).Disburse, valid),
			Want: ledgertest.Refused(foundation.ErrAccessDenied, `Disburse called by FinanceBureauMSP`, `requires role "accountant" in EduMinistryMSP or InternetCourtMSP`)},
		{Name: "ministry officer (wrong role)", Call: refuse(f, f.l.As(ministry, consortium.RoleOfficer), (*finance.Contract).Disburse, valid),
			Want: ledgertest.Refused(foundation.ErrAccessDenied, `EduMinistryMSP with role "officer"`)},
		{Name: "court clerk (wrong role)", Call: refuse(f, f.l.As(court, consortium.RoleClerk), (*finance.Contract).Disburse, disbursement("D-2", "A-CT", 1)),
			Want: ledgertest.Refused(foundation.ErrAccessDenied, `InternetCourtMSP with role "clerk"`)},
		{Name: "accountant of a university (wrong organisation)", Call: refuse(f, f.l.As(consortium.UniversityAMSP, consortium.RoleAccountant), (*finance.Contract).Disburse, valid),
			Want: ledgertest.Refused(foundation.ErrAccessDenied, "UniversityAMSP")},
		{Name: "zero amount", Call: disburse(modified(func(r *finance.DisburseRequest) { r.Amount = 0 })), Want: ledgertest.Refused(foundation.ErrInvalidInput, "amount: must be between 1")},
		{Name: "negative amount", Call: disburse(modified(func(r *finance.DisburseRequest) { r.Amount = -1 })), Want: ledgertest.Refused(foundation.ErrInvalidInput, "amount: must be between 1")},
		{Name: "wrong currency", Call: disburse(modified(func(r *finance.DisburseRequest) { r.Currency = "USD" })),
			Want: ledgertest.Refused(foundation.ErrInvalidInput, `currency: must be EUR, the currency of allocation "A-EDU"`)},
		{Name: "unknown allocation", Call: disburse(modified(func(r *finance.DisburseRequest) { r.AllocationID = "A-404" })), Want: ledgertest.Refused(foundation.ErrNotFound, `allocation "A-404" not found`)},
		{Name: "duplicate ID", Call: disburse(modified(func(r *finance.DisburseRequest) { r.DisbursementID = "D-1" })),
			Want: ledgertest.Refused(foundation.ErrAlreadyExists, `disbursement "D-1" already exists: against allocation A-EDU`)},
		{Name: "invoice hash not SHA-256", Call: disburse(modified(func(r *finance.DisburseRequest) { r.InvoiceHash = strings.ToUpper(r.InvoiceHash) })),
			Want: ledgertest.Refused(foundation.ErrInvalidInput, "invoiceHash: must be a SHA-256 digest")},
		{Name: "unknown transaction type", Call: disburse(modified(func(r *finance.DisburseRequest) { r.TransactionType = "loan" })),
			Want: ledgertest.Refused(foundation.ErrInvalidInput, "transactionType: must be one of commitment, disbursement, expenditure")},
		{Name: "payee without registration number", Call: disburse(modified(func(r *finance.DisburseRequest) { r.Payee.RegistrationNumber = "" })),
			Want: ledgertest.Refused(foundation.ErrInvalidInput, "payee.registrationNumber: required")},
		{Name: "agency in request", Call: disburse(replaceJSON(t, valid, `{`, `{"agency":"InternetCourtMSP",`)), Want: ledgertest.Refused(foundation.ErrInvalidInput, "agency: unknown field")},
		{Name: "unknown payee field", Call: disburse(replaceJSON(t, valid, `"payee":{`, `"payee":{"iban":"X",`)), Want: ledgertest.Refused(foundation.ErrInvalidInput, "iban: unknown field")},
		{Name: "payee as string", Call: disburse(replaceJSON(t, valid, `"payee":{`, `"payee":"Example","x":{`)), Want: ledgertest.Refused(foundation.ErrInvalidInput, "payee")},
		// the same signed bytes must read the same to every reader: a
		// case-sensitive one would see 250,000.00 here, encoding/json alone
		// the second spelling
		{Name: "amount spelled twice", Call: disburse(replaceJSON(t, valid, `"amount":25000000`, `"amount":25000000,"AMOUNT":2500000000`)),
			Want: ledgertest.Refused(foundation.ErrInvalidInput, `AMOUNT: unknown field; field names are exact: did you mean "amount"?`)},
		{Name: "payee name spelled with a long s", Call: disburse(replaceJSON(t, valid, `"payee":{"name"`, `"payee":{"nameſ":"x","name"`)),
			Want: ledgertest.Refused(foundation.ErrInvalidInput, "payee.nameſ: unknown field")},
		{Name: "payee field in another case", Call: disburse(replaceJSON(t, valid, `"registrationNumber"`, `"RegistrationNumber"`)),
			Want: ledgertest.Refused(foundation.ErrInvalidInput, `payee.RegistrationNumber: unknown field; field names are exact: did you mean "registrationNumber"?`)},
		{Name: "payee name with a right-to-left override", Call: disburse(modified(func(r *finance.DisburseRequest) { r.Payee.Name = "Example \u202eLtd" })),
			Want: ledgertest.Refused(foundation.ErrInvalidInput, "payee.name: must not contain invisible formatting, bidirectional control or line separator characters")},
		{Name: "purpose with a zero width space", Call: disburse(modified(func(r *finance.DisburseRequest) { r.Purpose = "Text\u200bbooks" })),
			Want: ledgertest.Refused(foundation.ErrInvalidInput, "purpose: must not contain invisible formatting")},
		{Name: "float amount", Call: disburse(replaceJSON(t, valid, `"amount":25000000`, `"amount":250000.00`)), Want: ledgertest.Refused(foundation.ErrInvalidInput, "amount: must be an integer")},
		{Name: "amount beyond int64", Call: disburse(replaceJSON(t, valid, `"amount":25000000`, `"amount":9223372036854775808`)), Want: ledgertest.Refused(foundation.ErrInvalidInput, "amount")},
		{Name: "trailing data", Call: disburse(toJSON(t, valid) + `{}`), Want: ledgertest.Refused(foundation.ErrInvalidInput, "unexpected data after the JSON object")},
	})

	t.Run("exactly the remaining amount, then nothing more", func(t *testing.T) {
		_, err := call(f, f.eduAcc, (*finance.Contract).Disburse, valid)
		require.NoError(t, err)
		totals := f.allocationTotals("A-EDU")
		assert.Equal(t, int64(0), totals.Remaining)
		assert.Equal(t, int64(10_000), totals.Executed.BasisPoints)
		f.l.RequireRefused(t, ledgertest.Refused(foundation.ErrConflict, "has 0 EUR remaining; a disbursement of 1 EUR would exceed it"),
			disburse(modified(func(r *finance.DisburseRequest) { r.DisbursementID = "D-3"; r.Amount = 1 })))
	})
}
