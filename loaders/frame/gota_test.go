package frame_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/go-gota/gota/dataframe"

	"github.com/hitmiss/hitmiss/datasets"
	"github.com/hitmiss/hitmiss/loaders"
	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/loadertest"
)

func bundledFrame(t testing.TB, name string) dataframe.DataFrame {
	t.Helper()
	d, ok := datasets.Lookup(name)
	if !ok {
		t.Fatalf("no dataset %s", name)
	}
	df, err := loaders.ReadCSV(context.Background(), bytes.NewReader(d.Bytes()), loaders.WithName(d.File))
	if err != nil {
		t.Fatal(err)
	}
	return df
}

// TestUnknownGotaLayoutFallsBack forces the path taken if a different gota
// were linked: loads and row selection go through gota's public API and
// give the same frames.
func TestUnknownGotaLayoutFallsBack(t *testing.T) {
	fast := bundledFrame(t, "seattle-weather")
	c := frame.ColumnOf(fast.Col("temp_max"))
	order := loaders.Stable(c, true)
	fastSorted := frame.Take(frame.TableOf(fast), order).Frame()

	defer frame.SetGotaDirect(false)()
	slow := bundledFrame(t, "seattle-weather")
	loadertest.FramesEqual(t, "fallback load", slow, fast)
	loadertest.FramesEqual(t, "fallback take", frame.Take(frame.TableOf(slow), order).Frame(), fastSorted)
}
