package forms

// Unit tests of the question screens: wrapping, sizes, the cursor on an
// unanswered question, the Enter guard and going back through an intro.

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

func TestWrapText(t *testing.T) {
	for _, tc := range []struct {
		in    string
		width int
		want  string
	}{
		{"", 10, ""},
		{"one two three", 7, "one two\nthree"},
		{"one two three", 3, "one\ntwo\nthr\nee"},
		{"a, b, c, d", 5, "a, b,\nc, d"},
		{"Oui\u00a0? Non", 5, "Oui\u00a0?\nNon"},
		{"para one\n\npara two", 20, "para one\n\npara two"},
		{"trailing  spaces  ", 20, "trailing spaces"},
		{"niño niña", 4, "niño\nniña"},
		// A bullet's continuation lines hang under its text.
		{"• Asylum and legal: Asylum procedure; Legal aid\n• Health", 24, "• Asylum and legal:\n  Asylum procedure;\n  Legal aid\n• Health"},
	} {
		if got := wrapText(tc.in, tc.width); got != tc.want {
			t.Errorf("wrapText(%q, %d) = %q, want %q", tc.in, tc.width, got, tc.want)
		}
	}
}

// flowTexts are every label, hint, intro and choice of the built-in flow
// in lang, and the screen's own longer words.
func flowTexts(t *testing.T, lang string) []string {
	f := builtin(t)
	var out []string
	for _, s := range f.Sections {
		out = append(out, f.T(s.Title, lang), f.T(s.Intro, lang))
	}
	for _, q := range f.Questions {
		out = append(out, f.T(q.Label, lang), f.T(q.Hint, lang))
		for _, c := range q.Choices {
			out = append(out, f.T(c.Label, lang))
		}
	}
	return out
}

// Every text of the flow wraps once: no line is wider than asked, no
// word is lost, and no line could have taken the next line's first word
// (the one-word lines of wrapping twice).
func TestWrapTextFlow(t *testing.T) {
	for _, lang := range []string{"en", "fr", "es"} {
		for _, s := range flowTexts(t, lang) {
			for _, w := range []int{20, 46, 48, 56, 58, 76, 98} {
				checkWrapped(t, s, wrapText(s, w), w)
			}
		}
	}
}

func checkWrapped(t *testing.T, in, out string, width int) {
	t.Helper()
	if strings.Join(strings.FieldsFunc(out, breakable), " ") != strings.Join(strings.FieldsFunc(in, breakable), " ") {
		t.Errorf("wrapping at %d changed the words of %q:\n%s", width, in, out)
		return
	}
	paras := strings.Split(strings.TrimSpace(in), "\n")
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		if w := ansi.StringWidth(l); w > width {
			t.Errorf("line %q is %d wide, more than %d", l, w, width)
		}
		if i+1 < len(lines) && l != "" && lines[i+1] != "" && len(paras) == 1 {
			next := strings.FieldsFunc(lines[i+1], breakable)[0]
			if ansi.StringWidth(l)+1+ansi.StringWidth(next) <= width {
				t.Errorf("at width %d, %q fits after %q:\n%s", width, next, l, out)
			}
		}
	}
}

// sizes are the terminals every screen must fit: the smallest the form
// draws in, the small and large ones, and the usual one.
var sizes = [][2]int{{minWidth, minHeight}, {60, 20}, {80, 24}, {200, 50}}

// screens returns one screen of each kind the built-in flow shows: every
// section's intro, every note and every question asked, each on a runner
// of its own whose interview has answered nothing.
func screens(t *testing.T, lang string) []*runner {
	f := speaking(t, lang)
	var out []*runner
	base := answered(t, f, lang, nil)
	for _, s := range f.Sections {
		if s.Intro.Empty() || len(s.Questions) == 0 {
			continue
		}
		r := *base
		r.cur = screen{kind: kindIntro, q: s.Questions[0]}
		out = append(out, &r)
	}
	for _, q := range f.Questions {
		r := *base
		r.cur = screen{kind: kindQuestion, q: q}
		if !q.Asks() {
			r.cur.kind = kindNote
		}
		out = append(out, &r)
	}
	return out
}

func screenName(r *runner) string {
	if r.cur.kind == kindIntro {
		return r.cur.q.Section.ID + " intro"
	}
	return r.cur.q.ID
}

// sized returns the terminal form on r's screen at width×height, as after
// the terminal said its size.
func sized(r *runner, width, height int) *tui {
	m := newTUI(r)
	m.width, m.height = width, height
	m.load()
	m.Update(tea.WindowSizeMsg{Width: width, Height: height})
	return m
}

func plainView(m *tui) string { return ansi.Strip(m.View().Content) }

// Every screen of the built-in flow, in English, French and Spanish, at
// every size: exactly the terminal's height, no line wider than it, the
// form drawn in its room (nothing cut), how to pause on the last line,
// and on a list the cursor on screen wherever it is moved, with a line
// saying there is more when options are hidden.
func TestScreensFitTheTerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("every screen at every size; -short")
	}
	sizes := sizes
	if raceDetector {
		sizes = sizes[:2] // the small ones, where lists scroll
	}
	for _, lang := range []string{"en", "fr", "es"} {
		for _, r := range screens(t, lang) {
			m := newTUI(r) // one for every size: building its theme is slow
			for _, sz := range sizes {
				w, h := sz[0], sz[1]
				name := fmt.Sprintf("%s %s %d×%d", lang, screenName(r), w, h)
				m.width, m.height = w, h
				m.load()
				m.Update(tea.WindowSizeMsg{Width: w, Height: h})
				if m.err != nil {
					t.Fatalf("%s: %v", name, m.err)
				}
				pause := "ctrl+c " + r.t("tui.help.pause")
				scr := plainView(m)
				checkFits(t, name, m, scr, w, h, pause)
				p, ok := m.field.(*page)
				if !ok {
					t.Fatalf("%s: a %T, not a page", name, m.field)
				}
				if p.opts == nil {
					continue
				}
				if strings.Contains(scr, cursor) {
					t.Errorf("%s: a cursor on an unanswered question:\n%s", name, scr)
				}
				// Where every line fits, the cursor is on screen wherever
				// it is: look at the last option only.
				lines, _ := p.body()
				steps := len(p.opts)
				if len(lines) <= p.rows() {
					m.Update(tea.KeyPressMsg{Code: tea.KeyEnd})
					steps = 1
				}
				for i := range steps {
					m.Update(tea.KeyPressMsg{Code: tea.KeyDown})
					scr := plainView(m)
					if !strings.Contains(scr, cursor) {
						t.Errorf("%s: option %d: the cursor is off screen:\n%s", name, i, scr)
					}
					first := p.text
					if first == "" {
						first = p.opts[0].label
					}
					last := p.opts[len(p.opts)-1].label
					if !onScreen(scr, last) && !strings.Contains(scr, r.t("tui.more_below")) {
						t.Errorf("%s: option %d: the last option is hidden, and nothing says so:\n%s", name, i, scr)
					}
					if !onScreen(scr, first) && !strings.Contains(scr, r.t("tui.more_above")) {
						t.Errorf("%s: option %d: the hint is hidden above, and nothing says so:\n%s", name, i, scr)
					}
					checkFits(t, name, m, scr, w, h, pause)
				}
			}
		}
	}
}

// onScreen says whether a line of the form starts (after the cursor and
// box) with the first words of text.
func onScreen(scr, text string) bool {
	words := strings.Fields(text)
	head := strings.Join(words[:min(len(words), 4)], " ")
	for _, l := range strings.Split(scr, "\n") {
		l, ok := strings.CutPrefix(l, "┃ ")
		if !ok {
			continue
		}
		l = strings.TrimLeft(l, " >•✓")
		if strings.HasPrefix(strings.Join(strings.Fields(l), " "), head) {
			return true
		}
	}
	return false
}

func checkFits(t *testing.T, name string, m *tui, scr string, w, h int, pause string) {
	t.Helper()
	lines := strings.Split(scr, "\n")
	if len(lines) != h {
		t.Errorf("%s: %d lines on a %d-line terminal:\n%s", name, len(lines), h, scr)
	}
	for _, l := range lines {
		if lw := ansi.StringWidth(l); lw > w {
			t.Errorf("%s: line %d wide on a %d-column terminal: %q", name, lw, w, l)
		}
	}
	if !strings.Contains(lines[len(lines)-1], pause) {
		t.Errorf("%s: last line %q does not say how to pause", name, lines[len(lines)-1])
	}
	// Drawn in its room, not cut to it: a line wrapped twice would make
	// the page taller.
	if p, ok := m.field.(*page); ok {
		if n := strings.Count(p.View(), "\n") + 1; n != m.formSize().Height {
			t.Errorf("%s: the page draws %d lines in a room of %d:\n%s", name, n, m.formSize().Height, scr)
		}
	}
}

// Below the smallest size the form asks for a bigger window and takes no
// key but pause; grown, it shows the screen, and a new screen's Enter
// guard starts then.
func TestTooSmallThenGrown(t *testing.T) {
	r := answered(t, builtin(t), "fr", nil)
	m := sized(r, 40, 12)
	now := time.Now()
	m.clock = func() time.Time { return now }
	scr := plainView(m)
	for _, want := range []string{"Cette fenêtre est trop petite", "au moins 50 colonnes sur 16 lignes", "(elle fait 40×12)", "ctrl+c pause"} {
		if !strings.Contains(strings.Join(strings.Fields(scr), " "), want) {
			t.Errorf("too small: no %q:\n%s", want, scr)
		}
	}
	if n := len(strings.Split(scr, "\n")); n > 12 {
		t.Errorf("too small: %d lines on 12", n)
	}
	now = now.Add(5 * time.Second)
	press(m, tea.KeyPressMsg{Code: tea.KeyEnter})
	if r.cur.kind != kindIntro {
		t.Fatalf("Enter acted on a screen nobody could see: on %v", r.cur.kind)
	}
	m.Update(tea.WindowSizeMsg{Width: 60, Height: 20})
	if scr := plainView(m); !strings.Contains(scr, "Lisez ce texte à la personne") {
		t.Fatalf("grown to 60×20, no intro:\n%s", scr)
	}
	now = now.Add(100 * time.Millisecond)
	press(m, tea.KeyPressMsg{Code: tea.KeyEnter})
	if r.cur.kind != kindIntro {
		t.Error("Enter 100 ms after the intro appeared left it")
	}
	now = now.Add(enterGuard)
	press(m, tea.KeyPressMsg{Code: tea.KeyEnter})
	if r.cur.kind != kindQuestion || r.cur.q.ID != "consent" {
		t.Errorf("Enter after the guard: on %v %v", r.cur.kind, r.cur.q)
	}
	// Shrunk again: the message, not a broken screen.
	m.Update(tea.WindowSizeMsg{Width: 60, Height: 10})
	if scr := plainView(m); !strings.Contains(scr, "trop petite") {
		t.Errorf("shrunk to 60×10:\n%s", scr)
	}
}

// clocked is the terminal form on r's screen at 80×24 with a clock the
// test moves.
func clocked(r *runner) (*tui, *time.Time) {
	now := time.Now()
	m := newTUI(r)
	m.clock = func() time.Time { return now }
	m.load()
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	return m, &now
}

var (
	enter = tea.KeyPressMsg{Code: tea.KeyEnter}
	down  = tea.KeyPressMsg{Code: tea.KeyDown}
	up    = tea.KeyPressMsg{Code: tea.KeyUp}
	space = tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	esc   = tea.KeyPressMsg{Code: tea.KeyEscape}
)

// press gives m each key as the program would: the commands the key
// returns run, and their messages go back to m (huh completes a form
// through a chain of them). A command that takes longer than a moment (a
// cursor's blink) is left out.
func press(m *tui, keys ...tea.Msg) {
	for _, k := range keys {
		_, cmd := m.Update(k)
		drain(m, cmd, 0)
	}
}

func drain(m *tui, cmd tea.Cmd, depth int) {
	if cmd == nil || depth > 20 {
		return
	}
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-ch:
	case <-time.After(30 * time.Millisecond):
		return
	}
	if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice { // tea.Batch, tea.Sequence
		for i := range v.Len() {
			if c, ok := v.Index(i).Interface().(tea.Cmd); ok {
				drain(m, c, depth+1)
			}
		}
		return
	}
	if msg != nil {
		_, next := m.Update(msg)
		drain(m, next, depth+1)
	}
}

// where says which screen r is on.
func where(r *runner) string {
	switch r.cur.kind {
	case kindIntro:
		return r.cur.q.Section.ID + " intro"
	case kindReview:
		return "review"
	}
	return r.cur.q.ID
}

// Enter on an unanswered list saves nothing until the interviewer moves
// to an option; a question already answered opens on its answer.
func TestEnterNeedsAChoice(t *testing.T) {
	f := builtin(t)
	r := answered(t, f, "en", nil)
	m, now := clocked(r)
	*now = now.Add(time.Second)
	press(m, enter) // the intro
	if where(r) != "consent" {
		t.Fatalf("on %s", where(r))
	}
	*now = now.Add(time.Second)
	press(m, enter)
	if where(r) != "consent" {
		t.Fatalf("Enter on the untouched consent question left it: on %s", where(r))
	}
	if _, ok := r.s.Record().Answer("consent"); ok {
		t.Fatal("Enter on the untouched consent question saved an answer")
	}
	if scr := plainView(m); !strings.Contains(scr, "Nothing saved: first choose an answer with ↑/↓.") || strings.Contains(scr, "┃ > ") {
		t.Errorf("after Enter on the untouched question:\n%s", scr)
	}
	press(m, down)
	if scr := plainView(m); !strings.Contains(scr, "┃ > Yes, the person agrees") || strings.Contains(scr, "Nothing saved") {
		t.Errorf("after Down:\n%s", scr)
	}
	press(m, enter) // a move lifted the guard
	if where(r) != "safety intro" {
		t.Fatalf("on %s", where(r))
	}
	if v, _ := r.answer(f.Question("consent")); v != "yes" {
		t.Fatalf("consent %v", v)
	}
	press(m, esc) // from the safety intro to consent, answered
	if scr := plainView(m); !strings.Contains(scr, "┃ > Yes, the person agrees") {
		t.Errorf("consent answered, not selected:\n%s", scr)
	}
	// Up first: the last option; on a multi, space first only shows the
	// cursor.
	r.cur = screen{kind: kindQuestion, q: f.Question("needs")}
	m.load()
	press(m, up)
	if scr := plainView(m); !strings.Contains(scr, "┃ > • Declined to answer") {
		t.Errorf("Up first on a list:\n%s", scr)
	}
	r.cur = screen{kind: kindQuestion, q: f.Question("needs")}
	m.load()
	press(m, space)
	p := m.field.(*page)
	if p.cursor != 0 || p.value() != nil {
		t.Errorf("space first on a multi: cursor %d, value %v", p.cursor, p.value())
	}
	press(m, space)
	if v := p.value(); fmt.Sprint(v) != "[medical]" {
		t.Errorf("space on the first option: %v", v)
	}
}

// A new screen ignores Enter for enterGuard after it appears and after
// every Enter it ignored, so a key held down never gets through while
// held; any other key lifts the guard.
func TestEnterGuard(t *testing.T) {
	f := builtin(t)
	// interview_private answered: Enter there would keep the answer and
	// go on, so only the guard stops it.
	r := answered(t, f, "en", map[string]any{"consent": "yes", "interview_private": "yes"})
	r.cur, r.pending = screen{kind: kindIntro, q: f.Question("interview_private")}, []screen{{kind: kindQuestion, q: f.Question("interview_private")}}
	m, now := clocked(r)
	*now = now.Add(enterGuard) // read
	press(m, enter)
	if where(r) != "interview_private" {
		t.Fatalf("on %s", where(r))
	}
	// The key is held: it repeats after 660 ms, then every 40 ms, for 2 s.
	*now = now.Add(660 * time.Millisecond)
	for range 50 {
		press(m, enter)
		if where(r) != "interview_private" {
			t.Fatalf("a held Enter answered interview_private: on %s", where(r))
		}
		*now = now.Add(40 * time.Millisecond)
	}
	if !strings.Contains(plainView(m), "Enter ignored: this screen had only just appeared.") {
		t.Errorf("nothing says Enter was ignored:\n%s", plainView(m))
	}
	*now = now.Add(enterGuard - 40*time.Millisecond) // released, then read
	press(m, enter)
	if where(r) != "immediate_danger" {
		t.Fatalf("Enter after the guard: on %s", where(r))
	}
	// Pressed twice, 150 ms apart, on a screen read long enough: the
	// second is ignored.
	press(m, esc)
	*now = now.Add(3 * time.Second)
	press(m, enter)
	*now = now.Add(150 * time.Millisecond)
	press(m, enter)
	if where(r) != "immediate_danger" {
		t.Errorf("double Enter: on %s", where(r))
	}
	// A key other than Enter lifts the guard.
	press(m, esc)
	press(m, down)
	press(m, up)
	press(m, enter)
	if where(r) != "immediate_danger" {
		t.Errorf("Up, Down, Enter at once: on %s", where(r))
	}
}

// Esc from a section's first question shows its intro, Esc from there the
// question before; going forward shows the intro again.
func TestBackThroughIntro(t *testing.T) {
	f := builtin(t)
	r := answered(t, f, "en", map[string]any{"consent": "yes"})
	if where(r) != "safety intro" {
		t.Fatalf("resumed on %s", where(r))
	}
	r.proceed()
	for _, want := range []string{"safety intro", "consent", "consent intro", "consent intro"} {
		if err := r.back(); err != nil {
			t.Fatal(err)
		}
		if where(r) != want {
			t.Fatalf("back: on %s, want %s", where(r), want)
		}
	}
	r.proceed()
	if where(r) != "consent" {
		t.Fatalf("forward from the intro: on %s", where(r))
	}
	if err := r.save(f.Question("consent"), "yes"); err != nil {
		t.Fatal(err)
	}
	if where(r) != "safety intro" {
		t.Errorf("forward from consent: on %s, want the safety intro again", where(r))
	}
}
