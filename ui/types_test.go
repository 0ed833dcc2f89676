package ui

import (
	"slices"
	"strings"
	"testing"
)

func TestSetTypeIsACachedStep(t *testing.T) {
	d := openCSV(t, "t.csv", "when,amount\n12/1/2019,10\n1/15/2020,x\n2/3/2019,3\n3/3/2021,\n")
	d.key("s") // when: dates in m/d/Y sort by date
	d.settle()
	if got := d.m.ctx.page.Frame.Frame().Col("when").Elem(d.m.ctx.page.Rows.Row(0)).String(); got != "2/3/2019" {
		t.Fatalf("first date %s, want 2/3/2019 (chronological)", got)
	}
	d.key("l", "t")
	mustContain(t, d.screen(), "type of amount (now string")
	d.typeText("in")
	d.key("tab", "enter")
	d.settle()
	mustContain(t, d.screen(), "types: amount int", "amount is now int: 1 cell was not int", "set_types")
	if typ := d.m.ctx.page.Frame.Frame().Col("amount").Type(); typ != "int" {
		t.Fatalf("amount is %s after t int", typ)
	}
	d.key("s") // sorts as numbers now: 3 before 10
	d.settle()
	p := d.m.ctx.page
	var got []string
	for i := range p.Rows.Len() {
		got = append(got, p.Frame.Frame().Col("amount").Elem(p.Rows.Row(i)).String())
	}
	if !slices.Equal(got, []string{"3", "10", "NaN", "NaN"}) {
		t.Fatalf("amount sorted: %q, want 3, 10, then the missing", got)
	}
	d.key("t")
	d.typeText("string")
	d.key("enter")
	d.settle()
	mustContain(t, d.screen(), "amount is string again, as read")
	mustLack(t, d.screen(), "types: amount")
	d.key("t")
	d.typeText("decimal")
	d.key("enter")
	mustContain(t, d.screen(), `type "decimal": not one of int, float, string, bool, date`)
}

// TestWrittenNumbersShowAsTheFileWritesThem: t float reads 68,641.00,
// $1,200, (45.10) and 12% as numbers — they sort as numbers, and the notice
// counts the cell that is not one — while the table, the row detail and a
// copied cell show them as the file writes them.
func TestWrittenNumbersShowAsTheFileWritesThem(t *testing.T) {
	d := openCSV(t, "amounts.csv", "name,amount\na,\"68,641.00\"\nb,\"$1,200\"\nc,(45.10)\nd,12%\ne,abc\n")
	d.cursorTo("amount")
	d.key("t")
	d.answer("float")
	mustContain(t, d.screen(), "types: amount float", "amount is now float: 1 cell was not float")
	d.key("s")
	d.settle()
	screen := d.screen()
	var order []string
	for _, line := range strings.Split(screen, "\n") {
		if f := strings.Fields(line); len(f) >= 2 && len(f[0]) == 1 && strings.Contains("abcde", f[0]) {
			order = append(order, f[0]+" "+strings.Trim(f[1], "[]"))
		}
	}
	if want := []string{"c (45.10)", "d 12%", "b $1,200", "a 68,641.00", "e NA"}; !slices.Equal(order, want) {
		t.Fatalf("rows sorted by amount: %q, want %q\n%s", order, want, screen)
	}
	mustLack(t, screen, "68641", "-45.1 ")
	d.key("G")
	d.key("k")
	d.key("enter")
	mustContain(t, d.screen(), "68,641.00")
	mustLack(t, d.screen(), "68641")
	d.key("esc")
	df := d.m.ctx.page.Frame
	if got := copyText(df, d.m.ctx.page.Rows.Row(0), df.Index("amount")); got != "(45.10)" {
		t.Errorf("the first row's amount copies as %q, want (45.10)", got)
	}
}

// t on a column of a file that loaded with a warning says how many cells
// did not read as the type: the re-typed model of the same load does not
// say the load's warning again over it.
func TestTypeNoticeOverALoadWarning(t *testing.T) {
	d := openCSV(t, "nums.csv", "n,m\n1,\"1,200\"\n2,$3.50\n3,(45.10)\n4,12%\n")
	mustContain(t, d.screen(), "warning: column m: numbers written with separators")
	d.key("$", "t")
	d.answer("int")
	mustContain(t, d.screen(), "m is now int: 2 cells were not int and are now missing (NA)")
	mustLack(t, d.screen(), "warning: column m")
}
