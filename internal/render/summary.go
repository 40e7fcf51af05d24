package render

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"fieldscreen/questionnaire"
)

// Fields of the summary that the spec fixes; the summary page gives each
// its place. Any other finding a flow adds is shown under "Other findings".
const (
	fieldOutcome     = "outcome"
	fieldSituation   = "situation"
	fieldTrafficking = "trafficking.indicators"
	fieldChild       = "trafficking.child"
	fieldDisclosed   = "trafficking.disclosed"
	prefixTElements  = "trafficking.elements."
	fieldRefugee     = "refugee_protection.level"
	fieldGrounds     = "refugee_protection.grounds"
	prefixRElements  = "refugee_protection.elements."
	prefixSolutions  = "solutions."
	fieldNexus       = prefixRElements + "nexus"

	outcomeNotScreened = "not_screened"

	// Caution tiers the human summary gives a place of their own (spec
	// 2.0): act_now leads the page, consent goes in the consent block.
	// Other tiers are shown in the flow's order under their own labels.
	tierActNow  = "act_now"
	tierConsent = "consent"

	// authoritiesQuestion records whether the person agrees that the
	// police, prosecutors or immigration may be told; the consent block
	// reports it when the flow has it.
	authoritiesQuestion = "authorities_informed"
)

// elementQuestions names the questions each element of the spec's
// summary reads, so that an element with no value can say "not asked"
// rather than "not known" when none of them was asked.
var elementQuestions = map[string][]string{
	"act":                 {"trafficking_act"},
	"means":               {"trafficking_means"},
	"purpose":             {"exploitation"},
	"outside":             {"present_in"},
	"well_founded_fear":   {"fears_return", "fears_being_trafficked"},
	"serious_harm":        {"feared_harm"},
	"nexus":               {"targeted_because"},
	"no_state_protection": {"state_protection", "feared_by"},
	"past_persecution":    {"past_serious_harm"},
	"fled_conflict":       {"fled_conflict_or_violence"},
}

// labelled is a finding as words: its name, its value's label and why.
type labelled struct {
	Name        string
	Value       string // the raw value, for decisions such as "is it urgent"
	Label       string
	Explanation string
}

type element struct{ Name, Word string }

// reason is one thing that triggered a referral or caution, in words: a
// question's label and the answer, with the question's ID to show in
// brackets; a finding by its name and value; a derived value by its label.
type reason struct{ Text, ID string }

// item is a referral or a caution in words.
type item struct {
	Label, Explanation string
	Reasons            []reason
	Basis              []string
	Priority           string
	Services           []string // from a referral directory: one line each
}

// serviceGroup is the referrals to one service, most pressing first. In a
// flow without services, each referral is a group of its own.
type serviceGroup struct {
	Label             string // the service, or the referral when there is none
	Named             bool   // Label names a service, not a referral
	Priority, Heading string // the highest priority among Items
	Items             []item
	key               string // the service, or "referral:" and the referral's ID
}

// cautionGroup is the cautions of one tier (or all of them, untiered).
type cautionGroup struct {
	Tier, Heading string
	Items         []item
}

// consentLine is one row of the consent block: a kind of consent and
// the services (or referrals) it applies to.
type consentLine struct{ Name, Value string }

type gap struct{ ID, Label string }

// summaryDoc is one interview's summary in words, built once and laid out
// for the terminal or as Markdown, so both say the same.
type summaryDoc struct {
	Title, Disclaimer string
	Outcome           *labelled
	Urgent            bool
	NotScreened       bool
	Help              []string // where to find help, for a summary of nobody screened
	Interview, Flow   string
	Status            string
	ActNow            string // the heading of the act-now block
	ActNowReferrals   []serviceGroup
	ActNowCautions    []item
	Referrals         []serviceGroup // those not urgent
	NoReferrals       bool
	Communication     []item // referrals that need no consent: an interpreter
	Cautions          []cautionGroup
	Tiered            bool
	HasConsent        bool // the flow asks for consent to referral or to telling the authorities
	Consent           []consentLine
	ConsentCautions   []item
	Solutions         []labelled
	Situation         *labelled
	Trafficking       *labelled
	TElements         []element
	Child             *labelled
	Disclosed         *labelled
	Refugee           *labelled
	RElements         []element
	Grounds           *labelled
	Other             []labelled
	Gaps              []gap
	Basis             []string
}

type builder struct {
	f       *questionnaire.Flow
	s       *questionnaire.Summary
	ans     questionnaire.Answers
	lang    string
	byField map[string]*questionnaire.Finding
	used    map[string]bool
	expl    map[string]questionnaire.Explanation // by kind/id
	// asked: the questions the flow asks under ans (nil without answers).
	// A question asked and left unanswered is "not known", never "not asked".
	asked map[string]bool
}

func buildSummary(f *questionnaire.Flow, s *questionnaire.Summary, ans questionnaire.Answers, lang string) *summaryDoc {
	lang = f.Lang(lang)
	b := &builder{f: f, s: s, ans: ans, lang: lang, byField: map[string]*questionnaire.Finding{},
		used: map[string]bool{}, expl: map[string]questionnaire.Explanation{}}
	for _, fd := range f.Findings {
		b.byField[fd.Field] = fd
	}
	for _, e := range s.Explanations {
		b.expl[e.Kind+"/"+e.ID] = e
	}
	if ans != nil {
		if qs, err := f.Visible(ans); err == nil {
			b.asked = map[string]bool{}
			for _, q := range qs {
				b.asked[q.ID] = true
			}
		}
	}
	d := &summaryDoc{
		Title:      ui(f, lang, "summary_title") + b.sep() + f.T(f.Title, lang),
		Disclaimer: f.T(f.Disclaimer, lang),
		Interview:  firstOf(s.InterviewID, s.Source),
		Status:     b.word("status."+s.Status, s.Status),
	}
	ref := s.Flow
	if ref.ID == "" {
		ref = f.Ref()
	}
	d.Flow = strings.TrimSpace(ref.ID + " " + ref.Version)
	if ref.Hash != "" {
		d.Flow += " (" + ref.Hash + ")"
	}
	d.Outcome = b.finding(fieldOutcome, ui(f, lang, "outcome"))
	d.NotScreened = s.GetString(fieldOutcome) == outcomeNotScreened
	if d.NotScreened {
		// Nothing was asked: the page says where to find help, nothing else.
		d.Help = []string{ui(f, lang, "not_screened_help"), ui(f, lang, "not_screened_child")}
		return d
	}
	for _, r := range s.Referrals {
		d.Urgent = d.Urgent || r.Priority == "urgent"
	}
	for _, bs := range s.Basis {
		d.Basis = append(d.Basis, f.Citation(bs, lang))
	}

	b.referrals(d)
	b.cautions(d)
	b.consent(d)

	for _, fd := range f.Findings {
		if strings.HasPrefix(fd.Field, prefixSolutions) {
			if l := b.finding(fd.Field, humanize(strings.TrimPrefix(fd.Field, prefixSolutions))); l != nil {
				d.Solutions = append(d.Solutions, *l)
			}
		}
	}
	d.Situation = b.finding(fieldSituation, ui(f, lang, "situation"))
	d.Trafficking = b.finding(fieldTrafficking, ui(f, lang, "trafficking"))
	d.TElements = b.elements(prefixTElements)
	d.Child = b.finding(fieldChild, ui(f, lang, "child"))
	d.Disclosed = b.finding(fieldDisclosed, humanize("disclosed"))
	d.Refugee = b.finding(fieldRefugee, ui(f, lang, "refugee"))
	d.RElements = b.elements(prefixRElements)
	d.Grounds = b.finding(fieldGrounds, ui(f, lang, "grounds"))
	if d.Grounds != nil {
		d.Grounds.Label = b.grounds()
		// The grounds say all the nexus element says (named, none
		// identified, not known): one line, not two.
		nexus := b.elementName(fieldNexus)
		d.RElements = slices.DeleteFunc(d.RElements, func(e element) bool { return e.Name == nexus })
	}
	for _, fd := range f.Findings {
		if !b.used[fd.Field] {
			if l := b.finding(fd.Field, humanize(fd.Field)); l != nil {
				d.Other = append(d.Other, *l)
			}
		}
	}
	for _, id := range s.InformationGaps {
		g := gap{ID: id, Label: id}
		if q := f.Question(id); q != nil {
			g.Label = f.T(q.Label, lang)
		}
		d.Gaps = append(d.Gaps, g)
	}
	return d
}

// word is a page word with a readable fallback when no table has it.
func (b *builder) word(id, fallback string) string {
	if s := ui(b.f, b.lang, id); s != id {
		return s
	}
	return fallback
}

func (b *builder) sep() string     { return ui(b.f, b.lang, "sep") }
func (b *builder) listSep() string { return ui(b.f, b.lang, "list_sep") }

// pair joins a name and its value: "Fear of return stated: yes". A name
// that is a question ("Are you afraid…?") is followed by its answer
// without a colon.
func (b *builder) pair(name, value string) string {
	if r, _ := utf8.DecodeLastRuneInString(strings.TrimSpace(name)); r == '?' || r == '？' || r == ':' || r == '¿' {
		return strings.TrimSpace(name) + " " + value
	}
	return name + b.sep() + value
}

// finding gives the words for the finding at field, or nil when the flow
// has no such finding and the summary no such value.
func (b *builder) finding(field, name string) *labelled {
	fd := b.byField[field]
	v := b.s.Get(field)
	if fd == nil && v == nil {
		return nil
	}
	b.used[field] = true
	l := &labelled{Name: name, Value: fmt.Sprint(v)}
	if fd == nil {
		l.Label = b.valueWords(v)
		return l
	}
	if !fd.Label.Empty() {
		l.Name = b.f.T(fd.Label, b.lang)
	}
	if e, ok := b.expl["finding/"+fd.ID]; ok {
		l.Explanation = b.f.ExplanationText(e, b.lang)
	} else {
		l.Explanation = b.f.T(fd.Explanation, b.lang)
	}
	for _, c := range fd.Cases {
		if fmt.Sprint(c.Value) == fmt.Sprint(v) && v != nil {
			l.Label = b.f.T(c.Label, b.lang)
			if _, ok := b.expl["finding/"+fd.ID]; !ok {
				if e := b.f.T(c.Explanation, b.lang); e != "" {
					l.Explanation = e
				}
			}
			break
		}
	}
	if l.Label == "" {
		l.Label = b.valueWords(v)
		if list, ok := v.([]string); ok && len(list) == 0 {
			l.Label = b.emptyListWord(fd)
		}
	}
	return l
}

// valueWords shows a finding's value when no case names it: booleans as
// yes/no, a list by the labels of the choices it is made of.
func (b *builder) valueWords(v any) string {
	switch x := v.(type) {
	case nil, bool:
		return tri(b.f, b.lang, x)
	case string:
		return humanize(x)
	}
	list := toStrings(v)
	if list == nil {
		return fmt.Sprint(v)
	}
	if len(list) == 0 {
		return ui(b.f, b.lang, "none_listed")
	}
	q := b.questionWithChoices(list)
	parts := make([]string, len(list))
	for i, s := range list {
		if q != nil {
			parts[i] = valueLabel(b.f, b.lang, q, s)
		} else {
			parts[i] = humanize(s)
		}
	}
	return strings.Join(parts, ", ")
}

// questionWithChoices finds the question whose choices a list of values
// came from (such as needs for local_integration_support).
func (b *builder) questionWithChoices(vals []string) *questionnaire.Question {
	for _, q := range b.f.Questions {
		if len(q.Choices) == 0 {
			continue
		}
		all := true
		for _, v := range vals {
			if q.Choice(v) == nil {
				all = false
				break
			}
		}
		if all {
			return q
		}
	}
	return nil
}

// notAsked reports whether answers are known and none of the flow's
// questions in ids was asked.
func (b *builder) notAsked(ids []string) bool {
	if b.asked == nil || len(ids) == 0 {
		return false
	}
	for _, id := range ids {
		if b.f.Question(id) == nil || b.asked[id] {
			return false
		}
	}
	return true
}

// emptyListWord says why a finding's list is empty: "not known" when a
// question it rests on was asked and declined, not known or left
// unanswered; "not asked" when none was asked; else "none".
func (b *builder) emptyListWord(fd *questionnaire.Finding) string {
	if fd != nil && fd.Expr != nil && b.asked != nil {
		var qs []string
		for _, r := range fd.Expr.Refs() {
			if b.f.Question(r) != nil {
				qs = append(qs, r)
			}
		}
		for _, id := range qs {
			if b.asked[id] && questionnaire.IsGap(b.ans[id]) {
				return ui(b.f, b.lang, "not_known")
			}
		}
		if b.notAsked(qs) {
			return ui(b.f, b.lang, "not_asked")
		}
	}
	return ui(b.f, b.lang, "none_listed")
}

// elementName is the human label of a summary element: the flow's label
// for its finding, else fieldscreen's word, which reports what the person
// said rather than a legal conclusion.
func (b *builder) elementName(field string) string {
	k := field[strings.LastIndexByte(field, '.')+1:]
	if fd := b.byField[field]; fd != nil && !fd.Label.Empty() {
		return b.f.T(fd.Label, b.lang)
	}
	return b.word("element."+k, humanize(k))
}

// elementWord says an element's value: yes, no, not known, or not asked.
func (b *builder) elementWord(field string, v any) string {
	k := field[strings.LastIndexByte(field, '.')+1:]
	if v == nil && b.notAsked(elementQuestions[k]) {
		return ui(b.f, b.lang, "not_asked")
	}
	return tri(b.f, b.lang, v)
}

func (b *builder) elements(prefix string) []element {
	o, ok := b.s.Get(strings.TrimSuffix(prefix, ".")).(*questionnaire.Object)
	if !ok || o == nil {
		return nil
	}
	var out []element
	for _, k := range o.Keys() {
		field := prefix + k
		b.used[field] = true
		out = append(out, element{b.elementName(field), b.elementWord(field, o.Value(k))})
	}
	return out
}

// grounds says the Convention grounds named, or why there are none:
// "no ground identified at screening" only when the person was asked and
// none was identified; declined, unknown or unasked grounds are "not
// known" or "not asked", never "none".
func (b *builder) grounds() string {
	var gs []string
	for _, g := range toStrings(b.s.Get(fieldGrounds)) {
		gs = append(gs, b.word("ground."+g, humanize(g)))
	}
	switch {
	case len(gs) > 0:
		return strings.Join(gs, ", ")
	case b.s.Get(fieldNexus) == false:
		return ui(b.f, b.lang, "grounds_none_identified")
	case b.notAsked(elementQuestions["nexus"]):
		return ui(b.f, b.lang, "not_asked")
	}
	return ui(b.f, b.lang, "not_known")
}

// reason names what triggered a referral or caution in words.
func (b *builder) reason(r string) reason {
	if r != "" && r == b.f.ReferralConsentQuestion {
		// What matters is which referrals lack consent, not the services
		// the person chose: said as consent_for is.
		r = "consent_for"
	}
	if q := b.f.Question(r); q != nil {
		label := b.f.T(q.Label, b.lang)
		if b.ans == nil {
			return reason{Text: label, ID: r}
		}
		v, ok := b.ans[r]
		answer := ui(b.f, b.lang, "not_asked")
		if b.asked[r] && questionnaire.IsGap(v) && !ok {
			answer = ui(b.f, b.lang, "not_known") // asked, left unanswered
		}
		if ok {
			answer = Clean(answerText(b.f, b.lang, q, v))
			if list := toStrings(v); len(list) > 1 {
				parts := make([]string, len(list))
				for i, x := range list {
					parts[i] = valueLabel(b.f, b.lang, q, x)
				}
				answer = Clean(strings.Join(parts, ", "))
			}
		}
		return reason{Text: b.pair(label, answer), ID: r}
	}
	if fd := b.byField[r]; fd != nil {
		saved := b.used[r]
		name := b.elementName(r)
		if !strings.HasPrefix(r, prefixTElements) && !strings.HasPrefix(r, prefixRElements) && fd.Label.Empty() {
			name = humanize(r[strings.LastIndexByte(r, '.')+1:])
		}
		l := b.finding(r, name)
		b.used[r] = saved
		value := l.Label
		if strings.HasPrefix(r, prefixTElements) || strings.HasPrefix(r, prefixRElements) {
			value = b.elementWord(r, b.s.Get(r))
		}
		return reason{Text: b.pair(l.Name, value)}
	}
	for _, dv := range b.f.Derived {
		if dv.ID == r {
			if dv.Label.Empty() {
				return reason{ID: r}
			}
			return reason{Text: b.f.T(dv.Label, b.lang)}
		}
	}
	if base, id, ok := strings.Cut(r, "."); ok {
		switch base {
		case "referral":
			if def := b.f.Referral(id); def != nil && !def.Label.Empty() {
				return reason{Text: b.f.T(def.Label, b.lang)}
			}
		case "caution":
			if def := b.f.CautionByID(id); def != nil && !def.Label.Empty() {
				return reason{Text: b.f.T(def.Label, b.lang)}
			}
		case "consent_for":
			if def := b.f.Referral(id); def != nil && !def.Label.Empty() {
				consent := ui(b.f, b.lang, "consent_value.unknown")
				for _, rr := range b.s.Referrals {
					if rr.ID == id && rr.Consent != "" {
						consent = b.word("consent_value."+rr.Consent, humanize(rr.Consent))
					}
				}
				return reason{Text: b.pair(ui(b.f, b.lang, "reason.consent_for")+" ("+b.f.T(def.Label, b.lang)+")", consent)}
			}
		}
		return reason{ID: r}
	}
	switch r {
	case "consent_for":
		// The referrals whose consent is not given: what the caseworker
		// must discuss with the person.
		var parts []string
		for _, rr := range b.s.Referrals {
			switch rr.Consent {
			case "", questionnaire.ConsentGiven, questionnaire.ConsentNotRequired:
				continue
			}
			parts = append(parts, b.referralItem(rr).Label+" ("+b.word("consent_value."+rr.Consent, humanize(rr.Consent))+")")
		}
		if len(parts) > 0 {
			return reason{Text: b.pair(ui(b.f, b.lang, "reason.consent_for"), strings.Join(parts, ", "))}
		}
		return reason{Text: ui(b.f, b.lang, "reason.consent_for")}
	case "referral", "caution":
		return reason{Text: ui(b.f, b.lang, "reason."+r)}
	}
	return reason{ID: r}
}

func (b *builder) reasons(rs []string) []reason {
	out := make([]reason, len(rs))
	for i, r := range rs {
		out[i] = b.reason(r)
	}
	return out
}
