package ui

import (
	"github.com/charmbracelet/bubbles/help"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/loaders"
	"github.com/hitmiss/hitmiss/ui/page"
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

	page   *page.Page // the latest finished rerun; never nil
	member *Member    // the session in a room (serve, --split); nil otherwise
	// preview is the open dataset's first rows while its page has not
	// arrived (preview.go); nil otherwise.
	preview *firstRows
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

// common is what every component embeds (soft-serve's common.Common): the
// shared context and the size the layout gave it.
type common struct {
	ctx           *Context
	width, height int
}

// SetSize implements component.
func (c *common) SetSize(width, height int) { c.width, c.height = max(width, 0), max(height, 0) }
