package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// DefaultPath is where the store lives unless the user says otherwise:
// $XDG_DATA_HOME/fieldscreen/interviews.db (else ~/.local/share/...) on
// Linux and other Unix systems, ~/Library/Application Support/fieldscreen/
// on macOS and %LocalAppData%\fieldscreen\ on Windows.
func DefaultPath() (string, error) {
	const dir, file = "fieldscreen", "interviews.db"
	switch runtime.GOOS {
	case "windows":
		base := os.Getenv("LocalAppData")
		if base == "" {
			return "", errors.New("cannot find the local application data folder: %LocalAppData% is not set")
		}
		return filepath.Join(base, dir, file), nil
	case "darwin", "ios":
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		return filepath.Join(home, "Library", "Application Support", dir, file), nil
	default:
		// The XDG spec says to ignore a relative XDG_DATA_HOME.
		if base := os.Getenv("XDG_DATA_HOME"); base != "" && filepath.IsAbs(base) {
			return filepath.Join(base, dir, file), nil
		}
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		return filepath.Join(home, ".local", "share", dir, file), nil
	}
}

// resolvePath is the file a store path names. A symbolic link is
// followed, so that a compaction renames its new file over the link's
// target and never over the link (which would leave the old target, with
// everything erased from the store, where it was). Anything but a regular
// file (a named pipe, a device, a folder) is refused at once: opening a
// pipe would wait for a writer for ever.
func resolvePath(path string) (string, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return path, fmt.Errorf("%w: %s", ErrNotFound, path)
		}
		return path, fmt.Errorf("cannot open the interview store: %w", err)
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		real, err := filepath.EvalSymlinks(path)
		if err != nil {
			return path, fmt.Errorf("%w: %s is a symbolic link to a file that does not exist", ErrNotFound, path)
		}
		if fi, err = os.Stat(real); err != nil {
			return path, fmt.Errorf("cannot open the interview store: %w", err)
		}
		path = real
	}
	if !fi.Mode().IsRegular() {
		return path, &NotFileError{Path: path, Mode: fi.Mode()}
	}
	return path, nil
}

// NotFileError says the store path names something other than a file.
// It matches ErrNotRegular with errors.Is.
type NotFileError struct {
	Path string
	Mode fs.FileMode
}

func (e *NotFileError) Error() string {
	kind := "not a regular file"
	switch t := e.Mode.Type(); {
	case t&fs.ModeNamedPipe != 0:
		kind = "a named pipe (FIFO)"
	case t&fs.ModeSocket != 0:
		kind = "a socket"
	case t&fs.ModeDevice != 0:
		kind = "a device"
	case t&fs.ModeDir != 0:
		kind = "a folder"
	}
	return fmt.Sprintf("%v: %s is %s", ErrNotRegular, e.Path, kind)
}

func (e *NotFileError) Is(target error) bool { return target == ErrNotRegular }
