package recipe

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"

	"github.com/hitmiss/hitmiss/loaders"
	"github.com/hitmiss/hitmiss/loaders/frame"
)

// A recipe written is the recipe read back, every field.
func TestRecipeRoundTrips(t *testing.T) {
	r := Of("seattle-weather", []frame.TypeSpec{{Column: "wind", Type: frame.TypeInt}},
		[]string{"f = temp_max * 1.8 + 32"}, "f > 68", []loaders.SortKey{{Column: "f", Desc: true}, {Column: "date"}},
		[]string{"date", "City, State", "f"})
	got, err := Parse(r.Marshal())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, r) {
		t.Fatalf("read back %+v, wrote %+v", got, r)
	}
	if !reflect.DeepEqual(got.TypeSpecs(), []frame.TypeSpec{{Column: "wind", Type: frame.TypeInt}}) ||
		!reflect.DeepEqual(got.SortKeys(), []loaders.SortKey{{Column: "f", Desc: true}, {Column: "date"}}) {
		t.Fatalf("types %v sort %v", got.TypeSpecs(), got.SortKeys())
	}
}

// What is not a recipe, or a recipe with a mistake, is refused with one
// line saying what is wrong; nothing is dropped silently.
func TestRecipeErrors(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{`{"hitmiss_recipe": 1, "fliter": "a > 1"}`, `unknown field "fliter"`},
		{`{"hitmiss_recipe": 2}`, "recipe format 2: this hitmiss reads format 1"},
		{`{"filter": "a > 1"}`, "recipe format 0"},
		{`{"hitmiss_recipe": 1, "types": [{"column": "a", "type": "money"}]}`, `types[0] (a): type "money"`},
		{`{"hitmiss_recipe": 1, "sort": [{"desc": true}]}`, "sort[0]: no column"},
		{`{"hitmiss_recipe": 1, "derive": [" "]}`, "derive[0]: empty"},
		{`{"hitmiss_recipe": 1} {"hitmiss_recipe": 1}`, "more than one JSON document"},
		{"date,temp\n2012-01-01,3\n", "not a hitmiss recipe (JSON)"},
	} {
		_, err := Parse([]byte(c.text))
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %v, want one line with %q", c.text, err, c.want)
		}
	}
	dir := t.TempDir()
	if _, err := Read(filepath.Join(dir, "none.json")); err == nil || !strings.HasPrefix(err.Error(), "recipe "+dir) {
		t.Errorf("a missing file: %v", err)
	}
	if _, err := Read(dir); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("a directory: %v", err)
	}
	big := filepath.Join(dir, "big.json")
	os.WriteFile(big, []byte(`{"hitmiss_recipe": 1, "filter": "`+strings.Repeat("x", maxSize)+`"}`), 0o600)
	if _, err := Read(big); err == nil || !strings.Contains(err.Error(), "no recipe is that long") {
		t.Errorf("a huge file: %v", err)
	}
}

// A named pipe given as a recipe is refused at once, never waited on.
func TestRecipeRefusesAPipe(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "r.json")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(fifo); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("a pipe: %v", err)
	}
}
