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

// TestE2EListFitsTerminalInEveryLanguage: in French and Spanish, whose
// outcomes and statuses are longer ("Orienter vers une protection"), an
// 80-column terminal keeps each interview on one line: CREATED keeps its
// date alone when leaving out UPDATED is not enough.
func TestE2EListFitsTerminalInEveryLanguage(t *testing.T) {
	e := newE2E(t)
	e.run("dev", "generate", "--count", "6")
	for _, lang := range []string{"en", "fr", "es"} {
		term := termtest.Start(t, binPath, []string{"list", "--lang", lang}, e.env, 80, 24)
		if code, err := term.Wait(wait); err != nil || code != 0 {
			t.Fatalf("list --lang %s: exit %d, %v", lang, code, err)
		}
		out := strings.TrimSpace(term.Output())
		lines := strings.Split(out, "\n")
		for _, l := range lines {
			if n := utf8.RuneCountInString(strings.TrimRight(l, "\r ")); n > 80 {
				t.Errorf("list --lang %s: a line of %d columns: %q", lang, n, l)
			}
		}
		if len(lines) != 7 {
			t.Errorf("list --lang %s: %d lines, want a heading and 6 interviews:\n%s", lang, len(lines), out)
		}
	}
}
