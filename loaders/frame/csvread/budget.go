package csvread

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
	"strings"
)

// memoryBudget is half of the memory this process can have: the machine's
// (MemTotal) or its cgroup's limit, whichever is lower.
func memoryBudget() int64 {
	total := int64(0)
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		total = memTotal(b)
	}
	if b, err := os.ReadFile("/sys/fs/cgroup/memory.max"); err == nil {
		if n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64); err == nil && n > 0 && (total == 0 || n < total) {
			total = n
		}
	}
	return budgetOf(total)
}

// budgetOf is the budget for a machine of total bytes (0: unknown).
func budgetOf(total int64) int64 {
	if total <= 0 {
		return 8 << 30
	}
	return total / 2
}

// memTotal reads MemTotal, in bytes, from /proc/meminfo's text.
func memTotal(meminfo []byte) int64 {
	sc := bufio.NewScanner(bytes.NewReader(meminfo))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 2 && f[0] == "MemTotal:" {
			kb, err := strconv.ParseInt(f[1], 10, 64)
			if err != nil {
				return 0
			}
			return kb << 10
		}
	}
	return 0
}
