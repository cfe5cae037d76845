// Package auth decides who may open the portal's oversight pages: staff of
// the oversight organisation, with accounts that an Oversight administrator
// creates (govportal account add, which signs nothing but needs the
// administrator's credentials in the organisation's folder). A login gives
// a session cookie: a random token, HttpOnly, SameSite=Strict, Secure when
// the portal serves TLS, whose SHA-256 alone the store keeps. A public
// visitor has no session and sees the public pages only.
package auth
