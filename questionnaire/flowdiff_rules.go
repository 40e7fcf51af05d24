// The differences in a flow's rules: derived values, findings, referrals
// and cautions, and the order they are listed in.

package questionnaire

import (
	"fmt"
	"slices"
	"strings"
)

func (d *differ) derived() {
	old := map[string]*Derived{}
	for _, x := range d.o.Derived {
		old[x.ID] = x
	}
	for _, x := range d.n.Derived {
		s := "derived value " + x.ID
		p := old[x.ID]
		if p == nil {
			d.add(Change{Group: DiffRules, Kind: Added, Subject: s, New: exprShow(x.Expr), NewLine: x.Pos.Line, Text: fmt.Sprintf("%s added: `%s`", s, exprShow(x.Expr))})
			continue
		}
		delete(old, x.ID)
		d.cond(DiffRules, s, "expr", "expression", p.Expr, x.Expr, p.Pos, x.Pos)
	}
	for _, p := range d.o.Derived {
		if old[p.ID] != nil {
			d.add(Change{Group: DiffRules, Kind: Removed, Subject: "derived value " + p.ID, Old: exprShow(p.Expr), OldLine: p.Pos.Line,
				Text: fmt.Sprintf("derived value %s removed (was `%s`)", p.ID, exprShow(p.Expr))})
		}
	}
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

func (d *differ) findings() {
	old := map[string]*Finding{}
	for _, x := range d.o.Findings {
		old[x.ID] = x
	}
	for _, x := range d.n.Findings {
		s := "finding " + x.ID
		p := old[x.ID]
		if p == nil {
			how := plural(len(x.Cases), "case")
			if x.Expr != nil {
				how = fmt.Sprintf("`%s`", exprShow(x.Expr))
			}
			d.add(Change{Group: DiffRules, Kind: Added, Subject: s, NewLine: x.Pos.Line, Text: fmt.Sprintf("%s added at %s: %s", s, x.Field, how)})
			continue
		}
		delete(old, x.ID)
		d.value(DiffRules, s, "field", p.Field, x.Field, p.Pos.Line, x.Pos.Line)
		d.cond(DiffRules, s, "expr", "expression", p.Expr, x.Expr, p.Pos, x.Pos)
		d.cases(s, "case", p.Cases, x.Cases, p.Pos, x.Pos, true)
		d.list(DiffRules, s, "basis", p.Basis, x.Basis, p.Pos, x.Pos)
		d.text(s, "label", p.Label, x.Label, p.Pos, x.Pos)
		d.text(s, "explanation", p.Explanation, x.Explanation, p.Pos, x.Pos)
		d.textCases(s, p.Explanations, x.Explanations, p.Pos, x.Pos)
	}
	for _, p := range d.o.Findings {
		if old[p.ID] != nil {
			d.add(Change{Group: DiffRules, Kind: Removed, Subject: "finding " + p.ID, OldLine: p.Pos.Line,
				Text: fmt.Sprintf("finding %s removed: summaries no longer have %s", p.ID, p.Field)})
		}
	}
}

func (d *differ) referrals() {
	for _, r := range d.n.Referrals {
		s := "referral " + r.ID
		p := d.o.Referral(r.ID)
		if p == nil {
			d.add(Change{Group: DiffRules, Kind: Added, Subject: s, New: exprShow(r.When), NewLine: r.Pos.Line,
				Text: fmt.Sprintf("%s added%s", s, whenClause(r.When, "made when"))})
			continue
		}
		d.cond(DiffRules, s, "when", "made when", p.When, r.When, p.Pos, r.Pos)
		d.cases(s, "priority", p.Priority, r.Priority, p.Pos, r.Pos, false)
		d.value(DiffRules, s, "service", p.Service, r.Service, p.Pos.Line, r.Pos.Line)
		bi := func(b *BestInterests) *Expr {
			if b == nil {
				return nil
			}
			return b.When
		}
		d.cond(DiffRules, s, "best_interests", "proceeds on best interests when", bi(p.BestInterests), bi(r.BestInterests), p.Pos, r.Pos)
		if p.BestInterests != nil && r.BestInterests != nil {
			d.value(DiffRules, s, "best_interests priority", p.BestInterests.Priority, r.BestInterests.Priority, p.Pos.Line, r.Pos.Line)
		}
		d.list(DiffRules, s, "reasons", p.Reasons, r.Reasons, p.Pos, r.Pos)
		d.list(DiffRules, s, "basis", p.Basis, r.Basis, p.Pos, r.Pos)
		d.text(s, "label", p.Label, r.Label, p.Pos, r.Pos)
		d.text(s, "explanation", p.Explanation, r.Explanation, p.Pos, r.Pos)
		d.textCases(s, p.Explanations, r.Explanations, p.Pos, r.Pos)
	}
	for _, p := range d.o.Referrals {
		if d.n.Referral(p.ID) == nil {
			d.add(Change{Group: DiffRules, Kind: Removed, Subject: "referral " + p.ID, Old: exprShow(p.When), OldLine: p.Pos.Line,
				Text: fmt.Sprintf("referral %s removed (it was made%s)", p.ID, whenClause(p.When, "when"))})
		}
	}
}

func (d *differ) cautions() {
	for _, c := range d.n.Cautions {
		s := "caution " + c.ID
		p := d.o.CautionByID(c.ID)
		if p == nil {
			d.add(Change{Group: DiffRules, Kind: Added, Subject: s, New: exprShow(c.When), NewLine: c.Pos.Line,
				Text: fmt.Sprintf("%s added%s", s, whenClause(c.When, "raised when"))})
			continue
		}
		d.cond(DiffRules, s, "when", "raised when", p.When, c.When, p.Pos, c.Pos)
		d.value(DiffRules, s, "tier", p.Tier, c.Tier, p.Pos.Line, c.Pos.Line)
		d.list(DiffRules, s, "reasons", p.Reasons, c.Reasons, p.Pos, c.Pos)
		d.list(DiffRules, s, "basis", p.Basis, c.Basis, p.Pos, c.Pos)
		d.text(s, "label", p.Label, c.Label, p.Pos, c.Pos)
		d.text(s, "explanation", p.Explanation, c.Explanation, p.Pos, c.Pos)
		d.textCases(s, p.Explanations, c.Explanations, p.Pos, c.Pos)
	}
	for _, p := range d.o.Cautions {
		if d.n.CautionByID(p.ID) == nil {
			d.add(Change{Group: DiffRules, Kind: Removed, Subject: "caution " + p.ID, Old: exprShow(p.When), OldLine: p.Pos.Line,
				Text: fmt.Sprintf("caution %s removed (it was raised%s)", p.ID, whenClause(p.When, "when"))})
		}
	}
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
