package cachehttp

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/hitmiss/hitmiss/cache"
)

// AdminHandler returns an http.Handler that clears reg's entries:
//
//	POST /clear      function=NAME            every entry of that function
//	POST /clear      function=NAME&label=CALL the entries of one call, as
//	                                          events label it: price("AAPL")
//	POST /clear-all                           every entry of every function
//
// Parameters come in the query or an application/x-www-form-urlencoded
// body. A clear answers 200 with {"entries": N} for a label (how many
// entries went, 0 when none held it) and 204 otherwise; 404 names a
// function reg does not have, 400 a missing parameter or a label that
// names no call (see cache.Registry.ClearLabel).
//
// Every request must carry "Authorization: Bearer <token>"; the token is
// compared in constant time, and a request without it, or with another,
// gets 401 before anything else is looked at. Methods other than POST get
// 405. AdminHandler panics when token is empty: an admin endpoint that
// anyone may call is never what was meant.
//
// Clearing is harmless to correctness (a cleared call computes again) but
// not to cost: whoever can clear can make the program recompute everything.
// Mount AdminHandler only on a loopback listener (127.0.0.1 or ::1), never
// on an address other machines reach, and keep the token out of URLs and
// logs. Nothing mounts it by default; a program chooses to.
func AdminHandler(reg *cache.Registry, token string) http.Handler {
	if token == "" {
		panic("cachehttp: AdminHandler needs a non-empty token")
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /clear", func(w http.ResponseWriter, r *http.Request) { serveClear(w, r, reg) })
	mux.HandleFunc("POST /clear-all", func(w http.ResponseWriter, r *http.Request) {
		reg.ClearAll()
		w.WriteHeader(http.StatusNoContent)
	})
	want := sha256.Sum256([]byte(token))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !authorized(r.Header.Get("Authorization"), want) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="hitmiss cache admin"`)
			http.Error(w, "a bearer token is required", http.StatusUnauthorized)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// authorized reports whether header is "Bearer " followed by the token
// whose SHA-256 is want. The tokens are compared as digests, in constant
// time, so that neither the token's bytes nor its length can be learnt by
// timing failed attempts.
func authorized(header string, want [sha256.Size]byte) bool {
	const scheme = "Bearer "
	if len(header) < len(scheme) || !strings.EqualFold(header[:len(scheme)], scheme) {
		return false
	}
	got := sha256.Sum256([]byte(header[len(scheme):]))
	return subtle.ConstantTimeCompare(got[:], want[:]) == 1
}

// maxFormBytes bounds a clear's body: it holds a name and a label.
const maxFormBytes = 64 << 10

func serveClear(w http.ResponseWriter, r *http.Request, reg *cache.Registry) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "clear: "+err.Error(), http.StatusBadRequest)
		return
	}
	name := r.Form.Get("function")
	if name == "" {
		http.Error(w, "clear: the function parameter is required (POST /clear-all clears everything)", http.StatusBadRequest)
		return
	}
	if _, hasLabel := r.Form["label"]; !hasLabel {
		if !reg.Clear(name) {
			http.Error(w, "clear: no cached function is named "+name, http.StatusNotFound)
			return
		}
		w.WriteHeader(http.StatusNoContent)
		return
	}
	n, found, err := reg.ClearLabel(name, r.Form.Get("label"))
	switch {
	case !found:
		http.Error(w, "clear: no cached function is named "+name, http.StatusNotFound)
	case errors.Is(err, cache.ErrUnlabelled):
		http.Error(w, err.Error(), http.StatusBadRequest)
	case err != nil:
		http.Error(w, err.Error(), http.StatusInternalServerError)
	default:
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(struct {
			Entries int `json:"entries"`
		}{n})
	}
}
