package cli

import (
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"fieldscreen/internal/record"
	"fieldscreen/internal/render"
	"fieldscreen/internal/store"
	"fieldscreen/internal/textsafe"
	"fieldscreen/internal/words"
	"fieldscreen/questionnaire"
)

// getInterview resolves a short ID and reads the interview.
func getInterview(st *store.Store, id string) (*record.Interview, error) {
	full, err := resolveID(st, id)
	if err != nil {
		return nil, err
	}
	return st.Get(full)
}

// showOptions is what the command was asked, with the app it runs in (its IO,
// store and settings).
type showOptions struct {
	*app
	args      []string
	format    string
	lang      string
	service   string // --for: only what this service needs
	withAudit bool
}

func (a *app) showCmd(runF func(*showOptions) error) *cobra.Command {
	o := &showOptions{app: a}
	c := &cobra.Command{
		Use:   "show ID",
		Short: "Show an interview: its summary, every answer and the audit trail",
		Long: `Shows everything kept about an interview: its summary, every answer and the
audit trail. --format markdown writes a compact handover document (the
summary and the answers; the audit trail too with --with-audit).

--for SERVICE shows only what that referral service needs and the person
agreed to share with it (the need-to-know extract 'export --for' writes),
for a paper referral form.`,
		Example: `  fieldscreen show 3e27485e
  fieldscreen show 3e27485e --format markdown > handover.md
  fieldscreen show 3e27485e --for asylum_and_legal --format markdown > legal-aid.md
  fieldscreen show 3e27485e --format json`,
		Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			if err := checkEnums(c, "format"); err != nil {
				return err
			}
			o.args = args
			if runF != nil {
				return runF(o)
			}
			return runShow(o)
		},
	}
	formatVar(c, &o.format, "text", "{or}", "text", "json", "markdown")
	c.Flags().StringVar(&o.lang, "lang", "", "language of the text (default: the interview's)")
	c.Flags().StringVar(&o.service, "for", "", "show only what this referral service needs and the person agreed to share (asylum_and_legal, health, ...)")
	c.Flags().BoolVar(&o.withAudit, "with-audit", false, "with --format markdown: add the audit trail")
	return c
}

// runShow runs the command with its options.
func runShow(o *showOptions) error {
	a, args, format, lang := o.app, o.args, o.format, o.lang
	st, err := a.openStore(false)
	if err != nil {
		return err
	}
	iv, err := getInterview(st, args[0])
	if err != nil {
		return err
	}
	s, err := newFlowCache(st, nil).score(iv, lang)
	if err != nil {
		return err
	}
	if err := a.attachServices(s); err != nil {
		return err
	}
	if o.service != "" {
		return a.showExtract(iv, s, o.service, format)
	}
	times := map[string]time.Time{}
	for _, an := range iv.Answers {
		times[an.QuestionID] = an.AnsweredAt
	}
	rows := render.AnswerRows(s.flow, questionnaire.Answers(iv.AnswersMap()), times, s.lang)
	a.startPager() // everything kept about a person is long
	switch format {
	case "json":
		type answer struct {
			ID         string    `json:"id"`
			Label      string    `json:"label"`
			Value      any       `json:"value"`
			AnsweredAt time.Time `json:"answered_at"`
		}
		out := struct {
			ID          string                 `json:"interview_id"`
			Status      string                 `json:"status"`
			Flow        questionnaire.FlowRef  `json:"flow"`
			Interviewer string                 `json:"interviewer,omitempty"`
			Location    string                 `json:"location,omitempty"`
			Language    string                 `json:"language"`
			CreatedAt   time.Time              `json:"created_at"`
			UpdatedAt   time.Time              `json:"updated_at"`
			CompletedAt *time.Time             `json:"completed_at,omitempty"`
			Consent     *record.Consent        `json:"consent,omitempty"`
			Summary     *questionnaire.Summary `json:"summary"`
			Answers     []answer               `json:"answers"`
			Audit       []record.AuditEvent    `json:"audit"`
			// Corrections made with 'fieldscreen amend', from the audit trail.
			Corrections []record.Correction `json:"corrections,omitempty"`
		}{iv.ID, string(iv.Status), s.flow.Ref(), iv.Interviewer, iv.Location, iv.Language, iv.CreatedAt, iv.UpdatedAt,
			iv.CompletedAt, iv.Consent, s.sum, []answer{}, iv.Audit, iv.Corrections()}
		for _, r := range rows {
			out.Answers = append(out.Answers, answer{r.ID, r.Label, r.Value, r.AnsweredAt})
		}
		return a.printJSON(out)
	case "markdown":
		if err := render.SummaryMarkdown(a.io.Out, s.flow, s.sum, s.lang, a.summaryOptions(s)); err != nil {
			return err
		}
		fmt.Fprintln(a.io.Out)
		for _, m := range interviewFacts(iv, s) {
			fmt.Fprintf(a.io.Out, "- **%s**%s%s\n", m[0], words.Colon(s.lang), textsafe.Markdown(m[1]))
		}
		fmt.Fprintf(a.io.Out, "\n## %s\n\n", words.T(s.flow, s.lang, "answers"))
		if err := render.AnswersMarkdown(a.io.Out, rows); err != nil {
			return err
		}
		if !o.withAudit {
			return nil
		}
		fmt.Fprintf(a.io.Out, "\n## %s\n\n", words.T(s.flow, s.lang, "audit_trail"))
		for _, e := range iv.Audit {
			f := nonEmpty(auditFields(e, s))
			for i := range f {
				f[i] = textsafe.Markdown(f[i])
			}
			fmt.Fprintf(a.io.Out, "- %s\n", strings.Join(f, " · "))
		}
		return nil
	}
	opt := a.summaryOptions(s)
	if err := render.Summary(a.io.Out, s.flow, s.sum, s.lang, opt); err != nil {
		return err
	}
	fmt.Fprintln(a.io.Out)
	tw := tabwriter.NewWriter(a.io.Out, 0, 0, 2, ' ', 0)
	for _, m := range interviewFacts(iv, s) {
		fmt.Fprintf(tw, "%s%s\t%s\n", m[0], strings.TrimRight(words.Colon(s.lang), " "), m[1])
	}
	tw.Flush()
	fmt.Fprintln(a.io.Out)
	for i := range rows { // in the zone of the rest of the page
		rows[i].AnsweredAt = rows[i].AnsweredAt.Local()
	}
	if err := render.Answers(a.io.Out, s.flow, rows, s.lang, opt); err != nil {
		return err
	}
	fmt.Fprintln(a.io.Out, "\n"+words.T(s.flow, s.lang, "audit_trail"))
	tw = tabwriter.NewWriter(a.io.Out, 0, 0, 2, ' ', 0)
	for _, e := range iv.Audit {
		// the question (a long label) last, so the columns stay narrow
		f := auditFields(e, s)
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", f[0], f[1], f[3], strings.Join(nonEmpty([]string{f[2], f[4]}), " — "))
	}
	return tw.Flush()
}

// interviewFacts are the record's details a handover needs: who, where,
// when, in which language, and the consent it rests on.
func interviewFacts(iv *record.Interview, s scored) [][2]string {
	w := func(id string, kv ...string) string { return words.T(s.flow, s.lang, id, kv...) }
	when := localTime
	var out [][2]string
	add := func(label, value string) {
		if value = render.Clean(value); value != "" {
			out = append(out, [2]string{label, value})
		}
	}
	add(w("meta_interviewer"), iv.Interviewer)
	add(w("meta_location"), iv.Location)
	add(w("meta_language"), iv.Language)
	add(w("meta_created"), when(iv.CreatedAt))
	if iv.CompletedAt != nil {
		add(w("meta_completed"), when(*iv.CompletedAt))
	}
	if c := iv.Consent; c != nil {
		id := "consent_refused"
		if c.Given {
			id = "consent_given"
		}
		add(w("meta_consent"), w(id, "at", when(c.At)))
	}
	for _, c := range correctionFacts(iv, w, when) {
		add(c[0], c[1])
	}
	return out
}

// auditFields are an audit event's time (to the second, in the zone of the
// rest of the document), event, question, interviewer and detail (a
// transfer's purpose, key fingerprints and bundle hash).
func auditFields(e record.AuditEvent, s scored) []string {
	event := words.T(s.flow, s.lang, "audit."+string(e.Event))
	if event == "" || event == "audit."+string(e.Event) {
		event = render.Clean(string(e.Event)) // an event only a bundle names
	}
	question := render.Clean(e.QuestionID)
	if q := s.flow.Question(e.QuestionID); q != nil {
		// the question in the reader's language, its ID in brackets
		question = render.Clean(s.flow.T(q.Label, s.lang)) + " [" + e.QuestionID + "]"
	}
	// Details record keeps in stable English words (a bundle keeps them
	// as written) are said in the reader's language.
	detail := e.Detail
	if detail == record.SetAsideDetail {
		detail = words.T(s.flow, s.lang, "audit.set_aside")
	} else if from, to, ok := record.LanguageChange(e); ok {
		detail = words.T(s.flow, s.lang, "audit.language_changed", "from", from, "to", to)
	}
	return []string{e.At.Local().Format(render.SecondLayout), event, question, render.Clean(e.Interviewer), render.Clean(detail)}
}

// nonEmpty drops empty fields, so a Markdown line has no empty " ·  · ".
func nonEmpty(fields []string) []string {
	out := fields[:0:0]
	for _, f := range fields {
		if f != "" {
			out = append(out, f)
		}
	}
	return out
}
