// Package ui is the hitmiss terminal explorer, a bubbletea program whose
// page is re-run top to bottom on every event, like a Streamlit script.
package ui

import (
	"fmt"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/hitmiss/hitmiss/cache"
)

// KeyMap lists every key the app answers to.
type KeyMap struct {
	Quit key.Binding
}

// DefaultKeyMap returns the standard key bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Quit: key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
	}
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding { return []key.Binding{k.Quit} }

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding { return [][]key.Binding{{k.Quit}} }

// Model is the root bubbletea model.
type Model struct {
	reg    *cache.Registry
	keys   KeyMap
	help   help.Model
	width  int
	height int
}

// New returns the app's root model, reading caches from reg.
func New(reg *cache.Registry) Model {
	return Model{reg: reg, keys: DefaultKeyMap(), help: help.New()}
}

// Init implements tea.Model.
func (m Model) Init() tea.Cmd { return nil }

// Update implements tea.Model.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
	case tea.KeyMsg:
		if key.Matches(msg, m.keys.Quit) {
			return m, tea.Quit
		}
	}
	return m, nil
}

var titleStyle = lipgloss.NewStyle().Bold(true)

// View implements tea.Model.
func (m Model) View() string {
	return fmt.Sprintf("%s\n\n%d cached functions registered.\n\n%s\n",
		titleStyle.Render("hitmiss — CSV explorer and caching demo"),
		len(m.reg.Stats()), m.help.View(m.keys))
}
