package ui

import (
	"fmt"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/loaders"
)

// Golden screens: the real program under teatest at 100x30 with the Ascii
// profile, compared with testdata/*.golden (go test ./ui -run Golden
// -update rewrites them). The cache panel is hidden (its counts depend on
// how events batch into reruns) and the rerun number, its duration and
// how its calls were served are masked: what remains is what the screen
// must show.

func init() { lipgloss.SetColorProfile(termenv.Ascii) }

func goldenModel(t *testing.T, sources []loaders.Source, open bool) *teatest.TestModel {
	return goldenModelAt(t, sources, open, 100, 30)
}

func goldenModelAt(t *testing.T, sources []loaders.Source, open bool, w, h int) *teatest.TestModel {
	t.Helper()
	at := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	reg := cache.NewRegistry(cache.WithPersistDir(t.TempDir()), cache.WithClock(func() time.Time { return at }))
	m := New(reg, loaders.New(reg, loaders.Config{}), Options{Sources: sources, Open: open})
	m.wire.stable, m.lay.showPanel = true, false
	return teatest.NewTestModel(t, m, teatest.WithInitialTermSize(w, h))
}

// finalScreen quits and returns the last screen the model rendered.
func finalScreen(t *testing.T, tm *teatest.TestModel) []byte {
	t.Helper()
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
	return []byte(tm.FinalModel(t).View())
}

func TestGoldenDatasetList(t *testing.T) {
	tm := goldenModel(t, loaders.BundledSources(), false)
	waitScreen(t, tm, "Datasets")
	keys(tm, "j", "j") // processed in order before the q that ends the program
	golden.RequireEqual(t, finalScreen(t, tm))
}

func TestGoldenTable(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {100, 30}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			tm := goldenModelAt(t, loaders.BundledSources()[:1], true, size[0], size[1])
			waitScreen(t, tm, "row 1/1,461")
			keys(tm, "j", "j", "l")
			waitScreen(t, tm, "row 3/1,461")
			golden.RequireEqual(t, finalScreen(t, tm))
		})
	}
}

// A filter that keeps no row shows no row, and says so (it showed every
// row before).
func TestGoldenFilterKeepsNothing(t *testing.T) {
	tm := goldenModelAt(t, loaders.BundledSources()[:1], true, 80, 24)
	waitScreen(t, tm, "row 1/1,461")
	keys(tm, "f")
	tm.Type("temp_max > 100")
	keys(tm, "enter")
	waitScreen(t, tm, "0 of 1,461 rows match")
	golden.RequireEqual(t, finalScreen(t, tm))
}

func TestGoldenValueCounts(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			tm := goldenModelAt(t, loaders.BundledSources()[:1], true, size[0], size[1])
			waitScreen(t, tm, "row 1/1,461")
			keys(tm, "$", "v")
			waitScreen(t, tm, "value counts: weather")
			golden.RequireEqual(t, finalScreen(t, tm))
		})
	}
}

func TestGoldenDescribe(t *testing.T) {
	tm := goldenModelAt(t, loaders.BundledSources()[:1], true, 100, 30)
	waitScreen(t, tm, "row 1/1,461")
	keys(tm, "d")
	waitScreen(t, tm, "stddev")
	// The describe's page and its "computed" event (which takes the
	// spinner line away) come on their own, the event within a frame
	// (eventGather): q waits for it, or the last screen may show the
	// spinner of a computation already done.
	time.Sleep(10 * eventGather)
	golden.RequireEqual(t, finalScreen(t, tm))
}
