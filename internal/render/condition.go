package render

import (
	"strconv"
	"strings"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"

	"fieldscreen/questionnaire"
)

// conditions turns a flow's expressions into words for a paper form. It
// knows the common shapes authors write (x == "yes", x != "y", x in [...],
// has(x, "v"), and/or/not); for anything else it says nothing, and the
// caller prints the expression as written, which is always correct.
type conditions struct {
	f    *questionnaire.Flow
	lang string
	num  map[string]int // question ID → its number on paper
	self string         // the question the condition belongs to, named "the answer"
	// notes are the explanations of derived values the words rely on.
	notes []string
	seen  map[string]bool
}

// words returns the expression in words and the notes on derived values
// it names, or ok=false when it has a shape not translated.
func (c *conditions) words(src string) (text string, notes []string, ok bool) {
	tree, err := parser.Parse(src)
	if err != nil {
		return "", nil, false
	}
	c.notes, c.seen = nil, map[string]bool{}
	text, ok = c.node(tree.Node, "")
	return text, c.notes, ok
}

func (c *conditions) t(id string, kv ...string) string { return uif(c.f, c.lang, id, kv...) }

func isAnd(op string) bool { return op == "and" || op == "&&" }
func isOr(op string) bool  { return op == "or" || op == "||" }

// node translates n; parent is the logical operator around it, so mixed
// and/or get parentheses and read the way they evaluate.
func (c *conditions) node(n ast.Node, parent string) (string, bool) {
	switch x := n.(type) {
	case *ast.BinaryNode:
		switch {
		case isAnd(x.Operator) || isOr(x.Operator):
			op := "and"
			if isOr(x.Operator) {
				op = "or"
			}
			l, ok1 := c.node(x.Left, op)
			r, ok2 := c.node(x.Right, op)
			if !ok1 || !ok2 {
				return "", false
			}
			s := l + " " + c.t("cond."+op) + " " + r
			if parent != "" && parent != op {
				s = "(" + s + ")"
			}
			return s, true
		case x.Operator == "==" || x.Operator == "!=":
			subj, q, ok := c.subject(x.Left)
			v, ok2 := c.literal(q, x.Right)
			if !ok || !ok2 {
				return "", false
			}
			id := "cond.eq"
			if x.Operator == "!=" {
				id = "cond.ne"
			}
			return c.t(id, "x", subj, "v", v), true
		case x.Operator == "in":
			subj, q, ok := c.subject(x.Left)
			vs, ok2 := c.list(q, x.Right)
			if !ok || !ok2 {
				return "", false
			}
			return c.t("cond.in", "x", subj, "vs", vs), true
		case x.Operator == "<" || x.Operator == "<=" || x.Operator == ">" || x.Operator == ">=":
			subj, _, ok := c.subject(x.Left)
			num, ok2 := number(x.Right)
			if !ok || !ok2 {
				return "", false
			}
			id := map[string]string{"<": "cond.lt", "<=": "cond.le", ">": "cond.gt", ">=": "cond.ge"}[x.Operator]
			return c.t(id, "x", subj, "n", num), true
		}
	case *ast.UnaryNode:
		if x.Operator != "not" && x.Operator != "!" {
			return "", false
		}
		if b, ok := x.Node.(*ast.BinaryNode); ok && b.Operator == "in" {
			subj, q, ok := c.subject(b.Left)
			vs, ok2 := c.list(q, b.Right)
			if ok && ok2 {
				return c.t("cond.not_in", "x", subj, "vs", vs), true
			}
			return "", false
		}
		if call, ok := x.Node.(*ast.CallNode); ok && callee(call) == "has" && len(call.Arguments) == 2 {
			subj, q, ok := c.subject(call.Arguments[0])
			v, ok2 := c.literal(q, call.Arguments[1])
			if ok && ok2 {
				return c.t("cond.not_has", "x", subj, "v", v), true
			}
			return "", false
		}
		inner, ok := c.node(x.Node, "")
		if !ok {
			return "", false
		}
		return c.t("cond.not", "c", inner), true
	case *ast.CallNode:
		fn := callee(x)
		switch {
		case fn == "has" && len(x.Arguments) == 2:
			subj, q, ok := c.subject(x.Arguments[0])
			v, ok2 := c.literal(q, x.Arguments[1])
			if !ok || !ok2 {
				return "", false
			}
			return c.t("cond.has", "x", subj, "v", v), true
		case fn == "has_any" && len(x.Arguments) == 2:
			subj, q, ok := c.subject(x.Arguments[0])
			vs, ok2 := c.list(q, x.Arguments[1])
			if !ok || !ok2 {
				return "", false
			}
			return c.t("cond.has_any", "x", subj, "vs", vs), true
		case (fn == "real" || fn == "answered" || fn == "unknown") && len(x.Arguments) == 1:
			subj, _, ok := c.subject(x.Arguments[0])
			if !ok {
				return "", false
			}
			return c.t("cond."+fn, "x", subj), true
		}
	case *ast.IdentifierNode:
		if c.f.Question(x.Value) != nil {
			return "", false // a bare answer is never true; say it as written
		}
		subj, _, ok := c.subject(x)
		if !ok {
			return "", false
		}
		return c.t("cond.true", "x", subj), true
	}
	return "", false
}

func callee(call *ast.CallNode) string {
	if id, ok := call.Callee.(*ast.IdentifierNode); ok {
		return id.Value
	}
	return ""
}

// subject names what a condition is about: a question by its number and
// ID, a derived value or finding by its ID (and its explanation as a note).
func (c *conditions) subject(n ast.Node) (string, *questionnaire.Question, bool) {
	id, ok := n.(*ast.IdentifierNode)
	if !ok {
		return "", nil, false
	}
	if q := c.f.Question(id.Value); q != nil {
		if q.ID == c.self {
			return c.t("cond.the_answer"), q, true
		}
		return c.t("cond.question", "n", strconv.Itoa(c.num[q.ID]), "id", q.ID), q, true
	}
	for _, d := range c.f.Derived {
		if d.ID == id.Value {
			name := d.ID
			if !d.Label.Empty() {
				name = c.f.T(d.Label, c.lang)
			}
			if e := c.f.T(d.Explanation, c.lang); e != "" && !c.seen[d.ID] {
				c.seen[d.ID] = true
				c.notes = append(c.notes, name+": "+e)
			}
			return name, nil, true
		}
	}
	for _, fd := range c.f.Findings {
		if fd.ID == id.Value {
			name := fd.ID
			if !fd.Label.Empty() {
				name = c.f.T(fd.Label, c.lang)
			}
			return name, nil, true
		}
	}
	return "", nil, false
}

// literal says one compared value in words, quoted: the choice's label
// when the subject is a question.
func (c *conditions) literal(q *questionnaire.Question, n ast.Node) (string, bool) {
	switch x := n.(type) {
	case *ast.StringNode:
		return c.t("cond.quoted", "v", valueLabel(c.f, c.lang, q, x.Value)), true
	case *ast.IntegerNode, *ast.FloatNode:
		return number(n)
	case *ast.BoolNode:
		return tri(c.f, c.lang, x.Value), true
	}
	return "", false
}

// list says [a, b, c] as `"A", "B" or "C"`.
func (c *conditions) list(q *questionnaire.Question, n ast.Node) (string, bool) {
	arr, ok := n.(*ast.ArrayNode)
	if !ok || len(arr.Nodes) == 0 {
		return "", false
	}
	var parts []string
	for _, e := range arr.Nodes {
		s, ok := c.literal(q, e)
		if !ok {
			return "", false
		}
		parts = append(parts, s)
	}
	if len(parts) == 1 {
		return parts[0], true
	}
	return strings.Join(parts[:len(parts)-1], c.t("cond.list_sep")) + " " + c.t("cond.or") + " " + parts[len(parts)-1], true
}

func number(n ast.Node) (string, bool) {
	switch x := n.(type) {
	case *ast.IntegerNode:
		return strconv.Itoa(x.Value), true
	case *ast.FloatNode:
		return strconv.FormatFloat(x.Value, 'g', -1, 64), true
	case *ast.UnaryNode:
		if x.Operator == "-" {
			if s, ok := number(x.Node); ok {
				return "-" + s, true
			}
		}
	}
	return "", false
}

// describe gives a condition in words, or the expression as written.
func (c *conditions) describe(e *questionnaire.Expr, self string) (string, []string) {
	c.self = self
	defer func() { c.self = "" }()
	if text, notes, ok := c.words(e.Src); ok {
		return text, notes
	}
	return strings.Join(strings.Fields(e.Src), " "), nil
}
