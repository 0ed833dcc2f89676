package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/hitmiss/hitmiss/loaders"
)

// A slow load shows the file's first rows at once, marked as a preview;
// keys move on them; the whole table replaces them keeping the cursor.
func TestSlowLoadShowsPreviewThenTable(t *testing.T) {
	d := newSlowDriver(t, time.Second)
	d.until("the preview", d.previewShown)
	if d.pageShown() {
		t.Fatal("the page arrived before the preview: the load was not slow")
	}
	s := d.m.View()
	for _, want := range []string{"first 500 rows (preview)", "loading", "city-0", "row 1 of the first 500"} {
		if !strings.Contains(s, want) {
			t.Fatalf("preview screen lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "10,000") {
		t.Fatalf("the preview claims the whole file's row count:\n%s", s)
	}

	// The title follows the load's progress figure, and says when the
	// parse is done and the model indexes.
	d.send(progressMsg{read: 37, total: 100})
	if s := d.m.View(); !strings.Contains(s, "first 500 rows (preview) · loading 37%…") {
		t.Fatalf("the title does not show the load's progress:\n%s", s)
	}
	d.send(progressMsg{read: 100, total: 100})
	if s := d.m.View(); !strings.Contains(s, "parsed, indexing…") {
		t.Fatalf("the title does not say the parse is done:\n%s", s)
	}

	d.key("j", "j", "l", "G")
	if s := d.m.View(); !strings.Contains(s, "row 500 of the first 500") || !strings.Contains(s, "499 ") {
		t.Fatalf("G on the preview should reach its last row:\n%s", s)
	}
	d.key("g", "j", "j")
	if s := d.m.View(); !strings.Contains(s, "row 3 of the first 500") {
		t.Fatalf("j on the preview did not move:\n%s", s)
	}

	d.until("the whole table", d.pageShown)
	if d.previewShown() {
		t.Fatal("the preview outlived the page")
	}
	s = d.m.View()
	for _, want := range []string{"10,000 rows", "row 3/10,000", "col x 2/3"} {
		if !strings.Contains(s, want) {
			t.Fatalf("the whole table lacks %q (cursor not kept?):\n%s", want, s)
		}
	}
	if strings.Contains(s, "preview") {
		t.Fatalf("the whole table is still marked a preview:\n%s", s)
	}
	// The preview is no cached call: the load and the model are each held
	// once, and nothing else went through the cache. (Their Misses are no
	// count of computations: a Get a superseded rerun gave up on counts as
	// a miss when it returns, SPEC §1.6, whichever way the race went.)
	for _, s := range d.reg.Stats() {
		if strings.Contains(s.Name, "preview") {
			t.Fatalf("the preview went through a cached function: %+v", s)
		}
		if (s.Name == "load_csv" || s.Name == "dataset_model") && s.Entries != 1 {
			t.Fatalf("%s: %d entries; want it held once", s.Name, s.Entries)
		}
	}
}

// Sort, filter and describe asked for on a preview wait for the whole
// file: the preview is never sorted, filtered or described, and what comes
// is computed over every row.
func TestPreviewStatisticsWaitForTheLoad(t *testing.T) {
	d := newSlowDriver(t, time.Second)
	d.until("the preview", d.previewShown)

	d.key("d")
	s := d.m.View()
	if !strings.Contains(s, "describe waits for the whole file") || strings.Contains(s, "mean") {
		t.Fatalf("describe on a preview should wait, not compute:\n%s", s)
	}
	d.key("d", "s", "s") // back to the rows; sort id descending
	s = d.m.View()
	if !strings.Contains(s, "the sort by id waits for the whole file") || !strings.Contains(s, "sort after the load") {
		t.Fatalf("a sort on the preview should say it waits:\n%s", s)
	}
	if strings.Contains(s, "id ↓") || strings.Contains(s, " 499 ") {
		t.Fatalf("the preview was sorted:\n%s", s)
	}
	d.key("f")
	for _, r := range "id >= 9500" {
		d.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	d.key("enter")
	if s := d.m.View(); !strings.Contains(s, "the filter waits for the whole file") || !strings.Contains(s, "filter, sort after the load") {
		t.Fatalf("a filter on the preview should say it waits:\n%s", s)
	}
	d.key("enter")
	if s := d.m.View(); !strings.Contains(s, "the row detail waits for the whole file") {
		t.Fatalf("enter on the preview should wait for the load:\n%s", s)
	}
	d.key("M")
	if s := d.m.View(); !strings.Contains(s, "the mutation demo waits for the whole file") {
		t.Fatalf("M on the preview should wait for the load:\n%s", s)
	}

	d.until("the whole table", d.pageShown)
	s = d.m.View()
	for _, want := range []string{"500 of 10,000 rows match", "id ↓", "9999", "row 1/500"} {
		if !strings.Contains(s, want) {
			t.Fatalf("the sorted, filtered table lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "waits for the whole file") {
		t.Fatalf("the wait notice outlived the wait:\n%s", s)
	}
}

// A dataset whose model is in memory opens without a preview, and a
// preview that arrives after its page is dropped.
func TestNoPreviewOnceLoaded(t *testing.T) {
	d := newSlowDriver(t, 0)
	d.until("the table", d.pageShown)
	if cmd := previewCmd(d.m.ctx.Loaders, d.m.q.Source); cmd == nil || cmd() != nil {
		t.Fatal("a preview was read for a dataset whose model is in memory")
	}
	pv, err := d.m.ctx.Loaders.Preview(t.Context(), *d.m.q.Source, loaders.PreviewRows)
	if err != nil {
		t.Fatal(err)
	}
	d.send(previewMsg{source: d.m.q.Source, preview: pv})
	if d.previewShown() || strings.Contains(d.m.View(), "preview") {
		t.Fatalf("a late preview replaced the table:\n%s", d.m.View())
	}
}
