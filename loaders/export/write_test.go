package export

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/csvread"
)

// TestWrittenNumbersExportAsWritten: a column read from numbers as people
// write them is written as the file wrote them in CSV, and as numbers in
// JSON lines, whose numbers are bare.
func TestWrittenNumbersExportAsWritten(t *testing.T) {
	tab, err := csvread.ReadTable(context.Background(), strings.NewReader("name,amount\na,\"68,641.00\"\nb,\"$1,200\"\nc,(45.10)\nd,12%\ne,\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		f    Format
		want string
	}{
		{CSV, "name,amount\na,\"68,641.00\"\nb,\"$1,200\"\nc,(45.10)\nd,12%\ne,\n"},
		{JSONLines, `{"name":"a","amount":68641}` + "\n" + `{"name":"b","amount":1200}` + "\n" +
			`{"name":"c","amount":-45.1}` + "\n" + `{"name":"d","amount":12}` + "\n" + `{"name":"e","amount":null}` + "\n"},
	} {
		var b bytes.Buffer
		if err := Write(&b, tab, frame.AllRows(tab.Nrow()), tab.Names(), c.f, false); err != nil {
			t.Fatal(err)
		}
		if b.String() != c.want {
			t.Errorf("%s:\n%s\nwant\n%s", c.f, b.String(), c.want)
		}
	}
}
