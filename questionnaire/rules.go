package questionnaire

import (
	"fmt"
	"sort"
	"strings"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
)

// ruleNode is one computed name: a derived value, a finding, a referral or
// a caution, with the names it reads. Load orders them so each is computed
// after everything it reads.
type ruleNode struct {
	name     string // env name: id, or "referral.ID" / "caution.ID"
	derived  *Derived
	finding  *Finding
	referral *Referral
	caution  *Caution
	exprs    []*Expr
	pos      Pos
	maxQ     int // derived only: highest question index it depends on
}

func (n *ruleNode) refs() []string {
	var out []string
	for _, e := range n.exprs {
		if e != nil {
			out = append(out, e.refs...)
		}
	}
	return out
}

func (l *loader) expressions(names map[string]*nameInfo, refIDs, cautIDs map[string]bool) {
	f := l.f
	env := map[string]any{nameValue: nil, nameReferral: map[string]any{}, nameCaution: map[string]any{}, nameConsentFor: map[string]any{},
		budgetName: (*budget)(nil)}
	var all []string
	for n := range names {
		env[n] = nil
		all = append(all, n)
	}
	sort.Strings(all)
	member := func(base, prop string) string {
		ids := refIDs
		if base == nameCaution {
			ids = cautIDs
		}
		if base == nameConsentFor && l.f.ReferralConsentQuestion == "" {
			return "reads consent_for, but the flow names no referral_consent_question"
		}
		if ids[prop] {
			return ""
		}
		var cands []string
		for id := range ids {
			cands = append(cands, id)
		}
		hint := ""
		if near := nearest(prop, cands); near != "" {
			hint = fmt.Sprintf(" (did you mean %q?)", near)
		}
		return fmt.Sprintf("names unknown %s %q%s", base, prop, hint)
	}
	values := func(name string) []string {
		info := names[name]
		switch {
		case info == nil:
			return nil
		case info.kind == kQuestion:
			return info.q.comparable()
		case info.kind == kFinding && len(info.fd.Cases) > 0:
			var vals []string
			for _, c := range info.fd.Cases {
				if s, ok := c.Value.(string); ok {
					vals = append(vals, s)
				} else {
					return nil
				}
			}
			return vals
		}
		return nil
	}
	// answerValues: the values answers take (yes, no, each choice), so
	// that `consent == yes` says to quote the value
	answerValues := map[string]bool{Declined: true, DontKnow: true}
	for _, q := range f.Questions {
		for _, v := range q.comparable() {
			answerValues[v] = true
		}
	}
	unknown := func(name string) string {
		hint := ""
		if near := nearest(name, all); near != "" {
			hint = fmt.Sprintf(" (did you mean %q?)", near)
		}
		if answerValues[name] {
			hint = fmt.Sprintf("; to compare with the answer %s, put it in quotes: \"%s\"", name, name)
		}
		return fmt.Sprintf("names %q, which is not a question, derived value or finding of this flow%s", name, hint)
	}

	// Derived values first: they may read any question and each other.
	nodes := map[string]*ruleNode{}
	var order []*ruleNode
	for _, d := range f.Derived {
		sc := scope{what: fmt.Sprintf("derived value %q", d.ID), values: values, number: numberQuestions(names), member: member,
			allowed: func(name string) string {
				info := names[name]
				switch {
				case info == nil:
					return unknown(name)
				case info.kind == kFinding:
					return fmt.Sprintf("reads finding %q; a derived value may read only questions and other derived values", name)
				}
				return ""
			}}
		if d.Expr != nil {
			l.compile(d.Expr, d.ID, sc, env)
		}
		n := &ruleNode{name: d.ID, derived: d, exprs: []*Expr{d.Expr}, pos: d.Pos}
		nodes[n.name] = n
		order = append(order, n)
	}
	for _, fd := range f.Findings {
		n := &ruleNode{name: fd.ID, finding: fd, exprs: []*Expr{fd.Expr}, pos: fd.Pos}
		for _, c := range fd.Cases {
			n.exprs = append(n.exprs, c.When)
		}
		for _, t := range fd.Explanations {
			n.exprs = append(n.exprs, t.When)
		}
		nodes[n.name] = n
		order = append(order, n)
	}
	for _, r := range f.Referrals {
		n := &ruleNode{name: nameReferral + "." + r.ID, referral: r, exprs: []*Expr{r.When}, pos: r.Pos}
		for _, c := range r.Priority {
			n.exprs = append(n.exprs, c.When)
		}
		if r.BestInterests != nil {
			n.exprs = append(n.exprs, r.BestInterests.When)
		}
		for _, t := range r.Explanations {
			n.exprs = append(n.exprs, t.When)
		}
		nodes[n.name] = n
		order = append(order, n)
	}
	for _, c := range f.Cautions {
		n := &ruleNode{name: nameCaution + "." + c.ID, caution: c, exprs: []*Expr{c.When}, pos: c.Pos}
		for _, t := range c.Explanations {
			n.exprs = append(n.exprs, t.When)
		}
		nodes[n.name] = n
		order = append(order, n)
	}
	ruleScope := func(what string) scope {
		return scope{what: what, values: values, number: numberQuestions(names), member: member, allowed: func(name string) string {
			if names[name] == nil && !isRuleMap(name) {
				return unknown(name)
			}
			return ""
		}}
	}
	texts := func(list []*TextCase, id, what string) {
		for i, t := range list {
			if t.When != nil {
				l.compile(t.When, id, ruleScope(fmt.Sprintf("%s, explanation %d", what, i+1)), env)
			}
		}
	}
	for _, fd := range f.Findings {
		texts(fd.Explanations, fd.ID, fmt.Sprintf("finding %q", fd.ID))
	}
	for _, r := range f.Referrals {
		texts(r.Explanations, r.ID, fmt.Sprintf("referral %q", r.ID))
		if b := r.BestInterests; b != nil && b.When != nil {
			l.compile(b.When, r.ID, ruleScope(fmt.Sprintf("referral %q, best_interests", r.ID)), env)
		}
	}
	for _, c := range f.Cautions {
		texts(c.Explanations, c.ID, fmt.Sprintf("caution %q", c.ID))
	}
	for _, fd := range f.Findings {
		if fd.Expr != nil {
			l.compile(fd.Expr, fd.ID, ruleScope(fmt.Sprintf("finding %q", fd.ID)), env)
		}
		for _, c := range fd.Cases {
			if c.When != nil {
				l.compile(c.When, fd.ID, ruleScope(fmt.Sprintf("finding %q, case %v", fd.ID, c.Value)), env)
			}
		}
	}
	for _, r := range f.Referrals {
		if r.When != nil {
			l.compile(r.When, r.ID, ruleScope(fmt.Sprintf("referral %q", r.ID)), env)
		}
		for _, c := range r.Priority {
			if c.When != nil {
				l.compile(c.When, r.ID, ruleScope(fmt.Sprintf("referral %q, priority %v", r.ID, c.Value)), env)
			}
		}
	}
	for _, c := range f.Cautions {
		if c.When != nil {
			l.compile(c.When, c.ID, ruleScope(fmt.Sprintf("caution %q", c.ID)), env)
		}
	}
	// Carry on even when a rule did not compile (it then reads nothing), so
	// that the problems of the questions' conditions are reported too.

	// Order the nodes so each comes after what it reads; report cycles.
	deps := func(n *ruleNode) []*ruleNode {
		var out []*ruleNode
		for _, ref := range n.refs() {
			switch {
			case isRuleMap(ref):
				prefix := ref + "."
				if ref == nameConsentFor {
					prefix = nameReferral + "." // a consent is set with its referral
				}
				for _, m := range order {
					if strings.HasPrefix(m.name, prefix) {
						out = append(out, m)
					}
				}
			case strings.HasPrefix(ref, nameConsentFor+"."):
				if m := nodes[nameReferral+strings.TrimPrefix(ref, nameConsentFor)]; m != nil {
					out = append(out, m)
				}
			case nodes[ref] != nil:
				out = append(out, nodes[ref])
			}
		}
		return out
	}
	state := map[*ruleNode]int{} // 1 visiting, 2 done
	var sorted []*ruleNode
	var visit func(n *ruleNode, path []string) bool
	visit = func(n *ruleNode, path []string) bool {
		switch state[n] {
		case 1:
			l.add(n.pos, "", "rules read each other in a circle: %s", strings.Join(append(path, n.name), " → "))
			return false
		case 2:
			return true
		}
		state[n] = 1
		n.maxQ = -1
		for _, ref := range n.refs() {
			if info := names[ref]; info != nil && info.kind == kQuestion && info.q.Index > n.maxQ {
				n.maxQ = info.q.Index
			}
		}
		for _, d := range deps(n) {
			if !visit(d, append(path, n.name)) {
				return false
			}
			if d.maxQ > n.maxQ {
				n.maxQ = d.maxQ
			}
		}
		state[n] = 2
		sorted = append(sorted, n)
		return true
	}
	for _, n := range order {
		if !visit(n, nil) {
			return // the order is unknown, and with it what conditions may read
		}
	}
	f.nodes = sorted

	// Question conditions may read earlier questions, and derived values
	// that rest only on earlier questions.
	for _, s := range f.Sections {
		if len(s.Questions) == 0 {
			continue
		}
		first := s.Questions[0]
		if s.Relevant != nil {
			l.compile(s.Relevant, "", l.conditionScope(fmt.Sprintf("section %q's relevant", s.ID), first.Index, names, nodes, values, member, unknown), env)
		}
		for _, q := range s.Questions {
			if q.Relevant != nil {
				l.compile(q.Relevant, q.ID, l.conditionScope(fmt.Sprintf("question %q's relevant", q.ID), q.Index, names, nodes, values, member, unknown), env)
			}
			if q.EndsIf != nil {
				l.compile(q.EndsIf, q.ID, l.conditionScope(fmt.Sprintf("question %q's ends_interview_if", q.ID), q.Index+1, names, nodes, values, member, unknown), env)
			}
			for _, c := range q.Constraints {
				if c.Check == nil {
					continue
				}
				sc := l.conditionScope(fmt.Sprintf("question %q's constraint", q.ID), q.Index, names, nodes, values, member, unknown)
				inner := sc.allowed
				sc.allowed = func(name string) string {
					if name == nameValue {
						return ""
					}
					return inner(name)
				}
				l.compile(c.Check, q.ID, sc, env)
			}
		}
	}
}

// conditionScope allows questions before index `before` and derived values
// resting only on them.
func (l *loader) conditionScope(what string, before int, names map[string]*nameInfo, nodes map[string]*ruleNode,
	values func(string) []string, member func(string, string) string, unknown func(string) string) scope {
	return scope{what: what, values: values, number: numberQuestions(names), member: member, allowed: func(name string) string {
		info := names[name]
		switch {
		case isRuleMap(name):
			return fmt.Sprintf("reads %s; referrals and cautions are decided at the end and cannot steer the questions", name)
		case info == nil:
			return unknown(name)
		case info.kind == kQuestion:
			if info.q.Index >= before {
				return fmt.Sprintf("names question %q (line %d), which is not asked before this point; a condition may only name questions that come before it", name, info.q.Pos.Line)
			}
		case info.kind == kDerived:
			if n := nodes[name]; n != nil && n.maxQ >= before {
				return fmt.Sprintf("reads derived value %q, which rests on question %q, not asked before this point", name, l.f.Questions[n.maxQ].ID)
			}
		case info.kind == kFinding:
			return fmt.Sprintf("reads finding %q; findings are decided at the end and cannot steer the questions", name)
		}
		return ""
	}}
}

// numberQuestions reports whether a name is a question whose answer is a
// number, so that an expression comparing it with a quoted text (age >
// "18", always false) is refused.
func numberQuestions(names map[string]*nameInfo) func(string) bool {
	return func(name string) bool {
		info := names[name]
		return info != nil && info.kind == kQuestion && info.q.rule() != nil && info.q.rule().number
	}
}

func (l *loader) compile(e *Expr, qid string, sc scope, env map[string]any) {
	errs, held := compileExpr(e, sc, env)
	for _, m := range errs {
		l.add(e.Pos, qid, "%s", m)
	}
	l.holding(func() {
		for _, m := range held {
			l.add(e.Pos, qid, "%s", m)
		}
	})
}

// prepare works out, once the flow has loaded, what every walk and score
// would otherwise work out again: where the derived values are, the shape
// of a summary's fields, the conditions' memo slots, and the names rules
// give as reasons. After it the flow is only read, so it may be walked
// and scored from many goroutines at once.
func (f *Flow) prepare() {
	f.derivedNodes = f.derivedNodes[:0]
	for k, n := range f.nodes {
		if n.derived != nil {
			f.derivedNodes = append(f.derivedNodes, k)
		}
	}
	fieldOf := map[string]string{}
	for _, fd := range f.Findings {
		fd.path = strings.Split(fd.Field, ".")
		fieldOf[fd.ID] = fd.Field
	}
	f.fields = shapeFields(f.Findings)
	f.assignMemoSlots()
	f.basisCap = len(f.Basis)
	for _, fd := range f.Findings {
		f.basisCap += len(fd.Basis)
		for _, c := range fd.Cases {
			f.basisCap += len(c.Basis)
		}
	}
	for _, r := range f.Referrals {
		f.basisCap += len(r.Basis)
	}
	for _, c := range f.Cautions {
		f.basisCap += len(c.Basis)
	}
	// A reason names a finding by its field, anything else by its name.
	var names func(e *Expr)
	names = func(e *Expr) {
		if e == nil {
			return
		}
		e.reasonNames = make([]string, len(e.refs))
		for i, r := range e.refs {
			if fld, ok := fieldOf[r]; ok {
				r = fld
			}
			e.reasonNames[i] = r
		}
		e.reasonCap = len(e.reasonNames)
		if e.reason != nil {
			e.reasonCap = 0
			e.reason.eachLeaf(func(t *reasonTree) {
				names(t.leaf)
				e.reasonCap += len(t.leaf.reasonNames)
			})
		}
	}
	for _, r := range f.Referrals {
		names(r.When)
		for _, c := range r.Priority {
			names(c.When)
		}
	}
	for _, c := range f.Cautions {
		names(c.When)
	}
}

// assignMemoSlots gives a walker.memo slot (see walker.cond) to the
// conditions that walks and Score evaluate for their truth: sections' and
// questions' relevant, findings' cases, referrals (with their priorities),
// cautions, and the sides their reasons are drawn from. Conditions with
// the same text share a slot.
//
// Left out: ends_interview_if, evaluated as its question is taken, before
// the derived values resting on that question are computed (so the same
// text elsewhere could read them otherwise); constraints (Check does not
// walk); and anything calling now(), whose outcome is not fixed.
func (f *Flow) assignMemoSlots() {
	slots := map[string]int{}
	var give func(e *Expr)
	give = func(e *Expr) {
		if e == nil || e.prog == nil {
			return
		}
		e.reason.eachLeaf(func(t *reasonTree) { give(t.leaf) })
		tree, err := parser.Parse(e.Src)
		if err != nil {
			return
		}
		volatile, fixed := false, true
		ast.Walk(&tree.Node, visitFunc(func(n ast.Node) {
			switch x := n.(type) {
			case *ast.IdentifierNode:
				switch x.Value {
				case nameReferral, nameCaution, nameConsentFor:
					volatile = true
				case "now":
					fixed = false
				}
			case *ast.CallNode:
				if id, ok := x.Callee.(*ast.IdentifierNode); ok && id.Value == "now" {
					fixed = false
				}
			}
		}))
		if !fixed {
			return
		}
		key := tree.Node.String() // the same text, however spaced
		k, ok := slots[key]
		if !ok {
			k = len(slots)
			slots[key] = k
			if volatile {
				f.volatileSlots = append(f.volatileSlots, k)
			}
		}
		e.memo = k + 1
	}
	for _, s := range f.Sections {
		give(s.Relevant)
		for _, q := range s.Questions {
			give(q.Relevant)
		}
	}
	f.ruleConditions(give)
	f.memoSlots = len(slots)
}

// ruleConditions calls fn with the conditions of the flow's rules, some
// nil, in this order: every finding's cases, every finding's conditional
// explanations, then each referral's (when, priority rows, best
// interests, explanations) and each caution's (when, explanations). A
// finding's expr is not among them.
func (f *Flow) ruleConditions(fn func(*Expr)) {
	texts := func(list []*TextCase) {
		for _, t := range list {
			fn(t.When)
		}
	}
	for _, fd := range f.Findings {
		for _, c := range fd.Cases {
			fn(c.When)
		}
	}
	for _, fd := range f.Findings {
		texts(fd.Explanations)
	}
	for _, r := range f.Referrals {
		fn(r.When)
		for _, c := range r.Priority {
			fn(c.When)
		}
		if r.BestInterests != nil {
			fn(r.BestInterests.When)
		}
		texts(r.Explanations)
	}
	for _, c := range f.Cautions {
		fn(c.When)
		texts(c.Explanations)
	}
}

// visitFunc is an ast.Visitor from a function.
type visitFunc func(ast.Node)

func (v visitFunc) Visit(n *ast.Node) { v(*n) }
