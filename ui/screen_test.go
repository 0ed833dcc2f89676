package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/loaders"
)

// sizes from 1×1 to 250×80, dense where layouts change.
var everyWidth = []int{1, 2, 3, 5, 8, 10, 19, 20, 21, 30, 40, 47, 48, 59, 60, 79, 80, 92, 93, 99, 100, 101, 119, 120, 160, 200, 250}

var everyHeight = []int{1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 18, 19, 24, 30, 40, 60, 80}

func TestEveryViewAtEverySize(t *testing.T) {
	d := newDriver(t, Options{Sources: loaders.BundledSources()})
	d.key("j", "j", "j", "j", "j", "j", "j") // us-employment: 24 columns
	type step struct {
		name string
		keys []string
	}
	steps := []step{
		{"list", nil},
		{"table", []string{"enter"}},
		{"sorted", []string{"l", "s"}},
		{"describe", []string{"d"}},
		{"values", []string{"esc", "v"}},
		{"histogram", []string{"esc", "H"}},
		{"row", []string{"esc", "enter"}},
		{"prompt", []string{"esc", "f"}},
		{"help", []string{"esc", "?"}},
		{"panel focused", []string{"?", "tab"}},
		{"panel hidden", []string{"tab", "c"}},
	}
	check := func(name string, w, h int) {
		t.Helper()
		d.send(tea.WindowSizeMsg{Width: w, Height: h})
		var screen string
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("%s at %dx%d: panic %v", name, w, h, r)
				}
			}()
			screen = d.screen()
		}()
		lines := strings.Split(screen, "\n")
		if len(lines) > h {
			t.Fatalf("%s at %dx%d: %d lines:\n%s", name, w, h, len(lines), screen)
		}
		for _, l := range lines {
			if lw := ansi.StringWidth(l); lw > w {
				t.Fatalf("%s at %dx%d: a line is %d wide: %q", name, w, h, lw, l)
			}
		}
	}
	for _, s := range steps {
		d.send(tea.WindowSizeMsg{Width: 120, Height: 40})
		d.key(s.keys...)
		d.settle()
		for _, w := range everyWidth {
			for _, h := range everyHeight {
				check(s.name, w, h)
			}
		}
	}
}

// Every new view fits every window, from 1×1 up: no line overflows, no
// panic, never more lines than rows.
func TestGroupingAndChartViewsFitEverySize(t *testing.T) {
	d := weather(t)
	views := []func(){
		func() { d.key("l", "l", "v") },
		func() { d.key("V"); d.answer("weather, wind") },
		func() { d.key("l", "l", "A"); d.answer("weather") },
		func() { d.key("l", "l", "L"); d.answer("date") },
		func() { d.key("l", "l", "P"); d.answer("wind") },
		func() { d.key("b") },
	}
	for i, open := range views {
		d.send(tea.WindowSizeMsg{Width: 120, Height: 40})
		d.key("0")
		open()
		d.settle()
		if want := []viewKind{viewValues, viewValues, viewGroup, viewLine, viewScatter, viewSheets}[i]; d.m.q.View != want || (want != viewSheets && d.m.ctx.page.Query.View != want) {
			t.Fatalf("view %d did not open: %v", i, d.m.q.View)
		}
		for _, size := range [][2]int{{1, 1}, {2, 3}, {12, 5}, {20, 8}, {40, 10}, {80, 24}, {100, 15}, {120, 40}} {
			d.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			d.settle()
			lines := strings.Split(d.screen(), "\n")
			if len(lines) > size[1] {
				t.Fatalf("view %d at %v: %d lines", i, size, len(lines))
			}
			for _, l := range lines {
				if w := strWidth(l); w > size[0] {
					t.Fatalf("view %d at %v: line of %d cells: %q", i, size, w, l)
				}
			}
		}
		d.send(tea.WindowSizeMsg{Width: 120, Height: 40})
		d.key("esc")
		d.settle()
	}
}

func TestPanelStacksUnderTheTableWhenNarrow(t *testing.T) {
	d := weather(t)
	d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	d.settle()
	mustContain(t, d.screen(), "cache", "dataset_model", "events", "2012-01-01")
	d.key("c")
	mustLack(t, d.screen(), "events")
	d.key("tab") // focusing the panel shows it
	mustContain(t, d.screen(), "▶ cache", "dataset_model", "focus: panel")
	d.send(tea.WindowSizeMsg{Width: 100, Height: 15}) // panicked before
	mustContain(t, d.screen(), "▶ cache")
}

func TestStatusReportsTheRerunThatMissed(t *testing.T) {
	d := weather(t)
	d.key("d")
	d.settle()
	mustContain(t, d.screen(), "1 miss (describe)")
}

// The status bar counts every miss the rerun caused, nested ones too: the
// first open misses dataset_model and, inside it, load_csv.
func TestStatusCountsNestedMisses(t *testing.T) {
	d := weather(t)
	mustContain(t, d.screen(), "2 misses (load_csv, dataset_model)")
	d.key("r")
	d.settle()
	mustContain(t, d.screen(), "0 misses", "last miss: load_csv, dataset_model")
}

func TestNoticesLastOneKey(t *testing.T) {
	d := weather(t)
	d.key("/")
	d.typeText("snow")
	d.key("enter")
	d.settle()
	mustContain(t, d.screen(), `/snow/: match 1 of`)
	d.key("j")
	mustLack(t, d.screen(), `/snow/: match`)
	d.key("l", "m")
	mustContain(t, d.screen(), "this rerun's copy")
	d.key("j")
	d.settle()
	mustLack(t, d.screen(), "this rerun's copy")
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

func TestHelpDuringAResizeKeepsThePanel(t *testing.T) {
	d := weather(t)
	d.key("?")
	d.send(tea.WindowSizeMsg{Width: 130, Height: 40})
	d.key("?")
	mustContain(t, d.screen(), "dataset_model", "events")
}

// The ? screen sums up the filter language beside the keys (issue 14).
func TestHelpShowsTheFilterLanguage(t *testing.T) {
	d := weather(t)
	for _, size := range []tea.WindowSizeMsg{{Width: 80, Height: 24}, {Width: 120, Height: 40}} {
		d.send(size)
		d.key("?", "G") // at 80×24 the filter language is below the keys: G scrolls to it
		mustContain(t, d.screen(), "Filter (f):", `col contains "x"`, "col is not na", "temp_max > 30")
		d.key("?")
	}
}

// A resize redraws what the last rerun computed: no rerun, no cache call,
// so the hit counts stay as they were.
func TestResizeRedrawsWithoutARerun(t *testing.T) {
	d := weather(t)
	before := d.m.ctx.Registry.Stats()
	reruns := d.m.runs.reruns
	for _, size := range [][2]int{{80, 24}, {130, 40}, {100, 15}} {
		d.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		d.settle()
	}
	if d.m.runs.reruns != reruns {
		t.Fatalf("resizing ran %d reruns, want none", d.m.runs.reruns-reruns)
	}
	after := d.m.ctx.Registry.Stats()
	for i := range before {
		if before[i].Hits != after[i].Hits || before[i].Misses != after[i].Misses {
			t.Fatalf("%s: %d hits %d misses before the resizes, %d and %d after", before[i].Name,
				before[i].Hits, before[i].Misses, after[i].Hits, after[i].Misses)
		}
	}
	mustContain(t, d.screen(), "2012-01-01", "cache")
}

// At 80 columns the status bar leaves out whole parts rather than cutting
// one: the functions that missed are listed as far as they fit, then
// counted ("+1 more"), never cut mid-name.
func TestStatusBarAt80AbbreviatesMissesWhole(t *testing.T) {
	d := weather(t)
	d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	d.key("l", "s")
	d.settle()
	d.filter("wind > 3 and weather == \"sun\"")
	status := d.screen()[strings.LastIndex(d.screen(), "\n")+1:]
	if strings.Contains(status, "…") {
		t.Fatalf("status bar cut: %q", status)
	}
	m := regexp.MustCompile(`3 misses \(([^)]*)\)`).FindStringSubmatch(status)
	if m == nil {
		t.Fatalf("status bar %q does not list the misses", status)
	}
	names := 0
	for _, n := range strings.Split(strings.Split(m[1], " +")[0], ", ") {
		if !slices.Contains([]string{"compile_filter", "filter_rows", "sort_rows"}, n) {
			t.Fatalf("status bar lists %q, not a function's whole name: %q", n, status)
		}
		names++
	}
	if names < 3 && !strings.Contains(m[1], fmt.Sprintf("+%d more", 3-names)) {
		t.Fatalf("status bar %q lists %d of 3 misses without counting the others", status, names)
	}
}

// A notice longer than the window wraps onto a second line instead of
// losing its end; the screen keeps its height.
func TestLongNoticeWrapsAt80(t *testing.T) {
	d := weather(t)
	d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	d.m.note.text = "a notice that says a great deal about what just happened and ends with THE-END"
	lines := strings.Split(d.screen(), "\n")
	if len(lines) != 24 {
		t.Fatalf("%d lines, want 24", len(lines))
	}
	if got := lines[21] + " " + lines[22]; !strings.Contains(got, "THE-END") {
		t.Fatalf("the notice's end is lost:\n%s", d.screen())
	}
}

// Beside the table, a notice on two lines shortens the panel from below
// its title, not its newest event.
func TestLongNoticeKeepsThePanelsNewestEvent(t *testing.T) {
	d := weather(t)
	d.send(tea.WindowSizeMsg{Width: 100, Height: 15})
	for i := range 20 { // a log longer than the panel
		d.m.panel.record(cache.Event{Kind: cache.EventMiss, Func: "f", Key: fmt.Sprintf("f(%d)", i), Time: time.Now()})
	}
	newest := "miss f(19)"
	d.m.note.text = strings.Repeat("a long notice ", 10) + "THE-END"
	s := d.screen()
	if !strings.Contains(s, "THE-END") || !strings.Contains(s, newest) {
		t.Fatalf("the notice's end or the newest event %q is lost:\n%s", newest, s)
	}
}

// TestWidthsAreTheTerminalsCells: strWidth counts what ansi.StringWidth
// counts, for plain ASCII (counted without the parser) and for everything
// else; clip keeps a string of at most width bytes whole and cuts the others
// as ansi.Truncate does.
func TestWidthsAreTheTerminalsCells(t *testing.T) {
	styled := DefaultStyles(true).Hit.Render("hit load_csv")
	for _, s := range []string{"", "plain ascii ~!", "tab\there", "del\x7f", "été", "日本語", "👍🏽 ok", styled,
		"\x1b[31mred\x1b[0m", "a\u0301", "…" + strings.Repeat("x", 10)} {
		if got, want := strWidth(s), ansi.StringWidth(s); got != want {
			t.Errorf("strWidth(%q) = %d, ansi says %d", s, got, want)
		}
		for width := range 14 {
			want := s
			if ansi.StringWidth(s) > width {
				want = ansi.Truncate(s, width, "…")
			}
			if got := clip(s, width); got != want {
				t.Errorf("clip(%q, %d) = %q, want %q", s, width, got, want)
			}
		}
	}
}
