// Package datasets knows the real datasets that ship inside hitmiss: their
// bytes, embedded in the binary, and where they came from. It does not parse
// them; package loaders does.
package datasets

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"
	"sync"
)

//go:embed data/*.csv data/*.tsv data/datapackage.json
var files embed.FS

// Dataset describes one bundled file.
type Dataset struct {
	Name        string // what the user types: "zipcodes"
	File        string // file name inside the bundle: "zipcodes.csv"
	Title       string
	Description string // one line
	Rows, Cols  int    // data rows (without the header) and columns
	Size        int64  // bytes
	Source      string // who published the data, with an address
	License     string
}

// Open returns the dataset's bytes.
func (d Dataset) Open() (fs.File, error) { return files.Open("data/" + d.File) }

// Bytes returns the dataset's bytes. They are embedded: no I/O happens.
func (d Dataset) Bytes() []byte {
	b, err := files.ReadFile("data/" + d.File)
	if err != nil {
		panic("datasets: embedded file missing: " + d.File) // a build error, not a runtime one
	}
	return b
}

// shipped lists the bundled files in the order the UI shows them, with the
// facts datapackage.json does not carry. Rows and Cols are checked against
// the files by the package's tests.
var shipped = []struct {
	name, title string
	rows, cols  int
}{
	{"seattle-weather", "Seattle weather, 2012–2015", 1461, 6},
	{"weather", "Seattle and New York weather, 2012–2015", 2922, 7},
	{"zipcodes", "US zip codes", 42049, 6},
	{"airports", "US airports", 3376, 7},
	{"flights-airport", "US flights by route, 2008", 5366, 3},
	{"species", "Species habitat by US county", 12360, 6},
	{"co2-concentration", "CO₂ at Mauna Loa, 1958–2020", 741, 3},
	{"us-employment", "US employment by sector, 2006–2015", 120, 24},
	{"unemployment", "US unemployment by county, 2009", 3218, 2},
}

type datapackage struct {
	Resources []struct {
		Path        string `json:"path"`
		Description string `json:"description"`
		Bytes       int64  `json:"bytes"`
		Licenses    []struct {
			Name  string `json:"name"`
			Title string `json:"title"`
			Path  string `json:"path"`
		} `json:"licenses"`
		Sources []struct {
			Title string `json:"title"`
			Path  string `json:"path"`
		} `json:"sources"`
	} `json:"resources"`
}

var all = sync.OnceValue(func() []Dataset {
	raw, err := files.ReadFile("data/datapackage.json")
	if err != nil {
		panic("datasets: embedded datapackage.json missing")
	}
	var pkg datapackage
	if err := json.Unmarshal(raw, &pkg); err != nil {
		panic("datasets: datapackage.json: " + err.Error())
	}
	var out []Dataset
	for _, s := range shipped {
		for _, r := range pkg.Resources {
			if strings.TrimSuffix(strings.TrimSuffix(r.Path, ".csv"), ".tsv") != s.name {
				continue
			}
			d := Dataset{Name: s.name, File: r.Path, Title: s.title, Rows: s.rows, Cols: s.cols,
				Size: r.Bytes, Description: firstSentence(r.Description)}
			if len(r.Sources) > 0 {
				d.Source = r.Sources[0].Title
				if r.Sources[0].Path != "" {
					d.Source += " <" + r.Sources[0].Path + ">"
				}
			}
			if len(r.Licenses) > 0 {
				l := r.Licenses[0]
				d.License = l.Title
				if strings.HasPrefix(l.Title, "http") {
					// datapackage.json names this one by address only.
					d.License, l.Path = "U.S. Government work <"+l.Title+">", ""
				}
				if l.Path != "" && l.Path != l.Title {
					d.License += " <" + l.Path + ">"
				}
			}
			out = append(out, d)
		}
	}
	return out
})

// firstSentence keeps a description to one line.
func firstSentence(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if i := strings.Index(s, ". "); i >= 0 {
		s = s[:i+1]
	}
	return s
}

// All returns every bundled dataset, in display order.
func All() []Dataset { return append([]Dataset(nil), all()...) }

// Lookup finds a bundled dataset by name ("zipcodes") or file name
// ("zipcodes.csv").
func Lookup(name string) (Dataset, bool) {
	for _, d := range all() {
		if d.Name == name || d.File == name {
			return d, true
		}
	}
	return Dataset{}, false
}

// String names the dataset with its shape, e.g. "zipcodes (42049 × 6)".
func (d Dataset) String() string { return fmt.Sprintf("%s (%d × %d)", d.Name, d.Rows, d.Cols) }
