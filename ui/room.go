package ui

import (
	"errors"
	"fmt"
	"slices"
	"sync"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/hitmiss/hitmiss/loaders"
)

// A Room is the set of sessions that share one cache registry: the
// connections of `hitmiss serve`, or the two halves of --split. Each
// session is one root Model with its own page, cursor and rerun counter;
// the cache's events already reach every session's panel, tagged with the
// session that caused them (cache.WithSession). The room carries what the
// cache cannot see: who joined and left, who cleared, and who damaged a
// shared resource in place (M), so that every screen can say so.
type Room struct {
	mu      sync.Mutex
	max     int
	members []*Member
}

// ErrRoomFull is returned by Join when the room holds its maximum.
var ErrRoomFull = errors.New("the room is full")

// NewRoom returns an empty room admitting at most max sessions (0: no
// limit).
func NewRoom(max int) *Room { return &Room{max: max} }

// Member is one session of a room.
type Member struct {
	// Name is unique in the room: the SSH user, with #2, #3… when the same
	// user connects again, or A, B in split mode. It is the session id
	// given to the cache.
	Name  string
	room  *Room
	inbox chan roomNote
}

// roomNote is something another session did, delivered to every session.
type roomNote struct {
	from string
	text string // for the event log
	// notice, when set, is shown on the receiving screen's notice line.
	notice string
	rerun  bool // what the screen shows may have changed: rerun the page
	// model is the shared dataset model damaged in place, if that is what
	// happened: a screen showing it says so.
	model  *loaders.DatasetModel
	column string // the column dropped from model
}

// roomMsg delivers a roomNote to a Model.
type roomMsg struct{ note roomNote }

// Join adds a session for user and returns it, or ErrRoomFull.
func (r *Room) Join(user string) (*Member, error) {
	r.mu.Lock()
	if r.max > 0 && len(r.members) >= r.max {
		r.mu.Unlock()
		return nil, fmt.Errorf("%w: %s", ErrRoomFull, plural(r.max, "session"))
	}
	// The name is the client's to choose (ssh NAME@host): it is shown on
	// every screen, so it is sanitised and kept short.
	user = clip(Sanitize(user), 24)
	if user == "" {
		user = "anonymous"
	}
	name := user
	for n := 2; r.lookup(name) != nil; n++ {
		name = fmt.Sprintf("%s#%d", user, n)
	}
	m := &Member{Name: name, room: r, inbox: make(chan roomNote, 64)}
	r.members = append(r.members, m)
	r.mu.Unlock()
	r.announce(roomNote{from: name, text: "joined"}, m)
	return m, nil
}

func (r *Room) lookup(name string) *Member {
	for _, m := range r.members {
		if m.Name == name {
			return m
		}
	}
	return nil
}

// Leave removes the session from its room and tells the others. It is
// idempotent.
func (m *Member) Leave() {
	r := m.room
	r.mu.Lock()
	i := slices.Index(r.members, m)
	if i >= 0 {
		r.members = slices.Delete(r.members, i, i+1)
		// No announce sends to m any more (they hold r.mu and read
		// r.members): closing ends the Model's waitRoom.
		close(m.inbox)
	}
	r.mu.Unlock()
	if i >= 0 {
		r.announce(roomNote{from: m.Name, text: "left"}, nil)
	}
}

// Names lists the sessions in the room, in the order they joined.
func (r *Room) Names() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, len(r.members))
	for i, m := range r.members {
		out[i] = m.Name
	}
	return out
}

// Announce tells every session of the room a line for its event log, such
// as a resource released when a session ended.
func (r *Room) Announce(from, text string) {
	r.announce(roomNote{from: from, text: text}, nil)
}

// announce delivers note to every member but skip. A member whose inbox is
// full (its program stalled) loses the note: one slow session never holds
// up the others.
//
// Every note passes through Sanitize here, the one door to other screens:
// its text may carry what a client typed or sent (a name, a filter, a
// column), and no escape sequence of one session may reach another's
// terminal.
func (r *Room) announce(note roomNote, skip *Member) {
	note.from, note.text, note.notice = Sanitize(note.from), Sanitize(note.text), Sanitize(note.notice)
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, m := range r.members {
		if m == skip {
			continue
		}
		select {
		case m.inbox <- note:
		default:
		}
	}
}

// tell is announce from this member to the others.
func (m *Member) tell(note roomNote) {
	note.from = m.Name
	m.room.announce(note, m)
}

func waitRoom(ch <-chan roomNote) tea.Cmd {
	return func() tea.Msg {
		note, ok := <-ch
		if !ok {
			return nil
		}
		return roomMsg{note}
	}
}

// PlaceReleased is the OnRelease of session_place (loaders.Config's
// PlaceReleased): the room's logs say that a session's place left the
// cache, as it does when that session ends.
func (r *Room) PlaceReleased(p *loaders.Place) {
	r.Announce(p.Session, fmt.Sprintf("OnRelease: session_place(%s) gone", Sanitize(p.Source.Name())))
}
