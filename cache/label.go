package cache

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unicode"
)

// labelBudget bounds how much of an argument a readable key shows. The
// formatter stops walking once the budget is spent, so a million-row
// argument costs no more to label than a small one.
const labelBudget = 60

// callLabel renders a call as name(arg) for events and the UI. An argument
// with a CacheLabel() string method names itself (as CacheKey keys itself),
// for readable named arguments: value_counts(column="temp_max").
func callLabel(name string, arg reflect.Value) string {
	if arg.CanInterface() {
		if l, ok := arg.Interface().(interface{ CacheLabel() string }); ok {
			if s, ok := safeLabel(l); ok {
				return name + "(" + sanitizeLabel(s) + ")"
			}
		}
	}
	return name + "(" + shortLabel(arg) + ")"
}

// ownLabelBudget bounds a CacheLabel: longer than the walked labels, since
// the type chose what to show, but still bounded.
const ownLabelBudget = 4 * labelBudget

// safeLabel calls CacheLabel, treating a panic as no label, and cuts what
// is over ownLabelBudget on a rune boundary.
func safeLabel(l interface{ CacheLabel() string }) (s string, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	s = l.CacheLabel()
	if len(s) > ownLabelBudget {
		cut := 0
		for i := range s {
			if i > ownLabelBudget {
				break
			}
			cut = i
		}
		s = s[:cut] + "…"
	}
	return s, true
}

// shortLabel renders v compactly: strings quoted, structs as {a b}, long
// values cut with an ellipsis, control characters escaped.
func shortLabel(v reflect.Value) string {
	lw := &labelWriter{budget: labelBudget}
	lw.value(v, 0)
	s := lw.b.String()
	if lw.cut {
		s += "…"
	}
	return s
}

type labelWriter struct {
	b      strings.Builder
	budget int
	cut    bool
}

func (lw *labelWriter) write(s string) bool {
	if lw.cut {
		return false
	}
	if len(s) > lw.budget {
		// cut on a rune boundary
		n := 0
		for i := range s {
			if i > lw.budget {
				break
			}
			n = i
		}
		lw.b.WriteString(s[:n])
		lw.cut = true
		return false
	}
	lw.b.WriteString(s)
	lw.budget -= len(s)
	return true
}

var stringerType = reflect.TypeFor[fmt.Stringer]()

func (lw *labelWriter) value(v reflect.Value, depth int) {
	if lw.cut {
		return
	}
	if !v.IsValid() {
		lw.write("nil")
		return
	}
	if depth > 4 {
		lw.write("…")
		return
	}
	if v.Type() == timeType && v.CanInterface() {
		lw.write(v.Interface().(fmt.Stringer).String())
		return
	}
	switch v.Kind() {
	case reflect.String:
		lw.quoted(v.String())
	case reflect.Bool:
		lw.write(strconv.FormatBool(v.Bool()))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		lw.write(strconv.FormatInt(v.Int(), 10))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		lw.write(strconv.FormatUint(v.Uint(), 10))
	case reflect.Float32, reflect.Float64:
		lw.write(strconv.FormatFloat(v.Float(), 'g', -1, 64))
	case reflect.Pointer:
		if v.IsNil() {
			lw.write("nil")
			return
		}
		lw.write("&")
		lw.value(v.Elem(), depth+1)
	case reflect.Interface:
		if v.IsNil() {
			lw.write("nil")
			return
		}
		lw.value(v.Elem(), depth+1)
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			lw.write("[]")
			return
		}
		lw.write("[")
		for i := 0; i < v.Len() && !lw.cut; i++ {
			if i > 0 {
				lw.write(" ")
			}
			lw.value(v.Index(i), depth+1)
		}
		lw.write("]")
	case reflect.Map:
		lw.write(fmt.Sprintf("map[%d]", v.Len()))
	case reflect.Struct:
		lw.structValue(v, depth)
	default:
		lw.write(v.Type().String())
	}
}

func (lw *labelWriter) structValue(v reflect.Value, depth int) {
	t := v.Type()
	if v.CanInterface() && t.Implements(stringerType) {
		if s, ok := safeString(v); ok {
			lw.quoted(s) // a Stringer's text reads like a string argument
			return
		}
	}
	lw.write("{")
	first := true
	for i := 0; i < t.NumField() && !lw.cut; i++ {
		f := t.Field(i)
		if excluded(f) {
			continue
		}
		if !first {
			lw.write(" ")
		}
		first = false
		lw.write(f.Name + ":")
		lw.value(v.Field(i), depth+1)
	}
	lw.write("}")
}

// quoted writes s quoted, quoting only the part the budget can show: a
// 100 MiB argument costs what 60 bytes cost.
func (lw *labelWriter) quoted(s string) {
	if len(s) > lw.budget {
		n := 0
		for i := range s {
			if i > lw.budget {
				break
			}
			n = i
		}
		lw.write(sanitizeLabel(strconv.Quote(s[:n])))
		lw.cut = true
		return
	}
	lw.write(sanitizeLabel(strconv.Quote(s)))
}

// safeString calls String on v, treating a panic as no label.
func safeString(v reflect.Value) (s string, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return v.Interface().(fmt.Stringer).String(), true
}

// sanitizeLabel keeps labels on one line and free of terminal control codes.
func sanitizeLabel(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}
