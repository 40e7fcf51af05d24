package render

import (
	"fmt"
	"io"
	"strings"

	"charm.land/lipgloss/v2"

	"fieldscreen/questionnaire"
)

// Summary writes the summary of one interview for the terminal, in lang,
// wrapped to opt.Width, with opt.Answers for the "why" lines. The flow's
// disclaimer, that this is a screening aid for referral and not a
// determination, always opens it. Then, as a caseworker reads it: the
// headline, what to do now, the other referrals by service, the
// safeguards, how to interview, consent, solutions, what the answers
// show, and what is not known.
func Summary(w io.Writer, f *questionnaire.Flow, s *questionnaire.Summary, lang string, opt Options) error {
	if f == nil || s == nil {
		return fmt.Errorf("render: summary needs a flow and a summary")
	}
	d := buildSummary(f, s, opt.Answers, lang)
	lang = f.Lang(lang)
	p := newPage(w, opt)
	t := func(id string) string { return ui(f, lang, id) }
	sep := t("sep")

	p.title(d.Title, heading, "=")
	p.blank()
	if d.Disclaimer != "" {
		p.para("! ", "  ", sp(d.Disclaimer, strong))
		p.blank()
	}
	pad := 0
	for _, id := range []string{"interview", "flow", "status"} {
		pad = max(pad, lipgloss.Width(t(id)+sep))
	}
	kv := func(name, value string) {
		name = strings.TrimRight(name+sep, " ")
		p.para(name+strings.Repeat(" ", pad-lipgloss.Width(name)), strings.Repeat(" ", pad), sp(value, plain))
	}
	kv(t("interview"), d.Interview)
	kv(t("flow"), d.Flow)
	if d.Status != "" {
		kv(t("status"), d.Status)
	}
	p.blank()
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
	if d.NotScreened {
		p.title(t("help_title"), heading, "-")
		for i, h := range d.Help {
			if i > 0 {
				p.blank()
			}
			p.para("", "", sp(h, plain))
		}
		return p.err
	}

	if len(d.ActNowReferrals)+len(d.ActNowCautions) > 0 {
		p.title(d.ActNow, urgent, "-")
		for _, g := range d.ActNowReferrals {
			p.group(t, g, urgent)
		}
		for _, it := range d.ActNowCautions {
			p.para("* ", "  ", sp(it.Label, urgent))
			p.item(t, it, "  ")
		}
		p.blank()
	}
	if len(d.Referrals) > 0 || d.NoReferrals {
		p.title(t("referrals"), heading, "-")
		if d.NoReferrals {
			p.para("", "", sp(t("no_referrals"), plain))
		}
		for _, g := range d.Referrals {
			k := strong
			if g.Priority == "high" {
				k = high
			}
			p.group(t, g, k)
		}
		p.blank()
	}
	if len(d.Communication) > 0 {
		p.title(t("communication"), heading, "-")
		for _, it := range d.Communication {
			p.para("* ", "  ", sp(it.Label, strong))
			p.item(t, it, "  ")
		}
		p.blank()
	}
	for _, g := range d.Cautions {
		p.title(g.Heading, heading, "-")
		if len(g.Items) == 0 {
			p.para("", "", sp(t("no_cautions"), plain))
		}
		for _, it := range g.Items {
			p.para("* ", "  ", sp(it.Label, strong))
			p.item(t, it, "  ")
		}
		p.blank()
	}
	if len(d.Consent)+len(d.ConsentCautions) > 0 {
		p.title(t("consent_block"), heading, "-")
		for _, l := range d.Consent {
			p.para("", "    ", sp(strings.TrimRight(l.Name+sep, " "), plain), sp(l.Value, strong))
		}
		for _, it := range d.ConsentCautions {
			p.para("* ", "  ", sp(it.Label, strong))
			p.item(t, it, "  ")
		}
		p.blank()
	}

	labelledList := func(head string, ls []labelled) {
		if len(ls) == 0 {
			return
		}
		p.title(head, heading, "-")
		for _, l := range ls {
			p.para("* ", "  ", sp(strings.TrimRight(l.Name+sep, " "), plain), sp(l.Label, strong))
			if l.Explanation != "" {
				p.para("  ", "  ", sp(l.Explanation, plain))
			}
		}
		p.blank()
	}
	labelledList(t("solutions"), d.Solutions)

	if d.Situation != nil || d.Trafficking != nil || d.Refugee != nil {
		p.title(t("findings"), heading, "-")
		finding := func(l *labelled) {
			p.para("", "  ", sp(strings.TrimRight(l.Name+sep, " "), strong), sp(l.Label, strong))
			if l.Explanation != "" {
				p.para("  ", "  ", sp(l.Explanation, plain))
			}
		}
		sub := func(name, value, expl string) {
			p.para("  ", "    ", sp(strings.TrimRight(name+sep, " "), plain), sp(value, strong))
			if expl != "" {
				p.para("    ", "    ", sp(expl, plain))
			}
		}
		if d.Situation != nil {
			finding(d.Situation)
		}
		if d.Trafficking != nil {
			finding(d.Trafficking)
			for _, e := range d.TElements {
				sub(e.Name, e.Word, "")
			}
			if d.Child != nil {
				expl := ""
				if d.Child.Value == "true" {
					expl = d.Child.Explanation
				}
				sub(d.Child.Name, d.Child.Label, expl)
			}
			if d.Disclosed != nil {
				sub(d.Disclosed.Name, d.Disclosed.Label, "")
			}
		}
		if d.Refugee != nil {
			finding(d.Refugee)
			for _, e := range d.RElements {
				sub(e.Name, e.Word, "")
			}
			if d.Grounds != nil {
				sub(d.Grounds.Name, d.Grounds.Label, d.Grounds.Explanation)
			}
		}
		p.blank()
	}
	labelledList(t("other_findings"), d.Other)

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

// group writes the referrals to one service: a line with the highest
// priority, the service and its referrals, then each referral's
// explanation, reasons and basis.
func (p *page) group(t func(string) string, g serviceGroup, k kind) {
	sep := t("sep")
	line := g.Heading + " — " + g.Label
	if labels := g.referralLabels(); labels != nil {
		line += sep + strings.Join(labels, t("list_sep"))
	}
	p.para("* ", "  ", sp(line, k))
	if len(g.Items) == 1 {
		p.item(t, g.Items[0], "  ")
		return
	}
	for _, it := range g.Items {
		head := it.Label
		if it.Priority != g.Priority {
			head += " (" + strings.ToLower(t("priority."+it.Priority)) + ")"
		}
		p.para("  - ", "    ", sp(strings.TrimRight(head+sep, " "), strong), sp(it.Explanation, plain))
		it.Explanation = ""
		p.item(t, it, "    ")
	}
}

// referralLabels are the referrals to name after a service, or nil when
// the service's name says it all (one referral of the same name, or a
// group that is one referral in a flow without services).
func (g serviceGroup) referralLabels() []string {
	if !g.Named || (len(g.Items) == 1 && g.Items[0].Label == g.Label) {
		return nil
	}
	labels := make([]string, len(g.Items))
	for i, it := range g.Items {
		labels[i] = it.Label
	}
	return labels
}

// item writes the explanation, reasons, basis and directory services under
// a referral or caution, indented by in.
func (p *page) item(t func(string) string, it item, in string) {
	sep := t("sep")
	if it.Explanation != "" {
		p.para(in, in, sp(it.Explanation, plain))
	}
	// One reason a line, under each other, so that a reason's own list
	// (the choices of a multi answer) cannot be mistaken for two reasons.
	why := in + strings.TrimRight(t("why")+sep, " ") + " "
	under := strings.Repeat(" ", lipgloss.Width(why))
	for i, r := range it.Reasons {
		first := under
		if i == 0 {
			first = why
		}
		p.para(first, under+"  ", reasonSpans(r)...)
	}
	if len(it.Basis) > 0 {
		p.para(in+strings.TrimRight(t("basis")+sep, " ")+" ", in+"  ", sp(strings.Join(it.Basis, t("list_sep")), muted))
	}
	for _, sv := range it.Services {
		p.para(in+"→ ", in+"  ", sp(sv, plain))
	}
}

// reasonSpans lays out a reason as words, a question's ID muted in
// brackets after its label and answer.
func reasonSpans(r reason) []span {
	switch {
	case r.Text != "" && r.ID != "":
		return []span{sp(r.Text, plain), sp("["+r.ID+"]", muted)}
	case r.ID != "":
		return []span{sp("["+r.ID+"]", muted)}
	}
	return []span{sp(r.Text, plain)}
}
