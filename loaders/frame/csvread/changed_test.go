package csvread

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// changingFile writes a CSV of n rows and returns its path and bytes.
func changingFile(t *testing.T, n int) (string, []byte) {
	t.Helper()
	var b bytes.Buffer
	b.WriteString("id,twice,name\n")
	for i := range n {
		fmt.Fprintf(&b, "%d,%d,name%06d\n", i, 2*i, i)
	}
	path := filepath.Join(t.TempDir(), "changing.csv")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, b.Bytes()
}

// loadWhileChanging reads path in small blocks and calls change once, after
// the scan's first block, as another program writing the file would.
func loadWhileChanging(t *testing.T, path string, change func()) error {
	t.Helper()
	defer smallBlocks(4096)()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, _ := f.Stat()
	changed := false
	df, err := ReadCSV(context.Background(), f, WithName(path), WithProgress(func(read, total int64) {
		if !changed {
			changed = true
			change()
		}
	}, fi.Size()))
	if err == nil {
		t.Fatalf("a file changed while loading gave a %d-row frame and no error", df.Nrow())
	}
	return err
}

func wantChanged(t *testing.T, err error, path string) {
	t.Helper()
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "changed while loading") || !strings.HasPrefix(err.Error(), path+": ") {
		t.Fatalf("got %v, want an InputError naming %s: changed while loading", err, path)
	}
	if strings.Contains(err.Error(), "internal error") {
		t.Fatalf("got %v", err)
	}
}

func TestReadCSVFileTruncatedWhileLoading(t *testing.T) {
	path, body := changingFile(t, 20000)
	err := loadWhileChanging(t, path, func() {
		if err := os.Truncate(path, int64(len(body)/2)); err != nil {
			t.Fatal(err)
		}
	})
	wantChanged(t, err, path)
}

func TestReadCSVFileRewrittenWhileLoading(t *testing.T) {
	// Same size, same shape, other values: only the modification time
	// tells the versions apart.
	path, body := changingFile(t, 20000)
	err := loadWhileChanging(t, path, func() {
		other := bytes.ReplaceAll(body, []byte("1"), []byte("7"))
		if err := os.WriteFile(path, other, 0o644); err != nil {
			t.Fatal(err)
		}
		later := time.Now().Add(time.Second)
		if err := os.Chtimes(path, later, later); err != nil {
			t.Fatal(err)
		}
	})
	wantChanged(t, err, path)
}

func TestReadCSVFileReshapedWhileLoading(t *testing.T) {
	// Same size and, put back by hand, the same modification time: the
	// records the parse finds differ from those the scan counted, which
	// once surfaced as "internal error: span … has … records".
	path, body := changingFile(t, 20000)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	err = loadWhileChanging(t, path, func() {
		other := bytes.Clone(body)
		for i := 100; i < 4000; i++ {
			if other[i] == '\n' && i%3 == 0 {
				other[i] = ';' // fewer records in the block the scan has counted
			}
		}
		if err := os.WriteFile(path, other, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, fi.ModTime(), fi.ModTime()); err != nil {
			t.Fatal(err)
		}
	})
	wantChanged(t, err, path)
}

// readBothWays reads text streamed from a ReaderAt and through memory, in
// small blocks too, and requires the same error from all.
func readBothWays(t *testing.T, text string) (Report, error) {
	t.Helper()
	var rep Report
	_, err := ReadCSV(context.Background(), strings.NewReader(text), WithName("t.csv"), WithReport(&rep))
	for _, small := range []bool{false, true} {
		restore := func() {}
		if small {
			restore = smallBlocks(4096)
		}
		var r2 Report
		_, err2 := ReadCSV(context.Background(), plainReader{strings.NewReader(text)}, WithName("t.csv"), WithReport(&r2))
		_, err3 := ReadCSV(context.Background(), strings.NewReader(text), WithName("t.csv"), WithReport(&r2))
		restore()
		if fmt.Sprint(err) != fmt.Sprint(err2) || fmt.Sprint(err) != fmt.Sprint(err3) {
			t.Fatalf("paths disagree: %v / %v / %v", err, err2, err3)
		}
	}
	return rep, err
}

func TestUnbalancedQuoteNamesItsLine(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,name\n")
	for i := range 5000 {
		if i == 1234 {
			b.WriteString("1234,\"Smith, J\n") // line 1236: the quote never closes
			continue
		}
		fmt.Fprintf(&b, "%d,n%d\n", i, i)
	}
	_, err := readBothWays(t, b.String())
	if err == nil || !strings.Contains(err.Error(), "t.csv: line 1236: a quote opens a field that never closes") {
		t.Fatalf("got %v", err)
	}
	rep, err := readBothWays(t, "id,name\n1,a\n2,\"b")
	if err != nil || len(rep.Warnings) != 1 || !strings.HasPrefix(rep.Warnings[0], "line 3: a quote opens a field that never closes") {
		t.Fatalf("quote open on the last line: %v, %q", err, rep.Warnings)
	}
	// The file's last line break is not a line swallowed: "2 lines after
	// it" counts the two lines there are, and a quote on the last line is
	// a warning however the file ends.
	_, err = readBothWays(t, "id,name\n1,\"a\n2,b\n3,c\n")
	if err == nil || !strings.Contains(err.Error(), "swallow the 2 lines after it") {
		t.Fatalf("two lines after the quote: %v", err)
	}
	rep, err = readBothWays(t, "id,name\n1,a\n2,\"b\n")
	if err != nil || len(rep.Warnings) != 1 {
		t.Fatalf("quote open on a last line that ends with a line break: %v, %q", err, rep.Warnings)
	}
	_, err = readBothWays(t, "id,\"name\n1,a\n2,b\n")
	if err == nil || !strings.Contains(err.Error(), "t.csv: line 1: a quote opens") {
		t.Fatalf("quote open in the header: %v", err)
	}
	if _, err := readBothWays(t, "id,name\n1,\"a\"\"\"\n2,\"b\nc\"\n"); err != nil {
		t.Fatalf("balanced quotes: %v", err)
	}
}

func TestNULRefusedAnywhere(t *testing.T) {
	for _, at := range []int{100, 70 << 10, 9 << 20} {
		var b strings.Builder
		b.WriteString("id,name\n")
		for i := 0; b.Len() < at+1000; i++ {
			fmt.Fprintf(&b, "%d,name%d\n", i, i)
		}
		text := []byte(b.String())
		for text[at] == '\n' || text[at] == ',' {
			at++
		}
		text[at] = 0
		_, err := readBothWays(t, string(text))
		if want := fmt.Sprintf("t.csv: binary data (byte 0x00 at offset %d), not CSV text", at); err == nil || err.Error() != want {
			t.Fatalf("NUL at %d: got %v, want %s", at, err, want)
		}
	}
}
