package filter

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
)

// CompileSearch compiles a search pattern as the find_matches step uses
// it: a regular expression, matched ignoring case.
func CompileSearch(pattern string) (*regexp.Regexp, error) {
	re, err := regexp.Compile("(?i)" + pattern)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", pattern, unwrapRegexpError(err))
	}
	return re, nil
}

func unwrapRegexpError(err error) error {
	var se *syntax.Error
	if errors.As(err, &se) {
		return fmt.Errorf("%s: %s", se.Code, se.Expr)
	}
	return err
}
