package export

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hitmiss/hitmiss/loaders/frame/stats"
)

// summaryFields are the fields of a column's summary, in the order
// WriteSummaries writes them (pandas' describe(include='all') rows, after
// the column's name, type and missing cells).
var summaryFields = []string{"field", "type", "count", "missing", "unique", "top", "freq",
	"mean", "std", "min", "25%", "50%", "75%", "max"}

// SummaryFormats are the formats WriteSummaries writes.
var SummaryFormats = []string{"table", "csv", "json"}

// WriteSummaries writes column summaries (stats.Summarize) one row per
// column: as an aligned table, as CSV (what does not apply is empty), or
// as a JSON array of objects (null where it does not apply). Numbers are
// written as Python writes them (pandas' to_csv and to_json), shortest
// first; the table shows six significant digits. With sanitize (a
// terminal) text is made safe to print.
func WriteSummaries(w io.Writer, sums []stats.Summary, format string, sanitize bool) error {
	text := func(s string) string { return s }
	if sanitize {
		text = Sanitize
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	switch format {
	case "csv":
		cw := csv.NewWriter(bw)
		cw.Write(summaryFields)
		for _, s := range sums {
			cells := summaryCells(s, text, false)
			rec := make([]string, len(cells))
			for i, c := range cells {
				rec[i] = c.text
			}
			cw.Write(rec)
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
	case "json":
		var b []byte
		b = append(b, '[')
		for i, s := range sums {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, "\n  {"...)
			for j, c := range summaryCells(s, text, false) {
				if j > 0 {
					b = append(b, ", "...)
				}
				b = appendJSONString(b, summaryFields[j])
				b = append(b, ": "...)
				switch {
				case c.null:
					b = append(b, "null"...)
				case c.number:
					b = append(b, c.text...)
				default:
					b = appendJSONString(b, c.text)
				}
			}
			b = append(b, '}')
		}
		b = append(b, "\n]\n"...)
		bw.Write(b)
	case "table", "":
		rows := [][]summaryCell{}
		head := make([]summaryCell, len(summaryFields))
		for i, f := range summaryFields {
			head[i] = summaryCell{text: f}
		}
		rows = append(rows, head)
		for _, s := range sums {
			rows = append(rows, summaryCells(s, text, true))
		}
		widths := make([]int, len(summaryFields))
		for _, r := range rows {
			for i, c := range r {
				widths[i] = max(widths[i], utf8.RuneCountInString(c.text))
			}
		}
		for _, r := range rows {
			var line strings.Builder
			for i, c := range r {
				if i > 0 {
					line.WriteString("  ")
				}
				pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c.text))
				if c.number {
					line.WriteString(pad + c.text)
				} else if i < len(r)-1 {
					line.WriteString(c.text + pad)
				} else {
					line.WriteString(c.text)
				}
			}
			bw.WriteString(strings.TrimRight(line.String(), " ") + "\n")
		}
	default:
		return fmt.Errorf("--format %q: not one of %s", format, strings.Join(SummaryFormats, ", "))
	}
	return bw.Flush()
}

// summaryCell is one field of a summary: its text, whether JSON writes it
// bare, and whether it does not apply (empty, null).
type summaryCell struct {
	text         string
	number, null bool
}

func summaryCells(s stats.Summary, text func(string) string, short bool) []summaryCell {
	num := func(v float64) summaryCell {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return summaryCell{null: true}
		}
		if short {
			return summaryCell{text: strconv.FormatFloat(v, 'g', 6, 64), number: true}
		}
		return summaryCell{text: string(AppendPythonFloat(nil, v)), number: true}
	}
	count := func(n int) summaryCell {
		if n < 0 {
			return summaryCell{null: true}
		}
		return summaryCell{text: strconv.Itoa(n), number: true}
	}
	str := func(v string, applies bool) summaryCell {
		if !applies {
			return summaryCell{null: true}
		}
		return summaryCell{text: text(v)}
	}
	cells := []summaryCell{str(s.Column, true), str(s.Type, true), count(s.Count), count(s.Missing),
		count(s.Unique), str(s.Top, s.Freq >= 0), count(s.Freq), num(s.Mean), num(s.Std)}
	if s.MinText != "" {
		cells = append(cells, str(s.MinText, true))
	} else {
		cells = append(cells, num(s.Min))
	}
	cells = append(cells, num(s.Q25), num(s.Q50), num(s.Q75))
	if s.MaxText != "" {
		cells = append(cells, str(s.MaxText, true))
	} else {
		cells = append(cells, num(s.Max))
	}
	return cells
}

// AppendPythonFloat appends v as Python's repr writes a float (and so
// pandas' to_csv): the shortest text that reads back as v, positional
// from 1e-4 up to 1e16 with at least one decimal (3.0), with an exponent
// otherwise (1e+16, 1e-05).
func AppendPythonFloat(b []byte, v float64) []byte {
	switch {
	case math.IsNaN(v):
		return append(b, "nan"...)
	case math.IsInf(v, 1):
		return append(b, "inf"...)
	case math.IsInf(v, -1):
		return append(b, "-inf"...)
	}
	if a := math.Abs(v); a != 0 && (a < 1e-4 || a >= 1e16) {
		return strconv.AppendFloat(b, v, 'e', -1, 64)
	}
	start := len(b)
	b = strconv.AppendFloat(b, v, 'f', -1, 64)
	for _, c := range b[start:] {
		if c == '.' {
			return b
		}
	}
	return append(b, '.', '0')
}
