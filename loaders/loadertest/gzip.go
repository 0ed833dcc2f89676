package loadertest

import (
	"bytes"
	"compress/gzip"
	"testing"
)

// GzipCSV compresses n bytes of a two-column CSV.
func GzipCSV(t *testing.T, n int) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte("a,b\n"))
	line := bytes.Repeat([]byte("1,2\n"), 1<<14)
	for w := 4; w < n; w += len(line) {
		zw.Write(line)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
