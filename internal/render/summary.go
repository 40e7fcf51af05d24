package render

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"charm.land/lipgloss/v2"

	"fieldscreen/questionnaire"
)

// Fields of the summary that the spec fixes; the summary page gives each
// its place. Any other finding a flow adds is shown under "Other findings".
const (
	fieldOutcome     = "outcome"
	fieldSituation   = "situation"
	fieldTrafficking = "trafficking.indicators"
	fieldChild       = "trafficking.child"
	prefixTElements  = "trafficking.elements."
	fieldRefugee     = "refugee_protection.level"
	fieldGrounds     = "refugee_protection.grounds"
	prefixRElements  = "refugee_protection.elements."
	prefixSolutions  = "solutions."
)

// labelled is a finding as words: its name, its value's label and why.
type labelled struct {
	Name        string
	Value       string // the raw value, for decisions such as "is it urgent"
	Label       string
	Explanation string
}

type element struct{ Name, Word string }

type item struct {
	Label, Explanation string
	Reasons, Basis     []string
	Urgent             bool
	Services           []string // from a referral directory: one line each
}

type group struct {
	Priority, Heading string
	Items             []item
}

type gap struct{ ID, Label string }

// summaryDoc is one interview's summary in words, built once and laid out
// for the terminal or as Markdown, so both say the same.
type summaryDoc struct {
	Title, Disclaimer string
	Outcome           *labelled
	Urgent            bool
	Interview, Flow   string
	Status            string
	Situation         *labelled
	Trafficking       *labelled
	TElements         []element
	Child             *labelled
	Refugee           *labelled
	RElements         []element
	Grounds           *labelled
	Referrals         []group
	Cautions          []item
	Solutions         []labelled
	Other             []labelled
	Gaps              []gap
	Basis             []string
}

type builder struct {
	f       *questionnaire.Flow
	s       *questionnaire.Summary
	lang    string
	byField map[string]*questionnaire.Finding
	used    map[string]bool
}

func buildSummary(f *questionnaire.Flow, s *questionnaire.Summary, lang string) *summaryDoc {
	lang = f.Lang(lang)
	b := &builder{f: f, s: s, lang: lang, byField: map[string]*questionnaire.Finding{}, used: map[string]bool{}}
	for _, fd := range f.Findings {
		b.byField[fd.Field] = fd
	}
	d := &summaryDoc{
		Title:      ui(f, lang, "summary_title") + ": " + f.T(f.Title, lang),
		Disclaimer: f.T(f.Disclaimer, lang),
		Interview:  firstOf(s.InterviewID, s.Source),
		Status:     b.word("status."+s.Status, s.Status),
		Basis:      s.Basis,
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
	for _, r := range s.Referrals {
		d.Urgent = d.Urgent || r.Priority == "urgent"
	}
	d.Situation = b.finding(fieldSituation, ui(f, lang, "situation"))
	d.Trafficking = b.finding(fieldTrafficking, ui(f, lang, "trafficking"))
	d.TElements = b.elements(prefixTElements)
	d.Child = b.finding(fieldChild, ui(f, lang, "child"))
	d.Refugee = b.finding(fieldRefugee, ui(f, lang, "refugee"))
	d.RElements = b.elements(prefixRElements)
	d.Grounds = b.finding(fieldGrounds, ui(f, lang, "grounds"))
	if d.Grounds != nil {
		var gs []string
		for _, g := range toStrings(s.Get(fieldGrounds)) {
			gs = append(gs, b.word("ground."+g, humanize(g)))
		}
		d.Grounds.Label = strings.Join(gs, ", ")
		if len(gs) == 0 {
			d.Grounds.Label = ui(f, lang, "none_listed")
		}
	}
	d.Referrals = b.referrals()
	d.Cautions = b.cautions()
	for _, fd := range f.Findings {
		if strings.HasPrefix(fd.Field, prefixSolutions) {
			if l := b.finding(fd.Field, humanize(strings.TrimPrefix(fd.Field, prefixSolutions))); l != nil {
				d.Solutions = append(d.Solutions, *l)
			}
		}
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
	l.Explanation = b.f.T(fd.Explanation, b.lang)
	for _, c := range fd.Cases {
		if fmt.Sprint(c.Value) == fmt.Sprint(v) && v != nil {
			l.Label = b.f.T(c.Label, b.lang)
			if e := b.f.T(c.Explanation, b.lang); e != "" {
				l.Explanation = e
			}
			break
		}
	}
	if l.Label == "" {
		l.Label = b.valueWords(v)
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

func (b *builder) elements(prefix string) []element {
	o, ok := b.s.Get(strings.TrimSuffix(prefix, ".")).(*questionnaire.Object)
	if !ok || o == nil {
		return nil
	}
	var out []element
	for _, k := range o.Keys() {
		field := prefix + k
		b.used[field] = true
		name := b.word("element."+k, humanize(k))
		if fd := b.byField[field]; fd != nil && !fd.Label.Empty() {
			name = b.f.T(fd.Label, b.lang)
		}
		out = append(out, element{name, tri(b.f, b.lang, o.Value(k))})
	}
	return out
}

// reason names what triggered a referral or caution: a question by its ID,
// a finding by its name and value ("Trafficking indicators: Strong").
func (b *builder) reason(r string) string {
	if b.f.Question(r) != nil {
		return r
	}
	if fd := b.byField[r]; fd != nil {
		saved := b.used[r]
		l := b.finding(r, r)
		b.used[r] = saved
		return l.Name + ": " + l.Label
	}
	return r
}

func (b *builder) reasons(rs []string) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = b.reason(r)
	}
	return out
}

func (b *builder) referrals() []group {
	var out []group
	for _, p := range questionnaire.Priorities {
		g := group{Priority: p, Heading: b.word("priority."+p, strings.ToUpper(p))}
		for _, r := range b.s.Referrals {
			if r.Priority != p {
				continue
			}
			it := item{Label: r.ID, Reasons: b.reasons(r.Reasons), Urgent: p == "urgent"}
			if i := slices.IndexFunc(b.f.Referrals, func(x *questionnaire.Referral) bool { return x.ID == r.ID }); i >= 0 {
				def := b.f.Referrals[i]
				if !def.Label.Empty() {
					it.Label = b.f.T(def.Label, b.lang)
				}
				it.Explanation = b.f.T(def.Explanation, b.lang)
				it.Basis = def.Basis
			}
			for _, sv := range r.Services {
				it.Services = append(it.Services, serviceLine(sv))
			}
			g.Items = append(g.Items, it)
		}
		if len(g.Items) > 0 {
			out = append(out, g)
		}
	}
	// A priority the flow's scorer knows but this list does not: still shown.
	for _, r := range b.s.Referrals {
		if !slices.Contains(questionnaire.Priorities, r.Priority) {
			out = append(out, group{Priority: r.Priority, Heading: humanize(r.Priority),
				Items: []item{{Label: r.ID, Reasons: b.reasons(r.Reasons)}}})
		}
	}
	return out
}

func (b *builder) cautions() []item {
	var out []item
	for _, c := range b.s.Cautions {
		it := item{Label: c.ID, Reasons: b.reasons(c.Reasons)}
		if i := slices.IndexFunc(b.f.Cautions, func(x *questionnaire.Caution) bool { return x.ID == c.ID }); i >= 0 {
			def := b.f.Cautions[i]
			if !def.Label.Empty() {
				it.Label = b.f.T(def.Label, b.lang)
			}
			it.Explanation = b.f.T(def.Explanation, b.lang)
			it.Basis = def.Basis
		}
		out = append(out, it)
	}
	return out
}

func toStrings(v any) []string {
	switch x := v.(type) {
	case []string:
		return x
	case []any:
		out := make([]string, len(x))
		for i, e := range x {
			out[i] = fmt.Sprint(e)
		}
		return out
	}
	return nil
}

// Summary writes the summary of one interview for the terminal, in lang,
// wrapped to opt.Width. The flow's disclaimer, that this is a screening aid
// for referral and not a determination, always opens it.
func Summary(w io.Writer, f *questionnaire.Flow, s *questionnaire.Summary, lang string, opt Options) error {
	if f == nil || s == nil {
		return fmt.Errorf("render: summary needs a flow and a summary")
	}
	d := buildSummary(f, s, lang)
	lang = f.Lang(lang)
	p := newPage(w, opt)
	t := func(id string) string { return ui(f, lang, id) }

	p.title(d.Title, heading, "=")
	p.blank()
	if d.Disclaimer != "" {
		p.para("! ", "  ", sp(d.Disclaimer, strong))
		p.blank()
	}
	if d.Outcome != nil {
		k := strong
		if d.Urgent {
			k = urgent
		}
		p.para("", "", sp(strings.ToUpper(d.Outcome.Label), k))
		if d.Outcome.Explanation != "" {
			p.para("", "", sp(d.Outcome.Explanation, plain))
		}
		p.blank()
	}
	pad := 0
	for _, id := range []string{"interview", "flow", "status"} {
		pad = max(pad, lipgloss.Width(t(id))+2)
	}
	kv := func(name, value string) {
		name += ":"
		p.para(name+strings.Repeat(" ", pad-lipgloss.Width(name)), strings.Repeat(" ", pad), sp(value, plain))
	}
	kv(t("interview"), d.Interview)
	kv(t("flow"), d.Flow)
	if d.Status != "" {
		kv(t("status"), d.Status)
	}
	p.blank()

	finding := func(l *labelled) {
		p.title(l.Name+": "+l.Label, heading, "-")
		if l.Explanation != "" {
			p.para("", "", sp(l.Explanation, plain))
		}
	}
	elements := func(es []element) {
		for _, e := range es {
			p.para("  "+e.Name+": ", "    ", sp(e.Word, strong))
		}
	}
	if d.Situation != nil {
		finding(d.Situation)
		p.blank()
	}
	if d.Trafficking != nil {
		finding(d.Trafficking)
		elements(d.TElements)
		if d.Child != nil {
			p.para("  "+d.Child.Name+": ", "    ", sp(d.Child.Label, strong))
			if d.Child.Value == "true" && d.Child.Explanation != "" {
				p.para("    ", "    ", sp(d.Child.Explanation, plain))
			}
		}
		p.blank()
	}
	if d.Refugee != nil {
		finding(d.Refugee)
		elements(d.RElements)
		if d.Grounds != nil {
			p.para("  "+d.Grounds.Name+": ", "    ", sp(d.Grounds.Label, strong))
			if d.Grounds.Explanation != "" {
				p.para("    ", "    ", sp(d.Grounds.Explanation, plain))
			}
		}
		p.blank()
	}

	p.title(t("referrals"), heading, "-")
	if len(d.Referrals) == 0 {
		p.para("", "", sp(t("no_referrals"), plain))
	}
	for _, g := range d.Referrals {
		k := strong
		head := g.Heading
		switch g.Priority {
		case "urgent":
			k = urgent
			head += " (" + t("urgent_note") + ")"
		case "high":
			k = high
		}
		p.para("", "", sp(head, k))
		for _, it := range g.Items {
			first := "* "
			label := sp(it.Label, strong)
			if it.Urgent {
				label = sp(g.Heading+": "+it.Label, urgent)
			}
			p.para(first, "  ", label)
			p.item(t, it)
		}
	}
	p.blank()

	p.title(t("cautions"), heading, "-")
	if len(d.Cautions) == 0 {
		p.para("", "", sp(t("no_cautions"), plain))
	}
	for _, it := range d.Cautions {
		p.para("* ", "  ", sp(it.Label, strong))
		p.item(t, it)
	}
	p.blank()

	if len(d.Solutions) > 0 {
		p.title(t("solutions"), heading, "-")
		for _, l := range d.Solutions {
			p.para("* ", "  ", sp(l.Name+":", plain), sp(l.Label, strong))
			if l.Explanation != "" {
				p.para("  ", "  ", sp(l.Explanation, plain))
			}
		}
		p.blank()
	}
	if len(d.Other) > 0 {
		p.title(t("other_findings"), heading, "-")
		for _, l := range d.Other {
			p.para("* ", "  ", sp(l.Name+":", plain), sp(l.Label, strong))
			if l.Explanation != "" {
				p.para("  ", "  ", sp(l.Explanation, plain))
			}
		}
		p.blank()
	}

	p.title(t("info_gaps"), heading, "-")
	if len(d.Gaps) == 0 {
		p.para("", "", sp(t("no_info_gaps"), plain))
	} else {
		p.para("", "", sp(t("info_gaps_note"), plain))
		for _, g := range d.Gaps {
			p.para("* ", "  ", sp(g.Label, plain), sp("["+g.ID+"]", muted))
		}
	}
	p.blank()

	p.title(t("basis"), heading, "-")
	for _, bs := range d.Basis {
		p.para("* ", "  ", sp(bs, plain))
	}
	return p.err
}

// item writes the explanation, reasons and basis under a referral or caution.
func (p *page) item(t func(string) string, it item) {
	if it.Explanation != "" {
		p.para("  ", "  ", sp(it.Explanation, plain))
	}
	if len(it.Reasons) > 0 {
		p.para("  "+t("why")+": ", "    ", sp(strings.Join(it.Reasons, "; "), muted))
	}
	if len(it.Basis) > 0 {
		p.para("  "+t("basis")+": ", "    ", sp(strings.Join(it.Basis, "; "), muted))
	}
	for _, sv := range it.Services {
		p.para("  → ", "    ", sp(sv, plain))
	}
}

// serviceLine is a directory service in one line: name, contact, hours,
// languages, notes.
func serviceLine(sv *questionnaire.Service) string {
	parts := []string{sv.Name}
	if sv.Contact != "" {
		parts = append(parts, sv.Contact)
	}
	if sv.Hours != "" {
		parts = append(parts, sv.Hours)
	}
	if len(sv.Languages) > 0 {
		parts = append(parts, strings.Join(sv.Languages, "/"))
	}
	if sv.Notes != "" {
		parts = append(parts, sv.Notes)
	}
	return strings.Join(parts, " · ")
}

// firstOf returns the first non-empty string: an answers file stands in for
// the interview ID when it has none.
func firstOf(xs ...string) string {
	for _, x := range xs {
		if x != "" {
			return x
		}
	}
	return ""
}
