package ui

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/hitmiss/hitmiss/loaders/export"
	"github.com/hitmiss/hitmiss/loaders/recipe"
)

// ctrl+s saves the view shown as a recipe (package loaders/recipe): the
// types set, the derived columns, the filter, the sort and the columns
// shown, in their order. hitmiss FILE --recipe R and hitmiss export FILE
// --recipe R replay it on any file with those columns, through the same
// cached steps. Marks are not saved: they are rows of this file.

// recipeSavedMsg says how a save went.
type recipeSavedMsg struct {
	path string
	err  error
	left string // what the view asked for and does not show, left out
}

// recipeCommands is ctrl+s.
func recipeCommands(k KeyMap) commandTable {
	return commandTable{title: "recipes", commands: []command{
		{key: k.SaveRecipe, views: dataViews, run: askRecipe},
	}}
}

// askRecipe is ctrl+s: the prompt for the recipe's file.
func askRecipe(s *scope) intent {
	if s.remote {
		s.note.text = "saving a recipe is off in hitmiss serve: the server's files are not yours to write"
		return intent{}
	}
	if !s.ctx.page.Ready(*s.q) {
		s.waitNotice("saving a recipe")
		return intent{}
	}
	name := s.q.Source.Name()
	base := strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	s.prompt.open(promptRecipe, "save recipe to: ", base+".recipe.json", saveRecipe)
	return intent{}
}

// viewRecipe is the recipe of the view shown, and what of the view asked
// for it leaves out: a derived column that failed (and those after it,
// which were not applied) and a filter that failed are not shown, so not
// saved, or the recipe would fail where it is replayed.
func (s *scope) viewRecipe() (r recipe.Recipe, left string) {
	p := s.ctx.page
	names := p.Frame.Names()
	var columns []string
	if shown := s.views.table.cols.shownNames(names); !slices.Equal(shown, names) {
		columns = shown
	}
	derive, filter := s.q.Derive, s.q.Filter
	var out []string
	if p.DeriveErr != nil && p.DeriveAt < len(derive) {
		for _, d := range derive[p.DeriveAt:] {
			out = append(out, fmt.Sprintf("derived column %q", d))
		}
		derive = derive[:p.DeriveAt]
	}
	if p.FilterErr != nil && filter != "" {
		out = append(out, fmt.Sprintf("filter %q", filter))
		filter = ""
	}
	return recipe.Of(s.q.Source.Name(), s.q.Types, derive, filter, s.q.Sort, columns), strings.Join(out, " and ")
}

// saveRecipe writes the recipe, asking before it replaces a file.
func saveRecipe(s *scope, path string) intent {
	path = strings.TrimSpace(path)
	if path == "" {
		s.note.text = "recipe not saved: no file name"
		return intent{}
	}
	if !s.ctx.page.Ready(*s.q) {
		s.note.text = "recipe: wait until the dataset has loaded"
		return intent{}
	}
	r, left := s.viewRecipe()
	data := r.Marshal()
	return askToReplace(s, path, "recipe %s: it is a directory", "recipe not saved: %s is left as it was", func(replace bool) intent {
		s.note.text = fmt.Sprintf("saving the recipe to %s…", Sanitize(path))
		return intent{cmd: func() tea.Msg {
			err := export.WriteFileAtomic(path, replace, func(w io.Writer) error {
				_, err := w.Write(data)
				return err
			})
			return recipeSavedMsg{path: path, err: err, left: left}
		}}
	})
}

// notice says how the save went, and how to replay it.
func (msg recipeSavedMsg) notice() string {
	if msg.err != nil {
		return Sanitize(fmt.Sprintf("recipe %s: %v", msg.path, msg.err))
	}
	if msg.left != "" {
		return Sanitize(fmt.Sprintf("saved the view to %s, without the %s that failed: hitmiss FILE --recipe %s replays it", msg.path, msg.left, msg.path))
	}
	return Sanitize(fmt.Sprintf("saved the view to %s: hitmiss FILE --recipe %s replays it", msg.path, msg.path))
}
