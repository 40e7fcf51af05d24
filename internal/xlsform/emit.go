// Writing the converted form as flow YAML.

package xlsform

import (
	"bytes"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"fieldscreen/internal/textsafe"
)

func (c *conv) emit() ([]byte, error) {
	top := mapping(false)
	add(top, "id", str(c.id))
	add(top, "version", str(c.ver))
	add(top, "default_language", str(c.langs[0]))
	if len(c.langs) > 1 {
		ls := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
		for _, l := range c.langs {
			ls.Content = append(ls.Content, str(l))
		}
		add(top, "languages", ls)
	}
	add(top, "title", c.textNode(c.title))
	add(top, "disclaimer", c.textNode(c.fill("A screening aid for referral, not a decision on anyone's status.")))
	for _, q := range c.questions {
		if q.id == "consent" && q.typ == "yes_no" && q.required {
			add(top, "consent_question", str("consent"))
		}
	}
	secs := &yaml.Node{Kind: yaml.SequenceNode}
	for _, s := range c.sections {
		sn := mapping(false)
		add(sn, "id", str(s.id))
		add(sn, "title", c.textNode(s.title))
		if s.relevant != "" {
			add(sn, "relevant", str(s.relevant))
		}
		qs := &yaml.Node{Kind: yaml.SequenceNode}
		for _, q := range s.questions {
			qs.Content = append(qs.Content, c.questionNode(q))
		}
		add(sn, "questions", qs)
		secs.Content = append(secs.Content, sn)
	}
	add(top, "sections", secs)
	doc := &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{top}}
	doc.HeadComment = fmt.Sprintf(`Converted from the XLSForm %s by 'fieldscreen flow import'.

The questions, sections, translations, conditions and constraints come
from the form. Findings, referrals and cautions do not: write them below
in YAML (docs/authoring.md, "Findings", "Referrals", "Cautions"), and
check the flow with 'fieldscreen flow validate'. The disclaimer is in
English in every language until you translate it.`, c.name[strings.LastIndexAny(c.name, `/\`)+1:])
	var b bytes.Buffer
	e := yaml.NewEncoder(&b)
	e.SetIndent(2)
	if err := e.Encode(doc); err != nil {
		return nil, err
	}
	return b.Bytes(), e.Close()
}

func (c *conv) fill(s string) text {
	t := text{}
	for _, l := range c.langs {
		t[l] = s
	}
	return t
}

func (c *conv) questionNode(q *question) *yaml.Node {
	n := mapping(false)
	add(n, "id", str(q.id))
	add(n, "type", str(q.typ))
	if q.required {
		add(n, "required", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "true"})
	}
	add(n, "label", c.textNode(q.label))
	if q.hint != nil {
		add(n, "hint", c.textNode(q.hint))
	}
	if q.relevant != "" {
		add(n, "relevant", str(q.relevant))
	}
	if len(q.choices) > 0 {
		cs := &yaml.Node{Kind: yaml.SequenceNode}
		for _, ch := range q.choices {
			m := mapping(true)
			v := str(ch.value)
			if ambiguous[strings.ToLower(ch.value)] {
				v.Style = yaml.DoubleQuotedStyle // "yes", as YAML 1.1 tools read it too
			}
			add(m, "value", v)
			add(m, "label", c.textNode(ch.label))
			if ch.value == "none" && q.typ == "multi" {
				add(m, "exclusive", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "true"})
			}
			cs.Content = append(cs.Content, m)
		}
		add(n, "choices", cs)
	}
	if len(q.constraints) > 0 {
		cs := &yaml.Node{Kind: yaml.SequenceNode}
		for _, k := range q.constraints {
			m := mapping(false)
			add(m, "check", str(k.check))
			add(m, "message", c.textNode(k.message))
			cs.Content = append(cs.Content, m)
		}
		add(n, "constraints", cs)
	}
	return n
}

// textNode is a plain string in a one-language flow, else a mapping by
// language, on one line when it is short.
func (c *conv) textNode(t text) *yaml.Node {
	if len(c.langs) == 1 {
		return str(t[c.langs[0]])
	}
	total := 0
	for _, l := range c.langs {
		total += len(t[l])
	}
	m := mapping(total <= 60)
	for _, l := range c.langs {
		add(m, l, str(t[l]))
	}
	return m
}

// ambiguous are the words YAML 1.1 reads as true or false.
var ambiguous = map[string]bool{"yes": true, "no": true, "y": true, "n": true, "on": true, "off": true, "true": true, "false": true}

func mapping(flow bool) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode}
	if flow {
		n.Style = yaml.FlowStyle
	}
	return n
}

func add(m *yaml.Node, key string, v *yaml.Node) {
	m.Content = append(m.Content, str(key), v)
}

func str(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

// cleanText returns wb with any byte that is not UTF-8 replaced (a flow
// is UTF-8 text, and a workbook read from XML always is) and every
// character a flow may not hold removed: control characters (a carriage
// return of a cell's line break among them) and invisible characters
// that reorder or hide text (textsafe). It lists the cells that lost a
// character other than a carriage return, for the author to look at.
func cleanText(wb *Workbook) (*Workbook, []cleanedCell) {
	out := &Workbook{Sheets: map[string]*Sheet{}}
	var cleaned []cleanedCell
	fix := func(s *Sheet, row int, xs []string) []string {
		ys := make([]string, len(xs))
		for i, x := range xs {
			x = strings.ReplaceAll(strings.ToValidUTF8(x, "\uFFFD"), "\r", "")
			ys[i] = textsafe.Terminal(x)
			if ys[i] != x {
				cleaned = append(cleaned, cleanedCell{s, row, i})
			}
		}
		return ys
	}
	for k, s := range wb.Sheets {
		c := &Sheet{Name: textsafe.Terminal(s.Name)}
		c.Columns = fix(c, 1, s.Columns)
		for _, r := range s.Rows {
			c.Rows = append(c.Rows, Row{N: r.N, Cells: fix(c, r.N, r.Cells)})
		}
		out.Sheets[k] = c
	}
	return out, cleaned
}

// cleanedCell is a cell cleanText changed: its sheet, row and column.
type cleanedCell struct {
	sheet    *Sheet
	row, col int
}
