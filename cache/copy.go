package cache

import (
	"fmt"
	"os"
	"reflect"
	"sync"
	"syscall"
	"unsafe"
)

// Data values are copied on every Get so that a caller's mutation never
// reaches the cache. A type that knows how to copy itself (gota's
// DataFrame.Copy, or any Clone/Copy method returning its own type) does it;
// anything else is copied structurally by a plan compiled once per type.
//
// copyFn fixes up dst, which already holds a bitwise copy of src, by
// replacing every reference it holds (pointer, slice, map, interface) with a
// fresh copy. Types with no references need no plan: assignment copies them.
type copyFn func(c *copier, dst, src unsafe.Pointer) error

type copier struct {
	seen map[pathRef]unsafe.Pointer // references already copied: shared stays shared, cycles terminate
}

// remember records that the reference r was copied to fresh.
func (c *copier) remember(r pathRef, fresh unsafe.Pointer) {
	if c.seen == nil {
		c.seen = map[pathRef]unsafe.Pointer{}
	}
	c.seen[r] = fresh
}

var copyPlans plans[copyFn]

// copyPlan returns the fix-up plan for t, or nil when a plain assignment is
// already a deep copy (no pointers, slices, maps or interfaces inside).
func copyPlan(t reflect.Type) copyFn {
	return copyPlans.get(t, func() copyFn { return newCopyCompiler().compile(t) })
}

type copyCompiler struct {
	rec *recursion[copyFn]
}

func newCopyCompiler() *copyCompiler {
	return &copyCompiler{rec: newRecursion(func(cell *copyFn) copyFn {
		return func(c *copier, dst, src unsafe.Pointer) error { return (*cell)(c, dst, src) }
	})}
}

func (b *copyCompiler) compile(t reflect.Type) copyFn {
	if fn, ok := copyPlans.done.Load(t); ok {
		return fn.(copyFn)
	}
	if isTime(t) || (!hasReferences(t, map[reflect.Type]bool{}) && !holdsHandle(t)) {
		return nil
	}
	return b.rec.compile(t, func() copyFn { return b.compileUncached(t) })
}

// hasReferences reports whether a value of t can share memory with its copy
// after a plain assignment. Strings are immutable and so never count.
//
// A time.Time counts as a value: its *Location is immutable and shared by
// design, so copying it would only cost allocations and break ==.
func hasReferences(t reflect.Type, visiting map[reflect.Type]bool) bool {
	if isTime(t) {
		return false
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface,
		reflect.Chan, reflect.Func, reflect.UnsafePointer:
		return true
	case reflect.Array:
		return t.Len() > 0 && hasReferences(t.Elem(), visiting)
	case reflect.Struct:
		if visiting[t] {
			return false
		}
		visiting[t] = true
		for i := 0; i < t.NumField(); i++ {
			if hasReferences(t.Field(i).Type, visiting) {
				return true
			}
		}
	}
	return false
}

// pointerFree reports whether t holds no pointers at all, strings included,
// so that its memory can live in a pointer-free allocation.
func pointerFree(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
		return true
	case reflect.Array:
		return pointerFree(t.Elem())
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			if !pointerFree(t.Field(i).Type) {
				return false
			}
		}
		return true
	}
	return false
}

func uncopyable(t reflect.Type) copyFn {
	return func(c *copier, dst, src unsafe.Pointer) error {
		if *(*unsafe.Pointer)(src) == nil {
			return nil // a nil func or chan copies as nil
		}
		return &UnserializableReturnValueError{Type: t}
	}
}

// isHandle reports whether values of t stand for something outside the
// value itself: an open file, a process, a connection or listener (anything
// with a SyscallConn method), a lock and its waiters. A copy would share the
// descriptor, which the original's owner may close and the system reuse for
// another file, or copy a held lock; so a Data value holding one cannot be
// copied, and belongs in a Resource.
func isHandle(t reflect.Type) bool {
	switch t {
	case reflect.TypeFor[os.File](), reflect.TypeFor[os.Process](),
		reflect.TypeFor[sync.Mutex](), reflect.TypeFor[sync.RWMutex](), reflect.TypeFor[sync.WaitGroup](),
		reflect.TypeFor[sync.Once](), reflect.TypeFor[sync.Cond]():
		return true
	}
	return t.Kind() == reflect.Struct && reflect.PointerTo(t).Implements(syscallConn)
}

var syscallConn = reflect.TypeFor[syscall.Conn]()

// holdsHandle reports whether t is a handle or holds one by value (in a
// field or an array); handles behind references are found by the plans.
func holdsHandle(t reflect.Type) bool {
	if isHandle(t) {
		return true
	}
	switch t.Kind() {
	case reflect.Array:
		return t.Len() > 0 && holdsHandle(t.Elem())
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			if holdsHandle(t.Field(i).Type) {
				return true
			}
		}
	}
	return false
}

func handlePlan(t reflect.Type) copyFn {
	return func(*copier, unsafe.Pointer, unsafe.Pointer) error {
		return &UnserializableReturnValueError{Type: t}
	}
}

func (b *copyCompiler) compileUncached(t reflect.Type) copyFn {
	if isHandle(t) {
		return handlePlan(t)
	}
	switch t.Kind() {
	case reflect.Chan, reflect.Func, reflect.UnsafePointer:
		return uncopyable(t)
	case reflect.Array:
		return b.arrayPlan(t)
	case reflect.Struct:
		return b.structPlan(t)
	case reflect.Pointer:
		return b.pointerPlan(t)
	case reflect.Slice:
		return b.slicePlan(t)
	case reflect.Map:
		return b.mapPlan(t)
	case reflect.Interface:
		return b.interfacePlan(t)
	}
	return nil
}

func (b *copyCompiler) arrayPlan(t reflect.Type) copyFn {
	elem := b.compile(t.Elem())
	size, n := t.Elem().Size(), t.Len()
	return func(c *copier, dst, src unsafe.Pointer) error {
		for i := 0; i < n; i++ {
			off := uintptr(i) * size
			if err := elem(c, unsafe.Add(dst, off), unsafe.Add(src, off)); err != nil {
				return pathErr(err, fmt.Sprintf("[%d]", i))
			}
		}
		return nil
	}
}

func (b *copyCompiler) structPlan(t reflect.Type) copyFn {
	type field struct {
		off  uintptr
		name string
		plan copyFn
	}
	var fields []field
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if p := b.compile(f.Type); p != nil {
			fields = append(fields, field{f.Offset, "." + f.Name, p})
		}
	}
	return func(c *copier, dst, src unsafe.Pointer) error {
		for _, f := range fields {
			if err := f.plan(c, unsafe.Add(dst, f.off), unsafe.Add(src, f.off)); err != nil {
				return pathErr(err, f.name)
			}
		}
		return nil
	}
}

func (b *copyCompiler) pointerPlan(t reflect.Type) copyFn {
	et := t.Elem()
	elem := b.compile(et)
	return func(c *copier, dst, src unsafe.Pointer) error {
		target := *(*unsafe.Pointer)(src)
		if target == nil {
			return nil
		}
		r := pathRef{target, t, 0}
		if done, ok := c.seen[r]; ok {
			*(*unsafe.Pointer)(dst) = done
			return nil
		}
		fresh := reflect.New(et)
		fresh.Elem().Set(reflect.NewAt(et, target).Elem())
		np := fresh.UnsafePointer()
		c.remember(r, np)
		*(*unsafe.Pointer)(dst) = np
		if elem != nil {
			if err := elem(c, np, target); err != nil {
				return pathErr(err, "")
			}
		}
		return nil
	}
}

func (b *copyCompiler) slicePlan(t reflect.Type) copyFn {
	et := t.Elem()
	elem := b.compile(et)
	size := et.Size()
	if pointerFree(et) {
		// Numbers and the like: one pointer-free allocation and a memmove,
		// without reflection.
		return func(_ *copier, dst, src unsafe.Pointer) error {
			h := (*sliceHeader)(src)
			if h.data == nil {
				return nil
			}
			n := uintptr(h.len) * size
			mem := make([]byte, max(n, 1))
			copy(mem, unsafe.Slice((*byte)(h.data), n))
			*(*sliceHeader)(dst) = sliceHeader{unsafe.Pointer(unsafe.SliceData(mem)), h.len, h.len}
			return nil
		}
	}
	return func(c *copier, dst, src unsafe.Pointer) error {
		s := reflect.NewAt(t, src).Elem()
		if s.IsNil() {
			return nil
		}
		h := (*sliceHeader)(src)
		r := pathRef{h.data, t, h.len}
		if elem != nil && h.len > 0 {
			// Elements may lead back to this very slice: copy it once.
			if done, ok := c.seen[r]; ok {
				*(*sliceHeader)(dst) = sliceHeader{done, h.len, h.len}
				return nil
			}
		}
		n := reflect.MakeSlice(t, s.Len(), s.Len())
		reflect.Copy(n, s)
		if elem != nil {
			dp, sp := n.UnsafePointer(), h.data
			if h.len > 0 {
				c.remember(r, dp)
			}
			for i := 0; i < s.Len(); i++ {
				off := uintptr(i) * size
				if err := elem(c, unsafe.Add(dp, off), unsafe.Add(sp, off)); err != nil {
					return pathErr(err, fmt.Sprintf("[%d]", i))
				}
			}
		}
		reflect.NewAt(t, dst).Elem().Set(n)
		return nil
	}
}

func (b *copyCompiler) mapPlan(t reflect.Type) copyFn {
	kt, vt := t.Key(), t.Elem()
	kplan, vplan := b.compile(kt), b.compile(vt)
	return func(c *copier, dst, src unsafe.Pointer) error {
		m := reflect.NewAt(t, src).Elem()
		if m.IsNil() {
			return nil
		}
		r := pathRef{*(*unsafe.Pointer)(src), t, 0}
		if done, ok := c.seen[r]; ok {
			*(*unsafe.Pointer)(dst) = done // a map met again, maybe holding itself
			return nil
		}
		n := reflect.MakeMapWithSize(t, m.Len())
		c.remember(r, n.UnsafePointer())
		iter := m.MapRange()
		for iter.Next() {
			k, err := copyReflect(c, kt, kplan, iter.Key())
			if err != nil {
				return pathErr(err, "[key]")
			}
			v, err := copyReflect(c, vt, vplan, iter.Value())
			if err != nil {
				return pathErr(err, fmt.Sprintf("[%s]", shortLabel(iter.Key())))
			}
			n.SetMapIndex(k, v)
		}
		reflect.NewAt(t, dst).Elem().Set(n)
		return nil
	}
}

// copyReflect deep-copies a value held in a reflect.Value that may not be
// addressable (a map key or element).
func copyReflect(c *copier, t reflect.Type, plan copyFn, v reflect.Value) (reflect.Value, error) {
	if plan == nil {
		return v, nil
	}
	srcBox := reflect.New(t)
	srcBox.Elem().Set(v)
	dstBox := reflect.New(t)
	dstBox.Elem().Set(v)
	err := plan(c, dstBox.UnsafePointer(), srcBox.UnsafePointer())
	return dstBox.Elem(), err
}

func (b *copyCompiler) interfacePlan(t reflect.Type) copyFn {
	return func(c *copier, dst, src unsafe.Pointer) error {
		v := reflect.NewAt(t, src).Elem()
		if v.IsNil() {
			return nil
		}
		dyn := v.Elem()
		out, err := copyReflect(c, dyn.Type(), copyPlan(dyn.Type()), dyn)
		if err != nil {
			return pathErr(err, fmt.Sprintf("(%s)", dyn.Type()))
		}
		reflect.NewAt(t, dst).Elem().Set(out)
		return nil
	}
}

// copier for one result type R, chosen once per Func: a Clone or Copy method
// when R has one, else the structural plan.
type valueCopier[R any] struct {
	self func(R) R // Clone/Copy method, or nil
	plan copyFn    // structural fix-up, or nil when assignment suffices
}

func newValueCopier[R any]() valueCopier[R] {
	var zero R
	switch any(zero).(type) {
	case interface{ Clone() R }:
		return valueCopier[R]{self: func(v R) R { return any(v).(interface{ Clone() R }).Clone() }}
	case interface{ Copy() R }:
		return valueCopier[R]{self: func(v R) R { return any(v).(interface{ Copy() R }).Copy() }}
	}
	t := reflect.TypeFor[R]()
	return valueCopier[R]{plan: copyPlan(t)}
}

// copy returns a value that shares no mutable memory with v.
func (vc valueCopier[R]) copy(v R) (out R, err error) {
	if vc.self != nil {
		defer func() {
			if r := recover(); r != nil {
				err = &UnserializableReturnValueError{Type: reflect.TypeFor[R](), Err: fmt.Errorf("copy method panicked: %v", r)}
			}
		}()
		return vc.self(v), nil
	}
	if vc.plan == nil {
		return v, nil
	}
	return vc.deepCopy(v)
}

// deepCopy runs the structural plan. It is a function of its own because
// the plan needs v and out on the heap; in copy they would escape even for
// types that need no plan.
func (vc valueCopier[R]) deepCopy(v R) (R, error) {
	fr := &copyFrame[R]{src: v, dst: v} // one allocation for all three
	if err := vc.plan(&fr.c, unsafe.Pointer(&fr.dst), unsafe.Pointer(&fr.src)); err != nil {
		var zero R
		return zero, err
	}
	return fr.dst, nil
}

type copyFrame[R any] struct {
	src, dst R
	c        copier
}
