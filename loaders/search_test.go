package loaders

import (
	"context"
	"testing"
)

func TestFindMatchesInShownOrder(t *testing.T) {
	l, _ := pipeline(t)
	ctx := context.Background()
	m := fileModel(t, l, "name,city\nann,Oslo\nbob,Rome\ncarl,Rotterdam\ndan,Paris\n")
	st := StageOf(m, "name != 'bob'")
	got, err := l.FindMatches.Get(ctx, MatchArgs{Stage: st, Sort: []SortKey{{Column: "name", Desc: true}}, Pattern: "^r|ann", Columns: []string{"city", "name"}})
	if err != nil {
		t.Fatal(err)
	}
	// Rows shown: dan, carl, ann (bob filtered out); columns city, name.
	want := [][2]int{{1, 0}, {2, 1}} // Rotterdam; ann
	if got.Len() != len(want) {
		t.Fatalf("%d matches, want %d", got.Len(), len(want))
	}
	for i, w := range want {
		if p, c := got.At(i); p != w[0] || c != w[1] {
			t.Errorf("match %d at (%d,%d), want %v", i, p, c, w)
		}
	}
	if i, wrapped, ok := got.Next(2, 1, true); !ok || !wrapped || i != 0 {
		t.Errorf("next after the last match: %d wrapped=%v ok=%v, want the first, wrapped", i, wrapped, ok)
	}
	if i, wrapped, _ := got.Next(0, 0, true); wrapped || i != 0 {
		t.Errorf("next from the top: %d wrapped=%v", i, wrapped)
	}
	if i, wrapped, _ := got.Next(1, 0, false); !wrapped || i != 1 {
		t.Errorf("previous from the first match: %d wrapped=%v, want the last, wrapped", i, wrapped)
	}
	if got.Index(2, 1) != 1 || got.Index(0, 0) != -1 {
		t.Error("Index")
	}
	if _, err := l.FindMatches.Get(ctx, MatchArgs{Stage: st, Pattern: "(", Columns: []string{"name"}}); err == nil {
		t.Fatal("a bad regular expression must fail")
	}
}

// Find reads a coded column's cells as their text, case ignored, as it
// reads a column of strings; a missing cell has no text (the table's NA is
// not its text), so "na" passes it and finds the text "NA".
func TestFindReadsCodedCellsAsText(t *testing.T) {
	l, _ := pipeline(t)
	m := fileModel(t, l, "code,n\nSJC,1\n,2\nLas,3\nSJC,4\nNA,5\n")
	if c, _ := m.Data().Column("code"); !c.Coded() {
		t.Fatal("column code is not coded")
	}
	for _, tc := range []struct {
		query    string
		row, col int
		found    bool
	}{{"las", 2, 0, true}, {"na", 4, 0, true}, {"sjc", 3, 0, true}, {"lax", 0, 0, false}} {
		row, col, ok := m.Find(tc.query, 0, 1, true)
		if ok != tc.found || ok && (row != tc.row || col != tc.col) {
			t.Errorf("Find(%q) from (0,1) = (%d,%d) %v, want (%d,%d) %v", tc.query, row, col, ok, tc.row, tc.col, tc.found)
		}
	}
	for _, s := range []string{"code,n\nSJC,1\n,2\nLas,3\nSJC,4\n", "code,n\nA,1\n,2\nB,3\n"} {
		m := fileModel(t, l, s)
		if row, col, ok := m.Find("na", 0, 1, true); ok {
			t.Errorf("Find(\"na\") in %q found the missing cell (%d,%d)", s, row, col)
		}
	}
}

// A regular expression never matches a missing cell: ^NA$ finds the text
// "NA" and not the empty cell the table shows as NA.
func TestFindMatchesPassesMissingCells(t *testing.T) {
	l, _ := pipeline(t)
	m := fileModel(t, l, "code,n\nNA,1\n,2\nx,3\n")
	got, err := l.FindMatches.Get(context.Background(), MatchArgs{Stage: StageOf(m, ""), Pattern: "^na$|^$", Columns: []string{"code", "n"}})
	if err != nil {
		t.Fatal(err)
	}
	if got.Len() != 1 {
		t.Fatalf("%d matches of ^na$|^$, want 1 (the text NA)", got.Len())
	}
	if p, c := got.At(0); p != 0 || c != 0 {
		t.Fatalf("match at (%d,%d), want (0,0)", p, c)
	}
}
