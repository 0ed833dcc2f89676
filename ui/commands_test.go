package ui

import (
	"os"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"
)

// A key that does not apply in the view shown does nothing: no rerun, no
// change to the query; the notice says where it is not. (s on describe
// used to start a rerun that sorted nothing; it sorts describe's columns
// now, so t, the table's, stands in.)
func TestAKeyOutsideItsViewStartsNoRerun(t *testing.T) {
	d := weather(t)
	d.key("d")
	d.settle()
	if d.m.q.View != viewDescribe {
		t.Fatalf("d did not describe: view %v", d.m.q.View)
	}
	started, reruns, q := d.m.rerun.next, d.m.runs.reruns, d.m.q
	d.key("t")
	d.settle()
	if d.m.rerun.next != started || d.m.runs.reruns != reruns {
		t.Fatalf("t on describe started a rerun: %d → %d started, %d → %d finished", started, d.m.rerun.next, reruns, d.m.runs.reruns)
	}
	if len(d.m.q.Sort) != 0 || d.m.q.View != q.View {
		t.Fatalf("t on describe changed the query: %+v", d.m.q)
	}
	mustContain(t, d.screen(), "t: not in describe")
	d.key("d", "s") // back on the table, s sorts
	d.settle()
	if len(d.m.q.Sort) != 1 || !strings.Contains(title(d), "sort: date ↑") {
		t.Fatalf("s on the table did not sort: %+v\n%s", d.m.q.Sort, d.screen())
	}
}

// Every command is declared once, in its feature's table, with the views
// where it applies and help text; the ? screen lists every table.
func TestEveryCommandIsDeclaredWithHelp(t *testing.T) {
	k := DefaultKeyMap()
	for _, table := range commandTables(k) {
		if table.title == "" || len(table.commands) == 0 {
			t.Errorf("a table without a title or commands: %+v", table.title)
		}
		for _, c := range table.commands {
			if len(c.key.Keys()) == 0 || c.key.Help().Desc == "" {
				t.Errorf("%s: a command without keys or help: %+v", table.title, c.key.Help())
			}
			if c.views == 0 || c.run == nil {
				t.Errorf("%s: %s applies nowhere or does nothing", table.title, c.key.Help().Key)
			}
		}
	}
	help := strings.Join(helpLines(k, 200), "\n")
	for _, group := range k.FullHelp() {
		for _, b := range group {
			if !strings.Contains(help, b.Help().Desc) {
				t.Errorf("the ? screen lacks %q", b.Help().Desc)
			}
		}
	}
}

// The README names every command's key, as the tables declare them.
func TestReadmeListsEveryCommandKey(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, table := range commandTables(DefaultKeyMap()) {
		for _, b := range table.bindings() {
			if !readmeNames(string(readme), b) {
				t.Errorf("README does not list %q (%s: %s)", b.Help().Key, table.title, b.Help().Desc)
			}
		}
	}
}

// readmeNames reports whether the README names one of b's keys in
// backquotes.
func readmeNames(readme string, b key.Binding) bool {
	for _, k := range append([]string{b.Help().Key}, b.Keys()...) {
		if strings.Contains(readme, "`"+k+"`") {
			return true
		}
	}
	return false
}

// The help line reads the tables too: the view's commands placed before
// and after the component's own moves.
func TestHelpLineReadsTheCommandTables(t *testing.T) {
	d := weather(t)
	d.key("v")
	d.settle()
	mustContain(t, d.screen(), "enter rows of the group • ↑/k up", "esc back / cancel")
	d.key("esc", "b")
	mustContain(t, d.screen(), "enter open / show row • ↑/k up • ↓/j down • esc back / cancel")
}
