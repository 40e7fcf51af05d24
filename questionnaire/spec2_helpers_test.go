package questionnaire

import (
	"fmt"
	"maps"
	"os"
	"reflect"
	"slices"
	"testing"
)

// The tests in spec2_*_test.go, review2_test.go and scenarios2_test.go check
// the built-in flow 2.0.0 against /work/shared/spec/screening.md (2.0.0,
// "the spec") and the review that led to it. The expectations are written by
// hand from the spec, not from running the code.

// builtin2 returns the built-in flow 2.0.0, or stops the test.
// QUESTIONNAIRE_TEST_FLOW2 names another file to test in its place (a
// draft of the flow, or a mutated copy that must fail these tests).
func builtin2(t testing.TB) *Flow {
	t.Helper()
	var (
		f   *Flow
		err error
	)
	if p := os.Getenv("QUESTIONNAIRE_TEST_FLOW2"); p != "" {
		src, rerr := os.ReadFile(p)
		if rerr != nil {
			t.Fatal(rerr)
		}
		f, err = Load(p, src)
	} else {
		f, err = Builtin()
	}
	if err != nil {
		t.Fatalf("the built-in flow 2.0.0 does not load:\n%v", err)
	}
	if f.Version != "2.0.0" {
		t.Fatalf("flow version %s, want 2.0.0", f.Version)
	}
	return f
}

// base2: an adult (the interviewer has no doubt about the age), in the
// destination country, interviewed in private, who answered every asked
// question and shows nothing at all, and agrees to every service. By the
// spec: indicators none, situation no_indicators, level unlikely, no
// referral, no caution, outcome no_protection_indicators, no gaps.
// Questions the flow would not ask are absent (a fixture answering one is
// a bug in the test, caught by the check on dropped answers).
var base2 = map[string]any{
	"consent":                          "yes",
	"interview_private":                "yes",
	"immediate_danger":                 "no",
	"urgent_medical_need":              "no",
	"age":                              30,
	"may_be_child":                     "no",
	"gender":                           "female",
	"country_of_origin":                "Atlantis",
	"has_nationality":                  "yes",
	"present_in":                       "destination_country",
	"fled_conflict_or_violence":        "no",
	"ever_exploited":                   "no",
	"identified_as_trafficking_victim": "no",
	"fears_being_trafficked":           "no",
	"fears_trafficking_here":           "no",
	"fears_return":                     "no",
	"past_serious_harm":                "no",
	"experienced_sgbv":                 "no",
	"risk_factors":                     []string{"none"},
	"threat_in_host_country":           "no",
	"asylum_status":                    "not_applied",
	"knows_right_to_asylum":            "yes",
	"deportation_risk":                 "no",
	"needs":                            []string{"none"},
	"interpreter_needed":               "no",
	"preferred_language":               "English",
	"can_read":                         "yes",
	"wishes_to_return":                 "no",
	"referral_consent":                 allServices,
}

var allServices = []string{"anti_trafficking", "asylum_and_legal", "child_protection", "health", "shelter_and_safety",
	"gbv_services", "livelihood_and_education", "family_tracing", "in_country_protection"}

// trafficked2: an adult exploited abroad (act, means and purpose) who
// answered every question that follows the disclosure.
var trafficked2 = map[string]any{
	"ever_exploited":                 "yes",
	"fears_being_trafficked":         del, // asked only when ever_exploited is not yes
	"fears_trafficking_here":         del,
	"trafficking_act":                []string{"recruited", "transported"},
	"trafficking_means":              []string{"deception"},
	"exploitation":                   []string{"forced_labour"},
	"exploitation_where":             "abroad",
	"under_18_at_start":              "no",
	"labour_indicators":              []string{"none"},
	"family_involved":                "no",
	"still_under_control":            "no",
	"stigmatised_in_host":            "no",
	"trauma_affecting_recovery":      "no",
	"involved_in_legal_proceedings":  "no",
	"fears_retaliation_if_reporting": "no",
	"authorities_informed":           "yes",
}

// disclosedOnly2: "yes, I was forced", then declines every detail.
var disclosedOnly2 = map[string]any{
	"trafficking_act":     "declined",
	"trafficking_means":   "declined",
	"exploitation":        "declined",
	"exploitation_where":  "declined",
	"under_18_at_start":   "declined",
	"labour_indicators":   "declined",
	"family_involved":     "declined",
	"still_under_control": "declined",
}

// bare2: ever_exploited = yes with act, means and purpose answered none
// (to be combined with trafficked2).
var bare2 = map[string]any{
	"trafficking_act":   []string{"none"},
	"trafficking_means": []string{"none"},
	"exploitation":      []string{"none"},
}

// refugee2: fears return, with serious harm, a Convention ground and no
// state protection: level strong.
var refugee2 = map[string]any{
	"fears_return":     "yes",
	"feared_harm":      []string{"threats_to_life_or_freedom"},
	"feared_by":        []string{"authorities"},
	"targeted_because": []string{"political_opinion"},
	"state_protection": "authorities_involved",
}

// fearOnly2: fears return, then declines every detail: level possible.
var fearOnly2 = map[string]any{
	"fears_return":     "yes",
	"feared_harm":      "declined",
	"feared_by":        "declined",
	"targeted_because": "declined",
	"state_protection": "declined",
}

// child2: a 15-year-old, accompanied by a parent, with no other concern.
var child2 = map[string]any{
	"age":                     15,
	"may_be_child":            del, // asked only when age has no real value or age >= 18
	"unaccompanied":           "no",
	"child_married":           "no",
	"consent_given_by":        "parent_or_caregiver",
	"child_assent":            "yes",
	"armed_group_association": "no",
	"under_18_at_start":       del, // asked only when not child
}

// origin2: still in the country of origin; the questions for people
// outside are not asked.
var origin2 = map[string]any{
	"present_in":                "origin_country",
	"feels_unsafe_where_living": "no",
	"fears_trafficking_here":    del,
	"fears_return":              del,
	"threat_in_host_country":    del,
	"stigmatised_in_host":       del,
	"trauma_affecting_recovery": del,
	"asylum_status":             del,
	"knows_right_to_asylum":     del,
	"deportation_risk":          del,
	"wishes_to_return":          del,
}

// pastHarm2: suffered serious harm before (asks targeted_because, the
// host-country follow-ups and fears_retaliation_if_reporting).
var pastHarm2 = map[string]any{
	"past_serious_harm":              "yes",
	"targeted_because":               []string{"religion"},
	"stigmatised_in_host":            "no",
	"trauma_affecting_recovery":      "no",
	"fears_retaliation_if_reporting": "no",
}

// conflict2: fled war or widespread violence (asks armed_group_association).
var conflict2 = map[string]any{
	"fled_conflict_or_violence": "yes",
	"armed_group_association":   "no",
}

// sgbv2: experienced sexual violence, not recently, and agrees that the
// authorities may be told.
var sgbv2 = map[string]any{
	"experienced_sgbv":     "yes",
	"sgbv_recent":          "no",
	"authorities_informed": "yes",
}

// detained2: in detention or at risk of removal.
var detained2 = map[string]any{"deportation_risk": "yes"}

// recognised2: a recognised refugee (knows_right_to_asylum not asked).
var recognised2 = map[string]any{"asylum_status": "recognised_refugee", "knows_right_to_asylum": del}

func profile2(layers ...map[string]any) map[string]any {
	out := maps.Clone(base2)
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

// The spec's tables of services and tiers.
var spec2Service = map[string]string{
	"asylum_procedure":           "asylum_and_legal",
	"asylum_appeal_or_new_claim": "asylum_and_legal",
	"asylum_information":         "asylum_and_legal",
	"anti_trafficking_referral":  "anti_trafficking",
	"trafficking_prevention":     "anti_trafficking",
	"child_protection":           "child_protection",
	"reintegration_armed_groups": "child_protection",
	"safety_and_shelter":         "shelter_and_safety",
	"medical_care":               "health",
	"gbv_response":               "gbv_services",
	"mental_health":              "health",
	"legal_aid":                  "asylum_and_legal",
	"statelessness_assessment":   "asylum_and_legal",
	"resettlement_assessment":    "asylum_and_legal",
	"interpreter":                "",
	"livelihood_and_education":   "livelihood_and_education",
	"family_tracing":             "family_tracing",
	"internal_protection":        "in_country_protection",
}

var spec2Tier = map[string]string{
	"non_refoulement":                          "act_now",
	"no_detention_of_children":                 "act_now",
	"confidentiality_and_retaliation":          "act_now",
	"family_involvement":                       "act_now",
	"children_associated_with_armed_groups":    "act_now",
	"reinterview_in_private":                   "act_now",
	"assistance_not_conditional_on_testimony":  "safeguard",
	"asylum_independent_of_prosecution":        "safeguard",
	"pursue_both_procedures":                   "safeguard",
	"non_punishment":                           "safeguard",
	"non_penalisation_irregular_entry":         "safeguard",
	"repatriation_not_suitable":                "safeguard",
	"complementary_protection":                 "safeguard",
	"child_sensitive_procedures":               "interview",
	"gender_sensitive_procedures":              "interview",
	"sogi_sensitive_procedures":                "interview",
	"no_report_to_authorities_without_consent": "consent",
	"consent_before_referral":                  "consent",
}

var spec2TierOrder = map[string]int{"act_now": 0, "safeguard": 1, "interview": 2, "consent": 3}
var spec2PriorityOrder = map[string]int{"urgent": 0, "high": 1, "standard": 2}
var spec2OutcomeRank = map[string]int{"no_protection_indicators": 0, "further_assessment": 1, "refer_for_protection": 2, "urgent_referral": 3}

// checkSpec2Invariants checks what the spec says of every summary, whatever
// the answers: services, tiers, consent values, sort orders, the headline
// against the referrals, resettlement against its referral, and
// local_integration_support against needs.
func checkSpec2Invariants(t *testing.T, ans Answers, s *Summary) {
	t.Helper()
	if s.GetString("outcome") == "not_screened" {
		if len(s.Referrals) != 0 || len(s.Cautions) != 0 {
			t.Errorf("not_screened with referrals %v, cautions %v; want none", referralIDs(s), cautionIDs(s))
		}
		return
	}
	rc, rcAnswered := ans["referral_consent"].([]string)
	needConsent := []string{}
	maxPri := 99
	for _, r := range s.Referrals {
		want, known := spec2Service[r.ID]
		if !known {
			t.Errorf("referral %s is not in the spec", r.ID)
			continue
		}
		if r.Service != want {
			t.Errorf("referral %s service %q, want %q", r.ID, r.Service, want)
		}
		if len(r.Reasons) == 0 {
			t.Errorf("referral %s has no reasons", r.ID)
		}
		p, ok := spec2PriorityOrder[r.Priority]
		if !ok {
			t.Errorf("referral %s priority %q", r.ID, r.Priority)
		}
		maxPri = min(maxPri, p)
		// consent
		var wantConsent string
		switch {
		case r.ID == "interpreter":
			wantConsent = ConsentNotRequired
		case rcAnswered && slices.Contains(rc, r.Service):
			wantConsent = ConsentGiven
		case r.ID == "child_protection" && r.Priority == "urgent":
			// every child_protection referral is of a child (its `when` is child)
			wantConsent = ConsentBestInterests
		case rcAnswered:
			wantConsent = ConsentNotGiven
		default:
			wantConsent = ConsentUnknown
		}
		if r.Consent != wantConsent {
			t.Errorf("referral %s consent %q, want %q (referral_consent %v)", r.ID, r.Consent, wantConsent, ans["referral_consent"])
		}
		if r.ID != "interpreter" && r.Consent != ConsentGiven {
			needConsent = append(needConsent, r.ID)
		}
	}
	// referrals sorted urgent, high, standard, then by id
	if !slices.IsSortedFunc(s.Referrals, func(a, b ReferralResult) int {
		if d := spec2PriorityOrder[a.Priority] - spec2PriorityOrder[b.Priority]; d != 0 {
			return d
		}
		return cmpString(a.ID, b.ID)
	}) {
		t.Errorf("referrals not sorted by priority then id: %v", referralPriorities(s))
	}
	// cautions: tier, reasons, order
	for _, c := range s.Cautions {
		want, known := spec2Tier[c.ID]
		if !known {
			t.Errorf("caution %s is not in the spec", c.ID)
			continue
		}
		if c.Tier != want {
			t.Errorf("caution %s tier %q, want %q", c.ID, c.Tier, want)
		}
		if len(c.Reasons) == 0 {
			t.Errorf("caution %s has no reasons", c.ID)
		}
	}
	if !slices.IsSortedFunc(s.Cautions, func(a, b CautionResult) int {
		if d := spec2TierOrder[a.Tier] - spec2TierOrder[b.Tier]; d != 0 {
			return d
		}
		return cmpString(a.ID, b.ID)
	}) {
		t.Errorf("cautions not sorted by tier then id: %v", cautionIDs(s))
	}
	// consent_before_referral: any referral other than interpreter has consent other than given
	if got, want := hasCaution(s, "consent_before_referral"), len(needConsent) > 0; got != want {
		t.Errorf("caution consent_before_referral present = %v, want %v (referrals without consent: %v)", got, want, needConsent)
	}
	// the headline never contradicts the referrals
	out := s.GetString("outcome")
	switch {
	case maxPri == 0 && out != "urgent_referral":
		t.Errorf("outcome %s with an urgent referral (%v)", out, referralPriorities(s))
	case maxPri == 1 && spec2OutcomeRank[out] < spec2OutcomeRank["refer_for_protection"]:
		t.Errorf("outcome %s with a high referral (%v)", out, referralPriorities(s))
	}
	// solutions
	wantRes := "not_indicated"
	if referral(s, "resettlement_assessment") != nil {
		wantRes = "consider"
	}
	if got := s.GetString("solutions.resettlement"); got != wantRes {
		t.Errorf("solutions.resettlement = %s, want %s", got, wantRes)
	}
	wantLocal := []string{}
	if needs, ok := ans["needs"].([]string); ok {
		for _, n := range needs {
			if n != None {
				wantLocal = append(wantLocal, n)
			}
		}
	}
	if got := s.Get("solutions.local_integration_support"); !sameValue(got, wantLocal) {
		t.Errorf("solutions.local_integration_support = %#v, want %v", got, wantLocal)
	}
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func referralPriorities(s *Summary) []string {
	out := []string{}
	for _, r := range s.Referrals {
		out = append(out, r.ID+":"+r.Priority+":"+r.Consent)
	}
	return out
}

// spec2Case is one row of the spec (or its neighbour, where it must not hold).
type spec2Case struct {
	name string
	ans  map[string]any
	// want: summary path → value (string, bool, nil for JSON null, []string)
	want map[string]any
	// refs: referral ID → priority; "" means absent, "any" present at any priority.
	refs map[string]string
	// consent: referral ID → consent value.
	consent map[string]string
	// cauts: caution ID → present or not.
	cauts map[string]bool
	// gaps, when not nil, is the exact list of information gaps.
	gaps []string
	// dropped is the exact list of answers dropped as not asked (nil: none;
	// a fixture that answers a question the flow does not ask is a bug).
	dropped []string
	// order / cautOrder, when not nil, are the exact referral / caution IDs in order.
	order, cautOrder []string
	// asked / notAsked: questions that must / must not be asked under ans.
	asked, notAsked []string
}

func runSpec2Case(t *testing.T, f *Flow, c spec2Case) {
	t.Helper()
	af, s := parseAndScore(t, f, c.ans)
	wantDropped := c.dropped
	if wantDropped == nil {
		wantDropped = []string{}
	}
	if !sameValue(nonNil(af.Dropped), wantDropped) {
		t.Errorf("dropped = %v, want %v (a fixture answering a question that is not asked)", af.Dropped, wantDropped)
	}
	// Prune on the kept answers must drop nothing more.
	kept := maps.Clone(af.Answers)
	if more, err := f.Prune(kept); err != nil || len(more) != 0 {
		t.Errorf("Prune after ParseAnswers dropped %v (%v)", more, err)
	}
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
			t.Errorf("referral %s absent, want %s (referrals: %v)", id, want, referralPriorities(s))
		case want != "" && want != "any" && r.Priority != want:
			t.Errorf("referral %s priority %s, want %s", id, r.Priority, want)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(c.consent)) {
		r := referral(s, id)
		if r == nil {
			t.Errorf("referral %s absent, want consent %s", id, c.consent[id])
		} else if r.Consent != c.consent[id] {
			t.Errorf("referral %s consent %q, want %q", id, r.Consent, c.consent[id])
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
	if c.order != nil && !reflect.DeepEqual(referralIDs(s), c.order) {
		t.Errorf("referrals in order %v, want %v", referralIDs(s), c.order)
	}
	if c.cautOrder != nil && !reflect.DeepEqual(cautionIDs(s), c.cautOrder) {
		t.Errorf("cautions in order %v, want %v", cautionIDs(s), c.cautOrder)
	}
	if c.asked != nil || c.notAsked != nil {
		vis, err := f.Visible(af.Answers)
		if err != nil {
			t.Fatal(err)
		}
		v := map[string]bool{}
		for _, q := range vis {
			v[q.ID] = true
		}
		for _, id := range c.asked {
			if !v[id] {
				t.Errorf("%s not asked", id)
			}
		}
		for _, id := range c.notAsked {
			if v[id] {
				t.Errorf("%s asked", id)
			}
		}
	}
	checkSpec2Invariants(t, af.Answers, s)
	if t.Failed() {
		t.Logf("summary: outcome %s, situation %s, indicators %s, level %s\nreferrals %v\ncautions %v\ngaps %v",
			s.GetString("outcome"), s.GetString("situation"), s.GetString("trafficking.indicators"),
			s.GetString("refugee_protection.level"), referralPriorities(s), cautionIDs(s), s.InformationGaps)
	}
}

// dump is for writing cases: the summary in one line.
func dump2(s *Summary) string {
	return fmt.Sprintf("%s %v %v", s.GetString("outcome"), referralPriorities(s), cautionIDs(s))
}
