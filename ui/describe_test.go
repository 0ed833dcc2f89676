package ui

import (
	"testing"

	"github.com/hitmiss/hitmiss/loaders"
)

func TestDescribeScrollsSideways(t *testing.T) {
	d := newDriver(t, Options{Sources: loaders.BundledSources()[7:8], Open: true}) // us-employment, 24 columns
	d.settle()
	d.key("d")
	d.settle()
	mustContain(t, d.screen(), "describe")
	last := d.m.ctx.page.Frame.Names()[23]
	mustLack(t, d.screen(), last)
	d.key("$")
	mustContain(t, d.screen(), last)
}
