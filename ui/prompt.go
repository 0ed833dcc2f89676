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
	p.kind = kind
	p.input.Prompt = label
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
	p.input.ShowSuggestions = false
	p.input.SetSuggestions(nil)
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
	p.input.Width = max(p.width-len([]rune(p.input.Prompt))-1, 1)
	line := p.input.View()
	switch p.kind {
	case promptFilter:
		line += p.ctx.Styles.Subtle.Render("  e.g. temp_max > 30 and weather = 'sun'")
	case promptSearch:
		line += p.ctx.Styles.Subtle.Render("  a regular expression, any case")
	case promptColumn, promptType:
		line += p.ctx.Styles.Subtle.Render("  tab completes")
	}
	return clip(line, p.width)
}
