package ui

import (
	"fmt"
	"slices"
	"strings"

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
		{key: k.Columns.SetType, views: viewsOf(viewTable), run: func(s *scope) intent { return openTypePrompt(s, s.cursorColumn()) }},
	}}
}

// openTypePrompt asks for col's type.
func openTypePrompt(s *scope, col string) intent {
	if col == "" {
		return intent{}
	}
	if !s.ctx.page.Ready(*s.q) {
		s.waitNotice("setting a type")
		return intent{}
	}
	now := s.ctx.page.Model.KnownTypeOf(col) // Update reads no column: dates are known once sorted
	names := make([]string, len(frame.ColumnTypes))
	for i, t := range frame.ColumnTypes {
		names[i] = string(t)
	}
	label := fmt.Sprintf("type of %s (now %s; %s): ", clip(Sanitize(col), 24), now, strings.Join(names, " "))
	s.prompt.openWith(promptType, label, "", names, func(s *scope, text string) intent { return setType(s, col, text) })
	return intent{}
}

// setType applies the typed answer to the t prompt about col.
func setType(s *scope, col, text string) intent {
	t, err := frame.ParseColumnType(text)
	if err != nil {
		s.note.text = Sanitize(err.Error())
		return intent{}
	}
	types := slices.DeleteFunc(slices.Clone(s.q.Types), func(s frame.TypeSpec) bool { return s.Column == col })
	if base := s.ctx.page.Base; base == nil || base.KnownTypeOf(col) != t {
		types = append(types, frame.TypeSpec{Column: col, Type: t})
		s.note.text = fmt.Sprintf("%s is now %s (set_types)", Sanitize(col), t)
		s.note.typed = col
	} else {
		s.note.text = fmt.Sprintf("%s is %s again, as read", Sanitize(col), t)
	}
	s.q.Types = types
	return rerunQuery()
}

// typesTitle is the title's part for the types set: types: temp int.
func typesTitle(types []frame.TypeSpec) string {
	parts := make([]string, len(types))
	for i, t := range types {
		parts[i] = Sanitize(frame.QuoteName(t.Column)) + " " + string(t.Type)
	}
	return "types: " + strings.Join(parts, ", ")
}

// sayUnread completes the notice of a type just set, once its page is
// there: how many cells did not read as the type.
func sayUnread(s *scope, p *page.Page) {
	col := s.note.typed
	if col == "" || !p.Ready(*s.q) || !slices.EqualFunc(p.Query.Types, s.q.Types, func(a, b frame.TypeSpec) bool { return a == b }) {
		return
	}
	s.note.typed = ""
	if p.Err != nil {
		return
	}
	t := p.Model.KnownTypeOf(col)
	switch n := p.Model.Unread(col); n {
	case 0:
	case 1:
		s.note.text = fmt.Sprintf("%s is now %s: 1 cell was not %s and is now missing (NA)", Sanitize(col), t, t)
		return
	default:
		s.note.text = fmt.Sprintf("%s is now %s: %s cells were not %s and are now missing (NA)", Sanitize(col), t, commas(n), t)
		return
	}
	s.note.text = fmt.Sprintf("%s is now %s: every cell read as %s", Sanitize(col), t, t)
}
