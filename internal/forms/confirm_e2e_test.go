package forms

import (
	"strings"
	"testing"
	"unicode/utf8"

	"fieldscreen/internal/termtest"
)

// TestE2EEraseListFitsTerminal: before erasing, delete lists what it is
// about to erase, each interview on one line of the terminal: at 120
// columns with both times, at 80 without the change time, at 60 with the
// start date alone. Answering no erases nothing.
func TestE2EEraseListFitsTerminal(t *testing.T) {
	e := newE2E(t)
	e.run("dev", "generate", "--count", "2")
	var ids []string
	for _, l := range strings.Split(strings.TrimSpace(e.run("list")), "\n")[1:] {
		ids = append(ids, strings.Fields(l)[0])
	}
	if len(ids) != 2 {
		t.Fatalf("list gave %d interviews", len(ids))
	}
	for _, c := range []struct {
		cols     int
		has, not []string
	}{
		{120, []string{"started 20", "changed 20"}, nil},
		{80, []string{"started 20"}, []string{"changed"}},
		{60, []string{"started 20"}, []string{"changed", ":"}},
	} {
		term := termtest.Start(t, binPath, append([]string{"delete"}, ids...), e.env, c.cols, 24)
		term.WaitFor("[y/N]", wait)
		screen := term.Screen()
		term.Type("n\r")
		if code, err := term.Wait(wait); err != nil || code == 0 {
			t.Fatalf("%d columns: declining the erasure: exit %d, %v", c.cols, code, err)
		}
		var rows []string
		for _, l := range strings.Split(screen, "\n") {
			l = strings.TrimRight(l, " ")
			for _, id := range ids {
				if strings.HasPrefix(strings.TrimSpace(l), id) {
					rows = append(rows, l)
				}
			}
		}
		if len(rows) != 2 {
			t.Fatalf("%d columns: %d rows naming the interviews, want 2 whole lines:\n%s", c.cols, len(rows), screen)
		}
		for _, r := range rows {
			if n := utf8.RuneCountInString(r); n >= c.cols {
				t.Errorf("%d columns: a row of %d: %q", c.cols, n, r)
			}
			row := r[strings.Index(r, "started"):]
			for _, h := range c.has {
				if !strings.Contains(r, h) {
					t.Errorf("%d columns: row lacks %q: %q", c.cols, h, r)
				}
			}
			for _, n := range c.not {
				if strings.Contains(row, n) {
					t.Errorf("%d columns: row holds %q: %q", c.cols, n, r)
				}
			}
		}
	}
	if got := strings.Count(e.run("list"), "\n"); got != 3 {
		t.Fatalf("declined erasure changed the store: list has %d lines", got)
	}
}
