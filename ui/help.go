package ui

import (
	"fmt"
	"strings"

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
	for _, group := range k.helpGroups() {
		entries = append(entries, group.title+":")
		for _, b := range group.keys {
			h := b.Help()
			e := pad(h.Key, keyW) + " " + h.Desc
			colW = max(colW, strWidth(e))
			entries = append(entries, e)
		}
	}
	cols := max(1, min(3, (width+2)/(colW+2)))
	out := columnsOf(entries, cols, colW)
	out = append(out, "")
	return append(out, splitLines(filterHelp)...)
}

// columnsOf lays entries out top to bottom in at most cols columns of
// width colW, as few rows as can be, never leaving a group's title (an
// entry ending in ":") alone at the foot of a column.
func columnsOf(entries []string, cols, colW int) []string {
	for rows := (len(entries) + cols - 1) / cols; ; rows++ {
		var columns [][]string
		var col []string
		for _, e := range entries {
			if len(col) == rows || (len(col) == rows-1 && strings.HasSuffix(e, ":")) {
				columns, col = append(columns, col), nil
			}
			col = append(col, e)
		}
		columns = append(columns, col)
		if len(columns) > cols {
			continue
		}
		out := make([]string, rows)
		for c, col := range columns {
			for r, e := range col {
				if c > 0 {
					out[r] = pad(out[r], c*(colW+2))
				}
				out[r] += e
			}
		}
		return out
	}
}

// filterHelp sums up the filter language (loaders/filter.go) under the
// keys on the ? screen; the README has the grammar in full.
const filterHelp = `Filter (f): tests joined with and, or, not and ( )
  col op value     op: = != < <= > >=; numbers or 'text' / "text"
  col contains "x" (any case)    col ~ "regex"    col is na, col is not na
  a text column of dates compares with a date as dates: when > "12/31/2019"
  ` + "`a name with spaces`" + `    e.g. temp_max > 30 and weather = "sun"`
