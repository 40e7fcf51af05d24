// Package textsafe makes text that came from outside safe for the place
// it is printed. Names, answers, audit details and reasons arrive in
// handover bundles, and labels, titles and outcomes in their flows: an
// attacker who writes a bundle writes them. Printed as they are, they
// could send escape sequences to a terminal (retitle it, rewrite the
// clipboard with OSC 52, hide or fake lines), turn into links, images or
// HTML in a Markdown handover, or into a formula that a spreadsheet runs.
//
// There is one function per kind of output, applied where the text is
// written (in internal/render and internal/cli), never where it is
// stored: the store keeps what was said, exactly.
//
//   - Terminal: for a terminal, or any plain text a person reads there
//     (Line: the same, on one line).
//   - Markdown: for a Markdown document (and the HTML it becomes).
//   - CSV: for a cell of a CSV file a spreadsheet may open.
//   - JSON: for JSON printed where a person may read it: the encoder
//     escapes C0 controls already, this escapes the rest (JSON keeps the
//     text exact: a decoder reads the same string).
//
// Each returns its input unchanged, without allocating, when there is
// nothing to do. The package must not print or read anything.
package textsafe

import (
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// unsafeRune reports whether r must not reach a terminal: a control
// character other than line feed and tab (C0, DEL, C1: ESC, BEL, CR,
// backspace, the 8-bit CSI and OSC), or an invisible format character
// that reorders or hides text (bidirectional overrides and isolates, as in
// "Trojan Source"; zero-width characters; the BOM). U+FFFD stands for
// invalid UTF-8.
func unsafeRune(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return false
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
		return true
	case r < 0xa0:
		return false
	}
	return unicode.Is(unicode.Cf, r) && r != '\u00ad' // a soft hyphen is harmless
}

// Terminal removes from s every character that could drive a terminal or
// disguise text on it (see unsafeRune), and replaces bytes that are not
// UTF-8 with U+FFFD. Line feeds and tabs stay.
func Terminal(s string) string {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f || c == '\n' || c == '\t' {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n == 1) || unsafeRune(r) {
			return terminalSlow(s)
		}
		i += n
	}
	return s
}

func terminalSlow(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s { // invalid bytes arrive as U+FFFD
		if !unsafeRune(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Line is Terminal on one line: line feeds and tabs become spaces, so
// the text cannot start a line of its own (a fake "imported 0" under the
// real one) in a listing or a message.
func Line(s string) string {
	s = Terminal(s)
	if strings.ContainsAny(s, "\n\t") {
		s = strings.Map(func(r rune) rune {
			if r == '\n' || r == '\t' {
				return ' '
			}
			return r
		}, s)
	}
	return s
}

// markdownEscaper escapes, with CommonMark's backslash, every character
// that Markdown (CommonMark and GitHub's) or HTML could read as markup:
// emphasis and code, links and images (no "[" is left to open one, so
// "[x](javascript:…)" and "![x](…)" read as text), autolinks and tags
// (no "<"), entities (no "&"), headings, tables. Parentheses need no
// escape once no bracket can open a link, and are kept legible.
var markdownEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`,
	"<", `\<`, ">", `\>`, "&", `\&`, "|", `\|`, "#", `\#`, "~", `\~`,
)

// Markdown makes s read as itself in a Markdown document, on one line:
// Terminal's characters removed, line breaks and tabs made spaces (so no
// heading, list, quote or table row can start), every markup character
// escaped, and the start of the text kept from reading as a list item or
// an ordered one ("1. ", "- ", "+ ").
func Markdown(s string) string {
	s = Line(s)
	s = markdownEscaper.Replace(s)
	if s != "" {
		switch s[0] {
		case '-', '+', '=':
			s = `\` + s
		}
		// "1. " or "1) " at the start would be an ordered list item.
		i := 0
		for i < len(s) && i < 9 && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i > 0 && i < len(s) && s[i] == '.' {
			s = s[:i] + `\` + s[i:]
		}
	}
	return s
}

// CSV makes s safe as one cell of a CSV file a spreadsheet may open:
// Terminal's characters removed (a line feed or tab inside a cell is
// kept: the CSV writer quotes it), and a cell that a spreadsheet would
// read as a formula (it starts with = + - @, a tab or carriage return, or
// their full-width forms, perhaps after spaces) gets a leading apostrophe,
// as OWASP advises against CSV injection. A plain negative number ("-3")
// is left as it is.
func CSV(s string) string {
	s = Terminal(s)
	t := strings.TrimLeft(s, " \t\n")
	if t == "" {
		return s
	}
	r, _ := utf8.DecodeRuneInString(t)
	switch r {
	case '=', '+', '-', '@', '\t', '\r', '\uff1d', '\uff0b', '\uff0d', '\uff20':
		if r == '-' && t == s && isNumber(t) {
			return s
		}
		return "'" + s
	}
	return s
}

// isNumber reports whether s is a plain decimal number.
func isNumber(s string) bool {
	if strings.HasPrefix(s, "-") {
		s = s[1:]
	}
	dot := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
		case c == '.' && !dot && i > 0:
			dot = true
		default:
			return false
		}
	}
	return s != ""
}

// JSON escapes, in encoded JSON, the characters Terminal removes that a
// JSON encoder leaves as they are (C1 controls such as the 8-bit CSI,
// bidirectional overrides, zero-width characters): each becomes a \uXXXX
// escape, which is valid wherever such a character can stand in JSON
// (inside a string) and decodes to the same text. b is returned as it is
// when there is nothing to escape.
func JSON(b []byte) []byte {
	i := 0
	for i < len(b) {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r != utf8.RuneError && unsafeRune(r) {
			break
		}
		i += n
	}
	if i == len(b) {
		return b
	}
	out := make([]byte, 0, len(b)+16)
	out = append(out, b[:i]...)
	for i < len(b) {
		if b[i] < utf8.RuneSelf {
			out = append(out, b[i])
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError || !unsafeRune(r) {
			out = append(out, b[i:i+n]...)
		} else if r > 0xffff {
			r1, r2 := utf16.EncodeRune(r)
			out = appendU(appendU(out, r1), r2)
		} else {
			out = appendU(out, r)
		}
		i += n
	}
	return out
}

func appendU(b []byte, r rune) []byte {
	const hex = "0123456789abcdef"
	return append(b, '\\', 'u', hex[r>>12&0xf], hex[r>>8&0xf], hex[r>>4&0xf], hex[r&0xf])
}
