// Package tempfile makes the temporary files fieldscreen writes personal
// data into (a plaintext bundle, a compacted copy of the store) so that a
// process killed half-way leaves nothing behind that anyone can open.
//
// Where the system allows (Linux: O_TMPFILE), the file has no name until
// it is complete: a SIGKILL or a power cut frees it with the process.
// Elsewhere (other systems, file systems without O_TMPFILE such as FAT on
// a USB stick) it is an ordinary hidden file, and its path is written to a
// journal folder first; Sweep, at the next start, overwrites with zeros and
// removes every file a journal entry names, so a killed process's file
// lives only until fieldscreen runs again.
//
// The package knows nothing of interviews; it must not print or prompt.
package tempfile

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Prefix starts the name of every named temporary file, so that Sweep
// erases only what this package made.
const Prefix = ".fieldscreen-"

// File is a temporary file being written.
type File struct {
	*os.File
	dir     string
	pattern string
	anon    bool   // no name yet (O_TMPFILE)
	name    string // its name when it has one
	entry   string // its journal entry, if any
}

// Create makes a temporary file in dir, mode 0600. The name pattern (as
// os.CreateTemp takes it; with a journal it must start with Prefix) is
// used only if the file cannot be nameless. journal is a folder for the journal entry of a
// named file ("" for none: the caller then finds leftovers itself).
func Create(dir, pattern, journal string) (*File, error) {
	if journal != "" && !strings.HasPrefix(pattern, Prefix) {
		return nil, fmt.Errorf("tempfile: a journaled file's pattern %q must start with %q", pattern, Prefix)
	}
	t := &File{dir: dir, pattern: pattern}
	if f, ok := openAnon(dir); ok {
		t.File, t.anon = f, true
		return t, nil
	}
	// A journal entry first: a kill right after the file appears must
	// still find it written down.
	if journal != "" {
		e, err := writeEntry(journal, "")
		if err != nil {
			return nil, err
		}
		t.entry = e
	}
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		t.dropEntry()
		return nil, err
	}
	t.File, t.name = f, f.Name()
	lockFile(f) // Sweep leaves a locked file alone: its process is alive
	if t.entry != "" {
		if err := os.WriteFile(t.entry, []byte(t.name), 0o600); err != nil {
			t.Discard()
			return nil, fmt.Errorf("cannot record the temporary file: %w", err)
		}
	}
	if err := f.Chmod(0o600); err != nil {
		t.Discard()
		return nil, err
	}
	return t, nil
}

// Nameless reports whether the file has no name in any folder.
func (t *File) Nameless() bool { return t.anon }

// Path is where the file can be opened again by name: its name, or on
// Linux the /proc path of the open descriptor of a nameless file.
func (t *File) Path() string {
	if t.anon {
		return procPath(t.File)
	}
	return t.name
}

// Link gives the complete file the name path, which must not exist (no
// file is ever replaced), and closes it. t must have been synced.
func (t *File) Link(path string) error {
	if t.anon {
		err := linkAnon(t.File, path)
		t.File.Close()
		return err
	}
	if err := t.File.Close(); err != nil {
		t.Discard()
		return err
	}
	err := os.Link(t.name, path)
	switch {
	case err == nil:
		os.Remove(t.name)
	case errors.Is(err, fs.ErrExist):
		t.Discard()
		return err
	default:
		// No hard links here (FAT): rename, after looking once more.
		if _, lerr := os.Lstat(path); lerr == nil {
			t.Discard()
			return fmt.Errorf("%s: %w", path, fs.ErrExist)
		}
		if err := os.Rename(t.name, path); err != nil {
			t.Discard()
			return err
		}
	}
	t.dropEntry()
	return nil
}

// Replace puts the complete file in place of path (renamed over it
// atomically) and closes it. A nameless file is first linked under a
// hidden name made from the pattern, which is left behind only if the
// process dies between the two steps. t must have been synced.
func (t *File) Replace(path string) error {
	if t.anon {
		name, err := hiddenName(t.dir, t.pattern)
		if err != nil {
			t.File.Close()
			return err
		}
		if err := linkAnon(t.File, name); err != nil {
			t.File.Close()
			return err
		}
		t.File.Close()
		t.anon, t.name = false, name
	} else if err := t.File.Close(); err != nil {
		t.Discard()
		return err
	}
	if err := os.Rename(t.name, path); err != nil {
		os.Remove(t.name)
		t.dropEntry()
		return err
	}
	t.dropEntry()
	return nil
}

// Discard closes the file and erases it (a named one is overwritten with
// zeros first). It is safe to call more than once and after Link.
func (t *File) Discard() {
	if t.File != nil {
		t.File.Close()
	}
	if t.name != "" {
		Erase(t.name)
		t.name = ""
	}
	t.dropEntry()
}

func (t *File) dropEntry() {
	if t.entry != "" {
		os.Remove(t.entry)
		t.entry = ""
	}
}

// hiddenName is a fresh name in dir from pattern (its last * replaced).
func hiddenName(dir, pattern string) (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	r := hex.EncodeToString(b[:])
	if i := strings.LastIndex(pattern, "*"); i >= 0 {
		return filepath.Join(dir, pattern[:i]+r+pattern[i+1:]), nil
	}
	return filepath.Join(dir, pattern+r), nil
}

// writeEntry makes a new journal entry holding content.
func writeEntry(journal, content string) (string, error) {
	if err := os.MkdirAll(journal, 0o700); err != nil {
		return "", fmt.Errorf("cannot make the temporary file journal: %w", err)
	}
	name, err := hiddenName(journal, "pending-*")
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(name, []byte(content), 0o600); err != nil {
		return "", fmt.Errorf("cannot make the temporary file journal: %w", err)
	}
	return name, nil
}

// Sweep erases the temporary files that journal's entries name: the files
// of processes killed before they could remove them. It returns how many
// files it erased. Only files whose name starts with Prefix are touched.
func Sweep(journal string) int {
	entries, err := os.ReadDir(journal)
	if err != nil {
		return 0
	}
	n := 0
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), "pending-") {
			continue
		}
		entry := filepath.Join(journal, e.Name())
		b, err := os.ReadFile(entry)
		if err != nil {
			continue
		}
		name := string(b)
		if name == "" {
			// Written before its file was made; the file may be being made
			// right now by a live process. Old ones are dropped below.
			if fi, err := e.Info(); err == nil && !recent(fi) {
				os.Remove(entry)
			}
			continue
		}
		if filepath.IsAbs(name) && strings.HasPrefix(filepath.Base(name), Prefix) {
			if fi, err := os.Lstat(name); err == nil && fi.Mode().IsRegular() {
				if inUse(name) {
					continue // a live process is writing it
				}
				if Erase(name) != nil {
					continue // try again next time
				}
				n++
			}
		}
		os.Remove(entry)
	}
	return n
}

// recent reports whether a journal entry was written in the last hour.
func recent(fi fs.FileInfo) bool { return time.Since(fi.ModTime()) < time.Hour }

// Erase overwrites a regular file with zeros, syncs it and removes it
// (best effort: flash storage may keep copies of the old blocks).
func Erase(name string) error {
	f, err := os.OpenFile(name, os.O_WRONLY, 0)
	if err == nil {
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
			zeros := make([]byte, 64<<10)
			for off := int64(0); off < fi.Size(); off += int64(len(zeros)) {
				n := min(int64(len(zeros)), fi.Size()-off)
				if _, err := f.WriteAt(zeros[:n], off); err != nil {
					break
				}
			}
			f.Sync()
		}
		f.Close()
	}
	return os.Remove(name)
}
