package questionnaire

import (
	"maps"
	"reflect"
	"slices"
	"testing"
)

// The expectations below are written by hand from the contract,
// /work/shared/spec/screening.md ("the spec"), not from running the code.
// Each case starts from one of the profiles and changes a few answers, then
// checks the fields that the spec's row decides. Breaking any rule of
// builtin/screening.yaml must fail at least one case.

// del removes a question from a profile (the answers file omits it).
const del = "\x00delete"

// base: an adult, in the destination country, who answered every asked
// question and shows nothing at all. By the spec: indicators none (ever
// exploited = no), situation no_indicators, level unlikely, no referral,
// no caution, outcome no_protection_indicators, no gaps.
var base = map[string]any{
	"consent":                          "yes",
	"age":                              30,
	"gender":                           "female",
	"country_of_origin":                "Atlantis",
	"present_in":                       "destination_country",
	"ever_exploited":                   "no",
	"fears_being_trafficked":           "no",
	"fears_return":                     "no",
	"past_serious_harm":                "no",
	"fled_conflict_or_violence":        "no",
	"experienced_sgbv":                 "no",
	"risk_factors":                     []string{"none"},
	"threat_in_host_country":           "no",
	"stigmatised_in_host":              "no",
	"trauma_affecting_recovery":        "no",
	"knows_right_to_asylum":            "yes",
	"asylum_status":                    "not_applied",
	"identified_as_trafficking_victim": "no",
	"deportation_risk":                 "no",
	"involved_in_legal_proceedings":    "no",
	"fears_retaliation_if_reporting":   "no",
	"needs":                            []string{"none"},
	"interpreter_needed":               "no",
	"preferred_language":               "English",
	"can_read":                         "yes",
	"wishes_to_return":                 "no",
}

// trafficked: an adult exploited abroad with act, means and purpose present.
var trafficked = map[string]any{
	"ever_exploited":         "yes",
	"fears_being_trafficked": del, // not asked when ever_exploited = yes
	"trafficking_act":        []string{"recruited", "transported"},
	"trafficking_means":      []string{"deception"},
	"exploitation":           []string{"forced_labour"},
	"exploitation_where":     "abroad",
	"labour_indicators":      []string{"none"},
	"still_under_control":    "no",
}

// refugee: fears return, with serious harm, a Convention ground, no state
// protection and no safe place to relocate: level strong.
var refugee = map[string]any{
	"fears_return":        "yes",
	"feared_harm":         []string{"threats_to_life_or_freedom"},
	"feared_by":           []string{"authorities"},
	"targeted_because":    []string{"political_opinion"},
	"state_protection":    "authorities_involved",
	"relocation_possible": "no",
}

// child: a 15-year-old, accompanied.
var child = map[string]any{"age": 15, "unaccompanied": "no"}

func profile(layers ...map[string]any) map[string]any {
	out := maps.Clone(base)
	for _, l := range layers {
		for k, v := range l {
			if v == del {
				delete(out, k)
			} else {
				out[k] = v
			}
		}
	}
	return out
}

// with is a small literal helper for one-off overrides.
type with = map[string]any

type ruleCase struct {
	name string
	ans  map[string]any
	// want: summary path → value (string, bool, nil for JSON null, []string)
	want map[string]any
	// refs: referral ID → priority; "" means the referral must be absent.
	refs map[string]string
	// cauts: caution ID → present or not.
	cauts map[string]bool
	// gaps, when not nil, is the exact list of information gaps.
	gaps []string
	// dropped, when not nil, is the exact list of dropped answers.
	dropped []string
	// order, when not nil, is the exact list of referral IDs in order.
	order []string
}

func specRuleCases() []ruleCase {
	noGaps := []string{}
	return []ruleCase{
		// ---------- baseline ----------
		{name: "baseline/nothing shown", ans: profile(),
			want: map[string]any{
				"outcome": "no_protection_indicators", "situation": "no_indicators",
				"trafficking.indicators": "none", "trafficking.child": false,
				"refugee_protection.level": "unlikely", "refugee_protection.grounds": []string{},
				"solutions.voluntary_repatriation": "not_requested", "solutions.resettlement": "not_indicated",
				"solutions.local_integration_support": []string{},
			},
			order: []string{}, gaps: noGaps, dropped: []string{},
			cauts: map[string]bool{"assistance_not_conditional_on_testimony": false, "child_sensitive_procedures": false}},

		// ---------- trafficking.indicators ----------
		{name: "indicators/strong: act, means, purpose (adult)", ans: profile(trafficked),
			want: map[string]any{"trafficking.indicators": "strong", "trafficking.child": false,
				"trafficking.elements.act": true, "trafficking.elements.means": true, "trafficking.elements.purpose": true}},
		{name: "indicators/strong: child needs no means", ans: profile(child, trafficked, with{"trafficking_means": []string{"none"}}),
			want: map[string]any{"trafficking.indicators": "strong", "trafficking.child": true, "trafficking.elements.means": false}},
		{name: "indicators/strong: child, means declined", ans: profile(child, trafficked, with{"trafficking_means": "declined"}),
			want: map[string]any{"trafficking.indicators": "strong", "trafficking.elements.means": nil}},
		{name: "indicators/some: adult with act and purpose but no means", ans: profile(trafficked, with{"trafficking_means": []string{"none"}}),
			want: map[string]any{"trafficking.indicators": "some"}},
		{name: "indicators/some: purpose alone", ans: profile(trafficked, with{"trafficking_act": []string{"none"}, "trafficking_means": []string{"none"}}),
			want: map[string]any{"trafficking.indicators": "some", "trafficking.elements.act": false, "trafficking.elements.purpose": true}},
		{name: "indicators/some: act and means without purpose", ans: profile(trafficked, with{"exploitation": []string{"none"}}),
			want: map[string]any{"trafficking.indicators": "some", "trafficking.elements.purpose": false}},
		{name: "indicators/unknown: act alone is not enough", ans: profile(trafficked, with{"trafficking_means": []string{"none"}, "exploitation": []string{"none"}}),
			want: map[string]any{"trafficking.indicators": "unknown"}},
		{name: "indicators/some: two ILO indicators", ans: profile(trafficked, with{"trafficking_act": []string{"none"}, "trafficking_means": []string{"none"},
			"exploitation": []string{"none"}, "labour_indicators": []string{"isolation", "debt_bondage"}}),
			want: map[string]any{"trafficking.indicators": "some"}},
		{name: "indicators/none: all none and one ILO indicator", ans: profile(trafficked, with{"trafficking_act": []string{"none"}, "trafficking_means": []string{"none"},
			"exploitation": []string{"none"}, "labour_indicators": []string{"isolation"}}),
			want: map[string]any{"trafficking.indicators": "none", "situation": "no_indicators",
				"trafficking.elements.act": false, "trafficking.elements.means": false, "trafficking.elements.purpose": false}},
		{name: "indicators/none: ever_exploited = no", ans: profile(),
			want: map[string]any{"trafficking.indicators": "none",
				// Spec leaves open; the person described no exploitation, so
				// the elements are reported absent (false), not unknown.
				"trafficking.elements.act": false, "trafficking.elements.means": false, "trafficking.elements.purpose": false}},
		{name: "indicators/unknown: ever_exploited declined", ans: profile(with{"ever_exploited": "declined"}),
			want: map[string]any{"trafficking.indicators": "unknown", "situation": "undetermined", "outcome": "further_assessment"}},
		{name: "indicators/unknown: elements declined or dont_know", ans: profile(trafficked, with{"trafficking_act": "declined", "trafficking_means": []string{"none"}, "exploitation": "dont_know"}),
			want: map[string]any{"trafficking.indicators": "unknown", "trafficking.elements.act": nil, "trafficking.elements.purpose": nil}},
		{name: "indicators/unknown: a none left unanswered is not none", ans: profile(trafficked, with{"trafficking_act": []string{"none"}, "trafficking_means": []string{"none"}, "exploitation": del}),
			want: map[string]any{"trafficking.indicators": "unknown"}, gaps: []string{"exploitation"}},

		// ---------- situation ----------
		{name: "situation/in_country_of_origin beats trafficked_abroad", ans: profile(trafficked, with{"present_in": "origin_country"}),
			want: map[string]any{"situation": "in_country_of_origin"}},
		{name: "situation/trafficked_abroad", ans: profile(trafficked),
			want: map[string]any{"situation": "trafficked_abroad"}},
		{name: "situation/trafficked_abroad: both", ans: profile(trafficked, with{"exploitation_where": "both"}),
			want: map[string]any{"situation": "trafficked_abroad"}},
		{name: "situation/trafficked_abroad with only some indicators", ans: profile(trafficked, with{"trafficking_means": []string{"none"}}),
			want: map[string]any{"situation": "trafficked_abroad"}},
		{name: "situation/trafficked_in_origin_then_fled", ans: profile(trafficked, with{"exploitation_where": "origin_country"}),
			want: map[string]any{"situation": "trafficked_in_origin_then_fled"}},
		{name: "situation/trafficked but where declined: undetermined", ans: profile(trafficked, with{"exploitation_where": "declined"}),
			want: map[string]any{"situation": "undetermined", "outcome": "refer_for_protection"}},
		{name: "situation/fears_trafficking", ans: profile(with{"fears_being_trafficked": "yes", "feared_harm": []string{"re_trafficking"}}),
			want: map[string]any{"situation": "fears_trafficking", "trafficking.indicators": "none"}},
		{name: "situation/refugee_at_risk_of_trafficking", ans: profile(with{"risk_factors": []string{"used_smugglers", "no_documents"}}),
			want: map[string]any{"situation": "refugee_at_risk_of_trafficking", "outcome": "further_assessment"},
			refs: map[string]string{"livelihood_and_education": "standard"}},
		{name: "situation/one risk factor is not at risk", ans: profile(with{"risk_factors": []string{"used_smugglers"}}),
			want: map[string]any{"situation": "no_indicators", "outcome": "no_protection_indicators"},
			refs: map[string]string{"livelihood_and_education": ""}},
		{name: "situation/no_indicators", ans: profile(),
			want: map[string]any{"situation": "no_indicators"}},
		{name: "situation/undetermined", ans: profile(with{"ever_exploited": "dont_know", "fears_being_trafficked": "no"}),
			want: map[string]any{"situation": "undetermined"}},

		// ---------- refugee_protection.level ----------
		{name: "refugee/not_applicable in the country of origin", ans: profile(refugee, with{"present_in": "origin_country"}),
			want: map[string]any{"refugee_protection.level": "not_applicable", "refugee_protection.elements.outside": false}},
		{name: "refugee/strong", ans: profile(refugee),
			want: map[string]any{"refugee_protection.level": "strong", "refugee_protection.grounds": []string{"political_opinion"},
				"refugee_protection.elements.outside": true, "refugee_protection.elements.well_founded_fear": true,
				"refugee_protection.elements.serious_harm": true, "refugee_protection.elements.nexus": true,
				"refugee_protection.elements.no_state_protection": true, "refugee_protection.elements.past_persecution": false,
				"outcome": "refer_for_protection"}},
		{name: "refugee/strong in transit", ans: profile(refugee, with{"present_in": "transit_country"}),
			want: map[string]any{"refugee_protection.level": "strong", "refugee_protection.elements.outside": true}},
		{name: "refugee/strong: relocation unknown is not yes", ans: profile(refugee, with{"relocation_possible": "dont_know"}),
			want: map[string]any{"refugee_protection.level": "strong"}},
		{name: "refugee/strong: relocation left unanswered is not yes", ans: profile(refugee, with{"relocation_possible": del}),
			want: map[string]any{"refugee_protection.level": "strong"}, gaps: []string{"relocation_possible"}},
		{name: "refugee/strong via fear of being trafficked", ans: profile(refugee, with{"fears_return": "no", "fears_being_trafficked": "yes"}),
			want: map[string]any{"refugee_protection.level": "strong", "refugee_protection.elements.well_founded_fear": true}},
		{name: "refugee/possible: relocation possible", ans: profile(refugee, with{"relocation_possible": "yes"}),
			want: map[string]any{"refugee_protection.level": "possible"}},
		{name: "refugee/possible: no nexus", ans: profile(refugee, with{"targeted_because": []string{"none_identified"}}),
			want: map[string]any{"refugee_protection.level": "possible", "refugee_protection.elements.nexus": false, "refugee_protection.grounds": []string{}}},
		{name: "refugee/possible: state protection available", ans: profile(refugee, with{"state_protection": "available"}),
			want: map[string]any{"refugee_protection.level": "possible", "refugee_protection.elements.no_state_protection": false}},
		{name: "refugee/possible: past persecution alone", ans: profile(with{"past_serious_harm": "yes", "targeted_because": []string{"religion"}}),
			want: map[string]any{"refugee_protection.level": "possible", "refugee_protection.elements.past_persecution": true,
				"refugee_protection.elements.well_founded_fear": false, "refugee_protection.grounds": []string{"religion"},
				"refugee_protection.elements.serious_harm": nil}},
		{name: "refugee/fear without serious harm: insufficient", ans: profile(refugee, with{"feared_harm": []string{"none"}}),
			want: map[string]any{"refugee_protection.level": "insufficient_information", "refugee_protection.elements.serious_harm": false,
				"outcome": "further_assessment"}},
		{name: "refugee/unlikely", ans: profile(),
			want: map[string]any{"refugee_protection.level": "unlikely", "refugee_protection.elements.well_founded_fear": false,
				"refugee_protection.elements.past_persecution": false}},
		{name: "refugee/unlikely needs fears_return = no", ans: profile(with{"fears_return": "declined"}),
			want: map[string]any{"refugee_protection.level": "insufficient_information", "refugee_protection.elements.well_founded_fear": nil,
				"outcome": "further_assessment"}, gaps: []string{"fears_return"}},
		{name: "refugee/unlikely needs past_serious_harm = no", ans: profile(with{"past_serious_harm": "dont_know"}),
			want: map[string]any{"refugee_protection.level": "insufficient_information", "refugee_protection.elements.past_persecution": nil}},
		{name: "refugee/elements null when unknown", ans: profile(refugee, with{"present_in": "declined", "targeted_because": "declined", "state_protection": "dont_know"}),
			want: map[string]any{"refugee_protection.elements.outside": nil, "refugee_protection.elements.nexus": nil,
				"refugee_protection.elements.no_state_protection": nil, "refugee_protection.level": "possible"}},
		{name: "refugee/no_state_protection: unable", ans: profile(refugee, with{"state_protection": "unable"}),
			want: map[string]any{"refugee_protection.elements.no_state_protection": true, "refugee_protection.level": "strong"}},
		{name: "refugee/no_state_protection: unwilling", ans: profile(refugee, with{"state_protection": "unwilling"}),
			want: map[string]any{"refugee_protection.elements.no_state_protection": true, "refugee_protection.level": "strong"}},
		{name: "refugee/no_state_protection: not sought out of fear", ans: profile(refugee, with{"state_protection": "not_sought_out_of_fear"}),
			want: map[string]any{"refugee_protection.elements.no_state_protection": true, "refugee_protection.level": "strong"}},

		// ---------- grounds ----------
		{name: "grounds/every value mapped, sorted, no repeats", ans: profile(refugee, with{"targeted_because": []string{
			"sexual_orientation_or_gender_identity", "ethnicity_or_race", "religion", "nationality_or_statelessness", "political_opinion",
			"being_a_woman_or_girl", "being_a_child", "former_trafficking_victim", "other_social_group"}}),
			want: map[string]any{"refugee_protection.grounds": []string{"nationality", "particular_social_group", "political_opinion", "race", "religion"}}},
		{name: "grounds/social groups collapse to one", ans: profile(refugee, with{"targeted_because": []string{"being_a_child", "former_trafficking_victim"}}),
			want: map[string]any{"refugee_protection.grounds": []string{"particular_social_group"}, "refugee_protection.elements.nexus": true}},
		{name: "grounds/ethnicity is race", ans: profile(refugee, with{"targeted_because": []string{"ethnicity_or_race"}}),
			want: map[string]any{"refugee_protection.grounds": []string{"race"}}},
		{name: "grounds/statelessness is nationality", ans: profile(refugee, with{"targeted_because": []string{"nationality_or_statelessness"}}),
			want: map[string]any{"refugee_protection.grounds": []string{"nationality"}}},
		{name: "grounds/woman is a social group", ans: profile(refugee, with{"targeted_because": []string{"being_a_woman_or_girl"}}),
			want: map[string]any{"refugee_protection.grounds": []string{"particular_social_group"}}},
		{name: "grounds/sexual orientation is a social group", ans: profile(refugee, with{"targeted_because": []string{"sexual_orientation_or_gender_identity"}}),
			want: map[string]any{"refugee_protection.grounds": []string{"particular_social_group"}}},
		{name: "grounds/other social group", ans: profile(refugee, with{"targeted_because": []string{"other_social_group"}}),
			want: map[string]any{"refugee_protection.grounds": []string{"particular_social_group"}}},
		{name: "grounds/declined gives none", ans: profile(refugee, with{"targeted_because": "declined"}),
			want: map[string]any{"refugee_protection.grounds": []string{}}},

		// ---------- referrals ----------
		{name: "asylum_procedure/high", ans: profile(refugee),
			refs: map[string]string{"asylum_procedure": "high"}},
		{name: "asylum_procedure/urgent with deportation risk", ans: profile(refugee, with{"deportation_risk": "yes"}),
			refs: map[string]string{"asylum_procedure": "urgent"}, want: map[string]any{"outcome": "urgent_referral"}},
		{name: "asylum_procedure/possible level", ans: profile(refugee, with{"relocation_possible": "yes"}),
			refs: map[string]string{"asylum_procedure": "high"}},
		{name: "asylum_procedure/not for a recognised refugee", ans: profile(refugee, with{"asylum_status": "recognised_refugee"}),
			refs: map[string]string{"asylum_procedure": ""}},
		{name: "asylum_procedure/status unknown still refers", ans: profile(refugee, with{"asylum_status": "dont_know"}),
			refs: map[string]string{"asylum_procedure": "high"}},
		{name: "asylum_procedure/not when unlikely", ans: profile(with{"deportation_risk": "yes"}),
			refs: map[string]string{"asylum_procedure": "", "legal_aid": ""}},
		{name: "asylum_information/knows = no", ans: profile(with{"knows_right_to_asylum": "no"}),
			refs: map[string]string{"asylum_information": "standard"}},
		{name: "asylum_information/knows dont_know", ans: profile(with{"knows_right_to_asylum": "dont_know"}),
			refs: map[string]string{"asylum_information": ""}},
		{name: "anti_trafficking_referral/high", ans: profile(trafficked),
			refs: map[string]string{"anti_trafficking_referral": "high"}},
		{name: "anti_trafficking_referral/urgent under control", ans: profile(trafficked, with{"still_under_control": "yes"}),
			refs: map[string]string{"anti_trafficking_referral": "urgent"}, want: map[string]any{"outcome": "urgent_referral"}},
		{name: "anti_trafficking_referral/some", ans: profile(trafficked, with{"trafficking_means": []string{"none"}}),
			refs: map[string]string{"anti_trafficking_referral": "high"}},
		{name: "anti_trafficking_referral/not when unknown", ans: profile(with{"ever_exploited": "declined"}),
			refs: map[string]string{"anti_trafficking_referral": ""}},
		{name: "child_protection/high", ans: profile(child),
			refs: map[string]string{"child_protection": "high"}, want: map[string]any{"outcome": "no_protection_indicators"}},
		{name: "child_protection/urgent unaccompanied", ans: profile(child, with{"unaccompanied": "yes"}),
			refs: map[string]string{"child_protection": "urgent", "family_tracing": "standard"}, want: map[string]any{"outcome": "urgent_referral"}},
		{name: "child_protection/not for an adult", ans: profile(),
			refs: map[string]string{"child_protection": ""}},
		{name: "safety_and_shelter/urgent under control", ans: profile(trafficked, with{"still_under_control": "yes"}),
			refs: map[string]string{"safety_and_shelter": "urgent"}},
		{name: "safety_and_shelter/urgent threat in host", ans: profile(with{"threat_in_host_country": "yes"}),
			refs: map[string]string{"safety_and_shelter": "urgent"}, want: map[string]any{"outcome": "urgent_referral"}},
		{name: "safety_and_shelter/high for accommodation", ans: profile(with{"needs": []string{"safe_accommodation"}}),
			refs: map[string]string{"safety_and_shelter": "high"}},
		{name: "medical_care", ans: profile(with{"needs": []string{"medical"}}),
			refs: map[string]string{"medical_care": "standard", "mental_health": ""}},
		{name: "mental_health/needs mental_health", ans: profile(with{"needs": []string{"mental_health"}}),
			refs: map[string]string{"mental_health": "standard", "medical_care": ""}},
		{name: "mental_health/needs trauma_counselling", ans: profile(with{"needs": []string{"trauma_counselling"}}),
			refs: map[string]string{"mental_health": "standard"}},
		{name: "mental_health/trauma affecting recovery", ans: profile(with{"trauma_affecting_recovery": "yes"}),
			refs: map[string]string{"mental_health": "standard", "resettlement_assessment": ""}},
		{name: "legal_aid/refugee level", ans: profile(refugee, with{"relocation_possible": "yes"}),
			refs: map[string]string{"legal_aid": "standard"}},
		{name: "legal_aid/indicators", ans: profile(trafficked),
			refs: map[string]string{"legal_aid": "standard"}},
		{name: "legal_aid/needs", ans: profile(with{"needs": []string{"legal_aid"}}),
			refs: map[string]string{"legal_aid": "standard"}},
		{name: "legal_aid/high with deportation risk", ans: profile(with{"needs": []string{"legal_aid"}, "deportation_risk": "yes"}),
			refs: map[string]string{"legal_aid": "high"}, want: map[string]any{"outcome": "no_protection_indicators"}},
		{name: "resettlement_assessment/threat in host", ans: profile(refugee, with{"threat_in_host_country": "yes"}),
			refs: map[string]string{"resettlement_assessment": "standard"}, want: map[string]any{"solutions.resettlement": "consider"}},
		{name: "resettlement_assessment/stigmatised", ans: profile(refugee, with{"relocation_possible": "yes", "stigmatised_in_host": "yes"}),
			refs: map[string]string{"resettlement_assessment": "standard"}, want: map[string]any{"solutions.resettlement": "consider"}},
		{name: "resettlement_assessment/trauma", ans: profile(refugee, with{"trauma_affecting_recovery": "yes"}),
			refs: map[string]string{"resettlement_assessment": "standard"}, want: map[string]any{"solutions.resettlement": "consider"}},
		{name: "resettlement_assessment/not without refugee level", ans: profile(with{"stigmatised_in_host": "yes"}),
			refs: map[string]string{"resettlement_assessment": ""}, want: map[string]any{"solutions.resettlement": "not_indicated"}},
		{name: "interpreter", ans: profile(with{"interpreter_needed": "yes"}),
			refs: map[string]string{"interpreter": "standard"}},
		{name: "livelihood_and_education/livelihood", ans: profile(with{"needs": []string{"livelihood"}}),
			refs: map[string]string{"livelihood_and_education": "standard"}},
		{name: "livelihood_and_education/education", ans: profile(with{"needs": []string{"education"}}),
			refs: map[string]string{"livelihood_and_education": "standard"}},
		{name: "family_tracing/needs", ans: profile(with{"needs": []string{"family_tracing"}}),
			refs: map[string]string{"family_tracing": "standard"}},
		{name: "family_tracing/accompanied child: no", ans: profile(child),
			refs: map[string]string{"family_tracing": ""}},
		{name: "internal_protection/indicators in origin", ans: profile(trafficked, with{"present_in": "origin_country"}),
			refs: map[string]string{"internal_protection": "high", "anti_trafficking_referral": "high"}},
		{name: "internal_protection/fear of return in origin", ans: profile(refugee, with{"present_in": "origin_country"}),
			refs: map[string]string{"internal_protection": "high", "asylum_procedure": ""}, want: map[string]any{"outcome": "no_protection_indicators"}},
		{name: "internal_protection/not outside", ans: profile(refugee),
			refs: map[string]string{"internal_protection": ""}},
		{name: "referrals/sorted urgent, high, standard, then by id",
			ans: profile(child, trafficked, refugee, with{"unaccompanied": "yes", "still_under_control": "yes", "deportation_risk": "yes",
				"needs": []string{"medical", "legal_aid"}, "interpreter_needed": "yes", "knows_right_to_asylum": "no"}),
			order: []string{"anti_trafficking_referral", "asylum_procedure", "child_protection", "safety_and_shelter",
				"legal_aid",
				"asylum_information", "family_tracing", "interpreter", "medical_care"}},

		// ---------- cautions ----------
		{name: "caution/assistance: indicators", ans: profile(trafficked),
			cauts: map[string]bool{"assistance_not_conditional_on_testimony": true}},
		{name: "caution/assistance: legal proceedings", ans: profile(with{"involved_in_legal_proceedings": "yes"}),
			cauts: map[string]bool{"assistance_not_conditional_on_testimony": true, "asylum_independent_of_prosecution": false}},
		{name: "caution/asylum_independent_of_prosecution", ans: profile(refugee, with{"involved_in_legal_proceedings": "yes"}),
			cauts: map[string]bool{"asylum_independent_of_prosecution": true}},
		{name: "caution/non_refoulement", ans: profile(refugee, with{"relocation_possible": "yes", "deportation_risk": "yes"}),
			cauts: map[string]bool{"non_refoulement": true}},
		{name: "caution/non_refoulement needs deportation risk", ans: profile(refugee),
			cauts: map[string]bool{"non_refoulement": false, "pursue_both_procedures": false, "repatriation_not_suitable": false}},
		{name: "caution/repatriation_not_suitable: re_trafficking", ans: profile(with{"fears_return": "yes", "feared_harm": []string{"re_trafficking"}}),
			cauts: map[string]bool{"repatriation_not_suitable": true}},
		{name: "caution/repatriation_not_suitable: reprisals", ans: profile(with{"fears_return": "yes", "feared_harm": []string{"reprisals_by_traffickers", "forced_marriage"}}),
			cauts: map[string]bool{"repatriation_not_suitable": true}},
		{name: "caution/gender: sgbv", ans: profile(with{"experienced_sgbv": "yes"}),
			cauts: map[string]bool{"gender_sensitive_procedures": true}},
		{name: "caution/gender: sexual exploitation", ans: profile(trafficked, with{"exploitation": []string{"sexual_exploitation"}}),
			cauts: map[string]bool{"gender_sensitive_procedures": true}},
		{name: "caution/gender: forced marriage", ans: profile(trafficked, with{"exploitation": []string{"forced_marriage"}}),
			cauts: map[string]bool{"gender_sensitive_procedures": true}},
		{name: "caution/gender: not for forced labour", ans: profile(trafficked),
			cauts: map[string]bool{"gender_sensitive_procedures": false}},
		{name: "caution/child_sensitive_procedures", ans: profile(child),
			cauts: map[string]bool{"child_sensitive_procedures": true}},
		{name: "caution/confidentiality: retaliation", ans: profile(with{"fears_retaliation_if_reporting": "yes"}),
			cauts: map[string]bool{"confidentiality_and_retaliation": true}},
		{name: "caution/confidentiality: under control", ans: profile(trafficked, with{"still_under_control": "yes"}),
			cauts: map[string]bool{"confidentiality_and_retaliation": true}},
		{name: "caution/pursue_both_procedures", ans: profile(trafficked, refugee),
			cauts: map[string]bool{"pursue_both_procedures": true, "assistance_not_conditional_on_testimony": true}},

		// ---------- solutions ----------
		{name: "solutions/repatriation not suitable: caution", ans: profile(with{"fears_return": "yes", "feared_harm": []string{"re_trafficking"}, "wishes_to_return": "yes"}),
			want: map[string]any{"solutions.voluntary_repatriation": "not_suitable"}},
		{name: "solutions/repatriation not suitable: strong level", ans: profile(refugee, with{"wishes_to_return": "yes"}),
			want: map[string]any{"solutions.voluntary_repatriation": "not_suitable"}},
		{name: "solutions/repatriation possible if safe and informed", ans: profile(with{"wishes_to_return": "yes"}),
			want: map[string]any{"solutions.voluntary_repatriation": "possible_if_safe_and_informed"}},
		{name: "solutions/repatriation possible with possible level", ans: profile(refugee, with{"relocation_possible": "yes", "wishes_to_return": "yes"}),
			want: map[string]any{"solutions.voluntary_repatriation": "possible_if_safe_and_informed"}},
		{name: "solutions/repatriation not requested: undecided", ans: profile(with{"wishes_to_return": "undecided"}),
			want: map[string]any{"solutions.voluntary_repatriation": "not_requested"}},
		{name: "solutions/repatriation not requested: declined", ans: profile(with{"wishes_to_return": "declined"}),
			want: map[string]any{"solutions.voluntary_repatriation": "not_requested"}},
		{name: "solutions/local integration in choice order", ans: profile(with{"needs": []string{"education", "medical", "legal_aid"}}),
			want: map[string]any{"solutions.local_integration_support": []string{"medical", "legal_aid", "education"}}},
		{name: "solutions/local integration: declined", ans: profile(with{"needs": "declined"}),
			want: map[string]any{"solutions.local_integration_support": []string{}}, gaps: []string{"needs"}},

		// ---------- outcome ----------
		{name: "outcome/urgent_referral", ans: profile(with{"threat_in_host_country": "yes"}),
			want: map[string]any{"outcome": "urgent_referral"}},
		{name: "outcome/refer_for_protection: refugee", ans: profile(refugee),
			want: map[string]any{"outcome": "refer_for_protection"}},
		{name: "outcome/refer_for_protection: indicators", ans: profile(trafficked),
			want: map[string]any{"outcome": "refer_for_protection"}},
		{name: "outcome/further_assessment: insufficient information", ans: profile(with{"fears_return": "dont_know"}),
			want: map[string]any{"outcome": "further_assessment"}},
		{name: "outcome/further_assessment: indicators unknown", ans: profile(with{"ever_exploited": "declined", "fears_being_trafficked": "no"}),
			want: map[string]any{"outcome": "further_assessment", "refugee_protection.level": "unlikely"}},
		{name: "outcome/further_assessment: fears trafficking", ans: profile(with{"fears_being_trafficked": "yes", "feared_harm": []string{"none"}}),
			want: map[string]any{"outcome": "further_assessment", "situation": "fears_trafficking"}},
		{name: "outcome/no_protection_indicators", ans: profile(with{"needs": []string{"medical"}}),
			want: map[string]any{"outcome": "no_protection_indicators"}},

		// ---------- the "some" and "possible" halves of each `in` list ----------
		{name: "outcome/refer_for_protection: possible level", ans: profile(refugee, with{"relocation_possible": "yes"}),
			want: map[string]any{"outcome": "refer_for_protection"}},
		{name: "outcome/refer_for_protection: some indicators", ans: profile(trafficked, with{"trafficking_means": []string{"none"}}),
			want: map[string]any{"outcome": "refer_for_protection", "trafficking.indicators": "some",
				// ever exploited, no fear of return: the element is false, not unknown
				"refugee_protection.elements.well_founded_fear": false}},
		{name: "situation/trafficked_in_origin_then_fled with some indicators", ans: profile(trafficked, with{"exploitation_where": "origin_country", "trafficking_means": []string{"none"}}),
			want: map[string]any{"situation": "trafficked_in_origin_then_fled"}},
		{name: "legal_aid/some indicators", ans: profile(trafficked, with{"trafficking_means": []string{"none"}}),
			refs: map[string]string{"legal_aid": "standard", "anti_trafficking_referral": "high"}},
		{name: "internal_protection/some indicators in origin", ans: profile(trafficked, with{"present_in": "origin_country", "trafficking_means": []string{"none"}}),
			refs: map[string]string{"internal_protection": "high"}},
		{name: "caution/assistance: some indicators", ans: profile(trafficked, with{"trafficking_means": []string{"none"}}),
			cauts: map[string]bool{"assistance_not_conditional_on_testimony": true}},
		{name: "caution/asylum_independent_of_prosecution: possible level", ans: profile(refugee, with{"relocation_possible": "yes", "involved_in_legal_proceedings": "yes"}),
			cauts: map[string]bool{"asylum_independent_of_prosecution": true}},
		{name: "caution/non_refoulement: strong level", ans: profile(refugee, with{"deportation_risk": "yes"}),
			cauts: map[string]bool{"non_refoulement": true}},
		{name: "caution/pursue_both_procedures: some and strong", ans: profile(trafficked, refugee, with{"trafficking_means": []string{"none"}}),
			cauts: map[string]bool{"pursue_both_procedures": true}},
		{name: "caution/pursue_both_procedures: strong and possible", ans: profile(trafficked, refugee, with{"relocation_possible": "yes"}),
			cauts: map[string]bool{"pursue_both_procedures": true}},

		// ---------- derived child ----------
		{name: "child/17", ans: profile(with{"age": 17}), want: map[string]any{"trafficking.child": true}},
		{name: "child/0", ans: profile(with{"age": 0}), want: map[string]any{"trafficking.child": true}},
		{name: "child/18 is an adult", ans: profile(with{"age": 18}), want: map[string]any{"trafficking.child": false},
			refs: map[string]string{"child_protection": ""}},
		{name: "child/age declined, may be child", ans: profile(with{"age": "declined", "may_be_child": "yes", "unaccompanied": "no"}),
			want: map[string]any{"trafficking.child": true}, refs: map[string]string{"child_protection": "high"}, gaps: []string{"age"}},
		{name: "child/age dont_know, may be child, unaccompanied", ans: profile(with{"age": "dont_know", "may_be_child": "yes", "unaccompanied": "yes"}),
			want: map[string]any{"trafficking.child": true}, refs: map[string]string{"child_protection": "urgent"}},
		{name: "child/age declined, not a child", ans: profile(with{"age": "declined", "may_be_child": "no", "unaccompanied": "yes"}),
			want: map[string]any{"trafficking.child": false}, dropped: []string{"unaccompanied"}},
		{name: "child/may_be_child dont_know is not yes", ans: profile(with{"age": "declined", "may_be_child": "dont_know"}),
			want: map[string]any{"trafficking.child": false}, gaps: []string{"age", "may_be_child"}},
		{name: "child/may_be_child not asked when age known", ans: profile(with{"may_be_child": "yes"}),
			want: map[string]any{"trafficking.child": false}, dropped: []string{"may_be_child"}},
		// The spec asks may_be_child only when age is declined or dont_know;
		// an age left unanswered does not ask it (pinned).
		{name: "child/age left unanswered", ans: profile(with{"age": del, "may_be_child": "yes"}),
			want: map[string]any{"trafficking.child": false}, dropped: []string{"may_be_child"}, gaps: []string{"age"}},

		// ---------- information gaps ----------
		{name: "gaps/declined, dont_know and unanswered in flow order",
			ans:  profile(with{"wishes_to_return": "declined", "gender": "dont_know", "preferred_language": del, "present_in": nil}),
			gaps: []string{"gender", "present_in", "preferred_language", "wishes_to_return"}},
		{name: "gaps/not asked is not a gap", ans: profile(with{"present_in": "origin_country",
			"risk_factors": del, "threat_in_host_country": del, "stigmatised_in_host": del, "trauma_affecting_recovery": del,
			"knows_right_to_asylum": del, "asylum_status": del, "deportation_risk": del}),
			gaps: noGaps, want: map[string]any{"refugee_protection.level": "not_applicable"}},
		{name: "gaps/a none answer is not a gap", ans: profile(), gaps: noGaps},

		// ---------- unanswered comparisons are not met ----------
		{name: "unanswered/ever_exploited declined asks fears_being_trafficked, not the elements",
			ans:     profile(trafficked, with{"ever_exploited": "declined", "fears_being_trafficked": "no"}),
			dropped: []string{"trafficking_act", "trafficking_means", "exploitation", "exploitation_where", "labour_indicators", "still_under_control"},
			want:    map[string]any{"trafficking.indicators": "unknown"}, gaps: []string{"ever_exploited"}},
		{name: "unanswered/ever_exploited omitted: fears_being_trafficked asked",
			ans:  profile(with{"ever_exploited": del}),
			gaps: []string{"ever_exploited"}, dropped: []string{}},
		{name: "unanswered/present_in omitted: host questions asked, level not not_applicable",
			ans:  profile(refugee, with{"present_in": del}),
			want: map[string]any{"refugee_protection.level": "strong", "refugee_protection.elements.outside": nil, "situation": "no_indicators"},
			gaps: []string{"present_in"}, refs: map[string]string{"internal_protection": "", "asylum_procedure": "high"}},
		{name: "unanswered/fears_return dont_know: fear details not asked",
			ans:     profile(with{"fears_return": "dont_know", "feared_harm": []string{"re_trafficking"}, "state_protection": "unable"}),
			dropped: []string{"feared_harm", "state_protection"}, cauts: map[string]bool{"repatriation_not_suitable": false},
			want: map[string]any{"refugee_protection.elements.serious_harm": nil}},
		{name: "unanswered/still_under_control declined is not yes",
			ans:  profile(trafficked, with{"still_under_control": "declined"}),
			refs: map[string]string{"anti_trafficking_referral": "high", "safety_and_shelter": ""}},
		{name: "unanswered/unaccompanied unknown is not yes",
			ans:  profile(child, with{"unaccompanied": "dont_know"}),
			refs: map[string]string{"child_protection": "high", "family_tracing": ""}},
		{name: "unanswered/deportation_risk unanswered is not yes",
			ans:  profile(refugee, with{"deportation_risk": del}),
			refs: map[string]string{"asylum_procedure": "high"}, cauts: map[string]bool{"non_refoulement": false}},
	}
}

func TestSpecRules(t *testing.T) {
	f := builtin(t)
	for _, c := range specRuleCases() {
		t.Run(c.name, func(t *testing.T) {
			af, s := parseAndScore(t, f, c.ans)
			for _, path := range slices.Sorted(maps.Keys(c.want)) {
				if got := s.Get(path); !sameValue(got, c.want[path]) {
					t.Errorf("%s = %#v, want %#v", path, got, c.want[path])
				}
			}
			for _, id := range slices.Sorted(maps.Keys(c.refs)) {
				want := c.refs[id]
				r := referral(s, id)
				switch {
				case want == "" && r != nil:
					t.Errorf("referral %s present (%s), want absent", id, r.Priority)
				case want != "" && r == nil:
					t.Errorf("referral %s absent, want %s (referrals: %v)", id, want, referralIDs(s))
				case want != "" && r.Priority != want:
					t.Errorf("referral %s priority %s, want %s", id, r.Priority, want)
				}
			}
			for _, id := range slices.Sorted(maps.Keys(c.cauts)) {
				if got := hasCaution(s, id); got != c.cauts[id] {
					t.Errorf("caution %s present = %v, want %v (cautions: %v)", id, got, c.cauts[id], cautionIDs(s))
				}
			}
			if c.gaps != nil && !sameValue(nonNil(s.InformationGaps), c.gaps) {
				t.Errorf("information_gaps = %v, want %v", s.InformationGaps, c.gaps)
			}
			if c.dropped != nil && !sameValue(nonNil(af.Dropped), c.dropped) {
				t.Errorf("dropped = %v, want %v", af.Dropped, c.dropped)
			}
			if c.order != nil && !reflect.DeepEqual(referralIDs(s), c.order) {
				t.Errorf("referrals in order %v, want %v", referralIDs(s), c.order)
			}
			for _, r := range s.Referrals {
				if len(r.Reasons) == 0 {
					t.Errorf("referral %s has no reasons", r.ID)
				}
			}
			for _, c := range s.Cautions {
				if len(c.Reasons) == 0 {
					t.Errorf("caution %s has no reasons", c.ID)
				}
			}
		})
	}
}

// consent = no ends the interview: nothing else is asked, every other answer
// is dropped, and the outcome is not_screened with no referral or caution.
func TestSpecConsentNo(t *testing.T) {
	f := builtin(t)
	ans := profile(trafficked, refugee, child, with{"consent": "no", "unaccompanied": "yes", "deportation_risk": "yes"})
	af, s := parseAndScore(t, f, ans)
	if len(af.Answers) != 1 || af.Answers["consent"] != "no" {
		t.Errorf("answers kept = %v, want only consent: no", af.Answers)
	}
	if len(af.Dropped) != len(ans)-1 {
		t.Errorf("dropped %d answers (%v), want %d", len(af.Dropped), af.Dropped, len(ans)-1)
	}
	if af.Dropped[0] != "age" || af.Dropped[len(af.Dropped)-1] != "wishes_to_return" {
		t.Errorf("dropped not in flow order: %v", af.Dropped)
	}
	vis, err := f.Visible(af.Answers)
	if err != nil || len(vis) != 1 || vis[0].ID != "consent" {
		t.Errorf("visible after consent no = %v, %v; want only consent", vis, err)
	}
	if q, _ := f.Next(af.Answers); q != nil {
		t.Errorf("Next after consent no = %s, want the end", q.ID)
	}
	if got := s.GetString("outcome"); got != "not_screened" {
		t.Errorf("outcome = %s, want not_screened", got)
	}
	if len(s.Referrals) != 0 || len(s.Cautions) != 0 || len(s.InformationGaps) != 0 {
		t.Errorf("referrals %v, cautions %v, gaps %v; want none", referralIDs(s), cautionIDs(s), s.InformationGaps)
	}
	if got := s.Get("trafficking.child"); got != false {
		t.Errorf("trafficking.child = %v, want false", got)
	}
	// consent: yes asks age next.
	if q, _ := f.Next(Answers{"consent": "yes"}); q == nil || q.ID != "age" {
		t.Errorf("Next after consent yes = %v, want age", q)
	}
}

// The question table's "asked when" column, checked through Visible.
func TestSpecAskedWhen(t *testing.T) {
	f := builtin(t)
	visible := func(ans Answers) map[string]bool {
		vis, err := f.Visible(ans)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]bool{}
		for _, q := range vis {
			m[q.ID] = true
		}
		return m
	}
	// Every question of the spec exists with its type.
	types := map[string]Kind{
		"consent": TypeYesNo, "age": TypeInteger, "may_be_child": TypeYesNo, "gender": TypeChoice, "unaccompanied": TypeYesNo,
		"country_of_origin": TypeText, "present_in": TypeChoice, "ever_exploited": TypeYesNo, "trafficking_act": TypeMulti,
		"trafficking_means": TypeMulti, "exploitation": TypeMulti, "exploitation_where": TypeChoice, "labour_indicators": TypeMulti,
		"still_under_control": TypeYesNo, "fears_being_trafficked": TypeYesNo, "fears_return": TypeYesNo, "past_serious_harm": TypeYesNo,
		"feared_harm": TypeMulti, "feared_by": TypeMulti, "targeted_because": TypeMulti, "state_protection": TypeChoice,
		"relocation_possible": TypeYesNo, "fled_conflict_or_violence": TypeYesNo, "experienced_sgbv": TypeYesNo, "risk_factors": TypeMulti,
		"threat_in_host_country": TypeYesNo, "stigmatised_in_host": TypeYesNo, "trauma_affecting_recovery": TypeYesNo,
		"knows_right_to_asylum": TypeYesNo, "asylum_status": TypeChoice, "identified_as_trafficking_victim": TypeYesNo,
		"deportation_risk": TypeYesNo, "involved_in_legal_proceedings": TypeYesNo, "fears_retaliation_if_reporting": TypeYesNo,
		"needs": TypeMulti, "interpreter_needed": TypeYesNo, "preferred_language": TypeText, "can_read": TypeYesNo, "wishes_to_return": TypeChoice,
	}
	for id, typ := range types {
		q := f.Question(id)
		if q == nil {
			t.Errorf("question %s is missing", id)
			continue
		}
		if q.Type != typ {
			t.Errorf("question %s is %s, want %s", id, q.Type, typ)
		}
		if q.Required != (id == "consent") {
			t.Errorf("question %s required = %v", id, q.Required)
		}
	}
	if f.Questions[0].ID != "consent" {
		t.Errorf("first question is %s, want consent", f.Questions[0].ID)
	}
	if q := f.Question("age"); q.Min == nil || *q.Min != 0 || q.Max == nil || *q.Max != 120 {
		t.Errorf("age range is not 0..120")
	}

	// consent = yes, nothing else: who is asked?
	v := visible(Answers{"consent": "yes"})
	always := []string{"age", "gender", "country_of_origin", "present_in", "ever_exploited", "fears_being_trafficked", "fears_return",
		"past_serious_harm", "fled_conflict_or_violence", "experienced_sgbv", "risk_factors", "threat_in_host_country",
		"stigmatised_in_host", "trauma_affecting_recovery", "knows_right_to_asylum", "asylum_status", "identified_as_trafficking_victim",
		"deportation_risk", "involved_in_legal_proceedings", "fears_retaliation_if_reporting", "needs", "interpreter_needed",
		"preferred_language", "can_read", "wishes_to_return"}
	for _, id := range always {
		if !v[id] {
			t.Errorf("%s not asked with only consent answered", id)
		}
	}
	for _, id := range []string{"may_be_child", "unaccompanied", "trafficking_act", "trafficking_means", "exploitation",
		"exploitation_where", "labour_indicators", "still_under_control", "feared_harm", "feared_by", "targeted_because",
		"state_protection", "relocation_possible"} {
		if v[id] {
			t.Errorf("%s asked with only consent answered", id)
		}
	}
	cases := []struct {
		ans      Answers
		asked    []string
		notAsked []string
	}{
		{Answers{"consent": "yes", "age": DontKnow}, []string{"may_be_child"}, nil},
		{Answers{"consent": "yes", "age": Declined}, []string{"may_be_child"}, nil},
		{Answers{"consent": "yes", "age": 17}, []string{"unaccompanied"}, []string{"may_be_child"}},
		{Answers{"consent": "yes", "age": Declined, "may_be_child": "yes"}, []string{"unaccompanied"}, nil},
		{Answers{"consent": "yes", "ever_exploited": "yes"},
			[]string{"trafficking_act", "trafficking_means", "exploitation", "exploitation_where", "labour_indicators", "still_under_control"},
			[]string{"fears_being_trafficked"}},
		{Answers{"consent": "yes", "ever_exploited": "no"}, []string{"fears_being_trafficked"}, []string{"trafficking_act"}},
		{Answers{"consent": "yes", "fears_return": "yes"},
			[]string{"feared_harm", "feared_by", "targeted_because", "state_protection", "relocation_possible"}, nil},
		{Answers{"consent": "yes", "fears_being_trafficked": "yes"},
			[]string{"feared_harm", "feared_by", "targeted_because", "state_protection", "relocation_possible"}, nil},
		{Answers{"consent": "yes", "past_serious_harm": "yes"}, []string{"targeted_because"},
			[]string{"feared_harm", "feared_by", "state_protection", "relocation_possible"}},
		{Answers{"consent": "yes", "present_in": "origin_country"}, nil,
			[]string{"risk_factors", "threat_in_host_country", "stigmatised_in_host", "trauma_affecting_recovery",
				"knows_right_to_asylum", "asylum_status", "deportation_risk"}},
		{Answers{"consent": "yes", "present_in": "transit_country"},
			[]string{"risk_factors", "threat_in_host_country", "stigmatised_in_host", "trauma_affecting_recovery",
				"knows_right_to_asylum", "asylum_status", "deportation_risk", "identified_as_trafficking_victim"}, nil},
	}
	for _, c := range cases {
		v := visible(c.ans)
		for _, id := range c.asked {
			if !v[id] {
				t.Errorf("with %v: %s not asked", c.ans, id)
			}
		}
		for _, id := range c.notAsked {
			if v[id] {
				t.Errorf("with %v: %s asked", c.ans, id)
			}
		}
	}
}

// Summary JSON carries the fixed field names of the spec.
func TestSpecSummaryShape(t *testing.T) {
	f := builtin(t)
	_, s := parseAndScore(t, f, profile(trafficked, refugee))
	for _, path := range []string{"outcome", "situation", "trafficking.indicators", "trafficking.child",
		"trafficking.elements.act", "trafficking.elements.means", "trafficking.elements.purpose",
		"refugee_protection.level", "refugee_protection.grounds",
		"refugee_protection.elements.outside", "refugee_protection.elements.well_founded_fear",
		"refugee_protection.elements.serious_harm", "refugee_protection.elements.nexus",
		"refugee_protection.elements.no_state_protection", "refugee_protection.elements.past_persecution",
		"solutions.voluntary_repatriation", "solutions.resettlement", "solutions.local_integration_support"} {
		if s.Get(path) == nil {
			t.Errorf("summary has no %s", path)
		}
	}
	if s.Flow.ID != f.ID || s.Flow.Version != f.Version || s.Flow.Hash == "" {
		t.Errorf("flow ref = %+v", s.Flow)
	}
	if len(s.Basis) == 0 {
		t.Errorf("no basis")
	}
}

// reasons name what triggered a referral or caution: every side of an
// `and`, and only the sides of an `or` that held.
func TestSpecReasons(t *testing.T) {
	f := builtin(t)
	_, s := parseAndScore(t, f, profile(refugee, with{"threat_in_host_country": "yes", "needs": []string{"safe_accommodation"}}))
	cases := map[string][]string{
		"resettlement_assessment": {"refugee_protection.level", "threat_in_host_country"},
		"safety_and_shelter":      {"threat_in_host_country", "needs"},
		"asylum_procedure":        {"refugee_protection.level", "asylum_status"},
		"legal_aid":               {"refugee_protection.level"},
	}
	for id, want := range cases {
		r := referral(s, id)
		if r == nil {
			t.Errorf("no referral %s", id)
			continue
		}
		if !reflect.DeepEqual(r.Reasons, want) {
			t.Errorf("%s reasons = %v, want %v", id, r.Reasons, want)
		}
	}
	_, s = parseAndScore(t, f, profile(with{"needs": []string{"livelihood"}, "deportation_risk": "yes"}))
	if r := referral(s, "livelihood_and_education"); r == nil || !reflect.DeepEqual(r.Reasons, []string{"needs"}) {
		t.Errorf("livelihood_and_education = %+v, want reasons [needs]", r)
	}
	_, s = parseAndScore(t, f, profile(with{"fears_retaliation_if_reporting": "yes"}))
	if len(s.Cautions) != 1 || !reflect.DeepEqual(s.Cautions[0].Reasons, []string{"fears_retaliation_if_reporting"}) {
		t.Errorf("cautions = %+v", s.Cautions)
	}
}
