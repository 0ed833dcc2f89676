package frame_test

import (
	"testing"

	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/csvread/csvreadtest"
	"github.com/hitmiss/hitmiss/loaders/frame/order"
	"github.com/hitmiss/hitmiss/loaders/loadertest"
)

// TestUnknownGotaLayoutFallsBack forces the path taken if a different gota
// were linked: loads and row selection go through gota's public API and
// give the same frames.
func TestUnknownGotaLayoutFallsBack(t *testing.T) {
	fast := csvreadtest.Bundled(t, "seattle-weather")
	c := frame.ColumnOf(fast.Col("temp_max"))
	order := order.Stable(c, true)
	fastSorted := frame.Take(frame.TableOf(fast), order).Frame()

	defer frame.SetGotaDirect(false)()
	slow := csvreadtest.Bundled(t, "seattle-weather")
	loadertest.FramesEqual(t, "fallback load", slow, fast)
	loadertest.FramesEqual(t, "fallback take", frame.Take(frame.TableOf(slow), order).Frame(), fastSorted)
}
