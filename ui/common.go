package ui

import (
	"github.com/charmbracelet/bubbles/help"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/loaders"
)

// Context is shared by every component (soft-serve's common.Common): the
// window size, styles, keys, the caches, and the page the latest rerun
// computed, which every view renders from.
type Context struct {
	Width, Height int
	Styles        Styles
	Keys          KeyMap
	Color         bool // false under NO_COLOR / --no-color: marks must not rely on colour
	Registry      *cache.Registry
	Loaders       *loaders.Loaders

	page *page // the latest finished rerun; never nil
}

// component is one part of the screen (soft-serve's common.Component): it
// owns its cursor and scroll, renders itself into the size it was given,
// and lists its keys for the help line. Update methods are concrete per
// component (glow's pager style), returning what the root must do next.
type component interface {
	help.KeyMap
	SetSize(width, height int)
	View() string
}

// box is the size a component was given.
type box struct{ width, height int }

// SetSize implements component.
func (b *box) SetSize(width, height int) { b.width, b.height = max(width, 0), max(height, 0) }
