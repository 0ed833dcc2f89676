package ui

import (
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// helpScreen is the ? screen: every key, grouped as the command tables
// declare them (KeyMap.FullHelp), then the filter language and, in a
// room, what sessions share. It takes the window's whole body and
// scrolls when the window is short; while it is shown it owns esc (close)
// and the scroll keys.
type helpScreen struct {
	ctx   *Context
	shown bool
	top   int // the first line shown
}

// toggle shows or hides the screen, from its top.
func (h *helpScreen) toggle() {
	h.shown, h.top = !h.shown, 0
}

// Update handles the screen's own keys; it reports whether msg was one.
func (h *helpScreen) Update(msg tea.KeyMsg) bool {
	k := h.ctx.Keys
	rows := max(h.ctx.Height-3, 1)
	last := max(len(h.lines(h.ctx.Width))-rows, 0)
	switch {
	case key.Matches(msg, k.Back):
		h.shown = false
		return true
	case key.Matches(msg, k.Down):
		h.top++
	case key.Matches(msg, k.Up):
		h.top--
	case key.Matches(msg, k.PageDown):
		h.top += rows - 1
	case key.Matches(msg, k.PageUp):
		h.top -= rows - 1
	case key.Matches(msg, k.Top):
		h.top = 0
	case key.Matches(msg, k.Bottom):
		h.top = last
	default:
		return false
	}
	h.top = min(max(h.top, 0), last)
	return true
}

// lines is the whole screen at width.
func (h *helpScreen) lines(width int) []string {
	all := helpLines(h.ctx.Keys, width)
	if h.ctx.member != nil {
		all = append(append(all, ""), splitLines(sessionHelp)...)
	}
	return all
}

// page is the part of the screen that fits in height lines from the
// scroll position, with a last line saying how to see the rest.
func (h *helpScreen) page(width, height int) []string {
	all := h.lines(width)
	if height <= 0 {
		return nil
	}
	top := min(max(h.top, 0), max(len(all)-height, 0))
	page := all[top:min(top+height, len(all))]
	if top+height < len(all) {
		page = append(page[:len(page)-1:len(page)-1],
			fmt.Sprintf("↓ j/pgdn: %d more lines", len(all)-(top+height-1)))
	}
	return page
}

// helpLines is every key with its help, the groups of helpGroups one
// after the other under their titles, in as many columns as the width
// holds, then the filter language. Nothing is cut: what does not fit
// scrolls.
func helpLines(k KeyMap, width int) []string {
	const keyW = 8
	colW := 34 // or the longest entry: an entry is never cut by the next column
	var entries []string
	for g, group := range k.helpGroups() {
		if g > 0 {
			entries = append(entries, "")
		}
		entries = append(entries, group.title+":")
		for _, b := range group.keys {
			h := b.Help()
			e := pad(h.Key, keyW) + " " + h.Desc
			colW = max(colW, strWidth(e))
			entries = append(entries, e)
		}
	}
	cols := max(1, min(3, (width+2)/(colW+2)))
	rows := (len(entries) + cols - 1) / cols
	out := make([]string, rows)
	for i, e := range entries {
		r := i % rows
		if i >= rows {
			out[r] = pad(out[r], (i/rows)*(colW+2))
		}
		out[r] += e
	}
	out = append(out, "")
	return append(out, splitLines(filterHelp)...)
}

// filterHelp sums up the filter language (loaders/filter.go) under the
// keys on the ? screen; the README has the grammar in full.
const filterHelp = `Filter (f): tests joined with and, or, not and ( )
  col op value     op: = != < <= > >=; numbers or 'text' / "text"
  col contains "x" (any case)    col ~ "regex"    col is na, col is not na
  a text column of dates compares with a date as dates: when > "12/31/2019"
  ` + "`a name with spaces`" + `    e.g. temp_max > 30 and weather = "sun"`
