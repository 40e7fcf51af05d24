package tempfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func names(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

// both runs a test with nameless files (where the system has them) and
// with named, journaled ones.
func both(t *testing.T, fn func(t *testing.T, anon bool)) {
	for _, anon := range []bool{true, false} {
		name := "named"
		if anon {
			name = "nameless"
		}
		t.Run(name, func(t *testing.T) {
			if anon && noAnon {
				t.Skip("no nameless files on " + runtime.GOOS)
			}
			old := noAnon
			noAnon = !anon
			t.Cleanup(func() { noAnon = old })
			fn(t, anon)
		})
	}
}

func TestLinkNeverReplaces(t *testing.T) {
	both(t, func(t *testing.T, anon bool) {
		dir, journal := t.TempDir(), t.TempDir()
		f, err := Create(dir, Prefix+"test-*.tmp", journal)
		if err != nil {
			t.Fatal(err)
		}
		if f.Nameless() != anon {
			t.Fatalf("Nameless() = %v, want %v", f.Nameless(), anon)
		}
		if anon && len(names(t, dir)) != 0 {
			t.Fatalf("a nameless file shows in the folder: %v", names(t, dir))
		}
		f.WriteString("complete")
		f.Sync()
		out := filepath.Join(dir, "out.json")
		if err := f.Link(out); err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(out); string(b) != "complete" {
			t.Fatalf("linked file holds %q", b)
		}
		if got := names(t, dir); len(got) != 1 {
			t.Fatalf("folder holds %v, want only out.json", got)
		}
		if got := names(t, journal); len(got) != 0 {
			t.Fatalf("journal keeps %v after the file was linked", got)
		}

		g, err := Create(dir, Prefix+"test-*.tmp", journal)
		if err != nil {
			t.Fatal(err)
		}
		g.WriteString("second")
		g.Sync()
		if err := g.Link(out); !errors.Is(err, fs.ErrExist) {
			t.Fatalf("Link over an existing file: %v, want ErrExist", err)
		}
		g.Discard()
		if b, _ := os.ReadFile(out); string(b) != "complete" {
			t.Fatalf("existing file replaced: %q", b)
		}
		if got := names(t, dir); len(got) != 1 {
			t.Fatalf("folder holds %v after a refused link", got)
		}
	})
}

func TestReplace(t *testing.T) {
	both(t, func(t *testing.T, anon bool) {
		dir := t.TempDir()
		path := filepath.Join(dir, "store.db")
		os.WriteFile(path, []byte("old"), 0o600)
		f, err := Create(dir, Prefix+"compact-*", "")
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString("new")
		f.Sync()
		if err := f.Replace(path); err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(path); string(b) != "new" {
			t.Fatalf("replaced file holds %q", b)
		}
		if got := names(t, dir); len(got) != 1 {
			t.Fatalf("folder holds %v", got)
		}
	})
}

// TestSweepErasesWhatAKilledProcessLeft: a named temporary file whose
// process died (its descriptor closed, never discarded) is erased by the
// next Sweep; one still being written is left alone.
func TestSweepErasesWhatAKilledProcessLeft(t *testing.T) {
	old := noAnon
	noAnon = true
	t.Cleanup(func() { noAnon = old })
	dir, journal := t.TempDir(), t.TempDir()
	dead, err := Create(dir, Prefix+"export-*.tmp", journal)
	if err != nil {
		t.Fatal(err)
	}
	dead.WriteString("plaintext personal data")
	name := dead.Name()
	dead.File.Close() // the process is gone; its lock with it

	live, err := Create(dir, Prefix+"export-*.tmp", journal)
	if err != nil {
		t.Fatal(err)
	}
	defer live.Discard()

	if n := Sweep(journal); n != 1 {
		t.Fatalf("Sweep erased %d files, want 1", n)
	}
	if _, err := os.Stat(name); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("the dead process's file is still there: %v", err)
	}
	if runtime.GOOS != "windows" {
		if _, err := os.Stat(live.Name()); err != nil {
			t.Fatalf("Sweep erased a file a live process is writing: %v", err)
		}
	}
	if got := names(t, journal); len(got) != 1 {
		t.Fatalf("journal holds %v, want the live file's entry only", got)
	}
}

func TestSweepTouchesOnlyItsOwnFiles(t *testing.T) {
	dir, journal := t.TempDir(), t.TempDir()
	victim := filepath.Join(dir, "precious.db")
	os.WriteFile(victim, []byte("keep me"), 0o600)
	os.WriteFile(filepath.Join(journal, "pending-forged"), []byte(victim), 0o600)
	Sweep(journal)
	if b, _ := os.ReadFile(victim); string(b) != "keep me" {
		t.Fatal("Sweep erased a file it did not make")
	}
}
