package questionnaire

import (
	"bytes"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// A YAML syntax error names, in yaml.v3's words, the line where the block
// it was reading began, which is often far above the line the author got
// wrong: a top-level key indented by one space at the end of a flow is
// reported at line 3, a question's key indented as a new item at the
// section's line. The line that is wrong is the first whose addition
// makes the file unreadable: the first N lines read, the first N+1 do
// not. yamlSyntaxProblem finds it by parsing beginnings of the file (a
// binary search: about twenty parses for the largest flow) and, for the
// errors that come of indentation, says where the blocks open above it
// take their lines.

// yamlSyntaxProblem places a syntax error of the flow src at the line
// that is wrong, and says how to put it right. Where that line cannot be
// found with confidence, it keeps yaml.v3's line and words.
func yamlSyntaxProblem(name string, src []byte, err error) Problem {
	return placeYAMLError(name, src, err, nil)
}

// yamlSyntaxProblemKeys is yamlSyntaxProblem for a file that may hold what
// a person said (an answers file): it names a line by its key, and a
// block by its key or id, only when known says the word is one of the
// format's own (a question ID), never by text that could be an answer.
func yamlSyntaxProblemKeys(name string, src []byte, err error, known func(string) bool) Problem {
	return placeYAMLError(name, src, err, known)
}

// placeYAMLError is yamlSyntaxProblem; known, when not nil, says which
// words of the file may be repeated in the message.
func placeYAMLError(name string, src []byte, err error, known func(string) bool) Problem {
	say := func(word string) bool { return known == nil || known(word) }
	p := yamlProblem(name, err)
	if p.Line == 0 {
		return p
	}
	ends := lineEnds(src)
	reads := func(n int) bool { // the first n lines are YAML
		var doc yaml.Node
		return yaml.Unmarshal(src[:ends[n]], &doc) == nil
	}
	lo, hi := p.Line-1, len(ends)-1
	if lo < 0 || lo >= hi || !reads(lo) {
		lo = 0
	}
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if reads(mid) {
			lo = mid
		} else {
			hi = mid
		}
	}
	// The first hi lines fail as the whole file does: line hi is the one.
	// (A list or string over several lines can make a beginning fail for
	// another reason; the error would then differ.)
	var doc yaml.Node
	if e := yaml.Unmarshal(src[:ends[hi]], &doc); e == nil || e.Error() != err.Error() {
		return p
	}
	text := string(bytes.TrimRight(src[ends[hi-1]:ends[hi]], "\r\n"))
	body := strings.TrimLeft(text, " ")
	indent := len(text) - len(body)
	p.Line, p.Col = hi, indent+1
	what := quoteLine(body, hi, say)
	if strings.HasPrefix(body, "\t") {
		p.Message = fmt.Sprintf("%s is indented with a tab; YAML indents with spaces only: replace the tab with spaces (yaml: %s)", what, p.Message)
		return p
	}
	if !indentationError(p.Message) {
		p.Message = fmt.Sprintf("%s: %s", what, p.Message)
		return p
	}
	prev := hi - 1 // the line above, skipping blank lines and comments
	for prev > 0 {
		s := strings.TrimSpace(string(src[ends[prev-1]:ends[prev]]))
		if s != "" && !strings.HasPrefix(s, "#") {
			break
		}
		prev--
	}
	var above yaml.Node
	_ = yaml.Unmarshal(src[:ends[hi-1]], &above) // read: the search says so
	blocks := openBlocks(&above, say)
	where := make([]string, 0, len(blocks))
	var in *block // the innermost mapping
	fits := false // a block above takes a line at this indentation
	item := strings.HasPrefix(body, "- ")
	below, over := -1, 1<<30 // the nearest indentations of blocks on either side
	for i, b := range blocks {
		if b.mapping {
			in = &blocks[i]
		}
		fits = fits || b.col == indent && b.mapping != item
		if b.col < indent {
			below = max(below, b.col)
		} else if b.col > indent {
			over = min(over, b.col)
		}
	}
	// The blocks the line was most likely meant for, those at its
	// indentation and nearest it on either side, innermost first.
	for i := len(blocks) - 1; i >= 0; i-- {
		if b := blocks[i]; b.col == indent || b.col == below || b.col == over {
			where = append(where, b.String())
		}
	}
	switch {
	case fits && strings.HasPrefix(p.Message, "mapping values are not allowed"):
		// Where it is, the line is a key whose value has a ": " in it.
		p.Message = fmt.Sprintf("%s: the value has \": \" in it: put the value in quotes (yaml: %s)", what, p.Message)
		return p
	case fits:
		p.Message = fmt.Sprintf("%s: %s", what, p.Message)
		return p
	case in != nil && indent > in.col && !item:
		p.Message = fmt.Sprintf("%s is indented %s, further than the keys of %s at %d spaces, so it is read as going on from the line above",
			what, spaces(indent), in.name, in.col)
	case len(where) > 0:
		p.Message = fmt.Sprintf("%s is indented %s, which fits no block above it: %s",
			what, spaces(indent), strings.Join(where, ", "))
	default:
		p.Message = fmt.Sprintf("%s is indented %s", what, spaces(indent))
	}
	lines := fmt.Sprintf("line %d", hi)
	if prev > 0 {
		lines = fmt.Sprintf("lines %d–%d", prev, hi)
	}
	p.Message += fmt.Sprintf("; check the indentation of %s (yaml: %s)", lines, yamlWords(err))
	return p
}

// lineEnds gives the offset just past each line: ends[n] ends line n,
// ends[0] is 0.
func lineEnds(src []byte) []int {
	ends := []int{0}
	for i, c := range src {
		if c == '\n' {
			ends = append(ends, i+1)
		}
	}
	if ends[len(ends)-1] < len(src) {
		ends = append(ends, len(src))
	}
	return ends
}

// indentationError: yaml.v3's words for a line that is not where its
// block expects it.
func indentationError(msg string) bool {
	for _, s := range []string{"did not find expected key", "did not find expected '-' indicator",
		"mapping values are not allowed in this context", "did not find expected <document start>",
		"block sequence entries are not allowed in this context"} {
		if strings.HasPrefix(msg, s) {
			return true
		}
	}
	return false
}

// yamlWords is yaml.v3's message without its prefix and line.
func yamlWords(err error) string {
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		return m[2]
	}
	return strings.TrimPrefix(err.Error(), "yaml: ")
}

// quoteLine names line n by its key ("label:"), or its start; when say
// refuses a key, or the line has none and say is not for every word, by
// its number alone.
func quoteLine(body string, n int, say func(string) bool) string {
	item := strings.HasPrefix(body, "- ")
	s := strings.TrimLeft(strings.TrimPrefix(body, "- "), "\t ")
	if k, _, ok := strings.Cut(s, ":"); ok && k != "" && !strings.ContainsAny(k, " \t\"'{[#") && say(k) {
		if item {
			return fmt.Sprintf("%q", "- "+k+":")
		}
		return fmt.Sprintf("%q", k+":")
	}
	if !say("") {
		return fmt.Sprintf("line %d", n)
	}
	if r := []rune(body); len(r) > 30 {
		body = string(r[:29]) + "…"
	}
	return fmt.Sprintf("%q", body)
}

func spaces(n int) string {
	if n == 1 {
		return "1 space"
	}
	return fmt.Sprintf("%d spaces", n)
}

// block is a mapping or a list still open at the end of a document: a
// line after it may add a key to the mapping, or an item to the list, at
// its indentation.
type block struct {
	mapping bool
	top     bool   // the document's top level
	col     int    // its lines' indentation, in spaces
	name    string // what it is, for a person
}

func (b block) String() string {
	if b.top {
		return "top-level keys at 0"
	}
	if b.mapping {
		return fmt.Sprintf("the keys of %s at %d", b.name, b.col)
	}
	return fmt.Sprintf("the items of %s at %d, after \"- \"", b.name, b.col)
}

// openBlocks lists the blocks open at the end of a document, outermost
// first: the top level, then the last value of each, as long as it is a
// block mapping or list.
func openBlocks(doc *yaml.Node, say func(string) bool) []block {
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil
	}
	var out []block
	n, name := doc.Content[0], "the top level"
	for n != nil && n.Style&yaml.FlowStyle == 0 && len(n.Content) > 0 {
		switch n.Kind {
		case yaml.MappingNode:
			if id := mappingValue(n, "id"); id != "" && say(id) {
				name = fmt.Sprintf("%q (line %d)", id, n.Line)
			}
			out = append(out, block{mapping: true, top: len(out) == 0, col: n.Column - 1, name: name})
			k := n.Content[len(n.Content)-2]
			n, name = n.Content[len(n.Content)-1], fmt.Sprintf("%q (line %d)", k.Value, k.Line)
			if !say(k.Value) {
				name = fmt.Sprintf("the block (line %d)", k.Line)
			}
		case yaml.SequenceNode:
			out = append(out, block{col: n.Column - 1, name: name})
			n, name = n.Content[len(n.Content)-1], fmt.Sprintf("the item (line %d)", n.Content[len(n.Content)-1].Line)
		default:
			n = nil
		}
	}
	return out
}
