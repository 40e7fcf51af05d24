package render

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"testing"

	"fieldscreen/questionnaire"
)

// flow2 is a small flow in testdata with what flow 2.0 added to the flow
// language (services and consent to referral, caution tiers, translated
// citations, conditional explanations, observations, labels on derived
// values), so the human summary's 2.0 layout is tested whatever state the
// built-in flow is in.
func flow2(t *testing.T) *questionnaire.Flow {
	t.Helper()
	src, err := os.ReadFile("testdata/flow2.yaml")
	if err != nil {
		t.Fatal(err)
	}
	f, err := questionnaire.Load("testdata/flow2.yaml", src)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

var scenarios2 = []struct {
	name    string
	answers questionnaire.Answers
}{
	{
		// A man facing removal who said he was forced and is still in
		// contact with those who forced him, then declined the details;
		// he agreed to anti-trafficking services and health care only.
		name: "disclosure_facing_removal",
		answers: questionnaire.Answers{
			"consent": "yes", "age": 31, "may_be_child": "no", "present_in": "destination_country",
			"ever_exploited": "yes", "exploitation": "declined", "still_under_control": "yes",
			"fears_return": "yes", "targeted_because": "declined", "sgbv_recent": "no",
			"asylum_status": "applied_pending", "deportation_risk": "yes",
			"authorities_informed": "no", "interpreter_needed": "yes",
			"referral_consent": []string{"anti_trafficking", "health"},
		},
	},
	{
		// A girl of 15, detained, who was sexually assaulted four days ago;
		// she fears return because she is a girl, and declined to say which
		// services she agrees to.
		name: "child_recent_sexual_violence",
		answers: questionnaire.Answers{
			"consent": "yes", "age": 15, "present_in": "destination_country",
			"ever_exploited": "no", "fears_return": "yes", "targeted_because": []string{"being_a_woman_or_girl"},
			"sgbv_recent": "yes", "asylum_status": "not_applied", "deportation_risk": "yes",
			"interpreter_needed": "no", "referral_consent": "declined",
		},
	},
	{
		// A woman in her own country who does not know how to describe what
		// happened to her; she wants no referral.
		name: "in_country_not_known",
		answers: questionnaire.Answers{
			"consent": "yes", "age": 40, "may_be_child": "no", "present_in": "origin_country",
			"ever_exploited": "dont_know", "sgbv_recent": "no", "authorities_informed": "dont_know",
			"interpreter_needed": "no", "referral_consent": []string{"none"},
		},
	},
	{
		name:    "not_screened",
		answers: questionnaire.Answers{"consent": "no"},
	},
}

func scenario2(t *testing.T, name string) (questionnaire.Answers, *questionnaire.Summary) {
	t.Helper()
	f := flow2(t)
	for _, sc := range scenarios2 {
		if sc.name == name {
			return sc.answers, score(t, f, sc.name, sc.answers)
		}
	}
	t.Fatalf("no scenario %s", name)
	return nil, nil
}

// bracketed and coded are where an ID may stand in text for people:
// in brackets after a label, or as code in Markdown.
var (
	bracketed = regexp.MustCompile(`\[[a-z0-9_]+\]`)
	coded     = regexp.MustCompile("`[a-z0-9_]+`")
)

// checkNoBareIDs fails when an ID of the flow (one a person could not
// mistake for a word: with an underscore) stands outside brackets.
func checkNoBareIDs(t *testing.T, name string, f *questionnaire.Flow, out string) {
	t.Helper()
	text := coded.ReplaceAllString(bracketed.ReplaceAllString(out, ""), "")
	text = strings.ReplaceAll(text, `\_`, "_") // Markdown escapes
	var ids []string
	for _, q := range f.Questions {
		ids = append(ids, q.ID)
		for _, c := range q.Choices {
			ids = append(ids, c.Value)
		}
	}
	for _, d := range f.Derived {
		ids = append(ids, d.ID)
	}
	for _, fd := range f.Findings {
		ids = append(ids, fd.ID, fd.Field)
		for _, c := range fd.Cases {
			if s, ok := c.Value.(string); ok {
				ids = append(ids, s)
			}
		}
	}
	for _, r := range f.Referrals {
		ids = append(ids, r.ID)
	}
	for _, c := range f.Cautions {
		ids = append(ids, c.ID)
	}
	for _, tr := range f.CautionTiers {
		ids = append(ids, tr.ID)
	}
	ids = append(ids, questionnaire.ConsentValues...)
	var alt []string
	for _, id := range ids {
		if strings.Contains(id, "_") {
			alt = append(alt, regexp.QuoteMeta(id))
		}
	}
	re := regexp.MustCompile(`\b(` + strings.Join(alt, "|") + `)\b`)
	for _, m := range re.FindAllString(text, -1) {
		t.Errorf("%s: bare ID %q in text for people", name, m)
	}
}

func TestSummary2Goldens(t *testing.T) {
	f := flow2(t)
	for _, sc := range scenarios2 {
		s := score(t, f, sc.name, sc.answers)
		for _, lang := range []string{"en", "fr", "es"} {
			t.Run(sc.name+"/"+lang, func(t *testing.T) {
				var plain, color, mdown bytes.Buffer
				opt := Options{Width: 80, Answers: sc.answers}
				if err := Summary(&plain, f, s, lang, opt); err != nil {
					t.Fatal(err)
				}
				opt.Color = true
				if err := Summary(&color, f, s, lang, opt); err != nil {
					t.Fatal(err)
				}
				if err := SummaryMarkdown(&mdown, f, s, lang, Options{Answers: sc.answers}); err != nil {
					t.Fatal(err)
				}
				checkPlain(t, "summary", plain.Bytes(), 80)
				if got := ansiSeq.ReplaceAllString(color.String(), ""); got != plain.String() {
					t.Errorf("colour summary without its escapes differs from the plain one:\n%s", got)
				}
				if !strings.Contains(squash(plain.String()), squash(f.T(f.Disclaimer, lang))) {
					t.Error("the summary lacks the disclaimer")
				}
				// The interview ID is the test's own, made of the scenario's name.
				checkNoBareIDs(t, "text", f, strings.ReplaceAll(plain.String(), s.InterviewID, ""))
				checkNoBareIDs(t, "markdown", f, strings.ReplaceAll(mdown.String(), s.InterviewID, ""))
				for _, w := range []int{40, 60} {
					var narrow bytes.Buffer
					if err := Summary(&narrow, f, s, lang, Options{Width: w, Answers: sc.answers}); err != nil {
						t.Fatal(err)
					}
					checkPlain(t, "narrow summary", narrow.Bytes(), w)
					if squash(narrow.String()) != squash(plain.String()) && !strings.Contains(plain.String(), "===") {
						t.Errorf("width %d changes the words", w)
					}
				}
				golden(t, "summary2_"+sc.name+"."+lang+".txt", plain.Bytes())
				golden(t, "summary2_"+sc.name+"."+lang+".md", mdown.Bytes())
			})
		}
	}
}

// The order of the human summary: headline, act now, the other referrals,
// safeguards, how to interview, consent, solutions, information gaps.
func TestSummary2Order(t *testing.T) {
	f := flow2(t)
	ans, s := scenario2(t, "disclosure_facing_removal")
	var b bytes.Buffer
	if err := Summary(&b, f, s, "en", Options{Width: 100, Answers: ans}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	order := []string{"URGENT REFERRAL", "\nAct now\n", "Non-refoulement", "\nReferrals\n", "\nCommunication needs\n",
		"\nSafeguards\n", "\nConsent\n", "\nWhat the answers show\n", "\nInformation gaps\n", "\nBasis\n"}
	last := -1
	for _, w := range order {
		i := strings.Index(out, w)
		if i < 0 {
			t.Fatalf("the summary lacks %q:\n%s", w, out)
		}
		if i < last {
			t.Errorf("%q comes too early", w)
		}
		last = i
	}
	act := out[strings.Index(out, "\nAct now\n"):strings.Index(out, "\nReferrals\n")]
	for _, w := range []string{
		"URGENT — Anti-trafficking services Refer for identification",
		"URGENT — Asylum and legal help: Asylum procedure",
		// The explanation that fits the stage of the procedure.
		"make sure the trafficking elements are before the decision-maker",
		"Are you still controlled by, or in contact with, those people? Yes [still_under_control]",
		"Confidentiality and risk of retaliation",
	} {
		if !strings.Contains(squash(act), w) {
			t.Errorf("the act-now block lacks %q:\n%s", w, act)
		}
	}
	consent := out[strings.Index(out, "\nConsent\n"):strings.Index(out, "\nWhat the answers show\n")]
	for _, w := range []string{
		"Services agreed to: Anti-trafficking services",
		"Services not agreed to: Asylum and legal help",
		"Telling the police, prosecutors or immigration: not agreed",
		"No report to the authorities without consent", "Consent before referral",
	} {
		if !strings.Contains(squash(consent), w) {
			t.Errorf("the consent block lacks %q:\n%s", w, consent)
		}
	}
	// The consent cautions appear only there; the interpreter is a
	// communication need, not a referral.
	if strings.Count(out, "Consent before referral") != 1 || strings.Count(out, "No report to the authorities") != 1 {
		t.Error("a consent caution appears outside the consent block")
	}
	if strings.Contains(out, "— Interpreter") {
		t.Error("the interpreter is shown as a referral")
	}
	// The legal aid referral is high, with the asylum procedure's service.
	if !strings.Contains(out, "* High priority — Asylum and legal help: Legal aid") {
		t.Errorf("the legal aid referral is not grouped by service:\n%s", out)
	}
	// Declined grounds read "not known", never "none".
	if !strings.Contains(out, "Possible Convention grounds: not known") {
		t.Errorf("declined grounds do not read \"not known\":\n%s", out)
	}
}

func TestSummary2Words(t *testing.T) {
	f := flow2(t)
	ans, s := scenario2(t, "child_recent_sexual_violence")
	var en, fr, es bytes.Buffer
	for lang, b := range map[string]*bytes.Buffer{"en": &en, "fr": &fr, "es": &es} {
		if err := Summary(b, f, s, lang, Options{Width: 80, Answers: ans}); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		lang string
		out  string
		want []string
	}{
		{"en", en.String(), []string{
			"Referred on the child's best interests without consent", "Child protection",
			"Consent not known for: Asylum and legal help; Health care",
			"Telling the police, prosecutors or immigration: not asked",
			"Post-exposure prophylaxis works within 72 hours",
			"Fear of return stated: yes", "Possible Convention grounds: particular social group",
			"Purpose of exploitation described: no",
			"How to interview", "May be a child",
		}},
		{"fr", fr.String(), []string{
			"Protocole de Palerme (2000), art. 3", "Convention de 1951 relative au statut des réfugiés, art. 33",
			"Principes directeurs sur la protection internationale n° 7 du HCR (2006)",
			"Pourquoi\u00a0:", "Crainte en cas de retour exprimée\u00a0: oui", "appartenance à un certain groupe social",
			"Informer la police, le parquet ou les services de l'immigration\u00a0: question non posée",
			"Comment mener l'entretien", "À faire immédiatement",
		}},
		{"es", es.String(), []string{
			"Protocolo de Palermo (2000), art. 3", "Convención sobre el Estatuto de los Refugiados de 1951, art. 33",
			"Directrices sobre protección internacional n.º 7 del ACNUR (2006)",
			"Por qué:", "Temor al retorno expresado: sí", "Cómo entrevistar", "Actuar ahora",
			"¿Alguien le agredió sexualmente en los últimos 5 días? Sí [sgbv_recent]",
		}},
	} {
		for _, w := range tc.want {
			if !strings.Contains(squash(tc.out), squash(w)) {
				t.Errorf("the %s summary lacks %q\n%s", tc.lang, w, tc.out)
			}
		}
	}
	for _, en := range []string{"Why:", "Basis:", "Palermo Protocol", "1951 Convention relating", "Act now", "not asked"} {
		if strings.Contains(fr.String(), en) || strings.Contains(es.String(), en) {
			t.Errorf("a translated summary still says %q", en)
		}
	}
}

func TestSummary2NotScreened(t *testing.T) {
	f := flow2(t)
	ans, s := scenario2(t, "not_screened")
	for _, lang := range []string{"en", "fr", "es"} {
		var txt, mdown bytes.Buffer
		if err := Summary(&txt, f, s, lang, Options{Width: 60, Answers: ans}); err != nil {
			t.Fatal(err)
		}
		if err := SummaryMarkdown(&mdown, f, s, lang, Options{Answers: ans}); err != nil {
			t.Fatal(err)
		}
		for _, out := range []string{txt.String(), mdown.String()} {
			for _, w := range []string{squash(f.T(f.Disclaimer, lang)), squash(ui(f, lang, "not_screened_help")),
				squash(ui(f, lang, "not_screened_child")), strings.ToUpper(ui(f, lang, "help_title")[:1])} {
				if !strings.Contains(squash(out), w) {
					t.Errorf("%s: the not-screened summary lacks %q:\n%s", lang, w, out)
				}
			}
			for _, id := range []string{"referrals", "info_gaps", "basis", "findings", "solutions", "cautions", "consent_block"} {
				if strings.Contains(out, "\n"+ui(f, lang, id)+"\n") || strings.Contains(out, "## "+ui(f, lang, id)+"\n") {
					t.Errorf("%s: the not-screened summary has a %s section:\n%s", lang, id, out)
				}
			}
		}
	}
}

func TestFlowObservation(t *testing.T) {
	f := flow2(t)
	for _, lang := range []string{"en", "fr", "es"} {
		var txt, mdown bytes.Buffer
		if err := Flow(&txt, f, lang, Options{Width: 80}); err != nil {
			t.Fatal(err)
		}
		if err := FlowMarkdown(&mdown, f, lang); err != nil {
			t.Fatal(err)
		}
		word := ui(f, lang, "observation")
		if n := strings.Count(txt.String(), word); n != 2 {
			t.Errorf("%s: %d questions marked as observations on paper, want 2 (may_be_child, present_in)", lang, n)
		}
		if n := strings.Count(mdown.String(), esc(word)); n != 2 {
			t.Errorf("%s: %d questions marked as observations in Markdown, want 2", lang, n)
		}
		// The mark stands right under the question it belongs to.
		label := f.T(f.Question("present_in").Label, lang)
		if !strings.Contains(txt.String(), label+"\n    "+word) {
			t.Errorf("%s: the observation mark is not under its question:\n%s", lang, txt.String())
		}
	}
}
