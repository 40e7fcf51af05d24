// Reasons: which parts of a rule held, for the summary's "why" lines, and
// the nearest-name suggestions of error messages.

package questionnaire

import (
	"github.com/expr-lang/expr/ast"
)

// reasonTree mirrors the and/or structure of an expression, so that the
// reasons of a referral or caution name only what made it hold: every side
// of an `and`, and only the sides of an `or` that held.
type reasonTree struct {
	op   string // "and", "or", or "" for a leaf
	kids []*reasonTree
	leaf *Expr
	// negated: the leaf is `not x`. It holds because something is absent,
	// which is no reason to give ("not recognised" would read as
	// "recognised as a refugee"), so it names nothing.
	negated bool
}

// reasonTreeOf returns nil when n is a single leaf (its refs are the
// reasons) or when a side cannot be compiled on its own.
func reasonTreeOf(n ast.Node, sc scope, env map[string]any, pos Pos) *reasonTree {
	var build func(n ast.Node) *reasonTree
	build = func(n ast.Node) *reasonTree {
		if b, ok := n.(*ast.BinaryNode); ok {
			op := map[string]string{"and": "and", "&&": "and", "or": "or", "||": "or"}[b.Operator]
			if op != "" {
				t := &reasonTree{op: op}
				for _, side := range []ast.Node{b.Left, b.Right} {
					k := build(side)
					if k == nil {
						return nil
					}
					if k.op == op {
						t.kids = append(t.kids, k.kids...)
					} else {
						t.kids = append(t.kids, k)
					}
				}
				return t
			}
		}
		d := &Expr{Src: n.String(), Pos: pos}
		if errs, _ := compileExpr(d, sc, env); len(errs) > 0 {
			return nil
		}
		u, neg := n.(*ast.UnaryNode)
		return &reasonTree{leaf: d, negated: neg && (u.Operator == "not" || u.Operator == "!")}
	}
	if b, ok := n.(*ast.BinaryNode); !ok || (b.Operator != "and" && b.Operator != "&&" && b.Operator != "or" && b.Operator != "||") {
		return nil
	}
	return build(n)
}

// eachLeaf calls fn on t's leaves, left to right. t may be nil.
func (t *reasonTree) eachLeaf(fn func(*reasonTree)) {
	if t == nil {
		return
	}
	if t.op == "" {
		fn(t)
		return
	}
	for _, k := range t.kids {
		k.eachLeaf(fn)
	}
}

// reasonHolds reports whether t holds on the walker's env. A side that
// cannot be evaluated did not hold. Leaves go through the walker's memo, so
// working out a rule's reasons runs each of them at most once.
func (w *walker) reasonHolds(t *reasonTree) bool {
	switch t.op {
	case "and":
		for _, k := range t.kids {
			if !w.reasonHolds(k) {
				return false
			}
		}
		return true
	case "or":
		for _, k := range t.kids {
			if w.reasonHolds(k) {
				return true
			}
		}
		return false
	}
	ok, _ := w.cond(t.leaf)
	return ok
}

// addReasons adds to out the names read by the parts of t that made it hold.
func (w *walker) addReasons(t *reasonTree, out *nameSet) {
	switch t.op {
	case "and":
		for _, k := range t.kids {
			w.addReasons(k, out)
		}
	case "or":
		for _, k := range t.kids {
			if w.reasonHolds(k) {
				w.addReasons(k, out)
			}
		}
	default:
		if !t.negated {
			out.add(t.leaf.reasonNames...)
		}
	}
}

// Nearest returns the candidate closest to s when s is plausibly a typo of
// it, or "": the "did you mean" of every message.
func Nearest(s string, cands []string) string { return nearest(s, cands) }

// nearest returns the candidate closest to s when it is plausibly a typo.
func nearest(s string, cands []string) string {
	best, bestD := "", 1<<30
	for _, c := range cands {
		if d := editDistance(s, c); d < bestD {
			best, bestD = c, d
		}
	}
	if bestD <= 2 || (bestD <= 4 && bestD*3 <= len(s)) {
		return best
	}
	return ""
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
