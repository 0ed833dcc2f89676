package ui

import (
	"testing"
	"time"
)

func TestFormatFloatNeverHidesIntegerDigits(t *testing.T) {
	for _, c := range []struct {
		v      float64
		digits int
		want   string
	}{
		{1999999, 6, "1999999"},   // was 2e+06
		{1234567, 6, "1234567"},   // was 1.23457e+06
		{1499999.5, 6, "1500000"}, // rounded to 6 significant digits, no exponent
		{2.5, 6, "2.5"},           // short values unchanged
		{0.000012345678, 6, "1.23457e-05"},
		{3e20, 6, "3e+20"}, // beyond integers a float holds exactly
		{-7654321, 6, "-7654321"},
		{1016.6, 6, "1016.6"},
	} {
		if got := formatFloat(c.v, c.digits); got != c.want {
			t.Errorf("formatFloat(%v, %d) = %q, want %q", c.v, c.digits, got, c.want)
		}
	}
}

func TestReadableDurationKeepsThreeDigits(t *testing.T) {
	for d, want := range map[time.Duration]string{
		2013456 * time.Microsecond:  "2.01s",
		12345678 * time.Microsecond: "12.3s",
		123456 * time.Microsecond:   "123ms",
		1234567 * time.Nanosecond:   "1.23ms",
		9123 * time.Nanosecond:      "9.12µs",
		512 * time.Nanosecond:       "512ns",
		0:                           "0s",
	} {
		if got := readableDuration(d); got != want {
			t.Errorf("readableDuration(%v) = %q, want %q", d, got, want)
		}
	}
}
