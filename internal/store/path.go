package store

import (
	"errors"
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
