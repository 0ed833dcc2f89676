package stats

import (
	"math"
	"testing"
)

// TestSlotSpansHugeRanges checks the bucket of a value when the axis spans
// nearly every float: the span is computed on halves, so it does not
// overflow to infinity.
func TestSlotSpansHugeRanges(t *testing.T) {
	if slot(math.MaxFloat64, -math.MaxFloat64, math.MaxFloat64, 10) != 9 || slot(0, -math.MaxFloat64, math.MaxFloat64, 10) != 5 {
		t.Fatal("slot overflows on a huge span")
	}
}
