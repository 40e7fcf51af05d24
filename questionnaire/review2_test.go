package questionnaire

import "testing"

// The cases of the protection review that led to 2.0
// (/work/shared/domain/review-2.0.md), each as the review tells it, checked
// against the 2.0 rules that answer it.

// Review point 1: a woman in a displacement camp in her own country, who
// fears recruiters, got "no protection indicators" from 1.0.
func TestReviewCampWomanFearsRecruiters(t *testing.T) {
	f := builtin2(t)
	runSpec2Case(t, f, spec2Case{
		ans: profile2(origin2, with{
			"gender":                 "female",
			"fears_being_trafficked": "yes",
			"feared_harm":            []string{"re_trafficking", "sexual_or_gender_based_violence"},
			"feared_by":              []string{"traffickers"},
			"targeted_because":       []string{"being_a_woman_or_girl"},
			"state_protection":       "unable",
			"risk_factors":           []string{"lives_in_camp_or_reception", "approached_by_recruiters"},
		}),
		want: map[string]any{"outcome": "refer_for_protection", "situation": "in_country_of_origin",
			"refugee_protection.level": "not_applicable", "refugee_protection.elements.outside": false,
			"solutions.voluntary_repatriation": "not_applicable"},
		refs: map[string]string{"internal_protection": "high", "trafficking_prevention": "high", "asylum_procedure": ""},
		cauts: map[string]bool{"gender_sensitive_procedures": true, "repatriation_not_suitable": false,
			"non_refoulement": false},
		notAsked: []string{"fears_return", "deportation_risk", "asylum_status"},
	})
	// The same woman who only says she does not feel safe where she lives.
	runSpec2Case(t, f, spec2Case{
		ans:  profile2(origin2, fearOnly2, with{"fears_return": del, "feels_unsafe_where_living": "yes"}),
		want: map[string]any{"outcome": "refer_for_protection"},
		refs: map[string]string{"internal_protection": "high", "safety_and_shelter": "high"},
	})
}

// Review point 2: a man in detention, removal next week, says he was forced
// to work and fears return, then declines the rest.
func TestReviewDetainedManDeclinesDetails(t *testing.T) {
	f := builtin2(t)
	runSpec2Case(t, f, spec2Case{
		ans: profile2(trafficked2, disclosedOnly2, fearOnly2, detained2, with{
			"gender":                         "male",
			"stigmatised_in_host":            "declined",
			"trauma_affecting_recovery":      "declined",
			"involved_in_legal_proceedings":  "declined",
			"fears_retaliation_if_reporting": "declined",
			"authorities_informed":           "declined",
		}),
		want: map[string]any{"outcome": "urgent_referral", "trafficking.indicators": "unknown", "trafficking.disclosed": true,
			"trafficking.child": false, "refugee_protection.level": "possible", "situation": "undetermined"},
		refs: map[string]string{"asylum_procedure": "urgent", "legal_aid": "urgent", "anti_trafficking_referral": "high"},
		cauts: map[string]bool{"non_refoulement": true, "non_punishment": true, "pursue_both_procedures": true,
			"assistance_not_conditional_on_testimony": true, "no_report_to_authorities_without_consent": true,
			"complementary_protection": true},
	})
}

// Review point 3: "yes, I was exploited", then "none of these" to each
// detail; and someone formally identified who says nothing more.
func TestReviewDisclosureWithoutDetails(t *testing.T) {
	f := builtin2(t)
	runSpec2Case(t, f, spec2Case{
		ans:   profile2(trafficked2, bare2),
		want:  map[string]any{"trafficking.indicators": "unknown", "trafficking.disclosed": true, "outcome": "refer_for_protection"},
		refs:  map[string]string{"anti_trafficking_referral": "high", "legal_aid": "standard"},
		cauts: map[string]bool{"assistance_not_conditional_on_testimony": true},
	})
	runSpec2Case(t, f, spec2Case{
		ans:  profile2(with{"identified_as_trafficking_victim": "yes"}),
		want: map[string]any{"trafficking.indicators": "unknown", "trafficking.disclosed": true, "outcome": "refer_for_protection"},
		refs: map[string]string{"anti_trafficking_referral": "high"},
	})
}

// Review point 3: still under the control of those who exploited them,
// with no details.
func TestReviewStillUnderControl(t *testing.T) {
	f := builtin2(t)
	runSpec2Case(t, f, spec2Case{
		ans:   profile2(trafficked2, disclosedOnly2, with{"still_under_control": "yes"}),
		want:  map[string]any{"outcome": "urgent_referral", "trafficking.indicators": "unknown"},
		refs:  map[string]string{"anti_trafficking_referral": "urgent", "safety_and_shelter": "urgent"},
		cauts: map[string]bool{"confidentiality_and_retaliation": true, "assistance_not_conditional_on_testimony": true},
	})
}

// Review point 5: a detained child forced to work on a cannabis farm.
func TestReviewDetainedChildCannabisFarm(t *testing.T) {
	f := builtin2(t)
	runSpec2Case(t, f, spec2Case{
		ans: profile2(trafficked2, child2, detained2, with{
			"age":                 16,
			"gender":              "male",
			"unaccompanied":       "yes",
			"consent_given_by":    "the_child",
			"trafficking_act":     []string{"recruited", "transported", "harboured"},
			"trafficking_means":   []string{"deception", "abuse_of_vulnerability"},
			"exploitation":        []string{"forced_labour", "forced_criminality"},
			"labour_indicators":   []string{"restriction_of_movement", "withholding_of_wages"},
			"risk_factors":        []string{"used_smugglers", "no_documents"},
			"fears_return":        "dont_know",
			"referral_consent":    []string{"health"},
			"wishes_to_return":    "undecided",
			"still_under_control": "no",
		}),
		want: map[string]any{"outcome": "urgent_referral", "trafficking.indicators": "strong", "trafficking.child": true,
			"situation": "trafficked_abroad", "refugee_protection.level": "insufficient_information"},
		refs:    map[string]string{"child_protection": "urgent", "anti_trafficking_referral": "high", "legal_aid": "urgent", "family_tracing": "standard"},
		consent: map[string]string{"child_protection": "best_interests", "anti_trafficking_referral": "not_given"},
		cauts: map[string]bool{"non_punishment": true, "no_detention_of_children": true, "non_refoulement": true,
			"child_sensitive_procedures": true, "consent_before_referral": true},
	})
}

// Review point 6: a recruiter asked a recognised refugee for their ID card.
func TestReviewRecruiterAsksRefugeeForID(t *testing.T) {
	f := builtin2(t)
	runSpec2Case(t, f, spec2Case{
		ans: profile2(recognised2, with{"risk_factors": []string{"approached_by_recruiters"}}),
		want: map[string]any{"outcome": "refer_for_protection", "situation": "refugee_at_risk_of_trafficking",
			"refugee_protection.level": "recognised", "trafficking.indicators": "none"},
		refs: map[string]string{"trafficking_prevention": "high", "livelihood_and_education": "standard", "asylum_procedure": ""},
	})
}

// Review point 7: trafficked at 15, now 22.
func TestReviewTraffickedAt15Now22(t *testing.T) {
	f := builtin2(t)
	runSpec2Case(t, f, spec2Case{
		ans: profile2(trafficked2, with{"age": 22, "under_18_at_start": "yes",
			"trafficking_act": []string{"recruited"}, "trafficking_means": []string{"none"},
			"exploitation": []string{"sexual_exploitation"}, "family_involved": "declined"}),
		want: map[string]any{"trafficking.indicators": "strong", "trafficking.child": true},
		refs: map[string]string{"child_protection": "", "anti_trafficking_referral": "high"},
		cauts: map[string]bool{"child_sensitive_procedures": false, "family_involvement": true,
			"non_punishment": true, "gender_sensitive_procedures": true},
	})
}

// Review point 9: a recognised refugee who declines to retell their story
// keeps non-refoulement and is not told an RSD "is indicated".
func TestReviewRecognisedRefugeeDeclinesToRetell(t *testing.T) {
	f := builtin2(t)
	retell := with{"fears_return": "declined", "past_serious_harm": "declined", "fled_conflict_or_violence": "declined",
		"armed_group_association": "declined", "stigmatised_in_host": "declined", "trauma_affecting_recovery": "declined",
		"fears_retaliation_if_reporting": "declined"}
	runSpec2Case(t, f, spec2Case{
		ans:   profile2(recognised2, detained2, retell),
		want:  map[string]any{"refugee_protection.level": "recognised", "outcome": "urgent_referral"},
		refs:  map[string]string{"asylum_procedure": "", "asylum_appeal_or_new_claim": "", "legal_aid": "urgent", "resettlement_assessment": ""},
		cauts: map[string]bool{"non_refoulement": true, "complementary_protection": false},
	})
	runSpec2Case(t, f, spec2Case{
		ans:   profile2(recognised2, retell),
		want:  map[string]any{"refugee_protection.level": "recognised", "outcome": "no_protection_indicators"},
		refs:  map[string]string{"asylum_procedure": "", "legal_aid": ""},
		cauts: map[string]bool{"complementary_protection": false},
	})
}

// The second review: a survivor of recent sexual violence.
func TestReviewRecentSexualViolence(t *testing.T) {
	f := builtin2(t)
	runSpec2Case(t, f, spec2Case{
		ans:     profile2(sgbv2, with{"sgbv_recent": "yes", "authorities_informed": "no", "referral_consent": []string{"health"}}),
		want:    map[string]any{"outcome": "urgent_referral"},
		refs:    map[string]string{"medical_care": "urgent", "gbv_response": "urgent"},
		consent: map[string]string{"medical_care": "given", "gbv_response": "not_given"},
		cauts: map[string]bool{"gender_sensitive_procedures": true, "no_report_to_authorities_without_consent": true,
			"consent_before_referral": true},
		cautOrder: []string{"gender_sensitive_procedures", "consent_before_referral", "no_report_to_authorities_without_consent"},
	})
}

// The second review: an accompanied child with no other concern is a
// standard child-protection referral, so "high" keeps its meaning.
func TestReviewAccompaniedChildNoConcern(t *testing.T) {
	f := builtin2(t)
	runSpec2Case(t, f, spec2Case{
		ans:       profile2(child2, with{"referral_consent": []string{"child_protection"}}),
		want:      map[string]any{"outcome": "further_assessment", "trafficking.child": true},
		order:     []string{"child_protection"},
		refs:      map[string]string{"child_protection": "standard"},
		consent:   map[string]string{"child_protection": "given"},
		cautOrder: []string{"child_sensitive_procedures"},
	})
}
