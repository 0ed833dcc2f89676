package ui_test

import (
	"encoding/hex"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
)

// burstBytes are the bytes a terminal sends for the explorer's keys (less
// q and ctrl+c, which end it, and e, which writes files): arrows and
// pages as escape sequences, control keys as control bytes.
var burstBytes = []string{
	"\r", "\x1b", "\x7f", "\t", " ", "\x1b[A", "\x1b[B", "\x1b[C", "\x1b[D", "\x1b[5~", "\x1b[6~",
	"\x1b[H", "\x1b[F", "\x15", "\x02", "\x04", "\x06",
	"h", "j", "k", "l", "g", "G", "0", "^", "$", "/", "n", "N", "f", "s", "S", "t", "d", "v", "V",
	"H", "A", "L", "P", "+", "=", "-", "[", "]", "b", "c", "r", "x", "X", "Z", "E", "m", "M",
	"#", "B", "D", ":", "U", "<", ">", "(", ")", "!", "w", "y", "Y", "?", "a", "1", ",",
}

// The real binary takes bursts of keys, each burst written to the
// terminal at once (so it arrives in one read), at three sizes: it stays
// alive, and after each burst the screen has its title and status bar.
// The first burst is the one the issue named: enter and j together on the
// dataset list, which crashed on a nil table.
func TestBurstsOfKeysInTmux(t *testing.T) {
	for i, size := range [][2]int{{100, 30}, {80, 24}, {60, 15}} {
		s := startTmuxSized(t, size[0], size[1])
		s.waitText("Datasets")
		rng := rand.New(rand.NewPCG(uint64(i), 19))
		bursts := []string{"\rj", "\x1b\x1b\x1b", "\rG", "]j"}
		for range 30 {
			var b strings.Builder
			for range 2 + rng.IntN(7) {
				b.WriteString(burstBytes[rng.IntN(len(burstBytes))])
			}
			bursts = append(bursts, b.String())
		}
		for _, burst := range bursts {
			s.sendBytes(burst)
			s.waitFor("a sane screen after "+hex.EncodeToString([]byte(burst)), func(sc string) bool {
				return sane(s, sc, size[1])
			})
		}
		s.sendBytes("\x03") // ctrl+c quits from anywhere, a prompt too
		s.waitExit("ctrl+c")
	}
}

// sane reports whether the explorer is alive and its screen whole: the
// title on the first line, the status bar (its rerun count) on the last,
// no more lines than the window has.
func sane(s *tmuxSession, screen string, height int) bool {
	if b, err := os.ReadFile(s.exit); err == nil && strings.TrimSpace(string(b)) != "" {
		s.t.Fatalf("the explorer exited (status %s); the screen shows:\n%s", strings.TrimSpace(string(b)), screen)
	}
	if strings.Contains(screen, "panic") || strings.Contains(screen, "goroutine") {
		s.t.Fatalf("the explorer panicked:\n%s", screen)
	}
	lines := strings.Split(strings.TrimRight(screen, "\n"), "\n")
	return len(lines) <= height && strings.HasPrefix(lines[0], "hitmiss") && strings.HasPrefix(lines[len(lines)-1], "rerun #")
}
