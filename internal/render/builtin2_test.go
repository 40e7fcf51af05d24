package render

import (
	"bytes"
	"strings"
	"testing"

	"fieldscreen/questionnaire"
)

// current returns the built-in flow as it is now (2.0.0 or later).
func current(t *testing.T) *questionnaire.Flow {
	t.Helper()
	f, err := questionnaire.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(f.Version, "2.") {
		t.Skipf("the built-in flow is %s; these scenarios are written for 2.x", f.Version)
	}
	return f
}

// scenariosBuiltin are interviews on the built-in flow 2.0, like those of
// the protection review (review-2.0.md).
var scenariosBuiltin = []struct {
	name    string
	answers questionnaire.Answers
}{
	{
		// A man facing removal next week who said "I was forced to work"
		// and "I am afraid to go back", then declined the details.
		name: "forced_declined_details_facing_removal",
		answers: questionnaire.Answers{
			"consent": "yes", "interview_private": "yes", "immediate_danger": "no", "urgent_medical_need": "no",
			"age": 29, "may_be_child": "no", "gender": "male", "country_of_origin": "Bangladesh",
			"has_nationality": "yes", "present_in": "destination_country", "fled_conflict_or_violence": "no",
			"armed_group_association": "no", "ever_exploited": "yes",
			"trafficking_act": "declined", "trafficking_means": "declined", "exploitation": "declined",
			"exploitation_where": "declined", "under_18_at_start": "no", "labour_indicators": "declined",
			"family_involved": "declined", "still_under_control": "declined", "identified_as_trafficking_victim": "no",
			"fears_return": "yes", "past_serious_harm": "declined",
			"feared_harm": "declined", "feared_by": "declined", "targeted_because": "declined", "state_protection": "declined",
			"experienced_sgbv": "declined", "risk_factors": []string{"no_documents", "used_smugglers"},
			"threat_in_host_country": "no", "stigmatised_in_host": "no", "trauma_affecting_recovery": "no",
			"asylum_status": "not_applied", "knows_right_to_asylum": "no", "deportation_risk": "yes",
			"involved_in_legal_proceedings": "no", "fears_retaliation_if_reporting": "yes", "authorities_informed": "no",
			"needs": []string{"legal_aid"}, "interpreter_needed": "yes", "preferred_language": "Bengali", "can_read": "yes",
			"wishes_to_return": "no", "referral_consent": []string{"asylum_and_legal"},
		},
	},
	{
		// A woman in her own country who fears the traffickers who
		// approached her.
		name: "in_country_fears_traffickers",
		answers: questionnaire.Answers{
			"consent": "yes", "interview_private": "yes", "immediate_danger": "no", "urgent_medical_need": "no",
			"age": 24, "may_be_child": "no", "gender": "female", "country_of_origin": "Moldova",
			"has_nationality": "yes", "present_in": "origin_country", "feels_unsafe_where_living": "yes",
			"fled_conflict_or_violence": "no", "ever_exploited": "no", "identified_as_trafficking_victim": "no",
			"fears_being_trafficked": "yes", "past_serious_harm": "no",
			"feared_harm": []string{"re_trafficking", "threats_to_life_or_freedom"}, "feared_by": []string{"traffickers"},
			"targeted_because": []string{"being_a_woman_or_girl"}, "state_protection": "unwilling",
			"experienced_sgbv": "no", "risk_factors": []string{"approached_by_recruiters", "no_livelihood"},
			"needs": []string{"safe_accommodation", "livelihood"}, "interpreter_needed": "no", "preferred_language": "Romanian",
			"can_read": "yes", "referral_consent": []string{"anti_trafficking", "shelter_and_safety", "in_country_protection"},
		},
	},
	{
		name:    "not_screened",
		answers: questionnaire.Answers{"consent": "no"},
	},
}

func TestSummaryBuiltin2(t *testing.T) {
	f := current(t)
	for _, sc := range scenariosBuiltin {
		ans := sc.answers.Clone()
		if _, err := f.Prune(ans); err != nil {
			t.Fatal(err)
		}
		s := score(t, f, sc.name, ans)
		for _, lang := range []string{"en", "fr", "es"} {
			t.Run(sc.name+"/"+lang, func(t *testing.T) {
				var plain, mdown bytes.Buffer
				if err := Summary(&plain, f, s, lang, Options{Width: 80, Answers: ans}); err != nil {
					t.Fatal(err)
				}
				if err := SummaryMarkdown(&mdown, f, s, lang, Options{Answers: ans}); err != nil {
					t.Fatal(err)
				}
				checkPlain(t, "summary", plain.Bytes(), 80)
				checkNoBareIDs(t, "text", f, strings.ReplaceAll(plain.String(), s.InterviewID, ""))
				checkNoBareIDs(t, "markdown", f, strings.ReplaceAll(mdown.String(), s.InterviewID, ""))
				for _, conclusion := range []string{"Well-founded fear", "Victim of trafficking", "Trafficked abroad"} {
					if strings.Contains(plain.String(), conclusion) {
						t.Errorf("the summary states a legal conclusion: %q", conclusion)
					}
				}
				golden(t, "summary_builtin2_"+sc.name+"."+lang+".txt", plain.Bytes())
				golden(t, "summary_builtin2_"+sc.name+"."+lang+".md", mdown.Bytes())
			})
		}
	}
}

// The paper questionnaire marks every observation "do not read aloud".
func TestFlowBuiltin2Observations(t *testing.T) {
	f := current(t)
	want := 0
	for _, q := range f.Questions {
		if q.Observation {
			want++
		}
	}
	if want == 0 {
		t.Fatal("the built-in flow marks no question as an observation")
	}
	for _, lang := range []string{"en", "fr", "es"} {
		var b bytes.Buffer
		if err := Flow(&b, f, lang, Options{Width: 80}); err != nil {
			t.Fatal(err)
		}
		checkPlain(t, "flow "+lang, b.Bytes(), 80)
		if n := strings.Count(b.String(), ui(f, lang, "observation")); n != want {
			t.Errorf("%s: %d observations marked on paper, want %d", lang, n, want)
		}
	}
}
