package tempfile

import (
	"os"
	"path/filepath"
	"strconv"

	"golang.org/x/sys/unix"
)

// noAnon turns nameless files off, so tests can try the named ones.
var noAnon = false

// openAnon opens a nameless file in dir with O_TMPFILE, if the file
// system has it and the file can later be linked by its /proc path (or
// with AT_EMPTY_PATH).
func openAnon(dir string) (*os.File, bool) {
	if noAnon {
		return nil, false
	}
	if _, err := os.Stat("/proc/self/fd"); err != nil {
		return nil, false
	}
	fd, err := unix.Open(dir, unix.O_TMPFILE|unix.O_RDWR|unix.O_CLOEXEC, 0o600)
	if err != nil {
		return nil, false // EOPNOTSUPP, EISDIR (old kernels), EACCES...: a named file says why
	}
	return os.NewFile(uintptr(fd), filepath.Join(dir, "(unnamed temporary file)")), true
}

func procPath(f *os.File) string { return "/proc/self/fd/" + strconv.Itoa(int(f.Fd())) }

// linkAnon gives a nameless file its name; it fails if path exists.
func linkAnon(f *os.File, path string) error {
	err := unix.Linkat(unix.AT_FDCWD, procPath(f), unix.AT_FDCWD, path, unix.AT_SYMLINK_FOLLOW)
	if err != nil {
		return &os.LinkError{Op: "link", Old: f.Name(), New: path, Err: err}
	}
	return nil
}
