// Package wire is the bundle's JSON at the level of bytes: the canonical
// form of an interview's line, which interviews_sha256 hashes
// (AppendCanonical), and the lean scanner that reads what scoring needs of
// an interview without decoding it whole (ScanInterview). It knows the
// layout of an interview as package bundle writes it, and nothing of
// stores, flows' rules or files.
package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"unicode/utf8"
)

// ErrNotJSON: what AppendCanonical was given is not valid JSON.
var ErrNotJSON = errors.New("it is not valid JSON")

// AppendCanonical appends the canonical form of one interview's JSON, as
// interviews_sha256 takes it: the JSON without whitespace outside strings,
// every string (key or value) escaped as encoding/json escapes it (HTML
// characters as \u003c and so on). The writer's lines are encoding/json's
// output, so they are their own canonical form and a bundle is hashed as
// it was written; a bundle re-indented, or with strings re-escaped by
// another tool, keeps its checksum. raw must be valid JSON (the decoder
// has read it): the form is computed without a full parse, copying runs
// of bytes and re-escaping only the strings that need it.
func AppendCanonical(dst, raw []byte) ([]byte, error) {
	run := 0 // raw[run:i] is still to be copied
	for i := 0; i < len(raw); {
		switch c := raw[i]; c {
		case ' ', '\t', '\r', '\n':
			dst = append(dst, raw[run:i]...)
			i++
			for i < len(raw) && (raw[i] == ' ' || raw[i] == '\t' || raw[i] == '\r' || raw[i] == '\n') {
				i++
			}
			run = i
		case '"':
			end, plain := stringEnd(raw, i)
			if end < 0 {
				return nil, ErrNotJSON
			}
			if !plain {
				var s string
				if err := json.Unmarshal(raw[i:end], &s); err != nil {
					return nil, ErrNotJSON
				}
				dst = append(dst, raw[run:i]...)
				b, _ := json.Marshal(s)
				dst = append(dst, b...)
				run = end
			}
			i = end
		default:
			i++
		}
	}
	return append(dst, raw[run:]...), nil
}

// stringEnd returns the offset just past the string starting at raw[i]
// (a quote), or -1, and whether the string is already as encoding/json
// writes it: no escapes, no control or HTML characters, valid UTF-8
// without U+2028 or U+2029. A string with escapes is not checked further:
// it is re-escaped.
func stringEnd(raw []byte, i int) (end int, plain bool) {
	plain = true
	ascii := true
	j := i + 1
	for j < len(raw) {
		c := raw[j]
		if safeASCII[c] {
			j++
			continue
		}
		switch {
		case c == '"':
			if plain && !ascii {
				s := raw[i+1 : j]
				plain = utf8.Valid(s) && !bytes.Contains(s, lineSep) && !bytes.Contains(s, paraSep)
			}
			return j + 1, plain
		case c == '\\':
			plain = false
			j += 2
		case c >= utf8.RuneSelf:
			ascii = false
			j++
		default: // control and HTML characters
			plain = false
			j++
		}
	}
	return -1, false
}

var (
	lineSep = []byte("\u2028")
	paraSep = []byte("\u2029")
)

// safeASCII: the bytes encoding/json writes unescaped in a string, but the
// quote (which ends it).
var safeASCII = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()
