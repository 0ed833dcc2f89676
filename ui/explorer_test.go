package ui

import (
	"strings"
	"testing"

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
