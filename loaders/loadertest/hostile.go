// Package loadertest writes the awkward inputs the loaders are tested against:
// files a real user will eventually hand the explorer.
package loadertest

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Case is one hostile input and what loading it must do.
type Case struct {
	Name string
	Body []byte
	// Err is a phrase the one-line error must contain; "" means it loads.
	Err string
}

// Cases returns every hostile input.
func Cases() []Case {
	var wide strings.Builder
	for i := range 2000 {
		if i > 0 {
			wide.WriteByte(',')
		}
		wide.WriteString("c")
		wide.WriteString(strconv.Itoa(i))
	}
	wide.WriteByte('\n')
	for i := range 2000 {
		if i > 0 {
			wide.WriteByte(',')
		}
		wide.WriteString(strconv.Itoa(i))
	}
	wide.WriteByte('\n')
	big := "id,blob\n1,\"" + strings.Repeat("x", 10<<20) + "\"\n2,small\n"
	return []Case{
		{Name: "empty.csv", Body: nil, Err: "empty file"},
		{Name: "blank-lines.csv", Body: []byte("\n\n \r\n"), Err: "empty file"},
		{Name: "header-only.csv", Body: []byte("a,b,c\n")},
		{Name: "binary.csv", Body: []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"), Err: "binary data"},
		{Name: "ragged.csv", Body: []byte("a,b,c\n1,2,3\n4,5\n6,7,8,9\n")},
		{Name: "bom.csv", Body: []byte("\xEF\xBB\xBFname,value\nx,1\n")},
		{Name: "quoted-newlines.csv", Body: []byte("id,text\n1,\"line one\nline two, with comma\"\n2,\"say \"\"hi\"\"\"\n")},
		{Name: "latin1.csv", Body: []byte("city,pop\nS\xe3o Paulo,12\nZ\xfcrich,0.4\n")},
		{Name: "wide-2000.csv", Body: []byte(wide.String())},
		{Name: "big-field.csv", Body: []byte(big)},
		{Name: "escapes.csv", Body: []byte("name,note\n\x1b[31mred\x1b[0m,\"bell\a and \x1b]0;title\a\"\nok,\x1b[2J\n")},
		{Name: "crlf.csv", Body: []byte("a,b\r\n1,2\r\n3,4\r\n")},
		{Name: "utf16.csv", Body: utf16le("a,b\n1,é\n")},
	}
}

// Write puts every case into dir and returns their paths by name.
func Write(dir string) (map[string]string, error) {
	paths := map[string]string{}
	for _, c := range Cases() {
		p := filepath.Join(dir, c.Name)
		if err := os.WriteFile(p, c.Body, 0o644); err != nil {
			return nil, err
		}
		paths[c.Name] = p
	}
	return paths, nil
}

func utf16le(s string) []byte {
	out := []byte{0xFF, 0xFE}
	for _, r := range s {
		out = append(out, byte(r), byte(r>>8))
	}
	return out
}
