// Package hugepage asks the kernel for huge pages under large cell arrays.
package hugepage

import (
	"syscall"
	"unsafe"
)

// Advise asks the kernel to back a large, fresh cell array with huge
// pages. Filling a frame's cells otherwise takes a page fault per 4 KiB,
// which was half of a load's CPU time; with 2 MiB pages it takes one per
// 512 of them. It is advice: when the kernel declines, nothing changes.
func Advise[T any](cells []T) {
	if len(cells) == 0 {
		return
	}
	size := uintptr(len(cells)) * unsafe.Sizeof(cells[0])
	if size < 4<<20 {
		return
	}
	const page = 4096
	p := unsafe.Pointer(&cells[0])
	start := uintptr(p)
	aligned := (start + page - 1) &^ (page - 1)
	end := (start + size) &^ (page - 1)
	if end <= aligned {
		return
	}
	b := unsafe.Slice((*byte)(unsafe.Add(p, aligned-start)), end-aligned)
	_ = syscall.Madvise(b, syscall.MADV_HUGEPAGE)
}
