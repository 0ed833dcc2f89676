package serve

import (
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// screen is the smallest terminal the explorer's frames need: printable
// characters, CR, LF, and the CSI sequences bubbletea's renderer writes
// (cursor moves and positions, erases); colours, modes and OSC strings are
// read and ignored. Every character is one cell: the explorer draws only
// narrow ones. What a client sees is then the grid, not the byte stream,
// which holds every frame ever drawn.
type screen struct {
	mu       sync.Mutex
	w, h     int
	cells    [][]rune
	row, col int
	pending  []byte // an escape sequence cut by a read
}

func newScreen(w, h int) *screen {
	s := &screen{w: w, h: h}
	s.cells = make([][]rune, h)
	for i := range s.cells {
		s.cells[i] = blank(w)
	}
	return s
}

func blank(w int) []rune {
	r := make([]rune, w)
	for i := range r {
		r[i] = ' '
	}
	return r
}

// Write feeds terminal output to the screen.
func (s *screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := append(s.pending, p...)
	s.pending = nil
	for len(b) > 0 {
		switch c := b[0]; {
		case c == 0x1b:
			n := s.escape(b)
			if n == 0 { // incomplete: wait for the rest
				s.pending = append([]byte(nil), b...)
				return len(p), nil
			}
			b = b[n:]
		case c == '\r':
			s.col = 0
			b = b[1:]
		case c == '\n':
			s.lineFeed()
			b = b[1:]
		case c < 0x20 || c == 0x7f:
			b = b[1:]
		default:
			if !utf8.FullRune(b) { // a cut UTF-8 sequence
				s.pending = append([]byte(nil), b...)
				return len(p), nil
			}
			r, size := utf8.DecodeRune(b)
			s.put(r)
			b = b[size:]
		}
	}
	return len(p), nil
}

func (s *screen) put(r rune) {
	if s.col >= s.w {
		return // the renderer never wraps: a full line stays put
	}
	s.cells[s.row][s.col] = r
	s.col++
}

func (s *screen) lineFeed() {
	if s.row < s.h-1 {
		s.row++
		return
	}
	copy(s.cells, s.cells[1:])
	s.cells[s.h-1] = blank(s.w)
}

// escape handles the sequence at the start of b and returns its length, 0
// when b holds only part of it.
func (s *screen) escape(b []byte) int {
	if len(b) < 2 {
		return 0
	}
	switch b[1] {
	case '[':
		for i := 2; i < len(b); i++ {
			if b[i] >= 0x40 && b[i] <= 0x7e {
				s.csi(string(b[2:i]), b[i])
				return i + 1
			}
		}
		return 0
	case ']', 'P', '_': // OSC, DCS, APC: up to BEL or ST
		for i := 2; i < len(b); i++ {
			if b[i] == 0x07 {
				return i + 1
			}
			if b[i] == 0x1b && i+1 < len(b) && b[i+1] == '\\' {
				return i + 2
			}
		}
		return 0
	}
	return 2
}

func (s *screen) csi(params string, final byte) {
	if strings.HasPrefix(params, "?") || strings.HasPrefix(params, ">") {
		return // private modes (alt screen, cursor, mouse): no drawing
	}
	args := strings.Split(params, ";")
	arg := func(i, def int) int {
		if i < len(args) {
			if n, err := strconv.Atoi(args[i]); err == nil && n > 0 {
				return n
			}
		}
		return def
	}
	switch final {
	case 'A':
		s.row = max(s.row-arg(0, 1), 0)
	case 'B':
		s.row = min(s.row+arg(0, 1), s.h-1)
	case 'C':
		s.col = min(s.col+arg(0, 1), s.w)
	case 'D':
		s.col = max(s.col-arg(0, 1), 0)
	case 'G':
		s.col = min(arg(0, 1)-1, s.w)
	case 'H', 'f':
		s.row, s.col = min(arg(0, 1)-1, s.h-1), min(arg(1, 1)-1, s.w)
	case 'J':
		from := s.row
		if arg(0, 0) == 2 || arg(0, 0) == 3 {
			from = 0
		} else {
			s.eraseLine(s.col, s.w)
			from++
		}
		for r := from; r < s.h; r++ {
			s.cells[r] = blank(s.w)
		}
	case 'K':
		switch arg(0, 0) {
		case 1:
			s.eraseLine(0, s.col+1)
		case 2:
			s.eraseLine(0, s.w)
		default:
			s.eraseLine(s.col, s.w)
		}
	}
}

func (s *screen) eraseLine(from, to int) {
	for c := max(from, 0); c < min(to, s.w); c++ {
		s.cells[s.row][c] = ' '
	}
}

// String is the screen's text, one line per row, trailing blanks cut.
func (s *screen) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	lines := make([]string, s.h)
	for i, r := range s.cells {
		lines[i] = strings.TrimRight(string(r), " ")
	}
	return strings.Join(lines, "\n")
}
