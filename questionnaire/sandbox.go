package questionnaire

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"unicode"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/vm/runtime"
	"gopkg.in/yaml.v3"
)

// A flow can come from outside: a handover bundle carries the flow its
// interviews were taken with, and importing, showing, scoring or exporting
// them runs its expressions. So a flow is held to being a pure, small
// function of the answers:
//
//   - It reads nothing but the answers: no clock (now, date, duration,
//     timezone), no randomness (expr has none), no environment ($env is
//     refused with every other unknown name). The same answers give the
//     same summary on any day, on any computer.
//   - It may call only the builtins in allowedBuiltins. Those left out can
//     make text or lists of any size from small ones (repeat, join,
//     replace, concat, flatten, split), turn any value into text (string,
//     toJSON: a list holding itself many times over prints as an
//     exponential string), or are of no use on answers (JSON, base64, bit
//     operations). Load refuses them, naming the rule and its line.
//   - An expression has at most maxExprNodes parts.
//   - Every evaluation runs under a budget (see budget), and going over it
//     is an error naming the rule and its line, never a crash or a hang.
//
// The budget is counted in expr's virtual machine (its MemoryBudget: the
// items of every list and map an evaluation makes, ranges included) and
// in our own helpers, which the loader's rewriter puts around what can be
// costly: every iteration of a predicate (all, any, filter, map, reduce…)
// is charged the size of its body; builtins that walk a list or a text are
// charged its length; so are has, has_any, in, and == between two values
// of which neither is written in the expression; and + between texts is
// charged the bytes it makes. The built-in flows need a few hundred steps
// at most (TestBuiltinBudget), a thousandth of the budget.
const (
	maxSteps     = 100_000   // loop iterations × body size, plus lengths walked
	maxMemory    = 10_000    // items of the lists and maps one evaluation makes
	maxTextBytes = 256 << 10 // bytes of text one evaluation makes with +
	maxExprNodes = 1000      // parts of one expression (the built-in flow's largest has 143)
)

// unsafeScalars reports every text of a flow (any YAML scalar: labels,
// values, expressions) holding a control character other than a line
// break or a tab, or an invisible character that reorders or hides text
// (bidirectional overrides, zero-width characters): written with YAML's
// escapes ("\e", "\x9b", "\u202e"), such a character in a label would
// reach every terminal that shows the flow, and its author could make a
// bundle's summary say what it does not. Renderers remove them too
// (internal/textsafe); a flow holding one is refused outright.
func unsafeScalars(name string, n *yaml.Node) Problems {
	var ps Problems
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.ScalarNode && strings.ContainsFunc(n.Value, unsafeRune) {
			ps = append(ps, Problem{File: name, Line: n.Line, Col: n.Column,
				Message: "this text holds a control character (such as ESC) or an invisible character that reorders or hides text; a flow may hold none"})
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
	return ps
}

func unsafeRune(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return false
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
		return true
	case r < 0xa0:
		return false
	}
	return unicode.Is(unicode.Cf, r) && r != '\u00ad'
}

// MaxFlowSource is the largest flow source Load reads, in bytes: six
// times the built-in flow. A flow can come from outside, in a bundle.
const MaxFlowSource = 1 << 20

// MaxTextAnswer is the longest text answer, in bytes: a page or two of
// notes. Expressions read answers, so their length bounds what walking
// one costs; an import refuses a longer one.
const MaxTextAnswer = 10_000

// budgetName is the environment entry that holds the walker's budget. It
// cannot be written in a flow: the parser reads no identifier starting
// with $ but $env, which is refused.
const budgetName = "$budget"

// budget is what one evaluation has used so far. A walker holds one and
// Expr.run resets it before each expression that is charged.
type budget struct {
	steps int
	bytes int
}

var (
	errSteps  = errors.New("over the step budget")
	errMemory = errors.New("over the memory budget")
)

// stepLimit and textLimit are maxSteps and maxTextBytes; a test lowers
// them to show the built-in flows stay far below.
var stepLimit, textLimit = maxSteps, maxTextBytes

func (b *budget) charge(n int) error {
	b.steps += n
	if b.steps > stepLimit {
		return errSteps
	}
	return nil
}

// sizeOf is the length a builtin or comparison walks in v: the items of a
// list or map, the bytes of a text, 1 for anything else.
func sizeOf(v any) int {
	switch x := v.(type) {
	case string:
		return 1 + len(x)/64
	case []string:
		return 1 + len(x)
	case []any:
		return 1 + len(x)
	case []int:
		return 1 + len(x)
	case []float64:
		return 1 + len(x)
	case map[string]any:
		return 1 + len(x)
	}
	return 1
}

// Internal helpers the patch step calls; each takes the budget first.
const (
	fnStep   = "_step"   // _step(b, cost, body): a predicate's body, charged cost
	fnCharge = "_charge" // _charge(b, v): v, charged its size
	fnAdd    = "_add"    // a + b, charged the text it makes
	fnEqual  = "_equal"  // a == b between two values not written in the expression
	fnHas    = "_has"    // has, charged the list it walks
	fnHasAny = "_has_any"
	// `a in b` over a list that may be long; _in (expr.go) for short ones
	fnInCharged = "_in_charged"
	fnMatches   = "_matches" // _matches(b, v, p): v matches pattern p, charged the text times the pattern
)

func budgetOf(p any) *budget {
	b, _ := p.(*budget)
	if b == nil {
		// Only an expression compiled by this package calls the helpers,
		// always with the walker's budget.
		panic("questionnaire: an expression ran without a budget")
	}
	return b
}

func sandboxFunctions() []funcDef {
	return []funcDef{
		{fnStep, func(p ...any) (any, error) {
			if err := budgetOf(p[0]).charge(p[1].(int)); err != nil {
				return nil, err
			}
			return p[2], nil
		}, new(func(any, int, any) any)},
		{fnCharge, func(p ...any) (any, error) {
			if err := budgetOf(p[0]).charge(sizeOf(p[1])); err != nil {
				return nil, err
			}
			return p[1], nil
		}, new(func(any, any) any)},
		{fnAdd, func(p ...any) (any, error) {
			if s, ok := p[1].(string); ok {
				if t, ok := p[2].(string); ok {
					b := budgetOf(p[0])
					b.bytes += len(s) + len(t)
					if b.bytes > textLimit {
						return nil, errMemory
					}
					if err := b.charge(sizeOf(s) + sizeOf(t)); err != nil {
						return nil, err
					}
					return s + t, nil
				}
			}
			return runtime.Add(p[1], p[2]), nil
		}, new(func(any, any, any) any)},
		{fnEqual, func(p ...any) (any, error) {
			if err := budgetOf(p[0]).charge(sizeOf(p[1]) + sizeOf(p[2])); err != nil {
				return nil, err
			}
			return runtime.Equal(p[1], p[2]), nil
		}, new(func(any, any, any) bool)},
		{fnHas, func(p ...any) (any, error) {
			if err := budgetOf(p[0]).charge(sizeOf(p[1])); err != nil {
				return nil, err
			}
			return hasValue(p[1], p[2]), nil
		}, new(func(any, any, any) bool)},
		{fnHasAny, func(p ...any) (any, error) {
			if err := budgetOf(p[0]).charge(sizeOf(p[1]) * sizeOf(p[2])); err != nil {
				return nil, err
			}
			return hasAny(p[1], p[2]), nil
		}, new(func(any, any, any) bool)},
		{fnInCharged, func(p ...any) (any, error) {
			if err := budgetOf(p[0]).charge(sizeOf(p[2])); err != nil {
				return nil, err
			}
			return inValue(p[1], p[2]), nil
		}, new(func(any, any, any) bool)},
		{fnMatches, func(p ...any) (any, error) {
			b := budgetOf(p[0])
			s, ok := p[1].(string)
			if !ok || !isRealString(s) {
				return false, nil
			}
			pat := p[2].(*pattern)
			if err := b.charge(pat.cost(s)); err != nil {
				return nil, err
			}
			return pat.re.MatchString(s), nil
		}, new(func(any, any, any) bool)},
	}
}

type funcDef struct {
	name string
	fn   func(...any) (any, error)
	typ  any
}

// allowedBuiltins are expr's builtins a flow may call. walks: the builtin
// goes over its first argument (a list or a text) as a whole, so it is
// charged that argument's size.
var allowedBuiltins = map[string]struct{ walks bool }{
	// predicates: each iteration is charged its body
	"all": {}, "none": {}, "any": {}, "one": {}, "filter": {}, "map": {},
	"find": {}, "findIndex": {}, "findLast": {}, "findLastIndex": {},
	"groupBy": {}, "sortBy": {}, "reduce": {},
	"sum": {walks: true}, // sum(list) walks it; sum(list, pred) iterates
	// numbers
	"len": {}, "abs": {}, "ceil": {}, "floor": {}, "round": {}, "int": {}, "float": {},
	"max": {walks: true}, "min": {walks: true}, "mean": {walks: true}, "median": {walks: true},
	// texts: none makes a text longer than its input
	"trim": {walks: true}, "trimPrefix": {walks: true}, "trimSuffix": {walks: true},
	"upper": {walks: true}, "lower": {walks: true},
	"indexOf": {walks: true}, "lastIndexOf": {walks: true},
	"hasPrefix": {walks: true}, "hasSuffix": {walks: true},
	// lists
	"first": {}, "last": {}, "get": {}, "take": {walks: true},
	"keys": {walks: true}, "values": {walks: true},
	"reverse": {walks: true}, "uniq": {walks: true}, "sort": {walks: true},
	"type": {},
}

// clockBuiltins read the clock or the computer's time zones.
var clockBuiltins = map[string]bool{"now": true, "date": true, "duration": true, "timezone": true}

// growBuiltins can make a text or a list much larger than their arguments.
var growBuiltins = map[string]bool{"repeat": true, "join": true, "replace": true, "concat": true,
	"flatten": true, "split": true, "splitAfter": true, "string": true, "toJSON": true}

// builtinProblem says why a flow may not call builtin name, or "".
func builtinProblem(name string) string {
	if _, ok := allowedBuiltins[name]; ok || slices.Contains(helperNames, name) {
		return ""
	}
	switch {
	case clockBuiltins[name]:
		return fmt.Sprintf("calls %s(), which reads the clock; a flow must give the same summary for the same answers on any day, so it may not", name)
	case growBuiltins[name]:
		return fmt.Sprintf("calls %s(), which can make text or lists of any size; a flow from outside could fill the memory with it, so flows may not use it", name)
	}
	var names []string
	for n := range allowedBuiltins {
		names = append(names, n)
	}
	slices.Sort(names)
	return fmt.Sprintf("calls %s(), which flows may not use; besides the helpers they may use: %s", name, strings.Join(names, ", "))
}

// countNodes is the number of parts of an expression.
func countNodes(n ast.Node) int {
	c := 0
	ast.Walk(&n, visitFunc(func(ast.Node) { c++ }))
	return c
}

// isLiteral reports whether n is written in the expression (a text,
// number, yes/no, nil, or a list of them): comparing with it costs at most
// the other side's length, which is charged where it was made.
func isLiteral(n ast.Node) bool {
	switch x := n.(type) {
	case *ast.StringNode, *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.NilNode:
		return true
	case *ast.ArrayNode:
		for _, e := range x.Nodes {
			if !isLiteral(e) {
				return false
			}
		}
		return true
	case *ast.UnaryNode:
		return x.Operator == "-" && isLiteral(x.Node)
	}
	return false
}

// isNumber reports whether n is certainly a number, so + on it adds.
func isNumber(n ast.Node) bool {
	switch x := n.(type) {
	case *ast.IntegerNode, *ast.FloatNode:
		return true
	case *ast.UnaryNode:
		return x.Operator == "-" && isNumber(x.Node)
	case *ast.CallNode:
		id, ok := x.Callee.(*ast.IdentifierNode)
		return ok && id.Value == "count"
	case *ast.BuiltinNode:
		switch x.Name {
		case "len", "abs", "ceil", "floor", "round", "int", "float", "count", "sum", "mean", "median", "indexOf", "lastIndexOf", "findIndex", "findLastIndex":
			return true
		}
	case *ast.BinaryNode:
		switch x.Operator {
		case "-", "*", "/", "%", "**", "^":
			return true
		case "+":
			return isNumber(x.Left) || isNumber(x.Right)
		}
	}
	return false
}

// notText reports whether n is certainly not a text, so + on it makes
// none: a number, or a literal list, map, yes/no or nil.
func notText(n ast.Node) bool {
	switch n.(type) {
	case *ast.ArrayNode, *ast.MapNode, *ast.BoolNode, *ast.NilNode:
		return true
	}
	return isNumber(n)
}

func budgetIdent() ast.Node { return &ast.IdentifierNode{Value: budgetName} }

// budgeted rewrites, in the patch step, what can be costly into the
// helpers that charge the budget, and reports whether it did.
func (r *rewriter) budgetVisit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.PredicateNode:
		n.Node = call(fnStep, budgetIdent(), &ast.IntegerNode{Value: countNodes(n.Node)}, n.Node)
		r.budgeted = true
	case *ast.BuiltinNode:
		if a, ok := allowedBuiltins[n.Name]; ok && a.walks && len(n.Arguments) > 0 {
			if _, pred := n.Arguments[len(n.Arguments)-1].(*ast.PredicateNode); !pred {
				n.Arguments[0] = call(fnCharge, budgetIdent(), n.Arguments[0])
				r.budgeted = true
			}
		}
	case *ast.CallNode:
		id, ok := n.Callee.(*ast.IdentifierNode)
		if !ok || len(n.Arguments) != 2 {
			return
		}
		switch id.Value {
		case "has":
			if r.bounded(n.Arguments[0]) {
				return
			}
			ast.Patch(node, call(fnHas, budgetIdent(), n.Arguments[0], n.Arguments[1]))
			r.budgeted = true
		case "has_any":
			if r.bounded(n.Arguments[0]) && (isLiteral(n.Arguments[1]) || r.bounded(n.Arguments[1])) {
				return
			}
			ast.Patch(node, call(fnHasAny, budgetIdent(), n.Arguments[0], n.Arguments[1]))
			r.budgeted = true
		}
	}
}

// bounded reports whether n is certainly short, so walking it need not be
// charged: an answer to a question with choices (an import holds it to
// them), a finding whose cases give texts, or the priorities of the
// flow's referrals (values(referral), rewritten to _values). Mostly what
// the built-in flows walk, so their scoring pays nothing for the budget.
func (r *rewriter) bounded(n ast.Node) bool {
	switch x := n.(type) {
	case *ast.IdentifierNode:
		return !r.isLocal(x) && r.sc.values != nil && r.sc.values(x.Value) != nil
	case *ast.CallNode:
		id, ok := x.Callee.(*ast.IdentifierNode)
		return ok && id.Value == fnValues
	}
	return false
}

// budgetBinary is the patch step's rewrite of a binary operator that can
// be costly: + (which can double a text), == and != between two computed
// values, and in over a computed list. It returns the replacement, or nil.
func (r *rewriter) budgetBinary(n *ast.BinaryNode) ast.Node {
	switch n.Operator {
	case "+":
		if notText(n.Left) || notText(n.Right) {
			return nil // adds numbers, or is an error the checker reports at load
		}
		r.budgeted = true
		return call(fnAdd, budgetIdent(), n.Left, n.Right)
	case "==", "!=":
		if isLiteral(n.Left) || isLiteral(n.Right) {
			return nil
		}
		r.budgeted = true
		eq := call(fnEqual, budgetIdent(), n.Left, n.Right)
		if n.Operator == "!=" {
			return &ast.UnaryNode{Operator: "not", Node: eq}
		}
		return eq
	}
	return nil
}

// Patterns after `matches` are Go's regular expressions (RE2): matching
// takes time linear in the text, whatever the pattern. A flow from outside
// still has them bounded: a pattern is written in the expression (never
// made from answers, so it is compiled once, when the flow loads), it is
// at most maxPatternBytes long, its program at most maxPatternInsts
// instructions (a{1000}{1000} is short but would be a million), and each
// match is charged the text's length times the program's size.
const (
	maxPatternBytes = 256
	maxPatternInsts = 2000
	// patternCostDivisor: instructions × bytes of text per budget step,
	// so that a match costs about the time a step costs elsewhere
	patternCostDivisor = 8
)

// pattern is a compiled `matches` pattern.
type pattern struct {
	re    *regexp.Regexp
	insts int
}

// cost is what matching s is charged.
func (p *pattern) cost(s string) int { return 1 + len(s)*p.insts/patternCostDivisor }

// compilePattern compiles the pattern of a `matches`, or says why not.
func compilePattern(src string) (*pattern, string) {
	if len(src) > maxPatternBytes {
		return nil, fmt.Sprintf("has a pattern after matches of %d bytes; a pattern may have at most %d", len(src), maxPatternBytes)
	}
	re, err := syntax.Parse(src, syntax.Perl)
	if err != nil {
		return nil, fmt.Sprintf("has a pattern after matches that does not parse: %s", err)
	}
	tooLarge := fmt.Sprintf("has a pattern after matches that is too large once its repetitions are written out (more than %d steps per character); repeat less", maxPatternInsts)
	// Estimated before Simplify, which writes out every repetition.
	if patternSize(re) > maxPatternInsts {
		return nil, tooLarge
	}
	prog, err := syntax.Compile(re.Simplify())
	if err != nil {
		return nil, fmt.Sprintf("has a pattern after matches that does not compile: %s", err)
	}
	if len(prog.Inst) > maxPatternInsts {
		return nil, tooLarge
	}
	return &pattern{re: regexp.MustCompile(src), insts: len(prog.Inst)}, ""
}

// patternSize is about the number of instructions re compiles to, with
// its repetitions written out; it stops growing past maxPatternInsts.
func patternSize(re *syntax.Regexp) int {
	sub := 0
	for _, s := range re.Sub {
		sub = min(sub+patternSize(s), maxPatternInsts+1)
	}
	switch re.Op {
	case syntax.OpLiteral:
		return len(re.Rune)
	case syntax.OpRepeat:
		// x{2,4} is xx(x(x)?)?: each optional copy takes one more
		opt := max(re.Max-re.Min, 1)
		return min(max(re.Min, 1)*sub+opt*(sub+1), maxPatternInsts+1)
	}
	return sub + 1
}

// matches is the rewrite of `text matches "pattern"`: the pattern must be
// written in the expression. It returns the replacement, or nil after
// noting the problem.
func (r *rewriter) matches(n *ast.BinaryNode) ast.Node {
	lit, ok := n.Right.(*ast.StringNode)
	if !ok {
		r.errorf("has a pattern after matches that is not written in quotes; a pattern may not be made from answers or other values")
		return nil
	}
	pat := r.patterns[lit.Value]
	if pat == nil {
		var why string
		if pat, why = compilePattern(lit.Value); pat == nil {
			r.errorf("%s", why)
			return nil
		}
		if r.patterns == nil {
			r.patterns = map[string]*pattern{}
		}
		r.patterns[lit.Value] = pat
	}
	r.budgeted = true
	return call(fnMatches, budgetIdent(), n.Left, &ast.ConstantNode{Value: pat})
}

// inCall is `a in b`, charged the length of b unless it is bounded.
func (r *rewriter) inCall(a, b ast.Node) ast.Node {
	if r.bounded(b) {
		return call(fnIn, a, b)
	}
	r.budgeted = true
	return call(fnInCharged, budgetIdent(), a, b)
}

// overBudget turns an evaluation's error into the message for a budget
// gone over, or "" when it is another error.
func overBudget(err error) string {
	switch {
	case errors.Is(err, errSteps):
		return fmt.Sprintf("takes more than the %d steps an expression may take on any answers (loops within loops, or over long lists)", maxSteps)
	case errors.Is(err, errMemory), strings.Contains(err.Error(), "memory budget exceeded"):
		return fmt.Sprintf("needs more memory than an expression may use on any answers (%d list items, %d KiB of text)", maxMemory, maxTextBytes>>10)
	}
	return ""
}

// findingValue checks and lays out the value a finding's expression gave:
// yes/no, a number, a text, a list of them (as texts), or nothing. Any
// other value (a map, a list of lists) is refused: it has no place in a
// summary, and a list that holds itself many times over would print as an
// exponentially long text.
func findingValue(v any) (any, error) {
	switch x := v.(type) {
	case nil, bool, int, string, []string:
		return v, nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, errors.New("gives a number that is not finite")
		}
		return v, nil
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			switch y := e.(type) {
			case string:
				out = append(out, y)
			case bool, int:
				out = append(out, fmt.Sprint(y))
			case float64:
				if math.IsNaN(y) || math.IsInf(y, 0) {
					return nil, errors.New("gives a list holding a number that is not finite")
				}
				out = append(out, fmt.Sprint(y))
			default:
				return nil, errors.New("gives a list holding a list or map; a finding is yes/no, a number, a text or a list of texts")
			}
		}
		return out, nil
	case []int, []float64:
		return v, nil
	}
	return nil, fmt.Errorf("gives a %s; a finding is yes/no, a number, a text or a list of texts", valueKind(v))
}

func valueKind(v any) string {
	switch v.(type) {
	case map[string]any:
		return "map"
	}
	return "value of another kind"
}
