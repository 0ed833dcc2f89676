package ui

import (
	"context"
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/hitmiss/hitmiss/loaders"
	"github.com/hitmiss/hitmiss/loaders/frame"
)

// A dataset's first page does not wait for its whole file: when a dataset
// opens and its model is not in memory, a command parses its first rows
// (loaders.Preview, whose cost does not grow with the file) beside the
// rerun that loads it, and the table shows them, marked as a preview,
// until that rerun's page arrives. The preview is not a cached call: it
// is neither a hit nor a miss, and nothing but the table reads it. Every
// statistic (filter, sort, describe, value counts, histogram, search, row
// detail) waits for the page, so no number on screen is computed from the
// first rows while the title names the file.

// firstRows is the open dataset's preview, shown while its model loads.
type firstRows struct {
	source *loaders.Source // the query's source it was read for
	frame  *frame.Table
	rows   frame.RowSet
}

// previewMsg delivers a source's first rows.
type previewMsg struct {
	source  *loaders.Source
	preview loaders.Preview
}

// previewCmd reads src's first rows, unless its model is already in
// memory (the page will arrive at once) or src has no cheap preview (a
// URL): then it delivers nothing and the spinner is all there is.
func previewCmd(l *loaders.Loaders, src *loaders.Source) tea.Cmd {
	if src == nil || src.Kind == loaders.URL {
		return nil
	}
	s := *src
	return func() tea.Msg {
		stat, err := loaders.Stat(s)
		if err != nil || l.Model.Contains(stat) {
			return nil // the page reports the error, or arrives at once
		}
		pv, err := l.Preview(context.Background(), stat, loaders.PreviewRows)
		if err != nil {
			return nil // the full load says what is wrong with the source
		}
		return previewMsg{source: src, preview: pv}
	}
}

// openSource starts the rerun that opens the query's source and, beside
// it, the read of its first rows.
func (m Model) openSource() tea.Cmd {
	return tea.Batch(m.rerun.start(m.q), previewCmd(m.ctx.Loaders, m.q.Source))
}

// onPreview shows a preview if its source is still open and no page for
// it has arrived (a page that did makes the preview useless).
func (m Model) onPreview(msg previewMsg) (tea.Model, tea.Cmd) {
	if msg.source != m.q.Source || m.ctx.page.Query.Source == m.q.Source {
		return m, nil
	}
	df := msg.preview.Table()
	m.ctx.preview = &firstRows{source: msg.source, frame: df, rows: frame.AllRows(df.Nrow())}
	return m, nil
}

// dropPreview forgets the preview once a page for its source has arrived
// (the model, or the error that stopped it) or the source is closed. It
// runs after every message, so the invariant holds everywhere else: the
// context holds a preview only while it is the best the screen can show.
func (m *Model) dropPreview() {
	pv := m.ctx.preview
	if pv != nil && (pv.source != m.q.Source || m.ctx.page.Query.Source == m.q.Source) {
		m.ctx.preview = nil
		if m.note.preview {
			m.note.clear()
		}
	}
}

// previewTitle is the title's middle while the table shows a preview: how
// many first rows it holds, how far the load is, and what waits for it.
func previewTitle(s *scope) []string {
	parts := []string{fmt.Sprintf("first %s (preview)", plural(s.ctx.preview.rows.Len(), "row")), s.busy.loadingText()}
	var waiting []string
	if s.q.Filter != "" {
		waiting = append(waiting, "filter")
	}
	if len(s.q.Sort) > 0 {
		waiting = append(waiting, "sort")
	}
	if len(waiting) > 0 {
		parts = append(parts, joinNames(waiting)+" after the load")
	}
	return append(parts, plural(s.ctx.preview.frame.Ncol(), "column"))
}

// previewWaitView stands in for a statistics view while only the preview
// is there: it says what it waits for instead of computing it from the
// first rows.
func previewWaitView(s *scope, width int) string {
	k := s.ctx.Keys
	what, again := "describe", k.Describe
	switch s.q.View {
	case viewValues:
		what, again = "value counts", k.Values
	case viewHisto:
		what, again = "the histogram", k.Histo
	}
	st := s.ctx.Styles
	return st.Subtle.Render(clip(what+" waits for the whole file ("+s.busy.loadingText()+"):", width)) + "\n" +
		st.Subtle.Render(clip("it is computed over every row, never the preview's first rows", width)) + "\n" +
		st.Subtle.Render(clip(again.Help().Key+" again: back to the first rows", width))
}
