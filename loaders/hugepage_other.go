//go:build !linux

package loaders

// Advise is a no-op where huge pages cannot be asked for.
func Advise[T any](cells []T) {}
