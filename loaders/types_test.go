package loaders

import (
	"context"
	"slices"
	"testing"

	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders/frame"
)

// columnTexts is a column's cells in rows' order, as text.
func columnTexts(m *DatasetModel, rows frame.RowSet, col string) []string {
	c, _ := m.Data().Column(col)
	out := make([]string, rows.Len())
	for i := range out {
		out[i] = c.Text(rows.Row(i))
	}
	return out
}

func TestDetectedDatesSortChronologically(t *testing.T) {
	l, _ := pipeline(t)
	m := fileModel(t, l, "d,iso\n12/1/2019,2020-01-02\n1/15/2020,2019-12-31\n2/3/2019,NA\nNA,2020-01-01\n")
	rows, err := l.SortRows.Get(context.Background(), SortArgs{Stage: StageOf(m, ""), Column: "d"})
	if err != nil {
		t.Fatal(err)
	}
	// As text, "12/1/2019" < "1/15/2020" < "2/3/2019" would be the order.
	if got, want := columnTexts(m, rows, "d"), []string{"2/3/2019", "12/1/2019", "1/15/2020", "NA"}; !slices.Equal(got, want) {
		t.Fatalf("sorted by d: %q, want %q (chronological, missing last)", got, want)
	}
	desc, _ := l.SortRows.Get(context.Background(), SortArgs{Stage: StageOf(m, ""), Column: "d", Desc: true})
	if got, want := columnTexts(m, desc, "d"), []string{"1/15/2020", "12/1/2019", "2/3/2019", "NA"}; !slices.Equal(got, want) {
		t.Fatalf("sorted by d descending: %q, want %q", got, want)
	}
	if m.TypeOf("d") != frame.TypeDate || m.TypeOf("iso") != frame.TypeDate {
		t.Errorf("types %s and %s, want date and date", m.TypeOf("d"), m.TypeOf("iso"))
	}
	// Multi-key sorting compares the same dates (Ranks).
	by, err := l.SortRowsBy.Get(context.Background(), SortKeysArgs{Stage: StageOf(m, ""), Keys: []SortKey{{Column: "d"}, {Column: "iso"}}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := columnTexts(m, by, "d"), []string{"2/3/2019", "12/1/2019", "1/15/2020", "NA"}; !slices.Equal(got, want) {
		t.Fatalf("sort_rows_by d,iso: %q, want %q", got, want)
	}
}

func TestTextThatIsNotAllDatesSortsAsText(t *testing.T) {
	l, _ := pipeline(t)
	m := fileModel(t, l, "d\n12/1/2019\nsoon\n2/3/2019\n")
	rows, _ := l.SortRows.Get(context.Background(), SortArgs{Stage: StageOf(m, ""), Column: "d"})
	if got, want := columnTexts(m, rows, "d"), []string{"12/1/2019", "2/3/2019", "soon"}; !slices.Equal(got, want) {
		t.Fatalf("sorted: %q, want %q", got, want)
	}
	if m.TypeOf("d") != frame.TypeString {
		t.Errorf("type %s, want string", m.TypeOf("d"))
	}
}

func TestSetTypesIsACachedModel(t *testing.T) {
	l, _ := pipeline(t)
	ctx := context.Background()
	m := fileModel(t, l, "a,b,c,d,e\n1,2.5,yes,3/4/2020 10:30,x\n2,3.0,no,2020-03-05,7\nx,NA,maybe,soon,8\n")
	types := []frame.TypeSpec{{Column: "a", Type: frame.TypeFloat}, {Column: "b", Type: frame.TypeInt}, {Column: "c", Type: frame.TypeBool}, {Column: "d", Type: frame.TypeDate}, {Column: "e", Type: frame.TypeInt}}
	typed, err := l.SetTypes.Get(ctx, TypesArgsOf(m, types))
	if err != nil {
		t.Fatal(err)
	}
	df := typed.Data()
	wantTypes := []series.Type{series.Float, series.Int, series.Bool, series.String, series.Int}
	if got := df.Types(); !slices.Equal(got, wantTypes) {
		t.Fatalf("types %v, want %v", got, wantTypes)
	}
	all := frame.AllRows(3)
	for col, want := range map[string][]string{
		"a": {"1", "2", "NA"},
		"b": {"NA", "3", "NA"}, // 2.5 is no int: missing, not rounded
		"c": {"true", "false", "NA"},
		"d": {"2020-03-04 10:30:00", "2020-03-05 00:00:00", "NA"},
		"e": {"NA", "7", "8"},
	} {
		if got := columnTexts(typed, all, col); !slices.Equal(got, want) {
			t.Errorf("%s as %s: %q, want %q", col, typed.TypeOf(col), got, want)
		}
	}
	for col, want := range map[string]int{"a": 1, "b": 1, "c": 1, "d": 1, "e": 1} {
		if got := typed.Unread(col); got != want {
			t.Errorf("%s: %d cells unread, want %d", col, got, want)
		}
	}
	if typed.TypeOf("d") != frame.TypeDate || m.TypeOf("b") != frame.TypeFloat {
		t.Errorf("typed d is %s, the base model's b is %s", typed.TypeOf("d"), m.TypeOf("b"))
	}
	again, _ := l.SetTypes.Get(ctx, TypesArgsOf(m, types))
	if again != typed || l.SetTypes.Stats().Hits != 1 {
		t.Fatal("set_types is a cached resource: the same call returns the same model")
	}
	if typed.Generation() == m.Generation() {
		t.Fatal("the typed model needs its own generation: steps after it are keyed by it")
	}
	// A filter reads the typed model: b is an int column there.
	rows, err := l.FilterRows.Get(ctx, FilterArgsOf(typed, "e > 7"))
	if err != nil || rows.Len() != 1 {
		t.Fatalf("filter e > 7 on the typed model: %d rows, %v", rows.Len(), err)
	}
	if _, err := l.SetTypes.Get(ctx, TypesArgsOf(m, []frame.TypeSpec{{Column: "nope", Type: frame.TypeInt}})); err == nil {
		t.Fatal("a type for a missing column must fail")
	}
}

func TestParseColumnType(t *testing.T) {
	for in, want := range map[string]frame.ColumnType{"INT": frame.TypeInt, "float": frame.TypeFloat, "text": frame.TypeString, "bool": frame.TypeBool, " date ": frame.TypeDate} {
		if got, err := frame.ParseColumnType(in); err != nil || got != want {
			t.Errorf("ParseColumnType(%q) = %s, %v", in, got, err)
		}
	}
	if _, err := frame.ParseColumnType("decimal"); err == nil {
		t.Error("decimal is no type")
	}
}
