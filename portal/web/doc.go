// Package web serves the disclosure portal: the public pages (spending,
// document verification, court cases and evidence, learning resources),
// the oversight explorer and live feed for the oversight body's accounts,
// and the JSON API with its OpenAPI document.
//
// It is built the way Go serves pages: net/http handlers over
// html/template pages, every asset embedded with embed and served under a
// content-hashed name with a year-long cache, no resource from elsewhere
// (a strict Content-Security-Policy says so to the browser). Handlers read
// the read model through store.Queries only, and each endpoint is declared
// once (route, template, JSON twin, parameters, answer type), so the HTML
// page, its JSON API and the OpenAPI document come from one table.
//
// Charts are SVG drawn on the server; the document check hashes the file in
// the browser (WebCrypto, or assets/sha256.js as a stream) and sends only
// the digest; the live feed is server-sent events woken by the Hub after
// each recorded block. Pages speak English and Chinese (zh-CN), chosen by
// the visitor's switch or the browser's Accept-Language.
package web
