package render

import (
	"fmt"
	"io"
	"strings"

	"fieldscreen/internal/textsafe"
	"fieldscreen/questionnaire"
)

// md collects a Markdown document and keeps the first write error.
type md struct {
	w   io.Writer
	err error
}

func (m *md) line(format string, args ...any) {
	if m.err == nil {
		_, m.err = fmt.Fprintf(m.w, format+"\n", args...)
	}
}

// esc makes text safe inside Markdown (textsafe.Markdown): an author's
// "*" or "|" must not turn into emphasis or break a table, and a bundle's
// "[x](javascript:…)" or "<script>" must read as itself. Runs of spaces
// and line breaks become one space; a no-break space (French, before ":")
// is kept.
func esc(s string) string {
	return textsafe.Markdown(strings.Join(strings.FieldsFunc(s, breakable), " "))
}

// code shows an identifier verbatim.
func code(s string) string {
	if s == "" {
		return ""
	}
	if strings.Contains(s, "`") {
		return "`` " + s + " ``"
	}
	return "`" + s + "`"
}

// SummaryMarkdown writes the summary of one interview as a Markdown
// handover document for a caseworker, disclaimer first, in the order of
// the terminal summary (see Summary). Pass the interview's answers in an
// Options for the "why" lines; the other options do not apply.
func SummaryMarkdown(w io.Writer, f *questionnaire.Flow, s *questionnaire.Summary, lang string, opts ...Options) error {
	if f == nil || s == nil {
		return fmt.Errorf("render: summary needs a flow and a summary")
	}
	var ans questionnaire.Answers
	if len(opts) > 0 {
		ans = opts[0].Answers
	}
	d := buildSummary(f, s, ans, lang)
	lang = f.Lang(lang)
	t := func(id string) string { return ui(f, lang, id) }
	sep := t("sep")
	m := &md{w: w}

	m.line("# %s", esc(d.Title))
	m.line("")
	if d.Disclaimer != "" {
		m.line("> **%s**", esc(d.Disclaimer))
		m.line("")
	}
	m.line("| | |")
	m.line("|---|---|")
	m.line("| %s | %s |", esc(t("interview")), code(d.Interview))
	m.line("| %s | %s |", esc(t("flow")), esc(d.Flow))
	if d.Status != "" {
		m.line("| %s | %s |", esc(t("status")), esc(d.Status))
	}
	m.line("")
	if d.Outcome != nil {
		head := esc(d.Outcome.Label)
		if d.Urgent {
			head = "⚠ " + strings.ToUpper(head)
		}
		m.line("## %s%s%s", esc(d.Outcome.Name), sep, head)
		m.line("")
		if d.Outcome.Explanation != "" {
			m.line("%s", esc(d.Outcome.Explanation))
			m.line("")
		}
	}
	if d.NotScreened {
		m.line("## %s", esc(t("help_title")))
		m.line("")
		for _, h := range d.Help {
			m.line("%s", esc(h))
			m.line("")
		}
		return m.err
	}

	if len(d.ActNowReferrals)+len(d.ActNowCautions) > 0 {
		m.line("## ⚠ %s", esc(d.ActNow))
		m.line("")
		for _, g := range d.ActNowReferrals {
			m.group(t, g)
		}
		for _, it := range d.ActNowCautions {
			m.line("- **%s**", esc(it.Label))
			m.item(t, it, "  ")
		}
		m.line("")
	}
	if len(d.Referrals) > 0 || d.NoReferrals {
		m.line("## %s", esc(t("referrals")))
		m.line("")
		if d.NoReferrals {
			m.line("%s", esc(t("no_referrals")))
		}
		for _, g := range d.Referrals {
			m.group(t, g)
		}
		m.line("")
	}
	if len(d.Communication) > 0 {
		m.line("## %s", esc(t("communication")))
		m.line("")
		for _, it := range d.Communication {
			m.line("- **%s**", esc(it.Label))
			m.item(t, it, "  ")
		}
		m.line("")
	}
	for _, g := range d.Cautions {
		m.line("## %s", esc(g.Heading))
		m.line("")
		if len(g.Items) == 0 {
			m.line("%s", esc(t("no_cautions")))
		}
		for _, it := range g.Items {
			m.line("- **%s**", esc(it.Label))
			m.item(t, it, "  ")
		}
		m.line("")
	}
	if len(d.Consent)+len(d.ConsentCautions) > 0 {
		m.line("## %s", esc(t("consent_block")))
		m.line("")
		for _, l := range d.Consent {
			m.line("- %s%s**%s**", esc(l.Name), sep, esc(l.Value))
		}
		for _, it := range d.ConsentCautions {
			m.line("- **%s**", esc(it.Label))
			m.item(t, it, "  ")
		}
		m.line("")
	}

	list := func(head string, ls []labelled) {
		if len(ls) == 0 {
			return
		}
		m.line("## %s", esc(head))
		m.line("")
		for _, l := range ls {
			if l.Explanation != "" {
				m.line("- %s%s**%s**. %s", esc(l.Name), sep, esc(l.Label), esc(l.Explanation))
			} else {
				m.line("- %s%s**%s**", esc(l.Name), sep, esc(l.Label))
			}
		}
		m.line("")
	}
	list(t("solutions"), d.Solutions)

	if d.Situation != nil || d.Trafficking != nil || d.Refugee != nil {
		m.line("## %s", esc(t("findings")))
		m.line("")
		finding := func(l *labelled) {
			m.line("### %s%s%s", esc(l.Name), sep, esc(l.Label))
			m.line("")
			if l.Explanation != "" {
				m.line("%s", esc(l.Explanation))
				m.line("")
			}
		}
		elements := func(es []element, extra ...*labelled) {
			if len(es) == 0 {
				return
			}
			m.line("| %s | |", esc(t("element")))
			m.line("|---|---|")
			for _, e := range es {
				m.line("| %s | %s |", esc(e.Name), esc(e.Word))
			}
			for _, l := range extra {
				if l != nil {
					m.line("| %s | %s |", esc(l.Name), esc(l.Label))
				}
			}
			m.line("")
		}
		if d.Situation != nil {
			finding(d.Situation)
		}
		if d.Trafficking != nil {
			finding(d.Trafficking)
			elements(d.TElements, d.Child, d.Disclosed)
			if d.Child != nil && d.Child.Value == "true" && d.Child.Explanation != "" {
				m.line("**%s%s** %s", esc(d.Child.Name), strings.TrimRight(sep, " "), esc(d.Child.Explanation))
				m.line("")
			}
		}
		if d.Refugee != nil {
			finding(d.Refugee)
			elements(d.RElements, d.Grounds)
			if d.Grounds != nil && d.Grounds.Explanation != "" {
				m.line("**%s%s** %s", esc(d.Grounds.Name), strings.TrimRight(sep, " "), esc(d.Grounds.Explanation))
				m.line("")
			}
		}
	}
	list(t("other_findings"), d.Other)

	m.line("## %s", esc(t("info_gaps")))
	m.line("")
	if len(d.Gaps) == 0 {
		m.line("%s", esc(t("no_info_gaps")))
	} else {
		m.line("%s", esc(t("info_gaps_note")))
		m.line("")
		for _, g := range d.Gaps {
			m.line("- %s (%s)", esc(g.Label), code(g.ID))
		}
	}
	m.line("")

	m.line("## %s", esc(t("basis")))
	m.line("")
	for _, b := range d.Basis {
		m.line("- %s", esc(b))
	}
	return m.err
}

// group writes the referrals to one service as a list entry: the highest
// priority, the service and its referrals, then each referral below.
func (m *md) group(t func(string) string, g serviceGroup) {
	sep := t("sep")
	line := esc(g.Heading) + " — " + esc(g.Label)
	if labels := g.referralLabels(); labels != nil {
		for i := range labels {
			labels[i] = esc(labels[i])
		}
		line += sep + strings.Join(labels, t("list_sep"))
	}
	if g.Priority == "urgent" {
		line = "⚠ " + line
	}
	m.line("- **%s**", line)
	if len(g.Items) == 1 {
		m.item(t, g.Items[0], "  ")
		return
	}
	for _, it := range g.Items {
		head := esc(it.Label)
		if it.Priority != g.Priority {
			head += " (" + esc(strings.ToLower(t("priority."+it.Priority))) + ")"
		}
		if it.Explanation != "" {
			m.line("  - **%s%s** %s", head, strings.TrimRight(sep, " "), esc(it.Explanation))
		} else {
			m.line("  - **%s**", head)
		}
		it.Explanation = ""
		m.item(t, it, "    ")
	}
}

// item writes the explanation, reasons, basis and directory services under
// a referral or caution as a nested list, indented by in.
func (m *md) item(t func(string) string, it item, in string) {
	sep := t("sep")
	if it.Explanation != "" {
		m.line("%s- %s", in, esc(it.Explanation))
	}
	if len(it.Reasons) > 0 {
		m.line("%s- %s%s%s", in, esc(t("why")), sep, reasonsMD(it.Reasons, t("list_sep")))
	}
	if len(it.Basis) > 0 {
		m.line("%s- %s%s%s", in, esc(t("basis")), sep, esc(strings.Join(it.Basis, t("list_sep"))))
	}
	for _, sv := range it.Services {
		m.line("%s- → %s", in, esc(sv))
	}
}

// reasonsMD shows reasons as words, a question's ID as code in brackets.
func reasonsMD(rs []reason, listSep string) string {
	out := make([]string, len(rs))
	for i, r := range rs {
		switch {
		case r.Text != "" && r.ID != "":
			out[i] = esc(r.Text) + " (" + code(r.ID) + ")"
		case r.ID != "":
			out[i] = "(" + code(r.ID) + ")"
		default:
			out[i] = esc(r.Text)
		}
	}
	return strings.Join(out, listSep)
}

// AnswersMarkdown writes the answers of an interview as a Markdown list,
// each label and answer escaped so that free text cannot fake a heading or
// a table in the handover document.
func AnswersMarkdown(w io.Writer, rows []AnswerRow) error {
	for _, r := range rows {
		if _, err := fmt.Fprintf(w, "- **%s** (%s): %s\n", esc(r.Label), code(r.ID), esc(Clean(r.Text))); err != nil {
			return err
		}
	}
	return nil
}

// Clean removes control characters (other than line breaks and tabs) and
// the invisible characters that reorder or hide text from text that came
// from outside, such as free-text answers or names in an imported bundle,
// so it cannot send escape sequences to a terminal: textsafe.Terminal.
func Clean(s string) string { return textsafe.Terminal(s) }
