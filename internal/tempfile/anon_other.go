//go:build !linux

package tempfile

import (
	"errors"
	"os"
)

var noAnon = true

// openAnon: only Linux has nameless files (O_TMPFILE).
func openAnon(string) (*os.File, bool) { return nil, false }

func procPath(f *os.File) string { return f.Name() }

func linkAnon(*os.File, string) error { return errors.ErrUnsupported }
