package jsonlread

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"
	"unsafe"
)

// scanner reads one line of JSON lines: an object, its values typed as
// cells. It checks the line as encoding/json does (a line it takes,
// json.Valid takes) but reads without a decoder, a reflection or an
// allocation per value: a string without escapes, a number and a literal
// are parts of the line. A string with escapes, or with bytes that are not
// UTF-8, and a nested value are read by encoding/json.
type scanner struct {
	b []byte
	i int
}

var errNotObject = errors.New("not a JSON object: every line of JSON lines holds one {…}")

// object reads the object line (trimmed, not empty), calling fn with each
// key and value in order: the value's text, its kind (see cells), and
// whether the text is a part of the line (else bytes of its own).
func (s *scanner) object(line []byte, fn func(key, text []byte, kind byte, inline bool)) error {
	s.b, s.i = line, 0
	if line[0] != '{' {
		return errNotObject
	}
	s.i++
	s.space()
	if s.peek() == '}' {
		s.i++
		return s.end()
	}
	for {
		if s.peek() != '"' {
			return s.invalid("a key")
		}
		key, err := s.key()
		if err != nil {
			return err
		}
		s.space()
		if s.peek() != ':' {
			return s.invalid("':' after the key")
		}
		s.i++
		s.space()
		text, kind, inline, err := s.value()
		if err != nil {
			return err
		}
		fn(key, text, kind, inline)
		s.space()
		switch s.peek() {
		case ',':
			s.i++
			s.space()
		case '}':
			s.i++
			return s.end()
		default:
			return s.invalid("',' or '}' after a value")
		}
	}
}

// end checks that nothing but spaces follows the object.
func (s *scanner) end() error {
	s.space()
	if s.i < len(s.b) {
		return errors.New("more than one JSON value on the line")
	}
	return nil
}

func (s *scanner) peek() byte {
	if s.i < len(s.b) {
		return s.b[s.i]
	}
	return 0
}

func (s *scanner) space() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\r', '\n':
			s.i++
		default:
			return
		}
	}
}

// invalid says what the scanner wanted at s.i and what it found.
func (s *scanner) invalid(want string) error {
	if s.i >= len(s.b) {
		return fmt.Errorf("not valid JSON: the line ends where %s should be", want)
	}
	return fmt.Errorf("not valid JSON: %q at byte %d where %s should be", s.b[s.i], s.i+1, want)
}

// key reads the string at s.i as a key: its bytes, in the line when it has
// no escape.
func (s *scanner) key() ([]byte, error) {
	start, end, plain := s.stringEnd()
	if end < 0 {
		return nil, s.invalid("the key's closing '\"'")
	}
	if plain {
		s.i = end + 1
		return s.b[start+1 : end], nil
	}
	text, err := s.quoted(start, end)
	return []byte(text), err
}

// stringEnd finds the closing quote of the string at s.i: the string's
// first and last byte (its quotes; end -1: no closing quote), and whether
// its text is its bytes as they are — no escape, no control byte, ASCII
// or valid UTF-8.
func (s *scanner) stringEnd() (start, end int, plain bool) {
	start, plain = s.i, true
	ascii := true
	for j := start + 1; j < len(s.b); j++ {
		switch c := s.b[j]; {
		case c == '"':
			if !ascii && plain {
				plain = utf8.Valid(s.b[start+1 : j])
			}
			return start, j, plain
		case c == '\\':
			plain = false
			j++ // the escaped byte; encoding/json checks the escape
		case c < 0x20:
			plain = false
		case c >= 0x80:
			ascii = false
		}
	}
	return start, -1, false
}

// quoted reads the string s.b[start:end+1] with encoding/json: its
// escapes read, bytes that are not UTF-8 made U+FFFD, a control byte an
// error.
func (s *scanner) quoted(start, end int) (string, error) {
	var text string
	if err := json.Unmarshal(s.b[start:end+1], &text); err != nil {
		return "", fmt.Errorf("not valid JSON: %v", err)
	}
	s.i = end + 1
	return text, nil
}

// value reads the value at s.i.
func (s *scanner) value() (text []byte, kind byte, inline bool, err error) {
	switch c := s.peek(); {
	case c == '"':
		start, end, plain := s.stringEnd()
		if end < 0 {
			return nil, 0, false, s.invalid("the string's closing '\"'")
		}
		if plain {
			s.i = end + 1
			return s.b[start+1 : end], 's', true, nil
		}
		text, err := s.quoted(start, end)
		return []byte(text), 's', false, err
	case c == '-' || c >= '0' && c <= '9':
		start := s.i
		if !s.number() {
			return nil, 0, false, s.invalid("a number's next digit")
		}
		return s.b[start:s.i], 'n', true, nil
	case c == 't':
		return s.literal("true", 'b')
	case c == 'f':
		return s.literal("false", 'b')
	case c == 'n':
		_, _, _, err := s.literal("null", 0)
		return nil, 0, true, err
	case c == '{' || c == '[':
		text, err := s.nested()
		return text, 'j', false, err
	}
	return nil, 0, false, s.invalid("a value")
}

// number reads a JSON number at s.i: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func (s *scanner) number() bool {
	if s.peek() == '-' {
		s.i++
	}
	switch c := s.peek(); {
	case c == '0':
		s.i++
	case c >= '1' && c <= '9':
		s.digits()
	default:
		return false
	}
	if s.peek() == '.' {
		s.i++
		if !s.digits() {
			return false
		}
	}
	if c := s.peek(); c == 'e' || c == 'E' {
		s.i++
		if c := s.peek(); c == '+' || c == '-' {
			s.i++
		}
		if !s.digits() {
			return false
		}
	}
	return true
}

// digits reads one digit or more, and reports whether there was one.
func (s *scanner) digits() bool {
	start := s.i
	for s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '9' {
		s.i++
	}
	return s.i > start
}

func (s *scanner) literal(word string, kind byte) ([]byte, byte, bool, error) {
	if !bytes.HasPrefix(s.b[s.i:], []byte(word)) {
		return nil, 0, false, s.invalid("a value")
	}
	s.i += len(word)
	return s.b[s.i-len(word) : s.i], kind, true, nil
}

// nested reads the object or array at s.i as its compact JSON text.
func (s *scanner) nested() ([]byte, error) {
	start, depth := s.i, 0
	for ; s.i < len(s.b); s.i++ {
		switch s.b[s.i] {
		case '"':
			_, end, _ := s.stringEnd()
			if end < 0 {
				return nil, s.invalid("the string's closing '\"'")
			}
			s.i = end
		case '{', '[':
			depth++
		case '}', ']':
			depth--
		}
		if depth == 0 {
			s.i++
			raw := s.b[start:s.i]
			var b bytes.Buffer
			if err := json.Compact(&b, raw); err != nil {
				return nil, fmt.Errorf("not valid JSON: %v", err)
			}
			return b.Bytes(), nil
		}
	}
	return nil, s.invalid("the closing bracket")
}

// inLine is b as a string without a copy: the text points into a piece's
// buffers, never written to once read; column copies the texts it keeps.
func inLine(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}
