package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hitmiss/hitmiss/cache"
)

// At the width the panel has beside the table in a 120-column window, the
// columns a bound or a TTL makes matter are kept: a talk about
// --max-entries watches evictions.
func TestPanelKeepsEvictionsAndExpirationsWhenTheyMatter(t *testing.T) {
	for _, c := range []struct {
		name string
		opts []cache.Option
		head string
	}{
		{"bounded", []cache.Option{cache.MaxEntries(1)}, "evi"},
		{"ttl", []cache.Option{cache.TTL(5 * time.Minute)}, "exp"},
	} {
		reg := cache.NewRegistry(cache.WithPersistDir(t.TempDir()))
		f := cache.Data(reg, "f", func(_ context.Context, x int) (int, error) { return x, nil }, c.opts...)
		f.Get(context.Background(), 1)
		f.Get(context.Background(), 2)
		p := newCachePanel(&Context{Registry: reg, Styles: DefaultStyles(false), Keys: DefaultKeyMap()})
		p.SetSize(48, 10)
		header := strings.Split(p.View(), "\n")[1]
		if !strings.Contains(header, c.head) {
			t.Errorf("%s: panel header %q lacks %q", c.name, header, c.head)
		}
	}
}

// A hit folded into an earlier line moves that line to the end: the log
// stays in time order (a line above said 10:00:03 over one saying 10:00:02).
func TestFoldedHitsKeepTheLogInTimeOrder(t *testing.T) {
	p := newCachePanel(&Context{Registry: cache.NewRegistry(), Styles: DefaultStyles(false), Keys: DefaultKeyMap()})
	at := time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)
	for i, key := range []string{"a(1)", "b(1)", "a(1)"} {
		p.record(cache.Event{Kind: cache.EventHit, Func: key[:1], Key: key, Time: at.Add(time.Duration(i) * time.Second)})
	}
	if len(p.log) != 2 {
		t.Fatalf("log has %d lines, want 2 (a's hits folded)", len(p.log))
	}
	for i := 1; i < len(p.log); i++ {
		if p.log[i].at.Before(p.log[i-1].at) {
			t.Fatalf("line %d (%s at %v) is above an older one (%s at %v)", i-1, p.log[i-1].text, p.log[i-1].at, p.log[i].text, p.log[i].at)
		}
	}
	if last := p.log[1]; last.text != "hit a(1)" || last.count != 2 {
		t.Fatalf("newest line = %q ×%d, want the folded a(1) ×2", last.text, last.count)
	}
}

// An error's reason is what the user came to read: in a narrow panel it
// wraps onto more lines instead of being cut.
func TestNarrowPanelWrapsAnErrorsReason(t *testing.T) {
	reg := cache.NewRegistry()
	p := newCachePanel(&Context{Registry: reg, Styles: DefaultStyles(false), Keys: DefaultKeyMap()})
	p.SetSize(40, 12)
	reason := "sales.csv: line 12: unbalanced quote swallows 3 lines"
	p.record(cache.Event{Kind: cache.EventError, Func: "load_csv", Key: `load_csv(path="sales.csv")`, Err: fmt.Errorf("%s", reason), Time: time.Now()})
	p.record(cache.Event{Kind: cache.EventHit, Func: "f", Key: "f(1)", Time: time.Now()})
	view := p.View()
	flat := strings.Join(strings.Fields(view), " ")
	if !strings.Contains(flat, "swallows 3 lines") {
		t.Fatalf("the error's reason was cut:\n%s", view)
	}
	for _, line := range strings.Split(view, "\n") {
		if strWidth(line) > 40 {
			t.Fatalf("line wider than the panel: %q", line)
		}
	}
	if !strings.HasSuffix(strings.TrimSpace(view), "hit f(1)") {
		t.Fatalf("the newest line is not last:\n%s", view)
	}
}

func TestPanelFoldsHitsAndNamesArguments(t *testing.T) {
	d := weather(t)
	for range 5 {
		d.key("r")
	}
	d.settle()
	mustContain(t, d.screen(), `hit dataset_model("seattle-weather") ×`, "not called yet:")
	d.key("l", "l", "v")
	d.settle()
	mustContain(t, d.screen(), `frequency(columns=["temp_max"]`)
	d.filter("wind > 3")
	mustContain(t, d.screen(), "compile_filter", "shared")
}

func TestClearBurstFoldsAndIdleFunctionsStayFolded(t *testing.T) {
	d := weather(t)
	d.key("E")
	d.settle()
	mustContain(t, d.screen(), "cleared load_csv(*) (1 entry)", "functions that held nothing", "not called yet: fetch_csv")
	mustLack(t, d.screen(), "cleared group_by(*)")
}

// At 120x40 the log shows which way a sort went and which filter ran (the
// old log cut every call at 62 columns, before either).
func TestLogShowsSortDirectionAndFilter(t *testing.T) {
	d := weather(t)
	d.key("l", "l", "s", "s")
	d.settle()
	d.filter("wind > 3")
	var sortLine, filterLine bool
	for _, l := range strings.Split(d.screen(), "\n") {
		sortLine = sortLine || strings.Contains(l, `sort_rows(column="temp_max", descending`)
		filterLine = filterLine || strings.Contains(l, `filter_rows(where="wind > 3"`)
	}
	if !sortLine || !filterLine {
		t.Fatalf("the log does not say which sort and filter ran:\n%s", d.screen())
	}
}
