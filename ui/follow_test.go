package ui

import (
	"os"
	"strings"
	"testing"

	"github.com/hitmiss/hitmiss/cache"
)

// F follows the file shown: rows appended to it show at the next look,
// read as one new piece (a load_chunk miss, the piece before it a hit);
// F again stops, and the file is read whole through load_csv.
func TestFollowShowsAppendedRows(t *testing.T) {
	d := openCSV(t, "log.csv", "t,level\n1,info\n2,warn\n")
	path := d.m.q.Source.Path
	d.key("F")
	d.settle()
	mustContain(t, title(d), "following", "2 rows")
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("3,error\n4,info\n")
	f.Close()
	d.send(lookAtGrowth(d.m.q.Source, *d.m.q.Source))
	p := d.m.ctx.page // the rerun the look started (the events after it rerun once more, all hits)
	mustContain(t, title(d), "4 rows")
	var chunks []cache.Outcome
	for _, c := range p.Calls {
		if c.Fn == "load_chunk" {
			chunks = append(chunks, c.Outcome)
		}
	}
	if len(chunks) != 2 || chunks[0] != cache.Hit || chunks[1] != cache.Miss {
		t.Fatalf("the rerun after the append: load_chunk %v, want a hit then a miss", chunks)
	}
	d.settle()
	// Nothing new: the look starts no rerun.
	reruns := d.m.runs.reruns
	d.send(lookAtGrowth(d.m.q.Source, *d.m.q.Source))
	if d.m.runs.reruns != reruns {
		t.Fatalf("a look with nothing appended reran the page")
	}
	d.key("F")
	d.settle()
	if strings.Contains(title(d), "following") || !strings.Contains(title(d), "4 rows") {
		t.Fatalf("F again: %q", title(d))
	}
	if p := d.m.ctx.page; p.Count(cache.Miss) == 0 || !strings.Contains(strings.Join(p.Misses(), ","), "load_csv") {
		t.Fatalf("stopping follow did not read the file whole: misses %v", p.Misses())
	}
}

// F on a bundled dataset says why it does nothing.
func TestFollowNeedsAFile(t *testing.T) {
	d := weather(t)
	d.key("F")
	mustContain(t, d.screen(), "F follows a file: a bundled dataset never grows")
	if d.m.q.Follow {
		t.Fatal("a bundled dataset was marked followed")
	}
}

// A followed file whose load fails (it turned into HTML) is read again
// when it changes, not at every look: it reran into the same error
// forever, a miss each time, with the explorer idle.
func TestAFailingFollowedFileRerunsOnlyWhenItChanges(t *testing.T) {
	d := openCSV(t, "log.csv", "t,level\n1,info\n")
	path := d.m.q.Source.Path
	d.key("F")
	d.settle()
	os.WriteFile(path, []byte("<html><body>gone</body></html>\n"), 0o644)
	d.send(lookAtGrowth(d.m.q.Source, *d.m.q.Source))
	d.settle()
	if d.m.ctx.page.Err == nil {
		t.Fatal("the HTML file read without an error")
	}
	reruns := d.m.runs.reruns
	for range 3 {
		d.send(lookAtGrowth(d.m.q.Source, *d.m.q.Source))
		d.settle()
	}
	if d.m.runs.reruns != reruns {
		t.Fatalf("%d reruns of an unchanged failing file", d.m.runs.reruns-reruns)
	}
	os.WriteFile(path, []byte("t,level\n1,info\n2,warn\n3,error\n"), 0o644)
	d.send(lookAtGrowth(d.m.q.Source, *d.m.q.Source))
	d.settle()
	if d.m.ctx.page.Err != nil || !strings.Contains(title(d), "3 rows") {
		t.Fatalf("after the file was mended: err %v, title %q", d.m.ctx.page.Err, title(d))
	}
}

// F on a JSON lines file says it is read whole, and changes nothing.
func TestFollowRefusesAFileReadWhole(t *testing.T) {
	d := openCSV(t, "x.jsonl", "{\"a\":1}\n{\"a\":2}\n")
	d.key("F")
	mustContain(t, d.screen(), "F follows delimited text as it grows: ")
	if d.m.q.Follow {
		t.Fatal("F on JSON lines set follow")
	}
}

// A followed file read again from its start drops the marks, and the
// notice keeps the load's warning (why) beside it.
func TestFollowedFileReadAgainDropsMarks(t *testing.T) {
	d := openCSV(t, "log.csv", "k,v\n1,10\n2,20\n3,30\n", 120, 40)
	path := d.m.q.Source.Path
	d.key("F")
	d.settle()
	d.key("j", "j", "T")
	if d.m.q.Marks.Len() != 1 {
		t.Fatalf("%d marks, want 1", d.m.q.Marks.Len())
	}
	os.WriteFile(path, []byte("k,v\n7,70\n"), 0o644)
	d.send(lookAtGrowth(d.m.q.Source, *d.m.q.Source))
	d.settle()
	if d.m.q.Marks.Len() != 0 {
		t.Fatalf("%d marks after the file was read again", d.m.q.Marks.Len())
	}
	if !strings.HasSuffix(d.m.note.text, "got shorter: read again from its start · 1 mark dropped") {
		t.Fatalf("notice %q", d.m.note.text)
	}
}
