package cli

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/hitmiss/hitmiss/datasets"
	"github.com/hitmiss/hitmiss/loaders/loadertest"
)

// exportCase is one dataset's export, and the same computation written
// for pandas: a filter on one of its columns, a two-key sort with one key
// descending, and a column selection.
type exportCase struct {
	filter, sort, columns string
	pandasMask            string   // a boolean Series over df, the filter in pandas
	strCols               []string // columns hitmiss reads as text that pandas would read as numbers
}

var exportCases = map[string]exportCase{
	"seattle-weather": {
		filter: `weather = "rain" or precipitation > 10`, sort: "weather,-temp_max", columns: "date,weather,temp_max,precipitation",
		pandasMask: `(df["weather"] == "rain") | (df["precipitation"] > 10)`,
	},
	"weather": {
		filter: `location = "Seattle" and date ~ "^201[34]"`, sort: "weather,-wind", columns: "location,date,wind,weather",
		pandasMask: `(df["location"] == "Seattle") & df["date"].str.contains(r"^201[34]", regex=True, na=False)`,
	},
	"zipcodes": {
		filter: `city contains "spring"`, sort: "state,-latitude", columns: "zip_code,city,state,latitude",
		pandasMask: `df["city"].str.contains("spring", case=False, regex=False, na=False)`,
		strCols:    []string{"zip_code"},
	},
	"airports": {
		filter: `latitude > 40 or state is na`, sort: "-state,city", columns: "iata,city,state,latitude",
		pandasMask: `(df["latitude"] > 40) | df["state"].isna()`,
	},
	"flights-airport": {
		filter: `count >= 100`, sort: "destination,-count", columns: "origin,destination,count",
		pandasMask: `df["count"] >= 100`,
	},
	"species": {
		filter: `habitat_yearround_pct > 0.5`, sort: "common_name,-habitat_yearround_pct", columns: "common_name,county_id,habitat_yearround_pct",
		pandasMask: `df["habitat_yearround_pct"] > 0.5`,
		strCols:    []string{"county_id"},
	},
	"co2-concentration": {
		filter: "`adjusted CO2` >= 350", sort: "-CO2,Date", columns: "Date,adjusted CO2",
		pandasMask: `df["adjusted CO2"] >= 350`,
	},
	"us-employment": {
		filter: `nonfarm_change < 0`, sort: "-government,month", columns: "month,nonfarm_change,government,retail_trade",
		pandasMask: `df["nonfarm_change"] < 0`,
	},
	"unemployment": {
		filter: `rate > 0.1`, sort: "-rate,id", columns: "id,rate",
		pandasMask: `df["rate"] > 0.1`,
	},
}

// pandasExport reads a list of specs on stdin and prints a JSON object
// holding, per spec's name, as CSV, what pandas makes of the same filter,
// stable multi-key sort and column selection. One process for every
// dataset: importing pandas takes a second or two.
const pandasExport = `
import io, json, sys
import pandas as pd
out = {}
for spec in json.load(sys.stdin):
    df = pd.read_csv(spec["path"], sep=spec["sep"], dtype={c: str for c in spec["strCols"]})
    # Text keeps NA, None, … as written (keep_default_na=False); only an
    # empty text cell is missing.
    text = pd.read_csv(spec["path"], sep=spec["sep"], dtype=str, keep_default_na=False)
    for c in df.columns:
        if df[c].dtype == object:
            df[c] = text[c].where(text[c] != "", None)
    df = df[eval(spec["mask"])]
    keys = spec["sort"]
    df = df.sort_values(by=[k[0] for k in keys], ascending=[k[1] for k in keys], kind="stable", na_position="last")
    buf = io.StringIO()
    df[spec["columns"]].to_csv(buf, index=False)
    out[spec["name"]] = buf.getvalue()
json.dump(out, sys.stdout)
`

func TestExportMatchesPandas(t *testing.T) {
	py := loadertest.PandasPython(t)
	var specs []map[string]any
	for _, d := range datasets.All() {
		c, ok := exportCases[d.Name]
		if !ok {
			t.Errorf("%s: no export case: add one to exportCases", d.Name)
			continue
		}
		var keys [][]any
		for _, k := range strings.Split(c.sort, ",") {
			keys = append(keys, []any{strings.TrimPrefix(k, "-"), !strings.HasPrefix(k, "-")})
		}
		sep := ","
		if strings.HasSuffix(d.File, ".tsv") {
			sep = "\t"
		}
		specs = append(specs, map[string]any{
			"name": d.Name, "path": loadertest.BundledFile(d.File), "sep": sep, "mask": c.pandasMask,
			"sort": keys, "columns": strings.Split(c.columns, ","), "strCols": append([]string{}, c.strCols...),
		})
	}
	in, _ := json.Marshal(specs)
	cmd := exec.Command(py, "-c", pandasExport)
	cmd.Stdin = bytes.NewReader(in)
	var stdout, pyErr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &pyErr
	if err := cmd.Run(); err != nil {
		t.Fatalf("pandas: %v\n%s", err, pyErr.String())
	}
	var fromPandas map[string]string
	if err := json.Unmarshal(stdout.Bytes(), &fromPandas); err != nil {
		t.Fatalf("pandas' answer: %v", err)
	}
	for _, d := range datasets.All() {
		c, ok := exportCases[d.Name]
		if !ok {
			continue
		}
		t.Run(d.Name, func(t *testing.T) {
			out, errOut, code := runHitmiss(t, nil, "export", d.Name, "--filter", c.filter, "--sort", c.sort, "--columns", c.columns)
			if code != 0 || errOut != "" {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			got, exp := readCSV(t, out), readCSV(t, fromPandas[d.Name])
			if len(exp) < 3 || len(exp)-1 >= d.Rows {
				t.Fatalf("the filter should keep some rows but not all: pandas kept %d of %d", len(exp)-1, d.Rows)
			}
			if len(got) != len(exp) {
				t.Fatalf("hitmiss wrote %d rows, pandas %d", len(got)-1, len(exp)-1)
			}
			for i := range exp {
				if len(got[i]) != len(exp[i]) {
					t.Fatalf("row %d: %q, pandas %q", i, got[i], exp[i])
				}
				for j := range exp[i] {
					if !sameCell(got[i][j], exp[i][j]) {
						t.Fatalf("row %d column %d: hitmiss %q, pandas %q\nhitmiss row %q\npandas row  %q", i, j, got[i][j], exp[i][j], got[i], exp[i])
					}
				}
			}
		})
	}
}

func readCSV(t *testing.T, s string) [][]string {
	t.Helper()
	records, err := csv.NewReader(strings.NewReader(s)).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v\n%s", err, s)
	}
	return records
}

// sameCell compares a cell as text, or as numbers when both are (pandas
// writes 0.0 where hitmiss, as its table, writes 0).
func sameCell(a, b string) bool {
	if a == b {
		return true
	}
	x, errA := strconv.ParseFloat(a, 64)
	y, errB := strconv.ParseFloat(b, 64)
	return errA == nil && errB == nil && x == y
}

// Floats print as the table prints them, missing values are empty cells
// in CSV and null in JSON lines, and every format carries the same rows.
func TestExportFormats(t *testing.T) {
	// An empty cell is missing; airports' city "NA" is text, as written.
	cities := []byte("iata,city,latitude\nAAA,,40.5\nBBB,NA,42.25\nCCC,,-3\nDDD,Boston,1\n")
	out, _, code := runHitmiss(t, cities, "export", "-", "--filter", "city is na", "--columns", "iata,city,latitude")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 3 || lines[0] != "iata,city,latitude" || lines[1] != "AAA,,40.5" {
		t.Fatalf("csv with missing cities: exit %d\n%s", code, out)
	}
	out, _, _ = runHitmiss(t, cities, "export", "-", "--filter", "city is na", "--columns", "iata,city,latitude", "--format", "jsonl")
	lines = strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("jsonl: %d lines\n%s", len(lines), out)
	}
	for _, line := range lines {
		var row map[string]any
		if err := json.Unmarshal([]byte(line), &row); err != nil {
			t.Fatalf("not JSON: %v: %s", err, line)
		}
		if v, ok := row["city"]; !ok || v != nil {
			t.Fatalf("a missing city should be null: %s", line)
		}
		if _, ok := row["latitude"].(float64); !ok || !strings.HasPrefix(line, `{"iata":`) {
			t.Fatalf("latitude should be a number, keys in column order: %s", line)
		}
	}
	out, _, _ = runHitmiss(t, nil, "export", "us-employment", "--format", "tsv", "--columns", "month,retail_trade")
	if !strings.HasPrefix(out, "month\tretail_trade\n2006-01-01\t15351.5\n") || strings.Contains(out, "000000") {
		t.Fatalf("tsv:\n%.200s", out)
	}
	out, _, _ = runHitmiss(t, nil, "export", "unemployment", "--columns", "rate")
	if !strings.HasPrefix(out, "rate\n0.097\n") {
		t.Fatalf("floats as the table prints them:\n%.100s", out)
	}
	// Text that needs quoting or escaping survives both formats.
	in := "name,note\nx,\"say \"\"hi\"\", then\nleave\"\ny,plain\n"
	out, _, code = runHitmiss(t, []byte(in), "export", "-", "--sort", "-name")
	if code != 0 || out != "name,note\ny,plain\nx,\"say \"\"hi\"\", then\nleave\"\n" {
		t.Fatalf("quoted csv: exit %d %q", code, out)
	}
	out, _, _ = runHitmiss(t, []byte(in), "export", "-", "--format", "jsonl")
	if !strings.HasPrefix(out, `{"name":"x","note":"say \"hi\", then\nleave"}`+"\n") {
		t.Fatalf("jsonl escapes: %q", out)
	}
}

// Bad input is one line naming the input and the problem, exit 1, and
// nothing on standard output.
func TestExportErrors(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"weather", "--columns", "date,nope"}, `hitmiss: weather: --columns: no column "nope" (columns: location, date,`},
		{[]string{"weather", "--sort", "date,-nope"}, `hitmiss: weather: --sort: no column "nope"`},
		{[]string{"weather", "--sort", "date,"}, `hitmiss: --sort "date,": empty column name`},
		{[]string{"weather", "--filter", "temp_max >"}, `hitmiss: weather: --filter: at column 11: expected a column, a number or a string after '>'`},
		{[]string{"weather", "--filter", "tmp > 3"}, `hitmiss: weather: --filter: at column 1: unknown column "tmp"`},
		{[]string{"weather", "--format", "xml"}, `hitmiss: --format "xml": not one of csv, tsv, jsonl`},
		{[]string{"weather", "-d", "ab"}, `hitmiss: --delimiter "ab": want one ASCII character`},
		{[]string{"/no/such.csv"}, `hitmiss: /no/such.csv: no such file, directory or bundled dataset`},
		{[]string{"weather", "-o", "/no/such/dir/out.csv"}, `hitmiss: /no/such/dir/out.csv: cannot write: no such file or directory`},
	}
	for _, c := range cases {
		out, errOut, code := runHitmiss(t, nil, append([]string{"export"}, c.args...)...)
		if code != 1 || !strings.HasPrefix(errOut, c.want) || strings.Count(errOut, "\n") != 1 || out != "" {
			t.Errorf("%q: exit %d, stdout %d bytes, stderr %q; want exit 1 and one line %q…", c.args, code, len(out), errOut, c.want)
		}
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.csv"), []byte("x\n1\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "b.csv"), []byte("x\n2\n"), 0o644)
	if _, errOut, code := runHitmiss(t, nil, "export", dir); code != 1 || !strings.Contains(errOut, "holds 2 files: export writes one dataset") {
		t.Errorf("a directory: exit %d %q", code, errOut)
	}
	if _, errOut, code := runHitmiss(t, nil, "export"); code != 2 || !strings.HasPrefix(errOut, "usage: hitmiss export SOURCE") {
		t.Errorf("no source: exit %d %q", code, errOut)
	}
}

// -o writes atomically: the file appears complete or not at all, an
// existing file is never overwritten without --force, and no temporary
// file is left behind, whether the export worked or failed.
func TestExportWritesFilesAtomically(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "sun.csv")
	args := []string{"export", "seattle-weather", "--filter", `weather = "sun"`, "--sort", "-temp_max", "-o", out}
	stdout, errOut, code := runHitmiss(t, nil, args...)
	if code != 0 || stdout != "" || errOut != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, errOut)
	}
	want, _, _ := runHitmiss(t, nil, "export", "seattle-weather", "--filter", `weather = "sun"`, "--sort", "-temp_max")
	if got, _ := os.ReadFile(out); string(got) != want || !strings.HasPrefix(want, "date,precipitation") {
		t.Fatalf("the file differs from standard output's export")
	}
	// An existing file is kept, byte for byte, without --force.
	os.WriteFile(out, []byte("mine\n"), 0o600)
	os.Chmod(out, 0o600) // WriteFile keeps an existing file's mode
	_, errOut, code = runHitmiss(t, nil, args...)
	if code != 1 || errOut != "hitmiss: "+out+": already exists (pass --force to overwrite it)\n" {
		t.Fatalf("no --force: exit %d %q", code, errOut)
	}
	if got, _ := os.ReadFile(out); string(got) != "mine\n" {
		t.Fatalf("an existing file was changed without --force: %q", got)
	}
	// A directory is said to be one, with --force too, and left alone.
	for _, force := range [][]string{nil, {"--force"}} {
		_, errOut, code = runHitmiss(t, nil, append([]string{"export", "seattle-weather", "-o", dir}, force...)...)
		if code != 1 || errOut != "hitmiss: "+dir+": is a directory: -o names the file to write\n" {
			t.Fatalf("-o a directory (%v): exit %d %q", force, code, errOut)
		}
	}
	// A failed export with --force leaves it alone too.
	_, _, code = runHitmiss(t, nil, "export", "seattle-weather", "--filter", "nope > 1", "--force", "-o", out)
	if got, _ := os.ReadFile(out); code != 1 || string(got) != "mine\n" {
		t.Fatalf("a failed export changed the file: exit %d %q", code, got)
	}
	// --force replaces it, keeping its permissions.
	if _, errOut, code = runHitmiss(t, nil, append(args, "--force")...); code != 0 {
		t.Fatalf("--force: exit %d %q", code, errOut)
	}
	got, _ := os.ReadFile(out)
	fi, _ := os.Stat(out)
	if string(got) != want || fi.Mode().Perm() != 0o600 {
		t.Fatalf("--force: %d bytes, mode %v", len(got), fi.Mode().Perm())
	}
	// The format follows the extension when --format is not given.
	jl := filepath.Join(dir, "sun.jsonl")
	if _, errOut, code = runHitmiss(t, nil, "export", "seattle-weather", "-o", jl, "--columns", "date"); code != 0 {
		t.Fatalf("jsonl: exit %d %q", code, errOut)
	}
	if got, _ := os.ReadFile(jl); !strings.HasPrefix(string(got), `{"date":"2012-01-01"}`+"\n") {
		t.Fatalf("jsonl by extension: %.80q", got)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if !slices.Equal(names, []string{"sun.csv", "sun.jsonl"}) {
		t.Fatalf("left in the directory: %v", names)
	}
}

// -d and --no-headers reach the reader, for export, inspect and the
// explorer's own flags.
func TestReadingOptions(t *testing.T) {
	in := []byte("1;2\n3;4\n")
	out, errOut, code := runHitmiss(t, in, "export", "-", "--no-headers", "-d", ";", "--sort", "-column_2")
	if code != 0 || out != "column_1,column_2\n3,4\n1,2\n" {
		t.Fatalf("export --no-headers -d ';': exit %d %q %q", code, out, errOut)
	}
	out, _, _ = runHitmiss(t, in, "inspect", "--delimiter", ",", "-")
	if !strings.Contains(out, `delimiter ","`) || !strings.Contains(out, "columns: 1\n") {
		t.Fatalf("inspect --delimiter ',':\n%s", out)
	}
	out, _, _ = runHitmiss(t, in, "inspect", "-", "--no-headers")
	if !strings.Contains(out, "rows: 2\n") || !strings.Contains(out, "header false") {
		t.Fatalf("inspect --no-headers:\n%s", out)
	}
	tsv := []byte("a b\tc\n1 2\t3\n")
	out, _, _ = runHitmiss(t, tsv, "export", "-", "-d", `\t`)
	if out != "a b,c\n1 2,3\n" {
		t.Fatalf(`-d '\t': %q`, out)
	}
	if _, errOut, code = runHitmiss(t, nil, "-d", "ab", "weather"); code != 2 || !strings.Contains(errOut, `--delimiter "ab"`) {
		t.Fatalf("the explorer's -d: exit %d %q", code, errOut)
	}
	_, help, _ := runHitmiss(t, nil, "-h")
	for _, want := range []string{"-delimiter", "-no-headers", "export SOURCE"} {
		if !strings.Contains(help, want) {
			t.Fatalf("-h lacks %q", want)
		}
	}
}

// A text column's None is exported as the file writes it (it was written
// blank); --na sets the words that mean a missing number, ” none but the
// empty cell; export, inspect and the explorer share the flag.
func TestExportKeepsTextAsWritten(t *testing.T) {
	path := loadertest.TestdataFile("birdstrikes-head.csv")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runHitmiss(t, nil, "export", path, "--columns", "Effect Amount of damage")
	want := 0
	for _, r := range readCSV(t, string(raw))[1:] {
		if r[2] == "None" {
			want++
		}
	}
	if code != 0 || want == 0 || strings.Count(out, "None\n") != want {
		t.Fatalf("export: exit %d, %d cells None, the file has %d: %s", code, strings.Count(out, "None\n"), want, errOut)
	}
	out, _, _ = runHitmiss(t, nil, "export", path, "--filter", "`Effect Amount of damage` = \"None\"")
	if got := len(readCSV(t, out)) - 1; got != want {
		t.Fatalf(`filter = "None": %d rows, the file has %d`, got, want)
	}
	in := []byte("n,word\n1,None\nNone,x\n-,NA\n")
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "n,word\n1,None\nNone,x\n-,NA\n"},                   // n is text: - is no number
		{[]string{"--na", "-,None"}, "n,word\n1,None\n,x\n,NA\n"}, // n is numbers
		{[]string{"--na", "", "--filter", "n is na"}, "n,word\n"}, // no missing cell at all
		{[]string{"--filter", `word = "None" or word = "NA"`}, "n,word\n1,None\n-,NA\n"},
	} {
		out, errOut, code := runHitmiss(t, in, append([]string{"export", "-"}, c.args...)...)
		if code != 0 || out != c.want {
			t.Errorf("export %q: exit %d %q, want %q (%s)", c.args, code, out, c.want, errOut)
		}
	}
	if out, _, _ := runHitmiss(t, in, "inspect", "-", "--na", "None,-"); !regexp.MustCompile(`\n  n +int +2 NA\n  word +string +0 NA\n`).MatchString(out) {
		t.Errorf("inspect --na:\n%s", out)
	}
}

// Any name can be named: a column called "City, State" in --columns,
// --sort and the filter, in backticks; the error's list of names quotes it
// so that it reads as one.
func TestExportNamesAnyColumn(t *testing.T) {
	in := []byte("\"City, State\",pop,Total Discharges \nSeattle WA,700,1\nPortland OR,650,2\n")
	out, errOut, code := runHitmiss(t, in, "export", "-", "--columns", "`Total Discharges `,`City, State`", "--sort", "-`City, State`", "--filter", "`City, State` contains \"o\"")
	if code != 0 || out != "Total Discharges ,\"City, State\"\n2,Portland OR\n" {
		t.Fatalf("exit %d %q %s", code, out, errOut)
	}
	_, errOut, _ = runHitmiss(t, in, "export", "-", "--columns", "nope")
	if !strings.Contains(errOut, "(columns: `City, State`, pop, `Total Discharges `)") {
		t.Fatalf("names listed: %s", errOut)
	}
}

// -o names a named pipe (as it may /dev/null): the export writes through
// it, without --force, and the pipe stays a pipe (a file renamed over
// /dev/null would replace the device for every program).
func TestExportWritesThroughAPipe(t *testing.T) {
	for _, force := range []bool{false, true} {
		fifo := filepath.Join(t.TempDir(), "out")
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Fatal(err)
		}
		got := make(chan string, 1)
		go func() {
			b, _ := os.ReadFile(fifo)
			got <- string(b)
		}()
		args := []string{"export", "seattle-weather", "-o", fifo}
		if force {
			args = append(args, "--force")
		}
		_, errOut, code := runHitmiss(t, nil, args...)
		if code != 0 {
			t.Fatalf("--force %v: exit %d %q", force, code, errOut)
		}
		if s := <-got; !strings.HasPrefix(s, "date,precipitation") || strings.Count(s, "\n") != 1462 {
			t.Fatalf("--force %v: the pipe's reader got %d lines", force, strings.Count(s, "\n"))
		}
		if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
			t.Fatalf("--force %v: the pipe was replaced (%v)", force, err)
		}
	}
}

// A view flag given empty (an unset shell variable, a careless paste) is
// refused, naming the flag, where it read as no flag and wrote every row
// or column.
func TestExportRefusesAnEmptyViewFlag(t *testing.T) {
	for _, flag := range []string{"--filter", "--sort", "--columns", "--recipe"} {
		for _, empty := range []string{"", "  "} {
			stdout, errOut, code := runHitmiss(t, nil, "export", "seattle-weather", flag, empty)
			if code != 1 || stdout != "" || !strings.HasPrefix(errOut, "hitmiss: "+flag+" is empty: give ") || strings.Count(errOut, "\n") != 1 {
				t.Errorf("%s %q: exit %d, stdout %d bytes, stderr %q", flag, empty, code, len(stdout), errOut)
			}
		}
	}
}
