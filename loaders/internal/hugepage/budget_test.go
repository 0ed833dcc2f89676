package hugepage

import "testing"

// A budget counts what it advises and refuses arrays once spent; a nil
// budget has no bound.
func TestBudgetCountsAndRunsOut(t *testing.T) {
	b := NewBudget(10 << 20)
	Within(b, make([]int64, 1<<20)) // 8 MiB: within
	if left := b.left.Load(); left != 2<<20 {
		t.Fatalf("left after 8 MiB of 10 = %d, want %d", left, 2<<20)
	}
	Within(b, make([]int64, 1<<20)) // 8 MiB more: over
	if left := b.left.Load(); left >= 0 {
		t.Fatalf("left after 16 MiB of 10 = %d, want spent", left)
	}
	Within[int64](nil, make([]int64, 1<<20)) // no budget: no panic, no bound
}
