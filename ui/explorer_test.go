package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/hitmiss/hitmiss/loaders"
)

func TestMutationDemo(t *testing.T) {
	d := newDriver(t, Options{Color: false, Sources: loaders.BundledSources()[:1], Open: true})
	d.settle()
	d.key("l", "m") // drop precipitation from this rerun's data copy
	d.settle()
	if s := d.screen(); strings.Contains(s, "precipitation ") || !strings.Contains(s, "this rerun's copy") {
		t.Fatalf("data copy demo:\n%s", s)
	}
	d.key("j")
	d.settle()
	if !strings.Contains(d.screen(), "precipitation") {
		t.Fatalf("the data-cached copy's damage outlived its rerun:\n%s", d.screen())
	}
	d.key("M") // drop it from the shared resource
	d.key("j", "r")
	d.settle()
	if s := d.screen(); strings.Contains(s, "precipitation ") {
		t.Fatalf("resource damage should persist across reruns:\n%s", s)
	}
	d.key("Z")
	d.settle()
	if !strings.Contains(d.screen(), "precipitation") {
		t.Fatalf("clearing resources should repair the model:\n%s", d.screen())
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

func TestDataCopyDemoWaitsForTypesAsRead(t *testing.T) {
	d := weather(t)
	d.cursorTo("wind")
	d.key("t")
	d.typeText("int")
	d.key("enter")
	d.settle()
	d.key("m")
	mustContain(t, d.screen(), "set the columns' types back (t) first", "types: wind int")
	if d.m.q.Dropped != "" {
		t.Fatal("the demo dropped a column from a copy without the types the title shows")
	}
}

// The sequences the crash was found with: a key in the same read as the
// key that opens a sheet (enter on the list; ] after esc back to it). The
// key waits for the sheet's page, then applies to it (it used to panic on
// a nil table).
func TestAKeyRightAfterOpeningASheetAppliesToIt(t *testing.T) {
	for _, c := range []struct {
		open []string
		key  string
		want string
	}{
		{[]string{"enter"}, "j", "row 2/1,461"},
		{[]string{"enter"}, "G", "row 1,461/1,461"},
		{[]string{"enter"}, "l", "col precipitation 2/6"},
		{[]string{"enter"}, "s", "sort: date ↑"},
		{[]string{"enter"}, "v", "value counts: date"},
		{[]string{"enter", "esc", "]"}, "j", "row 2/1,461"},
	} {
		d := newDriver(t, Options{Sources: loaders.BundledSources()[:1]}) // the list
		if len(c.open) > 1 {
			d.key(c.open[:len(c.open)-1]...) // open, then back to the list: the sheet stays open
			d.settle()
		}
		opener := tea.KeyMsg{Type: tea.KeyEnter}
		if last := c.open[len(c.open)-1]; last != "enter" {
			opener = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(last)}
		}
		next, cmd := d.m.Update(opener) // its rerun has not run
		d.m = next.(Model)
		d.key(c.key) // before the sheet's page: held
		if len(d.m.keys.held) != 1 {
			t.Fatalf("%v %s: the key was not held for the page (%d held)", c.open, c.key, len(d.m.keys.held))
		}
		d.run(cmd)
		d.settle()
		if len(d.m.keys.held) != 0 || !strings.Contains(d.screen(), c.want) {
			t.Fatalf("%v %s: want %q once the page landed:\n%s", c.open, c.key, c.want, d.screen())
		}
	}
}
