package ui

import (
	"slices"
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
