package filter

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/csvread/csvreadtest"
)

// cells writes a column's cells as text, missing ones as NA.
func cells(c frame.Column) string {
	out := make([]string, c.Len())
	for i := range out {
		out[i] = c.Text(i)
	}
	return strings.Join(out, "|")
}

func TestDerivedColumnsComputeEveryKind(t *testing.T) {
	df, _ := csvreadtest.Read(t, "city,temp,pop,when,wet\n"+
		"Seattle,12.5,700,2020-01-02,true\n"+
		"Spokane,NA,220,2021-06-30 13:45,false\n"+
		"san jose,25,1000,NA,NA\n"+
		"Ærø,-3,5,3/14/2015,true\n")
	table := frame.TableOf(df)
	for text, want := range map[string]string{
		"f = temp * 1.8 + 32":                      "54.5|NA|77|26.6",
		"p2 = pop * 2 - 1":                         "1399|439|1999|9",
		"half = pop / 2":                           "350|110|500|2.5",
		"neg = -pop + -(1)":                        "-701|-221|-1001|-6",
		"prec = 2 + 3 * 4 - (2 + 3) * 4":           "-6|-6|-6|-6",
		"hot = temp > 20":                          "false|NA|true|false",
		"both = temp > 0 and pop > 500":            "true|false|true|false",
		"either = temp > 20 or pop > 500":          "true|NA|true|false",
		"sure = temp > 100 and pop > 0":            "false|NA|false|false",
		"kleene = pop > 500 or temp > 0":           "true|NA|true|false",
		"not_hot = not temp > 20":                  "true|NA|false|true",
		"missing = temp is na":                     "false|true|false|false",
		"lo = lower(city)":                         "seattle|spokane|san jose|ærø",
		"up = upper(city)":                         "SEATTLE|SPOKANE|SAN JOSE|ÆRØ",
		"n = len(city)":                            "7|7|8|3",
		"sub = substr(city, 1, 3)":                 "eat|pok|an |rø",
		"tail = substr(city, -2, 5)":               "le|ne|se|rø",
		"has = contains(city, \"S\")":              "true|true|false|false",
		"anycase = city contains \"s\"":            "true|true|true|false",
		"re = city ~ \"^S\"":                       "true|true|false|false",
		"rep = replace(city, \"a\", \"4\")":        "Se4ttle|Spok4ne|s4n jose|Ærø",
		"y = year(when)":                           "2020|2021|NA|2015",
		"m = month(when)":                          "1|6|NA|3",
		"d = day(when)":                            "2|30|NA|14",
		"h = hour(when)":                           "0|13|NA|0",
		"wd = weekday(when)":                       "3|2|NA|5",
		"ytext = year(\"2019-05-06\")":             "2019|2019|2019|2019",
		"warm = if(temp > 20, \"warm\", \"cold\")": "cold|NA|warm|cold",
		"num = if(wet, pop, temp)":                 "700|NA|NA|5",
		"later = when > \"2020-06-01\"":            "false|true|NA|false",
		"name = city + \"!\"":                      "Seattle!|Spokane!|san jose!|Ærø!",
		"w2 = wet + 1":                             "2|1|NA|2",
		"`odd name` = pop":                         "700|220|1000|5",
		"pop * 10":                                 "7000|2200|10000|50",
		"zero = temp / 0":                          "+Inf|NA|+Inf|-Inf",
		"nan = (temp - temp) / 0":                  "NA|NA|NA|NA",
	} {
		d, err := CompileDerivation(text, table)
		if err != nil {
			t.Errorf("%s: %v", text, err)
			continue
		}
		if got := cells(d.Column()); got != want {
			t.Errorf("%s: %s, want %s", text, got, want)
		}
	}
}

func TestDerivedColumnTypesAndNames(t *testing.T) {
	df, _ := csvreadtest.Read(t, "a,b,s,d\n1,2.5,x,2020-01-02\n")
	table := frame.TableOf(df)
	for text, want := range map[string]string{
		"n = a + 1":                         "n int",
		"n = a / 1":                         "n float",
		"n = a * b":                         "n float",
		"n = a > 0":                         "n bool",
		"n = upper(s)":                      "n string",
		"n = if(a > 0, d, d)":               "n date",
		"a * 2":                             "a * 2 int",
		" `x y` = s":                        "x y string",
		"n = a == 1":                        "n bool",
		"d2 = if(a > 0, d, \"2001-01-01\")": "d2 date",
	} {
		d, err := CompileDerivation(text, table)
		if err != nil {
			t.Errorf("%s: %v", text, err)
			continue
		}
		if got := d.Name + " " + string(d.Type); got != want {
			t.Errorf("%s: %s, want %s", text, got, want)
		}
	}
	out, _, err := Derive("n = if(a < 0, d, \"2001-01-01 10:30\")", table)
	if err != nil || out.Ncol() != 5 || out.Text(0, 4) != "2001-01-01 10:30:00" {
		t.Errorf("a date column with a time: %v %v", err, out)
	}
}

func TestDerivedErrorsSayWhereAndWhat(t *testing.T) {
	df, _ := csvreadtest.Read(t, "city,pop,when\nSeattle,700,2020-01-02\n")
	table := frame.TableOf(df)
	for text, want := range map[string]string{
		"x = pop +":                 "derive: at column 10: expected a column, a number, a string, a function or ( , found the end",
		"x = popp * 2":              `at column 5: unknown column "popp" (columns: city, pop, when)`,
		"x = city * 2":              "at column 5: * takes numbers: city is text",
		"x = lower(pop)":            "at column 11: lower takes text: pop is a number",
		"x = substr(city, 1)":       "at column 5: substr takes 3 arguments, not 2",
		"x = sqrt(pop)":             "at column 5: unknown function sqrt",
		"x = if(pop, 1, 2)":         "at column 8: if's first argument is a condition: pop is a number",
		"x = if(pop > 1, 1, \"a\")": "at column 20: if's two values must be of one type",
		"x = when > \"soon\"":       `at column 12: "soon" is not a date, and when holds dates`,
		"x = (pop + 1":              "at column 13: expected ) to close the ( at column 5, found the end",
		"pop = 1":                   "at column 1: pop is already a column",
		"x = ":                      "at column 5: expected an expression after =",
		"":                          "empty expression",
		"x = pop 2":                 "at column 9: expected an operator or the end, found '2'",
		"x = year(pop)":             "at column 10: year takes a date: pop is a number",
		"x = city > 3":              "cannot compare city (text) with 3 (a number)",
		"x = pop and pop > 1":       "and takes a condition on each side: pop is a number",
		"x = substr(city, 1.5, 2)":  "substr's start and length are whole numbers: 1.5 is a fraction",
		"x = substr(city, -99999999999999999999, 2)": "-99999999999999999999 is past the integers' range",
		"x = city ~ \"(\"":                           "bad regular expression",
		"x = pop @ 2":                                `at column 9: unexpected character '@'`,
	} {
		_, err := CompileDerivation(text, table)
		var pe *ParseError
		if !errors.As(err, &pe) || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want it to contain %q", text, err, want)
		}
	}
	deep := "x = " + strings.Repeat("(", 100) + "1" + strings.Repeat(")", 100)
	if _, err := CompileDerivation(deep, table); err == nil || !strings.Contains(err.Error(), "nested more than 64 deep") {
		t.Errorf("100 parentheses: %v", err)
	}
	if _, err := CompileDerivation("x = "+strings.Repeat("-", 100)+"1", table); err == nil || !strings.Contains(err.Error(), "nested") {
		t.Errorf("100 minuses: %v", err)
	}
}

func TestDerivedNameReadsNameAndExpression(t *testing.T) {
	for text, want := range map[string]string{
		"f = temp * 2":       "f|temp * 2",
		"  `a b` =x":         "a b|x",
		"temp * 2":           "temp * 2|temp * 2",
		"weather == \"sun\"": "weather == \"sun\"|weather == \"sun\"",
		"x >= 3":             "x >= 3|x >= 3",
	} {
		name, at := DerivedName(text)
		if got := name + "|" + strings.TrimSpace(text[at:]); got != want {
			t.Errorf("%q: %s, want %s", text, got, want)
		}
	}
}

// FuzzCompileDerivation checks that no text makes the expression parser
// panic, and that a compiled column has a cell for every row.
func FuzzCompileDerivation(f *testing.F) {
	df, _ := csvreadtest.Read(f, "city,temp max,pop,when\nSeattle,12.5,700,2020-01-02\nSpokane,NA,220,NA\n")
	table := frame.TableOf(df)
	for _, s := range []string{"x = pop * 2", "if(`temp max` > 3, upper(city), lower(city))", "y = year(when) - 1",
		"substr(city, -2, 1) + replace(city, 'e', '')", "x = ((", "x = -(-pop) / 0", "not contains(city, 'S') or pop is na"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		d, err := CompileDerivation(text, table)
		if err != nil {
			return
		}
		if c := d.Column(); c.Len() != table.Nrow() {
			t.Fatalf("%q: %d cells for %d rows", text, c.Len(), table.Nrow())
		}
		_ = fmt.Sprint(d.Type)
	})
}

// A filter the filter grammar does not read is read as a condition over
// computed values; missing is not kept. Errors stay the filter's own.
func TestFilterTakesComputedConditions(t *testing.T) {
	df, _ := csvreadtest.Read(t, "city,hi,lo,when\nSeattle,12.5,3,2015-01-02\nSpokane,NA,2,2016-06-30\nsan jose,25,20,NA\nBoise,30,10,2015-12-31\n")
	for expr, want := range map[string]string{
		"hi - lo > 8":                             "[0 3]",
		"len(city) > 6 and lower(city) ~ '^s'":    "[0 1 2]",
		"year(when) = 2015":                       "[0 3]",
		"(hi + lo) / 2 >= 15 or city = 'Spokane'": "[1 2 3]",
		"if(hi > 20, 'hot', 'cold') = 'hot'":      "[2 3]",
	} {
		p, err := CompileFrame(expr, df)
		if err != nil {
			t.Errorf("%s: %v", expr, err)
			continue
		}
		if got := fmt.Sprint(p.Rows()); got != want {
			t.Errorf("%s: rows %s, want %s", expr, got, want)
		}
		if got, want := fmt.Sprint(p.Rows()), fmt.Sprint(matching(p, df.Nrow())); got != want {
			t.Errorf("%s: vector %s, row by row %s", expr, got, want)
		}
	}
	for expr, want := range map[string]string{
		"hi - lo":      "filter: at column",
		"hi - lox > 1": "filter: at column",
	} {
		if _, err := CompileFrame(expr, df); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", expr, err, want)
		}
	}
}

// The least int written as a literal is one (its digits alone are past
// the ints), so substr takes it as a start before the text's beginning.
func TestLeastIntLiteralIsAnInt(t *testing.T) {
	df, _ := csvreadtest.Read(t, "city\nSeattle\nÆrø\n")
	d, err := CompileDerivation(fmt.Sprintf("x = substr(city, %d, 2)", math.MinInt), frame.TableOf(df))
	if err != nil {
		t.Fatal(err)
	}
	if c := d.Column(); c.Strs[0] != "Se" || c.Strs[1] != "Ær" {
		t.Fatalf("substr from the least int: %q", c.Strs)
	}
}

// Int arithmetic past the ints is missing, never wrapped around, and the
// derivation says how many: max + 2 was -9223372036854775807.
func TestIntOverflowIsMissingAndCounted(t *testing.T) {
	half := math.MaxInt/2 + 1 // half * 2 is one past the ints
	df, _ := csvreadtest.Read(t, fmt.Sprintf("a,b\n%d,2\n%d,-1\n3,4\n%d,2\n", math.MaxInt, math.MinInt, half))
	table := frame.TableOf(df)
	for _, c := range []struct {
		text string
		want []any // NA for a missing cell
		lost string
	}{
		{"s = a + b", []any{"NA", "NA", 7, half + 2}, "2 int results were past the ints"},
		{"d = a - b", []any{math.MaxInt - 2, math.MinInt + 1, -1, half - 2}, ""},
		{"p = a * b", []any{"NA", "NA", 12, "NA"}, "3 int results were past the ints"},
		{"n = -a", []any{-math.MaxInt, "NA", -3, -half}, "1 int result was past the ints"},
		{"k = a * 0 + (b - b)", []any{0, 0, 0, 0}, ""},
	} {
		d, err := CompileDerivation(c.text, table)
		if err != nil {
			t.Fatal(err)
		}
		col := d.Column()
		for i, w := range c.want {
			var got any = "NA"
			if !col.NA(i) {
				got = col.Ints[i]
			}
			if got != w {
				t.Errorf("%s: row %d is %v, want %v", c.text, i, got, w)
			}
		}
		if d.Lost() != c.lost {
			t.Errorf("%s: Lost %q, want %q", c.text, d.Lost(), c.lost)
		}
	}
}
