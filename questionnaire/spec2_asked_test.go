package questionnaire

import (
	"maps"
	"testing"
)

// The questions table's "asked when" column, each condition with a case
// where it holds and one where it does not.
func TestSpec2AskedWhen(t *testing.T) {
	f := builtin2(t)
	adult := Answers{"consent": "yes", "age": 30, "may_be_child": "no"}
	a := func(extra Answers) Answers {
		out := maps.Clone(adult)
		for k, v := range extra {
			if v == del {
				delete(out, k)
			} else {
				out[k] = v
			}
		}
		return out
	}
	always := []string{"interview_private", "immediate_danger", "urgent_medical_need", "age", "gender", "country_of_origin",
		"has_nationality", "present_in", "fled_conflict_or_violence", "ever_exploited", "identified_as_trafficking_victim",
		"past_serious_harm", "experienced_sgbv", "risk_factors", "needs", "interpreter_needed", "preferred_language", "can_read",
		"referral_consent"}
	cases := []struct {
		name            string
		ans             Answers
		asked, notAsked []string
	}{
		{"consent unanswered: only consent", Answers{}, []string{"consent"}, always},
		{"consent yes: the questions asked of everyone", adult, always, nil},
		{"may_be_child: age 18", a(Answers{"age": 18}), []string{"may_be_child"}, nil},
		{"may_be_child: age 17", a(Answers{"age": 17, "may_be_child": del}), nil, []string{"may_be_child"}},
		{"may_be_child: age declined", a(Answers{"age": Declined, "may_be_child": del}), []string{"may_be_child"}, nil},
		{"may_be_child: age left unanswered", a(Answers{"age": del, "may_be_child": del}), []string{"may_be_child"}, nil},
		{"child questions: child", a(Answers{"age": 17, "may_be_child": del}),
			[]string{"unaccompanied", "child_married", "consent_given_by", "child_assent", "armed_group_association"}, nil},
		{"child questions: adult", adult, nil, []string{"unaccompanied", "child_married", "consent_given_by", "child_assent"}},
		{"feels_unsafe_where_living: origin", a(Answers{"present_in": "origin_country"}), []string{"feels_unsafe_where_living"},
			[]string{"fears_return", "fears_trafficking_here", "threat_in_host_country", "stigmatised_in_host", "asylum_status",
				"knows_right_to_asylum", "deportation_risk", "wishes_to_return"}},
		{"outside questions: present_in declined", a(Answers{"present_in": Declined}),
			[]string{"fears_return", "fears_trafficking_here", "threat_in_host_country", "asylum_status", "knows_right_to_asylum",
				"deportation_risk", "wishes_to_return", "fears_being_trafficked"}, []string{"feels_unsafe_where_living"}},
		{"outside questions: transit", a(Answers{"present_in": "transit_country"}),
			[]string{"fears_return", "fears_trafficking_here", "threat_in_host_country", "asylum_status", "deportation_risk", "wishes_to_return"}, nil},
		{"armed_group_association: fled conflict", a(Answers{"fled_conflict_or_violence": "yes"}), []string{"armed_group_association"}, nil},
		{"armed_group_association: fled conflict declined", a(Answers{"fled_conflict_or_violence": DontKnow}), []string{"armed_group_association"}, nil},
		{"armed_group_association: fled conflict left unanswered (is not no)", adult, []string{"armed_group_association"}, nil},
		{"armed_group_association: fled conflict no", a(Answers{"fled_conflict_or_violence": "no"}), nil, []string{"armed_group_association", "under_18_at_start"}},
		{"under_18_at_start: adult with an armed group", a(Answers{"fled_conflict_or_violence": "yes", "armed_group_association": "yes"}),
			[]string{"under_18_at_start"}, nil},
		{"under_18_at_start: adult, armed group declined", a(Answers{"fled_conflict_or_violence": "yes", "armed_group_association": Declined, "ever_exploited": "no"}),
			nil, []string{"under_18_at_start"}},
		{"disclosure: ever_exploited yes", a(Answers{"ever_exploited": "yes"}),
			[]string{"trafficking_act", "trafficking_means", "exploitation", "exploitation_where", "under_18_at_start", "labour_indicators",
				"family_involved", "still_under_control", "involved_in_legal_proceedings", "fears_retaliation_if_reporting",
				"authorities_informed", "identified_as_trafficking_victim"},
			[]string{"fears_being_trafficked", "fears_trafficking_here"}},
		{"disclosure: a child is not asked under_18_at_start", a(Answers{"age": 12, "may_be_child": del, "ever_exploited": "yes"}), nil, []string{"under_18_at_start"}},
		{"no disclosure: ever_exploited no", a(Answers{"ever_exploited": "no", "past_serious_harm": "no"}),
			[]string{"fears_being_trafficked", "fears_trafficking_here"},
			[]string{"trafficking_act", "trafficking_means", "exploitation", "exploitation_where", "under_18_at_start", "labour_indicators",
				"family_involved", "still_under_control", "involved_in_legal_proceedings", "fears_retaliation_if_reporting",
				"authorities_informed", "stigmatised_in_host", "trauma_affecting_recovery"}},
		{"ever_exploited declined: what is not no", a(Answers{"ever_exploited": Declined, "past_serious_harm": "no"}),
			[]string{"fears_being_trafficked", "involved_in_legal_proceedings", "fears_retaliation_if_reporting", "authorities_informed",
				"stigmatised_in_host", "trauma_affecting_recovery"},
			[]string{"trafficking_act", "family_involved", "still_under_control"}},
		{"fear details: fears_return", a(Answers{"fears_return": "yes"}), []string{"feared_harm", "feared_by", "targeted_because", "state_protection"}, nil},
		{"fear details: fears_being_trafficked", a(Answers{"fears_being_trafficked": "yes"}), []string{"feared_harm", "feared_by", "targeted_because", "state_protection"}, nil},
		{"fear details: feels unsafe (origin)", a(Answers{"present_in": "origin_country", "feels_unsafe_where_living": "yes"}),
			[]string{"feared_harm", "feared_by", "targeted_because", "state_protection"}, nil},
		{"fear details: fear of traffickers here is not asked about", a(Answers{"fears_trafficking_here": "yes", "fears_return": "no", "fears_being_trafficked": "no"}),
			nil, []string{"feared_harm", "feared_by", "targeted_because", "state_protection"}},
		{"fear details: past harm asks only targeted_because", a(Answers{"past_serious_harm": "yes", "fears_return": "no"}),
			[]string{"targeted_because", "fears_retaliation_if_reporting", "stigmatised_in_host", "trauma_affecting_recovery"},
			[]string{"feared_harm", "feared_by", "state_protection"}},
		{"fear details: past harm declined", a(Answers{"past_serious_harm": Declined, "ever_exploited": "no"}),
			[]string{"fears_retaliation_if_reporting", "stigmatised_in_host"}, []string{"targeted_because", "involved_in_legal_proceedings", "authorities_informed"}},
		{"sgbv_recent and authorities_informed: sexual violence", a(Answers{"experienced_sgbv": "yes", "ever_exploited": "no"}),
			[]string{"sgbv_recent", "authorities_informed"}, []string{"involved_in_legal_proceedings"}},
		{"sgbv_recent: sexual violence declined", a(Answers{"experienced_sgbv": Declined, "ever_exploited": "no"}), nil, []string{"sgbv_recent", "authorities_informed"}},
		{"knows_right_to_asylum: not applied", a(Answers{"asylum_status": "not_applied"}), []string{"knows_right_to_asylum"}, nil},
		{"knows_right_to_asylum: status unknown", a(Answers{"asylum_status": DontKnow}), []string{"knows_right_to_asylum"}, nil},
		{"knows_right_to_asylum: pending", a(Answers{"asylum_status": "applied_pending"}), nil, []string{"knows_right_to_asylum"}},
		{"knows_right_to_asylum: rejected", a(Answers{"asylum_status": "rejected"}), nil, []string{"knows_right_to_asylum"}},
		{"knows_right_to_asylum: recognised", a(Answers{"asylum_status": "recognised_refugee"}), nil, []string{"knows_right_to_asylum"}},
		{"knows_right_to_asylum: other protection", a(Answers{"asylum_status": "other_protection"}), nil, []string{"knows_right_to_asylum"}},
	}
	for _, c := range cases {
		vis, err := f.Visible(c.ans)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		v := map[string]bool{}
		for _, q := range vis {
			v[q.ID] = true
		}
		for _, id := range c.asked {
			if !v[id] {
				t.Errorf("%s: %s not asked", c.name, id)
			}
		}
		for _, id := range c.notAsked {
			if v[id] {
				t.Errorf("%s: %s asked", c.name, id)
			}
		}
	}
}
