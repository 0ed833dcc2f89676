package ui

import (
	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// promptKind says what the text prompt is typing, for its hint; what
// enter does with the text is the handler the prompt was opened with.
type promptKind int

const (
	promptNone promptKind = iota
	promptSearch
	promptFilter
	promptColumn      // : jump to a column, names completed with tab
	promptType        // t: a column's type
	promptFreqColumns // V: the columns of a frequency table
	promptGroupKey    // A: the column to group by
	promptLineX       // L: the line's x axis
	promptScatterX    // P: the scatter's x axis
	promptExport      // e: the file to export to
	promptDerive      // =: a derived column, NAME = EXPR
	promptPivot       // W: a pivot table, ROW,COL,AGG(VALUE)
	promptConfirm     // y/n: replace a file
	promptRecipe      // ctrl+s: the file to save the view's recipe to
)

// promptAccept applies what was typed at a prompt, on the components and
// the query; it returns what the root must do next. A handler that is
// about a column (V, A, L, P, t) holds the column it was opened for.
type promptAccept func(s *scope, text string) intent

// promptAnswer applies the y (yes) or n answer of a y/n question.
type promptAnswer func(s *scope, yes bool) intent

// prompt is the one-line text input for a search, a filter, a column
// name, a type or a file name, or the y/n question before replacing a file.
type prompt struct {
	common
	kind   promptKind
	accept promptAccept // enter
	answer promptAnswer // y or n, when kind is promptConfirm
	input  textinput.Model
	// history is what ↑/↓ recall, oldest first: this prompt's entries in
	// hist, or in a room the filter prompt's session's filters
	// (session_place, sessionHistory); at is the one shown, len(history)
	// for the text typed.
	hist           *History
	history        []string
	sessionHistory bool
	at             int
	typed          string
	// selected: the text the prompt opened with is selected, as a shell
	// or a browser's address bar has it: typing replaces it, backspace
	// deletes it, → or End keeps it for editing.
	selected bool
}

func newPrompt(ctx *Context, hist *History) *prompt {
	ti := textinput.New()
	ti.CharLimit = 500
	ti.Cursor.SetMode(cursor.CursorStatic)
	// ↑/↓ are the history's in every prompt; ctrl+n/ctrl+p go through a
	// completing prompt's names.
	ti.KeyMap.NextSuggestion = key.NewBinding(key.WithKeys("ctrl+n"))
	ti.KeyMap.PrevSuggestion = key.NewBinding(key.WithKeys("ctrl+p"))
	return &prompt{common: common{ctx: ctx}, input: ti, hist: hist}
}

// historyName names a prompt's entries in the history file.
func (k promptKind) historyName() string {
	return map[promptKind]string{promptSearch: "search", promptFilter: "filter", promptColumn: "column",
		promptType: "type", promptFreqColumns: "frequency", promptGroupKey: "group", promptLineX: "line",
		promptScatterX: "scatter", promptExport: "export", promptDerive: "derive", promptPivot: "pivot"}[k]
}

// open starts typing; enter hands the text to accept.
func (p *prompt) open(kind promptKind, label, value string, accept promptAccept) {
	p.clearSuggestions() // a completing prompt's names stay out of this one
	p.history, p.sessionHistory = nil, false
	if p.hist != nil {
		p.history = p.hist.list(kind.historyName())
	}
	p.at, p.typed = len(p.history), ""
	p.selected = value != ""
	p.kind, p.accept, p.answer = kind, accept, nil
	p.input.Prompt = label
	// The width first: SetValue scrolls the text to fit it, and the last
	// prompt's width (another label) cut this one's start off.
	p.input.Width, _ = p.layout()
	p.input.SetValue(value)
	p.input.CursorEnd()
	p.input.Focus()
}

// openWith starts typing with completion: tab takes the suggestion
// shown, ctrl+n/ctrl+p go through the others (↑/↓ are the history).
func (p *prompt) openWith(kind promptKind, label, value string, suggestions []string, accept promptAccept) {
	p.open(kind, label, value, accept)
	p.input.ShowSuggestions = true
	p.input.SetSuggestions(suggestions)
}

// ask asks a y/n question; y or n hands the answer to answer.
func (p *prompt) ask(label string, answer promptAnswer) {
	p.open(promptConfirm, label, "", nil)
	p.answer = answer
}

func (p *prompt) close() {
	p.kind, p.accept, p.answer = promptNone, nil, nil
	p.input.Blur()
	p.clearSuggestions()
}

// withSessionHistory gives ↑/↓ this session's entries to recall, oldest
// first, instead of the history's.
func (p *prompt) withSessionHistory(entries []string) {
	p.history, p.at, p.sessionHistory = entries, len(entries), true
}

// recall shows the entry before (older) or after the one shown; past the
// newest, the text that was typed.
func (p *prompt) recall(older bool) {
	if p.at == len(p.history) {
		p.typed = p.input.Value()
	}
	p.selected = false // a recalled entry is there to edit
	if older {
		p.at = max(p.at-1, 0)
	} else {
		p.at = min(p.at+1, len(p.history))
	}
	if p.at == len(p.history) {
		p.input.SetValue(p.typed)
	} else {
		p.input.SetValue(p.history[p.at])
	}
	p.input.CursorEnd()
}

// clearSuggestions drops the completion names and what matched them. The
// order matters: the input forgets its matches only while it still shows
// suggestions, and a match left behind was shown, and taken by tab, in
// the next prompt.
func (p *prompt) clearSuggestions() {
	p.input.SetSuggestions(nil)
	p.input.ShowSuggestions = false
}

// hint is the grey text after the input, when the window has room for it.
func (p *prompt) hint() string {
	switch p.kind {
	case promptFilter:
		if p.sessionHistory && len(p.history) > 0 {
			return "  ↑↓ this session's filters"
		}
		return "  e.g. temp_max > 30 and weather = 'sun'"
	case promptSearch:
		return "  a regular expression, any case"
	case promptDerive:
		return "  NAME = EXPR, e.g. f = temp_max * 1.8 + 32"
	case promptPivot:
		return "  e.g. weather,location,mean(wind)"
	case promptColumn, promptType:
		return "  tab completes"
	}
	return ""
}

// minInput is the narrowest input a hint leaves: below it, the hint goes.
const minInput = 24

// layout is the input's width and the hint shown after it: the line less
// the label and, when both fit, the hint (the input pads itself to its
// width, which hid the hint).
func (p *prompt) layout() (width int, hint string) {
	room := p.width - strWidth(p.input.Prompt) - 1
	if h := p.hint(); h != "" && room-strWidth(h) >= minInput {
		return room - strWidth(h), h
	}
	return max(room, 1), ""
}

// Update feeds a key to the open prompt and returns what the root must
// do: enter hands the text to the handler the prompt was opened with, esc
// cancels, and only ctrl+c quits (q types a q). A y/n question takes y or
// n and nothing else.
func (p *prompt) Update(s *scope, msg tea.KeyMsg) intent {
	k := p.ctx.Keys
	if key.Matches(msg, k.ForceQuit) {
		return intent{app: actQuit}
	}
	if p.kind == promptConfirm {
		answer := p.answer
		if key.Matches(msg, k.Yes) || key.Matches(msg, k.No) {
			p.close()
			return answer(s, key.Matches(msg, k.Yes))
		}
		return intent{}
	}
	switch {
	case key.Matches(msg, k.Cancel):
		p.close()
		return intent{}
	case key.Matches(msg, k.Accept):
		accept, kind, text := p.accept, p.kind, p.input.Value()
		p.close()
		s.note.text = ""
		in := accept(s, text)
		if p.hist != nil {
			p.hist.add(kind.historyName(), text)
			in.cmd = tea.Batch(in.cmd, p.hist.saveCmd())
		}
		return in
	case len(p.history) > 0 && (msg.Type == tea.KeyUp || msg.Type == tea.KeyDown):
		p.recall(msg.Type == tea.KeyUp)
		return intent{}
	}
	if p.selected && p.replaceSelection(msg) {
		return intent{}
	}
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	return intent{cmd: cmd}
}

// replaceSelection applies a key to the selected text the prompt opened
// with: typed text replaces it (the key then types into the empty input),
// backspace and delete remove it, and any other key (→, End, ←, Home, a
// word move) keeps it for editing. It reports whether the key is spent.
func (p *prompt) replaceSelection(msg tea.KeyMsg) bool {
	p.selected = false
	switch {
	case (msg.Type == tea.KeyRunes && !msg.Alt) || msg.Type == tea.KeySpace:
		p.input.SetValue("")
	case msg.Type == tea.KeyBackspace || msg.Type == tea.KeyDelete:
		p.input.SetValue("")
		return true
	}
	return false
}

// ShortHelp implements help.KeyMap.
func (p *prompt) ShortHelp() []key.Binding {
	k := p.ctx.Keys
	return []key.Binding{k.Accept, k.Cancel, k.ForceQuit}
}

// FullHelp implements help.KeyMap.
func (p *prompt) FullHelp() [][]key.Binding { return [][]key.Binding{p.ShortHelp()} }

// View implements component. Selected text is shown selected (reversed
// without colour), from its start.
func (p *prompt) View() string {
	width, hint := p.layout()
	p.input.Width = width
	if p.selected {
		text := p.input.PromptStyle.Render(p.input.Prompt) + p.ctx.Styles.Selected.Render(clip(p.input.Value(), width))
		return clip(pad(text, strWidth(p.input.Prompt)+width+1)+p.ctx.Styles.Subtle.Render(hint), p.width)
	}
	return clip(p.input.View()+p.ctx.Styles.Subtle.Render(hint), p.width)
}
