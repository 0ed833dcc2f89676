//go:build !linux

package loaders

// adviseHuge is a no-op where huge pages cannot be asked for.
func adviseHuge[T any](cells []T) {}
