package render

import (
	"fmt"
	"io"
	"strings"

	"charm.land/lipgloss/v2"

	"fieldscreen/internal/words"
	"fieldscreen/questionnaire"
)

// paperQuestion is one question as printed on paper.
type paperQuestion struct {
	Num             int // 0 for a note
	ID, Label, Hint string
	Type            string
	Required        bool
	Observation     bool // the interviewer's own observation, not read aloud
	AskedWhen       string
	Notes           []string // what derived values in AskedWhen mean
	Choices         []string
	Exclusive       []bool
	WriteIn         bool // an answer line (number or text)
	Unknown         bool // "Don't know" / "Declined to answer" boxes
	Checks          []string
	EndsIf          string
}

type paperSection struct {
	Num          int
	Title, Intro string
	AskedWhen    string
	Notes        []string
	Questions    []paperQuestion
}

type paperDoc struct {
	Title, Description, Meta, How string
	Sections                      []paperSection
}

func buildPaper(f *questionnaire.Flow, lang string) *paperDoc {
	lang = f.Lang(lang)
	num := map[string]int{}
	n := 0
	for _, q := range f.Questions {
		if q.Asks() {
			n++
			num[q.ID] = n
		}
	}
	c := &conditions{f: f, lang: lang, num: num}
	d := &paperDoc{
		Title:       f.T(f.Title, lang),
		Description: f.T(f.Description, lang),
		Meta:        fmt.Sprintf("%s · %s %s %s", ui(f, lang, "questionnaire"), f.ID, ui(f, lang, "version"), f.Version),
		How:         ui(f, lang, "paper_how"),
	}
	for i, s := range f.Sections {
		ps := paperSection{Num: i + 1, Title: f.T(s.Title, lang), Intro: f.T(s.Intro, lang)}
		if ps.Title == "" {
			ps.Title = humanize(s.ID)
		}
		if s.Relevant != nil {
			ps.AskedWhen, ps.Notes = c.describe(s.Relevant, "")
		}
		for _, q := range s.Questions {
			kp := kindPrints[q.Type]
			pq := paperQuestion{
				Num: num[q.ID], ID: q.ID, Label: f.T(q.Label, lang), Hint: f.T(q.Hint, lang),
				Required: q.Required, Observation: q.Observation,
				Unknown: q.Asks() && !q.Required,
				WriteIn: kp.writeIn,
			}
			if kp.words != nil {
				pq.Type = kp.words(f, lang, q)
			}
			if q.Relevant != nil {
				pq.AskedWhen, pq.Notes = c.describe(q.Relevant, q.ID)
			}
			if kp.boxes != nil {
				vals, alone := kp.boxes(q)
				for _, v := range vals {
					pq.Choices = append(pq.Choices, valueLabel(f, lang, q, v))
				}
				pq.Exclusive = alone
			}
			for _, k := range q.Constraints {
				if m := f.T(k.Message, lang); m != "" {
					pq.Checks = append(pq.Checks, m)
				} else {
					pq.Checks = append(pq.Checks, strings.Join(strings.Fields(k.Check.Src), " "))
				}
			}
			if q.EndsIf != nil {
				cond, _ := c.describe(q.EndsIf, q.ID)
				pq.EndsIf = uif(f, lang, "ends_if", "cond", cond)
			}
			ps.Questions = append(ps.Questions, pq)
		}
		d.Sections = append(d.Sections, ps)
	}
	return d
}

const box = "[ ]" // prints on any printer and in any font

// Flow writes the flow as a paper questionnaire for the terminal or a
// plain-text printout: every section, question and choice, with when each
// question is asked, so an interview can go on when the laptop cannot.
func Flow(w io.Writer, f *questionnaire.Flow, lang string, opt Options) error {
	if f == nil {
		return fmt.Errorf("render: no flow to print")
	}
	d := buildPaper(f, lang)
	lang = f.Lang(lang)
	t := func(id string) string { return ui(f, lang, id) }
	colon := words.Colon(lang)
	p := newPage(w, opt)

	p.title(d.Title, heading, "=")
	p.para("", "", sp(d.Meta, muted))
	p.blank()
	if d.Description != "" {
		p.para("", "", sp(d.Description, plain))
		p.blank()
	}
	p.para("", "", sp(d.How, plain))
	for _, s := range d.Sections {
		p.blank()
		p.title(fmt.Sprintf("%s %d. %s", t("section"), s.Num, s.Title), heading, "-")
		if s.AskedWhen != "" {
			p.para("", "", sp(t("section_when")+colon+s.AskedWhen, strong))
			for _, n := range s.Notes {
				p.para("  ", "  ", sp("("+n+")", muted))
			}
		}
		if s.Intro != "" {
			p.para("", "", sp(s.Intro, plain))
		}
		for _, q := range s.Questions {
			p.blank()
			num := "    "
			if q.Num > 0 {
				num = fmt.Sprintf("%2d. ", q.Num)
			}
			const in = "    "
			p.para(num, in, sp(q.Label, strong))
			if q.Observation {
				p.para(in, in, sp(t("observation"), strong))
			}
			meta := q.Type
			if q.Required {
				meta += " · " + t("required")
			}
			p.para(in, in, sp("["+q.ID+"] "+meta, muted))
			if q.AskedWhen != "" {
				p.para(in+t("asked_when")+colon, in+"  ", sp(q.AskedWhen, plain))
				for _, n := range q.Notes {
					p.para(in+"  ", in+"  ", sp("("+n+")", muted))
				}
			}
			if q.Hint != "" {
				p.para(in+t("hint")+colon, in+"  ", sp(q.Hint, plain))
			}
			for i, ch := range q.Choices {
				text := ch
				if q.Exclusive[i] {
					text += " " + t("exclusive")
				}
				p.para(in+box+" ", in+"    ", sp(text, plain))
			}
			if q.WriteIn {
				label := t("answer_line") + colon
				line := strings.Repeat("_", max(10, min(40, p.width-len(in)-lipgloss.Width(label))))
				p.para(in+label, in, sp(line, plain))
			}
			if q.Unknown {
				p.para(in+box+" ", in+"    ", sp(t("dont_know")+"   "+box+" "+t("declined"), plain))
			}
			for _, ck := range q.Checks {
				p.para(in+t("check")+colon, in+"  ", sp(ck, plain))
			}
			if q.EndsIf != "" {
				p.para(in, in, sp(q.EndsIf, strong))
			}
		}
	}
	return p.err
}

// FlowMarkdown writes the flow as a printable Markdown questionnaire.
func FlowMarkdown(w io.Writer, f *questionnaire.Flow, lang string) error {
	if f == nil {
		return fmt.Errorf("render: no flow to print")
	}
	d := buildPaper(f, lang)
	lang = f.Lang(lang)
	t := func(id string) string { return ui(f, lang, id) }
	m := &md{w: w}

	m.line("# %s", esc(d.Title))
	m.line("")
	m.line("*%s*", esc(d.Meta))
	m.line("")
	if d.Description != "" {
		m.line("%s", esc(d.Description))
		m.line("")
	}
	m.line("> %s", esc(d.How))
	m.line("")
	for _, s := range d.Sections {
		m.line("## %s %d. %s", esc(t("section")), s.Num, esc(s.Title))
		m.line("")
		if s.AskedWhen != "" {
			m.line("**%s:** %s", esc(t("section_when")), esc(s.AskedWhen))
			for _, n := range s.Notes {
				m.line("*(%s)*", esc(n))
			}
			m.line("")
		}
		if s.Intro != "" {
			m.line("> %s", esc(s.Intro))
			m.line("")
		}
		for _, q := range s.Questions {
			if q.Num > 0 {
				m.line("### %d. %s", q.Num, esc(q.Label))
			} else {
				m.line("### %s", esc(q.Label))
			}
			m.line("")
			if q.Observation {
				m.line("**%s**", esc(t("observation")))
				m.line("")
			}
			meta := code(q.ID) + " · " + esc(q.Type)
			if q.Required {
				meta += " · " + esc(t("required"))
			}
			m.line("%s", meta)
			m.line("")
			if q.AskedWhen != "" {
				m.line("**%s:** %s", esc(t("asked_when")), esc(q.AskedWhen))
				for _, n := range q.Notes {
					m.line("*(%s)*", esc(n))
				}
				m.line("")
			}
			if q.Hint != "" {
				m.line("*%s:* %s", esc(t("hint")), esc(q.Hint))
				m.line("")
			}
			for i, ch := range q.Choices {
				text := esc(ch)
				if q.Exclusive[i] {
					text += " " + esc(t("exclusive"))
				}
				m.line("- [ ] %s", text)
			}
			if q.WriteIn {
				m.line("- %s: %s", esc(t("answer_line")), strings.Repeat("_", 30))
			}
			if q.Unknown {
				m.line("- [ ] %s", esc(t("dont_know")))
				m.line("- [ ] %s", esc(t("declined")))
			}
			if len(q.Choices) > 0 || q.WriteIn || q.Unknown {
				m.line("")
			}
			for _, ck := range q.Checks {
				m.line("*%s:* %s", esc(t("check")), esc(ck))
				m.line("")
			}
			if q.EndsIf != "" {
				m.line("**%s**", esc(q.EndsIf))
				m.line("")
			}
		}
	}
	return m.err
}
