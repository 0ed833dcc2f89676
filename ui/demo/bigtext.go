package demo

import "strings"

// font is a 3×5 pixel font for the presenter's verdict: the words and
// figures a verdict uses, drawn with half blocks so five pixel rows take
// three lines of text.
var font = map[rune][5]string{
	'A': {".#.", "#.#", "###", "#.#", "#.#"},
	'C': {".##", "#..", "#..", "#..", ".##"},
	'D': {"##.", "#.#", "#.#", "#.#", "##."},
	'E': {"###", "#..", "##.", "#..", "###"},
	'F': {"###", "#..", "##.", "#..", "#.."},
	'H': {"#.#", "#.#", "###", "#.#", "#.#"},
	'I': {"###", ".#.", ".#.", ".#.", "###"},
	'K': {"#.#", "#.#", "##.", "#.#", "#.#"},
	'L': {"#..", "#..", "#..", "#..", "###"},
	'M': {"#...#", "##.##", "#.#.#", "#...#", "#...#"},
	'N': {"#..#", "##.#", "#.##", "#..#", "#..#"},
	'O': {"###", "#.#", "#.#", "#.#", "###"},
	'R': {"##.", "#.#", "##.", "#.#", "#.#"},
	'S': {".##", "#..", ".#.", "..#", "##."},
	'T': {"###", ".#.", ".#.", ".#.", ".#."},
	'U': {"#.#", "#.#", "#.#", "#.#", "###"},
	'G': {".##", "#..", "#.#", "#.#", ".##"},
	'0': {"###", "#.#", "#.#", "#.#", "###"},
	'1': {".#.", "##.", ".#.", ".#.", "###"},
	'2': {"##.", "..#", ".#.", "#..", "###"},
	'3': {"##.", "..#", ".#.", "..#", "##."},
	'4': {"#.#", "#.#", "###", "..#", "..#"},
	'5': {"###", "#..", "##.", "..#", "##."},
	'6': {".##", "#..", "###", "#.#", "###"},
	'7': {"###", "..#", ".#.", ".#.", ".#."},
	'8': {"###", "#.#", "###", "#.#", "###"},
	'9': {"###", "#.#", "###", "..#", "##."},
	'.': {".", ".", ".", ".", "#"},
	' ': {"..", "..", "..", "..", ".."},
	'm': {".....", ".....", "#####", "#.#.#", "#.#.#"},
	's': {"...", ".##", "#..", "..#", "##."},
	'µ': {"...", "#.#", "#.#", "###", "#.."},
}

// bigText draws s in the font, three lines high, or reports that a
// character of s is not in it.
func bigText(s string) ([]string, bool) {
	var rows [5]strings.Builder
	for i, r := range s {
		g, ok := font[r]
		if !ok {
			return nil, false
		}
		for y := range rows {
			if i > 0 {
				rows[y].WriteByte('.')
			}
			rows[y].WriteString(g[y])
		}
	}
	px := func(y, x int, row []string) bool { return y < len(row) && x < len(row[y]) && row[y][x] == '#' }
	grid := make([]string, 5)
	for y := range rows {
		grid[y] = rows[y].String()
	}
	out := make([]string, 3)
	for line := range out {
		var b strings.Builder
		for x := 0; x < len(grid[0]); x++ {
			top, bottom := px(2*line, x, grid), px(2*line+1, x, grid)
			switch {
			case top && bottom:
				b.WriteString("█")
			case top:
				b.WriteString("▀")
			case bottom:
				b.WriteString("▄")
			default:
				b.WriteByte(' ')
			}
		}
		out[line] = strings.TrimRight(b.String(), " ")
	}
	return out, true
}
