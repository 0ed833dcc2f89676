package ui

import (
	"strings"
	"testing"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/loaders"
)

// statsOf returns the named function's stats.
func statsOf(t *testing.T, reg *cache.Registry, name string) cache.Stats {
	t.Helper()
	for _, s := range reg.Stats() {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no function %s", name)
	return cache.Stats{}
}

// The talk's live keys in the explorer: # edits load_csv's code (a miss,
// then # back is a hit), B breaks the shared dataset_model (invalidated,
// recomputed), D clears the open dataset's entry only.
func TestLiveKeys(t *testing.T) {
	d := newDriver(t, Options{Color: false, Sources: loaders.BundledSources()[:2], Open: false})
	d.key("enter") // the first dataset
	d.settle()
	load0 := statsOf(t, d.reg, "load_csv")
	d.key("#")
	d.settle()
	load1 := statsOf(t, d.reg, "load_csv")
	if load1.Misses != load0.Misses+1 {
		t.Fatalf("# (edited code): load_csv misses %d → %d, want one more", load0.Misses, load1.Misses)
	}
	if !strings.Contains(d.screen(), `Version "+edited"`) {
		t.Fatalf("# does not say the new version:\n%s", d.screen())
	}
	d.key("#")
	d.settle()
	if load2 := statsOf(t, d.reg, "load_csv"); load2.Misses != load1.Misses {
		t.Fatalf("# back: load_csv misses %d → %d, want none: the original's entry was kept", load1.Misses, load2.Misses)
	}
	model0 := statsOf(t, d.reg, "dataset_model")
	d.key("B")
	d.settle()
	model1 := statsOf(t, d.reg, "dataset_model")
	if model1.Invalidations != model0.Invalidations+1 || model1.Misses != model0.Misses+1 {
		t.Fatalf("B: dataset_model invalidations %d → %d, misses %d → %d; want one more of each",
			model0.Invalidations, model1.Invalidations, model0.Misses, model1.Misses)
	}
	d.key("D")
	d.settle()
	if !strings.Contains(d.screen(), "cleared dataset_model(seattle-weather) only") {
		t.Fatalf("D does not say what it cleared:\n%s", d.screen())
	}
	if model2 := statsOf(t, d.reg, "dataset_model"); model2.Clears != model1.Clears+1 || model2.Misses != model1.Misses+1 {
		t.Fatalf("D: dataset_model clears %d → %d, misses %d → %d; want one more of each",
			model1.Clears, model2.Clears, model1.Misses, model2.Misses)
	}
	// On the list, the keys say what they need.
	d.key("esc")
	d.settle()
	d.key("D")
	if !strings.Contains(d.screen(), "open a dataset first") {
		t.Fatalf("D on the list:\n%s", d.screen())
	}
}
