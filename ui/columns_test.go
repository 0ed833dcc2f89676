package ui

import (
	"bytes"
	"encoding/base64"
	"os"
	"slices"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/hitmiss/hitmiss/loaders"
)

func TestColumnsHideMoveJump(t *testing.T) {
	d := weather(t)
	d.cursorTo("precipitation")
	d.key("-")
	h := headerLine(d.screen())
	mustLack(t, h, "precipitation")
	mustContain(t, d.screen(), "hid precipitation", "col temp_max 2/5")
	d.key("U")
	mustContain(t, headerLine(d.screen()), "precipitation")
	d.cursorTo("precipitation")
	d.key(">", ">")
	h = headerLine(d.screen())
	if !(strings.Index(h, "temp_min") < strings.Index(h, "precipitation") && strings.Index(h, "precipitation") < strings.Index(h, "wind")) {
		t.Fatalf("precipitation not moved after temp_min: %q", h)
	}
	mustContain(t, d.screen(), "col precipitation 4/6")
	d.key("0", ":")
	d.typeText("wi")
	d.key("tab", "enter")
	mustContain(t, d.screen(), "col wind ")
	d.key(":")
	d.typeText("nope")
	d.key("enter")
	mustContain(t, d.screen(), `no column named like "nope"`)
}

// The title says how many columns the table shows when some are hidden:
// "6 columns" over a table of four said what was not shown (found by QA).
func TestTitleCountsHiddenColumns(t *testing.T) {
	d := weather(t)
	mustContain(t, d.screen(), "· 6 columns")
	d.key("l", "-", "-")
	d.settle()
	mustContain(t, d.screen(), "· 4 of 6 columns shown")
	d.key("U")
	d.settle()
	mustContain(t, d.screen(), "· 6 columns")
}

func TestFreezeKeepsColumnsWhenScrollingRight(t *testing.T) {
	d := newDriver(t, Options{Sources: loaders.BundledSources(), Open: false})
	d.m.q = query{View: viewTable, Source: sourceNamed(t, "us-employment")}
	d.run(d.m.rerun.start(d.m.q))
	d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	d.settle()
	fields := func() []string {
		return strings.Fields(strings.NewReplacer("[", " ", "]", " ").Replace(headerLine(d.screen())))
	}
	d.key("$")
	if h := fields(); !slices.Contains(h, "month") || slices.Contains(h, "nonfarm") {
		t.Fatalf("at the last column, by default only the first column stays: %q", h)
	}
	d.key("0", "l", "l", "!")
	mustContain(t, d.screen(), "froze 3 columns")
	d.key("$")
	if h := fields(); !slices.Contains(h, "month") || !slices.Contains(h, "nonfarm") || !slices.Contains(h, "private") || !slices.Contains(h, "nonfarm_change") {
		t.Fatalf("at the last column, the three frozen columns stay: %q", h)
	}
	d.key("0", "l", "l", "!") // ! again where it froze: thaws
	mustContain(t, d.screen(), "no column frozen")
	d.key("$")
	if h := fields(); slices.Contains(h, "month") {
		t.Fatalf("thawed, yet month stays: %q", h)
	}
	// More frozen than fit: as many stay as leave the cursor's column
	// room, never the cursor's column alone.
	d.key("0", "l", "l", "l", "l", "l", "l", "l", "l", "l", "!")
	mustContain(t, d.screen(), "froze 10 columns")
	for _, keys := range [][]string{nil, {"l"}, {"l", "l"}, {"$"}, {"0"}} {
		d.key(keys...)
		if h := fields(); len(h) < 3 || h[0] != "month" || h[1] != "nonfarm" {
			t.Fatalf("after %q with 10 columns frozen, the header is %q", keys, h)
		}
	}
}

func TestWidenNarrowAndWrap(t *testing.T) {
	long := strings.Repeat("word ", 40) + "THE-END"
	d := openCSV(t, "long.csv", "id,text,n\n1,\""+long+"\",5\n", 80, 24)
	mustLack(t, d.screen(), "THE-END")
	d.key("l")
	before := strings.Index(headerLine(d.screen()), " n")
	d.key(")")
	after := strings.Index(headerLine(d.screen()), " n")
	if after != before+4 {
		t.Fatalf(") moved the next column from %d to %d, want +4", before, after)
	}
	d.key("(", "(", "(", "(", "(", "(", "(", "(")
	if got := strings.Index(headerLine(d.screen()), " n"); got >= before {
		t.Fatalf("( did not narrow: next column at %d, was %d", got, before)
	}
	d.key("w")
	mustContain(t, d.screen(), "text, row 1 (w: unwrap)", "THE-END")
	d.key("w")
	mustLack(t, d.screen(), "THE-END")
}

func TestCopyCellAndRowWithOSC52(t *testing.T) {
	var clip bytes.Buffer
	path := t.TempDir() + "/c.csv"
	if err := os.WriteFile(path, []byte("a,b,c\nx y,1.5,\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	srcs, _ := loaders.Resolve(path, nil)
	d := newDriver(t, Options{Sources: srcs, Open: true, Clipboard: &clip})
	d.settle()
	d.key("l", "y")
	mustContain(t, d.screen(), "copied cell b to the clipboard")
	if want := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte("1.5")) + "\a"; clip.String() != want {
		t.Fatalf("y wrote %q, want %q", clip.String(), want)
	}
	clip.Reset()
	d.key("Y")
	if want := base64.StdEncoding.EncodeToString([]byte("x y\t1.5\t")); !strings.Contains(clip.String(), want) {
		t.Fatalf("Y wrote %q, want the row %q tab-separated (a missing cell empty)", clip.String(), "x y\t1.5\t")
	}
}
