package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/loaders"
)

// Tests of the cases issue 8 lists. Each drives the model through keys
// and reads the screen, as a person would.

func openCSV(t *testing.T, name, content string, size ...int) *driver {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	srcs, err := loaders.Resolve(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, Options{Sources: srcs, Open: true})
	if len(size) == 2 {
		d.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
	}
	d.settle()
	return d
}

func weather(t *testing.T) *driver {
	t.Helper()
	d := newDriver(t, Options{Sources: loaders.BundledSources()[:1], Open: true})
	d.settle()
	return d
}

func (d *driver) typeText(s string) {
	d.t.Helper()
	for _, r := range s {
		d.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

func (d *driver) filter(expr string) {
	d.t.Helper()
	d.key("f")
	d.send(tea.KeyMsg{Type: tea.KeyCtrlU})
	d.typeText(expr)
	d.key("enter")
	d.settle()
}

func mustContain(t *testing.T, screen string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(screen, w) {
			t.Fatalf("the screen lacks %q:\n%s", w, screen)
		}
	}
}

func mustLack(t *testing.T, screen string, bad ...string) {
	t.Helper()
	for _, b := range bad {
		if strings.Contains(screen, b) {
			t.Fatalf("the screen shows %q:\n%s", b, screen)
		}
	}
}

func TestFilterKeepingNoRowShowsNoRow(t *testing.T) {
	d := weather(t)
	d.filter("temp_max > 100")
	mustContain(t, d.screen(), "0 of 1,461 rows match", "no rows")
	mustLack(t, d.screen(), "2012-01-01", "row 1/0", "row 1/1")
	d.key("l", "l", "s") // sorted too
	d.settle()
	mustContain(t, d.screen(), "0 of 1,461 rows match")
	mustLack(t, d.screen(), "2012-01-01")
	d.key("enter") // no row to open
	mustLack(t, d.screen(), "row 1 of the file")
}

func TestViewsHonourTheFilter(t *testing.T) {
	d := weather(t)
	d.filter("weather = 'snow'")
	d.key("$", "v")
	d.settle()
	mustContain(t, d.screen(), "value counts: weather", "snow", "26 of 1,461 rows match")
	mustLack(t, d.screen(), "rain ", "641")
	d.key("esc", "h", "h", "h", "H") // histogram of temp_max over the 26 snow days
	d.settle()
	mustContain(t, d.screen(), "histogram: temp_max")
	if d.m.ctx.page.bins == nil {
		t.Fatal("no bins")
	}
	n := 0
	for _, b := range d.m.ctx.page.bins {
		n += b.Count
	}
	if n != 26 {
		t.Fatalf("the histogram holds %d values, want the 26 kept", n)
	}
	d.key("esc", "d")
	d.settle()
	mustContain(t, d.screen(), "describe")
	mustLack(t, d.screen(), "35.6") // the year's maximum is not a snow day's
}

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

func TestEditedFileShowsItsNewRows(t *testing.T) {
	path := filepath.Join(t.TempDir(), "live.csv")
	os.WriteFile(path, []byte("x\n1\n2\n"), 0o644)
	srcs, _ := loaders.Resolve(path, nil)
	d := newDriver(t, Options{Sources: srcs, Open: true})
	d.settle()
	mustContain(t, d.screen(), "2 rows")
	os.WriteFile(path, []byte("x\n1\n2\n3\n"), 0o644)
	later := time.Now().Add(time.Minute)
	os.Chtimes(path, later, later)
	d.key("r")
	d.settle()
	mustContain(t, d.screen(), "3 rows")
}

func TestExpiredLoadRebuildsTheModel(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	reg := cache.NewRegistry(cache.WithPersistDir(t.TempDir()), cache.WithClock(func() time.Time { return now }))
	l := loaders.New(reg, loaders.Config{TTL: time.Minute})
	m := New(reg, l, Options{Sources: loaders.BundledSources()[:1], Open: true})
	m.listen = false
	d := &driver{t: t, m: m, reg: reg}
	d.run(d.m.Init())
	d.settle()
	now = now.Add(2 * time.Minute)
	d.key("r")
	d.settle()
	if s := l.Load.Stats(); s.Misses != 2 {
		t.Fatalf("after the load expired the table still shows the old model: load_csv misses %d", s.Misses)
	}
}

func TestValueCountsScrollPastTwoHundred(t *testing.T) {
	var b strings.Builder
	b.WriteString("v\n")
	for i := range 300 {
		fmt.Fprintf(&b, "value-%03d\n", i)
	}
	d := openCSV(t, "many.csv", b.String())
	d.key("v")
	d.settle()
	mustContain(t, d.screen(), "300 values")
	d.key("G")
	mustContain(t, d.screen(), "value-299")
}

func TestDescribeScrollsSideways(t *testing.T) {
	d := newDriver(t, Options{Sources: loaders.BundledSources()[7:8], Open: true}) // us-employment, 24 columns
	d.settle()
	d.key("d")
	d.settle()
	mustContain(t, d.screen(), "describe")
	last := d.m.ctx.page.frame.Names()[23]
	mustLack(t, d.screen(), last)
	d.key("$")
	mustContain(t, d.screen(), last)
}

func TestDatasetListScrollsAndShowsLongNames(t *testing.T) {
	dir := t.TempDir()
	long := "a-rather-long-dataset-file-name-of-forty.csv"
	for i := range 60 {
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("file-%02d.csv", i)), []byte("a\n1\n"), 0o644)
	}
	os.WriteFile(filepath.Join(dir, long), []byte("a\n1\n"), 0o644)
	srcs, err := loaders.Resolve(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, Options{Sources: srcs})
	mustContain(t, d.screen(), long)
	d.key("G")
	mustContain(t, d.screen(), "file-59.csv")
}

func TestJInRowDetailScrollsTheRow(t *testing.T) {
	d := newDriver(t, Options{Sources: loaders.BundledSources()[7:8], Open: true}) // 24 columns
	d.send(tea.WindowSizeMsg{Width: 120, Height: 15})
	d.settle()
	d.key("enter")
	d.settle()
	last := d.m.ctx.page.frame.Names()[23]
	mustLack(t, d.screen(), last)
	for range 30 {
		d.key("j")
	}
	d.settle()
	mustContain(t, d.screen(), last)
	d.key("esc")
	d.settle()
	mustContain(t, d.screen(), "row 1/")
}

func TestStatusReportsTheRerunThatMissed(t *testing.T) {
	d := weather(t)
	d.key("d")
	d.settle()
	mustContain(t, d.screen(), "1 miss (describe)")
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

func TestNoColorCursorIsVisible(t *testing.T) {
	d := weather(t) // Color false, as under NO_COLOR
	mustContain(t, d.screen(), "[2012-01-01]")
	d.key("j", "l")
	mustContain(t, d.screen(), "[10.9]")
}

func TestEscDuringALoadGoesBack(t *testing.T) {
	d := minuteDriver(t)
	l := d.m.ctx.Loaders
	next, cmd := d.m.Update(tea.KeyMsg{Type: tea.KeyEnter})
	d.m = next.(Model)
	done := background(cmd)
	deadline := time.Now().Add(10 * time.Second)
	for len(d.m.computing) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the miss never started")
		}
		d.settle()
		time.Sleep(5 * time.Millisecond)
	}
	d.key("esc")
	d.send(<-done)
	d.settle()
	mustLack(t, d.screen(), "error: cancelled")
	mustContain(t, d.screen(), "Datasets", "cancelled")
	d.key("j") // the next key does not start the work again
	d.settle()
	for l.Load.Stats().InFlight != 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond) // nobody waits: the computation stops
	}
	if s := l.Load.Stats(); s.Misses != 1 || s.InFlight != 0 {
		t.Fatalf("the load restarted after esc: %+v", s)
	}
}

func TestDamageThenClearShowsFreshDescribe(t *testing.T) {
	d := weather(t)
	d.key("l", "l", "M", "d")
	d.settle()
	mustLack(t, d.screen(), "temp_max")
	d.key("Z")
	d.settle()
	d.key("r")
	d.settle()
	mustContain(t, d.screen(), "describe", "temp_max")
}

func TestDropTheOnlyColumnExplains(t *testing.T) {
	d := openCSV(t, "one.csv", "a\n1\n2\n")
	d.key("M")
	mustContain(t, d.screen(), "only column left")
	mustLack(t, d.screen(), "no Series given")
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

func TestHistogramOfExtremesAndConstants(t *testing.T) {
	d := openCSV(t, "wide.csv", "x,c\n-1e308,5\n1e308,5\n0,5\n")
	d.key("H")
	d.settle()
	mustContain(t, d.screen(), "histogram: x · 20 bins")
	mustLack(t, d.screen(), "panic", "error")
	d.key("esc", "l", "H")
	d.settle()
	mustContain(t, d.screen(), "histogram: c · 1 bin")
}

func TestSearchFollowsTheRowsShown(t *testing.T) {
	d := weather(t)
	d.filter("weather = 'snow'")
	d.key("/")
	d.typeText("2012-01-15")
	d.key("enter")
	d.settle()
	mustContain(t, d.screen(), `/2012-01-15/: match 1 of 1, row 2`, "row 2/26")
}

// A 10 MB cell costs what its visible part costs: rendering it does not
// sanitise or measure the whole cell.
func TestHugeCellCostsWhatIsVisible(t *testing.T) {
	d := openCSV(t, "huge.csv", "a,b\n"+strings.Repeat("é", 5<<20)+",1\n", 120, 40)
	d.key("enter") // the row detail renders the cell too
	d.key("esc")
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range 5 {
		_ = d.screen()
	}
	runtime.ReadMemStats(&after)
	if perView := (after.TotalAlloc - before.TotalAlloc) / 5; perView > 1<<20 {
		t.Fatalf("one View of a 10 MB cell allocates %d bytes", perView)
	}
}

func TestSpinnerStopsWhenNothingComputes(t *testing.T) {
	d := weather(t)
	d.m.listen = true
	_, cmd := d.m.Update(spinner.TickMsg{})
	if cmd != nil {
		t.Fatal("the spinner keeps ticking while nothing computes")
	}
}

func TestClearBurstFoldsAndIdleFunctionsStayFolded(t *testing.T) {
	d := weather(t)
	d.key("E")
	d.settle()
	mustContain(t, d.screen(), "cleared load_csv(*) (1 entry)", "functions that held nothing", "not called yet: fetch_csv")
	mustLack(t, d.screen(), "cleared group_by(*)")
}

func TestHelpDuringAResizeKeepsThePanel(t *testing.T) {
	d := weather(t)
	d.key("?")
	d.send(tea.WindowSizeMsg{Width: 130, Height: 40})
	d.key("?")
	mustContain(t, d.screen(), "dataset_model", "events")
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
