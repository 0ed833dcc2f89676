package demo

import (
	"embed"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
	"sync"

	"github.com/charmbracelet/bubbles/key"
)

// chapter is one scene of the talk: a script (page) that calls the
// chapter's cached functions on every rerun, as a Streamlit script does,
// and the keys that change what the next rerun sees.
type chapter interface {
	about() about
	// start registers the chapter's cached functions in e.reg. It runs
	// again after a simulated restart, with a new registry.
	start(e *env) error
	// page is the script: it runs top to bottom on every rerun.
	page(p *Page) error
}

// about is what the screen says about a chapter.
type about struct {
	id      string   // short name, for --list and tests
	title   string   // what the chapter shows
	seed    string   // where in the Streamlit documents it comes from
	show    []string // declarations shown as its code: "name" or "recv.name"
	watch   string   // what to watch on screen
	actions []action // the chapter's own keys
}

// action is a chapter key: do changes the chapter's state (it runs in a
// command, never in Update) and says what it did; with rerun the script
// runs after it.
type action struct {
	key   key.Binding
	rerun bool
	fresh bool // what earlier reruns wrote no longer holds: clear the page
	do    func(e *env) string
}

func act(keys, help string, rerun bool, do func(e *env) string) action {
	ks := strings.Fields(keys)
	shown := map[string]string{"right": "→", "left": "←"}[ks[0]]
	if shown == "" {
		shown = ks[0]
	}
	return action{key: key.NewBinding(key.WithKeys(ks...), key.WithHelp(shown, help)), rerun: rerun, do: do}
}

// clearsPage returns a with the page cleared before its rerun (or, with
// no rerun, until the next one): the lines earlier reruns wrote, per user
// too, describe a state the key ended.
func (a action) clearsPage() action {
	a.fresh = true
	return a
}

// decorator is the line of the chapter's code where the code opens: the
// first Python decorator, above the Go call that spells it, so that even
// a few lines of code show both (↑ scrolls to the lines above it).
func decorator(code []string) int {
	for i, l := range code {
		if strings.HasPrefix(strings.TrimSpace(l), "// @st.") {
			return i
		}
	}
	return 0
}

// closer is a chapter that holds something beyond its registry (a
// temporary file), released when the chapter is left.
type closer interface{ close() }

// chapters builds every chapter, fresh, in the order of the talk.
func chapters() []chapter {
	return []chapter{
		&basics{}, &argChange{}, &codeChange{}, &innerChange{}, &nested{},
		&factorialChapter{}, &copies{}, &copyCost{}, &identity{},
		&listUsers{}, &ttlChapter{}, &maxEntries{}, &persistChapter{},
		&validateChapter{}, &excluded{}, &replayChapter{}, &widgets{}, &spinners{},
		&clearing{}, &refresh{}, &sessions{},
	}
}

// List returns one line per chapter: its number, id and title, for
// `hitmiss demo --list`.
func List() []string {
	var out []string
	for i, c := range chapters() {
		a := c.about()
		out = append(out, fmt.Sprintf("%2d  %-9s %s — %s", i+1, a.id, a.title, a.seed))
	}
	return out
}

// The chapters' own source, shown on screen: the code a chapter shows is
// the code it runs.
//
//go:embed chapter_*.go
var sources embed.FS

var (
	parseOnce sync.Once
	decls     map[string]string // "recv.name" or "name" -> its source, doc comment included
	declErr   error
)

// code returns the source of the declarations a chapter shows.
func code(names []string) ([]string, error) {
	parseOnce.Do(parseSources)
	if declErr != nil {
		return nil, declErr
	}
	var out []string
	for i, n := range names {
		src, ok := decls[n]
		if !ok {
			return nil, fmt.Errorf("demo: no declaration %s in the chapters' source", n)
		}
		if i > 0 {
			out = append(out, "")
		}
		out = append(out, strings.Split(strings.ReplaceAll(src, "\t", "  "), "\n")...)
	}
	return out, nil
}

func parseSources() {
	decls = map[string]string{}
	files, err := sources.ReadDir(".")
	if err != nil {
		declErr = err
		return
	}
	for _, f := range files {
		b, err := sources.ReadFile(f.Name())
		if err != nil {
			declErr = err
			return
		}
		fset := token.NewFileSet()
		file, err := parser.ParseFile(fset, f.Name(), b, parser.ParseComments)
		if err != nil {
			declErr = err
			return
		}
		for _, d := range file.Decls {
			start := d.Pos()
			var name string
			switch d := d.(type) {
			case *ast.FuncDecl:
				name = d.Name.Name
				if d.Recv != nil && len(d.Recv.List) == 1 {
					t := d.Recv.List[0].Type
					if s, ok := t.(*ast.StarExpr); ok {
						t = s.X
					}
					if id, ok := t.(*ast.Ident); ok {
						name = id.Name + "." + name
					}
				}
				if d.Doc != nil {
					start = d.Doc.Pos()
				}
			case *ast.GenDecl:
				if len(d.Specs) != 1 {
					continue
				}
				ts, ok := d.Specs[0].(*ast.TypeSpec)
				if !ok {
					continue
				}
				name = ts.Name.Name
				if d.Doc != nil {
					start = d.Doc.Pos()
				}
			default:
				continue
			}
			decls[name] = string(b[fset.Position(start).Offset:fset.Position(d.End()).Offset])
		}
	}
}
