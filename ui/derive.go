package ui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hitmiss/hitmiss/loaders/frame/filter"
	"github.com/hitmiss/hitmiss/ui/page"
)

// Derived columns: = asks for NAME = EXPR (or EXPR alone, which names the
// column by its text) and the page adds the column through derive, one
// cached call per derived column over the model the one before made
// (loaders/derive.go). The columns are part of the query, so the filter,
// the sort, the views and export see them, and - hides one. An expression
// that does not compile is shown in the notice line with its position, as
// a filter's is, and = opens on it to be fixed.

// deriveCommands: = adds a derived column.
func deriveCommands(k KeyMap) commandTable {
	return commandTable{title: "derived columns", commands: []command{
		{key: k.Derive, views: viewsOf(viewTable, viewDescribe), run: openDerive},
	}}
}

// openDerive is =: the prompt, holding the derived column that did not
// compile when there is one, to fix.
func openDerive(s *scope) intent {
	value := ""
	if p := s.ctx.page; p.DeriveErr != nil && p.Ready(*s.q) && slices.Equal(p.Query.Derive, s.q.Derive) {
		value = s.q.Derive[p.DeriveAt]
	}
	s.prompt.open(promptDerive, "= ", value, applyDerive)
	return intent{}
}

// applyDerive is enter on the = prompt: the column is added, or replaces
// the derived column of its name (or the one that did not compile).
func applyDerive(s *scope, text string) intent {
	text = strings.TrimSpace(text)
	if text == "" {
		s.note.text = "no column added: type NAME = EXPR, as in f = temp_max * 1.8 + 32"
		return intent{}
	}
	name, _ := filter.DerivedName(text)
	derive := slices.Clone(s.q.Derive)
	at := slices.IndexFunc(derive, func(d string) bool { n, _ := filter.DerivedName(d); return n == name })
	failed := -1 // the one that did not compile, which this one fixes
	if p := s.ctx.page; p.DeriveErr != nil && p.Ready(*s.q) && slices.Equal(p.Query.Derive, s.q.Derive) {
		failed = p.DeriveAt
	}
	if at < 0 {
		at = failed
	}
	if at >= 0 && at != failed {
		derive[at] = text
		s.note.text = fmt.Sprintf("column %s computed again (derive)", Sanitize(name))
	} else {
		if at >= 0 {
			derive[at] = text
		} else {
			derive = append(derive, text)
		}
		s.note.text = fmt.Sprintf("added column %s (derive)", Sanitize(name))
	}
	s.note.derived = name
	s.q.Derive = derive
	if s.previewing() {
		s.waitNotice("a derived column")
	}
	return rerunQuery()
}

// sayLost completes the notice of a column just derived, once its page is
// there: a date part of text that reads as no date is missing, as is an
// int past the ints, and a column of them must not look like a column of
// gaps in the data.
func sayLost(s *scope, p *page.Page) {
	name := s.note.derived
	if name == "" || !p.Ready(*s.q) || !slices.Equal(p.Query.Derive, s.q.Derive) {
		return
	}
	s.note.derived = ""
	if p.Err != nil || p.DeriveErr != nil {
		return
	}
	if why := p.Model.Lost(name); why != "" {
		s.note.text = fmt.Sprintf("column %s (derive): %s: missing", Sanitize(name), why)
	}
}

// deriveErrorLine is the notice line's error for a derived column that
// did not compile, "" when every one did (or the page is another query's).
func deriveErrorLine(p *page.Page, q *query) string {
	if p.DeriveErr == nil || !slices.Equal(p.Query.Derive, q.Derive) {
		return ""
	}
	return describeErr(p.DeriveErr) + "  (=: edit the column)"
}
