package questionnaire

import (
	"strings"
	"testing"
)

// explanationText returns the English text that explains a referral or
// caution in a summary (the case that held, else the rule's own), or "".
func explanationText(f *Flow, s *Summary, kind, id string) string {
	for _, e := range s.Explanations {
		if e.Kind != kind || e.ID != id {
			continue
		}
		switch kind {
		case "referral":
			for _, r := range f.Referrals {
				if r.ID == id {
					if e.Text > 0 {
						return f.T(r.Explanations[e.Text-1].Text, "en")
					}
					return f.T(r.Explanation, "en")
				}
			}
		case "caution":
			for _, c := range f.Cautions {
				if c.ID == id {
					if e.Text > 0 {
						return f.T(c.Explanations[e.Text-1].Text, "en")
					}
					return f.T(c.Explanation, "en")
				}
			}
		}
	}
	return ""
}

// The spec's "explanation fits the person's situation" paragraph: texts
// that vary with a condition.
func TestSpec2ExplanationTexts(t *testing.T) {
	f := builtin2(t)
	text := func(ans map[string]any, kind, id string) string {
		t.Helper()
		af, s := parseAndScore(t, f, ans)
		if len(af.Dropped) != 0 {
			t.Fatalf("fixture answers questions not asked: %v", af.Dropped)
		}
		txt := explanationText(f, s, kind, id)
		if txt == "" {
			t.Fatalf("no explanation for %s %s (referrals %v, cautions %v)", kind, id, referralIDs(s), cautionIDs(s))
		}
		return strings.ToLower(txt)
	}
	status := func(st string) map[string]any {
		m := with{"asylum_status": st}
		if st != "not_applied" && st != "declined" && st != "dont_know" {
			m["knows_right_to_asylum"] = del
		}
		return profile2(refugee2, m)
	}
	notApplied := text(status("not_applied"), "referral", "asylum_procedure")
	pending := text(status("applied_pending"), "referral", "asylum_procedure")
	other := text(status("other_protection"), "referral", "asylum_procedure")
	declined := text(status("declined"), "referral", "asylum_procedure")
	unknown := text(status("dont_know"), "referral", "asylum_procedure")
	if !strings.Contains(notApplied, "help") || !strings.Contains(notApplied, "apply") {
		t.Errorf("asylum_procedure, not_applied: %q does not say help apply", notApplied)
	}
	if !strings.Contains(pending, "trafficking elements") || !strings.Contains(pending, "decision-maker") {
		t.Errorf("asylum_procedure, applied_pending: %q does not say the trafficking elements must be before the decision-maker", pending)
	}
	if other == notApplied || other == pending {
		t.Errorf("asylum_procedure, other_protection: no text of its own (%q)", other)
	}
	for _, u := range []string{declined, unknown} {
		if u == pending || u == other {
			t.Errorf("asylum_procedure, status declined or not known, reads as if the status were known: %q", u)
		}
	}
	appeal := text(profile2(fearOnly2, with{"asylum_status": "rejected", "knows_right_to_asylum": del}), "referral", "asylum_appeal_or_new_claim")
	if !strings.Contains(appeal, "new element") || !strings.Contains(appeal, "credibility") {
		t.Errorf("asylum_appeal_or_new_claim: %q does not say late disclosure is a new element, not a credibility problem", appeal)
	}
	at := text(profile2(trafficked2), "referral", "anti_trafficking_referral")
	if !strings.Contains(at, "consent") || !strings.Contains(at, "authorities") {
		t.Errorf("anti_trafficking_referral: %q does not say identification may involve the authorities and needs consent", at)
	}
	ident := text(profile2(with{"identified_as_trafficking_victim": "yes"}), "referral", "anti_trafficking_referral")
	if !strings.Contains(ident, "identified") || !strings.Contains(ident, "support") || ident == at {
		t.Errorf("anti_trafficking_referral, identified: %q does not say support as an identified victim", ident)
	}
	pep := text(profile2(sgbv2, with{"sgbv_recent": "yes"}), "referral", "medical_care")
	if !strings.Contains(pep, "post-exposure prophylaxis") || !strings.Contains(pep, "72 hours") ||
		!strings.Contains(pep, "emergency contraception") || !strings.Contains(pep, "120 hours") {
		t.Errorf("medical_care, sgbv_recent: %q does not name PEP (72 hours) and emergency contraception (120 hours)", pep)
	}
	if plain := text(profile2(with{"needs": []string{"medical"}}), "referral", "medical_care"); strings.Contains(plain, "72 hours") {
		t.Errorf("medical_care without recent sexual violence speaks of PEP: %q", plain)
	}
	famChild := text(profile2(trafficked2, child2, with{"family_involved": "yes"}), "caution", "family_involvement")
	famAdult := text(profile2(trafficked2, with{"family_involved": "yes"}), "caution", "family_involvement")
	if !strings.Contains(famChild, "best-interests") {
		t.Errorf("family_involvement, child: %q does not ask for a best-interests assessment", famChild)
	}
	if strings.Contains(famAdult, "best-interests") || famAdult == famChild {
		t.Errorf("family_involvement, adult: %q should speak of the person's own choice", famAdult)
	}
}
