// Looking up a loaded flow's parts by id, and the checks of questions
// and texts the loader runs.

package questionnaire

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
)

// Citation returns a basis citation in lang (as the summary carries it,
// when the flow has no translation).
func (f *Flow) Citation(basis, lang string) string {
	if t, ok := f.citations[basis]; ok {
		return f.T(t, lang)
	}
	return basis
}

// Tier returns the caution tier with id, or nil.
func (f *Flow) Tier(id string) *Tier {
	for _, t := range f.CautionTiers {
		if t.ID == id {
			return t
		}
	}
	return nil
}

// Referral returns the referral with id, or nil.
func (f *Flow) Referral(id string) *Referral {
	for _, r := range f.Referrals {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// CautionByID returns the caution with id, or nil.
func (f *Flow) CautionByID(id string) *Caution {
	for _, c := range f.Cautions {
		if c.ID == id {
			return c
		}
	}
	return nil
}

// ExplanationText returns the explanation of a rule in a summary, in lang:
// the conditional text that held (Explanation.Text), else the case's,
// else the rule's own.
func (f *Flow) ExplanationText(e Explanation, lang string) string {
	var cases []*TextCase
	var own Text
	switch e.Kind {
	case "finding":
		fd := f.byFindingID(e.ID)
		cases, own = fd.Explanations, fd.Explanation
		if e.Case >= 0 && e.Case < len(fd.Cases) && !fd.Cases[e.Case].Explanation.Empty() {
			own = fd.Cases[e.Case].Explanation
		}
	case "referral":
		if r := f.Referral(e.ID); r != nil {
			cases, own = r.Explanations, r.Explanation
		}
	case "caution":
		if c := f.CautionByID(e.ID); c != nil {
			cases, own = c.Explanations, c.Explanation
		}
	}
	if e.Text > 0 && e.Text <= len(cases) {
		return f.T(cases[e.Text-1].Text, lang)
	}
	return f.T(own, lang)
}

func (f *Flow) byFindingID(id string) *Finding {
	for _, fd := range f.Findings {
		if fd.ID == id {
			return fd
		}
	}
	return &Finding{}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// text checks a text: present when required, and in every declared language.
func (l *loader) text(t Text, pos Pos, qid, what string, required bool) {
	if t.Empty() {
		if required {
			l.add(pos, qid, "%s is missing", what)
		}
		return
	}
	if l.f.DefaultLanguage == "" || l.langsOut {
		return // reported once; the languages cannot be checked without it
	}
	if s, ok := t[defaultLangKey]; ok {
		delete(t, defaultLangKey)
		if _, has := t[l.f.DefaultLanguage]; !has {
			t[l.f.DefaultLanguage] = s
		}
	}
	for _, lang := range l.f.Languages {
		if t[lang] == "" {
			l.add(pos, qid, "%s has no %q text (the flow declares languages: %s)", what, lang, strings.Join(l.f.Languages, ", "))
		}
	}
	for lang := range t {
		if !contains(l.f.Languages, lang) {
			l.add(pos, qid, "%s has text in %q, which is not among the flow's languages (%s)", what, lang, strings.Join(l.f.Languages, ", "))
		}
	}
}

func (l *loader) question(q *Question) {
	q.kind = kindRules[q.Type]
	rule := q.rule()
	if q.kind == nil {
		types := kindNames()
		hint := ""
		if near := nearest(string(q.Type), types); near != "" {
			hint = fmt.Sprintf(" (did you mean %q?)", near)
		}
		if q.Type == "" {
			l.add(q.Pos, q.ID, "question %q has no type; use one of %s", q.ID, strings.Join(types, ", "))
		} else {
			l.add(q.Pos, q.ID, "question %q: unknown type %q%s; use one of %s", q.ID, q.Type, hint, strings.Join(types, ", "))
		}
	}
	l.text(q.Label, q.Pos, q.ID, fmt.Sprintf("question %q's label", q.ID), true)
	l.text(q.Hint, q.Pos, q.ID, fmt.Sprintf("question %q's hint", q.ID), false)
	switch rule.choices {
	case choicesListed:
		if len(q.Choices) == 0 {
			l.add(q.Pos, q.ID, "question %q is a %s question but has no choices", q.ID, q.Type)
		}
	case choicesRelabel:
		for _, c := range q.Choices {
			if c.Value != "yes" && c.Value != "no" {
				l.add(c.Pos, q.ID, "question %q is yes_no; its choices may only relabel yes and no, not %q", q.ID, c.Value)
			}
		}
	default:
		if len(q.Choices) > 0 {
			l.add(q.Pos, q.ID, "question %q is of type %s, which takes no choices", q.ID, q.Type)
		}
	}
	if (q.Min != nil || q.Max != nil) && !rule.number {
		l.add(q.Pos, q.ID, "question %q: min and max apply only to integer questions", q.ID)
	}
	if q.Min != nil && q.Max != nil && *q.Min > *q.Max {
		l.add(q.Pos, q.ID, "question %q: min %d is greater than max %d", q.ID, *q.Min, *q.Max)
	}
	if rule.note && (q.Required || len(q.Constraints) > 0) {
		l.add(q.Pos, q.ID, "question %q is a note: it asks nothing, so it cannot be required or constrained", q.ID)
	}
	seen := map[string]bool{}
	for _, c := range q.Choices {
		switch {
		case c.Value == "":
			l.add(c.Pos, q.ID, "question %q has a choice without a value", q.ID)
		case c.Value == Declined || c.Value == DontKnow:
			l.add(c.Pos, q.ID, "question %q: %q is offered on every question that is not required; do not list it as a choice", q.ID, c.Value)
		case seen[c.Value]:
			l.add(c.Pos, q.ID, "question %q has the choice %q twice", q.ID, c.Value)
		}
		seen[c.Value] = true
		l.text(c.Label, c.Pos, q.ID, fmt.Sprintf("question %q's choice %q label", q.ID, c.Value), rule.choices != choicesRelabel)
	}
	for _, c := range q.Constraints {
		if c.Check == nil {
			l.add(c.Pos, q.ID, "question %q has a constraint without `check`", q.ID)
		}
		l.text(c.Message, c.Pos, q.ID, fmt.Sprintf("question %q's constraint message", q.ID), true)
	}
}

// values a question can be compared with in an expression.
func (q *Question) comparable() []string {
	rule := q.rule()
	if rule.comparable == nil {
		return nil // free text: any string
	}
	vals := rule.comparable(q)
	if !q.Required {
		vals = append(vals, Declined, DontKnow)
	}
	return vals
}

func typeOf[T any]() reflect.Type { return reflect.TypeOf((*T)(nil)).Elem() }

// sortProblems puts problems in file order, each once: an expression that
// names an unknown question twice is one problem to fix, not two.
func sortProblems(ps Problems) Problems {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].Line != ps[j].Line {
			return ps[i].Line < ps[j].Line
		}
		return ps[i].Col < ps[j].Col
	})
	seen := map[Problem]bool{}
	out := ps[:0]
	for _, p := range ps {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}
