package ui

import (
	"fmt"
	"slices"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/hitmiss/hitmiss/loaders"
	"github.com/hitmiss/hitmiss/loaders/frame"
)

// Column types: t asks for the cursor column's type; the page then reads
// the dataset through set_types, a cached model with that column
// converted (loaders/types.go). Setting a column back to the type it was
// read as removes it from the set.

// typesOf keeps the types whose column m has: a column the mutation demo
// dropped loses its type instead of failing every rerun.
func typesOf(m *loaders.DatasetModel, types []frame.TypeSpec) []frame.TypeSpec {
	names := m.Data().Names()
	var out []frame.TypeSpec
	for _, t := range types {
		if slices.Contains(names, t.Column) {
			out = append(out, t)
		}
	}
	return out
}

// openTypePrompt asks for col's type.
func (m Model) openTypePrompt(col string) (tea.Model, tea.Cmd) {
	if col == "" {
		return m, nil
	}
	if !m.ctx.page.ready(m.q) {
		m.waitNotice("setting a type")
		return m, nil
	}
	now := m.ctx.page.model.KnownTypeOf(col) // Update reads no column: dates are known once sorted
	names := make([]string, len(frame.ColumnTypes))
	for i, t := range frame.ColumnTypes {
		names[i] = string(t)
	}
	m.typeColumn = col
	label := fmt.Sprintf("type of %s (now %s; %s): ", clip(Sanitize(col), 24), now, strings.Join(names, " "))
	m.prompt.openWith(promptType, label, "", names)
	return m, nil
}

// setType applies the typed answer to the t prompt.
func (m Model) setType(text string) (tea.Model, tea.Cmd) {
	col := m.typeColumn
	t, err := frame.ParseColumnType(text)
	if err != nil {
		m.notice = Sanitize(err.Error())
		return m, nil
	}
	types := slices.DeleteFunc(slices.Clone(m.q.types), func(s frame.TypeSpec) bool { return s.Column == col })
	if base := m.ctx.page.base; base == nil || base.KnownTypeOf(col) != t {
		types = append(types, frame.TypeSpec{Column: col, Type: t})
		m.notice = fmt.Sprintf("%s is now %s (set_types)", Sanitize(col), t)
		m.typeNotice = col
	} else {
		m.notice = fmt.Sprintf("%s is %s again, as read", Sanitize(col), t)
	}
	m.q.types = types
	return m, m.rerun.start(m.q)
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
func (m *Model) sayUnread(p *page) {
	col := m.typeNotice
	if col == "" || !p.ready(m.q) || !slices.EqualFunc(p.query.types, m.q.types, func(a, b frame.TypeSpec) bool { return a == b }) {
		return
	}
	m.typeNotice = ""
	if p.err != nil {
		return
	}
	t := p.model.KnownTypeOf(col)
	switch n := p.model.Unread(col); n {
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
