package ui

import (
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// promptKind says what the text prompt is typing.
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
	promptConfirm     // y/n: replace a file
)

// prompt is the one-line text input for a search or a filter.
type prompt struct {
	common
	kind  promptKind
	input textinput.Model
}

func newPrompt(ctx *Context, ti textinput.Model) *prompt {
	return &prompt{common: common{ctx: ctx}, input: ti}
}

// open starts typing a search or filter.
func (p *prompt) open(kind promptKind, label, value string) {
	p.clearSuggestions() // a completing prompt's names stay out of this one
	p.kind = kind
	p.input.Prompt = label
	// The width first: SetValue scrolls the text to fit it, and the last
	// prompt's width (another label) cut this one's start off.
	p.input.Width, _ = p.layout()
	p.input.SetValue(value)
	p.input.CursorEnd()
	p.input.Focus()
}

// openWith starts typing with completion: tab takes the suggestion
// shown, ↑/↓ go through the others.
func (p *prompt) openWith(kind promptKind, label, value string, suggestions []string) {
	p.open(kind, label, value)
	p.input.ShowSuggestions = true
	p.input.SetSuggestions(suggestions)
}

func (p *prompt) close() {
	p.kind = promptNone
	p.input.Blur()
	p.clearSuggestions()
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
		return "  e.g. temp_max > 30 and weather = 'sun'"
	case promptSearch:
		return "  a regular expression, any case"
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

// promptResult is what a key did to the prompt.
type promptResult int

const (
	promptTyping promptResult = iota
	promptCancelled
	promptAccepted
	promptQuit
)

// Update feeds a key to the input: enter accepts, esc cancels, and only
// ctrl+c quits (q types a q).
func (p *prompt) Update(msg tea.KeyMsg) (promptResult, tea.Cmd) {
	k := p.ctx.Keys
	switch {
	case key.Matches(msg, k.ForceQuit):
		return promptQuit, nil
	case key.Matches(msg, k.Cancel):
		p.close()
		return promptCancelled, nil
	case key.Matches(msg, k.Accept):
		p.close()
		return promptAccepted, nil
	}
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	return promptTyping, cmd
}

// ShortHelp implements help.KeyMap.
func (p *prompt) ShortHelp() []key.Binding {
	k := p.ctx.Keys
	return []key.Binding{k.Accept, k.Cancel, k.ForceQuit}
}

// FullHelp implements help.KeyMap.
func (p *prompt) FullHelp() [][]key.Binding { return [][]key.Binding{p.ShortHelp()} }

// View implements component.
func (p *prompt) View() string {
	width, hint := p.layout()
	p.input.Width = width
	return clip(p.input.View()+p.ctx.Styles.Subtle.Render(hint), p.width)
}
