package cache

import (
	"reflect"
	"sync"
)

// Hashing, copying and sizing each compile a plan per type with reflection,
// once, and then run it over raw memory. plans holds the logic they share:
// memoizing finished plans, and compiling recursive types (a list node
// pointing to a list node) without looping forever.

// plans memoizes finished plans of one kind, by key.
type plans[F any] struct {
	done sync.Map // key → F
}

// get returns the plan for key, compiling it with compile the first time.
func (p *plans[F]) get(key any, compile func() F) F {
	if fn, ok := p.done.Load(key); ok {
		return fn.(F)
	}
	actual, _ := p.done.LoadOrStore(key, compile())
	return actual.(F)
}

// recursion tracks the types whose plans are being built. While a type's
// plan is under construction, a reference to that type gets a forwarding
// plan (made by forward) that calls the finished plan through its cell.
type recursion[F any] struct {
	building map[reflect.Type]*F
	forward  func(cell *F) F
}

func newRecursion[F any](forward func(cell *F) F) *recursion[F] {
	return &recursion[F]{building: map[reflect.Type]*F{}, forward: forward}
}

// compile builds the plan for t with build, unless t is already being built.
func (r *recursion[F]) compile(t reflect.Type, build func() F) F {
	if cell, ok := r.building[t]; ok {
		return r.forward(cell)
	}
	cell := new(F)
	r.building[t] = cell
	*cell = build()
	delete(r.building, t)
	return *cell
}
