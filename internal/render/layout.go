package render

import (
	"io"
	"strings"
	"unicode"

	"charm.land/lipgloss/v2"

	"fieldscreen/internal/textsafe"
	"fieldscreen/questionnaire"
)

// Options says how a terminal page is laid out. The caller knows the
// terminal; this package does not ask.
type Options struct {
	// Color turns on styles (bold, colour) as ANSI escape sequences.
	// Without it the output holds no escape sequence at all.
	Color bool
	// Width is the number of columns to wrap to; 0 means 80.
	Width int
	// Answers are the interview's answers, for the summary's "why" lines
	// (each question with the answer given) and to tell a question not
	// asked from one not answered. Without them, a "why" line names the
	// question alone.
	Answers questionnaire.Answers
}

const (
	defaultWidth = 80
	minWidth     = 30
)

func (o Options) width() int {
	switch {
	case o.Width <= 0:
		return defaultWidth
	case o.Width < minWidth:
		return minWidth
	}
	return o.Width
}

// kind is the role of a piece of text; the styles map roles to looks.
type kind int

const (
	plain kind = iota
	heading
	strong
	urgent
	high
	muted
)

// Styles render full ANSI colours; lipgloss v2 leaves downsampling to the
// writer, so the same input always gives the same bytes. Only the 16 basic
// colours are used, which every colour terminal shows; a caller that wants
// to honour NO_COLOR or a poorer terminal wraps w in a colorprofile.Writer.
var styles = map[kind]lipgloss.Style{
	heading: lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Blue),
	strong:  lipgloss.NewStyle().Bold(true),
	urgent:  lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Red),
	high:    lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Yellow),
	muted:   lipgloss.NewStyle().Foreground(lipgloss.BrightBlack),
}

// span is a run of text with one role.
type span struct {
	text string
	kind kind
}

func sp(text string, k kind) span { return span{text, k} }

// page writes wrapped, optionally styled lines and keeps the first error.
type page struct {
	w     io.Writer
	width int
	color bool
	err   error
}

func newPage(w io.Writer, opt Options) *page {
	return &page{w: w, width: opt.width(), color: opt.Color}
}

func (p *page) raw(s string) {
	if p.err == nil {
		_, p.err = io.WriteString(p.w, s)
	}
}

func (p *page) blank() { p.raw("\n") }

// para writes spans as a paragraph wrapped to the page width: the first
// line starts with first, the others with rest (a hanging indent). Words
// are wrapped as plain text and styled afterwards, so styles never change
// where a line breaks and the colour page is the plain page plus escapes.
func (p *page) para(first, rest string, spans ...span) {
	type word struct {
		text string
		kind kind
	}
	var words []word
	for _, s := range spans {
		// Every word printed comes through here: the flow's and the
		// interview's text, which may come from a bundle, reach the
		// terminal without a control character (textsafe.Terminal).
		for _, f := range strings.FieldsFunc(textsafe.Terminal(s.text), breakable) {
			words = append(words, word{f, s.kind})
		}
	}
	// Each line has the room its own prefix leaves; a prefix too long to
	// leave room for words stands on a line of its own.
	restW := max(p.width-lipgloss.Width(rest), 10)
	firstW := p.width - lipgloss.Width(first)
	if firstW < 10 {
		p.raw(p.style(spansKind(spans), strings.TrimRight(first, " ")) + "\n")
		first, firstW = rest, restW
	}
	var lines [][]word
	var cur []word
	curW := 0
	avail := firstW
	flush := func() {
		lines = append(lines, cur)
		cur, curW, avail = nil, 0, restW
	}
	for _, w := range words {
		ww := lipgloss.Width(w.text)
		for ww > avail { // a word longer than the line: break it
			if len(cur) > 0 {
				flush()
				continue
			}
			head, tail := cutWidth(w.text, avail)
			cur = []word{{head, w.kind}}
			flush()
			w.text = tail
			ww = lipgloss.Width(tail)
		}
		if ww == 0 {
			continue
		}
		if len(cur) > 0 && curW+1+ww > avail {
			flush()
		}
		if len(cur) > 0 {
			curW++
		}
		cur = append(cur, w)
		curW += ww
	}
	if len(cur) > 0 || len(lines) == 0 {
		lines = append(lines, cur)
	}
	for i, line := range lines {
		prefix := rest
		if i == 0 {
			prefix = first
		}
		var b strings.Builder
		b.WriteString(prefix)
		// Join runs of the same role, so a styled phrase is one sequence.
		for j := 0; j < len(line); {
			k := j
			var run []string
			for k < len(line) && line[k].kind == line[j].kind {
				run = append(run, line[k].text)
				k++
			}
			if j > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(p.style(line[j].kind, strings.Join(run, " ")))
			j = k
		}
		p.raw(strings.TrimRight(b.String(), " ") + "\n")
	}
}

// spansKind is the role of a paragraph's first span (for a lone prefix).
func spansKind(spans []span) kind {
	if len(spans) > 0 {
		return spans[0].kind
	}
	return plain
}

func (p *page) style(k kind, s string) string {
	if !p.color || k == plain {
		return s
	}
	return styles[k].Render(s)
}

// title writes a heading underlined with a rule of its own width.
func (p *page) title(text string, k kind, rule string) {
	text = textsafe.Terminal(text)
	p.para("", "", sp(text, k))
	n := min(lipgloss.Width(text), p.width)
	p.raw(p.style(k, strings.Repeat(rule, n)) + "\n")
}

// cutWidth splits s after at most n columns.
func cutWidth(s string, n int) (string, string) {
	w := 0
	for i, r := range s {
		rw := lipgloss.Width(string(r))
		if w+rw > n && i > 0 {
			return s[:i], s[i:]
		}
		w += rw
	}
	return s, ""
}

// breakable reports whether a line may break at r: any space but a no-break
// one, which French puts inside guillemets and before ":" and ";".
func breakable(r rune) bool { return unicode.IsSpace(r) && r != '\u00a0' && r != '\u202f' }
