// The differences in a flow's rules: derived values, findings, referrals
// and cautions, and the order they are listed in.

package questionnaire

import (
	"fmt"
	"slices"
	"strings"
)

// byID pairs the entries of two lists of rules (or sections, or
// questions) by their names, which a valid flow never repeats: added is
// called for each entry only new has and changed for each both have, in
// new's order, then removed for each only old has, in old's order.
func byID[T any](old, new []T, name func(T) string, added func(x T), changed func(p, x T), removed func(p T)) {
	olds := make(map[string]T, len(old))
	for _, p := range old {
		olds[name(p)] = p
	}
	seen := make(map[string]bool, len(new))
	for _, x := range new {
		n := name(x)
		seen[n] = true
		if p, ok := olds[n]; ok {
			changed(p, x)
		} else {
			added(x)
		}
	}
	for _, p := range old {
		if !seen[name(p)] {
			removed(p)
		}
	}
}

func (d *differ) derived() {
	byID(d.o.Derived, d.n.Derived, func(x *Derived) string { return x.ID },
		func(x *Derived) {
			s := "derived value " + x.ID
			d.add(Change{Group: DiffRules, Kind: Added, Subject: s, New: exprShow(x.Expr), NewLine: x.Pos.Line, Text: fmt.Sprintf("%s added: `%s`", s, exprShow(x.Expr))})
		},
		func(p, x *Derived) {
			d.cond(DiffRules, "derived value "+x.ID, "expr", "expression", p.Expr, x.Expr, p.Pos, x.Pos)
		},
		func(p *Derived) {
			d.add(Change{Group: DiffRules, Kind: Removed, Subject: "derived value " + p.ID, Old: exprShow(p.Expr), OldLine: p.Pos.Line,
				Text: fmt.Sprintf("derived value %s removed (was `%s`)", p.ID, exprShow(p.Expr))})
		})
}

// rowNames names a first-match table's rows by their values, so that a
// row keeps its name when rows are added before it.
func rowNames(cs []*Case) []string {
	seen := map[string]int{}
	out := make([]string, len(cs))
	for i, c := range cs {
		k := showValue(c.Value)
		if seen[k]++; seen[k] > 1 {
			k = fmt.Sprintf("%s (%d)", k, seen[k])
		}
		out[i] = k
	}
	return out
}

// cases compares first-match tables: rows added, removed, their
// conditions, and their order, which decides which row wins.
func (d *differ) cases(subject, row string, old, new []*Case, op, np Pos, texts bool) {
	ok, nk := rowNames(old), rowNames(new)
	for i, c := range new {
		j := slices.Index(ok, nk[i])
		s := fmt.Sprintf("%s, %s %s", subject, row, nk[i])
		if j < 0 {
			d.add(Change{Group: DiffRules, Kind: Added, Subject: s, New: exprShow(c.When), OldLine: op.Line, NewLine: c.Pos.Line,
				Text: fmt.Sprintf("%s: %s %s added%s", subject, row, nk[i], whenClause(c.When, "when"))})
			continue
		}
		p := old[j]
		d.cond(DiffRules, s, "when", "holds when", p.When, c.When, p.Pos, c.Pos)
		d.list(DiffRules, s, "basis", p.Basis, c.Basis, p.Pos, c.Pos)
		if texts {
			d.text(s, "label", p.Label, c.Label, p.Pos, c.Pos)
			d.text(s, "explanation", p.Explanation, c.Explanation, p.Pos, c.Pos)
		}
	}
	for j, p := range old {
		if !slices.Contains(nk, ok[j]) {
			d.add(Change{Group: DiffRules, Kind: Removed, Subject: fmt.Sprintf("%s, %s %s", subject, row, ok[j]), Old: exprShow(p.When), OldLine: p.Pos.Line, NewLine: np.Line,
				Text: fmt.Sprintf("%s: %s %s removed (it held%s)", subject, row, ok[j], whenClause(p.When, "when"))})
		}
	}
	if co := commonOrder(ok, nk); !slices.Equal(co.old, co.new) {
		d.add(Change{Group: DiffRules, Kind: Moved, Subject: subject, Field: row + " order", Old: strings.Join(co.old, ", "), New: strings.Join(co.new, ", "), OldLine: op.Line, NewLine: np.Line,
			Text: fmt.Sprintf("%s: %ss tried in a new order (the first that holds wins): %s", subject, row, strings.Join(co.new, ", "))})
	}
}

func (d *differ) textCases(subject string, old, new []*TextCase, op, np Pos) {
	for i := range max(len(old), len(new)) {
		field := fmt.Sprintf("explanation %d", i+1)
		switch {
		case i >= len(old):
			d.add(Change{Group: DiffTexts, Kind: Added, Subject: subject, Field: field, New: exprShow(new[i].When), NewLine: new[i].Pos.Line,
				Text: fmt.Sprintf("%s: %s added%s: %s", subject, field, whenClause(new[i].When, "when"), clip(new[i].Text.In(d.n.DefaultLanguage, d.n.DefaultLanguage)))})
		case i >= len(new):
			d.add(Change{Group: DiffTexts, Kind: Removed, Subject: subject, Field: field, Old: exprShow(old[i].When), OldLine: old[i].Pos.Line,
				Text: fmt.Sprintf("%s: %s removed", subject, field)})
		default:
			d.cond(DiffTexts, subject, field+" when", "explains it this way when", old[i].When, new[i].When, old[i].Pos, new[i].Pos)
			d.text(subject, field, old[i].Text, new[i].Text, old[i].Pos, new[i].Pos)
		}
	}
}

// said is what a finding, referral or caution says to people and on
// what grounds: its reasons (a finding has none), basis, label and
// explanations.
type said struct {
	reasons, basis     []string
	label, explanation Text
	explanations       []*TextCase
	pos                Pos
}

// said compares what two versions of a rule say.
func (d *differ) said(subject string, p, x said) {
	d.list(DiffRules, subject, "reasons", p.reasons, x.reasons, p.pos, x.pos)
	d.list(DiffRules, subject, "basis", p.basis, x.basis, p.pos, x.pos)
	d.text(subject, "label", p.label, x.label, p.pos, x.pos)
	d.text(subject, "explanation", p.explanation, x.explanation, p.pos, x.pos)
	d.textCases(subject, p.explanations, x.explanations, p.pos, x.pos)
}

// conditional notes a referral or caution added or removed with the
// condition it is made or raised on (verb: "made", "raised").
func (d *differ) conditional(kind, what, id, verb string, when *Expr, pos Pos) {
	s := what + " " + id
	if kind == Added {
		d.add(Change{Group: DiffRules, Kind: Added, Subject: s, New: exprShow(when), NewLine: pos.Line,
			Text: fmt.Sprintf("%s added%s", s, whenClause(when, verb+" when"))})
		return
	}
	d.add(Change{Group: DiffRules, Kind: Removed, Subject: s, Old: exprShow(when), OldLine: pos.Line,
		Text: fmt.Sprintf("%s removed (it was %s%s)", s, verb, whenClause(when, "when"))})
}

func (d *differ) findings() {
	says := func(x *Finding) said { return said{nil, x.Basis, x.Label, x.Explanation, x.Explanations, x.Pos} }
	byID(d.o.Findings, d.n.Findings, func(x *Finding) string { return x.ID },
		func(x *Finding) {
			s := "finding " + x.ID
			how := plural(len(x.Cases), "case")
			if x.Expr != nil {
				how = fmt.Sprintf("`%s`", exprShow(x.Expr))
			}
			d.add(Change{Group: DiffRules, Kind: Added, Subject: s, NewLine: x.Pos.Line, Text: fmt.Sprintf("%s added at %s: %s", s, x.Field, how)})
		},
		func(p, x *Finding) {
			s := "finding " + x.ID
			d.value(DiffRules, s, "field", p.Field, x.Field, p.Pos.Line, x.Pos.Line)
			d.cond(DiffRules, s, "expr", "expression", p.Expr, x.Expr, p.Pos, x.Pos)
			d.cases(s, "case", p.Cases, x.Cases, p.Pos, x.Pos, true)
			d.said(s, says(p), says(x))
		},
		func(p *Finding) {
			d.add(Change{Group: DiffRules, Kind: Removed, Subject: "finding " + p.ID, OldLine: p.Pos.Line,
				Text: fmt.Sprintf("finding %s removed: summaries no longer have %s", p.ID, p.Field)})
		})
}

func (d *differ) referrals() {
	says := func(x *Referral) said {
		return said{x.Reasons, x.Basis, x.Label, x.Explanation, x.Explanations, x.Pos}
	}
	bi := func(b *BestInterests) *Expr {
		if b == nil {
			return nil
		}
		return b.When
	}
	byID(d.o.Referrals, d.n.Referrals, func(x *Referral) string { return x.ID },
		func(x *Referral) { d.conditional(Added, "referral", x.ID, "made", x.When, x.Pos) },
		func(p, r *Referral) {
			s := "referral " + r.ID
			d.cond(DiffRules, s, "when", "made when", p.When, r.When, p.Pos, r.Pos)
			d.cases(s, "priority", p.Priority, r.Priority, p.Pos, r.Pos, false)
			d.value(DiffRules, s, "service", p.Service, r.Service, p.Pos.Line, r.Pos.Line)
			d.cond(DiffRules, s, "best_interests", "proceeds on best interests when", bi(p.BestInterests), bi(r.BestInterests), p.Pos, r.Pos)
			if p.BestInterests != nil && r.BestInterests != nil {
				d.value(DiffRules, s, "best_interests priority", p.BestInterests.Priority, r.BestInterests.Priority, p.Pos.Line, r.Pos.Line)
			}
			d.said(s, says(p), says(r))
		},
		func(p *Referral) { d.conditional(Removed, "referral", p.ID, "made", p.When, p.Pos) })
}

func (d *differ) cautions() {
	says := func(x *Caution) said {
		return said{x.Reasons, x.Basis, x.Label, x.Explanation, x.Explanations, x.Pos}
	}
	byID(d.o.Cautions, d.n.Cautions, func(x *Caution) string { return x.ID },
		func(x *Caution) { d.conditional(Added, "caution", x.ID, "raised", x.When, x.Pos) },
		func(p, c *Caution) {
			s := "caution " + c.ID
			d.cond(DiffRules, s, "when", "raised when", p.When, c.When, p.Pos, c.Pos)
			d.value(DiffRules, s, "tier", p.Tier, c.Tier, p.Pos.Line, c.Pos.Line)
			d.said(s, says(p), says(c))
		},
		func(p *Caution) { d.conditional(Removed, "caution", p.ID, "raised", p.When, p.Pos) })
}

type orders struct{ old, new []string }

// commonOrder keeps, of each list, the names both have, in each list's order.
func commonOrder(old, new []string) orders {
	var o orders
	for _, x := range old {
		if slices.Contains(new, x) {
			o.old = append(o.old, x)
		}
	}
	for _, x := range new {
		if slices.Contains(old, x) {
			o.new = append(o.new, x)
		}
	}
	return o
}

// lcs returns the names of a longest common subsequence of a and b: the
// names that kept their order; the others moved.
func lcs(a, b []string) map[string]bool {
	n, m := len(a), len(b)
	t := make([][]int, n+1)
	for i := range t {
		t[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				t[i][j] = t[i+1][j+1] + 1
			} else {
				t[i][j] = max(t[i+1][j], t[i][j+1])
			}
		}
	}
	keep := map[string]bool{}
	for i, j := 0, 0; i < n && j < m; {
		switch {
		case a[i] == b[j]:
			keep[a[i]] = true
			i++
			j++
		case t[i+1][j] >= t[i][j+1]:
			i++
		default:
			j++
		}
	}
	return keep
}
