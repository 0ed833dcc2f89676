package loaders

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/internal/bytesize"
	"github.com/hitmiss/hitmiss/loaders/loadertest"
)

// lowURLCap lowers the download cap for one test.
func lowURLCap(t *testing.T, n int64) {
	old := urlMaxBytes
	urlMaxBytes = n
	t.Cleanup(func() { urlMaxBytes = old })
}

func TestURLCapCountsDecompressedBytes(t *testing.T) {
	lowURLCap(t, 1<<20)
	gz := loadertest.GzipCSV(t, 4<<20)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/gzip")
		w.Write(gz)
	}))
	defer srv.Close()
	l := New(cache.NewRegistry(), Config{})
	srcs, _ := Resolve(srv.URL+"/big.csv.gz", nil)
	_, err := l.LoadSource(context.Background(), srcs[0])
	if err == nil || !strings.Contains(err.Error(), "over the 1.0 MiB limit") {
		t.Fatalf("a %s download that inflates to 4 MiB, with a 1 MiB cap: %v", bytesize.Human(int64(len(gz))), err)
	}
}

func TestURLErrorsNameTheURLOnce(t *testing.T) {
	lowURLCap(t, 1<<20)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/big.csv": // no Content-Length: only counting finds it too big
			w.Write([]byte("a,b\n"))
			w.(http.Flusher).Flush()
			for range 600 {
				w.Write(bytes.Repeat([]byte("1,2\n"), 1024))
			}
		case "/page":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte("<!DOCTYPE html><html><body>Sign in</body></html>\n"))
		case "/sniffed":
			w.Header().Set("Content-Type", "application/octet-stream")
			w.Write([]byte("\n<!doctype html>\n<html lang=en><head><title>x</title></head></html>\n"))
		}
	}))
	defer srv.Close()
	l := New(cache.NewRegistry(), Config{})
	for path, want := range map[string]string{
		"/big.csv": "over the 1.0 MiB limit",
		"/page":    "an HTML page (text/html), not CSV",
		"/sniffed": "an HTML page, not CSV",
	} {
		url := srv.URL + path
		srcs, _ := Resolve(url, nil)
		got, err := l.LoadSource(context.Background(), srcs[0])
		if err == nil {
			t.Fatalf("%s: loaded %d rows × %d columns, want %q", path, got.Frame().Nrow(), got.Frame().Ncol(), want)
		}
		if msg := err.Error(); !strings.HasPrefix(msg, url+": ") || strings.Count(msg, srv.URL) != 1 || !strings.Contains(msg, want) || strings.Contains(msg, "\n") {
			t.Errorf("%s: %q, want one line naming the URL once and saying %q", path, msg, want)
		}
	}
}
