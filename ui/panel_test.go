package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/loaders"
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

// The data-copy demo (m) lasts one rerun: r, a rerun like any key, brings
// the column back rather than dropping it again.
func TestRerunKeyEndsTheDataCopyDemo(t *testing.T) {
	d := weather(t)
	d.key("l", "m")
	d.settle()
	mustContain(t, d.screen(), "2/5") // the cursor's column of five
	d.key("r")
	d.settle()
	mustContain(t, d.screen(), "2/6")
}

// A source that could not be used is named on the first screen: the
// explorer opens over the line main printed about it.
func TestSkippedSourcesAreNamedOnTheFirstScreen(t *testing.T) {
	d := newDriver(t, Options{Sources: loaders.BundledSources()[:2], Problems: []string{"nosuch.csv: no such file"}})
	d.settle()
	mustContain(t, d.screen(), "skipped nosuch.csv: no such file")
}

// The empty value counts of a file without rows do not blame a filter, and
// a view's error says where esc goes: back to the table, not the list.
func TestEmptyAndErrorViewsSayWhatIsTrue(t *testing.T) {
	path := filepath.Join(t.TempDir(), "header.csv")
	os.WriteFile(path, []byte("a,b\n"), 0o644)
	srcs, _ := loaders.Resolve(path, nil)
	d := newDriver(t, Options{Sources: srcs, Open: true})
	d.settle()
	d.key("v")
	d.settle()
	mustContain(t, d.screen(), "the file has no rows")
	mustLack(t, d.screen(), "filter keeps")

	d = weather(t)
	d.filter("wind > 100")
	d.key("l", "l", "H")
	d.settle()
	mustContain(t, d.screen(), "error:", "esc: back to the table")
	d.key("esc")
	d.settle()
	mustContain(t, d.screen(), "0 of 1,461 rows match")
}

// The ? screen lists every key at any size: what does not fit scrolls
// into view with j (at 80×24 the cache keys were cut off before).
func TestHelpScrollsToEveryKey(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {60, 12}, {120, 40}} {
		d := weather(t)
		d.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		d.key("?")
		seen := d.screen()
		for range 300 {
			d.key("j")
			seen += d.screen()
		}
		for _, group := range DefaultKeyMap().FullHelp() {
			for _, b := range group {
				if !strings.Contains(seen, b.Help().Desc) {
					t.Errorf("%dx%d: the help never shows %q", size[0], size[1], b.Help().Desc)
				}
			}
		}
		mustContain(t, seen, "Filter (f)")
	}
}

// The row detail shows a long cell whole, wrapped over as many lines as it
// needs and scrolled with j (it was cut at the width of one line).
func TestRowDetailWrapsALongCell(t *testing.T) {
	words := make([]string, 60)
	for i := range words {
		words[i] = fmt.Sprintf("word%d", i)
	}
	path := filepath.Join(t.TempDir(), "long.csv")
	os.WriteFile(path, []byte("id,text\n1,"+strings.Join(words, " ")+"\n"), 0o644)
	srcs, _ := loaders.Resolve(path, nil)
	d := newDriver(t, Options{Sources: srcs, Open: true})
	d.send(tea.WindowSizeMsg{Width: 60, Height: 8})
	d.settle()
	d.key("enter")
	d.settle()
	seen := d.screen()
	for range 20 {
		d.key("j")
		seen += d.screen()
	}
	mustContain(t, seen, "word0", "word30", "word59")
}

// A dataset loaded with warnings says so on the screen, as inspect does
// (a ragged row was loaded without a word in the explorer).
func TestLoadWarningsAreShown(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ragged.csv")
	os.WriteFile(path, []byte("a,b\n1,2\n3,4,5\n6,7\n"), 0o644)
	srcs, _ := loaders.Resolve(path, nil)
	d := newDriver(t, Options{Sources: srcs, Open: true})
	d.settle()
	mustContain(t, d.screen(), "warning:")
}

// The status bar counts every miss the rerun caused, nested ones too: the
// first open misses dataset_model and, inside it, load_csv.
func TestStatusCountsNestedMisses(t *testing.T) {
	d := weather(t)
	mustContain(t, d.screen(), "last miss: load_csv, dataset_model")
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

// A prompt starts clean: a completing prompt's names do not show in the
// next one, nor does tab take them; a prompt's text is not scrolled by the
// last prompt's width; the hint shows when the line has room (found by QA).
func TestPromptsStartClean(t *testing.T) {
	d := weather(t)
	d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	d.key(":")
	d.typeText("w")
	d.key("enter") // jumps to wind
	d.key("f")
	line := promptLine(t, d.screen(), "filter: ")
	if strings.Contains(line, "wind") {
		t.Fatalf("the filter prompt shows the column prompt's completion: %q", line)
	}
	if !strings.Contains(line, "e.g. temp_max > 30") {
		t.Fatalf("the filter prompt's hint is hidden at 80 columns: %q", line)
	}
	d.send(tea.KeyMsg{Type: tea.KeyTab})
	if v := d.m.prompt.input.Value(); v != "" {
		t.Fatalf("tab in the filter prompt took %q", v)
	}
	d.key("esc")
	d.key("L") // a prompt with a long label and value
	d.key("esc")
	d.key("P")
	line = promptLine(t, d.screen(), "scatter of")
	if v := d.m.prompt.input.Value(); v != "" && !strings.Contains(line, v) {
		t.Fatalf("the scatter prompt shows %q, cut from its value %q", line, v)
	}
}

// promptLine is the screen's line that starts with label.
func promptLine(t *testing.T, screen, label string) string {
	t.Helper()
	for _, l := range strings.Split(screen, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), label) {
			return l
		}
	}
	t.Fatalf("no line starts with %q:\n%s", label, screen)
	return ""
}

// The title says how many columns the table shows when some are hidden:
// "6 columns" over a table of four said what was not shown (found by QA).
func TestTitleCountsHiddenColumns(t *testing.T) {
	d := weather(t)
	mustContain(t, d.screen(), "· 6 columns")
	d.key("l", "-", "-")
	d.settle()
	mustContain(t, d.screen(), "· 4 of 6 columns shown")
	d.key("U")
	d.settle()
	mustContain(t, d.screen(), "· 6 columns")
}
