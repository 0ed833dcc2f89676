package ui

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/hitmiss/hitmiss/loaders"
)

// datasetList is the list of sources to open.
type datasetList struct {
	common
	sources []loaders.Source
	names   []string // shown names: without the directory they all share
	dir     string   // that directory, shown once in the header
	scroller
}

func newDatasetList(ctx *Context, sources []loaders.Source) *datasetList {
	l := &datasetList{common: common{ctx: ctx}, sources: sources}
	l.names, l.dir = listNames(sources)
	return l
}

// listNames drops the directory every file source shares (a directory
// given on the command line), so the names that differ get the room.
func listNames(sources []loaders.Source) ([]string, string) {
	names := make([]string, len(sources))
	dir := ""
	for i, src := range sources {
		names[i] = Sanitize(src.Name())
		if src.Kind != loaders.File {
			dir = "\x00" // not all files: keep every name whole
		}
		d := filepath.Dir(src.Path) + string(filepath.Separator)
		if i == 0 && dir == "" {
			dir = d
		} else if d != dir {
			dir = "\x00"
		}
	}
	if dir == "\x00" || len(sources) < 2 {
		return names, ""
	}
	for i := range names {
		names[i] = strings.TrimPrefix(names[i], Sanitize(dir))
	}
	return names, Sanitize(dir)
}

// listCommands: enter opens the dataset under the cursor.
func listCommands(k KeyMap) commandTable {
	return commandTable{title: "datasets", commands: []command{
		{key: k.Open, views: viewsOf(viewList), when: func(s *scope) bool { return len(s.views.list.sources) > 0 },
			hint: hintAfter, run: func(s *scope) intent { return s.sheets.openDataset(s, s.views.list.picked()) }},
	}}
}

// picked is the source under the cursor; the list is not empty.
func (l *datasetList) picked() *loaders.Source { return &l.sources[min(l.cursor, len(l.sources)-1)] }

// Update moves the cursor; it reports whether the key was a move.
func (l *datasetList) Update(msg tea.KeyMsg) bool {
	return l.move(msg, l.ctx.Keys, len(l.sources), l.height-1)
}

// ShortHelp implements help.KeyMap: the list's moves (enter is a command).
func (l *datasetList) ShortHelp() []key.Binding {
	k := l.ctx.Keys
	return []key.Binding{k.Up, k.Down}
}

// FullHelp implements help.KeyMap.
func (l *datasetList) FullHelp() [][]key.Binding { return [][]key.Binding{l.ShortHelp()} }

// View implements component.
func (l *datasetList) View() string {
	if l.width <= 0 || l.height <= 0 {
		return ""
	}
	st := l.ctx.Styles
	rows := l.height - 1
	l.clamp(len(l.sources), rows)
	head := fmt.Sprintf("Datasets (%d)", len(l.sources))
	if l.dir != "" {
		head = fmt.Sprintf("Datasets in %s (%d)", l.dir, len(l.sources))
	}
	if len(l.sources) > rows && rows > 0 {
		head += fmt.Sprintf(" · %d–%d", l.top+1, min(l.top+rows, len(l.sources)))
	}
	out := []string{clip(st.Header.Render(head)+st.Subtle.Render("  (enter opens)"), l.width)}
	// Names get the room they need, leaving the kind and size beside them.
	nameW := 8
	for _, n := range l.names {
		nameW = max(nameW, strWidth(clipBytes(n, 4*l.width)))
	}
	nameW = min(nameW, max(l.width-20, 8))
	for i := l.top; i < min(l.top+rows, len(l.sources)); i++ {
		src := l.sources[i]
		marker := "  "
		if i == l.cursor {
			marker = "▸ " // visible without colour too (NO_COLOR)
		}
		line := marker + pad(clip(clipBytes(l.names[i], 4*l.width), nameW), nameW) + fmt.Sprintf(" %-7s %7s", src.Kind, humanSize(src.Size))
		if d, ok := src.Dataset(); ok {
			line += fmt.Sprintf("  %7s × %-3d %s", commas(d.Rows), d.Cols, d.Title)
		}
		line = pad(clip(line, l.width), l.width)
		if i == l.cursor {
			line = st.Selected.Render(line)
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}
