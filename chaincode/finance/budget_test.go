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
	assert.Equal(t, []string{"create fin.appropriation P-1", "put fin.budget 2026/P-1"}, changeSummary(ev))

	valid := appropriation("P-2", 500)
	modified := func(change func(*finance.AppropriateRequest)) finance.AppropriateRequest {
		r := valid
		change(&r)
		return r
	}
	appropriate := func(req any) func() error { return refuse(f, f.officer, (*finance.Contract).Appropriate, req) }
	runRefusals(t, f, []refusalCase{
		{"auditor (wrong organisation and role)", refuse(f, f.auditor, (*finance.Contract).Appropriate, valid),
			refused(foundation.ErrAccessDenied, `Appropriate called by AuditOfficeMSP with role "auditor"`, `requires role "budget-officer" in FinanceBureauMSP`)},
		{"agency accountant (wrong organisation)", refuse(f, f.eduAcc, (*finance.Contract).Appropriate, valid),
			refused(foundation.ErrAccessDenied, "EduMinistryMSP")},
		{"finance bureau admin (wrong role)", refuse(f, f.l.As(bureau, consortium.RoleAdmin), (*finance.Contract).Appropriate, valid),
			refused(foundation.ErrAccessDenied, `FinanceBureauMSP with role "admin"`)},
		{"finance bureau user without role", refuse(f, f.l.As(bureau, ""), (*finance.Contract).Appropriate, valid),
			refused(foundation.ErrAccessDenied, "no govshare.role attribute")},
		{"duplicate ID", appropriate(appropriation("P-1", 500)), refused(foundation.ErrAlreadyExists, `appropriation "P-1" already exists`, "recorded by FinanceBureauMSP")},
		{"zero amount", appropriate(modified(func(r *finance.AppropriateRequest) { r.Amount = 0 })), refused(foundation.ErrInvalidInput, "amount: must be between 1 and")},
		{"negative amount", appropriate(modified(func(r *finance.AppropriateRequest) { r.Amount = -5 })), refused(foundation.ErrInvalidInput, "amount")},
		{"amount over the maximum", appropriate(modified(func(r *finance.AppropriateRequest) { r.Amount = finance.MaxAmount + 1 })), refused(foundation.ErrInvalidInput, "amount")},
		{"fractional amount", appropriate(replaceJSON(t, valid, `"amount":500`, `"amount":5.5`)), refused(foundation.ErrInvalidInput, "amount: must be an integer")},
		{"amount as string", appropriate(replaceJSON(t, valid, `"amount":500`, `"amount":"500"`)), refused(foundation.ErrInvalidInput, "amount")},
		{"lower-case currency", appropriate(modified(func(r *finance.AppropriateRequest) { r.Currency = "eur" })), refused(foundation.ErrInvalidInput, "currency: must be an ISO 4217 code")},
		{"missing currency", appropriate(modified(func(r *finance.AppropriateRequest) { r.Currency = "" })), refused(foundation.ErrInvalidInput, "currency: required")},
		{"not a COFOG code", appropriate(modified(func(r *finance.AppropriateRequest) { r.FunctionalCode = "11.1" })), refused(foundation.ErrInvalidInput, "functionalCode: must be a COFOG code")},
		{"fiscal year too early", appropriate(modified(func(r *finance.AppropriateRequest) { r.FiscalYear = 1999 })), refused(foundation.ErrInvalidInput, "fiscalYear: must be between 2000 and 2100")},
		{"owner in request", appropriate(replaceJSON(t, valid, `{`, `{"owner":"EduMinistryMSP",`)), refused(foundation.ErrInvalidInput, "owner: unknown field")},
		{"duplicate field", appropriate(replaceJSON(t, valid, `{`, `{"amount":1,`)), refused(foundation.ErrInvalidInput, "amount: appears more than once")},
		{"not JSON", appropriate(`appropriate 500 EUR`), refused(foundation.ErrInvalidInput, "must be a JSON object")},
		{"empty object", appropriate(`{}`), refused(foundation.ErrInvalidInput, "appropriationId: required", "title: required", "currency: required")},
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
	assert.Equal(t, []string{"create fin.allocation A-1", "put fin.spending 2026/P-1/A-1", "update fin.budget 2026/P-1"}, changeSummary(ev))

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
	runRefusals(t, f, []refusalCase{
		{"over the appropriation by one minor unit", allocate(modified(func(r *finance.AllocateRequest) { r.Amount = 401 })),
			refused(foundation.ErrConflict, `appropriation "P-1" has 400 EUR unallocated; an allocation of 401 EUR would exceed it`)},
		{"wrong currency", allocate(modified(func(r *finance.AllocateRequest) { r.Currency = "USD" })),
			refused(foundation.ErrInvalidInput, `currency: must be EUR, the currency of appropriation "P-1"`)},
		{"zero amount", allocate(modified(func(r *finance.AllocateRequest) { r.Amount = 0 })), refused(foundation.ErrInvalidInput, "amount: must be between 1")},
		{"negative amount", allocate(modified(func(r *finance.AllocateRequest) { r.Amount = -400 })), refused(foundation.ErrInvalidInput, "amount: must be between 1")},
		{"agency that does not spend", allocate(modified(func(r *finance.AllocateRequest) { r.Agency = audit })),
			refused(foundation.ErrInvalidInput, "agency: must be one of EduMinistryMSP, InternetCourtMSP")},
		{"agency outside the channel", allocate(modified(func(r *finance.AllocateRequest) { r.Agency = consortium.UniversityAMSP })),
			refused(foundation.ErrInvalidInput, "agency")},
		{"unknown appropriation", allocate(modified(func(r *finance.AllocateRequest) { r.AppropriationID = "P-404" })),
			refused(foundation.ErrNotFound, `appropriation "P-404" not found`)},
		{"duplicate ID", allocate(modified(func(r *finance.AllocateRequest) { r.AllocationID = "A-1" })),
			refused(foundation.ErrAlreadyExists, `allocation "A-1" already exists`)},
		{"agency accountant (wrong organisation)", refuse(f, f.eduAcc, (*finance.Contract).Allocate, valid),
			refused(foundation.ErrAccessDenied, `Allocate called by EduMinistryMSP with role "accountant"`, `requires role "budget-officer" in FinanceBureauMSP`)},
		{"oversight inspector", refuse(f, f.inspector, (*finance.Contract).Allocate, valid), refused(foundation.ErrAccessDenied, "OversightMSP")},
		{"finance bureau admin (wrong role)", refuse(f, f.l.As(bureau, consortium.RoleAdmin), (*finance.Contract).Allocate, valid),
			refused(foundation.ErrAccessDenied, `role "admin"`)},
		{"malformed JSON", allocate(`{"allocationId":"A-2",`), refused(foundation.ErrInvalidInput, "malformed JSON")},
		{"unknown field", allocate(replaceJSON(t, valid, `{`, `{"spent":0,`)), refused(foundation.ErrInvalidInput, "spent: unknown field")},
		{"identifier with spaces", allocate(modified(func(r *finance.AllocateRequest) { r.AllocationID = "A 2" })), refused(foundation.ErrInvalidInput, "allocationId: must be 1 to 64 characters")},
	})

	t.Run("exactly the unallocated remainder", func(t *testing.T) {
		_, err := call(f, f.officer, (*finance.Contract).Allocate, valid)
		require.NoError(t, err)
		assert.Equal(t, finance.AppropriationTotals{Currency: "EUR", Appropriated: 1000, Allocated: 1000, Unallocated: 0, Spent: 0, Remaining: 1000,
			Executed: finance.Share{Numerator: 0, Denominator: 1000}}, f.appropriationTotals("P-1"))
		f.l.RequireRefused(t, refused(foundation.ErrConflict, "has 0 EUR unallocated; an allocation of 1 EUR would exceed it"),
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
	assert.Equal(t, []string{"create fin.payment D-1", "put fin.disbursement A-EDU/D-1", "update fin.spending 2026/P-1/A-EDU"}, changeSummary(ev))
	assert.NotContains(t, changeSummary(ev), "update fin.budget 2026/P-1", "a disbursement never writes the appropriation's totals")

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
	runRefusals(t, f, []refusalCase{
		{"overspend by one minor unit", disburse(modified(func(r *finance.DisburseRequest) { r.Amount = 250_000_01 })),
			refused(foundation.ErrConflict, `allocation "A-EDU" has 25000000 EUR remaining; a disbursement of 25000001 EUR would exceed it`)},
		{"another agency's allocation", refuse(f, f.courtAcc, (*finance.Contract).Disburse, valid),
			refused(foundation.ErrAccessDenied, `Disburse called by InternetCourtMSP with role "accountant"`, "requires the agency of allocation A-EDU (EduMinistryMSP)")},
		{"budget officer (wrong organisation and role)", refuse(f, f.officer, (*finance.Contract).Disburse, valid),
			refused(foundation.ErrAccessDenied, `Disburse called by FinanceBureauMSP`, `requires role "accountant" in EduMinistryMSP or InternetCourtMSP`)},
		{"ministry officer (wrong role)", refuse(f, f.l.As(ministry, consortium.RoleOfficer), (*finance.Contract).Disburse, valid),
			refused(foundation.ErrAccessDenied, `EduMinistryMSP with role "officer"`)},
		{"court clerk (wrong role)", refuse(f, f.l.As(court, consortium.RoleClerk), (*finance.Contract).Disburse, disbursement("D-2", "A-CT", 1)),
			refused(foundation.ErrAccessDenied, `InternetCourtMSP with role "clerk"`)},
		{"accountant of a university (wrong organisation)", refuse(f, f.l.As(consortium.UniversityAMSP, consortium.RoleAccountant), (*finance.Contract).Disburse, valid),
			refused(foundation.ErrAccessDenied, "UniversityAMSP")},
		{"zero amount", disburse(modified(func(r *finance.DisburseRequest) { r.Amount = 0 })), refused(foundation.ErrInvalidInput, "amount: must be between 1")},
		{"negative amount", disburse(modified(func(r *finance.DisburseRequest) { r.Amount = -1 })), refused(foundation.ErrInvalidInput, "amount: must be between 1")},
		{"wrong currency", disburse(modified(func(r *finance.DisburseRequest) { r.Currency = "USD" })),
			refused(foundation.ErrInvalidInput, `currency: must be EUR, the currency of allocation "A-EDU"`)},
		{"unknown allocation", disburse(modified(func(r *finance.DisburseRequest) { r.AllocationID = "A-404" })), refused(foundation.ErrNotFound, `allocation "A-404" not found`)},
		{"duplicate ID", disburse(modified(func(r *finance.DisburseRequest) { r.DisbursementID = "D-1" })),
			refused(foundation.ErrAlreadyExists, `disbursement "D-1" already exists: against allocation A-EDU`)},
		{"invoice hash not SHA-256", disburse(modified(func(r *finance.DisburseRequest) { r.InvoiceHash = strings.ToUpper(r.InvoiceHash) })),
			refused(foundation.ErrInvalidInput, "invoiceHash: must be a SHA-256 digest")},
		{"unknown transaction type", disburse(modified(func(r *finance.DisburseRequest) { r.TransactionType = "loan" })),
			refused(foundation.ErrInvalidInput, "transactionType: must be one of commitment, disbursement, expenditure")},
		{"payee without registration number", disburse(modified(func(r *finance.DisburseRequest) { r.Payee.RegistrationNumber = "" })),
			refused(foundation.ErrInvalidInput, "payee.registrationNumber: required")},
		{"agency in request", disburse(replaceJSON(t, valid, `{`, `{"agency":"InternetCourtMSP",`)), refused(foundation.ErrInvalidInput, "agency: unknown field")},
		{"unknown payee field", disburse(replaceJSON(t, valid, `"payee":{`, `"payee":{"iban":"X",`)), refused(foundation.ErrInvalidInput, "iban: unknown field")},
		{"payee as string", disburse(replaceJSON(t, valid, `"payee":{`, `"payee":"Example","x":{`)), refused(foundation.ErrInvalidInput, "payee")},
		// the same signed bytes must read the same to every reader: a
		// case-sensitive one would see 250,000.00 here, encoding/json alone
		// the second spelling
		{"amount spelled twice", disburse(replaceJSON(t, valid, `"amount":25000000`, `"amount":25000000,"AMOUNT":2500000000`)),
			refused(foundation.ErrInvalidInput, `AMOUNT: unknown field; field names are exact: did you mean "amount"?`)},
		{"payee name spelled with a long s", disburse(replaceJSON(t, valid, `"payee":{"name"`, `"payee":{"nameſ":"x","name"`)),
			refused(foundation.ErrInvalidInput, "payee.nameſ: unknown field")},
		{"payee field in another case", disburse(replaceJSON(t, valid, `"registrationNumber"`, `"RegistrationNumber"`)),
			refused(foundation.ErrInvalidInput, `payee.RegistrationNumber: unknown field; field names are exact: did you mean "registrationNumber"?`)},
		{"payee name with a right-to-left override", disburse(modified(func(r *finance.DisburseRequest) { r.Payee.Name = "Example \u202eLtd" })),
			refused(foundation.ErrInvalidInput, "payee.name: must not contain invisible formatting, bidirectional control or line separator characters")},
		{"purpose with a zero width space", disburse(modified(func(r *finance.DisburseRequest) { r.Purpose = "Text\u200bbooks" })),
			refused(foundation.ErrInvalidInput, "purpose: must not contain invisible formatting")},
		{"float amount", disburse(replaceJSON(t, valid, `"amount":25000000`, `"amount":250000.00`)), refused(foundation.ErrInvalidInput, "amount: must be an integer")},
		{"amount beyond int64", disburse(replaceJSON(t, valid, `"amount":25000000`, `"amount":9223372036854775808`)), refused(foundation.ErrInvalidInput, "amount")},
		{"trailing data", disburse(toJSON(t, valid) + `{}`), refused(foundation.ErrInvalidInput, "unexpected data after the JSON object")},
	})

	t.Run("exactly the remaining amount, then nothing more", func(t *testing.T) {
		_, err := call(f, f.eduAcc, (*finance.Contract).Disburse, valid)
		require.NoError(t, err)
		totals := f.allocationTotals("A-EDU")
		assert.Equal(t, int64(0), totals.Remaining)
		assert.Equal(t, int64(10_000), totals.Executed.BasisPoints)
		f.l.RequireRefused(t, refused(foundation.ErrConflict, "has 0 EUR remaining; a disbursement of 1 EUR would exceed it"),
			disburse(modified(func(r *finance.DisburseRequest) { r.DisbursementID = "D-3"; r.Amount = 1 })))
	})
}
