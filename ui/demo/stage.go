package demo

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/ui"
)

// A Stage is one demo shown to a room (`hitmiss demo --serve`): the
// presenter's model drives the chapter, and every audience model (one per
// SSH session) shows the chapter the presenter is on, over the same
// chapter state and registry, so that an audience member's call is a hit
// when the presenter already computed it. Audience calls run in the
// member's cache session, so their events reach every panel tagged with
// the member's name; the stage counts the audience's hits and misses for
// the room line.
type Stage struct {
	// Connected, when set, says how many audience sessions are connected
	// (the SSH server's room); without it the stage counts its own.
	Connected func() int

	mu       sync.Mutex
	idx      int
	run      *runner // the presenter's chapter; nil until it started
	gen      int     // counts the chapters the presenter entered
	joined   int     // audience models made, without Connected
	hits     int
	misses   int
	notes    []stageNote // the server's log lines, for the presenter's panel
	notesOff int         // how many notes were dropped from the front
}

type stageNote struct {
	at   time.Time
	text string
	// public notes reach the audience too; the server's log (addresses,
	// key fingerprints) is the presenter's only.
	public bool
}

// maxNotes bounds the notes a stage keeps for a presenter who is slow to
// read them.
const maxNotes = 200

// NewStage returns a stage with no chapter yet: the presenter's model
// sets the first when it starts.
func NewStage() *Stage { return &Stage{} }

// publish makes r, the presenter's chapter idx, the one every audience
// model shows.
func (s *Stage) publish(idx int, r *runner) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.idx, s.run = idx, r
	s.gen++
}

// current is the presenter's chapter and its generation.
func (s *Stage) current() (idx int, r *runner, gen int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.idx, s.run, s.gen
}

// changed reports whether the presenter entered a chapter after gen.
func (s *Stage) changed(gen int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.run != nil && s.gen != gen
}

// count adds an audience rerun's calls to the room's totals.
func (s *Stage) count(v verdict) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hits += v.hits
	s.misses += len(v.missed)
}

// join counts an audience model and returns the notes it starts after.
func (s *Stage) join() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.joined++
	return s.notesOff + len(s.notes)
}

// Leave ends an audience member's cache session in the presenter's
// chapter: their entries of the chapter's per-session functions leave
// with them, as a Streamlit session's do.
func (s *Stage) Leave(name string) {
	_, r, _ := s.current()
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.closed && r.env.reg != nil {
		r.env.reg.EndSession(name)
	}
}

// Line is the room line: "23 connected · 61 hits · 4 misses", the
// audience's sessions and the calls of their reruns.
func (s *Stage) Line() string {
	s.mu.Lock()
	n, hits, misses := s.joined, s.hits, s.misses
	s.mu.Unlock()
	if s.Connected != nil {
		n = s.Connected()
	}
	miss := "misses"
	if misses == 1 {
		miss = "miss"
	}
	return fmt.Sprintf("%d connected · %s · %d %s", n, plural(hits, "hit"), misses, miss)
}

// Write takes the SSH server's log (one line per connection, refusal and
// disconnection) for the presenter's panel: the presenter's terminal
// shows the demo, so the log cannot go to it directly. The lines were
// sanitised by the server; they are sanitised again here.
func (s *Stage) Write(p []byte) (int, error) {
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, l := range strings.Split(strings.TrimRight(string(p), "\n"), "\n") {
		l = strings.TrimPrefix(ui.Sanitize(l), "hitmiss serve: ")
		if l == "" {
			continue
		}
		s.notes = append(s.notes, stageNote{at: now, text: l})
	}
	s.trim()
	return len(p), nil
}

// tell notes that an audience member pressed a chapter's key, which
// changed the chapter's state for the whole room.
func (s *Stage) tell(name, key, note string) {
	text := name + " pressed " + key
	if note != "" {
		text += ": " + note
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.notes = append(s.notes, stageNote{at: time.Now(), text: ui.Sanitize(text), public: true})
	s.trim()
}

func (s *Stage) trim() {
	if n := len(s.notes) - maxNotes; n > 0 {
		s.notes = s.notes[n:]
		s.notesOff += n
	}
}

// notesSince returns the notes after the first seen and the new count.
func (s *Stage) notesSince(seen int) ([]stageNote, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	from := max(seen-s.notesOff, 0)
	return append([]stageNote(nil), s.notes[from:]...), s.notesOff + len(s.notes)
}

// audience reports whether the model is an audience member's.
func (m Model) audience() bool { return m.opts.Stage != nil && m.opts.Name != "" }

// publish gives a presenter's chapter to the room once its first rerun
// has its verdict: the room sees the chapter with what the presenter
// computed, so their first calls are hits.
func (m *Model) publish() {
	if m.opts.Stage == nil || m.audience() || m.published == m.gen {
		return
	}
	m.published = m.gen
	m.opts.Stage.publish(m.idx, m.run)
}

// follow switches an audience model to the presenter's chapter.
func (m *Model) follow() tea.Cmd {
	idx, r, gen := m.opts.Stage.current()
	if r == nil {
		return nil
	}
	m.stop()
	m.seen = gen
	m.idx = idx
	m.show(r)
	return m.begin(func(ctx context.Context, r *runner) tea.Msg {
		return actedMsg{reg: r.env.reg, rerun: true}
	})
}

// onTick keeps a stage's screens in step: an audience model follows the
// presenter to a new chapter, a presenter's panel takes the server's log.
func (m Model) onTick() (Model, tea.Cmd) {
	st := m.opts.Stage
	if st == nil {
		return m, nil
	}
	var cmd tea.Cmd
	if m.audience() && st.changed(m.seen) {
		cmd = m.follow()
	}
	notes, seen := st.notesSince(m.notesSeen)
	m.notesSeen = seen
	for _, n := range notes {
		if !n.public && m.audience() {
			continue
		}
		m.log = appendLine(m.log, logLine{at: n.at, kind: noteKind, text: n.text, count: 1})
	}
	return m, cmd
}

// noteKind styles the server's lines in the log as plain events.
const noteKind = cache.EventComputed

// appendTagged adds ev to the log as the explorer tags another session's
// events: "alice: hit square(x=3)".
func appendTagged(log []logLine, ev cache.Event) []logLine {
	who := ev.Session
	ev.Session = ""
	text := eventText(ev)
	if who != "" {
		text = who + ": " + text
	}
	if n := len(log); n > 0 && ev.Kind == cache.EventHit && log[n-1].kind == cache.EventHit && log[n-1].text == text {
		log[n-1].count++
		log[n-1].at = ev.Time
		return log
	}
	return appendLine(log, logLine{at: ev.Time, kind: ev.Kind, text: text, count: 1})
}

func appendLine(log []logLine, l logLine) []logLine {
	log = append(log, l)
	if len(log) > logSize {
		log = log[len(log)-logSize:]
	}
	return log
}
