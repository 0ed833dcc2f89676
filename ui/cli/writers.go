package cli

import (
	"errors"
	"fmt"
	"io"

	"github.com/hitmiss/hitmiss/loaders/export"
)

// writeFileAtomic writes path through export.WriteFileAtomic, replacing an
// existing file only with force, and says so in the user's words when it
// will not.
func writeFileAtomic(path string, force bool, write func(io.Writer) error) error {
	err := export.WriteFileAtomic(path, force, write)
	switch {
	case errors.Is(err, export.ErrFileExists):
		return fmt.Errorf("%s: already exists (pass --force to overwrite it)", path)
	case err != nil:
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
