package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// A prompt starts clean: a completing prompt's names do not show in the
// next one, nor does tab take them; a prompt's text is not scrolled by the
// last prompt's width; the hint shows when the line has room (found by QA).
func TestPromptsStartClean(t *testing.T) {
	d := weather(t)
	d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	d.key(":")
	d.typeText("w")
	d.key("enter") // jumps to wind
	d.key("f")
	line := promptLine(t, d.screen(), "filter: ")
	if strings.Contains(line, "wind") {
		t.Fatalf("the filter prompt shows the column prompt's completion: %q", line)
	}
	if !strings.Contains(line, "e.g. temp_max > 30") {
		t.Fatalf("the filter prompt's hint is hidden at 80 columns: %q", line)
	}
	d.send(tea.KeyMsg{Type: tea.KeyTab})
	if v := d.m.prompt.input.Value(); v != "" {
		t.Fatalf("tab in the filter prompt took %q", v)
	}
	d.key("esc")
	d.key("L") // a prompt with a long label and value
	d.key("esc")
	d.key("P")
	line = promptLine(t, d.screen(), "scatter of")
	if v := d.m.prompt.input.Value(); v != "" && !strings.Contains(line, v) {
		t.Fatalf("the scatter prompt shows %q, cut from its value %q", line, v)
	}
}
