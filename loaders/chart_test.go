package loaders

import (
	"context"
	"testing"
)

func TestLineAndScatterReduce(t *testing.T) {
	l, _ := pipeline(t)
	ctx := context.Background()
	m := fileModel(t, l, "d,y,z\n2024-01-03,5,1\n2024-01-01,1,2\n2024-01-02,,3\n2024-01-05,-2,4\n")
	line, err := l.LinePoints.Get(ctx, LineArgs{Stage: StageOf(m, ""), X: "d", Y: "y", Buckets: 4})
	if err != nil {
		t.Fatal(err)
	}
	day := float64(24 * 3600)
	if !line.XDates || line.Points != 3 || line.Skipped != 1 || line.YMin != -2 || line.YMax != 5 || line.XMax-line.XMin != 4*day {
		t.Fatalf("line: %+v", line)
	}
	if b := line.Buckets; b[0].N != 1 || b[0].Min != 1 || b[2].N != 1 || b[2].Max != 5 || b[3].N != 1 || b[3].Min != -2 {
		t.Fatalf("buckets: %+v", line.Buckets)
	}
	one, _ := l.LinePoints.Get(ctx, LineArgs{Stage: StageOf(m, ""), X: "d", Y: "y", Buckets: 1})
	if b := one.Buckets[0]; b.N != 3 || b.Min != -2 || b.Max != 5 || b.FirstY != 1 || b.LastY != -2 {
		t.Fatalf("one bucket of every point: %+v", b)
	}
	byRow, err := l.LinePoints.Get(ctx, LineArgs{Stage: StageOf(m, "z >= 2"), Y: "z", Buckets: 10})
	if err != nil || byRow.XMin != 2 || byRow.XMax != 4 || byRow.Points != 3 || byRow.YMin != 2 {
		t.Fatalf("line over row numbers of the filter's rows: %+v %v", byRow, err)
	}
	if _, err := l.LinePoints.Get(ctx, LineArgs{Stage: StageOf(m, ""), X: "y", Y: "d", Buckets: 4}); err == nil {
		t.Fatal("a line of a text column drew")
	}
	d, err := l.Scatter.Get(ctx, ScatterArgs{Stage: StageOf(m, ""), X: "z", Y: "y", W: 4, H: 2})
	if err != nil {
		t.Fatal(err)
	}
	sum := 0
	for _, c := range d.Counts {
		sum += c
	}
	if d.Points != 3 || sum != 3 || d.Skipped != 1 || d.XMin != 1 || d.XMax != 4 || d.Counts[1*4+0] != 1 || d.Counts[0*4+1] != 1 || d.Counts[0*4+3] != 1 {
		t.Fatalf("scatter: %+v", d)
	}
}
