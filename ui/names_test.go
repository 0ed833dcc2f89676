package ui

import (
	"slices"
	"strings"
	"testing"
)

// citiesCSV has a column whose name holds a comma.
const citiesCSV = "\"City, State\",pop,rank\n" +
	"\"Austin, TX\",10,1\n" +
	"\"Boston, MA\",20,2\n" +
	"\"Austin, TX\",30,3\n"

// The prompts that take column names (A, V, L, P, :) read them as
// --columns does: a name in backticks may hold a comma, and the notice that
// lists the names quotes them, so `City, State` reads as one.
func TestPromptsReadColumnNamesInBackticks(t *testing.T) {
	d := openCSV(t, "cities.csv", citiesCSV)
	d.cursorTo("pop")
	d.key("A") // the guess is proposed as the prompt reads it back
	if v := d.m.prompt.input.Value(); v != "`City, State`" {
		t.Fatalf("A proposed %q, want `City, State` in backticks", v)
	}
	d.answer("`City, State`")
	if d.m.q.View != viewGroup || d.m.q.Views.GroupKey != "City, State" {
		t.Fatalf("A on `City, State`: view %v, key %q", d.m.q.View, d.m.q.Views.GroupKey)
	}
	mustContain(t, d.screen(), "group by City, State: pop · 2 groups", "Austin, TX", "Boston, MA")

	d.key("esc")
	d.settle()
	d.cursorTo("pop")
	d.key("A")
	d.answer("City, State") // typed bare, the whole text is still the name shown
	if d.m.q.Views.GroupKey != "City, State" {
		t.Fatalf("A on a bare City, State: key %q", d.m.q.Views.GroupKey)
	}

	d.key("esc")
	d.settle()
	d.cursorTo("pop")
	d.key("V")
	if v := d.m.prompt.input.Value(); v != "pop, " {
		t.Fatalf("V proposed %q", v)
	}
	d.answer("`City, State`, pop")
	if want := []string{"City, State", "pop"}; d.m.q.View != viewValues || !slices.Equal(d.m.q.Views.FreqCols, want) {
		t.Fatalf("V: view %v, columns %q, want %q", d.m.q.View, d.m.q.Views.FreqCols, want)
	}

	d.key("esc")
	d.settle()
	d.key("V")
	d.answer("City, pop") // two names, and no column City
	note := d.m.scope().note.text
	if !strings.Contains(note, "no column City (columns: `City, State`, pop, rank)") {
		t.Fatalf("the notice for an unknown name is %q", note)
	}

	d.key("$", ":")
	d.answer("`city, state`")
	if c := d.m.scope().cursorColumn(); c != "City, State" {
		t.Fatalf(": on `city, state` went to %q", c)
	}

	d.cursorTo("pop")
	d.key("P")
	d.answer("`rank`")
	if d.m.q.View != viewScatter || d.m.q.Views.XColumn != "rank" {
		t.Fatalf("P on `rank`: view %v, x %q", d.m.q.View, d.m.q.Views.XColumn)
	}
}
