package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"fieldscreen/questionnaire"
)

// adultSGBV is an adult refugee in the destination country, trafficked
// into sexual exploitation, who experienced sexual violence recently,
// facing removal, who agrees to legal help and health care only. The
// free-text answers are markers, so that a leak is found exactly.
func adultSGBV() questionnaire.Answers {
	return questionnaire.Answers{
		"consent": "yes", "interview_private": "yes", "immediate_danger": "no", "urgent_medical_need": "no",
		"age": 34, "may_be_child": "no", "gender": "female", "country_of_origin": "MARKER-ORIGIN-COUNTRY",
		"has_nationality": "yes", "present_in": "destination_country", "fled_conflict_or_violence": "no",
		"ever_exploited": "yes", "trafficking_act": []string{"recruited", "transported"},
		"trafficking_means": []string{"deception", "debt_bondage_means_not_a_choice"}[:1],
		"exploitation":      []string{"sexual_exploitation"}, "exploitation_where": "abroad", "under_18_at_start": "no",
		"labour_indicators": []string{"retention_of_documents"}, "family_involved": "no", "still_under_control": "no",
		"identified_as_trafficking_victim": "no", "fears_return": "yes", "past_serious_harm": "yes",
		"feared_harm": []string{"re_trafficking"}, "feared_by": []string{"traffickers"},
		"targeted_because": []string{"being_a_woman_or_girl"}, "state_protection": "unable",
		"experienced_sgbv": "yes", "sgbv_recent": "yes", "risk_factors": []string{"no_documents"},
		"threat_in_host_country": "no", "stigmatised_in_host": "yes", "trauma_affecting_recovery": "no",
		"asylum_status": "not_applied", "knows_right_to_asylum": "no", "deportation_risk": "yes",
		"involved_in_legal_proceedings": "no", "fears_retaliation_if_reporting": "yes", "authorities_informed": "no",
		"needs": []string{"legal_aid", "medical"}, "interpreter_needed": "yes", "preferred_language": "MARKER-LANGUAGE",
		"can_read": "no", "wishes_to_return": "no", "referral_consent": []string{"asylum_and_legal", "health"},
	}
}

// unaccompaniedChild is a girl of 15 without her parents, who agrees to
// no referral: child protection goes ahead on her best interests.
func unaccompaniedChild() questionnaire.Answers {
	return questionnaire.Answers{
		"consent": "yes", "interview_private": "yes", "immediate_danger": "no", "urgent_medical_need": "no",
		"age": 15, "gender": "female", "unaccompanied": "yes", "child_married": "no",
		"consent_given_by": "the_child", "child_assent": "yes", "country_of_origin": "MARKER-CHILD-ORIGIN",
		"has_nationality": "yes", "present_in": "destination_country", "fled_conflict_or_violence": "no",
		"armed_group_association": "no", "ever_exploited": "no", "identified_as_trafficking_victim": "no",
		"fears_being_trafficked": "no", "fears_trafficking_here": "no", "fears_return": "no", "past_serious_harm": "no",
		"experienced_sgbv": "no", "risk_factors": []string{"none"}, "threat_in_host_country": "no",
		"asylum_status": "not_applied", "knows_right_to_asylum": "yes", "deportation_risk": "no",
		"needs": []string{"family_tracing"}, "interpreter_needed": "no", "preferred_language": "MARKER-CHILD-LANGUAGE",
		"can_read": "yes", "wishes_to_return": "undecided", "referral_consent": []string{"none"},
	}
}

func extractOf(t *testing.T, f *questionnaire.Flow, ans questionnaire.Answers, service string, opt ExtractOptions) (*Extract, ExtractWithheld) {
	t.Helper()
	s, err := f.Score(ans)
	if err != nil {
		t.Fatal(err)
	}
	created := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	in := ExtractInput{InterviewID: "0f6d8f4e-1111-4222-8333-944455556666", Location: "MARKER-LOCATION", Language: "en",
		CreatedAt: created, Answers: ans}
	ex, w, err := BuildExtract(f, s, in, service, opt)
	if err != nil {
		t.Fatal(err)
	}
	return ex, w
}

// renderings are the extract as JSON, text and Markdown.
func renderings(t *testing.T, f *questionnaire.Flow, ex *Extract) map[string]string {
	t.Helper()
	js, err := json.Marshal(ex)
	if err != nil {
		t.Fatal(err)
	}
	var txt, mdown bytes.Buffer
	if err := ExtractText(&txt, f, ex, Options{Width: 100}); err != nil {
		t.Fatal(err)
	}
	if err := ExtractMarkdown(&mdown, f, ex); err != nil {
		t.Fatal(err)
	}
	return map[string]string{"json": string(js), "text": txt.String(), "markdown": mdown.String()}
}

// generic values say nothing on their own and are shared by many
// questions (yes, no, declined...): a scan for them would find the
// carried answers'.
var genericValues = []string{"yes", "no", "declined", "dont_know", "none", "other"}

// TestExtractHoldsNoOtherAnswer scans every extract of the scenarios, for
// every service and with and without consent, for every answer it does
// not carry as a reason or contact need: neither the answer's value nor
// the words for it (its choices' labels) may appear, except inside a text
// of the flow the extract carries anyway (a referral's or caution's
// label and explanation, which are the same for everyone).
func TestExtractHoldsNoOtherAnswer(t *testing.T) {
	f := current(t)
	scenarios := map[string]questionnaire.Answers{"adult_sgbv": adultSGBV(), "unaccompanied_child": unaccompaniedChild()}
	for _, sc := range scenariosBuiltin {
		scenarios[sc.name] = sc.answers
	}
	extracts := 0
	for _, name := range slices.Sorted(maps.Keys(scenarios)) {
		ans := scenarios[name]
		for _, service := range FlowServices(f) {
			for _, opt := range []ExtractOptions{{}, {WithoutConsent: "court order 12/2026"}} {
				ex, _ := extractOf(t, f, ans, service, opt)
				if ex == nil {
					continue
				}
				extracts++
				// carried: the values of each answer the extract carries.
				carried := map[string][]string{}
				var flowTexts []string
				carry := func(a ExtractAnswer) {
					carried[a.ID] = append(carried[a.ID], valueStrings(a.Value)...)
					if a.Value == nil {
						carried[a.ID] = append(carried[a.ID], "") // a finding or derived fact: no answer
					}
				}
				for _, r := range ex.Referrals {
					flowTexts = append(flowTexts, r.Label, r.Explanation)
					flowTexts = append(flowTexts, r.ConsentBasis...)
					for _, a := range r.Reasons {
						carry(a)
					}
				}
				for _, c := range ex.Cautions {
					flowTexts = append(flowTexts, c.Label, c.WhatToDo)
				}
				for _, a := range ex.Contact {
					carry(a)
				}
				flowTexts = append(flowTexts, ex.ServiceLabel)
				inFlowText := func(s string) bool {
					for _, ft := range flowTexts {
						if strings.Contains(strings.ToLower(ft), strings.ToLower(s)) {
							return true
						}
					}
					return false
				}
				for form, out := range renderings(t, f, ex) {
					lower := strings.ToLower(out)
					for id, v := range ans {
						q := f.Question(id)
						for _, val := range valueStrings(v) {
							if slices.Contains(carried[id], val) || slices.Contains(genericValues, val) {
								continue
							}
							if id == f.ReferralConsentQuestion && val == ex.Service {
								continue // the service the extract is for
							}
							if containsWord(lower, strings.ToLower(val)) && !inFlowText(val) {
								t.Errorf("%s, %s extract (%+v), %s: the answer to %s (%q) is in it:\n%s", name, service, opt, form, id, val, out)
							}
							if q == nil {
								continue
							}
							if c := q.Choice(val); c != nil && !c.Label.Empty() {
								label := f.T(c.Label, "en")
								if strings.Contains(lower, strings.ToLower(label)) && !inFlowText(label) {
									t.Errorf("%s, %s extract (%+v), %s: the answer to %s (%q, %q) is in it:\n%s", name, service, opt, form, id, val, label, out)
								}
							}
						}
					}
				}
			}
		}
	}
	if extracts < 6 {
		t.Fatalf("only %d extracts were made: the scan proves little", extracts)
	}
}

// valueStrings are an answer's values as text; numbers are left out
// ("34" is in too many dates and counts to tell).
func valueStrings(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []string:
		return x
	}
	return nil
}

// containsWord reports whether s holds w with no letter, digit or
// underscore on either side (no_livelihood does not hold livelihood).
func containsWord(s, w string) bool {
	isWord := func(b byte) bool {
		return b == '_' || b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b >= 'A' && b <= 'Z'
	}
	for i := 0; ; {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return false
		}
		j += i
		end := j + len(w)
		if (j == 0 || !isWord(s[j-1])) && (end == len(s) || !isWord(s[end])) {
			return true
		}
		i = j + 1
	}
}

func TestExtractConsent(t *testing.T) {
	f := current(t)
	ans := adultSGBV()

	// Legal aid: agreed to; its reasons are labels and answers.
	legal, w := extractOf(t, f, ans, "asylum_and_legal", ExtractOptions{})
	if legal == nil || len(legal.Referrals) == 0 || w.Referrals != 0 {
		t.Fatalf("asylum_and_legal extract %+v, withheld %+v", legal, w)
	}
	for _, r := range legal.Referrals {
		if r.Consent != questionnaire.ConsentGiven {
			t.Errorf("referral %s consent %s", r.ID, r.Consent)
		}
	}
	ids := func(as []ExtractAnswer) []string {
		var out []string
		for _, a := range as {
			out = append(out, a.ID)
		}
		return out
	}
	if got := ids(legal.Contact); !slices.Equal(got, contactQuestions) {
		t.Errorf("contact needs %v, want %v", got, contactQuestions)
	}
	if !strings.Contains(renderings(t, f, legal)["text"], "MARKER-LANGUAGE") {
		t.Error("the preferred language is not in the extract")
	}
	if legal.Withheld.Answers == 0 || legal.Withheld.Answers >= len(ans) {
		t.Errorf("withheld answers %d of %d", legal.Withheld.Answers, len(ans))
	}
	for _, c := range legal.Cautions {
		if c.WhatToDo == "" || c.Label == "" {
			t.Errorf("caution %s without words: %+v", c.ID, c)
		}
	}

	// GBV services: not agreed to, so withheld and counted.
	gbv, w := extractOf(t, f, ans, "gbv_services", ExtractOptions{})
	if gbv != nil || w.Referrals != 1 {
		t.Fatalf("gbv_services without consent: %+v, withheld %+v; want nothing, 1 withheld", gbv, w)
	}
	// ... unless a reason is given, which the extract records.
	gbv, _ = extractOf(t, f, ans, "gbv_services", ExtractOptions{WithoutConsent: "life at risk"})
	if gbv == nil || gbv.WithoutConsent != "life at risk" || gbv.Referrals[0].Consent != questionnaire.ConsentNotGiven {
		t.Fatalf("gbv_services with --without-consent: %+v", gbv)
	}
	if !strings.Contains(renderings(t, f, gbv)["markdown"], "WITHOUT the person's agreement") {
		t.Error("the Markdown extract does not say it is shared without consent")
	}

	// A child's urgent child-protection referral goes on her best
	// interests, with its basis; family tracing, not agreed to, does not.
	cp, w := extractOf(t, f, unaccompaniedChild(), "child_protection", ExtractOptions{})
	if cp == nil || len(cp.Referrals) != 1 || cp.Referrals[0].Consent != questionnaire.ConsentBestInterests || cp.Referrals[0].Priority != "urgent" {
		t.Fatalf("child_protection extract %+v", cp)
	}
	if len(cp.Referrals[0].ConsentBasis) < 2 {
		t.Errorf("best-interests referral without its basis: %v", cp.Referrals[0].ConsentBasis)
	}
	if ft, w := extractOf(t, f, unaccompaniedChild(), "family_tracing", ExtractOptions{}); ft != nil || w.Referrals != 1 {
		t.Fatalf("family_tracing without consent: %+v, %+v", ft, w)
	}
	_ = w

	// Of a list answer, a reason carries only the values the rule names:
	// the shelter learns of the need for a safe place, not of the others.
	var inCountry questionnaire.Answers
	for _, sc := range scenariosBuiltin {
		if sc.name == "in_country_fears_traffickers" {
			inCountry = sc.answers
		}
	}
	shelter, _ := extractOf(t, f, inCountry, "shelter_and_safety", ExtractOptions{})
	if shelter == nil {
		t.Fatal("no shelter extract for in_country_fears_traffickers")
	}
	for _, a := range shelter.Referrals[0].Reasons {
		if a.ID == "needs" {
			if got := fmt.Sprint(a.Value); got != "[safe_accommodation]" || strings.Contains(a.Text, "income") {
				t.Errorf("needs as a shelter's reason: %s (%q), want [safe_accommodation] alone", got, a.Text)
			}
		}
	}

	// A service the flow does not have is an error naming it.
	s, _ := f.Score(ans)
	if _, _, err := BuildExtract(f, s, ExtractInput{Answers: ans}, "pizza", ExtractOptions{}); err == nil || !strings.Contains(err.Error(), `"pizza"`) {
		t.Fatalf("unknown service: %v", err)
	}
}

func TestExtractFrench(t *testing.T) {
	f := current(t)
	ex, _ := extractOf(t, f, adultSGBV(), "asylum_and_legal", ExtractOptions{})
	ex.Language = "fr"
	var b bytes.Buffer
	if err := ExtractText(&b, f, ex, Options{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "extrait limité au nécessaire") {
		t.Fatalf("French page words missing:\n%s", b.String())
	}
}

// TestExtractMarkdownSpacesAfterLabels: a paper referral form reads
// "Location: MARKER-LOCATION", not "Location:MARKER-LOCATION"; in French,
// with the no-break space before the colon and a space after it.
func TestExtractMarkdownSpacesAfterLabels(t *testing.T) {
	f := current(t)
	ex, _ := extractOf(t, f, adultSGBV(), "asylum_and_legal", ExtractOptions{})
	for lang, want := range map[string][]string{
		"en": {"- Location: MARKER-LOCATION", "  - Consent: ", "  - Why: "},
		"fr": {"- Lieu\u00a0: MARKER-LOCATION", "  - Consentement\u00a0: ", "  - Pourquoi\u00a0: "},
	} {
		ex.Language = lang
		var b bytes.Buffer
		if err := ExtractMarkdown(&b, f, ex); err != nil {
			t.Fatal(err)
		}
		for _, w := range want {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%s: no %q in:\n%s", lang, w, b.String())
			}
		}
	}
}
