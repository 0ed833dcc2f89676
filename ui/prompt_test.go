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

// A pre-filled prompt's text is selected, as a shell's or an address
// bar's: typing replaces it (/ holds the last pattern, A a guessed column),
// → or End keeps it for editing, backspace deletes it.
func TestPrefilledPromptTextIsSelected(t *testing.T) {
	d := weather(t)
	d.key("/")
	d.typeText("rain")
	d.key("enter")
	d.key("/")
	d.typeText("snow") // replaces rain
	d.key("enter")
	if d.m.q.Search != "snow" {
		t.Fatalf("typing over the last pattern searched %q, want snow", d.m.q.Search)
	}
	d.key("/")
	d.send(tea.KeyMsg{Type: tea.KeyRight}) // keeps snow, the cursor at its end
	d.typeText("|rain")
	d.key("enter")
	if d.m.q.Search != "snow|rain" {
		t.Fatalf("→ then typing searched %q, want snow|rain", d.m.q.Search)
	}
	d.key("/")
	d.send(tea.KeyMsg{Type: tea.KeyEnd})
	d.send(tea.KeyMsg{Type: tea.KeyBackspace}) // End keeps it: one character goes
	if v := d.m.prompt.input.Value(); v != "snow|rai" {
		t.Fatalf("End then backspace left %q", v)
	}
	d.key("esc")
	d.key("/")
	d.send(tea.KeyMsg{Type: tea.KeyBackspace}) // the selection goes at once
	if v := d.m.prompt.input.Value(); v != "" {
		t.Fatalf("backspace on the selected text left %q", v)
	}
	d.key("esc")
	d.cursorTo("temp_max")
	d.key("A") // proposes weather
	if v := d.m.prompt.input.Value(); v != "weather" {
		t.Fatalf("A proposes %q, want weather", v)
	}
	d.typeText("date")
	d.key("enter")
	d.settle()
	if d.m.q.Views.GroupKey != "date" {
		t.Fatalf("typing over A's guess grouped by %q, want date", d.m.q.Views.GroupKey)
	}
}

// ↑/↓ recall every prompt's earlier entries, each prompt its own; ↓ past
// the newest gives back what was typed.
func TestEveryPromptHasHistory(t *testing.T) {
	d := weather(t)
	for _, p := range []string{"rain", "sun"} {
		d.key("/")
		d.typeText(p)
		d.key("enter")
	}
	d.key(":")
	d.typeText("wind")
	d.key("enter")
	d.key("/")
	d.send(tea.KeyMsg{Type: tea.KeyUp})
	d.send(tea.KeyMsg{Type: tea.KeyUp})
	if v := d.m.prompt.input.Value(); v != "rain" {
		t.Fatalf("↑↑ in / recalled %q, want rain", v)
	}
	d.send(tea.KeyMsg{Type: tea.KeyDown})
	d.send(tea.KeyMsg{Type: tea.KeyDown})
	if v := d.m.prompt.input.Value(); v != "sun" {
		t.Fatalf("↓↓ back past the newest gave %q, want the text the prompt held (sun)", v)
	}
	d.key("esc", ":")
	d.send(tea.KeyMsg{Type: tea.KeyUp})
	if v := d.m.prompt.input.Value(); v != "wind" {
		t.Fatalf("↑ in : recalled %q, want wind (its own entries, not the search's)", v)
	}
	d.key("esc")
}

// The ? screen lists the prompt's editing keys.
func TestHelpListsPromptEditingKeys(t *testing.T) {
	all := strings.Join(helpLines(DefaultKeyMap(), 200), "\n")
	for _, k := range []string{"ctrl+u", "ctrl+w", "alt+b/f", "↑/↓      history"} {
		if !strings.Contains(all, k) {
			t.Errorf("the ? screen does not list %q", k)
		}
	}
}
