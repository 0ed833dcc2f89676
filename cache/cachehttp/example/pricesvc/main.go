// Command pricesvc is a small HTTP API of stock prices whose handlers are
// cached with package cache, over a simulated exchange that is slow to
// answer. It is the program to watch with hitmiss attach: it mounts
// cachehttp.Handler at /cache/, and cachehttp.AdminHandler at
// /cache/admin/ when PRICESVC_ADMIN_TOKEN holds a token.
//
// Usage:
//
//	pricesvc [-addr 127.0.0.1:8080] [-latency 300ms]
//
// Endpoints (an X-User header makes the call that user's session):
//
//	GET /quote/{symbol}            the latest price, cached for 30s
//	GET /history/{symbol}?days=N   N daily closes (default 5), cached for 5m, 64 at most
//	GET /watchlist                 the user's symbols and prices, cached per session for 10s
//	GET /cache/stats, /cache/events        see package cachehttp
//	POST /cache/admin/clear, /clear-all    with "Authorization: Bearer $PRICESVC_ADMIN_TOKEN"
//
// Every response says how the cache served it in an X-Cache header (hit,
// miss, joined, …). pricesvc listens only on loopback addresses.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/cache/cachehttp"
)

// adminTokenEnv names the variable whose token enables the admin endpoints.
const adminTokenEnv = "PRICESVC_ADMIN_TOKEN"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "pricesvc:", err)
		os.Exit(1)
	}
}

// run serves until ctx ends. It prints the address it listens on to out
// first, so that a caller asking for port 0 learns the port.
func run(ctx context.Context, args []string, getenv func(string) string, out io.Writer) error {
	fs := flag.NewFlagSet("pricesvc", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8080", "loopback `address` to listen on")
	latency := fs.Duration("latency", 300*time.Millisecond, "how long the simulated exchange takes to answer")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := checkLoopback(*addr); err != nil {
		return err
	}

	reg := cache.NewRegistry()
	defer reg.Close()
	api := newAPI(reg, *latency)
	mux := http.NewServeMux()
	api.routes(mux)
	mux.Handle("/cache/", http.StripPrefix("/cache", cachehttp.Handler(reg)))
	if token := getenv(adminTokenEnv); token != "" {
		mux.Handle("/cache/admin/", http.StripPrefix("/cache/admin", cachehttp.AdminHandler(reg, token)))
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "pricesvc listening on http://%s\n", ln.Addr())
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		// Requests end with ctx, so that event streams close on shutdown.
		BaseContext: func(net.Listener) context.Context { return ctx },
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	select {
	case err := <-serveErr:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}

// checkLoopback refuses an address other machines could reach: the cache
// endpoints, and the admin ones above all, are for this machine only.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-addr %s: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("-addr %s: not a loopback address (use 127.0.0.1 or [::1])", addr)
	}
	return nil
}

// exchange is the simulated backend: every answer takes latency. It is a
// cached resource, as a real client with its connections would be.
type exchange struct {
	region  string
	latency time.Duration
}

// errUnknownSymbol is the exchange's answer for a symbol it does not list.
var errUnknownSymbol = errors.New("unknown symbol")

func (x *exchange) wait(ctx context.Context) error {
	select {
	case <-time.After(x.latency):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// closingPrice is symbol's closing price day days ago (0: today); symbols are
// 1 to 5 capital letters, and prices are made up from their letters.
func (x *exchange) closingPrice(ctx context.Context, symbol string, day int) (float64, error) {
	if err := x.wait(ctx); err != nil {
		return 0, err
	}
	if len(symbol) < 1 || len(symbol) > 5 {
		return 0, fmt.Errorf("%s: %w", symbol, errUnknownSymbol)
	}
	for _, c := range symbol {
		if c < 'A' || c > 'Z' {
			return 0, fmt.Errorf("%s: %w", symbol, errUnknownSymbol)
		}
	}
	h := fnv.New32a()
	fmt.Fprintf(h, "%s/%d", symbol, day)
	return 10 + float64(h.Sum32()%49000)/100, nil
}

// Quote is a symbol's latest price.
type Quote struct {
	Symbol string  `json:"symbol"`
	Price  float64 `json:"price"`
}

// historyQuery is the argument of the history function; its fields make its
// label: history({Symbol:"AAPL" Days:5}).
type historyQuery struct {
	Symbol string
	Days   int
}

// api holds the cached functions the handlers call.
type api struct {
	exchange  *cache.Func[string, *exchange]
	quote     *cache.Func[string, Quote]
	history   *cache.Func[historyQuery, []float64]
	watchlist *cache.Func[string, []Quote]
}

func newAPI(reg *cache.Registry, latency time.Duration) *api {
	a := &api{}
	a.exchange = cache.Resource(reg, "exchange", func(ctx context.Context, region string) (*exchange, error) {
		x := &exchange{region: region, latency: latency}
		return x, x.wait(ctx) // connecting takes as long as asking
	})
	a.quote = cache.Data(reg, "quote", func(ctx context.Context, symbol string) (Quote, error) {
		x, err := a.exchange.Get(ctx, "us")
		if err != nil {
			return Quote{}, err
		}
		p, err := x.closingPrice(ctx, symbol, 0)
		return Quote{Symbol: symbol, Price: p}, err
	}, cache.TTL(30*time.Second), cache.Spinner("asking the exchange"))
	a.history = cache.Data(reg, "history", func(ctx context.Context, q historyQuery) ([]float64, error) {
		x, err := a.exchange.Get(ctx, "us")
		if err != nil {
			return nil, err
		}
		closes := make([]float64, q.Days)
		for day := range closes {
			if closes[day], err = x.closingPrice(ctx, q.Symbol, day+1); err != nil {
				return nil, err
			}
		}
		return closes, nil
	}, cache.TTL(5*time.Minute), cache.MaxEntries(64))
	// The argument is the user, though the session already is: a
	// session-scoped function keys each session's entries apart anyway.
	a.watchlist = cache.Data(reg, "watchlist", func(ctx context.Context, user string) ([]Quote, error) {
		var out []Quote
		for _, s := range watched(user) {
			q, err := a.quote.Get(ctx, s)
			if err != nil {
				return nil, err
			}
			out = append(out, q)
		}
		return out, nil
	}, cache.TTL(10*time.Second), cache.ScopeSession())
	return a
}

// watched is the user's list of symbols: a fixed list, made up per user.
func watched(user string) []string {
	all := []string{"AAPL", "MSFT", "GOOG", "AMZN", "NVDA", "META"}
	h := fnv.New32a()
	io.WriteString(h, user)
	i := int(h.Sum32() % uint32(len(all)-2))
	return all[i : i+3]
}

func (a *api) routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /quote/{symbol}", func(w http.ResponseWriter, r *http.Request) {
		q, o, err := a.quote.GetOutcome(requestContext(r), r.PathValue("symbol"))
		reply(w, q, o, err)
	})
	mux.HandleFunc("GET /history/{symbol}", func(w http.ResponseWriter, r *http.Request) {
		days := 5
		if s := r.URL.Query().Get("days"); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 || n > 365 {
				http.Error(w, "days: a number of days from 1 to 365", http.StatusBadRequest)
				return
			}
			days = n
		}
		closes, o, err := a.history.GetOutcome(requestContext(r), historyQuery{r.PathValue("symbol"), days})
		reply(w, closes, o, err)
	})
	mux.HandleFunc("GET /watchlist", func(w http.ResponseWriter, r *http.Request) {
		user := r.Header.Get("X-User")
		if user == "" {
			http.Error(w, "the watchlist is per user: send an X-User header", http.StatusBadRequest)
			return
		}
		list, o, err := a.watchlist.GetOutcome(requestContext(r), user)
		reply(w, list, o, err)
	})
}

// requestContext makes the request's calls belong to its user's session,
// so that the cache's events say whose call each was.
func requestContext(r *http.Request) context.Context {
	if user := r.Header.Get("X-User"); user != "" {
		return cache.WithSession(r.Context(), user)
	}
	return r.Context()
}

func reply(w http.ResponseWriter, v any, o cache.Outcome, err error) {
	w.Header().Set("X-Cache", o.String())
	switch {
	case errors.Is(err, errUnknownSymbol):
		http.Error(w, err.Error(), http.StatusNotFound)
	case err != nil:
		http.Error(w, err.Error(), http.StatusBadGateway)
	default:
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(v)
	}
}
