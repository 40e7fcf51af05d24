package forms

import (
	"strings"
	"testing"
	"unicode/utf8"

	"fieldscreen/internal/termtest"
)

// TestE2EListFitsTerminal: `list` on an 80-column terminal leaves out the
// UPDATED column rather than wrapping every line; to a pipe it keeps
// every column (scripts and files see the same table as before).
func TestE2EListFitsTerminal(t *testing.T) {
	e := newE2E(t)
	e.run("dev", "generate", "--count", "3")
	piped := e.run("list")
	if !strings.Contains(piped, "UPDATED") {
		t.Fatalf("list to a pipe lost a column:\n%s", piped)
	}
	term := termtest.Start(t, binPath, []string{"list"}, e.env, 80, 24)
	if code, err := term.Wait(wait); err != nil || code != 0 {
		t.Fatalf("list: exit %d, %v", code, err)
	}
	out := strings.TrimSpace(term.Output())
	if !strings.Contains(out, "CREATED") || strings.Contains(out, "UPDATED") {
		t.Fatalf("list on an 80-column terminal:\n%s", out)
	}
	lines := 0
	for _, l := range strings.Split(out, "\n") {
		l = strings.TrimRight(l, "\r ")
		if n := utf8.RuneCountInString(l); n > 80 {
			t.Errorf("a line of %d columns: %q", n, l)
		}
		lines++
	}
	if lines != 4 {
		t.Fatalf("%d lines, want a heading and 3 interviews:\n%s", lines, out)
	}
}
