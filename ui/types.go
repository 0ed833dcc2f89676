package ui

import (
	"fmt"
	"slices"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/ui/page"
)

// Column types: t asks for the cursor column's type; the page then reads
// the dataset through set_types, a cached model with that column
// converted (loaders/types.go). Setting a column back to the type it was
// read as removes it from the set.

// typeCommands: t sets the cursor column's type.
func typeCommands(k KeyMap) commandTable {
	return commandTable{title: "types", commands: []command{
		{key: k.Columns.SetType, views: viewsOf(viewTable), run: func(m *Model) tea.Cmd { return m.openTypePrompt(m.cursorColumn()) }},
	}}
}

// openTypePrompt asks for col's type.
func (m *Model) openTypePrompt(col string) tea.Cmd {
	if col == "" {
		return nil
	}
	if !m.ctx.page.Ready(m.q) {
		m.waitNotice("setting a type")
		return nil
	}
	now := m.ctx.page.Model.KnownTypeOf(col) // Update reads no column: dates are known once sorted
	names := make([]string, len(frame.ColumnTypes))
	for i, t := range frame.ColumnTypes {
		names[i] = string(t)
	}
	label := fmt.Sprintf("type of %s (now %s; %s): ", clip(Sanitize(col), 24), now, strings.Join(names, " "))
	m.prompt.openWith(promptType, label, "", names, func(m *Model, text string) tea.Cmd { return m.setType(col, text) })
	return nil
}

// setType applies the typed answer to the t prompt about col.
func (m *Model) setType(col, text string) tea.Cmd {
	t, err := frame.ParseColumnType(text)
	if err != nil {
		m.notice = Sanitize(err.Error())
		return nil
	}
	types := slices.DeleteFunc(slices.Clone(m.q.Types), func(s frame.TypeSpec) bool { return s.Column == col })
	if base := m.ctx.page.Base; base == nil || base.KnownTypeOf(col) != t {
		types = append(types, frame.TypeSpec{Column: col, Type: t})
		m.notice = fmt.Sprintf("%s is now %s (set_types)", Sanitize(col), t)
		m.typeNotice = col
	} else {
		m.notice = fmt.Sprintf("%s is %s again, as read", Sanitize(col), t)
	}
	m.q.Types = types
	return m.rerunQuery()
}

// typesTitle is the title's part for the types set: types: temp int.
func typesTitle(types []frame.TypeSpec) string {
	parts := make([]string, len(types))
	for i, t := range types {
		parts[i] = Sanitize(t.Column) + " " + string(t.Type)
	}
	return "types: " + strings.Join(parts, ", ")
}

// sayUnread completes the notice of a type just set, once its page is
// there: how many cells did not read as the type.
func (m *Model) sayUnread(p *page.Page) {
	col := m.typeNotice
	if col == "" || !p.Ready(m.q) || !slices.EqualFunc(p.Query.Types, m.q.Types, func(a, b frame.TypeSpec) bool { return a == b }) {
		return
	}
	m.typeNotice = ""
	if p.Err != nil {
		return
	}
	t := p.Model.KnownTypeOf(col)
	switch n := p.Model.Unread(col); n {
	case 0:
	case 1:
		m.notice = fmt.Sprintf("%s is now %s: 1 cell was not %s and is now missing (NA)", Sanitize(col), t, t)
		return
	default:
		m.notice = fmt.Sprintf("%s is now %s: %s cells were not %s and are now missing (NA)", Sanitize(col), t, commas(n), t)
		return
	}
	m.notice = fmt.Sprintf("%s is now %s: every cell read as %s", Sanitize(col), t, t)
}
