package loaders

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestFilterLanguage(t *testing.T) {
	df, _ := read(t, "city,temp max,pop,state\nSeattle,12.5,700,WA\nSpokane,30,220,WA\nPortland,NA,650,OR\nSan Jose,25,1000,CA\n")
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
		p, err := CompileFilter(expr, df)
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
	df, _ := read(t, "city,pop\nSeattle,700\n")
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
		_, err := CompileFilter(expr, df)
		var pe *ParseError
		if !errors.As(err, &pe) || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want it to contain %q", expr, err, want)
		}
	}
}

func TestFilterBoundsNestingAndLength(t *testing.T) {
	df, _ := read(t, "city,pop\nSeattle,700\n")
	for name, expr := range map[string]string{
		"1M parentheses":  strings.Repeat("(", 1<<20) + "pop > 1" + strings.Repeat(")", 1<<20),
		"10M parentheses": strings.Repeat("(", 10<<20) + "pop > 1" + strings.Repeat(")", 10<<20),
		"65 nots":         strings.Repeat("not ", 65) + "pop > 1",
		"long":            "pop > 1" + strings.Repeat(" or pop > 1", 2000),
	} {
		_, err := CompileFilter(expr, df)
		var pe *ParseError
		if !errors.As(err, &pe) || !(strings.Contains(err.Error(), "nested more than 64 deep") || strings.Contains(err.Error(), "over the limit of 16.0 KiB")) {
			t.Errorf("%s: %.200v", name, err)
		}
	}
	ok := strings.Repeat("(", 63) + "pop > 1" + strings.Repeat(")", 63) + strings.Repeat(" or pop < 3", 1000)
	if p, err := CompileFilter(ok, df); err != nil || fmt.Sprint(p.Rows()) != "[0]" {
		t.Fatalf("63 levels and 1000 terms: %v", err)
	}
}
