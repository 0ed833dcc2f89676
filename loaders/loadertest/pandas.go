package loadertest

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// PandasPython returns the path of a Python that imports pandas, the floor
// hitmiss's numbers are checked against. Without one the test is skipped,
// unless HITMISS_REQUIRE_PANDAS is set: .ci/run installs python3-pandas and
// sets it, so in CI a missing pandas fails.
func PandasPython(t testing.TB) string {
	t.Helper()
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import pandas").Run(); err != nil {
		if os.Getenv("HITMISS_REQUIRE_PANDAS") != "" {
			t.Fatalf("%s cannot import pandas (apt-get install python3-pandas): %v", py, err)
		}
		t.Skipf("%s cannot import pandas (apt-get install python3-pandas): %v", py, err)
	}
	return py
}

// BundledFile is the path of a bundled dataset's file in the source tree
// (datasets/data/FILE), wherever the test calling it lives, for a pandas
// script to read.
func BundledFile(file string) string {
	_, here, _, _ := runtime.Caller(0) // loaders/loadertest/pandas.go
	return filepath.Join(filepath.Dir(here), "..", "..", "datasets", "data", file)
}

// TestdataFile is the path of a test file in loaders/loadertest/testdata
// (real files, listed in its README), wherever the test calling it lives.
func TestdataFile(file string) string {
	_, here, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(here), "testdata", file)
}
