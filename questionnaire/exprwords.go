package questionnaire

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/expr-lang/expr/file"
)

// exprMessage puts an error of the expression language (parsing or
// compiling src) in the words of a form author: what is wrong, how to
// write it instead, and where, quoting the expression from that point.
// expr-lang speaks of tokens, EOF and Go types (`unexpected token
// Operator("=")`, `mismatched types bool and string`), which mean
// nothing to the protection staff who write flows.
func exprMessage(src string, err error) string {
	var fe *file.Error
	if !errors.As(err, &fe) {
		return strings.SplitN(err.Error(), "\n", 2)[0]
	}
	at := where(src, fe.Line, fe.Column)
	msg := fe.Message
	for _, w := range exprWords {
		m := w.re.FindStringSubmatch(msg)
		if m == nil {
			continue
		}
		msg = w.say(m, src, at)
		at.end = at.end || w.atEnd
		break
	}
	if at.end {
		return msg
	}
	return fmt.Sprintf("%s (at character %d: `%s`)", msg, at.char, at.rest)
}

// place is where in an expression a problem is.
type place struct {
	char   int    // 1-based, in its line
	before string // the text just before it
	rest   string // the text from it on, clipped
	end    bool   // at the end: nothing to quote
}

func where(src string, line, col int) place {
	lines := strings.Split(src, "\n")
	if line < 1 || line > len(lines) {
		line = 1
	}
	r := []rune(lines[line-1])
	if col < 0 || col > len(r) {
		col = len(r)
	}
	p := place{char: col + 1, before: strings.TrimSpace(string(r[:col]))}
	rest := strings.TrimSpace(string(r[col:]))
	if rest == "" && line == len(lines) {
		p.end = true
	}
	if rr := []rune(rest); len(rr) > 24 {
		rest = string(rr[:24]) + "…"
	}
	p.rest = rest
	return p
}

type exprWord struct {
	re  *regexp.Regexp
	say func(m []string, src string, at place) string
	// atEnd: the problem is the end of the expression, wherever expr-lang
	// places it (on the last word it read)
	atEnd bool
}

// goTypes names expr-lang's types as an author knows the values.
var goTypes = strings.NewReplacer(
	"[]interface {}", "a list", "map[string]interface {}", "a mapping", "interface {}", "a value",
	"%!s(<nil>)", "an answer", "unknown", "an answer", "nil", "an answer",
	"string", "a text", "float64", "a number", "int", "a number", "bool", "true or false")

var exprWords = []exprWord{
	{regexp.MustCompile(`^(unexpected token EOF|unexpected end of expression)$`), func(_ []string, _ string, _ place) string {
		return "the expression ends too early: close every ( and [ it opens, and put a value after the last and, or, == or other operator"
	}, true},
	{regexp.MustCompile(`^unexpected token Operator\("(.*)"\)$`), func(m []string, _ string, at place) string {
		op := m[1]
		switch {
		case op == "=" && strings.HasSuffix(at.before, "=="):
			return `"===" is not an operator: write == to compare`
		case op == "=" && strings.HasPrefix(at.rest, "=>"):
			return `"=>" is not an operator: write >= for "at least"`
		case op == "=":
			return `a single "=" does not compare: write == ("is") or != ("is not"), as in consent == "yes"`
		case op == ">" && strings.HasSuffix(at.before, "<"):
			return `"<>" is not an operator: write != for "is not"`
		case op == "&":
			return `"&" is not an operator: write and`
		case op == "|":
			return `"|" is not an operator: write or`
		}
		return fmt.Sprintf("%q is not expected here: is a value missing before it, or a word too many?", op)
	}, false},
	{regexp.MustCompile(`^unexpected token Bracket\("(.*)"\)$`), func(m []string, _ string, _ place) string {
		return fmt.Sprintf("%q is not expected here: every ( needs its ), every [ its ], in order, and a value between them", m[1])
	}, false},
	{regexp.MustCompile(`^unexpected token Identifier\("(.*)"\)$`), func(m []string, _ string, _ place) string {
		return fmt.Sprintf("the word %q is not expected here: join conditions with and / or, and compare with ==, !=, <, <=, >, >= or in", m[1])
	}, false},
	{regexp.MustCompile(`^unexpected token (String|Number)\("(.*)"\)$`), func(m []string, _ string, _ place) string {
		what := "the text"
		if m[1] == "Number" {
			what = "the number"
		}
		return fmt.Sprintf("%s %q is not expected here: is a comma (between a helper's values) or an operator (==, and, …) missing before it?", what, m[2])
	}, false},
	{regexp.MustCompile(`^literal not terminated$`), func(_ []string, _ string, _ place) string {
		return "a text in quotes is not closed: end it with the same quote mark it begins with"
	}, false},
	{regexp.MustCompile(`^unrecognized character: U\+(201C|201D|2018|2019|00AB|00BB)`), func(_ []string, _ string, _ place) string {
		return `curly quotes (“ ” ‘ ’ « ») are not quotes in an expression (a word processor may have put them there): type straight quotes, as in consent == "yes"`
	}, false},
	{regexp.MustCompile(`^unrecognized character: U\+[0-9A-F]+ '(.*)'$`), func(m []string, _ string, _ place) string {
		return fmt.Sprintf("the character %q has no meaning in an expression", m[1])
	}, false},
	{regexp.MustCompile(`^invalid operation: (\S+) \(mismatched types (.+) and (.+)\)$`), func(m []string, src string, _ place) string {
		if strings.HasPrefix(strings.TrimSpace(src), "not ") && m[2] == "bool" {
			return fmt.Sprintf("not applies to the first name after it alone, and its true or false cannot be compared with %s: write not (… %s …), or use != instead", goTypes.Replace(m[3]), m[1])
		}
		return fmt.Sprintf("%s cannot be used between %s and %s", m[1], goTypes.Replace(m[2]), goTypes.Replace(m[3]))
	}, false},
	{regexp.MustCompile(`^unknown name (\S+)\(?\)?$`), func(m []string, _ string, _ place) string {
		return unknownFunction(m[1])
	}, false},
	{regexp.MustCompile(`^(too many|not enough) arguments to call (\S+)$`), func(m []string, _ string, _ place) string {
		if m[1] == "too many" {
			return fmt.Sprintf("%s() is given too many values between its brackets", m[2])
		}
		return fmt.Sprintf("%s() is given too few values between its brackets", m[2])
	}, false},
	{regexp.MustCompile(`^invalid argument for (\S+) \(type (.*)\)$`), func(m []string, _ string, _ place) string {
		return fmt.Sprintf("%s() cannot take %s here", m[1], goTypes.Replace(m[2]))
	}, false},
	{regexp.MustCompile(`^type (.+) has no field (\S+)$`), func(m []string, _ string, _ place) string {
		return fmt.Sprintf("%q after a dot reads nothing: only referral.ID, caution.ID and consent_for.ID take a dot", m[2])
	}, false},
}

// helperArity: how many values each helper takes between its brackets.
var helperArity = map[string]int{"real": 1, "answered": 1, "unknown": 1, "has": 2, "has_any": 2, "count": 1, "real_values": 1, "map_unique": 2, "tri": 2}

// helperCallProblem says why a call of a function that is not one of
// expr's own (those parse apart, and are checked by builtinProblem) cannot
// be made: no such function, or the wrong number of values.
func helperCallProblem(name string, args int) string {
	want, ok := helperArity[name]
	switch {
	case !ok:
		return unknownFunction(name)
	case args > want:
		return fmt.Sprintf("%s() is given too many values between its brackets: it takes %s", name, plural(want, "value"))
	case args < want:
		return fmt.Sprintf("%s() is given too few values between its brackets: it takes %s", name, plural(want, "value"))
	}
	return ""
}

func unknownFunction(name string) string {
	names := append(slices.Clone(helperNames), allowedBuiltinNames()...)
	hint := ""
	if near := nearest(name, names); near != "" {
		hint = fmt.Sprintf(" (did you mean %q?)", near)
	}
	return fmt.Sprintf("there is no function %q%s; docs/authoring.md lists those a flow may call (\"Helper functions\", \"What an expression may do\")", name, hint)
}

func allowedBuiltinNames() []string {
	var names []string
	for n := range allowedBuiltins {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}
