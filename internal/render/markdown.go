package render

import (
	"fmt"
	"io"
	"strings"

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

var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`,
	"<", `\<`, ">", `\>`, "|", `\|`, "#", `\#`,
)

// esc makes the flow's words safe inside Markdown: an author's "*" or "|"
// must not turn into emphasis or break a table. Line breaks become spaces.
func esc(s string) string { return mdEscaper.Replace(strings.Join(strings.Fields(s), " ")) }

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
// handover document for a caseworker, disclaimer first.
func SummaryMarkdown(w io.Writer, f *questionnaire.Flow, s *questionnaire.Summary, lang string) error {
	if f == nil || s == nil {
		return fmt.Errorf("render: summary needs a flow and a summary")
	}
	d := buildSummary(f, s, lang)
	lang = f.Lang(lang)
	t := func(id string) string { return ui(f, lang, id) }
	m := &md{w: w}

	m.line("# %s", esc(d.Title))
	m.line("")
	if d.Disclaimer != "" {
		m.line("> **%s**", esc(d.Disclaimer))
		m.line("")
	}
	if d.Outcome != nil {
		head := esc(d.Outcome.Label)
		if d.Urgent {
			head = "⚠ " + strings.ToUpper(head)
		}
		m.line("## %s: %s", esc(d.Outcome.Name), head)
		m.line("")
		if d.Outcome.Explanation != "" {
			m.line("%s", esc(d.Outcome.Explanation))
			m.line("")
		}
	}
	m.line("| | |")
	m.line("|---|---|")
	m.line("| %s | %s |", esc(t("interview")), code(d.Interview))
	m.line("| %s | %s |", esc(t("flow")), esc(d.Flow))
	if d.Status != "" {
		m.line("| %s | %s |", esc(t("status")), esc(d.Status))
	}
	m.line("")

	finding := func(l *labelled) {
		m.line("## %s: %s", esc(l.Name), esc(l.Label))
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
		elements(d.TElements, d.Child)
		if d.Child != nil && d.Child.Value == "true" && d.Child.Explanation != "" {
			m.line("**%s:** %s", esc(d.Child.Name), esc(d.Child.Explanation))
			m.line("")
		}
	}
	if d.Refugee != nil {
		finding(d.Refugee)
		elements(d.RElements, d.Grounds)
		if d.Grounds != nil && d.Grounds.Explanation != "" {
			m.line("**%s:** %s", esc(d.Grounds.Name), esc(d.Grounds.Explanation))
			m.line("")
		}
	}

	m.line("## %s", esc(t("referrals")))
	m.line("")
	if len(d.Referrals) == 0 {
		m.line("%s", esc(t("no_referrals")))
	} else {
		m.line("| %s | %s | %s | %s |", esc(t("priority")), esc(t("referral")), esc(t("why")), esc(t("basis")))
		m.line("|---|---|---|---|")
		for _, g := range d.Referrals {
			prio := esc(g.Heading)
			if g.Priority == "urgent" {
				prio = "**⚠ " + prio + "**"
			}
			for _, it := range g.Items {
				expl := esc(it.Explanation)
				for _, sv := range it.Services {
					expl += "<br>→ " + esc(sv)
				}
				m.line("| %s | **%s**: %s | %s | %s |", prio, esc(it.Label), expl,
					reasonsMD(f, it.Reasons), esc(strings.Join(it.Basis, "; ")))
			}
		}
	}
	m.line("")

	m.line("## %s", esc(t("cautions")))
	m.line("")
	if len(d.Cautions) == 0 {
		m.line("%s", esc(t("no_cautions")))
	}
	for _, it := range d.Cautions {
		m.line("- **%s**: %s", esc(it.Label), esc(it.Explanation))
		if len(it.Reasons) > 0 {
			m.line("  - %s: %s", esc(t("why")), reasonsMD(f, it.Reasons))
		}
		if len(it.Basis) > 0 {
			m.line("  - %s: %s", esc(t("basis")), esc(strings.Join(it.Basis, "; ")))
		}
	}
	m.line("")

	list := func(head string, ls []labelled) {
		if len(ls) == 0 {
			return
		}
		m.line("## %s", esc(head))
		m.line("")
		for _, l := range ls {
			if l.Explanation != "" {
				m.line("- %s: **%s**. %s", esc(l.Name), esc(l.Label), esc(l.Explanation))
			} else {
				m.line("- %s: **%s**", esc(l.Name), esc(l.Label))
			}
		}
		m.line("")
	}
	list(t("solutions"), d.Solutions)
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

// reasonsMD shows question IDs as code and finding names as text.
func reasonsMD(f *questionnaire.Flow, rs []string) string {
	out := make([]string, len(rs))
	for i, r := range rs {
		if f.Question(r) != nil {
			out[i] = code(r)
		} else {
			out[i] = esc(r)
		}
	}
	return strings.Join(out, "; ")
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

// Clean removes control characters (other than line breaks and tabs) from
// text that came from outside, such as free-text answers or names in an
// imported bundle, so it cannot send escape sequences to a terminal.
func Clean(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return -1
		}
		return r
	}, s)
}
