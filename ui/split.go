package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/loaders"
)

// Split is `hitmiss --split`: two sessions, A and B, side by side in one
// terminal, sharing one registry, for a talk without a second terminal.
// Each half is a whole explorer (its own page, cursor, rerun counter and
// status bar); ctrl+w gives the keyboard to the other half. The halves'
// commands are wrapped so that what they return (finished reruns, cache
// events, timers) reaches the half that asked.
type Split struct {
	halves [2]Model
	focus  int
	width  int
	height int
	keys   splitKeys
}

type splitKeys struct{ Switch key.Binding }

// halfMsg is a message for one half.
type halfMsg struct {
	half int
	msg  tea.Msg
}

// NewSplit returns two explorers over sources on one registry, sessions A
// and B of room. l should be built with loaders.Config.Sessions (and
// room.PlaceReleased), so that session_place is kept per half.
func NewSplit(reg *cache.Registry, l *loaders.Loaders, room *Room, opts Options) (Split, error) {
	var s Split
	for i, name := range []string{"A", "B"} {
		member, err := room.Join(name)
		if err != nil {
			return Split{}, err
		}
		o := opts
		o.Member = member
		if i == 1 {
			o.Open = false // B starts on the list: open what A opened, and see the hit
		}
		s.halves[i] = New(reg, l, o)
	}
	s.keys = splitKeys{Switch: key.NewBinding(key.WithKeys("ctrl+w"), key.WithHelp("ctrl+w", "other half"))}
	s.halves[0].lay.split, s.halves[1].lay.split = focusHere, focusThere
	return s, nil
}

// Init implements tea.Model.
func (s Split) Init() tea.Cmd {
	return tea.Batch(wrapCmd(0, s.halves[0].Init()), wrapCmd(1, s.halves[1].Init()))
}

// Update implements tea.Model: keys go to the focused half, the window is
// shared out, and each half's own messages go back to it.
func (s Split) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case halfMsg:
		if _, ok := msg.msg.(tea.QuitMsg); ok {
			return s.quit()
		}
		return s.update(msg.half, msg.msg)
	case tea.WindowSizeMsg:
		s.width, s.height = msg.Width, msg.Height
		left := (msg.Width - 1) / 2
		var cmds [2]tea.Cmd
		s, cmds[0] = s.update(0, tea.WindowSizeMsg{Width: left, Height: msg.Height})
		s, cmds[1] = s.update(1, tea.WindowSizeMsg{Width: msg.Width - 1 - left, Height: msg.Height})
		return s, tea.Batch(cmds[0], cmds[1])
	case tea.KeyMsg:
		// In a prompt, ctrl+w deletes a word, as in a shell: esc first.
		if key.Matches(msg, s.keys.Switch) && s.halves[s.focus].prompt.kind == promptNone {
			s.focus = 1 - s.focus
			s.halves[s.focus].lay.split = focusHere
			s.halves[1-s.focus].lay.split = focusThere
			return s, nil
		}
		return s.update(s.focus, msg)
	case tea.MouseMsg:
		half := 0
		if msg.X > (s.width-1)/2 {
			half = 1
		}
		msg.X -= half * ((s.width-1)/2 + 1)
		return s.update(half, msg)
	}
	return s, nil
}

// update hands msg to half i and wraps what it returns.
func (s Split) update(i int, msg tea.Msg) (Split, tea.Cmd) {
	next, cmd := s.halves[i].Update(msg)
	if m, ok := next.(Model); ok {
		s.halves[i] = m
	}
	return s, wrapCmd(i, cmd)
}

// quit ends both halves and the program: q in either half quits.
func (s Split) quit() (tea.Model, tea.Cmd) {
	for _, h := range s.halves {
		h.Close()
	}
	return s, tea.Quit
}

// Close ends both halves (see Model.Close).
func (s Split) Close() {
	for _, h := range s.halves {
		h.Close()
	}
}

// wrapCmd tags what cmd returns with the half it belongs to; a batch is
// unpacked so that each of its commands is tagged.
func wrapCmd(half int, cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() tea.Msg {
		msg := cmd()
		switch msg := msg.(type) {
		case nil:
			return nil
		case tea.BatchMsg:
			out := make(tea.BatchMsg, len(msg))
			for i, c := range msg {
				out[i] = wrapCmd(half, c)
			}
			return out
		}
		return halfMsg{half: half, msg: msg}
	}
}

// View implements tea.Model: the halves side by side, a rule between them.
func (s Split) View() string {
	left := splitLines(s.halves[0].View())
	right := splitLines(s.halves[1].View())
	lw := (s.width - 1) / 2
	n := max(len(left), len(right))
	var b strings.Builder
	rule := s.halves[0].ctx.Styles.Subtle.Render("│")
	for i := range n {
		var l, r string
		if i < len(left) {
			l = left[i]
		}
		if i < len(right) {
			r = right[i]
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(pad(clip(l, lw), lw) + rule + r)
	}
	return b.String()
}
