package frame

import "testing"

// Numbers as people write them read as VisiData's currency type and
// pandas' thousands="," read them; anything else is not a number.
func TestParseWrittenNumber(t *testing.T) {
	for _, c := range []struct {
		in       string
		want     float64
		integral bool
	}{
		{"68,641.00", 68641, false},
		{"$1,200", 1200, true},
		{"(45.10)", -45.10, false},
		{"12%", 12, true},
		{"-$5", -5, true},
		{"$-5", -5, true},
		{"1,234,567", 1234567, true},
		{" € 3.50 ", 3.5, false},
		{"3.50 €", 3.5, false},
		{"£0.99", 0.99, false},
		{"($1,000.50)", -1000.5, false},
		{"+7%", 7, true},
		{"1e3", 1000, false},
	} {
		v, integral, ok := ParseWrittenNumber(c.in)
		if !ok || v != c.want || integral != c.integral {
			t.Errorf("ParseWrittenNumber(%q) = %v, %v, %v; want %v, %v, true", c.in, v, integral, ok, c.want, c.integral)
		}
	}
	for _, in := range []string{"", "$", "abc", "1,2", "12,34", "1,2345", "1234,567", "1.234,5", "1.2.3", "--5", "(-5)x", "NaN", "Inf", "$Inf", "0x10", "1_000", "5 apples", "%", "()", "12%%"} {
		if v, _, ok := ParseWrittenNumber(in); ok {
			t.Errorf("ParseWrittenNumber(%q) = %v, want not a number", in, v)
		}
	}
}
