package render

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"fieldscreen/questionnaire"
)

// A need-to-know extract: what one service needs of an interview and the
// person agreed to share with it. Per interview, only its referrals to
// that service the person consented to (consent given, or a child's
// urgent child-protection referral on the child's best interests), each
// with its priority and reasons (the question's label and the answer);
// the cautions, by what to do and never by the answers that raised them;
// the contact needs (language, interpreter, reading); location and
// dates. Every other answer is left out, and counted.
//
// BuildExtract is pure: the caller decides which interviews to extract
// and records a disclosure without consent in their audit trails.

// contactQuestions are the answers an extract always carries, when the
// flow asks them: how to speak with the person.
var contactQuestions = []string{"preferred_language", "interpreter_needed", "can_read"}

// ExtractInput is what an extract reads of an interview besides its
// summary.
type ExtractInput struct {
	InterviewID string
	Location    string
	Language    string
	CreatedAt   time.Time
	CompletedAt *time.Time
	Answers     questionnaire.Answers
}

// Extract is one interview as a service receives it. schema/extract.schema.json
// describes it.
type Extract struct {
	InterviewID  string                `json:"interview_id"`
	Flow         questionnaire.FlowRef `json:"flow"`
	Language     string                `json:"language"`
	Location     string                `json:"location"`
	CreatedAt    time.Time             `json:"created_at"`
	CompletedAt  *time.Time            `json:"completed_at"`
	Service      string                `json:"service"`
	ServiceLabel string                `json:"service_label"`
	Referrals    []ExtractReferral     `json:"referrals"`
	Cautions     []ExtractCaution      `json:"cautions"`
	Contact      []ExtractAnswer       `json:"contact"`
	Withheld     ExtractWithheld       `json:"withheld"`
	// WithoutConsent is the reason given for sharing referrals the person
	// did not agree to (export --without-consent), when the extract holds
	// one; empty otherwise.
	WithoutConsent string `json:"without_consent,omitempty"`
}

// ExtractReferral is a referral to the extract's service.
type ExtractReferral struct {
	ID          string `json:"id"`
	Label       string `json:"label"`
	Priority    string `json:"priority"`
	Consent     string `json:"consent"`
	Explanation string `json:"explanation"`
	// ConsentBasis, for a referral on a child's best interests, says on
	// what it proceeds without consent: the flow's basis and what the
	// caseworker must record.
	ConsentBasis []string        `json:"consent_basis,omitempty"`
	Reasons      []ExtractAnswer `json:"reasons"`
}

// ExtractAnswer is a reason or a contact need: a question with its answer,
// or a finding with its value, or a derived fact by its label.
type ExtractAnswer struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	Value any    `json:"value,omitempty"`
	Text  string `json:"text"` // the label and the answer in words
}

// ExtractCaution is a safeguard, by what to do: the answers that raised it
// stay out.
type ExtractCaution struct {
	ID       string `json:"id"`
	Tier     string `json:"tier,omitempty"`
	Label    string `json:"label"`
	WhatToDo string `json:"what_to_do"`
}

// ExtractWithheld counts what the extract leaves out.
type ExtractWithheld struct {
	// Referrals to this service the person did not agree to.
	Referrals int `json:"referrals"`
	// Answers not carried (every answer that is neither a reason of an
	// included referral nor a contact need).
	Answers int `json:"answers"`
}

// ExtractOptions choose what BuildExtract includes.
type ExtractOptions struct {
	// WithoutConsent, when not empty, includes the service's referrals the
	// person did not agree to, and is recorded in the extract as the
	// reason.
	WithoutConsent string
}

// FlowServices lists the services a flow refers to: the choices of its
// referral consent question that some referral goes to.
func FlowServices(f *questionnaire.Flow) []string {
	var out []string
	for _, r := range f.Referrals {
		if r.Service != "" && !slices.Contains(out, r.Service) {
			out = append(out, r.Service)
		}
	}
	return out
}

// Consented reports whether a referral may go to its service on the
// person's word: consent given, or best interests (a child's urgent
// child-protection referral: the flow allows it only there).
func Consented(consent string) bool {
	return consent == questionnaire.ConsentGiven || consent == questionnaire.ConsentBestInterests
}

// BuildExtract makes the extract of one interview for service. It returns
// nil when the interview has no referral to include (none to the service,
// or none the person agreed to: withheld reports how many then).
func BuildExtract(f *questionnaire.Flow, s *questionnaire.Summary, in ExtractInput, service string, opt ExtractOptions) (*Extract, ExtractWithheld, error) {
	if f == nil || s == nil {
		return nil, ExtractWithheld{}, fmt.Errorf("render: an extract needs a flow and a summary")
	}
	if !slices.Contains(FlowServices(f), service) {
		return nil, ExtractWithheld{}, fmt.Errorf("flow %s has no referral service %q", f.ID, service)
	}
	lang := f.Lang(in.Language)
	b := &builder{f: f, s: s, ans: in.Answers, lang: lang, byField: map[string]*questionnaire.Finding{},
		used: map[string]bool{}, expl: map[string]questionnaire.Explanation{}}
	for _, fd := range f.Findings {
		b.byField[fd.Field] = fd
	}
	for _, e := range s.Explanations {
		b.expl[e.Kind+"/"+e.ID] = e
	}
	if qs, err := f.Visible(in.Answers); err == nil {
		b.asked = map[string]bool{}
		for _, q := range qs {
			b.asked[q.ID] = true
		}
	}

	ex := &Extract{InterviewID: in.InterviewID, Flow: s.Flow, Language: lang, Location: in.Location,
		CreatedAt: in.CreatedAt, CompletedAt: in.CompletedAt, Service: service, ServiceLabel: b.serviceLabel(service),
		Referrals: []ExtractReferral{}, Cautions: []ExtractCaution{}, Contact: []ExtractAnswer{}}
	if ex.Flow.ID == "" {
		ex.Flow = f.Ref()
	}
	carried := map[string]bool{}
	for _, r := range s.Referrals {
		sv := r.Service
		if sv == "" {
			sv = b.referralService(r.ID)
		}
		if sv != service {
			continue
		}
		if !Consented(r.Consent) {
			if opt.WithoutConsent == "" {
				ex.Withheld.Referrals++
				continue
			}
			ex.WithoutConsent = opt.WithoutConsent
		}
		it := b.referralItem(r)
		er := ExtractReferral{ID: r.ID, Label: it.Label, Priority: r.Priority, Consent: r.Consent,
			Explanation: it.Explanation, Reasons: []ExtractAnswer{}}
		if r.Consent == questionnaire.ConsentBestInterests {
			er.ConsentBasis = append([]string{ui(f, lang, "consent.best_interests")}, it.Basis...)
		}
		for _, id := range r.Reasons {
			if id == f.ReferralConsentQuestion {
				continue // the referral's own consent says it; the others' are not this service's
			}
			a := b.extractAnswer(id)
			a.Value, a.Text = b.ruleValues(id, a, ruleSources(f.Referral(r.ID)))
			if f.Question(id) != nil {
				carried[id] = true
			}
			er.Reasons = append(er.Reasons, a)
		}
		ex.Referrals = append(ex.Referrals, er)
	}
	if len(ex.Referrals) == 0 {
		return nil, ex.Withheld, nil
	}
	for _, c := range s.Cautions {
		it := b.cautionItem(c)
		ex.Cautions = append(ex.Cautions, ExtractCaution{ID: c.ID, Tier: c.Tier, Label: it.Label, WhatToDo: it.Explanation})
	}
	for _, id := range contactQuestions {
		if _, ok := in.Answers[id]; ok && f.Question(id) != nil {
			ex.Contact = append(ex.Contact, b.extractAnswer(id))
			carried[id] = true
		}
	}
	for id := range in.Answers {
		if !carried[id] {
			ex.Withheld.Answers++
		}
	}
	return ex, ex.Withheld, nil
}

// extractAnswer is a reason or contact need with its value: an answer as
// given, or a finding's value.
func (b *builder) extractAnswer(id string) ExtractAnswer {
	r := b.reason(id)
	a := ExtractAnswer{ID: id, Text: r.Text}
	if q := b.f.Question(id); q != nil {
		a.Label = b.f.T(q.Label, b.lang)
		a.Value = b.ans[id]
	} else if fd := b.byField[id]; fd != nil {
		a.Label = b.elementName(id)
		if !fd.Label.Empty() {
			a.Label = b.f.T(fd.Label, b.lang)
		}
		a.Value = b.s.Get(id)
	} else {
		a.Label = r.Text
	}
	if a.Text == "" {
		a.Text = humanize(id)
	}
	if a.Label == "" {
		a.Label = a.Text
	}
	return a
}

// extractWords returns the page words in the extract's language and the
// interview's date (completed, else created).
func extractWords(f *questionnaire.Flow, ex *Extract) (t func(string, ...string) string, when string) {
	lang := f.Lang(ex.Language)
	t = func(id string, kv ...string) string { return uif(f, lang, id, kv...) }
	when = ex.CreatedAt.UTC().Format("2006-01-02")
	if ex.CompletedAt != nil {
		when = ex.CompletedAt.UTC().Format("2006-01-02")
	}
	return t, when
}

// ExtractText writes an extract for the terminal or a paper referral form.
func ExtractText(w io.Writer, f *questionnaire.Flow, ex *Extract, opt Options) error {
	if f == nil || ex == nil {
		return fmt.Errorf("render: an extract needs a flow and an extract")
	}
	t, when := extractWords(f, ex)
	sep := t("sep")
	p := newPage(w, opt)
	p.title(t("extract_title", "service", ex.ServiceLabel), heading, "=")
	p.blank()
	p.para("! ", "  ", sp(t("extract_note"), strong))
	if ex.WithoutConsent != "" {
		p.para("! ", "  ", sp(t("extract_without_consent")+sep+ex.WithoutConsent, urgent))
	}
	p.blank()
	p.para(t("interview")+sep, "  ", sp(ex.InterviewID, plain))
	p.para(t("extract_location")+sep, "  ", sp(ex.Location, plain))
	p.para(t("extract_date")+sep, "  ", sp(when, plain))
	p.blank()
	p.title(t("referrals"), heading, "-")
	for _, r := range ex.Referrals {
		k := plain
		switch r.Priority {
		case "urgent":
			k = urgent
		case "high":
			k = high
		}
		p.para("* ", "  ", sp(r.Label, strong), sp("("+t("priority."+r.Priority)+")", k))
		if r.Explanation != "" {
			p.para("  ", "  ", sp(r.Explanation, plain))
		}
		p.para("  "+t("extract_consent")+sep, "    ", sp(t("consent_value."+r.Consent), plain))
		for _, b := range r.ConsentBasis {
			p.para("    ", "    ", sp(b, muted))
		}
		for i, a := range r.Reasons {
			first := "    "
			if i == 0 {
				first = "  " + t("why") + sep
			}
			p.para(first, "      ", sp(a.Text, plain))
		}
	}
	if len(ex.Cautions) > 0 {
		p.blank()
		p.title(t("cautions"), heading, "-")
		for _, c := range ex.Cautions {
			p.para("* ", "  ", sp(c.Label, strong))
			if c.WhatToDo != "" {
				p.para("  ", "  ", sp(c.WhatToDo, plain))
			}
		}
	}
	if len(ex.Contact) > 0 {
		p.blank()
		p.title(t("extract_contact"), heading, "-")
		for _, a := range ex.Contact {
			p.para("* ", "  ", sp(a.Text, plain))
		}
	}
	p.blank()
	p.para("", "", sp(t("extract_withheld", "referrals", strconv.Itoa(ex.Withheld.Referrals), "answers", strconv.Itoa(ex.Withheld.Answers)), muted))
	return p.err
}

// ExtractMarkdown writes an extract as a Markdown referral document.
func ExtractMarkdown(w io.Writer, f *questionnaire.Flow, ex *Extract) error {
	if f == nil || ex == nil {
		return fmt.Errorf("render: an extract needs a flow and an extract")
	}
	t, when := extractWords(f, ex)
	sep := t("sep")
	// esc trims the separator's trailing space: put it back, so that a
	// label and its value do not run together ("Location: LOC-9").
	msep := esc(sep)
	if strings.HasSuffix(sep, " ") {
		msep += " "
	}
	m := &md{w: w}
	m.line("# %s", esc(t("extract_title", "service", ex.ServiceLabel)))
	m.line("")
	m.line("> **%s**", esc(t("extract_note")))
	if ex.WithoutConsent != "" {
		m.line(">")
		m.line("> **%s**", esc(t("extract_without_consent")+sep+ex.WithoutConsent))
	}
	m.line("")
	m.line("- %s%s%s", esc(t("interview")), msep, code(ex.InterviewID))
	m.line("- %s%s%s", esc(t("extract_location")), msep, esc(ex.Location))
	m.line("- %s%s%s", esc(t("extract_date")), msep, esc(when))
	m.line("")
	m.line("## %s", esc(t("referrals")))
	m.line("")
	for _, r := range ex.Referrals {
		m.line("- **%s** (%s)", esc(r.Label), esc(t("priority."+r.Priority)))
		if r.Explanation != "" {
			m.line("  %s", esc(r.Explanation))
		}
		m.line("  - %s%s%s", esc(t("extract_consent")), msep, esc(t("consent_value."+r.Consent)))
		for _, b := range r.ConsentBasis {
			m.line("    - %s", esc(b))
		}
		for _, a := range r.Reasons {
			m.line("  - %s%s%s", esc(t("why")), msep, esc(a.Text))
		}
	}
	if len(ex.Cautions) > 0 {
		m.line("")
		m.line("## %s", esc(t("cautions")))
		m.line("")
		for _, c := range ex.Cautions {
			if c.WhatToDo != "" {
				m.line("- **%s**%s%s", esc(c.Label), msep, esc(c.WhatToDo))
			} else {
				m.line("- **%s**", esc(c.Label))
			}
		}
	}
	if len(ex.Contact) > 0 {
		m.line("")
		m.line("## %s", esc(t("extract_contact")))
		m.line("")
		for _, a := range ex.Contact {
			m.line("- %s", esc(a.Text))
		}
	}
	m.line("")
	m.line("_%s_", esc(t("extract_withheld", "referrals", strconv.Itoa(ex.Withheld.Referrals), "answers", strconv.Itoa(ex.Withheld.Answers))))
	return m.err
}

// ruleSources are the expressions a referral's rule is written in.
func ruleSources(def *questionnaire.Referral) []string {
	if def == nil {
		return nil
	}
	var out []string
	add := func(e *questionnaire.Expr) {
		if e != nil {
			out = append(out, e.Src)
		}
	}
	add(def.When)
	for _, c := range def.Priority {
		add(c.When)
	}
	if def.BestInterests != nil {
		add(def.BestInterests.When)
	}
	return out
}

// ruleValues keeps, of a list answer given as a reason, only the values
// the referral's rule names (needs has safe_accommodation: a shelter
// learns of that need, not of the others). A rule that names none of
// them (one that counts them, say) is about the whole answer, which is
// then kept.
func (b *builder) ruleValues(id string, a ExtractAnswer, srcs []string) (any, string) {
	list, ok := a.Value.([]string)
	q := b.f.Question(id)
	if !ok || q == nil || len(list) < 2 {
		return a.Value, a.Text
	}
	var keep []string
	for _, v := range list {
		for _, src := range srcs {
			if strings.Contains(src, `"`+v+`"`) || strings.Contains(src, `'`+v+`'`) {
				keep = append(keep, v)
				break
			}
		}
	}
	if len(keep) == 0 || len(keep) == len(list) {
		return a.Value, a.Text
	}
	parts := make([]string, len(keep))
	for i, v := range keep {
		parts[i] = valueLabel(b.f, b.lang, q, v)
	}
	return keep, Clean(b.pair(b.f.T(q.Label, b.lang), strings.Join(parts, ", ")))
}
