package frame

// SetGotaDirect switches building frames in gota's memory layout off (or
// back on, where the layout is known), for the test of the fallback taken
// when a different gota is linked. It returns the function that restores
// the layout found at start.
func SetGotaDirect(on bool) (restore func()) {
	saved := gotaLayout
	gotaLayout.ok = on && saved.ok
	return func() { gotaLayout = saved }
}
