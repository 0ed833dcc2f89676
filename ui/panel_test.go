package ui

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

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

// TestEventLogShowsTheNewestLinesThatFit: the log's last lines are its
// newest entries, oldest first; an error wrapped onto several lines that
// does not fit whole shows its first lines.
func TestEventLogShowsTheNewestLinesThatFit(t *testing.T) {
	p := newCachePanel(&Context{Registry: cache.NewRegistry(), Styles: DefaultStyles(false), Keys: DefaultKeyMap()})
	p.SetSize(40, 12)
	p.record(cache.Event{Kind: cache.EventHit, Func: "f", Key: "f(0)"})
	p.record(cache.Event{Kind: cache.EventError, Func: "load_csv", Key: `load_csv(path="sales.csv")`,
		Err: fmt.Errorf("sales.csv: line 12: unbalanced quote swallows 3 lines"), Time: time.Now()})
	p.record(cache.Event{Kind: cache.EventHit, Func: "f", Key: "f(1)"})
	p.record(cache.Event{Kind: cache.EventMiss, Func: "f", Key: "f(2)"})
	errLines := p.log[1].drawn
	if errLines == nil {
		errLines = p.logLineView(p.log[1])
	}
	if len(errLines) < 3 {
		t.Fatalf("the error takes %d lines at 40 cells: the test shows nothing", len(errLines))
	}
	hit, miss := p.logLineView(p.log[2])[0], p.logLineView(p.log[3])[0]
	for room := range len(errLines) + 4 {
		var want []string
		switch {
		case room <= 2:
			want = []string{hit, miss}[2-room:]
		case room <= 2+len(errLines):
			want = append(slices.Clone(errLines[:room-2]), hit, miss)
		default:
			want = append(append([]string{p.logLineView(p.log[0])[0]}, errLines...), hit, miss)[len(errLines)+3-room:]
		}
		if got := p.eventLog(room); !slices.Equal(got, want) {
			t.Errorf("%d lines of log: %q, want %q", room, got, want)
		}
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

// panelLog is the lines under the panel's "events" line, over the notice
// and status lines of a screen with the panel under the table.
func panelLog(screen string) []string {
	lines := strings.Split(screen, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "events") {
			return lines[i+1 : max(len(lines)-2, i+1)]
		}
	}
	return nil
}

// At 80x24, after a tour that calls six functions, the panel under the
// table keeps three lines of the log, and says each function's kind: in
// its row, or in the line that folds the rows that do not fit.
func TestPanelAt80x24KeepsTheLogAndEveryKind(t *testing.T) {
	d := weather(t)
	d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	d.key("s")
	d.settle()
	d.filter("wind > 3")
	d.key("d")
	d.settle()
	d.key("v")
	d.settle()
	screen := d.screen()
	if n := len(panelLog(screen)); n < minLogLines {
		t.Fatalf("%d log lines at 80x24, want %d:\n%s", n, minLogLines, screen)
	}
	for _, s := range d.m.ctx.Registry.Stats() {
		if s.Hits+s.Misses == 0 {
			continue
		}
		kind := kindText(s, false)
		row := regexp.MustCompile(`(?m)^[ ▸] ` + s.Name + ` +` + kind)
		folded := regexp.MustCompile(`also: .*` + s.Name + ` ` + kind)
		if !row.MatchString(screen) && !folded.MatchString(screen) {
			t.Errorf("the panel does not say %s is %s:\n%s", s.Name, kind, screen)
		}
	}
	for _, l := range strings.Split(screen, "\n") {
		if strWidth(l) > 80 {
			t.Fatalf("line wider than 80: %q", l)
		}
	}
}

// The table of functions shrinks before the log does: a panel too short
// for every function folds the others into one line and keeps the log.
func TestPanelFoldsFunctionsBeforeShrinkingTheLog(t *testing.T) {
	reg := cache.NewRegistry(cache.WithPersistDir(t.TempDir()))
	for _, name := range []string{"a", "b", "c", "d", "e", "f"} {
		f := cache.Data(reg, name, func(_ context.Context, x int) (int, error) { return x, nil })
		f.Get(context.Background(), 1)
	}
	place := cache.Resource(reg, "place", func(_ context.Context, x int) (int, error) { return x, nil }, cache.ScopeSession())
	place.Get(cache.WithSession(context.Background(), "alice"), 1)
	cache.Data(reg, "idle", func(_ context.Context, x int) (int, error) { return x, nil })
	p := newCachePanel(&Context{Registry: reg, Styles: DefaultStyles(false), Keys: DefaultKeyMap()})
	for i := range 10 {
		p.record(cache.Event{Kind: cache.EventMiss, Func: "a", Key: fmt.Sprintf("a(%d)", i), Time: time.Now()})
	}
	p.SetSize(80, 11)
	view := p.View()
	lines := strings.Split(view, "\n")
	if len(lines) != 11 {
		t.Fatalf("%d lines, want the panel's 11:\n%s", len(lines), view)
	}
	if got := lines[len(lines)-1]; !strings.Contains(got, "miss a(9)") {
		t.Fatalf("last line %q, want the newest event:\n%s", got, view)
	}
	if n := len(panelLog(view + "\n\n")); n != minLogLines {
		t.Fatalf("%d log lines, want %d:\n%s", n, minLogLines, view)
	}
	mustContain(t, view, "cache · 1 not called yet", "also: ", "place sess")
}

// A function kept per session (ScopeSession, session_place) says so: its
// kind is "session", and it has no shared bytes.
func TestPanelShowsASessionFunctionAsPerSession(t *testing.T) {
	reg := cache.NewRegistry(cache.WithPersistDir(t.TempDir()))
	place := cache.Resource(reg, "session_place", func(_ context.Context, x int) (int, error) { return x, nil }, cache.ScopeSession())
	place.Get(cache.WithSession(context.Background(), "alice"), 1)
	p := newCachePanel(&Context{Registry: reg, Styles: DefaultStyles(false), Keys: DefaultKeyMap()})
	p.SetSize(80, 10)
	row := lineWith(t, p.View(), "session_place")
	if !strings.Contains(row, "session") || strings.Contains(row, "shared") || strings.Contains(row, "resource") {
		t.Fatalf("session_place's row %q, want kind session and no shared bytes", row)
	}
}

// With the panel focused, k and pgup scroll the log back (its title says
// how many lines are newer), j and pgdn forward; leaving the panel shows
// the newest again.
func TestFocusedPanelScrollsTheLog(t *testing.T) {
	d := weather(t)
	d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	for range 3 {
		d.key("d")
		d.settle()
		d.key("esc")
		d.settle()
	}
	newest := panelLog(d.screen())
	d.key("tab", "pgup")
	mustContain(t, d.screen(), "newer below (j, pgdn)")
	if got := panelLog(d.screen()); slices.Equal(got, newest) {
		t.Fatalf("pgup did not scroll the log:\n%s", d.screen())
	}
	d.key("pgdown")
	mustLack(t, d.screen(), "newer below")
	d.key("k")
	mustContain(t, d.screen(), "events · 1 newer below")
	d.key("j")
	mustLack(t, d.screen(), "newer below")
	d.key("k", "k", "tab")
	mustLack(t, d.screen(), "newer below")
	if got := panelLog(d.screen()); !slices.Equal(got, newest) {
		t.Fatalf("after tab the log shows\n%s\nwant the newest\n%s", strings.Join(got, "\n"), strings.Join(newest, "\n"))
	}
}

// # sets load_csv's version aside: the panel counts the entry kept for
// it (1 +1 old) instead of showing one entry.
func TestPanelCountsVersionsSetAside(t *testing.T) {
	d := weather(t)
	d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	d.key("#")
	d.settle()
	if row := lineWith(t, d.screen(), "load_csv "); !strings.Contains(row, "1 +1 old") {
		t.Fatalf("load_csv's row %q, want its entries as 1 +1 old:\n%s", row, d.screen())
	}
}
