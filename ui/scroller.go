package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// scroller is a vertical list's cursor and scroll over n lines shown in
// height rows.
type scroller struct {
	cursor, top int
}

// move applies a navigation key; it reports whether the key was one.
func (s *scroller) move(msg tea.KeyMsg, k KeyMap, n, height int) bool {
	page := max(height-1, 1)
	switch {
	case key.Matches(msg, k.Up):
		s.cursor--
	case key.Matches(msg, k.Down):
		s.cursor++
	case key.Matches(msg, k.PageUp):
		s.cursor -= page
	case key.Matches(msg, k.PageDown):
		s.cursor += page
	case key.Matches(msg, k.Top):
		s.cursor = 0
	case key.Matches(msg, k.Bottom):
		s.cursor = n - 1
	default:
		return false
	}
	s.clamp(n, height)
	return true
}

// clamp keeps the cursor on a line and in the window.
func (s *scroller) clamp(n, height int) {
	s.cursor = min(max(s.cursor, 0), max(n-1, 0))
	if height <= 0 {
		return
	}
	if s.cursor < s.top {
		s.top = s.cursor
	}
	if s.cursor >= s.top+height {
		s.top = s.cursor - height + 1
	}
	s.top = min(max(s.top, 0), max(n-height, 0))
}
