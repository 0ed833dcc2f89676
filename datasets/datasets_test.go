package datasets

import (
	"bytes"
	"encoding/csv"
	"testing"
)

// TestCatalogMatchesFiles checks the declared shape of every bundled file
// against the file itself, parsed by encoding/csv, and that each has its
// provenance.
func TestCatalogMatchesFiles(t *testing.T) {
	if len(All()) < 6 {
		t.Fatalf("%d datasets bundled, want at least 6", len(All()))
	}
	for _, d := range All() {
		r := csv.NewReader(bytes.NewReader(d.Bytes()))
		if d.File[len(d.File)-4:] == ".tsv" {
			r.Comma = '\t'
		}
		rows, err := r.ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", d.File, err)
		}
		if len(rows)-1 != d.Rows || len(rows[0]) != d.Cols {
			t.Errorf("%s: file is %d × %d, catalog says %d × %d", d.Name, len(rows)-1, len(rows[0]), d.Rows, d.Cols)
		}
		if int64(len(d.Bytes())) != d.Size {
			t.Errorf("%s: %d bytes, datapackage says %d", d.Name, len(d.Bytes()), d.Size)
		}
		if d.Title == "" || d.Description == "" || d.Source == "" || d.License == "" {
			t.Errorf("%s: missing provenance: %+v", d.Name, d)
		}
	}
}

func TestLookup(t *testing.T) {
	for _, name := range []string{"zipcodes", "zipcodes.csv"} {
		if d, ok := Lookup(name); !ok || d.File != "zipcodes.csv" {
			t.Errorf("Lookup(%q) = %v, %v", name, d, ok)
		}
	}
	if _, ok := Lookup("nope"); ok {
		t.Error("Lookup found a dataset that does not ship")
	}
}
