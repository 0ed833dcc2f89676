package filter

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/csvread/csvreadtest"
	"github.com/hitmiss/hitmiss/loaders/loadertest"
)

func TestFilterLanguage(t *testing.T) {
	df, _ := csvreadtest.Read(t, "city,temp max,pop,state\nSeattle,12.5,700,WA\nSpokane,30,220,WA\nPortland,NA,650,OR\nSan Jose,25,1000,CA\n")
	for expr, want := range map[string]string{
		"pop > 500":                           "[0 2 3]",
		"pop >= 650 and state = 'WA'":         "[0]",
		`state == "WA" or state = "OR"`:       "[0 1 2]",
		"not (state = 'WA')":                  "[2 3]",
		"`temp max` > 20":                     "[1 3]",
		"`temp max` is na":                    "[2]",
		"`temp max` is not na and pop < 1000": "[0 1]",
		`city contains "SAN"`:                 "[3]",
		`city ~ "^S.*e$"`:                     "[0 1 3]",
		"pop != 700":                          "[1 2 3]",
		"`temp max` != 30":                    "[0 3]",
		"NOT pop < 300 AND (city ~ 'a')":      "[0 2 3]",
		"pop = -1 or 1 = 1":                   "[0 1 2 3]",
	} {
		p, err := CompileFrame(expr, df)
		if err != nil {
			t.Errorf("%s: %v", expr, err)
			continue
		}
		if got := fmt.Sprint(p.Rows()); got != want {
			t.Errorf("%s: rows %s, want %s", expr, got, want)
		}
	}
}

func TestFilterErrorsSayWhereAndWhat(t *testing.T) {
	df, _ := csvreadtest.Read(t, "city,pop\nSeattle,700\n")
	for expr, want := range map[string]string{
		"pop >":             "at column 6: expected a column, a number or a string after '>', found the end",
		"pop > 1 and":       "at column 12: expected a column, a number, a string, not or ( , found the end",
		"popp > 1":          `at column 1: unknown column "popp" (columns: city, pop)`,
		"city > 5":          `at column 1: cannot compare city (text) with 5 (a number)`,
		"(pop > 1":          "at column 9: expected ) to close the ( at column 1, found the end",
		"pop 5":             "at column 5: expected an operator (= != < <= > >= ~ contains is) after pop, found '5'",
		`city ~ "("`:        "at column 8: bad regular expression",
		`city = "open`:      "at column 8: string opened with \" is never closed",
		"":                  "empty filter",
		"pop > 1 pop":       "at column 9: expected and, or or the end, found 'pop'",
		"`city name` = 'x'": `unknown column "city name"`,
		"pop ! 3":           `at column 5: unknown operator "!"`,
	} {
		_, err := CompileFrame(expr, df)
		var pe *ParseError
		if !errors.As(err, &pe) || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want it to contain %q", expr, err, want)
		}
	}
}

func TestFilterBoundsNestingAndLength(t *testing.T) {
	df, _ := csvreadtest.Read(t, "city,pop\nSeattle,700\n")
	for name, expr := range map[string]string{
		"1M parentheses":  strings.Repeat("(", 1<<20) + "pop > 1" + strings.Repeat(")", 1<<20),
		"10M parentheses": strings.Repeat("(", 10<<20) + "pop > 1" + strings.Repeat(")", 10<<20),
		"65 nots":         strings.Repeat("not ", 65) + "pop > 1",
		"long":            "pop > 1" + strings.Repeat(" or pop > 1", 2000),
	} {
		_, err := CompileFrame(expr, df)
		var pe *ParseError
		if !errors.As(err, &pe) || !(strings.Contains(err.Error(), "nested more than 64 deep") || strings.Contains(err.Error(), "over the limit of 16.0 KiB")) {
			t.Errorf("%s: %.200v", name, err)
		}
	}
	ok := strings.Repeat("(", 63) + "pop > 1" + strings.Repeat(")", 63) + strings.Repeat(" or pop < 3", 1000)
	if p, err := CompileFrame(ok, df); err != nil || fmt.Sprint(p.Rows()) != "[0]" {
		t.Fatalf("63 levels and 1000 terms: %v", err)
	}
}

// TestFilterKernelsAgreeWithRows checks the vector evaluation against the
// row-by-row one, over several chunks of a frame with missing values,
// negative numbers, NaN-free floats and non-ASCII text.
func TestFilterKernelsAgreeWithRows(t *testing.T) {
	r := loadertest.NewRand()
	var b strings.Builder
	b.WriteString("i,f,s,flag\n")
	words := []string{"Seattle", "SAN JOSE", "san diego", "Ærø", "KELVIN", "\u212Aan", "", "NA"}
	for range 3*filterChunk + 17 {
		fmt.Fprintf(&b, "%d,%s,%s,%v\n", r.IntN(40)-20, []string{"1.5", "-2", "NA", "0", "3e1"}[r.IntN(5)], words[r.IntN(len(words))], r.IntN(2) == 0)
	}
	df, _ := csvreadtest.Read(t, b.String())
	tests := []string{"i > 3", "3 > i", "i = 0", "i != 0", "i <= -5", "i >= 19", "f < 1", "f == 30", "f != 0",
		"f is na", "s is not na", "i is na", `s contains "an"`, `s contains "KAN"`, `s contains "ær"`, `s contains ""`,
		`s ~ "^S"`, `s = "Seattle"`, `s < "b"`, "flag = 1", "not i > 0", "i > 0 and f > 0", "i > 18 and s contains 'san'",
		"i > -19 or f is na", "i < -19 or s = 'KELVIN'", "not (i > 0 or f < 0) and s is not na", "1 < 2", "i > f", `"a" contains "A"`,
		`s >= "SAN JOSE"`, `s > "SAN"`, `"m" > s`, `s = "absent"`, `s != "Ærø"`, `s <= "NA"`, `s ~ "an$"`}
	// The text column as one string a cell and coded (frame.Encoded).
	plain := frame.TableOf(df)
	cols := plain.Columns()
	for j, c := range cols {
		cols[j] = frame.Encoded(c)
	}
	coded := frame.NewTable(cols, plain.Nrow())
	if c, _ := coded.Column("s"); !c.Coded() {
		t.Fatal("column s is not coded")
	}
	for _, expr := range tests {
		p, err := CompileFrame(expr, df)
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		want := fmt.Sprint(matching(p, df.Nrow()))
		if got := fmt.Sprint(p.Rows()); got != want {
			t.Errorf("%s: vector and row evaluation differ", expr)
		}
		for form, tab := range map[string]*frame.Table{"plain": plain, "coded": coded} {
			p, err := Compile(expr, tab)
			if err != nil {
				t.Fatalf("%s (%s): %v", expr, form, err)
			}
			if got := fmt.Sprint(p.Rows()); got != want {
				t.Errorf("%s: the %s table's vector evaluation differs from the frame's rows", expr, form)
			}
			if got := fmt.Sprint(matching(p, df.Nrow())); got != want {
				t.Errorf("%s: the %s table's row evaluation differs from the frame's", expr, form)
			}
		}
	}
	// The ASCII fast path of contains agrees with lower-casing, also on text
	// that leaves ASCII after a match or before one.
	for _, s := range append(words, "San \u212Aelvin", "\u212Aelvin San", "Ærø an", "an Ærø") {
		for _, pat := range []string{"an", "AN", "s", "kan", "ø", "", "seattlex"} {
			if got, want := containsFold(pat)(s), strings.Contains(strings.ToLower(s), strings.ToLower(pat)); got != want {
				t.Errorf("containsFold(%q)(%q) = %v, want %v", pat, s, got, want)
			}
		}
	}
}

// A text column of dates compares with a date as a date, as it sorts: m/d/Y
// text compared as text put 2/10/2019 after 12/31/2019 (found by QA).
func TestFilterComparesDatesAsDates(t *testing.T) {
	df, _ := csvreadtest.Read(t, "when,iso,name\n12/31/2019,2019-12-31,a\n1/2/2020,2020-01-02,b\n2/10/2019,2019-02-10,c\n11/5/2020,2020-11-05,d\n3/1/2020,2020-03-01,e\nNA,NA,f\n")
	for expr, want := range map[string]string{
		`when > "12/31/2019"`:     "[1 3 4]",
		`when > "2019-12-31"`:     "[1 3 4]",
		`"2019-12-31" < when`:     "[1 3 4]",
		`when <= "2020-01-02"`:    "[0 1 2]",
		`when = "2020-03-01"`:     "[4]",
		`iso >= "3/1/2020"`:       "[3 4]",
		`name > "b"`:              "[2 3 4 5]", // not dates: text order
		`when != "12/31/2019"`:    "[1 2 3 4]",
		`iso < "2019-12-31 1:00"`: "[0 2]",
	} {
		p, err := CompileFrame(expr, df)
		if err != nil {
			t.Errorf("%s: %v", expr, err)
			continue
		}
		if got := fmt.Sprint(p.Rows()); got != want {
			t.Errorf("%s: rows %s, want %s", expr, got, want)
		}
	}
}

// A backtick in a name is written doubled inside backticks, and
// QuoteColumn writes every name so that the filter reads it back.
func TestFilterNamesWithBackticks(t *testing.T) {
	df, _ := csvreadtest.Read(t, "it`s,\"City, State\"\na,x\nb,y\n")
	for _, name := range []string{"it`s", "City, State"} {
		q, err := QuoteColumn(name)
		if err != nil {
			t.Fatal(err)
		}
		p, err := CompileFrame(q+` != "zz"`, df)
		if err != nil || len(p.Rows()) != 2 {
			t.Errorf("%s: %v", q, err)
		}
	}
}

// A test with a missing value is unknown, as in SQL, and so is its not:
// not keeps no row the test could not decide, through and, or and
// parentheses, for every kind of test and column; is na is never unknown.
// (Row 4's s is the text NA: in a text column the word is text.)
// The filter language agrees row for row with the derived columns'
// (conditionOf), which is three-valued.
func TestNotOfUnknownIsUnknown(t *testing.T) {
	df, _ := csvreadtest.Read(t, "n,s,d,b\n1,x,2020-01-05,true\nNA,y,NA,false\n3,,2020-01-07,NA\n4,x,2020-01-08,true\n,NA,2020-01-09,false\n")
	tab := frame.TableOf(df)
	for expr, want := range map[string]string{
		"not n > 2":                          "[0]",
		"not n = 1":                          "[2 3]",
		"n != 1":                             "[2 3]",
		`not d > "2020-01-06"`:               "[0]",
		`not s = "x"`:                        "[1 4]",
		`not s contains "x"`:                 "[1 4]",
		`not s ~ "^y"`:                       "[0 3 4]",
		"not (n > 2 or n < 2)":               "[]",
		"not (n > 2 and n < 4)":              "[0 3]",
		"not not n > 2":                      "[2 3]",
		"not n is na":                        "[0 2 3]",
		"not n is not na":                    "[1 4]",
		"not (n is na or n > 3)":             "[0 2]",
		`not (s = "x" and d > "2020-01-06")`: "[0 1 4]",
	} {
		p, err := Compile(expr, tab)
		if err != nil {
			t.Errorf("%s: %v", expr, err)
			continue
		}
		if got := fmt.Sprint(p.Rows()); got != want {
			t.Errorf("%s: rows %s, want %s", expr, got, want)
		}
		var byRow []int
		for i := range tab.Nrow() {
			if p.Match(i) {
				byRow = append(byRow, i)
			}
		}
		if got := fmt.Sprint(byRow); got != fmt.Sprint(p.Rows()) && !(got == "[]" && want == "[]") {
			t.Errorf("%s: Match keeps %s, Rows %v", expr, got, p.Rows())
		}
		if derived, ok := conditionOf(expr, tab); ok {
			var three []int
			for i := range tab.Nrow() {
				if derived.row(i) {
					three = append(three, i)
				}
			}
			if got := fmt.Sprint(three); got != want && !(three == nil && want == "[]") {
				t.Errorf("%s: the derived column keeps %s, the filter %s", expr, got, want)
			}
		}
	}
}
