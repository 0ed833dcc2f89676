package ui

import (
	"context"
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/hitmiss/hitmiss/loaders"
)

// Marks are rows set aside to act on, as VisiData's selections: T marks
// the cursor's row (and moves down, to mark the next), | marks the rows
// an expression in the filter language matches among those shown, \
// unmarks them (empty: every row), and " shows the marked rows as a sheet
// of their own, where d, v, A, the charts and e (export) act on them only.
// The marks belong to the query, so a rerun, a sheet and undo keep them;
// the marked rows' sheet keeps them through keep_marked, a cached step
// the panel shows. A marked row has a • at the left of the table, and the
// title counts them.

// marking says a | or \ is computing its rows: keys typed after it wait
// for them (explorer.go's awaiting), so "| expr enter u" undoes the
// marking, as typed, instead of acting before it lands.
type marking struct{ pending bool }

// marksMsg brings the rows an expression matched (| and \), computed in
// a command through the cached filter.
type marksMsg struct {
	src    *loaders.Source
	expr   string
	add    bool
	rows   loaders.Marks
	err    error
	before pageState // the page before, for undo
}

// markCommands are T, |, \ and ".
func markCommands(k KeyMap) commandTable {
	table := viewsOf(viewTable)
	return commandTable{title: "marks", commands: []command{
		{key: k.Mark, views: table, run: toggleMark},
		{key: k.MarkWhere, views: table, run: func(s *scope) intent { return askMarks(s, true) }},
		{key: k.UnmarkWhere, views: table, run: func(s *scope) intent { return askMarks(s, false) }},
		{key: k.MarkedSheet, views: table, run: func(s *scope) intent { return s.sheets.openMarked(s) }},
	}}
}

// toggleMark is T: mark the cursor's row, or unmark it, and move down.
func toggleMark(s *scope) intent {
	if !s.ctx.page.Ready(*s.q) {
		s.waitNotice("marking")
		return intent{}
	}
	row, ok := s.views.table.frameRow()
	if !ok {
		s.note.text = "no row to mark"
		return intent{}
	}
	s.q.Marks = s.q.Marks.Toggle(row)
	verb := "marked"
	if !s.q.Marks.Has(row) {
		verb = "unmarked"
	}
	s.note.text = fmt.Sprintf("%s row %s · %s marked (\": show them)", verb, commas(row+1), commas(s.q.Marks.Len()))
	s.views.table.row++ // to mark the next, as VisiData's t does
	return rerunQuery()
}

// askMarks is | (add) or \ (remove): the rows an expression matches.
func askMarks(s *scope, add bool) intent {
	if !s.ctx.page.Ready(*s.q) {
		s.waitNotice("marking")
		return intent{}
	}
	label := "mark rows where: "
	if !add {
		label = "unmark rows where (empty: all): "
	}
	s.prompt.open(promptFilter, label, "", func(s *scope, text string) intent { return markWhere(s, text, add) })
	return intent{}
}

// markWhere computes, in a command, the rows of those shown that expr
// matches: the filter's rows and expr's, through the cached filter.
func markWhere(s *scope, expr string, add bool) intent {
	p := s.ctx.page
	if !p.Ready(*s.q) {
		return intent{}
	}
	if expr == "" {
		if add {
			s.note.text = "nothing marked: no expression"
			return intent{}
		}
		s.q.Marks = loaders.Marks{}
		s.note.text = "unmarked every row"
		return rerunQuery()
	}
	where := expr
	if s.q.Filter != "" && p.FilterErr == nil {
		where = "(" + s.q.Filter + ") and (" + expr + ")"
	}
	l, model, src, before := s.ctx.Loaders, p.Model, s.q.Source, s.state()
	s.note.text = fmt.Sprintf("marking rows where %s…", Sanitize(expr))
	s.marking.pending = true
	return intent{cmd: func() tea.Msg {
		rows, err := l.FilterRows.Get(context.Background(), loaders.FilterArgsOf(model, where))
		msg := marksMsg{src: src, expr: expr, add: add, err: err, before: before}
		if err == nil {
			msg.rows = loaders.MarksOf(rows.Indexes())
		}
		return msg
	}}
}

// onMarks takes the rows | or \ asked for: they are marked (or unmarked)
// and the page reruns; an expression that does not parse is said, with
// where.
func (m Model) onMarks(msg marksMsg) (tea.Model, tea.Cmd) {
	if !m.marking.pending {
		return m, nil // cancelled (esc)
	}
	m.marking.pending = false
	if msg.src != m.q.Source {
		return m, nil // another sheet is shown now
	}
	if msg.err != nil {
		m.note.text = "marks: " + describeErr(msg.err)
		return m, nil
	}
	was := m.q.Marks.Len()
	rows := msg.rows.Rows()
	if msg.add {
		m.q.Marks = m.q.Marks.Add(rows)
		m.note.text = fmt.Sprintf("marked %s where %s · %s marked (\": show them)", plural(m.q.Marks.Len()-was, "row"), Sanitize(msg.expr), commas(m.q.Marks.Len()))
	} else {
		m.q.Marks = m.q.Marks.Remove(rows)
		m.note.text = fmt.Sprintf("unmarked %s where %s · %s marked", plural(was-m.q.Marks.Len(), "row"), Sanitize(msg.expr), commas(m.q.Marks.Len()))
	}
	m.hist.record(msg.before, m.snapshot())
	return m, m.rerun.start(m.q)
}

// openMarked is ": the marked rows of those shown, as a sheet of their
// own; esc goes back.
func (set *sheetSet) openMarked(s *scope) intent {
	if s.q.Marks.Len() == 0 {
		s.note.text = "no row marked: T marks the cursor's row, | the rows an expression matches"
		return intent{}
	}
	if s.q.OnlyMarked {
		s.note.text = "this sheet shows the marked rows already"
		return intent{}
	}
	set.save(s)
	q := *s.q
	q.View, q.OnlyMarked = viewTable, true
	return set.openChild(s, set.cur, q)
}
