package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/hitmiss/hitmiss/loaders"
)

func TestJInRowDetailScrollsTheRow(t *testing.T) {
	d := newDriver(t, Options{Sources: loaders.BundledSources()[7:8], Open: true}) // 24 columns
	d.send(tea.WindowSizeMsg{Width: 120, Height: 15})
	d.settle()
	d.key("enter")
	d.settle()
	last := d.m.ctx.page.Frame.Names()[23]
	mustLack(t, d.screen(), last)
	for range 30 {
		d.key("j")
	}
	d.settle()
	mustContain(t, d.screen(), last)
	d.key("esc")
	d.settle()
	mustContain(t, d.screen(), "row 1/")
}

// The row detail shows a long cell whole, wrapped over as many lines as it
// needs and scrolled with j (it was cut at the width of one line).
func TestRowDetailWrapsALongCell(t *testing.T) {
	words := make([]string, 60)
	for i := range words {
		words[i] = fmt.Sprintf("word%d", i)
	}
	path := filepath.Join(t.TempDir(), "long.csv")
	os.WriteFile(path, []byte("id,text\n1,"+strings.Join(words, " ")+"\n"), 0o644)
	srcs, _ := loaders.Resolve(path, nil)
	d := newDriver(t, Options{Sources: srcs, Open: true})
	d.send(tea.WindowSizeMsg{Width: 60, Height: 8})
	d.settle()
	d.key("enter")
	d.settle()
	seen := d.screen()
	for range 20 {
		d.key("j")
		seen += d.screen()
	}
	mustContain(t, seen, "word0", "word30", "word59")
}
