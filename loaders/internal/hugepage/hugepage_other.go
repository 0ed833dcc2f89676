//go:build !linux

package hugepage

// Advise is a no-op where huge pages cannot be asked for.
func Advise[T any](cells []T) {}
