package ui

import (
	"fmt"
	"strings"

	"github.com/hitmiss/hitmiss/loaders"
)

// editedSuffix marks load_csv's Version while # has "edited" its code.
const editedSuffix = "+edited"

// liveCommands are the keys that act on the open dataset's entries, as
// the talk's chapters do (hitmiss demo): # edits load_csv's code (bumps its
// Version; # again edits it back), B breaks the shared dataset_model (its
// load leaves the cache, so Validate fails on its next hit), D clears the
// open dataset's dataset_model entry only (one argument, st: f.clear(arg)).
// They act on the last rerun's dataset, whose key the page holds, so no
// file is read here; they work wherever the focus is.
func liveCommands(k KeyMap) commandTable {
	live := func(act liveAct) func(s *scope) intent {
		return func(s *scope) intent { return liveKey(s, act) }
	}
	return commandTable{title: "the talk's live keys", anyFocus: true, commands: []command{
		{key: k.BumpVersion, views: everyView, run: live(bumpVersion)},
		{key: k.BreakShared, views: everyView, run: live(breakShared)},
		{key: k.ClearEntry, views: everyView, run: live(clearEntry)},
	}}
}

// liveAct acts on src's entries; it returns the notice, naming the key.
type liveAct func(l *loaders.Loaders, src loaders.Source, label string) (key, notice string, err error)

// liveKey runs act on the open dataset's entries, tells the room, and
// reruns.
func liveKey(s *scope, act liveAct) intent {
	model := s.ctx.page.Model
	if s.q.Source == nil || model == nil {
		s.note.text = "open a dataset first: #, B and D act on its cache entries"
		return intent{}
	}
	src := model.Source
	label := Sanitize(src.Name())
	key, notice, err := act(s.ctx.Loaders, src, label)
	if err != nil {
		s.note.text = Sanitize(err.Error())
		return intent{}
	}
	s.note.text = notice
	s.tellLive(key, label)
	return rerunQuery()
}

// bumpVersion is #: load_csv's code "edited" (its Version bumped), or back.
func bumpVersion(l *loaders.Loaders, src loaders.Source, _ string) (string, string, error) {
	load := l.LoadFunc(src)
	v, was := load.Version(), "edited"
	if strings.HasSuffix(v, editedSuffix) {
		v, was = strings.TrimSuffix(v, editedSuffix), "back to the original"
	} else {
		v += editedSuffix
	}
	if err := load.SetVersion(v); err != nil {
		return "#", "", err
	}
	return "#", fmt.Sprintf("%s's code %s (#): Version %q; # again goes back, and hits", load.Name(), was, v), nil
}

// breakShared is B: the load under the shared dataset_model leaves the
// cache, so the model's Validate fails on its next hit.
func breakShared(l *loaders.Loaders, src loaders.Source, label string) (string, string, error) {
	if err := l.LoadFunc(src).ClearArg(src); err != nil {
		return "B", "", err
	}
	return "B", fmt.Sprintf("broke dataset_model(%s) (B): its load left the cache, so Validate fails on its next hit: invalidated, recomputed", label), nil
}

// clearEntry is D: the open dataset's dataset_model entry, alone.
func clearEntry(l *loaders.Loaders, src loaders.Source, label string) (string, string, error) {
	if err := l.Model.ClearArg(src); err != nil {
		return "D", "", err
	}
	return "D", fmt.Sprintf("cleared dataset_model(%s) only (D): the other datasets keep their entries", label), nil
}
