package csvread

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// A text column whose values repeat is read as codes into one sorted
// dictionary; one whose values turn out mostly unique is read as strings,
// the spans coded before it flipped included; either way every cell reads
// back as the file wrote it, missing cells missing.
func TestTextColumnsAreCodedWhileTheyRepeat(t *testing.T) {
	defer smallBlocks(4096)()
	const n = 20000
	airports := []string{"SJC", "LAS", "ABQ", "BUR", "a longer airport name"}
	want := map[string][]string{}
	var b strings.Builder
	b.WriteString("code,id,mixed,tok\n")
	for i := range n {
		row := []string{
			airports[i*7%len(airports)],
			fmt.Sprintf("id-%d", i),
			fmt.Sprintf("m%d", i%3),
			[]string{"x", "None", "", "y"}[i%4],
		}
		if i >= 3000 {
			row[2] = fmt.Sprintf("unique-%d", i)
		}
		if i%13 == 0 {
			row[0] = "" // missing
		}
		for j, name := range []string{"code", "id", "mixed", "tok"} {
			want[name] = append(want[name], row[j])
		}
		b.WriteString(strings.Join(row, ",") + "\n")
	}
	for _, workers := range []int{1, 2, 4} {
		tab, err := ReadTable(context.Background(), strings.NewReader(b.String()), WithWorkers(workers))
		if err != nil {
			t.Fatal(err)
		}
		for name, cells := range want {
			c, ok := tab.Column(name)
			if !ok {
				t.Fatalf("no column %s", name)
			}
			for i, s := range cells {
				missing := s == ""
				if c.NA(i) != missing || !missing && c.Str(i) != s {
					t.Fatalf("%d workers: %s[%d] = %q (missing %v), the file says %q", workers, name, i, c.Str(i), c.NA(i), s)
				}
			}
			if c.Coded() && (!slices.IsSorted(c.Dict) || len(slices.Compact(slices.Clone(c.Dict))) != len(c.Dict)) {
				t.Errorf("%d workers: %s's dictionary is not sorted and distinct: %q", workers, name, c.Dict)
			}
		}
		for name, coded := range map[string]bool{"code": true, "tok": true, "id": false, "mixed": false} {
			if c, _ := tab.Column(name); c.Coded() != coded {
				t.Errorf("%d workers: column %s coded %v, want %v", workers, name, c.Coded(), coded)
			}
		}
	}
}

// WithColumns reads only the columns named, as a whole read has them; a
// name the header does not hold reads every column.
func TestWithColumnsReadsOnlyThoseNamed(t *testing.T) {
	text := "a,b,a,c\n1,x,2,2001-01-02\n3,y,4\n5,,6,N/A\n"
	whole, err := ReadTable(context.Background(), strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	for _, names := range [][]string{{"b"}, {"a_2", "c"}, {"c", "a"}} {
		part, err := ReadTable(context.Background(), strings.NewReader(text), WithColumns(names...))
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, n := range whole.Names() {
			if slices.Contains(names, n) {
				want = append(want, n)
			}
		}
		if !slices.Equal(part.Names(), want) || part.Nrow() != whole.Nrow() {
			t.Fatalf("WithColumns(%q): columns %q, %d rows; want %q, %d", names, part.Names(), part.Nrow(), want, whole.Nrow())
		}
		for _, n := range want {
			c, _ := part.Column(n)
			w, _ := whole.Column(n)
			if c.Type != w.Type {
				t.Fatalf("%s: %s, a whole read makes it %s", n, c.Type, w.Type)
			}
			for i := range w.Len() {
				if c.NA(i) != w.NA(i) || c.Text(i) != w.Text(i) {
					t.Fatalf("%s[%d]: %q, a whole read has %q", n, i, c.Text(i), w.Text(i))
				}
			}
		}
	}
	all, err := ReadTable(context.Background(), strings.NewReader(text), WithColumns("b", "nope"))
	if err != nil || !slices.Equal(all.Names(), whole.Names()) {
		t.Fatalf("a name not in the header: %v, %q", err, all.Names())
	}
}
