package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// editedSuffix marks load_csv's Version while # has "edited" its code.
const editedSuffix = "+edited"

// onLiveKey handles the keys that act on the open dataset's entries, as
// the talk's chapters do (hitmiss demo): # edits load_csv's code (bumps its
// Version; # again edits it back), B breaks the shared dataset_model (its
// load leaves the cache, so Validate fails on its next hit), D clears the
// open dataset's dataset_model entry only (one argument, st: f.clear(arg)).
// They act on the last rerun's dataset, whose key the page holds, so no
// file is read here.
func (m Model) onLiveKey(msg tea.KeyMsg) (tea.Model, tea.Cmd, bool) {
	k := m.ctx.Keys
	if !key.Matches(msg, k.BumpVersion, k.BreakShared, k.ClearEntry) {
		return m, nil, false
	}
	model := m.ctx.page.model
	if m.q.source == nil || model == nil {
		m.notice = "open a dataset first: #, B and D act on its cache entries"
		return m, nil, true
	}
	l, src := m.ctx.Loaders, model.Source
	label := Sanitize(src.Name())
	switch {
	case key.Matches(msg, k.BumpVersion):
		load := l.LoadFunc(src)
		v, was := load.Version(), "edited"
		if strings.HasSuffix(v, editedSuffix) {
			v, was = strings.TrimSuffix(v, editedSuffix), "back to the original"
		} else {
			v += editedSuffix
		}
		if err := load.SetVersion(v); err != nil {
			m.notice = Sanitize(err.Error())
			return m, nil, true
		}
		m.notice = fmt.Sprintf("%s's code %s (#): Version %q; # again goes back, and hits", load.Name(), was, v)
	case key.Matches(msg, k.BreakShared):
		if err := l.LoadFunc(src).ClearArg(src); err != nil {
			m.notice = Sanitize(err.Error())
			return m, nil, true
		}
		m.notice = fmt.Sprintf("broke dataset_model(%s) (B): its load left the cache, so Validate fails on its next hit: invalidated, recomputed", label)
	default:
		if err := l.Model.ClearArg(src); err != nil {
			m.notice = Sanitize(err.Error())
			return m, nil, true
		}
		m.notice = fmt.Sprintf("cleared dataset_model(%s) only (D): the other datasets keep their entries", label)
	}
	m.tellLive(msg.String(), label)
	return m, m.rerun.start(m.q), true
}
