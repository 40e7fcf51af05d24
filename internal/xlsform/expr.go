package xlsform

import (
	"fmt"
	"strconv"
	"strings"
)

// XLSForm writes conditions in XPath: ${q} = 'yes', selected(${q}, 'x'),
// count-selected(${q}), and, or, not(...), the comparisons, numbers, and
// "." for the answer being checked. This file turns that subset into the
// flow's expression language and refuses the rest by name, so an author
// never gets a condition that means something other than what they wrote.

// ref is what an expression may know about a question it reads.
type ref struct {
	id       string
	typ      string // the flow's type: yes_no, choice, multi, integer, text
	choices  []string
	required bool
}

func (r *ref) takes(v string) bool {
	for _, c := range r.choices {
		if c == v {
			return true
		}
	}
	return !r.required && (v == "dont_know" || v == "declined")
}

func (r *ref) hasChoices() bool {
	return r.typ == "yes_no" || r.typ == "choice" || r.typ == "multi"
}

// exprCtx says where an expression stands: what ${name} may read, and
// what "." is.
type exprCtx struct {
	// lookup returns an earlier question by its XLSForm name, or an error
	// that says why it cannot be read.
	lookup func(name string) (*ref, error)
	// self is the question the expression belongs to, for "." in a
	// constraint (nil elsewhere, where "." is refused).
	self *ref
}

type token struct {
	kind byte // 'r' ${ref}, 's' string, 'n' number, 'i' name, '.' current, 'o' operator, '(' ')' ','
	text string
}

func lex(src string) ([]token, error) {
	var out []token
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case strings.HasPrefix(src[i:], "${"):
			j := strings.IndexByte(src[i:], '}')
			if j < 0 {
				return nil, fmt.Errorf("${ without its closing }")
			}
			out = append(out, token{'r', strings.TrimSpace(src[i+2 : i+j])})
			i += j + 1
		case c == '\'' || c == '"':
			j := strings.IndexByte(src[i+1:], c)
			if j < 0 {
				return nil, fmt.Errorf("a text in quotes without its closing quote")
			}
			out = append(out, token{'s', src[i+1 : i+1+j]})
			i += j + 2
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(src) && src[i+1] >= '0' && src[i+1] <= '9':
			j := i
			for j < len(src) && (src[j] >= '0' && src[j] <= '9' || src[j] == '.') {
				j++
			}
			if _, err := strconv.ParseFloat(src[i:j], 64); err != nil {
				return nil, fmt.Errorf("%q is not a number", src[i:j])
			}
			out = append(out, token{'n', src[i:j]})
			i = j
		case c == '.':
			if strings.HasPrefix(src[i:], "..") {
				return nil, fmt.Errorf("paths (..) are not supported")
			}
			out = append(out, token{'.', "."})
			i++
		case c == '(' || c == ')' || c == ',':
			out = append(out, token{c, string(c)})
			i++
		case strings.HasPrefix(src[i:], "!=") || strings.HasPrefix(src[i:], "<=") || strings.HasPrefix(src[i:], ">="):
			out = append(out, token{'o', src[i : i+2]})
			i += 2
		case strings.ContainsRune("=<>+-*", rune(c)):
			out = append(out, token{'o', string(c)})
			i++
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_':
			j := i
			for j < len(src) && (src[j] >= 'a' && src[j] <= 'z' || src[j] >= 'A' && src[j] <= 'Z' || src[j] >= '0' && src[j] <= '9' || strings.IndexByte("_-:", src[j]) >= 0) {
				j++
			}
			out = append(out, token{'i', src[i:j]})
			i = j
		default:
			return nil, fmt.Errorf("%q is not supported", string(c))
		}
	}
	return out, nil
}

// node is a parsed expression.
type node struct {
	op   string // "or", "and", "==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%", "neg", "call", "ref", "cur", "str", "num"
	text string // name of a ref or call; a literal's text
	args []*node
}

type parser struct {
	toks []token
	pos  int
}

func (p *parser) peek() token {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return token{}
}

func (p *parser) next() token { t := p.peek(); p.pos++; return t }

// levels of binary operators, loosest first; XPath's div and mod are names.
var levels = [][]string{{"or"}, {"and"}, {"=", "!="}, {"<", "<=", ">", ">="}, {"+", "-"}, {"*", "div", "mod"}}

var opFor = map[string]string{"=": "==", "div": "/", "mod": "%"}

func (p *parser) binary(level int) (*node, error) {
	if level == len(levels) {
		return p.unary()
	}
	left, err := p.binary(level + 1)
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		if t.kind != 'o' && t.kind != 'i' || !contains(levels[level], t.text) {
			return left, nil
		}
		p.next()
		right, err := p.binary(level + 1)
		if err != nil {
			return nil, err
		}
		op := t.text
		if o, ok := opFor[op]; ok {
			op = o
		}
		left = &node{op: op, args: []*node{left, right}}
	}
}

func (p *parser) unary() (*node, error) {
	if t := p.peek(); t.kind == 'o' && t.text == "-" {
		p.next()
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &node{op: "neg", args: []*node{x}}, nil
	}
	return p.primary()
}

func (p *parser) primary() (*node, error) {
	t := p.next()
	switch t.kind {
	case 'r':
		return &node{op: "ref", text: t.text}, nil
	case 's':
		return &node{op: "str", text: t.text}, nil
	case 'n':
		return &node{op: "num", text: t.text}, nil
	case '.':
		return &node{op: "cur"}, nil
	case '(':
		x, err := p.binary(0)
		if err != nil {
			return nil, err
		}
		if p.next().kind != ')' {
			return nil, fmt.Errorf("a ( without its closing )")
		}
		return x, nil
	case 'i':
		if p.peek().kind != '(' {
			return nil, fmt.Errorf("%q is not supported (write ${name} to read a question)", t.text)
		}
		p.next()
		call := &node{op: "call", text: t.text}
		if p.peek().kind == ')' {
			p.next()
			return call, nil
		}
		for {
			x, err := p.binary(0)
			if err != nil {
				return nil, err
			}
			call.args = append(call.args, x)
			switch p.next().kind {
			case ',':
				continue
			case ')':
				return call, nil
			}
			return nil, fmt.Errorf("%s( without its closing )", t.text)
		}
	case 0:
		return nil, fmt.Errorf("the expression ends too early")
	}
	return nil, fmt.Errorf("%q is out of place", t.text)
}

// convertExpr turns an XLSForm expression into a flow expression.
func convertExpr(src string, cx exprCtx) (string, error) {
	toks, err := lex(src)
	if err != nil {
		return "", err
	}
	if len(toks) == 0 {
		return "", fmt.Errorf("the expression is empty")
	}
	p := &parser{toks: toks}
	n, err := p.binary(0)
	if err != nil {
		return "", err
	}
	if p.pos < len(toks) {
		return "", fmt.Errorf("%q is out of place", toks[p.pos].text)
	}
	return cx.emit(n, 0)
}

// precedence of each operator in the flow's language, for parentheses.
var prec = map[string]int{"or": 1, "and": 2, "==": 3, "!=": 3, "<": 4, "<=": 4, ">": 4, ">=": 4, "+": 5, "-": 5, "*": 6, "/": 6, "%": 6}

// operand resolves a ${ref} or "." to the question it reads.
func (cx exprCtx) operand(n *node) (*ref, string, error) {
	switch n.op {
	case "cur":
		if cx.self == nil {
			return nil, "", fmt.Errorf(`"." (this question's answer) can only be used in a constraint`)
		}
		return cx.self, "value", nil
	case "ref":
		if cx.self != nil && n.text == cx.self.id {
			return cx.self, "value", nil
		}
		r, err := cx.lookup(n.text)
		if err != nil {
			return nil, "", err
		}
		return r, r.id, nil
	}
	return nil, "", nil
}

func (cx exprCtx) emit(n *node, outer int) (string, error) {
	switch n.op {
	case "ref", "cur":
		_, name, err := cx.operand(n)
		return name, err
	case "num":
		return n.text, nil
	case "str":
		return strconv.Quote(n.text), nil
	case "neg":
		x, err := cx.emit(n.args[0], 7)
		return "-" + x, err
	case "call":
		return cx.call(n)
	}
	p := prec[n.op]
	if n.op == "==" || n.op == "!=" || p == 4 {
		if s, ok, err := cx.compare(n); ok || err != nil {
			return wrap(s, 3 < outer), err
		}
	}
	l, err := cx.emit(n.args[0], p)
	if err != nil {
		return "", err
	}
	r, err := cx.emit(n.args[1], p+1) // the right side binds tighter: a - (b - c)
	if err != nil {
		return "", err
	}
	return wrap(l+" "+n.op+" "+r, p < outer), nil
}

func wrap(s string, paren bool) string {
	if paren {
		return "(" + s + ")"
	}
	return s
}

// compare writes a comparison of a question with a literal, checking the
// literal against what the question can take; ok is false when neither
// side is a question and a literal.
func (cx exprCtx) compare(n *node) (string, bool, error) {
	a, b, op := n.args[0], n.args[1], n.op
	if b.op == "ref" || b.op == "cur" {
		a, b = b, a
		op = map[string]string{"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}[op]
	}
	if a.op != "ref" && a.op != "cur" || b.op != "str" && b.op != "num" {
		return "", false, nil
	}
	r, name, err := cx.operand(a)
	if err != nil {
		return "", true, err
	}
	lit := b.text
	switch {
	case b.op == "str" && lit == "" && (op == "==" || op == "!="):
		// XLSForm's "not answered" is a comparison with the empty text.
		if name == "value" {
			return "", true, fmt.Errorf("a constraint is only checked on an answer, so . = '' never holds")
		}
		if op == "==" {
			return "not answered(" + name + ")", true, nil
		}
		return "answered(" + name + ")", true, nil
	case r.typ == "multi":
		return "", true, fmt.Errorf("${%s} is a select_multiple: use selected(${%[1]s}, '…') or count-selected(${%[1]s})", a.text)
	case r.hasChoices():
		if op != "==" && op != "!=" {
			return "", true, fmt.Errorf("${%s} is a choice; it can only be compared with = or !=", a.text)
		}
		if !r.takes(lit) {
			return "", true, fmt.Errorf("${%s} has no choice %q (its choices: %s)", a.text, lit, strings.Join(r.choices, ", "))
		}
		return name + " " + op + " " + strconv.Quote(lit), true, nil
	case r.typ == "integer":
		if _, err := strconv.ParseFloat(lit, 64); err != nil {
			return "", true, fmt.Errorf("${%s} is a number; it cannot be compared with %q", a.text, lit)
		}
		return name + " " + op + " " + lit, true, nil
	}
	return name + " " + op + " " + strconv.Quote(lit), true, nil
}

func (cx exprCtx) call(n *node) (string, error) {
	argc := func(k int) error {
		if len(n.args) != k {
			return fmt.Errorf("%s() takes %d argument(s), not %d", n.text, k, len(n.args))
		}
		return nil
	}
	switch n.text {
	case "not":
		if err := argc(1); err != nil {
			return "", err
		}
		x, err := cx.emit(n.args[0], 0)
		return "not (" + x + ")", err
	case "true", "false":
		return n.text, argc(0)
	case "selected":
		if err := argc(2); err != nil {
			return "", err
		}
		r, name, err := cx.operand(n.args[0])
		if err != nil {
			return "", err
		}
		if r == nil || !r.hasChoices() {
			return "", fmt.Errorf("selected() reads a select question: selected(${name}, 'choice')")
		}
		v := n.args[1]
		if v.op != "str" && v.op != "num" {
			return "", fmt.Errorf("selected()'s second argument must be a choice in quotes")
		}
		if !r.takes(v.text) {
			return "", fmt.Errorf("${%s} has no choice %q (its choices: %s)", n.args[0].text, v.text, strings.Join(r.choices, ", "))
		}
		return "has(" + name + ", " + strconv.Quote(v.text) + ")", nil
	case "count-selected":
		if err := argc(1); err != nil {
			return "", err
		}
		r, name, err := cx.operand(n.args[0])
		if err != nil {
			return "", err
		}
		if r == nil || r.typ != "multi" {
			return "", fmt.Errorf("count-selected() reads a select_multiple question: count-selected(${name})")
		}
		return "count(" + name + ")", nil
	}
	return "", fmt.Errorf("the function %s() is not supported", n.text)
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
