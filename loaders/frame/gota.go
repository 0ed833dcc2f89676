package frame

import (
	"fmt"
	"reflect"
	"unsafe"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
)

// gota's public constructors are slow for loading: series.New boxes every
// value into an interface (an allocation per float) and cannot mark a float
// as missing, and dataframe.New copies every column once more. The loader
// therefore builds gota's element arrays itself, in place, and assembles the
// Series and DataFrame around them: each series is built once.
//
// This depends on the memory layout of gota v0.12.0's unexported types:
//
//	type floatElement struct { e float64; nan bool }   // and int, string, bool alike
//	type Series struct { Name string; elements Elements; t Type; Err error }
//	type DataFrame struct { columns []series.Series; ncols, nrows int; Err error }
//
// gotaLayout checks that layout with reflection when the package starts. If
// a different gota is ever linked, direct construction is switched off and
// the slow public constructors are used instead, so results stay correct.

// Cell mirrors gota's xxxElement structs.
type Cell[T any] struct {
	V  T
	NA bool
}

type layout struct {
	ok            bool
	why           string
	elemsOffset   uintptr      // Series.elements
	typeOffset    uintptr      // Series.t
	elementsType  reflect.Type // the Elements interface
	sliceTypes    map[series.Type]reflect.Type
	columnsOffset uintptr // DataFrame.columns
	ncolsOffset   uintptr
	nrowsOffset   uintptr
}

var gotaLayout = checkLayout()

// GotaDirect reports whether frames are built directly in gota's memory
// layout, as this package knows it, rather than through gota's slower
// public constructors (the fallback when a different gota is linked).
func GotaDirect() bool { return gotaLayout.ok }

func checkLayout() (l layout) {
	defer func() {
		if r := recover(); r != nil {
			l = layout{why: fmt.Sprint(r)}
		}
	}()
	st := reflect.TypeFor[series.Series]()
	field := func(t reflect.Type, name string) reflect.StructField {
		f, ok := t.FieldByName(name)
		if !ok {
			panic(fmt.Sprintf("%s has no field %s", t, name))
		}
		return f
	}
	elems, typ := field(st, "elements"), field(st, "t")
	if typ.Type != reflect.TypeFor[series.Type]() || elems.Type.Kind() != reflect.Interface {
		return layout{why: "series.Series fields changed"}
	}
	l.elemsOffset, l.typeOffset, l.elementsType = elems.Offset, typ.Offset, elems.Type
	l.sliceTypes = map[series.Type]reflect.Type{}
	samples := map[series.Type]any{
		series.Int: []int{1}, series.Float: []float64{1}, series.String: []string{"a"}, series.Bool: []bool{true},
	}
	want := map[series.Type]reflect.Type{
		series.Int: reflect.TypeFor[Cell[int]](), series.Float: reflect.TypeFor[Cell[float64]](),
		series.String: reflect.TypeFor[Cell[string]](), series.Bool: reflect.TypeFor[Cell[bool]](),
	}
	for t, sample := range samples {
		s := series.New(sample, t, "x")
		st := reflect.ValueOf(s).FieldByIndex(elems.Index).Elem().Type()
		if st.Kind() != reflect.Slice || st.Elem().Kind() != reflect.Struct || st.Elem().NumField() != 2 {
			return layout{why: fmt.Sprintf("%s elements are %s", t, st)}
		}
		e, m := st.Elem(), want[t]
		for i := range 2 {
			if e.Field(i).Type != m.Field(i).Type || e.Field(i).Offset != m.Field(i).Offset {
				return layout{why: fmt.Sprintf("%s element layout changed", t)}
			}
		}
		if e.Size() != m.Size() {
			return layout{why: fmt.Sprintf("%s element size changed", t)}
		}
		l.sliceTypes[t] = st
	}
	dt := reflect.TypeFor[dataframe.DataFrame]()
	cols, nc, nr := field(dt, "columns"), field(dt, "ncols"), field(dt, "nrows")
	if cols.Type != reflect.TypeFor[[]series.Series]() || nc.Type.Kind() != reflect.Int || nr.Type.Kind() != reflect.Int {
		return layout{why: "dataframe.DataFrame fields changed"}
	}
	l.columnsOffset, l.ncolsOffset, l.nrowsOffset = cols.Offset, nc.Offset, nr.Offset
	l.ok = true
	return l
}

// seriesOf wraps filled cells in a Series without copying them.
func seriesOf(name string, t series.Type, elems reflect.Value) series.Series {
	s := series.Series{Name: name}
	p := unsafe.Pointer(&s)
	*(*series.Type)(unsafe.Add(p, gotaLayout.typeOffset)) = t
	reflect.NewAt(gotaLayout.elementsType, unsafe.Add(p, gotaLayout.elemsOffset)).Elem().Set(elems)
	return s
}

// FrameOf assembles a DataFrame around columns of equal length without
// copying them. Names must already be unique and non-empty.
func FrameOf(cols []series.Series, nrows int) dataframe.DataFrame {
	if !gotaLayout.ok {
		return dataframe.New(cols...)
	}
	var df dataframe.DataFrame
	p := unsafe.Pointer(&df)
	*(*[]series.Series)(unsafe.Add(p, gotaLayout.columnsOffset)) = cols
	*(*int)(unsafe.Add(p, gotaLayout.ncolsOffset)) = len(cols)
	*(*int)(unsafe.Add(p, gotaLayout.nrowsOffset)) = nrows
	return df
}

// cellsOf returns the cells of a series built by this package or by gota,
// for reading in place. ok is false when the layout is unknown.
func cellsOf[T any](s series.Series) ([]Cell[T], bool) {
	if !gotaLayout.ok {
		return nil, false
	}
	v := reflect.NewAt(gotaLayout.elementsType, unsafe.Add(unsafe.Pointer(&s), gotaLayout.elemsOffset)).Elem()
	if v.IsNil() {
		return nil, false
	}
	e := v.Elem()
	if e.Type() != gotaLayout.sliceTypes[s.Type()] || e.Type().Elem().Size() != unsafe.Sizeof(Cell[T]{}) {
		return nil, false
	}
	if e.Len() == 0 {
		return nil, true
	}
	return unsafe.Slice((*Cell[T])(e.UnsafePointer()), e.Len()), true
}

// WrapCells makes a Series of cells allocated by this package, without
// copying them: gota's element slice type has exactly cell[T]'s layout
// (checked by checkLayout), so the memory is reinterpreted, not converted.
func WrapCells[T any](name string, t series.Type, cells []Cell[T]) series.Series {
	if !gotaLayout.ok {
		vals := make([]any, len(cells))
		for i, c := range cells {
			if !c.NA {
				vals[i] = c.V
			}
		}
		return series.New(vals, t, name)
	}
	v := reflect.NewAt(gotaLayout.sliceTypes[t], unsafe.Pointer(&cells)).Elem()
	return seriesOf(name, t, v)
}

// colOf returns df's column named name without copying it (gota's Col
// copies the whole column on every call). The Series shares its cells with
// df: read it, do not change it.
func colOf(df dataframe.DataFrame, name string) series.Series {
	if !gotaLayout.ok || df.Err != nil {
		return df.Col(name)
	}
	cols := *(*[]series.Series)(unsafe.Add(unsafe.Pointer(&df), gotaLayout.columnsOffset))
	for _, s := range cols {
		if s.Name == name {
			return s
		}
	}
	return df.Col(name) // unknown: gota's error series
}
