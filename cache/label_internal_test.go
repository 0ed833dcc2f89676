package cache

import (
	"reflect"
	"runtime"
	"strings"
	"testing"
)

func TestLabelOfAHugeStringQuotesOnlyWhatItShows(t *testing.T) {
	huge := strings.Repeat("a\x01", 5<<20) // 10 MiB, with bytes that quoting escapes
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	l := callLabel("load", reflect.ValueOf(huge))
	runtime.ReadMemStats(&after)
	if len(l) > 4*labelBudget {
		t.Fatalf("label is %d bytes", len(l))
	}
	if !strings.HasPrefix(l, `load("a\x01a`) {
		t.Fatalf("label %q", l)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
		t.Fatalf("labelling a 10 MiB string allocated %d bytes: it was quoted whole", n)
	}
}
