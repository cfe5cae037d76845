package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/govshare/govshare/chaincode/education"
	"github.com/govshare/govshare/chaincode/finance"
	"github.com/govshare/govshare/portal/readmodel"
	"github.com/govshare/govshare/portal/store"
)

// endpoint is one thing the portal shows: an HTML page, its JSON twin in
// the API, or both, with what the OpenAPI document says of it.
type endpoint struct {
	html, api string // route patterns, "" for none
	page      string // template of the HTML page
	summary   string
	params    []param
	// result is a value of the answer's type, for the OpenAPI schema.
	result    any
	oversight bool
	load      func(*http.Request) (any, error)
}

// param is a path or query parameter.
type param struct {
	name, in, description string
	integer               bool
}

var (
	pageParams = []param{{name: "limit", in: "query", description: "rows per page (default 50, at most 1000)", integer: true},
		{name: "after", in: "query", description: "the cursor the previous page returned as next"}}
	idParam = []param{{name: "id", in: "path", description: "the record's ID"}}
)

// badRequest is an error in what the visitor asked.
type badRequest struct{ msg string }

func (e *badRequest) Error() string { return e.msg }

// Listing is one page of a listing and the cursor of the next.
type Listing[T any] struct {
	Items []T    `json:"items"`
	Next  string `json:"next,omitempty"`
}

// SpendingView is a fiscal year's summary and budget lines.
type SpendingView struct {
	Year           int                       `json:"fiscalYear"`
	Years          []int                     `json:"fiscalYears"`
	Functional     string                    `json:"functional,omitempty"`
	Summary        *finance.SpendingSummary  `json:"summary"`
	Appropriations []store.AppropriationLine `json:"appropriations"`
}

// DisbursementsView is a filtered page of payments.
type DisbursementsView struct {
	Filter store.DisbursementFilter `json:"filter"`
	Listing[store.DisbursementLine]
}

// ResourcesView lists learning resources and accredited universities.
type ResourcesView struct {
	Listing[readmodel.Record[education.LearningResource]]
	Accreditations []readmodel.Record[education.Accreditation] `json:"accreditations"`
}

// VerifyView is the answer for a digest, when one was asked.
type VerifyView struct {
	SHA256 string              `json:"sha256,omitempty"`
	Result *store.Verification `json:"result,omitempty"`
}

var sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)

func page(r *http.Request) store.Page {
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	return store.Page{Limit: limit, After: r.URL.Query().Get("after")}
}

// endpoints lists the public and oversight endpoints.
func (s *Server) endpoints() []endpoint {
	q := s.cfg.Queries
	return []endpoint{
		{html: "/{$}", api: "/api/v1/overview", page: "home", summary: "What the read model holds: channels, counts, fiscal years",
			result: store.Overview{}, load: func(r *http.Request) (any, error) { return q.Overview(r.Context()) }},
		{html: "/spending", api: "/api/v1/spending", page: "spending", summary: "A fiscal year's budget and spending by agency and classification, with its budget lines",
			params: []param{{name: "year", in: "query", description: "fiscal year (default: the latest)", integer: true},
				{name: "functional", in: "query", description: "COFOG code or prefix of the budget lines, e.g. 09.1"}},
			result: SpendingView{}, load: s.spending},
		{html: "/spending/appropriations/{id}", api: "/api/v1/appropriations/{id}", page: "appropriation", summary: "A budget line with its allocations",
			params: idParam, result: store.AppropriationDetail{},
			load: func(r *http.Request) (any, error) { return q.Appropriation(r.Context(), r.PathValue("id")) }},
		{html: "/spending/allocations/{id}", api: "/api/v1/allocations/{id}", page: "allocation", summary: "An allocation, its budget line and a page of its payments",
			params: append(append([]param{}, idParam...), pageParams...), result: store.AllocationDetail{},
			load: func(r *http.Request) (any, error) { return q.Allocation(r.Context(), r.PathValue("id"), page(r)) }},
		{html: "/spending/disbursements/{id}", api: "/api/v1/disbursements/{id}", page: "disbursement", summary: "A payment, followed up to its budget line, with its reversals",
			params: idParam, result: store.DisbursementTrace{},
			load: func(r *http.Request) (any, error) { return q.Disbursement(r.Context(), r.PathValue("id")) }},
		{html: "/spending/disbursements", api: "/api/v1/disbursements", page: "disbursements", summary: "Payments by year, agency, payee or allocation (CSV: /spending/disbursements.csv)",
			params: append([]param{{name: "year", in: "query", integer: true, description: "fiscal year"}, {name: "agency", in: "query", description: "MSP ID of the spending agency"},
				{name: "payee", in: "query", description: "the payee's registration number"}, {name: "allocation", in: "query", description: "allocation ID"}}, pageParams...),
			result: DisbursementsView{}, load: s.disbursements},
		{html: "/spending/payees", api: "/api/v1/payees", page: "payees", summary: "Payees by the amount paid to them", params: pageParams,
			result: Listing[store.Payee]{}, load: func(r *http.Request) (any, error) {
				items, next, err := q.Payees(r.Context(), page(r))
				return Listing[store.Payee]{Items: items, Next: next}, err
			}},
		{html: "/spending/reversals", api: "/api/v1/reversals", page: "reversals", summary: "Reversal proposals with their approvals, newest first", params: pageParams,
			result: Listing[store.ReversalStatus]{}, load: func(r *http.Request) (any, error) {
				items, next, err := q.Reversals(r.Context(), page(r))
				return Listing[store.ReversalStatus]{Items: items, Next: next}, err
			}},
		{html: "/verify", page: "verify", load: s.verifyPage},
		{api: "/api/v1/verify/{sha256}", summary: "Everything the ledger registered under a SHA-256 digest: diplomas (with revocations), invoices, evidence, learning resources",
			params: []param{{name: "sha256", in: "path", description: "the SHA-256 of the document, 64 lower-case hex digits"}}, result: store.Verification{},
			load: func(r *http.Request) (any, error) {
				digest := strings.ToLower(r.PathValue("sha256"))
				if !sha256Hex.MatchString(digest) {
					return nil, &badRequest{"a SHA-256 digest is 64 hex digits"}
				}
				return q.Verify(r.Context(), digest)
			}},
		{html: "/cases", api: "/api/v1/cases", page: "cases", summary: "Court cases, newest first, without party names", params: pageParams,
			result: Listing[store.CaseLine]{}, load: func(r *http.Request) (any, error) {
				items, next, err := q.Cases(r.Context(), page(r))
				return Listing[store.CaseLine]{Items: items, Next: next}, err
			}},
		{html: "/cases/{id}", api: "/api/v1/cases/{id}", page: "case", summary: "A case and its evidence", params: idParam, result: store.CaseDetail{},
			load: func(r *http.Request) (any, error) { return q.Case(r.Context(), r.PathValue("id")) }},
		{html: "/evidence/{id}", api: "/api/v1/evidence/{id}", page: "evidence", summary: "An evidence item, its notarisations and its chain of custody",
			params: idParam, result: store.EvidenceDetail{},
			load: func(r *http.Request) (any, error) { return q.Evidence(r.Context(), r.PathValue("id")) }},
		{html: "/resources", api: "/api/v1/resources", page: "resources", summary: "Learning resources, newest first, and the accredited universities", params: pageParams,
			result: ResourcesView{}, load: func(r *http.Request) (any, error) {
				items, next, err := q.Resources(r.Context(), page(r))
				if err != nil {
					return nil, err
				}
				acc, err := q.Accreditations(r.Context())
				return ResourcesView{Listing: Listing[readmodel.Record[education.LearningResource]]{Items: items, Next: next}, Accreditations: acc}, err
			}},
	}
}

func (s *Server) spending(r *http.Request) (any, error) {
	ctx := r.Context()
	years, err := s.cfg.Queries.FiscalYears(ctx)
	if err != nil {
		return nil, err
	}
	v := SpendingView{Years: years, Functional: r.URL.Query().Get("functional"), Appropriations: []store.AppropriationLine{}}
	if y := r.URL.Query().Get("year"); y != "" {
		if v.Year, err = strconv.Atoi(y); err != nil {
			return nil, &badRequest{"year is a number"}
		}
	} else if len(years) > 0 {
		v.Year = years[0]
	}
	if v.Year == 0 {
		return v, nil
	}
	if v.Summary, err = s.cfg.Queries.SpendingSummary(ctx, v.Year); err != nil {
		return nil, err
	}
	v.Appropriations, err = s.cfg.Queries.Appropriations(ctx, store.AppropriationFilter{Year: v.Year, Functional: v.Functional})
	return v, err
}

func disbursementFilter(r *http.Request) (store.DisbursementFilter, error) {
	q := r.URL.Query()
	f := store.DisbursementFilter{Agency: q.Get("agency"), PayeeReg: q.Get("payee"), AllocationID: q.Get("allocation")}
	if y := q.Get("year"); y != "" {
		year, err := strconv.Atoi(y)
		if err != nil {
			return f, &badRequest{"year is a number"}
		}
		f.Year = year
	}
	return f, nil
}

func (s *Server) disbursements(r *http.Request) (any, error) {
	f, err := disbursementFilter(r)
	if err != nil {
		return nil, err
	}
	items, next, err := s.cfg.Queries.Disbursements(r.Context(), f, page(r))
	return DisbursementsView{Filter: f, Listing: Listing[store.DisbursementLine]{Items: items, Next: next}}, err
}

// verifyPage shows the verification form, and the answer for ?sha256= so
// that the page works without JavaScript for a pasted digest.
func (s *Server) verifyPage(r *http.Request) (any, error) {
	digest := strings.ToLower(strings.TrimSpace(r.URL.Query().Get("sha256")))
	if digest == "" {
		return VerifyView{}, nil
	}
	if !sha256Hex.MatchString(digest) {
		return VerifyView{SHA256: digest}, nil
	}
	v, err := s.cfg.Queries.Verify(r.Context(), digest)
	return VerifyView{SHA256: digest, Result: v}, err
}

// routes registers every endpoint, the assets, the OpenAPI document, the
// CSV download and the oversight pages.
func (s *Server) routes() {
	all := append(s.endpoints(), s.oversightEndpoints()...)
	for _, e := range all {
		if e.html != "" {
			h := s.page(e.page, e.load)
			if e.oversight {
				h = s.staffOnly(h)
			}
			s.mux.Handle("GET "+e.html, h)
		}
		if e.api != "" {
			h := s.api(e.load)
			if e.oversight {
				h = s.staffOnlyAPI(h)
			}
			s.mux.Handle("GET "+e.api, h)
		}
	}
	s.mux.HandleFunc("GET /spending/disbursements.csv", s.disbursementsCSV)
	s.mux.HandleFunc("GET /api/v1/openapi.json", s.openAPI(all))
	s.mux.HandleFunc("GET /assets/{name}", s.serveAsset)
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { writeText(w, "OK\n") })
	s.mux.HandleFunc("GET /oversight/login", s.loginPage)
	s.mux.HandleFunc("POST /oversight/login", s.login)
	s.mux.HandleFunc("POST /oversight/logout", s.logout)
	s.mux.Handle("GET /oversight/feed/events", s.staffOnlyAPI(s.feedEvents))
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, fmt.Errorf("%s: %w", r.URL.Path, store.ErrNotFound))
	})
}

func writeText(w http.ResponseWriter, text string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte(text))
}

// api answers with the JSON of what load returns.
func (s *Server) api(load func(*http.Request) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		data, err := load(r)
		var bad *badRequest
		switch {
		case errors.As(err, &bad):
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": bad.msg})
		case errors.Is(err, store.ErrNotFound):
			writeJSON(w, http.StatusNotFound, map[string]string{"error": "not found"})
		case err != nil:
			s.cfg.Log.Error("api query failed", "path", r.URL.Path, "err", err)
			writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
		default:
			if !strings.HasPrefix(r.URL.Path, "/api/v1/oversight") {
				w.Header().Set("Access-Control-Allow-Origin", "*") // public data, readable by any site
			}
			writeJSON(w, http.StatusOK, data)
		}
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.Encode(v)
}
