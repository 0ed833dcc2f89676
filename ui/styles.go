package ui

import "github.com/charmbracelet/lipgloss"

// Styles holds every style the app renders with, built in one place.
type Styles struct {
	Title, Subtle, Error, Warning lipgloss.Style
	Header, Frozen, Cell, Cursor  lipgloss.Style
	StatusBar, StatusKey          lipgloss.Style
	Hit, Miss, Event              lipgloss.Style
	PanelTitle, Selected, Focus   lipgloss.Style
	Bar                           lipgloss.Style
}

// DefaultStyles returns adaptive styles for light and dark terminals. With
// color false every style is plain, for NO_COLOR and --no-color.
func DefaultStyles(color bool) Styles {
	if !color {
		plain := lipgloss.NewStyle()
		bold := plain.Bold(true)
		return Styles{Title: bold, Subtle: plain, Error: bold, Warning: plain, Header: bold, Frozen: plain,
			Cell: plain, Cursor: plain.Reverse(true), StatusBar: plain, StatusKey: bold, Hit: plain, Miss: bold,
			Event: plain, PanelTitle: bold, Selected: plain.Reverse(true), Focus: bold.Reverse(true), Bar: plain}
	}
	subtle := lipgloss.AdaptiveColor{Light: "#6B6B6B", Dark: "#8A8A8A"}
	accent := lipgloss.AdaptiveColor{Light: "#5A3FC0", Dark: "#B69CFF"}
	green := lipgloss.AdaptiveColor{Light: "#1E7B34", Dark: "#5FD788"}
	red := lipgloss.AdaptiveColor{Light: "#B3261E", Dark: "#FF7A70"}
	yellow := lipgloss.AdaptiveColor{Light: "#8A5A00", Dark: "#F2C14E"}
	return Styles{
		Title:      lipgloss.NewStyle().Bold(true).Foreground(accent),
		Subtle:     lipgloss.NewStyle().Foreground(subtle),
		Error:      lipgloss.NewStyle().Bold(true).Foreground(red),
		Warning:    lipgloss.NewStyle().Foreground(yellow),
		Header:     lipgloss.NewStyle().Bold(true).Foreground(accent),
		Frozen:     lipgloss.NewStyle().Foreground(subtle),
		Cell:       lipgloss.NewStyle(),
		Cursor:     lipgloss.NewStyle().Background(accent).Foreground(lipgloss.AdaptiveColor{Light: "#FFFFFF", Dark: "#101010"}),
		StatusBar:  lipgloss.NewStyle().Foreground(subtle),
		StatusKey:  lipgloss.NewStyle().Bold(true),
		Hit:        lipgloss.NewStyle().Foreground(green),
		Miss:       lipgloss.NewStyle().Bold(true).Foreground(red),
		Event:      lipgloss.NewStyle().Foreground(subtle),
		PanelTitle: lipgloss.NewStyle().Bold(true).Foreground(accent),
		Selected:   lipgloss.NewStyle().Background(accent).Foreground(lipgloss.AdaptiveColor{Light: "#FFFFFF", Dark: "#101010"}),
		Bar:        lipgloss.NewStyle().Foreground(accent),
		Focus:      lipgloss.NewStyle().Bold(true).Background(accent).Foreground(lipgloss.AdaptiveColor{Light: "#FFFFFF", Dark: "#101010"}),
	}
}
