package loaders

import (
	"strconv"
	"strings"
)

// Stage names the rows a pipeline step reads: one dataset as one model
// holds it, filtered by Filter ("" keeps every row). Model is the model's
// generation, so a rebuilt model (after a clear, an expiry or an edited
// file) or a damaged one (the mutation demo) is a new key, and no result
// computed from an older frame is ever served for it.
type Stage struct {
	Source Source
	Model  uint64
	Filter string
	// Marked keeps, of the filter's rows, the marked ones only (the
	// marked rows' sheet): the Digest of _marks, "" for every row.
	Marked string

	_model *DatasetModel // what the step reads; not part of the key (Model stands for it)
	_marks Marks         // the rows Marked names
}

// StageOf is the stage of m's rows kept by filter.
func StageOf(m *DatasetModel, filter string) Stage {
	return Stage{Source: m.Source, Model: m.Generation(), Filter: filter, _model: m}
}

// CacheLabel names the call in cache events, the filter first and the
// dataset last (the part a narrow log cuts): describe(in="weather").
func (s Stage) CacheLabel() string {
	in := "in=" + strconv.Quote(s.Source.Name())
	if s.Marked != "" {
		in = "marked=" + strconv.Itoa(s._marks.Len()) + ", " + in
	}
	if s.Filter == "" {
		return in
	}
	return labelOf("where="+strconv.Quote(s.Filter), in)
}

func labelOf(parts ...string) string {
	return strings.Join(parts, ", ")
}
