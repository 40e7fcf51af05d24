package forms

import (
	"strings"
	"unicode"

	"github.com/charmbracelet/x/ansi"
)

// wrapText wraps plain text (no escape sequences) to width cells, once: at
// spaces only, greedily, keeping the author's line breaks; a word longer
// than a line is cut. A no-break space (as French puts before ":" and "?")
// never breaks. huh's own wrapping can leave a line one cell too long
// after a comma, which the field's border then wraps again into a line of
// one word; text wrapped here fits, so huh leaves it alone.
func wrapText(s string, width int) string {
	if width < 1 {
		width = 1
	}
	var out []string
	for _, para := range strings.Split(s, "\n") {
		out = append(out, wrapLine(para, width)...)
	}
	return strings.Join(out, "\n")
}

func wrapLine(s string, width int) []string {
	// A bullet ("• text", the referrals on the consent screen) wraps under
	// its text, so that its second line does not read as a new line.
	if rest, ok := strings.CutPrefix(s, bullet); ok && width > 2*len(hang) {
		lines := wrapLine(rest, width-len(hang))
		lines[0] = bullet + lines[0]
		for i := 1; i < len(lines); i++ {
			lines[i] = hang + lines[i]
		}
		return lines
	}
	var lines []string
	var cur strings.Builder
	curW := 0
	flush := func() {
		lines = append(lines, cur.String())
		cur.Reset()
		curW = 0
	}
	for _, word := range strings.FieldsFunc(s, breakable) {
		w := ansi.StringWidth(word)
		if curW > 0 && curW+1+w <= width {
			cur.WriteByte(' ')
			cur.WriteString(word)
			curW += 1 + w
			continue
		}
		if curW > 0 {
			flush()
		}
		for w > width { // a word longer than the line: cut it
			head, rest := cutWidth(word, width)
			lines = append(lines, head)
			word, w = rest, ansi.StringWidth(rest)
		}
		cur.WriteString(word)
		curW = w
	}
	if curW > 0 || len(lines) == 0 {
		flush()
	}
	return lines
}

// bullet starts a line of a list; hang is as wide, and starts its
// continuation lines.
const bullet, hang = "• ", "  "

// breakable says whether r is a space a line may break at.
func breakable(r rune) bool {
	return unicode.IsSpace(r) && r != '\u00a0' && r != '\u202f' && r != '\u2007'
}

// cutWidth splits s after at most width cells, between graphemes.
func cutWidth(s string, width int) (head, rest string) {
	head = ansi.Truncate(s, width, "")
	if head == "" { // a grapheme wider than the line
		head = ansi.Truncate(s, 2, "")
	}
	return head, ansi.TruncateLeft(s, ansi.StringWidth(head), "")
}
