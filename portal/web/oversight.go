package web

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/govshare/govshare/chaincode/evidence"
	govclient "github.com/govshare/govshare/gateway-client"
	"github.com/govshare/govshare/network"
	"github.com/govshare/govshare/portal/auth"
	"github.com/govshare/govshare/portal/readmodel"
	"github.com/govshare/govshare/portal/store"
)

// ExplorerView is the explorer's first page: the read model's channels and
// what the ledger says now.
type ExplorerView struct {
	Channels []ChannelView `json:"channels"`
}

// ChannelView is one channel: the read model's checkpoint, each member
// peer's height and the committed chaincodes.
type ChannelView struct {
	store.ChannelState
	Peers      []PeerHeight      `json:"peers"`
	Chaincodes []ChaincodeView   `json:"chaincodes"`
	Problem    string            `json:"problem,omitempty"`
	Blocks     []readmodel.Block `json:"recentBlocks"`
}

// PeerHeight is one organisation's peer's height on a channel.
type PeerHeight struct {
	MSPID  string `json:"mspId"`
	Height uint64 `json:"height"`
}

// ChaincodeView is a committed chaincode definition.
type ChaincodeView struct {
	Name        string   `json:"name"`
	Version     string   `json:"version"`
	Sequence    int64    `json:"sequence"`
	Policy      string   `json:"endorsementPolicy"`
	Collections []string `json:"collections,omitempty"`
}

// BlocksView is a page of a channel's blocks.
type BlocksView struct {
	Channel string            `json:"channel"`
	Blocks  []readmodel.Block `json:"blocks"`
	Before  uint64            `json:"before,omitempty"`
}

// AccessView is the access log and the access requests.
type AccessView struct {
	Log      Listing[readmodel.Record[evidence.AccessLogEntry]] `json:"log"`
	Requests Listing[readmodel.Record[evidence.AccessRequest]]  `json:"requests"`
}

// TranscriptView is a transcript, when a reference was asked.
type TranscriptView struct {
	Ref        string            `json:"studentRef,omitempty"`
	Transcript *store.Transcript `json:"transcript,omitempty"`
}

// FeedView is the newest transactions of the feed.
type FeedView struct {
	Items []store.FeedItem `json:"items"`
}

func (s *Server) oversightEndpoints() []endpoint {
	q := s.cfg.Queries
	channelParam := param{name: "channel", in: "path", description: "channel name"}
	return []endpoint{
		{html: "/oversight", api: "/api/v1/oversight/channels", page: "o_home", oversight: true,
			summary: "Channels: the read model's checkpoint, each peer's height, committed chaincode definitions, recent blocks",
			result:  ExplorerView{}, load: s.explorer},
		{html: "/oversight/channels/{channel}", api: "/api/v1/oversight/channels/{channel}/blocks", page: "o_blocks", oversight: true,
			summary: "A channel's blocks, newest first", params: []param{channelParam, {name: "before", in: "query", integer: true, description: "list blocks below this number"}},
			result: BlocksView{}, load: func(r *http.Request) (any, error) {
				before, _ := strconv.ParseUint(r.URL.Query().Get("before"), 10, 64)
				blocks, err := q.Blocks(r.Context(), r.PathValue("channel"), before, 50)
				return BlocksView{Channel: r.PathValue("channel"), Blocks: blocks, Before: before}, err
			}},
		{html: "/oversight/channels/{channel}/blocks/{number}", api: "/api/v1/oversight/channels/{channel}/blocks/{number}", page: "o_block", oversight: true,
			summary: "A block with its transactions and their validation codes", params: []param{channelParam, {name: "number", in: "path", integer: true, description: "block number"}},
			result: store.BlockDetail{}, load: func(r *http.Request) (any, error) {
				n, err := strconv.ParseUint(r.PathValue("number"), 10, 64)
				if err != nil {
					return nil, &badRequest{"a block number is a number"}
				}
				return q.Block(r.Context(), r.PathValue("channel"), n)
			}},
		{html: "/oversight/channels/{channel}/transactions/{tx}", api: "/api/v1/oversight/channels/{channel}/transactions/{tx}", page: "o_tx", oversight: true,
			summary: "A transaction: creator, endorsers, validation code, write set (private data as hashes), key-level policies, event",
			params:  []param{channelParam, {name: "tx", in: "path", description: "transaction ID"}}, result: store.TransactionDetail{},
			load: func(r *http.Request) (any, error) {
				return q.Transaction(r.Context(), r.PathValue("channel"), r.PathValue("tx"))
			}},
		{html: "/oversight/policies", api: "/api/v1/oversight/policies", page: "o_policies", oversight: true, summary: "Key-level endorsement policies set, newest first",
			params: pageParams, result: Listing[readmodel.Write]{}, load: func(r *http.Request) (any, error) {
				items, next, err := q.KeyPolicies(r.Context(), page(r))
				return Listing[readmodel.Write]{Items: items, Next: next}, err
			}},
		{html: "/oversight/feed", api: "/api/v1/oversight/feed", page: "o_feed", oversight: true,
			summary: "Transactions in the order the portal recorded them: after seq, or the newest (live updates: /oversight/feed/events, server-sent events)",
			params:  []param{{name: "after", in: "query", integer: true, description: "sequence number of the last transaction seen"}},
			result:  FeedView{}, load: func(r *http.Request) (any, error) {
				after := int64(-1)
				if a := r.URL.Query().Get("after"); a != "" {
					var err error
					if after, err = strconv.ParseInt(a, 10, 64); err != nil {
						return nil, &badRequest{"after is a number"}
					}
				}
				items, err := q.Feed(r.Context(), after, 50)
				if after < 0 {
					slices.Reverse(items)
				}
				return FeedView{Items: items}, err
			}},
		{html: "/oversight/transcripts", api: "/api/v1/oversight/transcripts", page: "o_transcript", oversight: true,
			summary: "Every credit, recognition and diploma of a student reference", params: []param{{name: "ref", in: "query", description: "student reference (salted hash)"}},
			result: TranscriptView{}, load: func(r *http.Request) (any, error) {
				ref := r.URL.Query().Get("ref")
				if ref == "" {
					return TranscriptView{}, nil
				}
				t, err := q.Transcript(r.Context(), ref)
				return TranscriptView{Ref: ref, Transcript: t}, err
			}},
		{html: "/oversight/access", api: "/api/v1/oversight/access", page: "o_access", oversight: true,
			summary: "Openings of sealed evidence and access requests, newest first", result: AccessView{},
			load: func(r *http.Request) (any, error) {
				var v AccessView
				var err error
				if v.Log.Items, v.Log.Next, err = q.AccessLog(r.Context(), store.Page{}); err != nil {
					return nil, err
				}
				v.Requests.Items, v.Requests.Next, err = q.AccessRequests(r.Context(), store.Page{})
				return v, err
			}},
	}
}

// explorer reads the checkpoints from the read model and asks the ledger
// for the peers' heights and the chaincode definitions.
func (s *Server) explorer(r *http.Request) (any, error) {
	states, err := s.cfg.Queries.Channels(r.Context())
	if err != nil {
		return nil, err
	}
	byName := map[string]store.ChannelState{}
	for _, st := range states {
		byName[st.Channel] = st
	}
	names := slices.Clone(s.cfg.Channels)
	for _, st := range states {
		if !slices.Contains(names, st.Channel) {
			names = append(names, st.Channel)
		}
	}
	v := ExplorerView{}
	for _, name := range names {
		st := byName[name]
		st.Channel = name
		c := ChannelView{ChannelState: st, Peers: []PeerHeight{}, Chaincodes: []ChaincodeView{}}
		if c.Blocks, err = s.cfg.Queries.Blocks(r.Context(), name, 0, 5); err != nil {
			return nil, err
		}
		c.Problem = s.askLedger(r.Context(), &c)
		v.Channels = append(v.Channels, c)
	}
	return v, nil
}

// askLedger fills in a channel's peer heights and chaincode definitions
// from the ledger, and says what it could not learn.
func (s *Server) askLedger(ctx context.Context, c *ChannelView) string {
	if s.cfg.Ledger == nil {
		return "ledgerUnreachable"
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	heights, err := s.cfg.Ledger.PeerHeights(ctx, c.Channel)
	for _, msp := range slices.Sorted(func(yield func(string) bool) {
		for m := range heights {
			if !yield(m) {
				return
			}
		}
	}) {
		c.Peers = append(c.Peers, PeerHeight{MSPID: msp, Height: heights[msp]})
	}
	defs, defErr := s.cfg.Ledger.ChaincodeDefinitions(ctx, c.Channel)
	for _, d := range defs {
		policy, perr := network.DescribeApplicationPolicy(d.ValidationParameter)
		if perr != nil {
			policy = "(" + perr.Error() + ")"
		}
		c.Chaincodes = append(c.Chaincodes, ChaincodeView{Name: d.Name, Version: d.Version, Sequence: d.Sequence, Policy: policy, Collections: d.Collections})
	}
	if err := errors.Join(err, defErr); err != nil {
		s.cfg.Log.Warn("explorer: ledger question failed", "channel", c.Channel, "err", err)
		return "ledgerUnreachable"
	}
	return ""
}

// staffOnly sends visitors without an oversight session to the login page.
func (s *Server) staffOnly(next http.Handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.cfg.Guard.Account(r) == "" {
			http.Redirect(w, r, "/oversight/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		w.Header().Set("Cache-Control", "private, no-store")
		next.ServeHTTP(w, r)
	}
}

// staffOnlyAPI answers 401 to requests without an oversight session.
func (s *Server) staffOnlyAPI(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.cfg.Guard.Account(r) == "" {
			writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "the oversight API needs an oversight account's session"})
			return
		}
		w.Header().Set("Cache-Control", "private, no-store")
		next(w, r)
	}
}

// LoginView is the login form.
type LoginView struct {
	Next   string
	Failed bool
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "login", LoginView{Next: safeNext(r.URL.Query().Get("next"))})
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4096)
	if err := r.ParseForm(); err != nil {
		s.render(w, r, http.StatusBadRequest, "login", LoginView{Failed: true})
		return
	}
	next := safeNext(r.PostFormValue("next"))
	cookie, err := s.cfg.Guard.Login(r.Context(), r.PostFormValue("account"), r.PostFormValue("password"))
	if err != nil {
		if !errors.Is(err, auth.ErrBadLogin) {
			s.cfg.Log.Error("login", "err", err)
		}
		s.render(w, r, http.StatusUnauthorized, "login", LoginView{Next: next, Failed: true})
		return
	}
	http.SetCookie(w, cookie)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// safeNext keeps a redirect target on the portal's oversight pages.
func safeNext(next string) string {
	u, err := url.Parse(next)
	if err != nil || u.IsAbs() || u.Host != "" || len(u.Path) < len("/oversight") || u.Path[:len("/oversight")] != "/oversight" {
		return "/oversight"
	}
	return u.RequestURI()
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	cookie, err := s.cfg.Guard.Logout(r)
	if err != nil {
		s.cfg.Log.Error("logout", "err", err)
	}
	http.SetCookie(w, cookie)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// Hub tells the live feeds that blocks were recorded.
type Hub struct {
	mu   sync.Mutex
	subs map[chan struct{}]struct{}
}

// NewHub returns a hub without listeners.
func NewHub() *Hub { return &Hub{subs: map[chan struct{}]struct{}{}} }

// Recorded wakes every listener.
func (h *Hub) Recorded() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.subs {
		select {
		case c <- struct{}{}:
		default: // woken already
		}
	}
}

func (h *Hub) subscribe() (chan struct{}, func()) {
	c := make(chan struct{}, 1)
	h.mu.Lock()
	h.subs[c] = struct{}{}
	h.mu.Unlock()
	return c, func() {
		h.mu.Lock()
		delete(h.subs, c)
		h.mu.Unlock()
	}
}

// feedEvents streams the feed as server-sent events: one "tx" event per
// transaction recorded after the request's Last-Event-ID (or ?after=), its
// ID the transaction's sequence number, so that a reconnecting browser
// resumes where it was.
func (s *Server) feedEvents(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	after := int64(-1)
	for _, v := range []string{r.Header.Get("Last-Event-ID"), r.URL.Query().Get("after")} {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			after = n
			break
		}
	}
	wake, unsubscribe := s.cfg.Feed.subscribe()
	defer unsubscribe()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, "retry: 2000\n\n")
	flusher.Flush()
	if after < 0 { // start from now
		latest, err := s.cfg.Queries.Feed(r.Context(), -1, 1)
		if err != nil {
			return
		}
		after = 0
		if len(latest) > 0 {
			after = latest[0].Seq
		}
	}
	keepalive := time.NewTicker(15 * time.Second)
	defer keepalive.Stop()
	for {
		items, err := s.cfg.Queries.Feed(r.Context(), after, 200)
		if err != nil {
			return
		}
		for _, it := range items {
			data, _ := json.Marshal(it)
			fmt.Fprintf(w, "id: %d\nevent: tx\ndata: %s\n\n", it.Seq, data)
			after = it.Seq
		}
		if len(items) > 0 {
			flusher.Flush()
			if len(items) == 200 {
				continue
			}
		}
		select {
		case <-r.Context().Done():
			return
		case <-wake:
		case <-keepalive.C:
			fmt.Fprint(w, ": keepalive\n\n")
			flusher.Flush()
		}
	}
}

// disbursementsCSV streams every payment that matches the filter as CSV,
// page by page, so that a year of payments never sits in memory.
func (s *Server) disbursementsCSV(w http.ResponseWriter, r *http.Request) {
	f, err := disbursementFilter(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="disbursements.csv"`)
	out := csv.NewWriter(w)
	out.Write([]string{"disbursement_id", "allocation_id", "appropriation_id", "fiscal_year", "agency", "administrative", "functional", "economic",
		"payee_name", "payee_registration", "purpose", "procurement_reference", "invoice_sha256", "amount", "currency", "amount_minor_units",
		"transaction_type", "iati_code", "recorded_at", "reversed_by", "block", "transaction_id"})
	p := store.Page{Limit: store.MaxLimit}
	for {
		lines, next, err := s.cfg.Queries.Disbursements(r.Context(), f, p)
		if err != nil {
			s.cfg.Log.Error("csv", "err", err)
			return
		}
		for _, l := range lines {
			d := l.Disbursement
			reversedBy := ""
			if l.Reversal != nil {
				reversedBy = l.Reversal.ReversalID
			}
			out.Write([]string{d.DisbursementID, d.AllocationID, d.AppropriationID, strconv.Itoa(d.FiscalYear), d.Agency,
				d.Classification.Administrative, d.Classification.Functional, d.Classification.Economic, d.Payee.Name,
				d.Payee.RegistrationNumber, d.Purpose, d.ProcurementReference, d.InvoiceHash, decimal(d.Amount, d.Currency),
				d.Currency, strconv.FormatInt(d.Amount, 10), d.TransactionType, strconv.Itoa(d.IATICode), d.RecordedAt.UTC().Format(time.RFC3339),
				reversedBy, strconv.FormatUint(l.At.Block, 10), l.At.TxID})
		}
		out.Flush()
		if next == "" || out.Error() != nil {
			return
		}
		p.After = next
	}
}

// decimal writes an amount in major units without grouping: "1250000.00".
func decimal(minor int64, currency string) string {
	return strings.ReplaceAll(strings.TrimSuffix(govclient.FormatAmount(minor, currency), " "+currency), ",", "")
}
