package questionnaire

import (
	"slices"
	"testing"
)

// childQs2: the questions asked of a child, answered for an accompanied
// child with no other concern (combine with an age or may_be_child).
var childQs2 = map[string]any{
	"unaccompanied":           "no",
	"child_married":           "no",
	"consent_given_by":        "parent_or_caregiver",
	"child_assent":            "yes",
	"armed_group_association": "no",
}

// notChild: what an adult's summary shows of child status.
var notChild = []string{"unaccompanied", "child_married", "consent_given_by", "child_assent"}

func spec2DerivedCases() []spec2Case {
	noGaps := []string{}
	return []spec2Case{
		// ---------- baseline ----------
		{name: "baseline/nothing shown", ans: profile2(),
			want: map[string]any{
				"outcome": "no_protection_indicators", "situation": "no_indicators",
				"trafficking.indicators": "none", "trafficking.child": false, "trafficking.disclosed": false,
				"trafficking.elements.act": false, "trafficking.elements.means": false, "trafficking.elements.purpose": false,
				"refugee_protection.level": "unlikely", "refugee_protection.grounds": []string{},
				"refugee_protection.elements.outside": true, "refugee_protection.elements.well_founded_fear": false,
				"refugee_protection.elements.serious_harm": nil, "refugee_protection.elements.nexus": nil,
				"refugee_protection.elements.no_state_protection": nil, "refugee_protection.elements.past_persecution": false,
				"refugee_protection.elements.fled_conflict": false,
				"solutions.voluntary_repatriation":          "not_requested", "solutions.resettlement": "not_indicated",
				"solutions.local_integration_support": []string{},
			},
			order: []string{}, cautOrder: []string{}, gaps: noGaps,
			notAsked: append([]string{"armed_group_association", "trafficking_act", "under_18_at_start", "feels_unsafe_where_living",
				"feared_harm", "feared_by", "targeted_because", "state_protection", "sgbv_recent", "stigmatised_in_host",
				"trauma_affecting_recovery", "involved_in_legal_proceedings", "fears_retaliation_if_reporting", "authorities_informed"}, notChild...),
			asked: []string{"interview_private", "may_be_child", "fears_being_trafficked", "fears_trafficking_here", "fears_return",
				"risk_factors", "knows_right_to_asylum", "deportation_risk", "wishes_to_return", "referral_consent"}},

		// ---------- child (benefit of the doubt) ----------
		{name: "child/age 17", ans: profile2(child2, with{"age": 17}),
			want: map[string]any{"trafficking.child": true}, refs: map[string]string{"child_protection": "standard"},
			cauts: map[string]bool{"child_sensitive_procedures": true}, notAsked: []string{"may_be_child"}},
		{name: "child/age 18, interviewer sure: adult", ans: profile2(with{"age": 18}),
			want: map[string]any{"trafficking.child": false}, refs: map[string]string{"child_protection": ""},
			cauts: map[string]bool{"child_sensitive_procedures": false}, notAsked: notChild},
		{name: "child/age 17 answered may_be_child no: not asked, still a child", ans: profile2(child2, with{"age": 17, "may_be_child": "no"}),
			dropped: []string{"may_be_child"}, want: map[string]any{"trafficking.child": true}, refs: map[string]string{"child_protection": "standard"}},
		{name: "child/stated 19, interviewer doubts", ans: profile2(childQs2, with{"age": 19, "may_be_child": "yes"}),
			want: map[string]any{"trafficking.child": true}, refs: map[string]string{"child_protection": "standard"},
			cauts: map[string]bool{"child_sensitive_procedures": true}, asked: notChild},
		{name: "child/stated 21, may_be_child dont_know", ans: profile2(childQs2, with{"age": 21, "may_be_child": "dont_know"}),
			want: map[string]any{"trafficking.child": true}, refs: map[string]string{"child_protection": "standard"}, gaps: []string{"may_be_child"}},
		{name: "child/stated 21, may_be_child declined", ans: profile2(childQs2, with{"age": 21, "may_be_child": "declined"}),
			want: map[string]any{"trafficking.child": true}, refs: map[string]string{"child_protection": "standard"}},
		{name: "child/stated 25, may_be_child left unanswered: adult", ans: profile2(with{"age": 25, "may_be_child": del}),
			want: map[string]any{"trafficking.child": false}, refs: map[string]string{"child_protection": ""},
			gaps: []string{"may_be_child"}, notAsked: notChild},
		{name: "child/age declined, may_be_child left unanswered", ans: profile2(childQs2, with{"age": "declined", "may_be_child": del}),
			want: map[string]any{"trafficking.child": true}, refs: map[string]string{"child_protection": "standard"},
			gaps: []string{"age", "may_be_child"}},
		{name: "child/age dont_know, may_be_child yes", ans: profile2(childQs2, with{"age": "dont_know", "may_be_child": "yes"}),
			want: map[string]any{"trafficking.child": true}, refs: map[string]string{"child_protection": "standard"}},
		{name: "child/age left unanswered, may_be_child left unanswered", ans: profile2(childQs2, with{"age": del, "may_be_child": nil}),
			want: map[string]any{"trafficking.child": true}, refs: map[string]string{"child_protection": "standard"},
			gaps: []string{"age", "may_be_child"}},
		{name: "child/age unknown, interviewer says no: adult", ans: profile2(with{"age": "dont_know", "may_be_child": "no"}),
			want: map[string]any{"trafficking.child": false}, refs: map[string]string{"child_protection": ""}, notAsked: notChild},
		{name: "child/age left unanswered, interviewer says no: adult", ans: profile2(with{"age": del, "may_be_child": "no"}),
			want: map[string]any{"trafficking.child": false}, refs: map[string]string{"child_protection": ""}, gaps: []string{"age"}},
		{name: "child/child questions asked of a child, left unanswered", ans: profile2(with{"age": 12, "may_be_child": del}),
			want: map[string]any{"trafficking.child": true}, refs: map[string]string{"child_protection": "urgent"},
			gaps:  []string{"unaccompanied", "child_married", "consent_given_by", "child_assent", "armed_group_association"},
			asked: notChild, notAsked: []string{"under_18_at_start"}},

		// ---------- child_at_time ----------
		{name: "child_at_time/under 18 at start: no means needed", ans: profile2(trafficked2, with{"age": 22, "under_18_at_start": "yes", "trafficking_means": []string{"none"}}),
			want: map[string]any{"trafficking.child": true, "trafficking.indicators": "strong"}, refs: map[string]string{"child_protection": ""}},
		{name: "child_at_time/not under 18 at start: some", ans: profile2(trafficked2, with{"age": 22, "under_18_at_start": "no", "trafficking_means": []string{"none"}}),
			want: map[string]any{"trafficking.child": false, "trafficking.indicators": "some"}},
		{name: "child_at_time/under_18_at_start dont_know is not yes", ans: profile2(trafficked2, with{"under_18_at_start": "dont_know", "trafficking_means": []string{"none"}}),
			want: map[string]any{"trafficking.child": false, "trafficking.indicators": "some"}},
		{name: "child_at_time/a child now", ans: profile2(trafficked2, child2, with{"trafficking_means": []string{"none"}}),
			want: map[string]any{"trafficking.child": true, "trafficking.indicators": "strong"}, notAsked: []string{"under_18_at_start"}},

		// ---------- risk_count ----------
		{name: "risk_count/smugglers and no documents count as one", ans: profile2(with{"risk_factors": []string{"used_smugglers", "no_documents"}}),
			want: map[string]any{"situation": "no_indicators", "outcome": "no_protection_indicators"},
			refs: map[string]string{"trafficking_prevention": "", "livelihood_and_education": ""}},
		{name: "risk_count/smugglers, no documents and one more is two", ans: profile2(with{"risk_factors": []string{"used_smugglers", "no_documents", "no_livelihood"}}),
			want: map[string]any{"situation": "refugee_at_risk_of_trafficking", "outcome": "further_assessment"},
			refs: map[string]string{"trafficking_prevention": "standard", "livelihood_and_education": "standard"}},
		{name: "risk_count/smugglers and another is two", ans: profile2(with{"risk_factors": []string{"used_smugglers", "movement_restricted"}}),
			want: map[string]any{"situation": "refugee_at_risk_of_trafficking"}},
		{name: "risk_count/no documents and another is two", ans: profile2(with{"risk_factors": []string{"no_documents", "discrimination_in_host"}}),
			want: map[string]any{"situation": "refugee_at_risk_of_trafficking"}},
		{name: "risk_count/camp and no livelihood is two", ans: profile2(with{"risk_factors": []string{"lives_in_camp_or_reception", "no_livelihood"}}),
			want: map[string]any{"situation": "refugee_at_risk_of_trafficking"}},
		{name: "risk_count/one is not at risk", ans: profile2(with{"risk_factors": []string{"no_livelihood"}}),
			want: map[string]any{"situation": "no_indicators"}, refs: map[string]string{"livelihood_and_education": ""}},
		{name: "risk_count/declined is not a risk", ans: profile2(with{"risk_factors": "declined"}),
			want: map[string]any{"situation": "no_indicators", "outcome": "no_protection_indicators"}, gaps: []string{"risk_factors"}},

		// ---------- severe_labour, labour_count ----------
		{name: "severe_labour/violence alone", ans: profile2(trafficked2, bare2, with{"labour_indicators": []string{"physical_sexual_violence"}}),
			want: map[string]any{"trafficking.indicators": "some"}, refs: map[string]string{"anti_trafficking_referral": "high"}},
		{name: "severe_labour/debt bondage alone", ans: profile2(trafficked2, bare2, with{"labour_indicators": []string{"debt_bondage"}}),
			want: map[string]any{"trafficking.indicators": "some"}},
		{name: "severe_labour/documents retained alone", ans: profile2(trafficked2, bare2, with{"labour_indicators": []string{"retention_of_documents"}}),
			want: map[string]any{"trafficking.indicators": "some"}},
		{name: "labour_count/two ordinary indicators", ans: profile2(trafficked2, bare2, with{"labour_indicators": []string{"isolation", "excessive_overtime"}}),
			want: map[string]any{"trafficking.indicators": "some"}},
		{name: "labour_count/one ordinary indicator: unknown, never none", ans: profile2(trafficked2, bare2, with{"labour_indicators": []string{"isolation"}}),
			want: map[string]any{"trafficking.indicators": "unknown", "situation": "undetermined"}, refs: map[string]string{"anti_trafficking_referral": "high"}},

		// ---------- outside ----------
		{name: "outside/transit", ans: profile2(refugee2, with{"present_in": "transit_country"}),
			want: map[string]any{"refugee_protection.elements.outside": true, "refugee_protection.level": "strong"},
			refs: map[string]string{"asylum_procedure": "high"}},
		{name: "outside/present_in declined: the rules for people outside apply", ans: profile2(refugee2, detained2, with{"present_in": "declined"}),
			want: map[string]any{"refugee_protection.elements.outside": nil, "refugee_protection.level": "strong"},
			refs: map[string]string{"asylum_procedure": "urgent", "internal_protection": ""}, cauts: map[string]bool{"non_refoulement": true},
			asked: []string{"fears_return", "deportation_risk", "asylum_status", "fears_trafficking_here"}, notAsked: []string{"feels_unsafe_where_living"}},
		{name: "outside/present_in left unanswered", ans: profile2(fearOnly2, detained2, with{"present_in": nil}),
			want: map[string]any{"refugee_protection.elements.outside": nil, "refugee_protection.level": "possible"},
			refs: map[string]string{"asylum_procedure": "urgent", "legal_aid": "urgent"}, cauts: map[string]bool{"non_refoulement": true}},
		{name: "outside/origin country: not outside", ans: profile2(origin2),
			want: map[string]any{"refugee_protection.elements.outside": false, "refugee_protection.level": "not_applicable",
				"situation": "in_country_of_origin", "solutions.voluntary_repatriation": "not_applicable",
				"refugee_protection.elements.well_founded_fear": nil, "outcome": "no_protection_indicators"},
			asked:    []string{"feels_unsafe_where_living", "risk_factors"},
			notAsked: []string{"fears_return", "fears_trafficking_here", "threat_in_host_country", "asylum_status", "knows_right_to_asylum", "deportation_risk", "wishes_to_return"}},

		// ---------- disclosed ----------
		{name: "disclosed/formally identified, ever_exploited no", ans: profile2(with{"identified_as_trafficking_victim": "yes"}),
			want: map[string]any{"trafficking.disclosed": true, "trafficking.indicators": "unknown"},
			refs: map[string]string{"anti_trafficking_referral": "high", "legal_aid": "standard"}},
		{name: "disclosed/identified dont_know is not yes", ans: profile2(with{"identified_as_trafficking_victim": "dont_know"}),
			want: map[string]any{"trafficking.disclosed": false, "trafficking.indicators": "none"}, refs: map[string]string{"anti_trafficking_referral": ""}},
		{name: "disclosed/ever_exploited yes", ans: profile2(trafficked2, disclosedOnly2),
			want: map[string]any{"trafficking.disclosed": true}},

		// ---------- fear_stated (asks the fear details) ----------
		{name: "fear_stated/fears_return", ans: profile2(fearOnly2),
			asked: []string{"feared_harm", "feared_by", "targeted_because", "state_protection"}},
		{name: "fear_stated/fears_being_trafficked", ans: profile2(fearOnly2, with{"fears_return": "no", "fears_being_trafficked": "yes"}),
			asked: []string{"feared_harm", "feared_by", "targeted_because", "state_protection"}},
		{name: "fear_stated/feels unsafe where living (origin)", ans: profile2(origin2, fearOnly2, with{"fears_return": del, "feels_unsafe_where_living": "yes"}),
			asked: []string{"feared_harm", "feared_by", "targeted_because", "state_protection"}},
		{name: "fear_stated/not: fear of traffickers here is not fear of return", ans: profile2(with{"fears_trafficking_here": "yes"}),
			notAsked: []string{"feared_harm", "feared_by", "targeted_because", "state_protection"},
			want:     map[string]any{"refugee_protection.level": "unlikely", "refugee_protection.elements.well_founded_fear": false}},
		{name: "fear_stated/not: fears_return dont_know", ans: profile2(with{"fears_return": "dont_know"}),
			notAsked: []string{"feared_harm", "feared_by", "targeted_because", "state_protection"}},
		{name: "fear_stated/past harm asks only targeted_because", ans: profile2(pastHarm2),
			asked: []string{"targeted_because", "stigmatised_in_host", "fears_retaliation_if_reporting"}, notAsked: []string{"feared_harm", "feared_by", "state_protection"}},
		{name: "fear_stated/fear answers given without a fear are dropped", ans: profile2(with{"feared_harm": []string{"re_trafficking"}}),
			dropped: []string{"feared_harm"}, cauts: map[string]bool{"repatriation_not_suitable": false}},

		// ---------- armed_group_child ----------
		{name: "armed_group_child/a child who was with an armed group", ans: profile2(child2, with{"armed_group_association": "yes"}),
			refs:  map[string]string{"reintegration_armed_groups": "high", "child_protection": "urgent"},
			cauts: map[string]bool{"children_associated_with_armed_groups": true}},
		{name: "armed_group_child/an adult who joined as a child", ans: profile2(conflict2, with{"armed_group_association": "yes", "under_18_at_start": "yes"}),
			refs: map[string]string{"reintegration_armed_groups": "high", "child_protection": ""}, cauts: map[string]bool{"children_associated_with_armed_groups": true},
			asked: []string{"under_18_at_start"}},
		{name: "armed_group_child/an adult whose age then is not known", ans: profile2(conflict2, with{"armed_group_association": "yes", "under_18_at_start": "dont_know"}),
			refs: map[string]string{"reintegration_armed_groups": "high"}, cauts: map[string]bool{"children_associated_with_armed_groups": true}},
		{name: "armed_group_child/an adult, age then left unanswered", ans: profile2(conflict2, with{"armed_group_association": "yes"}),
			refs: map[string]string{"reintegration_armed_groups": "high"}, cauts: map[string]bool{"children_associated_with_armed_groups": true},
			gaps: []string{"under_18_at_start"}},
		{name: "armed_group_child/not: an adult who joined as an adult", ans: profile2(conflict2, with{"armed_group_association": "yes", "under_18_at_start": "no"}),
			refs: map[string]string{"reintegration_armed_groups": ""}, cauts: map[string]bool{"children_associated_with_armed_groups": false}},
		{name: "armed_group_child/child soldiering, under 18 at start", ans: profile2(trafficked2, with{"exploitation": []string{"child_soldiering"}, "under_18_at_start": "yes"}),
			refs: map[string]string{"reintegration_armed_groups": "high"}, cauts: map[string]bool{"children_associated_with_armed_groups": true}},
		{name: "armed_group_child/not: child soldiering named by an adult who was an adult then", ans: profile2(trafficked2, with{"exploitation": []string{"child_soldiering"}}),
			refs: map[string]string{"reintegration_armed_groups": ""}, cauts: map[string]bool{"children_associated_with_armed_groups": false}},
		{name: "armed_group_child/not: armed_group_association not asked of an adult who did not flee conflict", ans: profile2(with{"armed_group_association": "yes"}),
			dropped: []string{"armed_group_association"}, refs: map[string]string{"reintegration_armed_groups": ""}},
		{name: "armed_group_association/asked when fled_conflict declined", ans: profile2(with{"fled_conflict_or_violence": "declined", "armed_group_association": "no"}),
			asked: []string{"armed_group_association"}},
	}
}

func spec2TraffickingCases() []spec2Case {
	return []spec2Case{
		// ---------- trafficking.indicators and elements ----------
		{name: "indicators/strong: act, means, purpose (adult)", ans: profile2(trafficked2),
			want: map[string]any{"trafficking.indicators": "strong", "trafficking.child": false, "trafficking.disclosed": true,
				"trafficking.elements.act": true, "trafficking.elements.means": true, "trafficking.elements.purpose": true,
				"situation": "trafficked_abroad", "outcome": "refer_for_protection",
				"refugee_protection.level": "unlikely", "refugee_protection.elements.well_founded_fear": nil},
			refs: map[string]string{"anti_trafficking_referral": "high", "legal_aid": "standard"}},
		{name: "indicators/strong: a child needs no means", ans: profile2(trafficked2, child2, with{"trafficking_means": []string{"none"}}),
			want: map[string]any{"trafficking.indicators": "strong", "trafficking.elements.means": false}},
		{name: "indicators/strong: a child, means declined", ans: profile2(trafficked2, child2, with{"trafficking_means": "declined"}),
			want: map[string]any{"trafficking.indicators": "strong", "trafficking.elements.means": nil}},
		{name: "indicators/some: adult, act and purpose, no means", ans: profile2(trafficked2, with{"trafficking_means": []string{"none"}}),
			want: map[string]any{"trafficking.indicators": "some", "trafficking.elements.means": false}},
		{name: "indicators/some: purpose alone", ans: profile2(trafficked2, bare2, with{"exploitation": []string{"domestic_servitude"}}),
			want: map[string]any{"trafficking.indicators": "some", "trafficking.elements.act": false, "trafficking.elements.purpose": true}},
		{name: "indicators/some: act and means without purpose", ans: profile2(trafficked2, with{"exploitation": []string{"none"}}),
			want: map[string]any{"trafficking.indicators": "some", "trafficking.elements.purpose": false}},
		{name: "indicators/unknown: act alone", ans: profile2(trafficked2, bare2, with{"trafficking_act": []string{"harboured"}}),
			want: map[string]any{"trafficking.indicators": "unknown", "trafficking.elements.act": true}},
		{name: "indicators/unknown: means alone", ans: profile2(trafficked2, bare2, with{"trafficking_means": []string{"threat"}}),
			want: map[string]any{"trafficking.indicators": "unknown"}},
		{name: "indicators/unknown: yes then none of these is never none", ans: profile2(trafficked2, bare2),
			want: map[string]any{"trafficking.indicators": "unknown", "trafficking.disclosed": true, "situation": "undetermined",
				"trafficking.elements.act": false, "trafficking.elements.means": false, "trafficking.elements.purpose": false},
			refs: map[string]string{"anti_trafficking_referral": "high"}},
		{name: "indicators/unknown: details declined", ans: profile2(trafficked2, disclosedOnly2),
			want: map[string]any{"trafficking.indicators": "unknown", "trafficking.elements.act": nil,
				"trafficking.elements.means": nil, "trafficking.elements.purpose": nil}},
		{name: "indicators/unknown: details dont_know", ans: profile2(trafficked2, with{"trafficking_act": "dont_know", "trafficking_means": "dont_know", "exploitation": "dont_know"}),
			want: map[string]any{"trafficking.indicators": "unknown", "trafficking.elements.act": nil}},
		{name: "indicators/unknown: details left unanswered", ans: profile2(trafficked2, with{"trafficking_act": del, "trafficking_means": del, "exploitation": nil}),
			want: map[string]any{"trafficking.indicators": "unknown", "trafficking.elements.purpose": nil}},
		{name: "indicators/none: ever_exploited no", ans: profile2(),
			want: map[string]any{"trafficking.indicators": "none", "trafficking.elements.act": false}},
		{name: "indicators/none: identified declined is not yes", ans: profile2(with{"identified_as_trafficking_victim": "declined"}),
			want: map[string]any{"trafficking.indicators": "none"}},
		{name: "indicators/unknown: identified yes", ans: profile2(with{"identified_as_trafficking_victim": "yes"}),
			want: map[string]any{"trafficking.indicators": "unknown", "trafficking.elements.act": false}},
		{name: "indicators/unknown: ever_exploited declined", ans: profile2(with{"ever_exploited": "declined"}),
			want: map[string]any{"trafficking.indicators": "unknown", "trafficking.disclosed": false, "situation": "undetermined",
				"outcome": "further_assessment", "trafficking.elements.act": nil, "trafficking.elements.means": nil, "trafficking.elements.purpose": nil},
			refs:     map[string]string{"anti_trafficking_referral": ""},
			asked:    []string{"involved_in_legal_proceedings", "fears_retaliation_if_reporting", "authorities_informed", "fears_being_trafficked"},
			notAsked: []string{"trafficking_act", "exploitation", "still_under_control", "family_involved"},
			gaps: []string{"ever_exploited", "stigmatised_in_host", "trauma_affecting_recovery",
				"involved_in_legal_proceedings", "fears_retaliation_if_reporting", "authorities_informed"}},
		{name: "indicators/unknown: ever_exploited dont_know", ans: profile2(with{"ever_exploited": "dont_know", "involved_in_legal_proceedings": "no",
			"fears_retaliation_if_reporting": "no", "authorities_informed": "yes"}),
			want: map[string]any{"trafficking.indicators": "unknown"}},

		// ---------- situation ----------
		{name: "situation/in_country_of_origin beats trafficked", ans: profile2(trafficked2, origin2),
			want: map[string]any{"situation": "in_country_of_origin"}},
		{name: "situation/trafficked_abroad", ans: profile2(trafficked2),
			want: map[string]any{"situation": "trafficked_abroad"}},
		{name: "situation/trafficked_abroad: both", ans: profile2(trafficked2, with{"exploitation_where": "both"}),
			want: map[string]any{"situation": "trafficked_abroad"}},
		{name: "situation/trafficked_abroad with some indicators", ans: profile2(trafficked2, with{"trafficking_means": []string{"none"}}),
			want: map[string]any{"situation": "trafficked_abroad", "trafficking.indicators": "some"}},
		{name: "situation/trafficked_in_origin_then_fled", ans: profile2(trafficked2, with{"exploitation_where": "origin_country"}),
			want: map[string]any{"situation": "trafficked_in_origin_then_fled"}},
		{name: "situation/where declined: undetermined", ans: profile2(trafficked2, with{"exploitation_where": "declined"}),
			want: map[string]any{"situation": "undetermined", "outcome": "refer_for_protection"}},
		{name: "situation/abroad but indicators unknown: not trafficked_abroad", ans: profile2(trafficked2, bare2),
			want: map[string]any{"situation": "undetermined"}},
		{name: "situation/fears_trafficking: if returned", ans: profile2(fearOnly2, with{"fears_return": "no", "fears_being_trafficked": "yes"}),
			want: map[string]any{"situation": "fears_trafficking", "trafficking.indicators": "none"}},
		{name: "situation/fears_trafficking: here", ans: profile2(with{"fears_trafficking_here": "yes"}),
			want: map[string]any{"situation": "fears_trafficking"}},
		{name: "situation/fears_trafficking beats at risk", ans: profile2(with{"fears_trafficking_here": "yes", "risk_factors": []string{"approached_by_recruiters"}}),
			want: map[string]any{"situation": "fears_trafficking"}},
		{name: "situation/fears_trafficking here declined is not a fear", ans: profile2(with{"fears_trafficking_here": "declined"}),
			want: map[string]any{"situation": "no_indicators"}},
		{name: "situation/refugee_at_risk: approached by recruiters alone", ans: profile2(with{"risk_factors": []string{"approached_by_recruiters"}}),
			want: map[string]any{"situation": "refugee_at_risk_of_trafficking"}},
		{name: "situation/refugee_at_risk: two risks", ans: profile2(with{"risk_factors": []string{"no_livelihood", "movement_restricted"}}),
			want: map[string]any{"situation": "refugee_at_risk_of_trafficking"}},
		{name: "situation/trafficked with two risks is trafficked, not at risk", ans: profile2(trafficked2, with{"risk_factors": []string{"no_livelihood", "movement_restricted"}}),
			want: map[string]any{"situation": "trafficked_abroad"}, refs: map[string]string{"trafficking_prevention": "", "livelihood_and_education": ""}},
		{name: "situation/no_indicators", ans: profile2(),
			want: map[string]any{"situation": "no_indicators"}},
		{name: "situation/undetermined", ans: profile2(with{"ever_exploited": "dont_know", "involved_in_legal_proceedings": "no",
			"fears_retaliation_if_reporting": "no", "authorities_informed": "yes"}),
			want: map[string]any{"situation": "undetermined"}},
	}
}

func spec2RefugeeCases() []spec2Case {
	return []spec2Case{
		// ---------- refugee_protection elements ----------
		{name: "elements/strong refugee", ans: profile2(refugee2),
			want: map[string]any{"refugee_protection.level": "strong", "refugee_protection.grounds": []string{"political_opinion"},
				"refugee_protection.elements.outside": true, "refugee_protection.elements.well_founded_fear": true,
				"refugee_protection.elements.serious_harm": true, "refugee_protection.elements.nexus": true,
				"refugee_protection.elements.no_state_protection": true, "refugee_protection.elements.past_persecution": false,
				"refugee_protection.elements.fled_conflict": false, "outcome": "refer_for_protection",
				"solutions.voluntary_repatriation": "not_suitable"},
			refs: map[string]string{"asylum_procedure": "high", "legal_aid": "standard"}, cauts: map[string]bool{"complementary_protection": false}},
		{name: "elements/well_founded_fear via fear of being trafficked", ans: profile2(refugee2, with{"fears_return": "no", "fears_being_trafficked": "yes"}),
			want: map[string]any{"refugee_protection.elements.well_founded_fear": true, "refugee_protection.level": "strong"}},
		{name: "elements/well_founded_fear null when fears_return declined", ans: profile2(with{"fears_return": "declined"}),
			want: map[string]any{"refugee_protection.elements.well_founded_fear": nil}},
		{name: "elements/well_founded_fear null when fears_being_trafficked dont_know", ans: profile2(with{"fears_being_trafficked": "dont_know"}),
			want: map[string]any{"refugee_protection.elements.well_founded_fear": nil}},
		{name: "elements/serious_harm false when none", ans: profile2(refugee2, with{"feared_harm": []string{"none"}}),
			want: map[string]any{"refugee_protection.elements.serious_harm": false, "refugee_protection.level": "possible"}},
		{name: "elements/serious_harm null when declined", ans: profile2(refugee2, with{"feared_harm": "declined"}),
			want: map[string]any{"refugee_protection.elements.serious_harm": nil, "refugee_protection.level": "possible"}},
		{name: "elements/nexus false when none_identified", ans: profile2(refugee2, with{"targeted_because": []string{"none_identified"}}),
			want: map[string]any{"refugee_protection.elements.nexus": false, "refugee_protection.grounds": []string{}, "refugee_protection.level": "possible"}},
		{name: "elements/nexus null when dont_know", ans: profile2(refugee2, with{"targeted_because": "dont_know"}),
			want: map[string]any{"refugee_protection.elements.nexus": nil, "refugee_protection.grounds": []string{}}},
		{name: "elements/no_state_protection: unable", ans: profile2(refugee2, with{"state_protection": "unable", "feared_by": []string{"traffickers"}}),
			want: map[string]any{"refugee_protection.elements.no_state_protection": true, "refugee_protection.level": "strong"}},
		{name: "elements/no_state_protection: unwilling", ans: profile2(refugee2, with{"state_protection": "unwilling", "feared_by": []string{"traffickers"}}),
			want: map[string]any{"refugee_protection.elements.no_state_protection": true}},
		{name: "elements/no_state_protection: authorities involved", ans: profile2(refugee2, with{"feared_by": []string{"other"}}),
			want: map[string]any{"refugee_protection.elements.no_state_protection": true}},
		{name: "elements/no_state_protection: not sought out of fear", ans: profile2(refugee2, with{"state_protection": "not_sought_out_of_fear", "feared_by": []string{"traffickers"}}),
			want: map[string]any{"refugee_protection.elements.no_state_protection": true}},
		{name: "elements/no_state_protection: authorities feared though protection available", ans: profile2(refugee2, with{"state_protection": "available"}),
			want: map[string]any{"refugee_protection.elements.no_state_protection": true, "refugee_protection.level": "strong"}},
		{name: "elements/no_state_protection false: available, feared by others", ans: profile2(refugee2, with{"state_protection": "available", "feared_by": []string{"armed_groups"}}),
			want: map[string]any{"refugee_protection.elements.no_state_protection": false, "refugee_protection.level": "possible"}},
		{name: "elements/no_state_protection null: declined, feared by others", ans: profile2(refugee2, with{"state_protection": "declined", "feared_by": []string{"family_or_community"}}),
			want: map[string]any{"refugee_protection.elements.no_state_protection": nil, "refugee_protection.level": "possible"}},
		{name: "elements/past_persecution true", ans: profile2(pastHarm2),
			want: map[string]any{"refugee_protection.elements.past_persecution": true, "refugee_protection.elements.well_founded_fear": false,
				"refugee_protection.elements.serious_harm": nil, "refugee_protection.grounds": []string{"religion"}, "refugee_protection.level": "possible"}},
		{name: "elements/past_persecution null when dont_know", ans: profile2(pastHarm2, with{"past_serious_harm": "dont_know", "targeted_because": del}),
			want:     map[string]any{"refugee_protection.elements.past_persecution": nil, "refugee_protection.level": "insufficient_information"},
			notAsked: []string{"targeted_because"}, asked: []string{"stigmatised_in_host", "fears_retaliation_if_reporting"}},
		{name: "elements/fled_conflict true", ans: profile2(conflict2),
			want: map[string]any{"refugee_protection.elements.fled_conflict": true, "refugee_protection.level": "possible"}},
		{name: "elements/fled_conflict null when declined", ans: profile2(conflict2, with{"fled_conflict_or_violence": "declined"}),
			want: map[string]any{"refugee_protection.elements.fled_conflict": nil, "refugee_protection.level": "insufficient_information"}},

		// ---------- grounds ----------
		{name: "grounds/every value mapped, sorted, no repeats", ans: profile2(refugee2, with{"targeted_because": []string{
			"ethnicity_or_race", "religion", "nationality_or_statelessness", "political_opinion", "being_a_woman_or_girl",
			"being_a_child", "former_trafficking_victim", "sexual_orientation_or_gender_identity", "other_social_group"}}),
			want: map[string]any{"refugee_protection.grounds": []string{"nationality", "particular_social_group", "political_opinion", "race", "religion"}}},
		{name: "grounds/ethnicity is race", ans: profile2(refugee2, with{"targeted_because": []string{"ethnicity_or_race"}}),
			want: map[string]any{"refugee_protection.grounds": []string{"race"}}},
		{name: "grounds/religion", ans: profile2(refugee2, with{"targeted_because": []string{"religion"}}),
			want: map[string]any{"refugee_protection.grounds": []string{"religion"}}},
		{name: "grounds/statelessness is nationality", ans: profile2(refugee2, with{"targeted_because": []string{"nationality_or_statelessness"}}),
			want: map[string]any{"refugee_protection.grounds": []string{"nationality"}}},
		{name: "grounds/political opinion", ans: profile2(refugee2),
			want: map[string]any{"refugee_protection.grounds": []string{"political_opinion"}}},
		{name: "grounds/woman or girl", ans: profile2(refugee2, with{"targeted_because": []string{"being_a_woman_or_girl"}}),
			want: map[string]any{"refugee_protection.grounds": []string{"particular_social_group"}}},
		{name: "grounds/child", ans: profile2(refugee2, with{"targeted_because": []string{"being_a_child"}}),
			want: map[string]any{"refugee_protection.grounds": []string{"particular_social_group"}}},
		{name: "grounds/former trafficking victim", ans: profile2(refugee2, with{"targeted_because": []string{"former_trafficking_victim"}}),
			want: map[string]any{"refugee_protection.grounds": []string{"particular_social_group"}}},
		{name: "grounds/sexual orientation or gender identity", ans: profile2(refugee2, with{"targeted_because": []string{"sexual_orientation_or_gender_identity"}}),
			want: map[string]any{"refugee_protection.grounds": []string{"particular_social_group"}}},
		{name: "grounds/other social group", ans: profile2(refugee2, with{"targeted_because": []string{"other_social_group"}}),
			want: map[string]any{"refugee_protection.grounds": []string{"particular_social_group"}}},
		{name: "grounds/social groups collapse to one", ans: profile2(refugee2, with{"targeted_because": []string{"being_a_child", "other_social_group", "religion"}}),
			want: map[string]any{"refugee_protection.grounds": []string{"particular_social_group", "religion"}}},

		// ---------- refugee_protection.level ----------
		{name: "level/not_applicable in the country of origin", ans: profile2(origin2, fearOnly2, with{"fears_return": del, "fears_being_trafficked": "yes",
			"feared_harm": []string{"threats_to_life_or_freedom"}, "feared_by": []string{"authorities"}, "targeted_because": []string{"religion"}, "state_protection": "unable"}),
			want: map[string]any{"refugee_protection.level": "not_applicable", "refugee_protection.elements.well_founded_fear": true},
			refs: map[string]string{"asylum_procedure": "", "internal_protection": "high"}},
		{name: "level/recognised beats strong", ans: profile2(refugee2, recognised2),
			want: map[string]any{"refugee_protection.level": "recognised", "solutions.voluntary_repatriation": "not_requested"},
			refs: map[string]string{"asylum_procedure": "", "legal_aid": ""}, notAsked: []string{"knows_right_to_asylum"}},
		{name: "level/recognised with nothing else", ans: profile2(recognised2),
			want: map[string]any{"refugee_protection.level": "recognised", "outcome": "no_protection_indicators"}, refs: map[string]string{"asylum_information": ""}},
		{name: "level/strong", ans: profile2(refugee2),
			want: map[string]any{"refugee_protection.level": "strong"}},
		{name: "level/possible: fear of return stated, details declined", ans: profile2(fearOnly2),
			want: map[string]any{"refugee_protection.level": "possible", "outcome": "refer_for_protection"}, refs: map[string]string{"asylum_procedure": "high"}},
		{name: "level/possible: fear of being trafficked if returned, alone", ans: profile2(fearOnly2, with{"fears_return": "no", "fears_being_trafficked": "yes"}),
			want: map[string]any{"refugee_protection.level": "possible"}},
		{name: "level/possible: past serious harm alone", ans: profile2(pastHarm2),
			want: map[string]any{"refugee_protection.level": "possible"}},
		{name: "level/possible: fled conflict alone", ans: profile2(conflict2),
			want: map[string]any{"refugee_protection.level": "possible"}, refs: map[string]string{"asylum_procedure": "high"}},
		{name: "level/unlikely", ans: profile2(),
			want: map[string]any{"refugee_protection.level": "unlikely"}},
		{name: "level/unlikely: fears_being_trafficked not asked (disclosed)", ans: profile2(trafficked2),
			want: map[string]any{"refugee_protection.level": "unlikely"}},
		{name: "level/insufficient: fears_return declined", ans: profile2(with{"fears_return": "declined"}),
			want: map[string]any{"refugee_protection.level": "insufficient_information", "outcome": "further_assessment"}},
		{name: "level/insufficient: fears_return left unanswered", ans: profile2(with{"fears_return": nil}),
			want: map[string]any{"refugee_protection.level": "insufficient_information"}},
		{name: "level/insufficient: fears_being_trafficked declined is not no", ans: profile2(with{"fears_being_trafficked": "declined"}),
			want: map[string]any{"refugee_protection.level": "insufficient_information"}},
		{name: "level/insufficient: past_serious_harm dont_know", ans: profile2(with{"past_serious_harm": "dont_know", "stigmatised_in_host": "no",
			"trauma_affecting_recovery": "no", "fears_retaliation_if_reporting": "no"}),
			want: map[string]any{"refugee_protection.level": "insufficient_information"}},
		{name: "level/insufficient: fled_conflict declined", ans: profile2(with{"fled_conflict_or_violence": "declined", "armed_group_association": "no"}),
			want: map[string]any{"refugee_protection.level": "insufficient_information"}},
		{name: "level/possible: fear with no serious harm named is still possible", ans: profile2(refugee2, with{"feared_harm": []string{"none"}}),
			want: map[string]any{"refugee_protection.level": "possible"}},
	}
}

func spec2ReferralCases() []spec2Case {
	return []spec2Case{
		// ---------- asylum_procedure ----------
		{name: "asylum_procedure/high", ans: profile2(refugee2), refs: map[string]string{"asylum_procedure": "high"}},
		{name: "asylum_procedure/urgent with deportation risk", ans: profile2(refugee2, detained2),
			refs: map[string]string{"asylum_procedure": "urgent"}, want: map[string]any{"outcome": "urgent_referral"}},
		{name: "asylum_procedure/deportation risk declined: high", ans: profile2(refugee2, with{"deportation_risk": "declined"}),
			refs: map[string]string{"asylum_procedure": "high"}},
		{name: "asylum_procedure/applied, pending", ans: profile2(refugee2, with{"asylum_status": "applied_pending", "knows_right_to_asylum": del}),
			refs: map[string]string{"asylum_procedure": "high"}},
		{name: "asylum_procedure/other protection", ans: profile2(refugee2, with{"asylum_status": "other_protection", "knows_right_to_asylum": del}),
			refs: map[string]string{"asylum_procedure": "high"}},
		{name: "asylum_procedure/status declined", ans: profile2(refugee2, with{"asylum_status": "declined"}),
			refs: map[string]string{"asylum_procedure": "high"}},
		{name: "asylum_procedure/not when rejected", ans: profile2(refugee2, with{"asylum_status": "rejected", "knows_right_to_asylum": del}),
			refs: map[string]string{"asylum_procedure": "", "asylum_appeal_or_new_claim": "high"}},
		{name: "asylum_procedure/not when recognised", ans: profile2(refugee2, recognised2),
			refs: map[string]string{"asylum_procedure": ""}},
		{name: "asylum_procedure/not when insufficient information", ans: profile2(detained2, with{"fears_return": "declined"}),
			refs: map[string]string{"asylum_procedure": ""}},
		{name: "asylum_procedure/not in the country of origin", ans: profile2(origin2, with{"feels_unsafe_where_living": "yes",
			"feared_harm": []string{"threats_to_life_or_freedom"}, "feared_by": []string{"armed_groups"}, "targeted_because": []string{"religion"}, "state_protection": "unable"}),
			refs: map[string]string{"asylum_procedure": ""}},

		// ---------- asylum_appeal_or_new_claim ----------
		{name: "asylum_appeal/rejected, protection need", ans: profile2(fearOnly2, with{"asylum_status": "rejected", "knows_right_to_asylum": del}),
			refs: map[string]string{"asylum_appeal_or_new_claim": "high"}},
		{name: "asylum_appeal/rejected, protection need, removal: urgent", ans: profile2(fearOnly2, detained2, with{"asylum_status": "rejected", "knows_right_to_asylum": del}),
			refs: map[string]string{"asylum_appeal_or_new_claim": "urgent"}},
		{name: "asylum_appeal/rejected, trafficking disclosed late", ans: profile2(trafficked2, disclosedOnly2, with{"asylum_status": "rejected", "knows_right_to_asylum": del}),
			refs: map[string]string{"asylum_appeal_or_new_claim": "high", "asylum_procedure": ""}},
		{name: "asylum_appeal/rejected, formally identified", ans: profile2(with{"identified_as_trafficking_victim": "yes", "asylum_status": "rejected", "knows_right_to_asylum": del}),
			refs: map[string]string{"asylum_appeal_or_new_claim": "high"}},
		{name: "asylum_appeal/rejected, indicators", ans: profile2(trafficked2, with{"asylum_status": "rejected", "knows_right_to_asylum": del}),
			refs: map[string]string{"asylum_appeal_or_new_claim": "high"}},
		{name: "asylum_appeal/not: rejected, nothing else", ans: profile2(with{"asylum_status": "rejected", "knows_right_to_asylum": del}),
			refs: map[string]string{"asylum_appeal_or_new_claim": ""}},
		{name: "asylum_appeal/not: pending", ans: profile2(fearOnly2, with{"asylum_status": "applied_pending", "knows_right_to_asylum": del}),
			refs: map[string]string{"asylum_appeal_or_new_claim": ""}},

		// ---------- asylum_information ----------
		{name: "asylum_information/no", ans: profile2(with{"knows_right_to_asylum": "no"}), refs: map[string]string{"asylum_information": "standard"}},
		{name: "asylum_information/declined", ans: profile2(with{"knows_right_to_asylum": "declined"}), refs: map[string]string{"asylum_information": "standard"}},
		{name: "asylum_information/dont_know", ans: profile2(with{"knows_right_to_asylum": "dont_know"}), refs: map[string]string{"asylum_information": "standard"}},
		{name: "asylum_information/not: left unanswered", ans: profile2(with{"knows_right_to_asylum": nil}), refs: map[string]string{"asylum_information": ""}},
		{name: "asylum_information/not: yes", ans: profile2(), refs: map[string]string{"asylum_information": ""}},
		{name: "asylum_information/not asked of an applicant", ans: profile2(with{"asylum_status": "applied_pending", "knows_right_to_asylum": "no"}),
			dropped: []string{"knows_right_to_asylum"}, refs: map[string]string{"asylum_information": ""}},
		{name: "asylum_information/asked when status declined", ans: profile2(with{"asylum_status": "declined", "knows_right_to_asylum": "no"}),
			refs: map[string]string{"asylum_information": "standard"}},

		// ---------- anti_trafficking_referral ----------
		{name: "anti_trafficking/high on indicators", ans: profile2(trafficked2), refs: map[string]string{"anti_trafficking_referral": "high"}},
		{name: "anti_trafficking/high on a disclosure alone", ans: profile2(trafficked2, disclosedOnly2), refs: map[string]string{"anti_trafficking_referral": "high"}},
		{name: "anti_trafficking/urgent under control", ans: profile2(trafficked2, with{"still_under_control": "yes"}),
			refs: map[string]string{"anti_trafficking_referral": "urgent"}, want: map[string]any{"outcome": "urgent_referral"}},
		{name: "anti_trafficking/urgent under control, no details", ans: profile2(trafficked2, disclosedOnly2, with{"still_under_control": "yes"}),
			refs: map[string]string{"anti_trafficking_referral": "urgent"}},
		{name: "anti_trafficking/under control declined: high", ans: profile2(trafficked2, with{"still_under_control": "declined"}),
			refs: map[string]string{"anti_trafficking_referral": "high"}},
		{name: "anti_trafficking/formally identified", ans: profile2(with{"identified_as_trafficking_victim": "yes"}),
			refs: map[string]string{"anti_trafficking_referral": "high"}},
		{name: "anti_trafficking/not: ever_exploited declined", ans: profile2(with{"ever_exploited": "declined"}),
			refs: map[string]string{"anti_trafficking_referral": ""}},

		// ---------- trafficking_prevention ----------
		{name: "prevention/approached by recruiters: high", ans: profile2(with{"risk_factors": []string{"approached_by_recruiters"}}),
			refs: map[string]string{"trafficking_prevention": "high", "livelihood_and_education": "standard"}, want: map[string]any{"outcome": "refer_for_protection"}},
		{name: "prevention/fears being trafficked if returned: high", ans: profile2(fearOnly2, with{"fears_return": "no", "fears_being_trafficked": "yes"}),
			refs: map[string]string{"trafficking_prevention": "high"}},
		{name: "prevention/fears being trafficked here: high", ans: profile2(with{"fears_trafficking_here": "yes"}),
			refs: map[string]string{"trafficking_prevention": "high"}, want: map[string]any{"outcome": "refer_for_protection"}},
		{name: "prevention/two risk factors: standard", ans: profile2(with{"risk_factors": []string{"no_livelihood", "movement_restricted"}}),
			refs: map[string]string{"trafficking_prevention": "standard"}},
		{name: "prevention/not: one risk factor", ans: profile2(with{"risk_factors": []string{"lives_in_camp_or_reception"}}),
			refs: map[string]string{"trafficking_prevention": ""}},
		{name: "prevention/recruiters while trafficked: still high", ans: profile2(trafficked2, with{"risk_factors": []string{"approached_by_recruiters"}}),
			refs: map[string]string{"trafficking_prevention": "high"}},
		{name: "prevention/in the country of origin, fears being trafficked", ans: profile2(origin2, fearOnly2, with{"fears_return": del, "fears_being_trafficked": "yes"}),
			refs: map[string]string{"trafficking_prevention": "high", "internal_protection": "high"}},

		// ---------- child_protection: when, every urgent branch, high, standard ----------
		{name: "child_protection/standard: accompanied, nothing else", ans: profile2(child2),
			refs: map[string]string{"child_protection": "standard"}, want: map[string]any{"outcome": "further_assessment"}},
		{name: "child_protection/not for an adult", ans: profile2(), refs: map[string]string{"child_protection": ""}},
		{name: "child_protection/urgent: unaccompanied", ans: profile2(child2, with{"unaccompanied": "yes"}),
			refs: map[string]string{"child_protection": "urgent", "family_tracing": "standard"}, want: map[string]any{"outcome": "urgent_referral"}},
		{name: "child_protection/urgent: unaccompanied dont_know", ans: profile2(child2, with{"unaccompanied": "dont_know"}),
			refs: map[string]string{"child_protection": "urgent", "family_tracing": ""}},
		{name: "child_protection/urgent: unaccompanied declined", ans: profile2(child2, with{"unaccompanied": "declined"}),
			refs: map[string]string{"child_protection": "urgent"}},
		{name: "child_protection/urgent: unaccompanied left unanswered", ans: profile2(child2, with{"unaccompanied": del}),
			refs: map[string]string{"child_protection": "urgent"}},
		{name: "child_protection/urgent: immediate danger", ans: profile2(child2, with{"immediate_danger": "yes"}),
			refs: map[string]string{"child_protection": "urgent", "safety_and_shelter": "urgent"}},
		{name: "child_protection/urgent: still under control", ans: profile2(trafficked2, child2, with{"still_under_control": "yes"}),
			refs: map[string]string{"child_protection": "urgent"}},
		{name: "child_protection/urgent: threat in host country", ans: profile2(child2, with{"threat_in_host_country": "yes"}),
			refs: map[string]string{"child_protection": "urgent"}},
		{name: "child_protection/urgent: unsafe where living", ans: profile2(child2, origin2, fearOnly2, with{"fears_return": del, "feels_unsafe_where_living": "yes"}),
			refs: map[string]string{"child_protection": "urgent"}},
		{name: "child_protection/urgent: family involved", ans: profile2(trafficked2, child2, with{"family_involved": "yes"}),
			refs: map[string]string{"child_protection": "urgent"}},
		{name: "child_protection/urgent: feared by family or community", ans: profile2(child2, fearOnly2, with{"feared_by": []string{"family_or_community"}}),
			refs: map[string]string{"child_protection": "urgent"}},
		{name: "child_protection/urgent: child married", ans: profile2(child2, with{"child_married": "yes"}),
			refs: map[string]string{"child_protection": "urgent"}},
		{name: "child_protection/urgent: deportation risk", ans: profile2(child2, detained2),
			refs: map[string]string{"child_protection": "urgent"}},
		{name: "child_protection/urgent: sexual violence", ans: profile2(child2, sgbv2),
			refs: map[string]string{"child_protection": "urgent"}},
		{name: "child_protection/urgent: armed group", ans: profile2(child2, with{"armed_group_association": "yes"}),
			refs: map[string]string{"child_protection": "urgent"}},
		{name: "child_protection/urgent: child soldiering", ans: profile2(trafficked2, child2, with{"exploitation": []string{"child_soldiering"}}),
			refs: map[string]string{"child_protection": "urgent"}},
		{name: "child_protection/urgent: interview not private", ans: profile2(child2, with{"interview_private": "no"}),
			refs: map[string]string{"child_protection": "urgent"}},
		{name: "child_protection/urgent: privacy declined", ans: profile2(child2, with{"interview_private": "declined"}),
			refs: map[string]string{"child_protection": "urgent"}},
		{name: "child_protection/privacy left unanswered: standard", ans: profile2(child2, with{"interview_private": del}),
			refs: map[string]string{"child_protection": "standard"}, gaps: []string{"interview_private"}},
		{name: "child_protection/high: another referral high", ans: profile2(child2, with{"needs": []string{"safe_accommodation"}}),
			refs: map[string]string{"child_protection": "high", "safety_and_shelter": "high"}},
		{name: "child_protection/high: another referral urgent", ans: profile2(child2, with{"urgent_medical_need": "yes"}),
			refs: map[string]string{"child_protection": "high", "medical_care": "urgent"}},
		{name: "child_protection/high: indicators", ans: profile2(trafficked2, child2),
			refs: map[string]string{"child_protection": "high"}},
		{name: "child_protection/high: disclosed (identified)", ans: profile2(child2, with{"identified_as_trafficking_victim": "yes"}),
			refs: map[string]string{"child_protection": "high"}},
		{name: "child_protection/high: prevention high", ans: profile2(child2, with{"risk_factors": []string{"approached_by_recruiters"}}),
			refs: map[string]string{"child_protection": "high", "trafficking_prevention": "high"}},
		{name: "child_protection/high: asylum procedure high", ans: profile2(child2, fearOnly2),
			refs: map[string]string{"child_protection": "high", "asylum_procedure": "high"}},
		{name: "child_protection/high: asylum appeal high", ans: profile2(child2, fearOnly2, with{"asylum_status": "rejected", "knows_right_to_asylum": del}),
			refs: map[string]string{"child_protection": "high", "asylum_appeal_or_new_claim": "high", "asylum_procedure": ""}},
		{name: "child_protection/high: internal protection high", ans: profile2(child2, origin2, conflict2),
			refs: map[string]string{"child_protection": "high", "internal_protection": "high"}},
		{name: "child_protection/standard: another referral standard", ans: profile2(child2, with{"needs": []string{"medical", "education"}}),
			refs: map[string]string{"child_protection": "standard", "medical_care": "standard", "livelihood_and_education": "standard"}},

		// ---------- reintegration_armed_groups: see armed_group_child ----------

		// ---------- safety_and_shelter ----------
		{name: "safety/urgent: immediate danger", ans: profile2(with{"immediate_danger": "yes"}),
			refs: map[string]string{"safety_and_shelter": "urgent"}, want: map[string]any{"outcome": "urgent_referral"}},
		{name: "safety/urgent: still under control", ans: profile2(trafficked2, with{"still_under_control": "yes"}),
			refs: map[string]string{"safety_and_shelter": "urgent"}},
		{name: "safety/urgent: threat in host", ans: profile2(with{"threat_in_host_country": "yes"}),
			refs: map[string]string{"safety_and_shelter": "urgent"}},
		{name: "safety/high: unsafe where living", ans: profile2(origin2, fearOnly2, with{"fears_return": del, "feels_unsafe_where_living": "yes"}),
			refs: map[string]string{"safety_and_shelter": "high"}},
		{name: "safety/high: needs safe accommodation", ans: profile2(with{"needs": []string{"safe_accommodation"}}),
			refs: map[string]string{"safety_and_shelter": "high"}, want: map[string]any{"outcome": "refer_for_protection"}},
		{name: "safety/not: immediate danger declined", ans: profile2(with{"immediate_danger": "declined"}),
			refs: map[string]string{"safety_and_shelter": ""}},

		// ---------- medical_care ----------
		{name: "medical/urgent: urgent medical need", ans: profile2(with{"urgent_medical_need": "yes"}),
			refs: map[string]string{"medical_care": "urgent"}, want: map[string]any{"outcome": "urgent_referral"}},
		{name: "medical/urgent: recent sexual violence", ans: profile2(sgbv2, with{"sgbv_recent": "yes"}),
			refs: map[string]string{"medical_care": "urgent"}},
		{name: "medical/standard: needs medical", ans: profile2(with{"needs": []string{"medical"}}),
			refs: map[string]string{"medical_care": "standard", "mental_health": ""}},
		{name: "medical/not: sexual violence, not recent", ans: profile2(sgbv2),
			refs: map[string]string{"medical_care": ""}},
		{name: "medical/not: recency declined", ans: profile2(sgbv2, with{"sgbv_recent": "declined"}),
			refs: map[string]string{"medical_care": ""}},

		// ---------- gbv_response ----------
		{name: "gbv/high: sexual violence", ans: profile2(sgbv2),
			refs: map[string]string{"gbv_response": "high"}, want: map[string]any{"outcome": "refer_for_protection"}},
		{name: "gbv/urgent: recent", ans: profile2(sgbv2, with{"sgbv_recent": "yes"}),
			refs: map[string]string{"gbv_response": "urgent"}},
		{name: "gbv/urgent: immediate danger", ans: profile2(sgbv2, with{"immediate_danger": "yes"}),
			refs: map[string]string{"gbv_response": "urgent"}},
		{name: "gbv/standard: trafficking indicators (anti-trafficking leads)", ans: profile2(trafficked2, sgbv2),
			refs: map[string]string{"gbv_response": "standard", "anti_trafficking_referral": "high"}},
		{name: "gbv/standard: disclosed without details", ans: profile2(trafficked2, disclosedOnly2, sgbv2),
			refs: map[string]string{"gbv_response": "standard"}},
		{name: "gbv/standard: identified", ans: profile2(sgbv2, with{"identified_as_trafficking_victim": "yes"}),
			refs: map[string]string{"gbv_response": "standard"}},
		{name: "gbv/urgent beats standard: recent, trafficked", ans: profile2(trafficked2, sgbv2, with{"sgbv_recent": "yes"}),
			refs: map[string]string{"gbv_response": "urgent"}},
		{name: "gbv/high: child married", ans: profile2(child2, with{"child_married": "yes"}),
			refs: map[string]string{"gbv_response": "high"}},
		{name: "gbv/not: sexual violence declined", ans: profile2(with{"experienced_sgbv": "declined"}),
			refs: map[string]string{"gbv_response": ""}},

		// ---------- mental_health ----------
		{name: "mental_health/needs mental_health", ans: profile2(with{"needs": []string{"mental_health"}}), refs: map[string]string{"mental_health": "standard", "medical_care": ""}},
		{name: "mental_health/needs trauma_counselling", ans: profile2(with{"needs": []string{"trauma_counselling"}}), refs: map[string]string{"mental_health": "standard"}},
		{name: "mental_health/trauma affecting recovery", ans: profile2(pastHarm2, with{"trauma_affecting_recovery": "yes"}),
			refs: map[string]string{"mental_health": "standard", "resettlement_assessment": ""}},

		// ---------- legal_aid ----------
		{name: "legal_aid/standard: protection need", ans: profile2(fearOnly2), refs: map[string]string{"legal_aid": "standard"}},
		{name: "legal_aid/standard: indicators", ans: profile2(trafficked2), refs: map[string]string{"legal_aid": "standard"}},
		{name: "legal_aid/standard: disclosed", ans: profile2(with{"identified_as_trafficking_victim": "yes"}), refs: map[string]string{"legal_aid": "standard"}},
		{name: "legal_aid/standard: needs legal aid", ans: profile2(with{"needs": []string{"legal_aid"}}), refs: map[string]string{"legal_aid": "standard"}},
		{name: "legal_aid/high: deportation risk alone", ans: profile2(detained2),
			refs: map[string]string{"legal_aid": "high"}, want: map[string]any{"outcome": "refer_for_protection"}, cauts: map[string]bool{"non_refoulement": false}},
		{name: "legal_aid/urgent: removal and protection need", ans: profile2(fearOnly2, detained2), refs: map[string]string{"legal_aid": "urgent"}},
		{name: "legal_aid/urgent: removal and recognised", ans: profile2(recognised2, detained2), refs: map[string]string{"legal_aid": "urgent"}},
		{name: "legal_aid/urgent: removal and disclosed", ans: profile2(detained2, with{"identified_as_trafficking_victim": "yes"}), refs: map[string]string{"legal_aid": "urgent"}},
		{name: "legal_aid/urgent: removal and indicators", ans: profile2(trafficked2, detained2), refs: map[string]string{"legal_aid": "urgent"}},
		{name: "legal_aid/urgent: removal and a child", ans: profile2(child2, detained2), refs: map[string]string{"legal_aid": "urgent"}},
		{name: "legal_aid/high: removal, insufficient information", ans: profile2(detained2, with{"fears_return": "declined"}), refs: map[string]string{"legal_aid": "high"}},
		{name: "legal_aid/not: nothing", ans: profile2(), refs: map[string]string{"legal_aid": ""}},

		// ---------- statelessness_assessment ----------
		{name: "statelessness/no nationality", ans: profile2(with{"has_nationality": "no"}), refs: map[string]string{"statelessness_assessment": "standard"}},
		{name: "statelessness/dont_know", ans: profile2(with{"has_nationality": "dont_know"}), refs: map[string]string{"statelessness_assessment": "standard"}},
		{name: "statelessness/declined", ans: profile2(with{"has_nationality": "declined"}), refs: map[string]string{"statelessness_assessment": "standard"}},
		{name: "statelessness/high with removal", ans: profile2(detained2, with{"has_nationality": "no"}),
			refs: map[string]string{"statelessness_assessment": "high"}, want: map[string]any{"outcome": "refer_for_protection"}},
		{name: "statelessness/not: left unanswered", ans: profile2(with{"has_nationality": nil}), refs: map[string]string{"statelessness_assessment": ""}},
		{name: "statelessness/not: yes", ans: profile2(), refs: map[string]string{"statelessness_assessment": ""}},

		// ---------- resettlement_assessment ----------
		{name: "resettlement/recognised, threat in host", ans: profile2(recognised2, with{"threat_in_host_country": "yes"}),
			refs: map[string]string{"resettlement_assessment": "standard"}, want: map[string]any{"solutions.resettlement": "consider"}},
		{name: "resettlement/recognised, stigmatised", ans: profile2(recognised2, pastHarm2, with{"stigmatised_in_host": "yes"}),
			refs: map[string]string{"resettlement_assessment": "standard"}, want: map[string]any{"solutions.resettlement": "consider", "outcome": "further_assessment",
				"refugee_protection.level": "recognised"}},
		{name: "resettlement/recognised, trauma", ans: profile2(recognised2, pastHarm2, with{"trauma_affecting_recovery": "yes"}),
			refs: map[string]string{"resettlement_assessment": "standard"}},
		{name: "resettlement/not for an asylum-seeker (strong, threat)", ans: profile2(refugee2, with{"threat_in_host_country": "yes"}),
			refs: map[string]string{"resettlement_assessment": ""}, want: map[string]any{"solutions.resettlement": "not_indicated"}},
		{name: "resettlement/not: recognised, nothing else", ans: profile2(recognised2), refs: map[string]string{"resettlement_assessment": ""}},

		// ---------- interpreter ----------
		{name: "interpreter/needed", ans: profile2(with{"interpreter_needed": "yes", "referral_consent": []string{"none"}}),
			refs: map[string]string{"interpreter": "standard"}, consent: map[string]string{"interpreter": "not_required"},
			cauts: map[string]bool{"consent_before_referral": false}, want: map[string]any{"outcome": "no_protection_indicators"}},
		{name: "interpreter/not: dont_know", ans: profile2(with{"interpreter_needed": "dont_know"}), refs: map[string]string{"interpreter": ""}},

		// ---------- livelihood_and_education ----------
		{name: "livelihood/at risk", ans: profile2(with{"risk_factors": []string{"no_livelihood", "no_documents"}}), refs: map[string]string{"livelihood_and_education": "standard"}},
		{name: "livelihood/needs livelihood", ans: profile2(with{"needs": []string{"livelihood"}}), refs: map[string]string{"livelihood_and_education": "standard"}},
		{name: "livelihood/needs education", ans: profile2(with{"needs": []string{"education"}}), refs: map[string]string{"livelihood_and_education": "standard"}},

		// ---------- family_tracing ----------
		{name: "family_tracing/needs", ans: profile2(with{"needs": []string{"family_tracing"}}), refs: map[string]string{"family_tracing": "standard"}},
		{name: "family_tracing/unaccompanied child", ans: profile2(child2, with{"unaccompanied": "yes"}), refs: map[string]string{"family_tracing": "standard"}},
		{name: "family_tracing/not: accompanied child", ans: profile2(child2), refs: map[string]string{"family_tracing": ""}},
		{name: "family_tracing/not: unaccompanied left unanswered", ans: profile2(child2, with{"unaccompanied": nil}), refs: map[string]string{"family_tracing": ""}},

		// ---------- internal_protection (each branch) ----------
		{name: "internal_protection/indicators", ans: profile2(trafficked2, origin2), refs: map[string]string{"internal_protection": "high"}},
		{name: "internal_protection/disclosed without details", ans: profile2(trafficked2, disclosedOnly2, origin2), refs: map[string]string{"internal_protection": "high"}},
		{name: "internal_protection/identified", ans: profile2(origin2, with{"identified_as_trafficking_victim": "yes"}), refs: map[string]string{"internal_protection": "high"}},
		{name: "internal_protection/fears being trafficked", ans: profile2(origin2, fearOnly2, with{"fears_return": del, "fears_being_trafficked": "yes"}),
			refs: map[string]string{"internal_protection": "high"}},
		{name: "internal_protection/feels unsafe", ans: profile2(origin2, fearOnly2, with{"fears_return": del, "feels_unsafe_where_living": "yes"}),
			refs: map[string]string{"internal_protection": "high"}},
		{name: "internal_protection/past serious harm", ans: profile2(origin2, pastHarm2, with{"stigmatised_in_host": del, "trauma_affecting_recovery": del}),
			refs: map[string]string{"internal_protection": "high"}},
		{name: "internal_protection/fled conflict", ans: profile2(origin2, conflict2), refs: map[string]string{"internal_protection": "high"},
			want: map[string]any{"outcome": "refer_for_protection"}},
		{name: "internal_protection/not: nothing in origin", ans: profile2(origin2), refs: map[string]string{"internal_protection": ""}},
		{name: "internal_protection/not outside", ans: profile2(fearOnly2, with{"fears_return": "no", "fears_being_trafficked": "yes"}),
			refs: map[string]string{"internal_protection": ""}},

		// ---------- order ----------
		{name: "referrals/sorted urgent, high, standard, then by id",
			ans: profile2(trafficked2, child2, detained2, with{"interview_private": "no", "exploitation": []string{"forced_criminality"},
				"referral_consent": []string{"none"}, "authorities_informed": "no", "experienced_sgbv": "yes", "sgbv_recent": "no"}),
			order:   []string{"child_protection", "legal_aid", "anti_trafficking_referral", "gbv_response"},
			consent: map[string]string{"child_protection": "best_interests", "legal_aid": "not_given", "gbv_response": "not_given"},
			cautOrder: []string{"no_detention_of_children", "non_refoulement", "reinterview_in_private",
				"assistance_not_conditional_on_testimony", "non_punishment",
				"child_sensitive_procedures", "gender_sensitive_procedures",
				"consent_before_referral", "no_report_to_authorities_without_consent"}},
		{name: "referrals/sorted: many",
			ans: profile2(refugee2, with{"interpreter_needed": "yes", "knows_right_to_asylum": "no", "needs": []string{"medical", "safe_accommodation", "legal_aid", "family_tracing"},
				"immediate_danger": "yes", "has_nationality": "no"}),
			order: []string{"safety_and_shelter", "asylum_procedure", "asylum_information", "family_tracing", "interpreter", "legal_aid",
				"medical_care", "statelessness_assessment"},
			want: map[string]any{"solutions.local_integration_support": []string{"medical", "safe_accommodation", "legal_aid", "family_tracing"}}},
	}
}

func spec2ConsentCases() []spec2Case {
	return []spec2Case{
		{name: "consent/given", ans: profile2(refugee2), consent: map[string]string{"asylum_procedure": "given", "legal_aid": "given"},
			cauts: map[string]bool{"consent_before_referral": false}},
		{name: "consent/not_given: other services chosen", ans: profile2(refugee2, with{"referral_consent": []string{"health"}}),
			consent: map[string]string{"asylum_procedure": "not_given"}, cauts: map[string]bool{"consent_before_referral": true}},
		{name: "consent/not_given: none", ans: profile2(refugee2, with{"referral_consent": []string{"none"}}),
			consent: map[string]string{"asylum_procedure": "not_given"}, refs: map[string]string{"asylum_procedure": "high"},
			cauts: map[string]bool{"consent_before_referral": true}},
		{name: "consent/unknown: declined", ans: profile2(refugee2, with{"referral_consent": "declined"}),
			consent: map[string]string{"asylum_procedure": "unknown"}, cauts: map[string]bool{"consent_before_referral": true}},
		{name: "consent/unknown: dont_know", ans: profile2(refugee2, with{"referral_consent": "dont_know"}),
			consent: map[string]string{"asylum_procedure": "unknown"}},
		{name: "consent/unknown: left unanswered", ans: profile2(refugee2, with{"referral_consent": del}),
			consent: map[string]string{"asylum_procedure": "unknown"}, gaps: []string{"referral_consent"}},
		{name: "consent/a referral is never dropped for lack of consent", ans: profile2(trafficked2, with{"still_under_control": "yes", "referral_consent": []string{"none"}}),
			refs: map[string]string{"anti_trafficking_referral": "urgent", "safety_and_shelter": "urgent"}, want: map[string]any{"outcome": "urgent_referral"}},
		{name: "consent/best_interests: urgent child protection, none", ans: profile2(child2, with{"unaccompanied": "yes", "referral_consent": []string{"none"}}),
			consent: map[string]string{"child_protection": "best_interests", "family_tracing": "not_given"}, cauts: map[string]bool{"consent_before_referral": true}},
		{name: "consent/best_interests: urgent child protection, declined", ans: profile2(child2, with{"unaccompanied": "yes", "referral_consent": "declined"}),
			consent: map[string]string{"child_protection": "best_interests", "family_tracing": "unknown"}},
		{name: "consent/best_interests: urgent child protection, other services", ans: profile2(child2, with{"unaccompanied": "yes", "referral_consent": []string{"family_tracing"}}),
			consent: map[string]string{"child_protection": "best_interests", "family_tracing": "given"}, cauts: map[string]bool{"consent_before_referral": true}},
		{name: "consent/given beats best_interests", ans: profile2(child2, with{"unaccompanied": "yes"}),
			consent: map[string]string{"child_protection": "given"}, cauts: map[string]bool{"consent_before_referral": false}},
		{name: "consent/not_given: high child protection", ans: profile2(child2, with{"needs": []string{"safe_accommodation"}, "referral_consent": []string{"none"}}),
			refs: map[string]string{"child_protection": "high"}, consent: map[string]string{"child_protection": "not_given"}},
		{name: "consent/unknown: standard child protection", ans: profile2(child2, with{"referral_consent": "declined"}),
			refs: map[string]string{"child_protection": "standard"}, consent: map[string]string{"child_protection": "unknown"}},
		{name: "consent/not_given: reintegration is not the best-interests exception", ans: profile2(child2, with{"armed_group_association": "yes", "referral_consent": []string{"none"}}),
			consent: map[string]string{"reintegration_armed_groups": "not_given", "child_protection": "best_interests"}},
		{name: "consent/not_required: interpreter, consent declined", ans: profile2(with{"interpreter_needed": "yes", "referral_consent": "declined"}),
			consent: map[string]string{"interpreter": "not_required"}, cauts: map[string]bool{"consent_before_referral": false}},
		{name: "consent/by service: one service, two referrals", ans: profile2(refugee2, with{"referral_consent": []string{"asylum_and_legal"}, "needs": []string{"medical"}}),
			consent: map[string]string{"asylum_procedure": "given", "legal_aid": "given", "medical_care": "not_given"}},
		{name: "consent/each service by its own choice", ans: profile2(trafficked2, sgbv2, origin2, child2, with{"immediate_danger": "yes",
			"needs": []string{"medical", "livelihood", "family_tracing"},
			"referral_consent": []string{"anti_trafficking", "child_protection", "health", "shelter_and_safety", "gbv_services",
				"livelihood_and_education", "family_tracing", "in_country_protection"}}),
			consent: map[string]string{"anti_trafficking_referral": "given", "child_protection": "given", "medical_care": "given",
				"safety_and_shelter": "given", "gbv_response": "given", "livelihood_and_education": "given", "family_tracing": "given",
				"internal_protection": "given", "legal_aid": "not_given"}},
	}
}

func spec2CautionCases() []spec2Case {
	return []spec2Case{
		// ---------- non_refoulement ----------
		{name: "non_refoulement/protection need", ans: profile2(refugee2, detained2), cauts: map[string]bool{"non_refoulement": true}},
		{name: "non_refoulement/insufficient information", ans: profile2(detained2, with{"fears_return": "declined"}), cauts: map[string]bool{"non_refoulement": true}},
		{name: "non_refoulement/recognised", ans: profile2(recognised2, detained2), cauts: map[string]bool{"non_refoulement": true}},
		{name: "non_refoulement/disclosed, level unlikely", ans: profile2(detained2, with{"identified_as_trafficking_victim": "yes"}),
			want: map[string]any{"refugee_protection.level": "unlikely"}, cauts: map[string]bool{"non_refoulement": true}},
		{name: "non_refoulement/indicators, level unlikely", ans: profile2(trafficked2, detained2), cauts: map[string]bool{"non_refoulement": true}},
		{name: "non_refoulement/a child, level unlikely", ans: profile2(child2, detained2), cauts: map[string]bool{"non_refoulement": true}},
		{name: "non_refoulement/not: level unlikely, nothing else", ans: profile2(detained2), cauts: map[string]bool{"non_refoulement": false}},
		{name: "non_refoulement/not: no deportation risk", ans: profile2(refugee2), cauts: map[string]bool{"non_refoulement": false}},
		{name: "non_refoulement/not: deportation risk declined", ans: profile2(refugee2, with{"deportation_risk": "declined"}), cauts: map[string]bool{"non_refoulement": false}},

		// ---------- no_detention_of_children ----------
		{name: "no_detention_of_children/child", ans: profile2(child2, detained2), cauts: map[string]bool{"no_detention_of_children": true}},
		{name: "no_detention_of_children/not: adult", ans: profile2(refugee2, detained2), cauts: map[string]bool{"no_detention_of_children": false}},
		{name: "no_detention_of_children/not: child without deportation risk", ans: profile2(child2), cauts: map[string]bool{"no_detention_of_children": false}},

		// ---------- confidentiality_and_retaliation ----------
		{name: "confidentiality/fears retaliation", ans: profile2(pastHarm2, with{"fears_retaliation_if_reporting": "yes"}), cauts: map[string]bool{"confidentiality_and_retaliation": true}},
		{name: "confidentiality/still under control", ans: profile2(trafficked2, with{"still_under_control": "yes"}), cauts: map[string]bool{"confidentiality_and_retaliation": true}},
		{name: "confidentiality/threat in host", ans: profile2(with{"threat_in_host_country": "yes"}), cauts: map[string]bool{"confidentiality_and_retaliation": true}},
		{name: "confidentiality/not: trafficked, none of these", ans: profile2(trafficked2), cauts: map[string]bool{"confidentiality_and_retaliation": false}},

		// ---------- family_involvement ----------
		{name: "family_involvement/family involved", ans: profile2(trafficked2, with{"family_involved": "yes"}), cauts: map[string]bool{"family_involvement": true}},
		{name: "family_involvement/feared by family", ans: profile2(fearOnly2, with{"feared_by": []string{"family_or_community"}}), cauts: map[string]bool{"family_involvement": true}},
		{name: "family_involvement/child married", ans: profile2(child2, with{"child_married": "yes"}), cauts: map[string]bool{"family_involvement": true}},
		{name: "family_involvement/child, disclosed, family declined", ans: profile2(trafficked2, child2, with{"family_involved": "declined"}), cauts: map[string]bool{"family_involvement": true}},
		{name: "family_involvement/child, disclosed, family dont_know", ans: profile2(trafficked2, child2, with{"family_involved": "dont_know"}), cauts: map[string]bool{"family_involvement": true}},
		{name: "family_involvement/child then, disclosed, family declined", ans: profile2(trafficked2, with{"under_18_at_start": "yes", "family_involved": "declined"}),
			cauts: map[string]bool{"family_involvement": true}},
		{name: "family_involvement/not: adult then, family declined", ans: profile2(trafficked2, with{"family_involved": "declined"}), cauts: map[string]bool{"family_involvement": false}},
		{name: "family_involvement/not: child, family no", ans: profile2(trafficked2, child2), cauts: map[string]bool{"family_involvement": false}},
		// The spec names "declined or not known"; left unanswered is neither (read literally).
		{name: "family_involvement/not: child, family left unanswered", ans: profile2(trafficked2, child2, with{"family_involved": nil}), cauts: map[string]bool{"family_involvement": false}},
		{name: "family_involvement/not: feared by others", ans: profile2(fearOnly2, with{"feared_by": []string{"traffickers"}}), cauts: map[string]bool{"family_involvement": false}},

		// ---------- children_associated_with_armed_groups: see armed_group_child ----------

		// ---------- reinterview_in_private ----------
		{name: "reinterview/not private", ans: profile2(with{"interview_private": "no"}), cauts: map[string]bool{"reinterview_in_private": true},
			want: map[string]any{"outcome": "further_assessment"}},
		{name: "reinterview/declined", ans: profile2(with{"interview_private": "declined"}), cauts: map[string]bool{"reinterview_in_private": true}},
		{name: "reinterview/dont_know", ans: profile2(with{"interview_private": "dont_know"}), cauts: map[string]bool{"reinterview_in_private": true}},
		{name: "reinterview/not: left unanswered", ans: profile2(with{"interview_private": nil}), cauts: map[string]bool{"reinterview_in_private": false}},

		// ---------- assistance_not_conditional_on_testimony ----------
		{name: "assistance/indicators", ans: profile2(trafficked2), cauts: map[string]bool{"assistance_not_conditional_on_testimony": true}},
		{name: "assistance/disclosed (identified)", ans: profile2(with{"identified_as_trafficking_victim": "yes"}), cauts: map[string]bool{"assistance_not_conditional_on_testimony": true}},
		{name: "assistance/legal proceedings", ans: profile2(with{"ever_exploited": "declined", "involved_in_legal_proceedings": "yes",
			"fears_retaliation_if_reporting": "no", "authorities_informed": "yes"}),
			cauts: map[string]bool{"assistance_not_conditional_on_testimony": true, "asylum_independent_of_prosecution": false}},
		{name: "assistance/not: nothing", ans: profile2(), cauts: map[string]bool{"assistance_not_conditional_on_testimony": false}},

		// ---------- asylum_independent_of_prosecution ----------
		{name: "asylum_independent/proceedings and protection need", ans: profile2(fearOnly2, with{"ever_exploited": "declined", "involved_in_legal_proceedings": "yes",
			"fears_retaliation_if_reporting": "no", "authorities_informed": "yes"}),
			cauts: map[string]bool{"asylum_independent_of_prosecution": true}},
		{name: "asylum_independent/not: proceedings no", ans: profile2(trafficked2, refugee2), cauts: map[string]bool{"asylum_independent_of_prosecution": false}},

		// ---------- pursue_both_procedures ----------
		{name: "pursue_both/indicators and protection need", ans: profile2(trafficked2, refugee2), cauts: map[string]bool{"pursue_both_procedures": true}},
		{name: "pursue_both/disclosed and protection need", ans: profile2(fearOnly2, with{"identified_as_trafficking_victim": "yes"}), cauts: map[string]bool{"pursue_both_procedures": true}},
		{name: "pursue_both/not: indicators only", ans: profile2(trafficked2), cauts: map[string]bool{"pursue_both_procedures": false}},
		{name: "pursue_both/not: protection need only", ans: profile2(refugee2), cauts: map[string]bool{"pursue_both_procedures": false}},

		// ---------- non_punishment ----------
		{name: "non_punishment/forced criminality", ans: profile2(trafficked2, with{"exploitation": []string{"forced_criminality"}}), cauts: map[string]bool{"non_punishment": true}},
		{name: "non_punishment/sexual exploitation", ans: profile2(trafficked2, with{"exploitation": []string{"sexual_exploitation"}}), cauts: map[string]bool{"non_punishment": true}},
		{name: "non_punishment/forced begging", ans: profile2(trafficked2, with{"exploitation": []string{"forced_begging"}}), cauts: map[string]bool{"non_punishment": true}},
		{name: "non_punishment/child soldiering", ans: profile2(trafficked2, with{"exploitation": []string{"child_soldiering"}}), cauts: map[string]bool{"non_punishment": true}},
		{name: "non_punishment/forced criminality in the country of origin", ans: profile2(trafficked2, origin2, with{"exploitation": []string{"forced_criminality"}}),
			cauts: map[string]bool{"non_punishment": true}},
		{name: "non_punishment/indicators and removal", ans: profile2(trafficked2, detained2), cauts: map[string]bool{"non_punishment": true}},
		{name: "non_punishment/indicators and no documents", ans: profile2(trafficked2, with{"risk_factors": []string{"no_documents"}}), cauts: map[string]bool{"non_punishment": true}},
		{name: "non_punishment/disclosed and removal", ans: profile2(detained2, with{"identified_as_trafficking_victim": "yes"}), cauts: map[string]bool{"non_punishment": true}},
		{name: "non_punishment/present_in declined counts as outside", ans: profile2(trafficked2, detained2, with{"present_in": "declined"}), cauts: map[string]bool{"non_punishment": true}},
		{name: "non_punishment/not: forced labour, nothing else", ans: profile2(trafficked2), cauts: map[string]bool{"non_punishment": false}},
		{name: "non_punishment/not: smugglers are not no documents", ans: profile2(trafficked2, with{"risk_factors": []string{"used_smugglers"}}), cauts: map[string]bool{"non_punishment": false}},
		{name: "non_punishment/not: no documents in the country of origin", ans: profile2(trafficked2, origin2, with{"risk_factors": []string{"no_documents"}}),
			cauts: map[string]bool{"non_punishment": false}},
		{name: "non_punishment/not: removal without indicators", ans: profile2(detained2, with{"risk_factors": []string{"no_documents"}}), cauts: map[string]bool{"non_punishment": false}},

		// ---------- non_penalisation_irregular_entry ----------
		{name: "non_penalisation/protection need, no documents", ans: profile2(fearOnly2, with{"risk_factors": []string{"no_documents"}}), cauts: map[string]bool{"non_penalisation_irregular_entry": true}},
		{name: "non_penalisation/protection need, smugglers", ans: profile2(refugee2, with{"risk_factors": []string{"used_smugglers"}}), cauts: map[string]bool{"non_penalisation_irregular_entry": true}},
		{name: "non_penalisation/not: no protection need", ans: profile2(with{"risk_factors": []string{"no_documents", "used_smugglers"}}), cauts: map[string]bool{"non_penalisation_irregular_entry": false}},
		{name: "non_penalisation/not: protection need, other risks", ans: profile2(refugee2, with{"risk_factors": []string{"no_livelihood"}}), cauts: map[string]bool{"non_penalisation_irregular_entry": false}},
		{name: "non_penalisation/not: recognised", ans: profile2(recognised2, fearOnly2, with{"risk_factors": []string{"no_documents"}}), cauts: map[string]bool{"non_penalisation_irregular_entry": false}},

		// ---------- repatriation_not_suitable ----------
		{name: "repatriation_not_suitable/re-trafficking", ans: profile2(fearOnly2, with{"feared_harm": []string{"re_trafficking"}}), cauts: map[string]bool{"repatriation_not_suitable": true}},
		{name: "repatriation_not_suitable/reprisals", ans: profile2(fearOnly2, with{"feared_harm": []string{"reprisals_by_traffickers", "forced_marriage"}}), cauts: map[string]bool{"repatriation_not_suitable": true}},
		{name: "repatriation_not_suitable/not: other harm", ans: profile2(fearOnly2, with{"feared_harm": []string{"ostracism_or_discrimination"}}), cauts: map[string]bool{"repatriation_not_suitable": false}},
		{name: "repatriation_not_suitable/not in the country of origin", ans: profile2(origin2, fearOnly2, with{"fears_return": del, "fears_being_trafficked": "yes",
			"feared_harm": []string{"re_trafficking"}}), cauts: map[string]bool{"repatriation_not_suitable": false}},

		// ---------- complementary_protection ----------
		{name: "complementary/fled conflict", ans: profile2(conflict2), cauts: map[string]bool{"complementary_protection": true}, want: map[string]any{"outcome": "refer_for_protection"}},
		{name: "complementary/fear, no ground identified", ans: profile2(fearOnly2, with{"targeted_because": []string{"none_identified"}}), cauts: map[string]bool{"complementary_protection": true}},
		{name: "complementary/fear, ground declined", ans: profile2(fearOnly2), cauts: map[string]bool{"complementary_protection": true}},
		{name: "complementary/fear, ground left unanswered", ans: profile2(fearOnly2, with{"targeted_because": nil}), cauts: map[string]bool{"complementary_protection": true}},
		{name: "complementary/past harm, no ground identified", ans: profile2(pastHarm2, with{"targeted_because": []string{"none_identified"}}), cauts: map[string]bool{"complementary_protection": true}},
		{name: "complementary/not: fear with a ground", ans: profile2(fearOnly2, with{"targeted_because": []string{"religion"}}), cauts: map[string]bool{"complementary_protection": false}},
		{name: "complementary/not: fear of being trafficked only", ans: profile2(fearOnly2, with{"fears_return": "no", "fears_being_trafficked": "yes", "targeted_because": []string{"none_identified"}}),
			cauts: map[string]bool{"complementary_protection": false}},
		{name: "complementary/not: level strong, fled conflict", ans: profile2(refugee2, conflict2), cauts: map[string]bool{"complementary_protection": false}},
		{name: "complementary/not: recognised, fled conflict", ans: profile2(recognised2, conflict2), cauts: map[string]bool{"complementary_protection": false}},
		{name: "complementary/not: other protection, fled conflict", ans: profile2(conflict2, with{"asylum_status": "other_protection", "knows_right_to_asylum": del}),
			cauts: map[string]bool{"complementary_protection": false}},
		{name: "complementary/not: in the country of origin", ans: profile2(origin2, conflict2), cauts: map[string]bool{"complementary_protection": false}},

		// ---------- child_sensitive_procedures ----------
		{name: "child_sensitive/child", ans: profile2(child2), cauts: map[string]bool{"child_sensitive_procedures": true}},
		{name: "child_sensitive/not: adult trafficked as a child", ans: profile2(trafficked2, with{"under_18_at_start": "yes"}), cauts: map[string]bool{"child_sensitive_procedures": false}},

		// ---------- gender_sensitive_procedures ----------
		{name: "gender/sexual violence", ans: profile2(sgbv2), cauts: map[string]bool{"gender_sensitive_procedures": true}},
		{name: "gender/child married", ans: profile2(child2, with{"child_married": "yes"}), cauts: map[string]bool{"gender_sensitive_procedures": true}},
		{name: "gender/sexual exploitation", ans: profile2(trafficked2, with{"exploitation": []string{"sexual_exploitation"}}), cauts: map[string]bool{"gender_sensitive_procedures": true}},
		{name: "gender/forced marriage", ans: profile2(trafficked2, with{"exploitation": []string{"forced_marriage"}}), cauts: map[string]bool{"gender_sensitive_procedures": true}},
		{name: "gender/feared sgbv", ans: profile2(fearOnly2, with{"feared_harm": []string{"sexual_or_gender_based_violence"}}), cauts: map[string]bool{"gender_sensitive_procedures": true}},
		{name: "gender/feared forced marriage", ans: profile2(fearOnly2, with{"feared_harm": []string{"forced_marriage"}}), cauts: map[string]bool{"gender_sensitive_procedures": true}},
		{name: "gender/targeted as a woman or girl", ans: profile2(fearOnly2, with{"targeted_because": []string{"being_a_woman_or_girl"}}), cauts: map[string]bool{"gender_sensitive_procedures": true}},
		{name: "gender/not: other harm and ground", ans: profile2(refugee2, with{"targeted_because": []string{"religion"}}), cauts: map[string]bool{"gender_sensitive_procedures": false}},
		{name: "gender/not: forced labour", ans: profile2(trafficked2), cauts: map[string]bool{"gender_sensitive_procedures": false}},

		// ---------- sogi_sensitive_procedures ----------
		{name: "sogi/targeted for sexual orientation or gender identity", ans: profile2(fearOnly2, with{"targeted_because": []string{"sexual_orientation_or_gender_identity"}}),
			cauts: map[string]bool{"sogi_sensitive_procedures": true, "gender_sensitive_procedures": false}},
		{name: "sogi/after past harm", ans: profile2(pastHarm2, with{"targeted_because": []string{"sexual_orientation_or_gender_identity"}}), cauts: map[string]bool{"sogi_sensitive_procedures": true}},
		{name: "sogi/not: other social group", ans: profile2(fearOnly2, with{"targeted_because": []string{"other_social_group"}}), cauts: map[string]bool{"sogi_sensitive_procedures": false}},

		// ---------- no_report_to_authorities_without_consent ----------
		{name: "no_report/disclosed, authorities no", ans: profile2(trafficked2, with{"authorities_informed": "no"}), cauts: map[string]bool{"no_report_to_authorities_without_consent": true}},
		{name: "no_report/disclosed, authorities declined", ans: profile2(trafficked2, with{"authorities_informed": "declined"}), cauts: map[string]bool{"no_report_to_authorities_without_consent": true}},
		{name: "no_report/disclosed, authorities left unanswered", ans: profile2(trafficked2, with{"authorities_informed": nil}), cauts: map[string]bool{"no_report_to_authorities_without_consent": true}},
		{name: "no_report/sexual violence, authorities dont_know", ans: profile2(sgbv2, with{"authorities_informed": "dont_know"}), cauts: map[string]bool{"no_report_to_authorities_without_consent": true}},
		{name: "no_report/ever_exploited declined asks it", ans: profile2(with{"ever_exploited": "declined", "involved_in_legal_proceedings": "no",
			"fears_retaliation_if_reporting": "no", "authorities_informed": "no"}), cauts: map[string]bool{"no_report_to_authorities_without_consent": true}},
		{name: "no_report/not: authorities yes", ans: profile2(trafficked2), cauts: map[string]bool{"no_report_to_authorities_without_consent": false}},
		{name: "no_report/not: not asked", ans: profile2(), cauts: map[string]bool{"no_report_to_authorities_without_consent": false}, notAsked: []string{"authorities_informed"}},
		{name: "no_report/sexual violence, authorities no", ans: profile2(sgbv2, with{"authorities_informed": "no", "experienced_sgbv": "yes"}),
			cauts: map[string]bool{"no_report_to_authorities_without_consent": true, "gender_sensitive_procedures": true}},

		// ---------- consent_before_referral (also checked on every case) ----------
		{name: "consent_before_referral/alone does not raise the headline", ans: profile2(with{"needs": []string{"medical"}, "referral_consent": []string{"none"}}),
			cauts: map[string]bool{"consent_before_referral": true}, want: map[string]any{"outcome": "no_protection_indicators"}, cautOrder: []string{"consent_before_referral"}},
		{name: "consent_before_referral/not: all given", ans: profile2(with{"needs": []string{"medical"}}), cauts: map[string]bool{"consent_before_referral": false}},
	}
}

func spec2SolutionCases() []spec2Case {
	return []spec2Case{
		{name: "repatriation/not_applicable in origin", ans: profile2(origin2), want: map[string]any{"solutions.voluntary_repatriation": "not_applicable"}},
		{name: "repatriation/not_suitable: caution", ans: profile2(fearOnly2, with{"feared_harm": []string{"re_trafficking"}, "wishes_to_return": "yes"}),
			want: map[string]any{"solutions.voluntary_repatriation": "not_suitable", "refugee_protection.level": "possible"}},
		{name: "repatriation/not_suitable: level strong, wishes to return", ans: profile2(refugee2, with{"wishes_to_return": "yes"}),
			want: map[string]any{"solutions.voluntary_repatriation": "not_suitable"}},
		{name: "repatriation/not_suitable beats the child rows", ans: profile2(refugee2, child2, with{"wishes_to_return": "yes", "unaccompanied": "yes"}),
			want: map[string]any{"solutions.voluntary_repatriation": "not_suitable"}},
		{name: "repatriation/best-interests determination: unaccompanied child", ans: profile2(child2, with{"wishes_to_return": "yes", "unaccompanied": "yes"}),
			want: map[string]any{"solutions.voluntary_repatriation": "only_after_best_interests_determination"}},
		{name: "repatriation/best-interests determination: accompaniment unknown", ans: profile2(child2, with{"wishes_to_return": "yes", "unaccompanied": "dont_know"}),
			want: map[string]any{"solutions.voluntary_repatriation": "only_after_best_interests_determination"}},
		{name: "repatriation/best-interests assessment: accompanied child", ans: profile2(child2, with{"wishes_to_return": "yes"}),
			want: map[string]any{"solutions.voluntary_repatriation": "only_after_best_interests_assessment"}},
		{name: "repatriation/possible_if_safe_and_informed: adult", ans: profile2(with{"wishes_to_return": "yes"}),
			want: map[string]any{"solutions.voluntary_repatriation": "possible_if_safe_and_informed"}},
		{name: "repatriation/possible: level possible without the caution", ans: profile2(fearOnly2, with{"wishes_to_return": "yes"}),
			want: map[string]any{"solutions.voluntary_repatriation": "possible_if_safe_and_informed"}},
		{name: "repatriation/not_requested: no", ans: profile2(), want: map[string]any{"solutions.voluntary_repatriation": "not_requested"}},
		{name: "repatriation/not_requested: undecided", ans: profile2(with{"wishes_to_return": "undecided"}), want: map[string]any{"solutions.voluntary_repatriation": "not_requested"}},
		{name: "repatriation/not_requested: declined", ans: profile2(with{"wishes_to_return": "declined"}), want: map[string]any{"solutions.voluntary_repatriation": "not_requested"}},
		{name: "repatriation/not_requested: child undecided", ans: profile2(child2, with{"wishes_to_return": "undecided"}), want: map[string]any{"solutions.voluntary_repatriation": "not_requested"}},
		{name: "resettlement/not_indicated", ans: profile2(refugee2), want: map[string]any{"solutions.resettlement": "not_indicated"}},
		{name: "local_integration_support/needs in order", ans: profile2(with{"needs": []string{"mental_health", "education", "livelihood"}}),
			want: map[string]any{"solutions.local_integration_support": []string{"mental_health", "education", "livelihood"}}},
		// "in order": the order of the needs choices (answers are kept in choice order).
		{name: "local_integration_support/needs in the choices' order", ans: profile2(with{"needs": []string{"livelihood", "medical"}}),
			want: map[string]any{"solutions.local_integration_support": []string{"medical", "livelihood"}}},
		{name: "local_integration_support/needs declined", ans: profile2(with{"needs": "declined"}),
			want: map[string]any{"solutions.local_integration_support": []string{}}},
	}
}

func spec2OutcomeCases() []spec2Case {
	return []spec2Case{
		{name: "outcome/urgent_referral: any urgent referral", ans: profile2(with{"immediate_danger": "yes"}), want: map[string]any{"outcome": "urgent_referral"}},
		{name: "outcome/refer_for_protection: a high referral alone", ans: profile2(with{"needs": []string{"safe_accommodation"}}),
			want: map[string]any{"outcome": "refer_for_protection", "refugee_protection.level": "unlikely", "trafficking.indicators": "none"}},
		{name: "outcome/refer_for_protection: statelessness high", ans: profile2(detained2, with{"has_nationality": "no"}), want: map[string]any{"outcome": "refer_for_protection"}},
		{name: "outcome/refer_for_protection: protection need", ans: profile2(refugee2), want: map[string]any{"outcome": "refer_for_protection"}},
		{name: "outcome/refer_for_protection: indicators", ans: profile2(trafficked2), want: map[string]any{"outcome": "refer_for_protection"}},
		{name: "outcome/refer_for_protection: internal protection in origin", ans: profile2(origin2, conflict2), want: map[string]any{"outcome": "refer_for_protection"}},
		{name: "outcome/further_assessment: insufficient information", ans: profile2(with{"past_serious_harm": "declined", "stigmatised_in_host": "no",
			"trauma_affecting_recovery": "no", "fears_retaliation_if_reporting": "no"}), want: map[string]any{"outcome": "further_assessment"}},
		{name: "outcome/further_assessment: indicators unknown", ans: profile2(with{"ever_exploited": "declined", "involved_in_legal_proceedings": "no",
			"fears_retaliation_if_reporting": "no", "authorities_informed": "yes"}), want: map[string]any{"outcome": "further_assessment"}},
		{name: "outcome/further_assessment: at risk of trafficking", ans: profile2(with{"risk_factors": []string{"no_livelihood", "movement_restricted"}}),
			want: map[string]any{"outcome": "further_assessment"}},
		{name: "outcome/further_assessment: an interview caution", ans: profile2(child2), want: map[string]any{"outcome": "further_assessment"}},
		{name: "outcome/further_assessment: an act-now caution", ans: profile2(with{"interview_private": "dont_know"}), want: map[string]any{"outcome": "further_assessment"}},
		{name: "outcome/further_assessment: resettlement assessment", ans: profile2(recognised2, pastHarm2, with{"trauma_affecting_recovery": "yes", "needs": []string{"none"}}),
			want: map[string]any{"outcome": "further_assessment"}, refs: map[string]string{"resettlement_assessment": "standard", "mental_health": "standard"}},
		{name: "outcome/no_protection_indicators: standard referrals only", ans: profile2(with{"needs": []string{"medical", "livelihood"}, "interpreter_needed": "yes", "knows_right_to_asylum": "no"}),
			want: map[string]any{"outcome": "no_protection_indicators"}},
		{name: "outcome/no_protection_indicators: in origin, nothing", ans: profile2(origin2), want: map[string]any{"outcome": "no_protection_indicators"}},
	}
}

func spec2GapCases() []spec2Case {
	return []spec2Case{
		{name: "gaps/none", ans: profile2(), gaps: []string{}},
		{name: "gaps/declined, dont_know and unanswered, in flow order",
			ans: profile2(with{"wishes_to_return": "declined", "gender": "dont_know", "preferred_language": del, "present_in": nil,
				"interview_private": "declined", "risk_factors": "dont_know", "referral_consent": nil}),
			gaps: []string{"interview_private", "gender", "present_in", "risk_factors", "preferred_language", "wishes_to_return", "referral_consent"}},
		{name: "gaps/not asked is not a gap", ans: profile2(origin2), gaps: []string{}},
		{name: "gaps/a none answer is not a gap", ans: profile2(trafficked2, bare2), gaps: []string{}},
		{name: "gaps/child questions", ans: profile2(child2, with{"consent_given_by": nil, "child_assent": "declined"}),
			gaps: []string{"consent_given_by", "child_assent"}},
		{name: "gaps/disclosure details", ans: profile2(trafficked2, disclosedOnly2),
			gaps: []string{"trafficking_act", "trafficking_means", "exploitation", "exploitation_where", "under_18_at_start",
				"labour_indicators", "family_involved", "still_under_control"}},
	}
}

func allSpec2Cases() []spec2Case {
	var all []spec2Case
	for _, group := range [][]spec2Case{spec2DerivedCases(), spec2TraffickingCases(), spec2RefugeeCases(), spec2ReferralCases(),
		spec2ConsentCases(), spec2CautionCases(), spec2SolutionCases(), spec2OutcomeCases(), spec2GapCases()} {
		all = append(all, group...)
	}
	return all
}

func TestSpec2Rules(t *testing.T) {
	f := builtin2(t)
	seen := map[string]bool{}
	for _, c := range allSpec2Cases() {
		if seen[c.name] {
			t.Fatalf("two cases named %q", c.name)
		}
		seen[c.name] = true
		t.Run(c.name, func(t *testing.T) { runSpec2Case(t, f, c) })
	}
}

// consent = no: outcome not_screened, nothing else kept, no referrals, no cautions.
func TestSpec2NotScreened(t *testing.T) {
	f := builtin2(t)
	ans := profile2(trafficked2, child2, detained2, with{"consent": "no", "unaccompanied": "yes", "still_under_control": "yes", "interview_private": "no"})
	af, s := parseAndScore(t, f, ans)
	if len(af.Answers) != 1 || af.Answers["consent"] != "no" {
		t.Errorf("answers kept = %v, want only consent: no", af.Answers)
	}
	if len(af.Dropped) != len(ans)-1 {
		t.Errorf("dropped %d answers (%v), want %d", len(af.Dropped), af.Dropped, len(ans)-1)
	}
	if got := s.GetString("outcome"); got != "not_screened" {
		t.Errorf("outcome = %s, want not_screened", got)
	}
	if len(s.Referrals) != 0 || len(s.Cautions) != 0 || len(s.InformationGaps) != 0 {
		t.Errorf("referrals %v, cautions %v, gaps %v; want none", referralIDs(s), cautionIDs(s), s.InformationGaps)
	}
	if q, _ := f.Next(af.Answers); q != nil {
		t.Errorf("Next after consent no = %s, want the end", q.ID)
	}
	if f.Questions[0].ID != "consent" || !f.Questions[0].Required {
		t.Errorf("first question %s (required %v), want consent, required", f.Questions[0].ID, f.Questions[0].Required)
	}
	if q := f.Questions[len(f.Questions)-1]; q.ID != "referral_consent" {
		t.Errorf("last question %s, want referral_consent", q.ID)
	}
}

// The questions table: every question, its type, observation flag, and
// its place in flow order.
func TestSpec2Questions(t *testing.T) {
	f := builtin2(t)
	type q struct {
		id  string
		typ Kind
	}
	table := []q{
		{"consent", TypeYesNo}, {"interview_private", TypeYesNo}, {"immediate_danger", TypeYesNo}, {"urgent_medical_need", TypeYesNo},
		{"age", TypeInteger}, {"may_be_child", TypeYesNo}, {"gender", TypeChoice}, {"unaccompanied", TypeYesNo}, {"child_married", TypeYesNo},
		{"consent_given_by", TypeChoice}, {"child_assent", TypeYesNo}, {"country_of_origin", TypeText}, {"has_nationality", TypeYesNo},
		{"present_in", TypeChoice}, {"feels_unsafe_where_living", TypeYesNo}, {"fled_conflict_or_violence", TypeYesNo},
		{"armed_group_association", TypeYesNo}, {"ever_exploited", TypeYesNo}, {"trafficking_act", TypeMulti}, {"trafficking_means", TypeMulti},
		{"exploitation", TypeMulti}, {"exploitation_where", TypeChoice}, {"under_18_at_start", TypeYesNo}, {"labour_indicators", TypeMulti},
		{"family_involved", TypeYesNo}, {"still_under_control", TypeYesNo}, {"identified_as_trafficking_victim", TypeYesNo},
		{"fears_being_trafficked", TypeYesNo}, {"fears_trafficking_here", TypeYesNo}, {"fears_return", TypeYesNo}, {"past_serious_harm", TypeYesNo},
		{"feared_harm", TypeMulti}, {"feared_by", TypeMulti}, {"targeted_because", TypeMulti}, {"state_protection", TypeChoice},
		{"experienced_sgbv", TypeYesNo}, {"sgbv_recent", TypeYesNo}, {"risk_factors", TypeMulti}, {"threat_in_host_country", TypeYesNo},
		{"stigmatised_in_host", TypeYesNo}, {"trauma_affecting_recovery", TypeYesNo}, {"asylum_status", TypeChoice},
		{"knows_right_to_asylum", TypeYesNo}, {"deportation_risk", TypeYesNo}, {"involved_in_legal_proceedings", TypeYesNo},
		{"fears_retaliation_if_reporting", TypeYesNo}, {"authorities_informed", TypeYesNo}, {"needs", TypeMulti},
		{"interpreter_needed", TypeYesNo}, {"preferred_language", TypeText}, {"can_read", TypeYesNo}, {"wishes_to_return", TypeChoice},
		{"referral_consent", TypeMulti},
	}
	observation := map[string]bool{"interview_private": true, "may_be_child": true, "present_in": true}
	choices := map[string][]string{
		"gender":             {"female", "male", "other"},
		"consent_given_by":   {"the_child", "parent_or_caregiver", "guardian", "other_adult"},
		"present_in":         {"origin_country", "transit_country", "destination_country"},
		"trafficking_act":    {"recruited", "transported", "transferred", "harboured", "received", "none"},
		"trafficking_means":  {"threat", "force", "coercion", "abduction", "fraud", "deception", "abuse_of_power", "abuse_of_vulnerability", "payment_to_controller", "none"},
		"exploitation":       {"sexual_exploitation", "forced_labour", "domestic_servitude", "slavery_or_servitude", "forced_marriage", "forced_criminality", "forced_begging", "organ_removal", "child_soldiering", "none"},
		"exploitation_where": {"origin_country", "abroad", "both"},
		"labour_indicators": {"abuse_of_vulnerability", "deception", "restriction_of_movement", "isolation", "physical_sexual_violence",
			"intimidation_threats", "retention_of_documents", "withholding_of_wages", "debt_bondage", "abusive_conditions", "excessive_overtime", "none"},
		"feared_harm": {"re_trafficking", "reprisals_by_traffickers", "ostracism_or_discrimination", "punishment_by_authorities",
			"sexual_or_gender_based_violence", "forced_marriage", "violence_armed_conflict", "threats_to_life_or_freedom", "other_serious_harm", "none"},
		"feared_by": {"traffickers", "family_or_community", "authorities", "armed_groups", "other"},
		"targeted_because": {"ethnicity_or_race", "religion", "nationality_or_statelessness", "political_opinion", "being_a_woman_or_girl",
			"being_a_child", "former_trafficking_victim", "sexual_orientation_or_gender_identity", "other_social_group", "none_identified"},
		"state_protection": {"available", "unable", "unwilling", "authorities_involved", "not_sought_out_of_fear"},
		"risk_factors": {"lives_in_camp_or_reception", "used_smugglers", "no_documents", "no_livelihood", "movement_restricted",
			"approached_by_recruiters", "discrimination_in_host", "none"},
		"asylum_status":    {"not_applied", "applied_pending", "rejected", "recognised_refugee", "other_protection"},
		"needs":            {"medical", "mental_health", "trauma_counselling", "safe_accommodation", "legal_aid", "education", "livelihood", "family_tracing", "none"},
		"wishes_to_return": {"yes", "no", "undecided"},
		"referral_consent": append(append([]string{}, allServices...), "none"),
	}
	var asked []string
	for _, q := range f.Questions {
		if q.Asks() {
			asked = append(asked, q.ID)
		}
	}
	var want []string
	for _, e := range table {
		want = append(want, e.id)
	}
	if !slices.Equal(asked, want) {
		t.Errorf("questions in flow order:\n got %v\nwant %v", asked, want)
	}
	for _, e := range table {
		q := f.Question(e.id)
		if q == nil {
			continue
		}
		if q.Type != e.typ {
			t.Errorf("%s is %s, want %s", e.id, q.Type, e.typ)
		}
		if q.Observation != observation[e.id] {
			t.Errorf("%s observation = %v, want %v", e.id, q.Observation, observation[e.id])
		}
		if q.Required != (e.id == "consent") {
			t.Errorf("%s required = %v", e.id, q.Required)
		}
		if cs, ok := choices[e.id]; ok {
			var got []string
			for _, c := range q.Choices {
				got = append(got, c.Value)
			}
			if !slices.Equal(got, cs) {
				t.Errorf("%s choices %v, want %v", e.id, got, cs)
			}
			for _, c := range q.Choices {
				if ex := c.Value == None || c.Value == NoneIdentified; q.Type == TypeMulti && c.Exclusive != ex {
					t.Errorf("%s choice %s exclusive = %v, want %v", e.id, c.Value, c.Exclusive, ex)
				}
			}
		}
	}
	if q := f.Question("age"); q != nil && (q.Min == nil || *q.Min != 0 || q.Max == nil || *q.Max != 120) {
		t.Errorf("age range is not 0..120")
	}
	if f.Question("relocation_possible") != nil {
		t.Errorf("relocation_possible is still asked (removed in 2.0.0)")
	}
	// The referral_consent choices are the services the referrals name.
	for id, svc := range spec2Service {
		if svc != "" && !slices.Contains(choices["referral_consent"], svc) {
			t.Errorf("referral %s service %s is not a referral_consent choice", id, svc)
		}
	}
}
