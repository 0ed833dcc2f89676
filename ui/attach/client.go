// Package attach is hitmiss attach: the explorer's cache panel, full
// screen, over a running program that mounts cache/cachehttp's Handler.
//
// The program is not trusted. Every read from it is bounded (a /stats
// body, an event line, the number of functions), every string it sends is
// sanitised before it reaches the terminal, and whatever it answers —
// garbage, an error, nothing — the screen says so and keeps trying.
package attach

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hitmiss/hitmiss/cache/cachehttp"
)

// Bounds on what the program may send.
const (
	maxStatsBytes = 4 << 20  // a /stats body
	maxLineBytes  = 64 << 10 // one line of /events
	maxEventBytes = 64 << 10 // one event's data
	maxFunctions  = 1024     // functions kept from one /stats
)

// Client reads one program's cachehttp endpoints.
type Client struct {
	// Base is where Handler is mounted: Base+"/stats", Base+"/events".
	Base string
	// Admin is where AdminHandler is mounted, Base+"/admin" by default;
	// Token is its bearer token, "" when none was given.
	Admin, Token string
	// HTTP makes the requests; http.DefaultClient when nil. Its Timeout
	// must be zero (it would end the event stream): Stats and the clears
	// bound themselves.
	HTTP *http.Client
}

// requestTimeout bounds a /stats read and a clear.
const requestTimeout = 5 * time.Second

func (c *Client) http() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return http.DefaultClient
}

// NewClient checks rawURL (http or https, a host) and returns a Client
// over it, its admin endpoints under rawURL/admin unless admin is set.
func NewClient(rawURL, admin, token string) (*Client, error) {
	base, err := checkURL(rawURL)
	if err != nil {
		return nil, err
	}
	if admin == "" {
		admin = base + "/admin"
	} else if admin, err = checkURL(admin); err != nil {
		return nil, fmt.Errorf("admin URL: %w", err)
	}
	return &Client{Base: base, Admin: admin, Token: token}, nil
}

func checkURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", err
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return "", fmt.Errorf("%q: not an http:// or https:// URL", raw)
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// statusError is an answer other than the one expected.
type statusError struct {
	code int
	body string
}

func (e *statusError) Error() string {
	if e.body == "" {
		return fmt.Sprintf("HTTP %d", e.code)
	}
	return fmt.Sprintf("HTTP %d: %s", e.code, e.body)
}

// readStatus turns a response other than want into a statusError carrying
// the first line of its body, bounded.
func readStatus(resp *http.Response, want ...int) error {
	for _, w := range want {
		if resp.StatusCode == w {
			return nil
		}
	}
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	line, _, _ := strings.Cut(strings.TrimSpace(string(b)), "\n")
	return &statusError{code: resp.StatusCode, body: clip(clean(line), 120)}
}

// Stats reads GET /stats.
func (c *Client) Stats(ctx context.Context) (cachehttp.StatsResponse, error) {
	var out cachehttp.StatsResponse
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.Base+"/stats", nil)
	if err != nil {
		return out, err
	}
	resp, err := c.http().Do(req)
	if err != nil {
		return out, err
	}
	defer resp.Body.Close()
	if err := readStatus(resp, http.StatusOK); err != nil {
		return out, err
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxStatsBytes+1))
	if err != nil {
		return out, err
	}
	if len(b) > maxStatsBytes {
		return out, fmt.Errorf("/stats: more than %d MiB", maxStatsBytes>>20)
	}
	if err := json.Unmarshal(b, &out); err != nil {
		return out, errors.New("/stats: not the JSON of cachehttp.Handler")
	}
	if len(out.Functions) > maxFunctions {
		out.Functions = out.Functions[:maxFunctions]
	}
	return out, nil
}

// errLine is an event stream line longer than maxLineBytes.
var errLine = errors.New("/events: a line too long")

// Events reads GET /events until ctx ends or the stream does, calling
// onOpen once the stream is there and emit with each event. Data that is
// not an event's JSON is counted through garbled and skipped.
func (c *Client) Events(ctx context.Context, onOpen func(), emit func(cachehttp.Event), garbled func()) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.Base+"/events", nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "text/event-stream")
	resp, err := c.http().Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if err := readStatus(resp, http.StatusOK); err != nil {
		return err
	}
	onOpen()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 4096), maxLineBytes)
	var data bytes.Buffer
	for sc.Scan() {
		line := sc.Bytes()
		if len(line) == 0 { // the end of an event
			if data.Len() > 0 {
				var ev cachehttp.Event
				if err := json.Unmarshal(data.Bytes(), &ev); err != nil {
					garbled()
				} else {
					emit(ev)
				}
				data.Reset()
			}
			continue
		}
		if rest, ok := bytes.CutPrefix(line, []byte("data:")); ok {
			rest = bytes.TrimPrefix(rest, []byte(" "))
			if data.Len()+len(rest) > maxEventBytes {
				data.Reset()
				garbled()
				continue
			}
			if data.Len() > 0 {
				data.WriteByte('\n')
			}
			data.Write(rest)
		}
		// Comments (":"), event names, ids and retry hints: ignored.
	}
	if errors.Is(sc.Err(), bufio.ErrTooLong) {
		return errLine
	}
	if err := sc.Err(); err != nil {
		return err
	}
	return io.EOF
}

// AdminState is what the program's admin endpoints allow.
type AdminState struct {
	Available bool
	// Why, when not available: no token, none mounted, token refused, …
	Why string
}

// ProbeAdmin finds whether clears are possible: it POSTs /clear without a
// function, which AdminHandler refuses with 400 — after checking the
// token — and clears nothing.
func (c *Client) ProbeAdmin(ctx context.Context) AdminState {
	if c.Token == "" {
		return AdminState{Why: "no admin token (--token-file F or $HITMISS_ADMIN_TOKEN)"}
	}
	err := c.post(ctx, "/clear", nil, http.StatusBadRequest)
	var se *statusError
	switch {
	case err == nil:
		return AdminState{Available: true}
	case errors.As(err, &se) && se.code == http.StatusUnauthorized:
		return AdminState{Why: "the program refused the admin token"}
	case errors.As(err, &se) && (se.code == http.StatusNotFound || se.code == http.StatusMethodNotAllowed):
		return AdminState{Why: "the program mounts no admin handler at " + clean(c.Admin)}
	default:
		return AdminState{Why: "admin: " + clip(clean(err.Error()), 80)}
	}
}

// Clear clears every entry of function name.
func (c *Client) Clear(ctx context.Context, name string) error {
	return c.post(ctx, "/clear", url.Values{"function": {name}}, http.StatusNoContent, http.StatusOK)
}

// ClearAll clears every function.
func (c *Client) ClearAll(ctx context.Context) error {
	return c.post(ctx, "/clear-all", nil, http.StatusNoContent, http.StatusOK)
}

func (c *Client) post(ctx context.Context, path string, form url.Values, want ...int) error {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.Admin+path, strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+c.Token)
	resp, err := c.http().Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	err = readStatus(resp, want...)
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
	return err
}
