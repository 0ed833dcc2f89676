package cache

import (
	"reflect"
	"unsafe"
)

// Entry sizes feed MaxBytes and Stats.Bytes. sizeOf estimates the memory a
// value holds: its own bytes plus everything reachable through pointers,
// slices (by capacity), maps, interfaces and strings, each shared pointer
// counted once. Like the copy plans, a size plan is compiled once per type
// and walks memory directly, so sizing a million-row frame takes
// milliseconds.
type sizeFn func(s *sizer, p unsafe.Pointer) int64 // bytes held beyond the value itself

type sizer struct {
	seen map[pathRef]bool // references counted already: shared memory counts once, cycles end
}

// first reports whether r is met for the first time, and marks it.
func (s *sizer) first(r pathRef) bool {
	if s.seen[r] {
		return false
	}
	if s.seen == nil {
		s.seen = map[pathRef]bool{}
	}
	s.seen[r] = true
	return true
}

var sizePlans plans[sizeFn]

func sizeOf(v any) int64 {
	if v == nil {
		return 0
	}
	if s, ok := v.(interface{ CacheBytes() int64 }); ok {
		return s.CacheBytes() // memory the walk cannot see, or need not
	}
	rv := reflect.ValueOf(v)
	t := rv.Type()
	plan := sizePlan(t)
	if plan == nil {
		return int64(t.Size())
	}
	var s sizer
	return int64(t.Size()) + plan(&s, valuePointer(rv))
}

func sizePlan(t reflect.Type) sizeFn {
	return sizePlans.get(t, func() sizeFn { return newSizeCompiler().compile(t) })
}

type sizeCompiler struct {
	rec *recursion[sizeFn]
}

func newSizeCompiler() *sizeCompiler {
	return &sizeCompiler{rec: newRecursion(func(cell *sizeFn) sizeFn {
		return func(s *sizer, p unsafe.Pointer) int64 {
			if *cell == nil {
				return 0
			}
			return (*cell)(s, p)
		}
	})}
}

func (b *sizeCompiler) compile(t reflect.Type) sizeFn {
	if fn, ok := sizePlans.done.Load(t); ok {
		return fn.(sizeFn)
	}
	return b.rec.compile(t, func() sizeFn { return b.compileUncached(t) })
}

func (b *sizeCompiler) compileUncached(t reflect.Type) sizeFn {
	if isTime(t) {
		return nil // its Location is shared by every time in it, not held
	}
	switch t.Kind() {
	case reflect.String:
		return func(_ *sizer, p unsafe.Pointer) int64 { return int64(len(*(*string)(p))) }
	case reflect.Array:
		elem := b.compile(t.Elem())
		if elem == nil {
			return nil
		}
		size, n := t.Elem().Size(), t.Len()
		return func(s *sizer, p unsafe.Pointer) int64 {
			var total int64
			for i := 0; i < n; i++ {
				total += elem(s, unsafe.Add(p, uintptr(i)*size))
			}
			return total
		}
	case reflect.Struct:
		return b.structPlan(t)
	case reflect.Slice:
		elem := b.compile(t.Elem())
		size := t.Elem().Size()
		return func(s *sizer, p unsafe.Pointer) int64 {
			h := (*sliceHeader)(p)
			if elem != nil && h.len > 0 && !s.first(pathRef{h.data, t, h.len}) {
				return 0
			}
			total := int64(h.cap) * int64(size)
			if elem != nil {
				for i := 0; i < h.len; i++ {
					total += elem(s, unsafe.Add(h.data, uintptr(i)*size))
				}
			}
			return total
		}
	case reflect.Pointer:
		et := t.Elem()
		elem := b.compile(et)
		return func(s *sizer, p unsafe.Pointer) int64 {
			target := *(*unsafe.Pointer)(p)
			if target == nil || !s.first(pathRef{target, t, 0}) {
				return 0
			}
			total := int64(et.Size())
			if elem != nil {
				total += elem(s, target)
			}
			return total
		}
	case reflect.Map:
		return func(s *sizer, p unsafe.Pointer) int64 {
			m := reflect.NewAt(t, p).Elem()
			if m.Len() == 0 || !s.first(pathRef{*(*unsafe.Pointer)(p), t, 0}) {
				return 0
			}
			// Buckets hold keys and values inline, with about half again in overhead.
			total := int64(m.Len()) * int64(t.Key().Size()+t.Elem().Size()) * 3 / 2
			kp, vp := sizePlan(t.Key()), sizePlan(t.Elem())
			if kp == nil && vp == nil {
				return total
			}
			iter := m.MapRange()
			for iter.Next() {
				if kp != nil {
					total += kp(s, valuePointer(iter.Key()))
				}
				if vp != nil {
					total += vp(s, valuePointer(iter.Value()))
				}
			}
			return total
		}
	case reflect.Interface:
		return func(s *sizer, p unsafe.Pointer) int64 {
			v := reflect.NewAt(t, p).Elem()
			if v.IsNil() {
				return 0
			}
			dyn := v.Elem()
			total := int64(dyn.Type().Size())
			if plan := sizePlan(dyn.Type()); plan != nil {
				total += plan(s, valuePointer(dyn))
			}
			return total
		}
	}
	return nil // numbers, bools, and chans/funcs, whose insides are not ours to count
}

func (b *sizeCompiler) structPlan(t reflect.Type) sizeFn {
	type field struct {
		off  uintptr
		plan sizeFn
	}
	var fields []field
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if p := b.compile(f.Type); p != nil {
			fields = append(fields, field{f.Offset, p})
		}
	}
	if len(fields) == 0 {
		return nil
	}
	return func(s *sizer, p unsafe.Pointer) int64 {
		var total int64
		for _, f := range fields {
			total += f.plan(s, unsafe.Add(p, f.off))
		}
		return total
	}
}
