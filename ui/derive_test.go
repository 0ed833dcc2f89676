package ui

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/ui/page"
)

// outcomeOf is how the page's call of fn was served; ok is false when the
// page made none.
func outcomeOf(p *page.Page, fn string) (cache.Outcome, bool) {
	for _, c := range p.Calls {
		if c.Fn == fn {
			return c.Outcome, true
		}
	}
	return 0, false
}

func TestDeriveAddsAColumnAsACachedStep(t *testing.T) {
	d := weather(t)
	d.key("=")
	mustContain(t, d.screen(), "NAME = EXPR")
	d.answer("f = temp_max * 1.8 + 32")
	p := d.m.ctx.page
	if !slices.Contains(p.Frame.Names(), "f") {
		t.Fatalf("no column f after =: %v", p.Frame.Names())
	}
	if o, ok := outcomeOf(p, "derive"); !ok || o != cache.Miss {
		t.Fatalf("derive served %v (called: %v), want a miss", o, ok)
	}
	mustContain(t, d.screen(), "added column f (derive)", "miss (derive)", "7 columns")
	if got := p.Frame.Float(0, p.Frame.Index("f")); math.Abs(got-55.04) > 1e-9 {
		t.Errorf("f of the first row: %v, want 55.04 (12.8 °C)", got)
	}
	d.key("r")
	d.settle()
	if o, ok := outcomeOf(d.m.ctx.page, "derive"); !ok || !o.Served() {
		t.Fatalf("rerun: derive served %v (called: %v), want a hit", o, ok)
	}

	// The filter and the sort name it; its rows are the ones it says.
	d.filter("f > 95")
	d.cursorTo("f")
	d.key("s", "s")
	d.settle()
	p = d.m.ctx.page
	if p.FilterErr != nil || p.Rows.Len() == 0 {
		t.Fatalf("filter on f: %v, %d rows", p.FilterErr, p.Rows.Len())
	}
	f := p.Frame.Index("f")
	last := 1e9
	for i := range p.Rows.Len() {
		v := p.Frame.Float(p.Rows.Row(i), f)
		if v <= 95 || v > last {
			t.Fatalf("row %d: f %v after %v: not f > 95, descending", i, v, last)
		}
		last = v
	}
	mustContain(t, d.screen(), "filter: f > 95", "sort: f ↓")

	// A second column over the first is one more derive call; the first
	// is a hit.
	d.key("=")
	d.answer("hot = f > 96")
	if !slices.Contains(d.m.ctx.page.Frame.Names(), "hot") {
		t.Fatalf("no column hot: %v", d.m.ctx.page.Frame.Names())
	}

	// - hides a derived column like any other.
	d.cursorTo("hot")
	d.key("-")
	mustContain(t, d.screen(), "7 of 8 columns shown")
}

func TestDeriveErrorShowsWhereAndEditsInPlace(t *testing.T) {
	d := weather(t)
	d.key("=")
	d.answer("g = temp_mx + 1")
	mustContain(t, d.screen(), `derive: at column 5: unknown column "temp_mx"`, "derived column not applied (error)")
	if slices.Contains(d.m.ctx.page.Frame.Names(), "g") {
		t.Fatal("a column that did not compile was added")
	}
	d.key("=")
	if line := promptLine(t, d.screen(), "= "); !strings.Contains(line, "g = temp_mx + 1") {
		t.Fatalf("= does not open on the column to fix: %q", line)
	}
	d.answer("g = temp_max + 1")
	p := d.m.ctx.page
	if p.DeriveErr != nil || !slices.Contains(p.Frame.Names(), "g") || len(p.Query.Derive) != 1 {
		t.Fatalf("fixed: error %v, columns %v, derived %q", p.DeriveErr, p.Frame.Names(), p.Query.Derive)
	}
	mustLack(t, d.screen(), "not applied")
	// Its name again replaces it.
	d.key("=")
	d.answer("g = temp_max + 2")
	p = d.m.ctx.page
	if len(p.Query.Derive) != 1 || p.Frame.Float(0, p.Frame.Index("g")) != 14.8 {
		t.Fatalf("g again: derived %q, g %v", p.Query.Derive, p.Frame.Float(0, p.Frame.Index("g")))
	}
}

// t sets a derived column's type: set_types runs over derive's model.
func TestDerivedColumnTakesAType(t *testing.T) {
	d := weather(t)
	d.key("=")
	d.answer("half = temp_max / 2")
	d.cursorTo("half")
	d.key("t")
	d.typeText("int")
	d.key("enter")
	d.settle()
	p := d.m.ctx.page
	if typ := p.Frame.Types()[p.Frame.Index("half")]; typ != "int" {
		t.Fatalf("half is %s after t int", typ)
	}
	mustContain(t, d.screen(), "types: half int", "half is now int:")
}

// ctrl+s saves the view shown: a derived column that failed is not
// applied, so not saved (the recipe would fail where it is replayed), and
// the notice says it was left out.
func TestRecipeLeavesOutAFailedDerivedColumn(t *testing.T) {
	d := weather(t)
	d.key("=")
	d.answer("w = temp_max / 2")
	d.key("=")
	d.answer("z = weather + 1")
	if d.m.ctx.page.DeriveErr == nil {
		t.Fatal("z = weather + 1 compiled")
	}
	path := filepath.Join(t.TempDir(), "r.json")
	d.send(tea.KeyMsg{Type: tea.KeyCtrlS})
	d.answer(path)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no recipe written: %v\n%s", err, d.screen())
	}
	if !strings.Contains(string(data), "w = temp_max / 2") || strings.Contains(string(data), "z = ") {
		t.Fatalf("the recipe:\n%s", data)
	}
	// The notice shows over the standing error, wrapped: read as words.
	if words := strings.Join(strings.Fields(d.screen()), " "); !strings.Contains(words, `saved the view to `+path+`, without the derived column "z = weather + 1" that failed`) {
		t.Fatalf("no notice of the save:\n%s", d.screen())
	}
	d.key("j") // the next key: the error is back
	mustContain(t, d.screen(), "derive: at column 5: + takes numbers: weather is text")
}

// A date part of text that is no date is missing, and the notice says how
// many cells read as no date: a column of blanks must not pass silently.
func TestDatePartOfTextThatIsNoDateSaysSo(t *testing.T) {
	d := openCSV(t, "d.csv", "s,when\nabc,2020-01-02\nxyz,2021-03-04\n,x\n", 120, 40)
	d.key("=")
	d.typeText("y = year(s)")
	d.key("enter")
	d.settle()
	mustContain(t, d.screen(), "column y (derive): 2 text cells read as no date: missing")
	d.key("=")
	d.typeText("w = year(when)")
	d.key("enter")
	d.settle()
	mustContain(t, d.screen(), "column w (derive): 1 text cell read as no date: missing")
	d.key("=")
	d.typeText("m = month(if(s = 'abc', when, '2020-05-06'))")
	d.key("enter")
	d.settle()
	mustContain(t, d.screen(), "added column m (derive)")
	mustLack(t, d.screen(), "read as no date")
}
