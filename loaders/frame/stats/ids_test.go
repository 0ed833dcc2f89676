package stats

import (
	"fmt"
	"maps"
	"strings"
	"testing"

	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders/frame"
)

// textForms is a text column held both ways a reader may hold it: a
// string a cell, and coded (frame.Encoded).
func textForms(c frame.Column) map[string]frame.Column {
	return map[string]frame.Column{"plain": c, "coded": frame.Encoded(c)}
}

// Ids number values in order of first appearance across the chunks the
// cores take, equal text gets one id whether or not its bytes are shared,
// and missing cells get none.
func TestTextIDsAcrossChunks(t *testing.T) {
	const n = 3*65536 + 7
	vals := make([]string, n)
	nas := make([]bool, n)
	shared := []string{"b", "a", "c"}
	for i := range vals {
		switch {
		case i%11 == 0:
			nas[i] = true
		case i%5 == 0:
			vals[i] = strings.Clone(fmt.Sprint("v", i%13)) // equal text, bytes of its own
		default:
			vals[i] = shared[(i/70000)%3]
		}
	}
	plain := frame.Column{Type: series.String, Strs: vals, NAs: nas}
	for form, col := range textForms(plain) {
		ids, values := TextIDs(col)
		seen := map[string]uint32{}
		var order []string
		for i, v := range vals {
			if nas[i] {
				if ids[i] != missingID {
					t.Fatalf(form+": cell %d is missing, id %d", i, ids[i])
				}
				continue
			}
			id, ok := seen[v]
			if !ok {
				id = uint32(len(order))
				seen[v] = id
				order = append(order, v)
			}
			if ids[i] != id || values[ids[i]] != v {
				t.Fatalf(form+": cell %d (%q): id %d, want %d", i, v, ids[i], id)
			}
		}
		if fmt.Sprint(values) != fmt.Sprint(order) {
			t.Errorf(form+": values %v, want %v", values, order)
		}
	}
}

func TestParseAggs(t *testing.T) {
	aggs, err := ParseAggs("mean(delay), count() ,MAX(distance),count(origin)")
	if err != nil || fmt.Sprint(aggs) != "[{mean delay} {count } {max distance} {count origin}]" {
		t.Errorf("got %v, %v", aggs, err)
	}
	quoted, err := ParseAggs("mean(`adjusted CO2`) , max( `a,b)` ),distinct(`x``y`)")
	if err != nil || fmt.Sprint(quoted) != "[{mean adjusted CO2} {max a,b)} {distinct x`y}]" {
		t.Errorf("names in backticks: got %v, %v", quoted, err)
	}
	for _, bad := range []string{"mean", "mean()", "mode(x)", "median()", "sum(x)y", "", "mean(`x)", "mean(`x` y)", "count(),"} {
		if _, err := ParseAggs(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// stringCounts counts each value as a map over every cell does, whether
// equal values share one string or not, across parts, with missing cells.
func TestStringCountsAgreeWithAMap(t *testing.T) {
	n := 200_000
	shared := []string{"SAN", "LAS", "PHX", "", "a longer value"}
	vals := make([]string, n)
	nas := make([]bool, n)
	for i := range vals {
		switch i % 7 {
		case 0:
			vals[i] = string([]byte(shared[i%5])) // a copy: another address
		case 3:
			nas[i] = true
		default:
			vals[i] = shared[(i/7)%5]
		}
	}
	want := map[string]int{}
	wantNA := 0
	for i, v := range vals {
		if nas[i] {
			wantNA++
		} else {
			want[v]++
		}
	}
	plain := frame.Column{Type: series.String, Strs: vals, NAs: nas}
	for form, col := range textForms(plain) {
		parts, na := stringCounts(col)
		got := map[string]int{}
		for _, p := range parts {
			for v, k := range p {
				got[v] += k
			}
		}
		if na != wantNA || !maps.Equal(got, want) {
			t.Fatalf(form+": stringCounts = %v, %d missing; want %v, %d", got, na, want, wantNA)
		}
	}
}

// A text column summarizes alike held as strings or coded: the count,
// the distinct values, the most frequent (the first to appear of a tie)
// and the range of its dates.
func TestSummarizeTextAlikeCodedOrNot(t *testing.T) {
	vals := []string{"b", "a", "", "2001-01-02", "a", "b", "c", "1/1/2001", "c"}
	nas := make([]bool, len(vals))
	nas[2] = true
	plain := frame.Column{Name: "t", Type: series.String, Strs: vals, NAs: nas}
	want := fmt.Sprintf("%+v", summarize(plain))
	for form, c := range textForms(plain) {
		if got := fmt.Sprintf("%+v", summarize(c)); got != want {
			t.Errorf("%s: %s, as strings %s", form, got, want)
		}
	}
	if s := summarize(frame.Encoded(plain)); s.Top != "b" || s.Freq != 2 || s.Unique != 5 || s.Count != 8 {
		t.Errorf("top %q ×%d, %d distinct of %d: want b ×2 (first of the tie), 5 of 8", s.Top, s.Freq, s.Unique, s.Count)
	}
}
