package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hitmiss/hitmiss/cache"
)

// W shows a pivot table through the cached pivot step, over a derived
// column too; a rerun is a hit, e writes the pivot as export --pivot
// does, and esc goes back to the table.
func TestPivotIsACachedView(t *testing.T) {
	d := weather(t)
	d.key("=")
	d.answer("year = year(date)")
	d.key("W")
	mustContain(t, d.screen(), "pivot ROW,COL,AGG(VALUE): ")
	d.answer("weather,year,max(temp_max)")
	p := d.m.ctx.page
	if o, ok := outcomeOf(p, "pivot"); !ok || o != cache.Miss {
		t.Fatalf("pivot served %v (called: %v), want a miss", o, ok)
	}
	pv := p.Views.Pivot
	if pv == nil || strings.Join(pv.Names(), ",") != "weather,2012,2013,2014,2015" || pv.Nrow() != 5 {
		t.Fatalf("pivot table: %v", pv)
	}
	if got := pv.Text(pv.Nrow()-1, 1); pv.Text(pv.Nrow()-1, 0) != "sun" || got != "34.4" {
		t.Errorf("sun's 2012 max: %s %s, want sun 34.4", pv.Text(pv.Nrow()-1, 0), got)
	}
	mustContain(t, d.screen(), "pivot: weather by year · max(temp_max) · 5 rows × 4 columns", "drizzle", "miss (pivot)")
	d.key("r")
	d.settle()
	if o, ok := outcomeOf(d.m.ctx.page, "pivot"); !ok || !o.Served() {
		t.Fatalf("rerun: pivot served %v (called: %v), want a hit", o, ok)
	}

	path := filepath.Join(t.TempDir(), "pivot.csv")
	d.key("e")
	d.answer(path)
	mustContain(t, d.screen(), "exported 5 rows to")
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(string(got), "\n"); lines[0] != "weather,2012,2013,2014,2015" || !strings.HasPrefix(lines[5], "sun,34.4,") {
		t.Errorf("exported pivot:\n%s", got)
	}

	d.key("W")
	d.answer("weather,year,mean(nothing)")
	mustContain(t, d.screen(), "pivot: no column nothing")
	d.key("W")
	d.answer("year,weather,mean(weather)")
	mustContain(t, d.screen(), "pivot: weather is text: mean needs numbers")
	d.key("esc")
	d.settle()
	if d.m.q.View != viewTable {
		t.Fatalf("esc on the pivot: view %v, want the table", d.m.q.View)
	}
}
