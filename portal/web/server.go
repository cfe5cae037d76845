package web

import (
	"compress/gzip"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	govclient "github.com/govshare/govshare/gateway-client"
	"github.com/govshare/govshare/portal/auth"
	"github.com/govshare/govshare/portal/store"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed assets
var assetFiles embed.FS

// Ledger is what the oversight pages ask the ledger itself, through the
// portal's gateway peer: what the read model does not hold. A
// *govclient.Session is one.
type Ledger interface {
	PeerHeights(ctx context.Context, channel string) (map[string]uint64, error)
	ChaincodeDefinitions(ctx context.Context, channel string) ([]govclient.ChaincodeDefinition, error)
}

// Config is what a Server is made of.
type Config struct {
	// Queries answer every page; Guard admits the oversight body's staff.
	Queries store.Queries
	Guard   *auth.Guard
	// Ledger answers the explorer's live questions; nil when the portal
	// has no connection (the explorer then says so).
	Ledger Ledger
	// Channels are the channels the portal follows.
	Channels []string
	// Feed wakes the live feed when blocks are recorded.
	Feed *Hub
	Log  *slog.Logger
}

// Server serves the portal's pages, assets and JSON API.
type Server struct {
	cfg    Config
	pages  map[string]*template.Template
	assets map[string]asset // by versioned name
	mux    *http.ServeMux
}

// asset is an embedded file, served under a name that carries its hash so
// that browsers may keep it for a year.
type asset struct {
	data        []byte
	gzipped     []byte
	contentType string
}

// New builds a server.
func New(cfg Config) (*Server, error) {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Feed == nil {
		cfg.Feed = NewHub()
	}
	s := &Server{cfg: cfg, pages: map[string]*template.Template{}, assets: map[string]asset{}, mux: http.NewServeMux()}
	if err := s.loadAssets(); err != nil {
		return nil, err
	}
	if err := s.loadTemplates(); err != nil {
		return nil, err
	}
	s.routes()
	return s, nil
}

// ServeHTTP serves a request, with the security headers every answer
// carries and gzip for clients that accept it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	if r.Method == http.MethodPost && !sameOrigin(r) {
		http.Error(w, "cross-site request refused", http.StatusForbidden)
		return
	}
	if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") && !strings.HasSuffix(r.URL.Path, "/events") && !strings.HasPrefix(r.URL.Path, "/assets/") {
		gz := gzipPool.Get().(*gzip.Writer)
		gz.Reset(w)
		defer func() {
			gz.Close()
			gzipPool.Put(gz)
		}()
		h.Set("Content-Encoding", "gzip")
		h.Add("Vary", "Accept-Encoding")
		w = &gzipWriter{ResponseWriter: w, w: gz}
	}
	s.mux.ServeHTTP(w, r)
}

// sameOrigin reports whether a form post comes from the portal's own
// pages (the session cookie is SameSite=Strict as well).
func sameOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return r.Header.Get("Sec-Fetch-Site") == "" || r.Header.Get("Sec-Fetch-Site") == "same-origin"
	}
	return strings.TrimPrefix(strings.TrimPrefix(origin, "https://"), "http://") == r.Host
}

var gzipPool = sync.Pool{New: func() any { gz, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed); return gz }}

type gzipWriter struct {
	http.ResponseWriter
	w io.Writer
}

func (g *gzipWriter) Write(p []byte) (int, error) {
	g.Header().Del("Content-Length")
	return g.w.Write(p)
}

// Flush flushes the compressed stream and the connection.
func (g *gzipWriter) Flush() {
	if gz, ok := g.w.(*gzip.Writer); ok {
		gz.Flush()
	}
	if f, ok := g.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (s *Server) loadAssets() error {
	return fs.WalkDir(assetFiles, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := assetFiles.ReadFile(p)
		if err != nil {
			return err
		}
		var buf strings.Builder
		gz, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		gz.Write(data)
		gz.Close()
		a := asset{data: data, gzipped: []byte(buf.String()), contentType: contentType(p)}
		s.assets[versioned(path.Base(p), data)] = a
		return nil
	})
}

func contentType(name string) string {
	switch path.Ext(name) {
	case ".css":
		return "text/css; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".png":
		return "image/png"
	default:
		return "application/octet-stream"
	}
}

// versioned names an asset by its content: style.3f2a9c1d.css.
func versioned(name string, data []byte) string {
	sum := sha256.Sum256(data)
	ext := path.Ext(name)
	return strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:4]) + ext
}

// assetURL returns the versioned URL of an embedded asset.
func (s *Server) assetURL(name string) (string, error) {
	data, err := assetFiles.ReadFile("assets/" + name)
	if err != nil {
		return "", fmt.Errorf("no asset %s", name)
	}
	return "/assets/" + versioned(name, data), nil
}

func (s *Server) serveAsset(w http.ResponseWriter, r *http.Request) {
	a, ok := s.assets[r.PathValue("name")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", a.contentType)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Add("Vary", "Accept-Encoding")
	if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		h.Set("Content-Encoding", "gzip")
		w.Write(a.gzipped)
		return
	}
	w.Write(a.data)
}

func (s *Server) loadTemplates() error {
	layout, err := template.New("layout.html").Funcs(s.funcs()).ParseFS(templateFiles, "templates/layout.html", "templates/_*.html")
	if err != nil {
		return fmt.Errorf("parse the layout: %w", err)
	}
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return err
	}
	for _, name := range names {
		base := path.Base(name)
		if base == "layout.html" || strings.HasPrefix(base, "_") {
			continue
		}
		t, err := template.Must(layout.Clone()).ParseFS(templateFiles, name)
		if err != nil {
			return fmt.Errorf("parse %s: %w", base, err)
		}
		s.pages[strings.TrimSuffix(base, ".html")] = t
	}
	return nil
}

// view is what every page template gets: the page's data and what the
// layout needs.
type view struct {
	Lang      string
	Path      string
	Account   string // the logged-in oversight account, if any
	Oversight bool   // the page is an oversight page
	Data      any
	Now       time.Time
}

// T translates a text into the page's language.
func (v view) T(key string) string { return translate(v.Lang, key) }

// Other is the other language's code, for the switch.
func (v view) Other() string {
	if v.Lang == Chinese {
		return English
	}
	return Chinese
}

// render writes page with data, or an error page if it fails.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page string, data any) {
	t, ok := s.pages[page]
	if !ok {
		s.cfg.Log.Error("no such page template", "page", page)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	v := view{Lang: language(w, r), Path: r.URL.Path, Account: s.cfg.Guard.Account(r), Data: data, Now: time.Now(),
		Oversight: strings.HasPrefix(r.URL.Path, "/oversight")}
	var buf strings.Builder
	if err := t.ExecuteTemplate(&buf, "layout.html", v); err != nil {
		s.cfg.Log.Error("render page", "page", page, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Language", v.Lang)
	w.Header().Add("Vary", "Accept-Language, Cookie")
	w.WriteHeader(status)
	io.WriteString(w, buf.String())
}

// fail answers a request whose query failed: not found, or an error the
// visitor is not told the details of.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var bad *badRequest
	switch {
	case errors.Is(err, store.ErrNotFound):
		s.render(w, r, http.StatusNotFound, "error", errorPage{Title: "notFound", Text: "notFoundText"})
		return
	case errors.As(err, &bad):
		s.render(w, r, http.StatusBadRequest, "error", errorPage{Title: "error", Detail: bad.msg})
		return
	}
	s.cfg.Log.Error("query failed", "path", r.URL.Path, "err", err)
	s.render(w, r, http.StatusInternalServerError, "error", errorPage{Title: "error"})
}

type errorPage struct{ Title, Text, Detail string }

// page returns the handler of an HTML page whose data load reads.
func (s *Server) page(name string, load func(*http.Request) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		data, err := load(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.render(w, r, http.StatusOK, name, data)
	}
}
