package questionnaire

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/expr-lang/expr/parser"
)

// FlowDiff is what changed from one flow to another, in words: the
// questions, choices, conditions, rules and texts added, removed or
// changed. It compares the flows as loaded, so a change of layout or
// comments alone is no change, and each change names its lines.
type FlowDiff struct {
	Old     FlowRef  `json:"old"`
	New     FlowRef  `json:"new"`
	OldName string   `json:"old_file"`
	NewName string   `json:"new_file"`
	Changes []Change `json:"changes"`
}

// Groups of changes, in the order they are reported.
const (
	DiffFlow       = "flow"
	DiffQuestions  = "questions"
	DiffChoices    = "choices"
	DiffConditions = "conditions"
	DiffRules      = "rules"
	DiffTexts      = "texts"
)

// DiffGroups lists the groups of changes in report order.
var DiffGroups = []string{DiffFlow, DiffQuestions, DiffChoices, DiffConditions, DiffRules, DiffTexts}

// Kinds of change.
const (
	Added   = "added"
	Removed = "removed"
	Changed = "changed"
	Moved   = "moved"
)

// Change is one difference.
type Change struct {
	Group string `json:"group"`
	Kind  string `json:"kind"`
	// Subject is what changed ("question age", "referral legal_aid,
	// priority urgent"); Field the part of it ("relevant", "label").
	Subject string `json:"subject"`
	Field   string `json:"field,omitempty"`
	Old     string `json:"old,omitempty"`
	New     string `json:"new,omitempty"`
	OldLine int    `json:"old_line,omitempty"`
	NewLine int    `json:"new_line,omitempty"`
	// Text says the change in words.
	Text string `json:"text"`
}

// Count returns how many changes are in group.
func (d *FlowDiff) Count(group string) int {
	n := 0
	for _, c := range d.Changes {
		if c.Group == group {
			n++
		}
	}
	return n
}

// Diff compares two flows.
func Diff(old, new *Flow) *FlowDiff {
	d := &differ{o: old, n: new}
	d.flow()
	d.sections()
	d.questions()
	d.derived()
	d.findings()
	d.referrals()
	d.cautions()
	rank := map[string]int{}
	for i, g := range DiffGroups {
		rank[g] = i
	}
	sort.SliceStable(d.out, func(i, j int) bool { return rank[d.out[i].Group] < rank[d.out[j].Group] })
	if d.out == nil {
		d.out = []Change{}
	}
	return &FlowDiff{Old: old.Ref(), New: new.Ref(), OldName: old.Name, NewName: new.Name, Changes: d.out}
}

type differ struct {
	o, n *Flow
	out  []Change
}

func (d *differ) add(c Change) { d.out = append(d.out, c) }

// value compares two plain values and reports a change.
func (d *differ) value(group, subject, field, old, new string, ol, nl int) {
	if old == new {
		return
	}
	d.add(Change{Group: group, Kind: Changed, Subject: subject, Field: field, Old: old, New: new, OldLine: ol, NewLine: nl,
		Text: fmt.Sprintf("%s: %s changed from %s to %s", subject, field, quoteWord(old), quoteWord(new))})
}

// flag reports a yes/no property that changed, in words.
func (d *differ) flag(group, subject, field string, old, new bool, on, off string, ol, nl int) {
	if old == new {
		return
	}
	words := off
	if new {
		words = on
	}
	d.add(Change{Group: group, Kind: Changed, Subject: subject, Field: field, Old: fmt.Sprint(old), New: fmt.Sprint(new), OldLine: ol, NewLine: nl,
		Text: fmt.Sprintf("%s %s", subject, words)})
}

func quoteWord(s string) string {
	if s == "" {
		return "nothing"
	}
	return fmt.Sprintf("%q", s)
}

// exprKey is an expression as the flow reads it: the same for two
// writings that differ only in spacing or line breaks.
func exprKey(e *Expr) string {
	if e == nil {
		return ""
	}
	if tree, err := parser.Parse(e.Src); err == nil {
		return tree.Node.String()
	}
	return strings.Join(strings.Fields(e.Src), " ")
}

func exprShow(e *Expr) string {
	if e == nil {
		return ""
	}
	return strings.Join(strings.Fields(e.Src), " ")
}

func exprLine(e *Expr, fallback Pos) int {
	if e != nil {
		return e.Pos.Line
	}
	return fallback.Line
}

// cond reports a condition added, removed or changed. what says what the
// condition does: "asked when", "relevant when", "ends the interview when".
func (d *differ) cond(group, subject, field, what string, old, new *Expr, op, np Pos) {
	ok, nk := exprKey(old), exprKey(new)
	if ok == nk {
		return
	}
	c := Change{Group: group, Subject: subject, Field: field, Old: exprShow(old), New: exprShow(new), OldLine: exprLine(old, op), NewLine: exprLine(new, np)}
	switch {
	case old == nil:
		c.Kind, c.Text = Added, fmt.Sprintf("%s: now %s `%s` (it had no condition)", subject, what, c.New)
	case new == nil:
		c.Kind, c.Text = Removed, fmt.Sprintf("%s: no longer has a condition (was %s `%s`)", subject, what, c.Old)
	default:
		c.Kind, c.Text = Changed, fmt.Sprintf("%s: %s changed from `%s` to `%s`", subject, what, c.Old, c.New)
		if what == "expression" {
			c.Text = fmt.Sprintf("%s: expression changed from `%s` to `%s`", subject, c.Old, c.New)
		}
	}
	d.add(c)
}

// text reports a text changed in any language, showing it in the default
// language when that changed, else in each language that did.
func (d *differ) text(subject, field string, old, new Text, op, np Pos) {
	langs := map[string]bool{}
	for l := range old {
		langs[l] = true
	}
	for l := range new {
		langs[l] = true
	}
	var changed []string
	for _, l := range slices.Sorted(func(yield func(string) bool) {
		for l := range langs {
			if !yield(l) {
				return
			}
		}
	}) {
		if old[l] != new[l] {
			changed = append(changed, l)
		}
	}
	if len(changed) == 0 {
		return
	}
	show := changed[0]
	if slices.Contains(changed, d.n.DefaultLanguage) {
		show = d.n.DefaultLanguage
	}
	c := Change{Group: DiffTexts, Kind: Changed, Subject: subject, Field: field, Old: old[show], New: new[show], OldLine: op.Line, NewLine: np.Line}
	in := strings.Join(changed, ", ")
	switch {
	case len(old) == 0:
		c.Kind, c.Text = Added, fmt.Sprintf("%s: %s added (%s): %s", subject, field, in, clip(c.New))
	case len(new) == 0:
		c.Kind, c.Text = Removed, fmt.Sprintf("%s: %s removed (was %s)", subject, field, clip(c.Old))
	case old[show] == "":
		c.Text = fmt.Sprintf("%s: %s now in %s: %s", subject, field, in, clip(c.New))
	case new[show] == "":
		c.Text = fmt.Sprintf("%s: %s no longer in %s (was %s)", subject, field, in, clip(c.Old))
	case show != d.n.DefaultLanguage && len(changed) > 1:
		// translations alone changed: a translator reviewing one of them
		// sees it, not only the first language's
		var each []string
		for _, l := range changed {
			a, b := clipPair(old[l], new[l])
			each = append(each, fmt.Sprintf("%s %s → %s", l, a, b))
		}
		c.Text = fmt.Sprintf("%s: %s changed (%s): %s", subject, field, in, strings.Join(each, "; "))
	default:
		a, b := clipPair(c.Old, c.New)
		c.Text = fmt.Sprintf("%s: %s changed (%s): %s → %s", subject, field, in, a, b)
	}
	d.add(c)
}

func plural(n int, one string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %ss", n, one)
}

// clipPair shows two long texts around where they first differ.
func clipPair(a, b string) (string, string) {
	a, b = strings.Join(strings.Fields(a), " "), strings.Join(strings.Fields(b), " ")
	ra, rb := []rune(a), []rune(b)
	if len(ra) <= 100 && len(rb) <= 100 {
		return clip(a), clip(b)
	}
	p := 0
	for p < len(ra) && p < len(rb) && ra[p] == rb[p] {
		p++
	}
	start := max(0, p-30)
	for start > 0 && ra[start-1] != ' ' {
		start-- // from the start of a word
	}
	cut := func(r []rune) string {
		s := string(r[start:min(len(r), start+90)])
		if start > 0 {
			s = "…" + s
		}
		if start+90 < len(r) {
			s += "…"
		}
		return fmt.Sprintf("%q", s)
	}
	return cut(ra), cut(rb)
}

func clip(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 100 {
		s = string(r[:99]) + "…"
	}
	return fmt.Sprintf("%q", s)
}

func (d *differ) list(group, subject, field string, old, new []string, op, np Pos) {
	for _, x := range new {
		if !slices.Contains(old, x) {
			d.add(Change{Group: group, Kind: Added, Subject: subject, Field: field, New: x, OldLine: op.Line, NewLine: np.Line,
				Text: fmt.Sprintf("%s: %s gains %q", subject, field, x)})
		}
	}
	for _, x := range old {
		if !slices.Contains(new, x) {
			d.add(Change{Group: group, Kind: Removed, Subject: subject, Field: field, Old: x, OldLine: op.Line, NewLine: np.Line,
				Text: fmt.Sprintf("%s: %s loses %q", subject, field, x)})
		}
	}
}

func (d *differ) flow() {
	o, n := d.o, d.n
	var top Pos
	d.value(DiffFlow, "flow", "id", o.ID, n.ID, 0, 0)
	d.value(DiffFlow, "flow", "version", o.Version, n.Version, 0, 0)
	d.value(DiffFlow, "flow", "default_language", o.DefaultLanguage, n.DefaultLanguage, 0, 0)
	d.list(DiffFlow, "flow", "languages", o.Languages, n.Languages, top, top)
	d.list(DiffFlow, "flow", "basis", o.Basis, n.Basis, top, top)
	d.value(DiffFlow, "flow", "consent_question", o.ConsentQuestion, n.ConsentQuestion, 0, 0)
	d.value(DiffFlow, "flow", "referral_consent_question", o.ReferralConsentQuestion, n.ReferralConsentQuestion, 0, 0)
	fs := func(f *FailSafe) string {
		if f == nil {
			return ""
		}
		return f.Finding + ": " + strings.Join(f.Order, " < ")
	}
	d.value(DiffFlow, "flow", "fail_safe", fs(o.FailSafe), fs(n.FailSafe), 0, 0)
	tiers := func(ts []*Tier) []string {
		var out []string
		for _, t := range ts {
			out = append(out, t.ID)
		}
		return out
	}
	ot, nt := tiers(o.CautionTiers), tiers(n.CautionTiers)
	d.list(DiffFlow, "flow", "caution_tiers", ot, nt, top, top)
	if common := commonOrder(ot, nt); !slices.Equal(common.old, common.new) {
		d.value(DiffFlow, "flow", "caution tier order", strings.Join(common.old, ", "), strings.Join(common.new, ", "), 0, 0)
	}
	for _, t := range n.CautionTiers {
		for _, u := range o.CautionTiers {
			if u.ID == t.ID {
				d.text("caution tier "+t.ID, "label", u.Label, t.Label, u.Pos, t.Pos)
			}
		}
	}
	d.text("flow", "title", o.Title, n.Title, top, top)
	d.text("flow", "description", o.Description, n.Description, top, top)
	d.text("flow", "disclaimer", o.Disclaimer, n.Disclaimer, top, top)
	ostr, nstr := map[string]Text{}, map[string]Text{}
	var ids []string
	for _, s := range o.Strings {
		ostr[s.ID] = s.Text
		ids = append(ids, s.ID)
	}
	for _, s := range n.Strings {
		nstr[s.ID] = s.Text
		if _, ok := ostr[s.ID]; !ok {
			ids = append(ids, s.ID)
		}
	}
	for _, id := range ids {
		d.text("string "+id, "text", ostr[id], nstr[id], top, top)
	}
	cit := func(f *Flow) []string {
		var out []string
		for _, c := range f.Citations {
			out = append(out, c.In(f.DefaultLanguage, f.DefaultLanguage))
		}
		return out
	}
	d.list(DiffTexts, "flow", "citations", cit(o), cit(n), top, top)
}

func sectionName(s *Section) string {
	if s.ID != "" {
		return "section " + s.ID
	}
	return fmt.Sprintf("section %d", s.Index+1)
}

func (d *differ) sections() {
	byID(d.o.Sections, d.n.Sections, sectionName,
		func(s *Section) {
			d.add(Change{Group: DiffQuestions, Kind: Added, Subject: sectionName(s), NewLine: s.Pos.Line,
				Text: fmt.Sprintf("%s added, with %s%s", sectionName(s), plural(len(s.Questions), "question"), whenClause(s.Relevant, "asked when"))})
		},
		func(p, s *Section) {
			name := sectionName(s)
			d.cond(DiffConditions, name, "relevant", "asked when", p.Relevant, s.Relevant, p.Pos, s.Pos)
			d.text(name, "title", p.Title, s.Title, p.Pos, s.Pos)
			d.text(name, "intro", p.Intro, s.Intro, p.Pos, s.Pos)
		},
		func(s *Section) {
			d.add(Change{Group: DiffQuestions, Kind: Removed, Subject: sectionName(s), OldLine: s.Pos.Line,
				Text: fmt.Sprintf("%s removed (it held %s)", sectionName(s), plural(len(s.Questions), "question"))})
		})
}

func whenClause(e *Expr, what string) string {
	if e == nil {
		return ""
	}
	return fmt.Sprintf(", %s `%s`", what, exprShow(e))
}

func (d *differ) questions() {
	var oldIDs, newIDs []string
	for _, q := range d.o.Questions {
		oldIDs = append(oldIDs, q.ID)
	}
	for _, q := range d.n.Questions {
		newIDs = append(newIDs, q.ID)
		p := d.o.Question(q.ID)
		subject := "question " + q.ID
		if p == nil {
			kind := q.Type
			if q.Observation {
				kind += ", observation"
			}
			if q.Required {
				kind += ", required"
			}
			asked := whenClause(q.Relevant, "asked when")
			switch {
			case asked != "":
			case q.Section.Relevant != nil:
				asked = ", asked whenever its section is"
			default:
				asked = ", always asked"
			}
			d.add(Change{Group: DiffQuestions, Kind: Added, Subject: subject, NewLine: q.Pos.Line,
				Text: fmt.Sprintf("%s added (%s) in %s%s", subject, kind, sectionName(q.Section), asked)})
			continue
		}
		d.question(p, q)
	}
	for _, p := range d.o.Questions {
		if d.n.Question(p.ID) == nil {
			d.add(Change{Group: DiffQuestions, Kind: Removed, Subject: "question " + p.ID, OldLine: p.Pos.Line,
				Text: fmt.Sprintf("question %s removed (it was %s, in %s); answers to it in stored interviews are ignored when they are scored with the new flow", p.ID, p.Type, sectionName(p.Section))})
		}
	}
	// The order: questions that left their place among the questions both
	// flows have.
	co := commonOrder(oldIDs, newIDs)
	keep := lcs(co.old, co.new)
	for i, id := range co.new {
		if keep[id] {
			continue
		}
		after := "first"
		if i > 0 {
			after = "after " + co.new[i-1]
		}
		d.add(Change{Group: DiffQuestions, Kind: Moved, Subject: "question " + id, OldLine: d.o.Question(id).Pos.Line, NewLine: d.n.Question(id).Pos.Line,
			Text: fmt.Sprintf("question %s moved: now asked %s", id, after)})
	}
}

func (d *differ) question(p, q *Question) {
	s := "question " + q.ID
	ol, nl := p.Pos.Line, q.Pos.Line
	if sectionName(p.Section) != sectionName(q.Section) {
		d.add(Change{Group: DiffQuestions, Kind: Moved, Subject: s, Field: "section", Old: sectionName(p.Section), New: sectionName(q.Section), OldLine: ol, NewLine: nl,
			Text: fmt.Sprintf("%s moved from %s to %s", s, sectionName(p.Section), sectionName(q.Section))})
	}
	d.value(DiffQuestions, s, "type", string(p.Type), string(q.Type), ol, nl)
	d.flag(DiffQuestions, s, "required", p.Required, q.Required, "is now required: declined and dont_know are no longer accepted", "is no longer required: it also takes declined and dont_know", ol, nl)
	d.flag(DiffQuestions, s, "observation", p.Observation, q.Observation, "is now the interviewer's observation (not read aloud)", "is no longer an observation: it is read aloud", ol, nl)
	num := func(n *int) string {
		if n == nil {
			return ""
		}
		return fmt.Sprint(*n)
	}
	d.value(DiffQuestions, s, "min", num(p.Min), num(q.Min), ol, nl)
	d.value(DiffQuestions, s, "max", num(p.Max), num(q.Max), ol, nl)
	d.cond(DiffConditions, s, "relevant", "asked when", p.Relevant, q.Relevant, p.Pos, q.Pos)
	d.cond(DiffConditions, s, "ends_interview_if", "ends the interview when", p.EndsIf, q.EndsIf, p.Pos, q.Pos)
	for i := range max(len(p.Constraints), len(q.Constraints)) {
		var pc, qc *Constraint
		if i < len(p.Constraints) {
			pc = p.Constraints[i]
		}
		if i < len(q.Constraints) {
			qc = q.Constraints[i]
		}
		field := fmt.Sprintf("constraint %d", i+1)
		switch {
		case pc == nil:
			d.add(Change{Group: DiffConditions, Kind: Added, Subject: s, Field: field, New: exprShow(qc.Check), NewLine: qc.Pos.Line,
				Text: fmt.Sprintf("%s: %s added: `%s`", s, field, exprShow(qc.Check))})
		case qc == nil:
			d.add(Change{Group: DiffConditions, Kind: Removed, Subject: s, Field: field, Old: exprShow(pc.Check), OldLine: pc.Pos.Line,
				Text: fmt.Sprintf("%s: %s removed (was `%s`)", s, field, exprShow(pc.Check))})
		default:
			d.cond(DiffConditions, s, field, "accepts an answer when", pc.Check, qc.Check, pc.Pos, qc.Pos)
			d.text(s, field+" message", pc.Message, qc.Message, pc.Pos, qc.Pos)
		}
	}
	d.text(s, "label", p.Label, q.Label, p.Pos, q.Pos)
	d.text(s, "hint", p.Hint, q.Hint, p.Pos, q.Pos)
	// choices
	var ov, nv []string
	for _, c := range p.Choices {
		ov = append(ov, c.Value)
	}
	for _, c := range q.Choices {
		nv = append(nv, c.Value)
		pc := p.Choice(c.Value)
		if pc == nil {
			d.add(Change{Group: DiffChoices, Kind: Added, Subject: s, Field: "choice " + c.Value, New: c.Value, OldLine: ol, NewLine: c.Pos.Line,
				Text: fmt.Sprintf("%s: choice %s added (%s)", s, c.Value, clip(c.Label.In(d.n.DefaultLanguage, d.n.DefaultLanguage)))})
			continue
		}
		d.flag(DiffChoices, s, "choice "+c.Value+" exclusive", pc.Exclusive, c.Exclusive, "choice "+c.Value+" is now exclusive (it cannot be combined)", "choice "+c.Value+" is no longer exclusive", pc.Pos.Line, c.Pos.Line)
		d.text(s, "choice "+c.Value+" label", pc.Label, c.Label, pc.Pos, c.Pos)
	}
	for _, c := range p.Choices {
		if q.Choice(c.Value) == nil {
			d.add(Change{Group: DiffChoices, Kind: Removed, Subject: s, Field: "choice " + c.Value, Old: c.Value, OldLine: c.Pos.Line, NewLine: nl,
				Text: fmt.Sprintf("%s: choice %s removed; stored answers that chose it no longer fit", s, c.Value)})
		}
	}
	if co := commonOrder(ov, nv); !slices.Equal(co.old, co.new) {
		d.add(Change{Group: DiffChoices, Kind: Moved, Subject: s, Field: "choice order", Old: strings.Join(co.old, ", "), New: strings.Join(co.new, ", "), OldLine: ol, NewLine: nl,
			Text: fmt.Sprintf("%s: choices in a new order: %s", s, strings.Join(co.new, ", "))})
	}
}
