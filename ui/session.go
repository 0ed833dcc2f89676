package ui

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/hitmiss/hitmiss/loaders"
	"github.com/hitmiss/hitmiss/ui/page"
)

// A Model given a Member (Options.Member) is one session of a room: every
// cached call of its reruns carries the member's name as its cache session
// (rerun.go), so the panel of every session can say who caused each hit and
// miss, and session_place records this session's place in each dataset. What
// the cache does not announce — who cleared, who damaged a shared resource
// in place — the session tells the room, and the other sessions show it.

// onRoom takes what another session did: a line in the event log, a notice
// when it concerns this screen, and a rerun when what the screen shows may
// have changed (a shared resource damaged in place emits no cache event).
func (m Model) onRoom(note roomNote) (tea.Model, tea.Cmd) {
	m.panel.note(note.from, note.text)
	switch {
	case note.model != nil && note.model == m.ctx.page.Base:
		m.note.text = fmt.Sprintf("%s pressed M: %q is gone from the shared dataset_model, so from this table too (Z rebuilds it)", note.from, note.column)
	case note.model != nil:
		m.note.text = fmt.Sprintf("%s pressed M: %q is gone from the shared dataset_model of %s", note.from, note.column, Sanitize(note.model.Source.Name()))
	case note.notice != "":
		m.note.text = note.notice
	}
	var cmds []tea.Cmd
	if m.wire.listen && m.wire.member != nil {
		cmds = append(cmds, waitRoom(m.wire.member.inbox))
	}
	if note.rerun {
		cmds = append(cmds, m.debounce())
	}
	return m, tea.Batch(cmds...)
}

// tell logs what this session did in its own panel and tells the other
// sessions of the room, if any.
func (s *scope) tell(note roomNote) {
	if s.member == nil {
		return
	}
	s.panel.note(s.member.Name, note.text)
	s.member.tell(note)
}

// tellClear tells the room about a clear made here (X, Z, E, or x in the
// panel): the cache's own cleared events carry no session.
func (s *scope) tellClear(what string) {
	if s.member == nil {
		return
	}
	s.tell(roomNote{text: "cleared " + what, notice: fmt.Sprintf("%s cleared %s: every session recomputes", s.member.Name, what)})
}

// tellDamage tells the room that this session dropped col from the shared
// dataset model in place (M): every session's next rerun shows the damage.
func (s *scope) tellDamage(col string, model *loaders.DatasetModel) {
	if s.member == nil {
		return
	}
	s.tell(roomNote{
		text:   fmt.Sprintf("dropped %q from dataset_model(%s) in place (M)", Sanitize(col), Sanitize(model.Source.Name())),
		rerun:  true,
		model:  model,
		column: Sanitize(col),
	})
}

// keepPlace records the cursor in this session's place in the dataset:
// session_place is session-scoped, so each user's entry is their own (and
// the sheets, which keep each dataset's view within the session, agree
// with it); it leaves the cache, with OnRelease, when the session ends.
func (m *Model) keepPlace(p *page.Page) {
	if p.Place == nil || p.Query.Source == nil || p.Query.Source != m.q.Source || p.Model == nil {
		return
	}
	p.Place.Save(m.views.table.row, m.views.table.col)
}

// sessionLabel is the session's name for the status bar, "" outside a
// room, with the number of sessions connected.
func (m Model) sessionLabel() string {
	if m.wire.member == nil {
		return ""
	}
	switch m.lay.split {
	case focusHere:
		return "▶ " + m.wire.member.Name + " (keys)"
	case focusThere:
		return m.wire.member.Name + " (ctrl+w)"
	}
	return m.wire.member.Name + " · " + plural(len(m.wire.member.room.Names()), "session")
}

// splitFocusKind says whether a half of --split has the keyboard.
type splitFocusKind int

const (
	notSplit splitFocusKind = iota
	focusHere
	focusThere
)

// roomLine names the sessions connected, for the panel's title.
func roomLine(member *Member) string {
	names := member.room.Names()
	return fmt.Sprintf("%s connected: %s", plural(len(names), "session"), strings.Join(names, ", "))
}

// sessionHelp ends the ? screen in a room: what is shared and what is not.
const sessionHelp = `Sessions (hitmiss serve, --split): every session shares one cache.
  dataset_model and compile_filter are resources: one object for all;
  M in one session damages it for every session (Z rebuilds it).
  load_csv and the views are data: each call gets its own copy, so m
  changes only the session that pressed it. X, Z, E and x clear for all.
  session_place is per session (ScopeSession): where you are in each
  dataset and the filters you applied there (↑/↓ in the f prompt recall
  them), yours alone, never another user's; it leaves the cache
  (OnRelease) when you disconnect.`

// tellLive tells the room about a talk key (#, B, D) pressed here: each acts
// on entries every session shares.
func (s *scope) tellLive(key, dataset string) {
	if s.member == nil {
		return
	}
	s.tell(roomNote{text: fmt.Sprintf("pressed %s on %s", key, dataset),
		notice: fmt.Sprintf("%s pressed %s on %s, whose cache entries every session shares", s.member.Name, key, dataset),
		rerun:  true})
}
