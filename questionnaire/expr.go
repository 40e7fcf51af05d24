package questionnaire

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	exprbuiltin "github.com/expr-lang/expr/builtin"
	"github.com/expr-lang/expr/parser"
)

// Names with a meaning of their own in expressions.
const (
	nameValue    = "value"    // the answer under check, in a constraint
	nameReferral = "referral" // referral.ID → its priority, or nil
	nameCaution  = "caution"  // caution.ID → true, or nil
	// consent_for.ID → a referral's consent (given, best_interests,
	// not_given, unknown, not_required), or nil when it was not made
	nameConsentFor = "consent_for"
)

// isRuleMap reports whether name is one of the maps Score fills as rules fire.
func isRuleMap(name string) bool {
	return name == nameReferral || name == nameCaution || name == nameConsentFor
}

// helperNames are the functions an author may call. Each is safe on any
// answer: a question not asked, unanswered, declined or dont_know gives
// false, 0 or an empty list, never an error.
var helperNames = []string{"real", "answered", "unknown", "has", "has_any", "count", "real_values", "map_unique", "tri"}

// internal rewrites of the comparison operators, safe on any operand.
const (
	fnEq = "_eq"
	fnLt = "_lt"
	fnLe = "_le"
	fnGt = "_gt"
	fnGe = "_ge"
	fnIn = "_in"
	// and/or/not/ternary on answers: nil or a non-boolean is false
	fnAnd   = "_and"
	fnOr    = "_or"
	fnNot   = "_not"
	fnTruth = "_truth"
	// values(referral), values(caution): our own maps, listed without reflection
	fnValues = "_values"
)

var exprOptions = append([]expr.Option{
	expr.DisableBuiltin("count"),
	expr.Function("real", func(p ...any) (any, error) { return IsReal(p[0]), nil }, new(func(any) bool)),
	expr.Function("answered", func(p ...any) (any, error) { return p[0] != nil, nil }, new(func(any) bool)),
	expr.Function("unknown", func(p ...any) (any, error) { return p[0] == nil || p[0] == Declined || p[0] == DontKnow, nil }, new(func(any) bool)),
	expr.Function("has", func(p ...any) (any, error) { return hasValue(p[0], p[1]), nil }, new(func(any, any) bool)),
	expr.Function("has_any", func(p ...any) (any, error) { return hasAny(p[0], p[1]), nil }, new(func(any, any) bool)),
	expr.Function("count", func(p ...any) (any, error) { return countReal(p[0]), nil }, new(func(any) int)),
	expr.Function("real_values", func(p ...any) (any, error) { return realValues(p[0]), nil }, new(func(any) []string)),
	expr.Function("map_unique", func(p ...any) (any, error) { return mapUnique(p[0], p[1]), nil }, new(func(any, any) []string)),
	expr.Function("tri", func(p ...any) (any, error) {
		if truthy(p[0]) {
			return true, nil
		}
		if truthy(p[1]) {
			return false, nil
		}
		return nil, nil
	}, new(func(any, any) any)),
	expr.Function(fnEq, func(p ...any) (any, error) { return looseEqual(p[0], p[1]), nil }, new(func(any, any) bool)),
	expr.Function(fnLt, func(p ...any) (any, error) { return numCmp(p[0], p[1], func(a, b float64) bool { return a < b }), nil }, new(func(any, any) bool)),
	expr.Function(fnLe, func(p ...any) (any, error) { return numCmp(p[0], p[1], func(a, b float64) bool { return a <= b }), nil }, new(func(any, any) bool)),
	expr.Function(fnGt, func(p ...any) (any, error) { return numCmp(p[0], p[1], func(a, b float64) bool { return a > b }), nil }, new(func(any, any) bool)),
	expr.Function(fnGe, func(p ...any) (any, error) { return numCmp(p[0], p[1], func(a, b float64) bool { return a >= b }), nil }, new(func(any, any) bool)),
	expr.Function(fnIn, func(p ...any) (any, error) { return inValue(p[0], p[1]), nil }, new(func(any, any) bool)),
	expr.Function(fnAnd, func(p ...any) (any, error) { return truthy(p[0]) && truthy(p[1]), nil }, new(func(any, any) bool)),
	expr.Function(fnOr, func(p ...any) (any, error) { return truthy(p[0]) || truthy(p[1]), nil }, new(func(any, any) bool)),
	expr.Function(fnNot, func(p ...any) (any, error) { return !truthy(p[0]), nil }, new(func(any) bool)),
	expr.Function(fnTruth, func(p ...any) (any, error) { return truthy(p[0]), nil }, new(func(any) bool)),
	expr.Function(fnValues, func(p ...any) (any, error) {
		m, ok := p[0].(map[string]any) // referral and caution always are
		if !ok {
			return nil, fmt.Errorf("cannot get values from %T", p[0])
		}
		out := make([]any, 0, len(m))
		for _, v := range m {
			out = append(out, v)
		}
		return out, nil
	}, new(func(any) []any)),
}, sandboxOptions()...)

// sandboxOptions registers the helpers that charge an evaluation's budget
// (sandbox.go), switches off every builtin a flow may not call, so that
// none can run even if the loader's checks missed it, and caps the size of
// an expression.
func sandboxOptions() []expr.Option {
	var out []expr.Option
	for _, d := range sandboxFunctions() {
		out = append(out, expr.Function(d.name, d.fn, d.typ))
	}
	for _, b := range exprbuiltin.Builtins {
		if _, ok := allowedBuiltins[b.Name]; !ok && b.Name != "count" {
			out = append(out, expr.DisableBuiltin(b.Name))
		}
	}
	return append(out, expr.MaxNodes(4*maxExprNodes)) // the rewrites add parts
}

func call(fn string, args ...ast.Node) ast.Node {
	return &ast.CallNode{Callee: &ast.IdentifierNode{Value: fn}, Arguments: args}
}

func truthy(v any) bool { b, ok := v.(bool); return ok && b }

// hasAny: v has (see hasValue) one of ws, a list or a single value.
func hasAny(v, ws any) bool {
	switch x := ws.(type) {
	case []any:
		for _, w := range x {
			if hasValue(v, w) {
				return true
			}
		}
		return false
	case []string:
		for _, w := range x {
			if hasValue(v, w) {
				return true
			}
		}
		return false
	case nil:
		return false
	}
	return hasValue(v, ws)
}

// hasValue: a list answer holds w, or a single answer equals w.
func hasValue(v, w any) bool {
	switch x := v.(type) {
	case []string:
		if ws, ok := w.(string); ok {
			// what looseEqual does for two strings, without boxing each
			return slices.Contains(x, ws)
		}
		for _, e := range x {
			if looseEqual(e, w) {
				return true
			}
		}
		return false
	case []any:
		for _, e := range x {
			if looseEqual(e, w) {
				return true
			}
		}
		return false
	}
	return looseEqual(v, w)
}

// inValue is `a in b`: b a list (answer or literal) containing a, or a map with key a.
func inValue(a, b any) bool {
	switch x := b.(type) {
	case []string, []any:
		return hasValue(x, a)
	case map[string]any:
		s, ok := a.(string)
		if !ok {
			return false
		}
		_, ok = x[s]
		return ok
	}
	return false
}

// realValues lists the real values (see IsReal) among v's strings: v is a
// list answer, or a single one. The list is never nil.
func realValues(v any) []string {
	out := []string{}
	switch x := v.(type) {
	case string:
		if isRealString(x) {
			out = append(out, x)
		}
	case []string:
		for _, s := range x {
			if isRealString(s) {
				out = append(out, s)
			}
		}
	case []any:
		for _, e := range x {
			if s, ok := e.(string); ok && isRealString(s) {
				out = append(out, s)
			}
		}
	}
	return out
}

// countReal is len(realValues(v)), without making the list.
func countReal(v any) int {
	n := 0
	switch x := v.(type) {
	case string:
		if isRealString(x) {
			n++
		}
	case []string:
		for _, s := range x {
			if isRealString(s) {
				n++
			}
		}
	case []any:
		for _, e := range x {
			if s, ok := e.(string); ok && isRealString(s) {
				n++
			}
		}
	}
	return n
}

// mapUnique maps each real value of v through m, dropping unmapped ones,
// and returns the results sorted without repeats.
func mapUnique(v, m any) []string {
	mm, _ := m.(map[string]any)
	out := []string{}
	for _, s := range realValues(v) {
		if t, ok := mm[s].(string); ok {
			out = append(out, t)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case float64:
		return x, !math.IsNaN(x)
	}
	return 0, false
}

func numCmp(a, b any, op func(a, b float64) bool) bool {
	x, ok1 := toFloat(a)
	y, ok2 := toFloat(b)
	return ok1 && ok2 && op(x, y)
}

func looseEqual(a, b any) bool {
	if x, ok := toFloat(a); ok {
		y, ok := toFloat(b)
		return ok && x == y
	}
	switch a.(type) {
	case []string, []any, map[string]any:
		return reflect.DeepEqual(a, b)
	}
	switch b.(type) {
	case []string, []any, map[string]any:
		return false
	}
	return a == b
}

// scope says which names an expression may read, for messages and checks.
type scope struct {
	what string // "condition of question \"x\"" etc., for messages
	// allowed returns "" if name may be read here, or why not.
	allowed func(name string) string
	// values returns the values a name can take, for literal checks (nil: any).
	values func(name string) []string
	// number reports whether a name's answer is a number (nil: none is).
	number func(name string) bool
	// member handles referral.X / caution.X; returns why not, or "".
	member func(base, prop string) string
}

// rewriter validates names and literals and rewrites comparisons into
// helpers that are safe on unanswered questions.
type rewriter struct {
	callee     map[ast.Node]bool // identifiers that name a function, not a value
	memberBase map[ast.Node]bool // referral, caution, consent_for before .ID
	sc         scope
	errs       []string
	// held: problems of newer checks, which stored flows may have (see
	// Flow.AuthorProblems)
	held []string
	refs []string
	seen map[string]bool
	// A name bound by `let` is read as such only inside the expression
	// after its `;`. The checks know each identifier that reads one
	// (letReads); a name read outside is taken for an answer's and
	// refused. The program, on a tree of its own, then knows only the
	// bound names (local): none of them is read outside, and none is a
	// name of the flow (expr refuses to bind a name its environment holds).
	letReads map[ast.Node]bool
	local    map[string]bool
	// patterns: the `matches` patterns met so far, each compiled once and
	// shared by the checks and the program
	patterns map[string]*pattern
	// budgeted: the rewrites put in a helper that charges the budget, so
	// each run of the expression starts it afresh (see Expr.run)
	budgeted bool
}

func (r *rewriter) ref(name string) {
	if !r.seen[name] {
		r.seen[name] = true
		r.refs = append(r.refs, name)
	}
}

func (r *rewriter) errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func (r *rewriter) hold(format string, args ...any) {
	r.held = append(r.held, fmt.Sprintf(format, args...))
}

// checkLiteral reports a string literal compared with a name that cannot take it.
func (r *rewriter) checkLiteral(n ast.Node, lit ast.Node) {
	id, ok := n.(*ast.IdentifierNode)
	if !ok {
		if m, ok := n.(*ast.MemberNode); ok {
			if base, ok := m.Node.(*ast.IdentifierNode); ok && base.Value == nameReferral {
				r.checkValues("a referral's priority", Priorities, lit)
			}
			if base, ok := m.Node.(*ast.IdentifierNode); ok && base.Value == nameConsentFor {
				r.checkValues("a referral's consent", ConsentValues, lit)
			}
		}
		return
	}
	if r.isLocal(id) {
		return
	}
	if r.sc.number != nil && r.sc.number(id.Value) {
		r.checkNumber(id.Value, lit)
		return
	}
	if r.sc.values == nil {
		return
	}
	if vals := r.sc.values(id.Value); vals != nil {
		r.checkValues(fmt.Sprintf("%q", id.Value), vals, lit)
	}
}

// checkNumber reports a quoted text compared with a number question: the
// comparison would never hold (age > "18"), so the question it steers
// would silently never be asked.
func (r *rewriter) checkNumber(name string, lit ast.Node) {
	s, ok := lit.(*ast.StringNode)
	if !ok || s.Value == Declined || s.Value == DontKnow {
		return
	}
	if _, err := strconv.Atoi(strings.TrimSpace(s.Value)); err == nil {
		r.hold("%q is a number, and %q in quotes is a text, never equal to it: write %s without quotes", name, s.Value, strings.TrimSpace(s.Value))
		return
	}
	r.hold("%q is a number and can never be the text %q: compare it with a number (such as %s >= 18), or test real(%s) or unknown(%s)", name, s.Value, name, name, name)
}

func (r *rewriter) checkValues(who string, vals []string, lit ast.Node) {
	var lits []*ast.StringNode
	switch l := lit.(type) {
	case *ast.StringNode:
		lits = append(lits, l)
	case *ast.ArrayNode:
		for _, e := range l.Nodes {
			if s, ok := e.(*ast.StringNode); ok {
				lits = append(lits, s)
			}
		}
	}
	for _, s := range lits {
		ok := false
		for _, v := range vals {
			if v == s.Value {
				ok = true
			}
		}
		if !ok {
			hint := ""
			if near := nearest(s.Value, vals); near != "" {
				hint = fmt.Sprintf(" (did you mean %q?)", near)
			}
			r.errorf("%s cannot be %q%s; it takes: %s", who, s.Value, hint, strings.Join(vals, ", "))
		}
	}
}

func (r *rewriter) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.PredicateNode:
		// names inside `all(list, {# ...})` are the list's items, not
		// answers; each time it runs, the body is charged to the budget
		r.budgetVisit(node)
	case *ast.PointerNode:
	case *ast.IdentifierNode:
		if r.isLocal(n) || r.callee[n] {
			return
		}
		if why := r.sc.allowed(n.Value); why != "" {
			r.errorf("%s", why)
			return
		}
		if r.memberBase[n] {
			return // referral.X reads one referral, named by the member below
		}
		r.ref(n.Value)
	case *ast.MemberNode:
		base, ok := n.Node.(*ast.IdentifierNode)
		prop, ok2 := n.Property.(*ast.StringNode)
		if ok && ok2 && isRuleMap(base.Value) && !r.isLocal(base) {
			if why := r.sc.member(base.Value, prop.Value); why != "" {
				r.errorf("%s", why)
				return
			}
			r.ref(base.Value + "." + prop.Value)
		}
	case *ast.UnaryNode:
		if (n.Operator == "not" || n.Operator == "!") && !isBool(n.Node) {
			ast.Patch(node, call(fnNot, n.Node))
		}
	case *ast.ConditionalNode:
		n.Cond = truth(n.Cond)
	case *ast.CallNode:
		if id, ok := n.Callee.(*ast.IdentifierNode); ok && !r.isLocal(id) {
			// expr-lang's own check misses an unknown function, or a
			// helper given a wrong number of values, inside a comparison
			// this rewriter patched: the flow would load and then fail
			// every score
			if why := helperCallProblem(id.Value, len(n.Arguments)); why != "" {
				r.errorf("%s", why)
				return
			}
		}
		if id, ok := n.Callee.(*ast.IdentifierNode); ok && (id.Value == "has" || id.Value == "has_any") && len(n.Arguments) == 2 {
			r.checkLiteral(n.Arguments[0], n.Arguments[1])
		}
		r.budgetVisit(node)
	case *ast.BuiltinNode:
		if why := builtinProblem(n.Name); why != "" {
			r.errorf("%s", why)
			return
		}
		if _, helper := helperArity[n.Name]; helper { // count: a helper, not expr's own
			if why := helperCallProblem(n.Name, len(n.Arguments)); why != "" {
				r.errorf("%s", why)
				return
			}
		}
		// expr's values() reflects over any map; referral and caution are
		// always a map[string]any, listed faster by _values (in no
		// particular order either), and never longer than the flow's rules.
		if n.Name == "values" && len(n.Arguments) == 1 {
			if m, ok := n.Arguments[0].(*ast.IdentifierNode); ok && isRuleMap(m.Value) && !r.isLocal(m) {
				ast.Patch(node, call(fnValues, m))
				return
			}
		}
		r.budgetVisit(node)
	case *ast.BinaryNode:
		fn := ""
		switch n.Operator {
		case "and", "&&", "or", "||":
			// Native, so they short-circuit; an operand that may not be a
			// boolean (an answer, a derived value) reads as true only when
			// it is true.
			n.Left, n.Right = truth(n.Left), truth(n.Right)
			return
		case "==", "!=":
			// expr's own equality is safe on any pair of values; between
			// two computed ones (lists, perhaps), it is charged.
			r.checkLiteral(n.Left, n.Right)
			r.checkLiteral(n.Right, n.Left)
			if repl := r.budgetBinary(n); repl != nil {
				ast.Patch(node, repl)
			}
			return
		case "+":
			if repl := r.budgetBinary(n); repl != nil {
				ast.Patch(node, repl) // text + text is charged what it makes
			}
			return
		case "<":
			fn = fnLt
		case "<=":
			fn = fnLe
		case ">":
			fn = fnGt
		case ">=":
			fn = fnGe
		case "in":
			r.checkLiteral(n.Left, n.Right) // q in ["a", "b"]
			r.checkLiteral(n.Right, n.Left) // "a" in q
			if _, literal := n.Right.(*ast.ArrayNode); literal {
				return // a literal list: expr's own `in` is safe
			}
			ast.Patch(node, r.inCall(n.Left, n.Right))
			return
		case "not in":
			r.checkLiteral(n.Left, n.Right)
			r.checkLiteral(n.Right, n.Left)
			ast.Patch(node, call(fnNot, r.inCall(n.Left, n.Right)))
			return
		case "matches":
			if repl := r.matches(n); repl != nil {
				ast.Patch(node, repl)
			}
			return
		}
		if fn == "" {
			return
		}
		// age > "18": a number question is never a text
		r.checkLiteral(n.Left, n.Right)
		r.checkLiteral(n.Right, n.Left)
		repl := call(fn, n.Left, n.Right)
		if n.Operator == "!=" {
			repl = call(fnNot, repl)
		}
		ast.Patch(node, repl)
	}
}

// boolFuncs are the functions that always give a boolean.
var boolFuncs = map[string]bool{"real": true, "answered": true, "unknown": true, "has": true, "has_any": true,
	fnHas: true, fnHasAny: true, fnEqual: true, fnInCharged: true, fnMatches: true,
	fnEq: true, fnLt: true, fnLe: true, fnGt: true, fnGe: true, fnIn: true, fnAnd: true, fnOr: true, fnNot: true, fnTruth: true}

// isBool reports whether a node always gives a boolean, so the native
// boolean operators can take it as it is.
func isBool(n ast.Node) bool {
	switch x := n.(type) {
	case *ast.BoolNode:
		return true
	case *ast.CallNode:
		id, ok := x.Callee.(*ast.IdentifierNode)
		return ok && boolFuncs[id.Value]
	case *ast.BinaryNode:
		switch x.Operator {
		case "==", "!=", "and", "&&", "or", "||", "in", "matches", "contains", "startsWith", "endsWith":
			return true
		}
	case *ast.UnaryNode:
		return x.Operator == "not" || x.Operator == "!"
	}
	return false
}

// truth wraps a node that may not be a boolean so it reads as true only
// when it is true.
func truth(n ast.Node) ast.Node {
	if isBool(n) {
		return n
	}
	return call(fnTruth, n)
}

// isLocal reports whether id reads a name bound by `let`.
func (r *rewriter) isLocal(id *ast.IdentifierNode) bool {
	return r.letReads[id] || r.local[id.Value]
}

// letBindings returns the names bound by `let` anywhere in root, and the
// identifiers that read them (both nil when there is no `let`): those named so in the expression after a
// `let`'s `;` (expr refuses to bind a name twice, so there is no
// shadowing to follow).
func letBindings(root ast.Node) (names map[string]bool, reads map[ast.Node]bool) {
	ast.Walk(&root, visitFunc(func(n ast.Node) {
		d, ok := n.(*ast.VariableDeclaratorNode)
		if !ok {
			return
		}
		if names == nil {
			names, reads = map[string]bool{}, map[ast.Node]bool{}
		}
		names[d.Name] = true
		ast.Walk(&d.Expr, visitFunc(func(n ast.Node) {
			if id, ok := n.(*ast.IdentifierNode); ok && id.Value == d.Name {
				reads[id] = true
			}
		}))
	}))
	return names, reads
}

// calleeFinder collects the identifiers that name called functions.
type calleeFinder map[ast.Node]bool

func (c calleeFinder) Visit(node *ast.Node) {
	if n, ok := (*node).(*ast.CallNode); ok {
		c[n.Callee] = true
	}
}

// memberBases collects the identifiers referral, caution and consent_for
// that stand before a literal member (referral.asylum_procedure): such an
// expression reads that one rule, not all of them.
func memberBases(root ast.Node) map[ast.Node]bool {
	out := map[ast.Node]bool{}
	ast.Walk(&root, visitFunc(func(n ast.Node) {
		if m, ok := n.(*ast.MemberNode); ok {
			base, ok := m.Node.(*ast.IdentifierNode)
			_, lit := m.Property.(*ast.StringNode)
			if ok && lit && isRuleMap(base.Value) {
				out[base] = true
			}
		}
	}))
	return out
}

func newRewriter(sc scope, root ast.Node) *rewriter {
	cf := calleeFinder{}
	ast.Walk(&root, cf)
	// The walk visits a `let` after the expression it binds its name in,
	// so the names are gathered first.
	_, reads := letBindings(root)
	return &rewriter{sc: sc, seen: map[string]bool{}, letReads: reads, callee: cf, memberBase: memberBases(root)}
}

// compileExpr checks and compiles an expression in a scope. It returns the
// problems found, each already phrased for the author.
func compileExpr(e *Expr, sc scope, env map[string]any) (errs, held []string) {
	if strings.TrimSpace(e.Src) == "" {
		return []string{fmt.Sprintf("%s is empty", sc.what)}, nil
	}
	tree, err := parser.Parse(e.Src)
	if err != nil {
		return []string{fmt.Sprintf("%s does not parse: %s", sc.what, exprMessage(e.Src, err))}, nil
	}
	if n := countNodes(tree.Node); n > maxExprNodes {
		return []string{fmt.Sprintf("%s is too long: %d parts, at most %d; split it into derived values", sc.what, n, maxExprNodes)}, nil
	}
	r := newRewriter(sc, tree.Node)
	ast.Walk(&tree.Node, r)
	if len(r.errs) > 0 {
		for i, m := range r.errs {
			r.errs[i] = sc.what + ": " + m
		}
		for i, m := range r.held {
			r.held[i] = sc.what + ": " + m
		}
		return r.errs, r.held
	}
	// Compile the original text again through the same rewriter, now as
	// expr's patch step, so the program and the checks see the same tree.
	// Its locals are known from the start, so that no name bound by `let`
	// is taken for referral or caution, and it reuses the patterns the
	// checks compiled.
	bound, _ := letBindings(tree.Node)
	r2 := &rewriter{sc: sc, seen: map[string]bool{}, local: bound, callee: map[ast.Node]bool{}, patterns: r.patterns}
	opts := append([]expr.Option{expr.Env(env), expr.Patch(r2)}, exprOptions...)
	prog, err := expr.Compile(e.Src, opts...)
	if err != nil {
		return []string{fmt.Sprintf("%s does not compile: %s", sc.what, exprMessage(e.Src, err))}, nil
	}
	e.prog = prog
	e.refs = r.refs
	e.what = sc.what
	e.budgeted = r2.budgeted

	// For `a or b or c` (also nested in `and`), keep each side so a summary
	// can say which held.
	orig, _ := parser.Parse(e.Src)
	e.reason = reasonTreeOf(orig.Node, sc, env, e.Pos)
	for i, m := range r.held {
		r.held[i] = sc.what + ": " + m
	}
	return nil, r.held
}
