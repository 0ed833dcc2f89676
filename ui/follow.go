package ui

import (
	"errors"
	"fmt"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/hitmiss/hitmiss/loaders"
)

// A growing source — standard input while it streams, a file followed with
// F or --follow — is watched while it is shown: a few times a second the
// explorer looks at its size (a stat, or the stream's count of bytes), and
// when rows arrived it reruns the page, like a Streamlit script rerun by
// new data. The rerun reads only the new piece (a load_chunk miss; the
// pieces before it are hits, as the panel shows), and the title counts the
// rows as they come. Nothing is scheduled while nothing grows.

// growPoll is how often a growing source is looked at; firstPoll, while
// a stream has shown no row yet.
const (
	growPoll  = 250 * time.Millisecond
	firstPoll = 50 * time.Millisecond
)

// growTickMsg is a look at the growing source src points to: what a stat
// of it says now (the tick's command stats it, never Update).
type growTickMsg struct {
	src *loaders.Source
	now loaders.Source
	err error
}

// lookAtGrowth stats the source src points to, for onGrowTick.
func lookAtGrowth(src *loaders.Source, was loaders.Source) growTickMsg {
	now, err := loaders.Stat(was)
	return growTickMsg{src: src, now: now, err: err}
}

// followCommands is F.
func followCommands(k KeyMap) commandTable {
	return commandTable{title: "follow", commands: []command{
		{key: k.Follow, views: everyView &^ viewsOf(viewList, viewSheets), run: toggleFollow},
	}}
}

// toggleFollow is F: follow the file shown (read rows appended to it as
// they come, as tail -f does), or stop.
func toggleFollow(s *scope) intent {
	src := s.q.Source
	if src == nil {
		return intent{}
	}
	if !src.Followable() {
		what := "a URL is read once"
		if src.Kind == loaders.Stdin {
			what = "standard input streams by itself"
		} else if src.Kind == loaders.Bundled {
			what = "a bundled dataset never grows"
		}
		s.note.text = fmt.Sprintf("F follows a file: %s", what)
		return intent{}
	}
	if p := s.ctx.page; !s.q.Follow && p.Model != nil && p.Query.Source == src {
		if f := p.Model.Report.Format; f == "Parquet" || f == "JSON lines" {
			s.note.text = fmt.Sprintf("F follows delimited text as it grows: %s is %s, read whole (r reads it again)", Sanitize(src.Name()), f)
			return intent{}
		}
	}
	// The query says it, not the source, which reruns in flight read: a
	// followed reading is another key, taken by the next rerun.
	s.q.Follow = !s.q.Follow
	if s.q.Follow {
		s.note.text = fmt.Sprintf("following %s: rows appended to it are read as they come, each piece a load_chunk miss (F: stop)", Sanitize(src.Name()))
	} else {
		s.note.text = fmt.Sprintf("stopped following %s: read whole again, through load_csv", Sanitize(src.Name()))
	}
	return rerunQuery()
}

// watchGrowth schedules the next look at the growing source shown, if it
// grows and no look is scheduled: once per page, so an idle explorer over
// a file that is not followed schedules nothing.
func (m *Model) watchGrowth() tea.Cmd {
	if m.runs.watching || !m.wire.listen || !m.growing() {
		return nil
	}
	m.runs.watching = true
	every := growPoll
	if m.ctx.page.Base == nil {
		every = firstPoll
	}
	src := m.q.Source
	was := *src // a value: the look runs in its own goroutine
	return tea.Tick(every, func(time.Time) tea.Msg { return lookAtGrowth(src, was) })
}

// growing reports whether the source shown can grow: a followed file, or
// a stream that has not ended (or has not sent a whole row yet).
func (m *Model) growing() bool {
	src := m.q.Source
	if src == nil || m.q.View == viewList || m.q.View == viewSheets {
		return false
	}
	if m.q.Follow && src.Followable() {
		return true
	}
	if !src.IsStream() {
		return false
	}
	if p := m.ctx.page; p.Base != nil && p.Query.Source == src && !p.Base.Source.Streaming() {
		return false // the stream ended and its last page is shown
	}
	return true
}

// onGrowTick reruns the page when the growing source shown has more bytes
// than its page was made of (or ended); otherwise it looks again later.
func (m Model) onGrowTick(msg growTickMsg) (tea.Model, tea.Cmd) {
	m.runs.watching = false
	if !m.growing() {
		return m, nil
	}
	if m.rerun.running() || msg.src != m.q.Source {
		return m, m.watchGrowth() // the rerun in flight reads what arrived; another source is shown now
	}
	now, err := msg.now, msg.err
	p := m.ctx.page
	var was loaders.Source
	if p.Base != nil && p.Query.Source == m.q.Source {
		was = p.Base.Source
	}
	changed := func(was loaders.Source) bool {
		return now.Size != was.Size || now.Ended != was.Ended || !now.ModTime.Equal(was.ModTime)
	}
	grown := err != nil || p.Base == nil || changed(was)
	switch {
	case waiting(p.Err):
		grown = now.Size > 0 || now.Ended
	case p.Err != nil && p.Base == nil && err == nil:
		// The page is an error (HTML on stdin, a file that will not
		// read): rerun when the source changes, not at every look — it
		// reran into the same error forever, a miss each time.
		grown = m.runs.failedAt == nil || changed(*m.runs.failedAt)
	}
	if !grown {
		return m, m.watchGrowth()
	}
	look := now
	m.runs.failedAt = &look
	return m, m.rerun.start(m.q)
}

// growthTitle is the title's word for a growing source: streaming (with
// the rows so far, counted by the title already) or following.
func growthTitle(p *loaders.DatasetModel) string {
	switch src := p.Source; {
	case src.Streaming():
		return "streaming…"
	case src.Follow && src.Growing(): // not a JSON lines or Parquet file, read whole
		return "following (F: stop)"
	}
	return ""
}

// waiting reports whether a page's error only says a stream has not sent
// what it needs yet.
func waiting(err error) bool {
	return errors.Is(err, loaders.ErrNoRowsYet) || errors.Is(err, loaders.ErrStreamWhole)
}

// waitingView stands in for the table while a stream has sent no whole
// row yet, or is read whole and has not ended.
func waitingView(s *scope, err error, width int) string {
	text := fmt.Sprintf("waiting for the first rows of %s… (they show as they arrive)", Sanitize(s.q.Source.Name()))
	if errors.Is(err, loaders.ErrStreamWhole) {
		text = fmt.Sprintf("waiting for the end of %s: JSON lines and Parquet are read whole", Sanitize(s.q.Source.Name()))
	}
	return s.ctx.Styles.Subtle.Render(clip(text, width))
}
